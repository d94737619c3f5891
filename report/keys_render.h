/*
 * keys_render.h - `trailtrim keys` written as a table, JSON or CSV (out.h)
 * or one self-contained HTML page. Renderers only: they take the model
 * (generate/keys.h) and never open the store.
 */
#ifndef TT_KEYS_RENDER_H
#define TT_KEYS_RENDER_H

#include "generate/keys.h"
#include "out.h"

#include <stdint.h>
#include <stdio.h>

typedef struct keys_view {
    const gen_keys *k;
    int64_t until_ms;
    int days, unused_days, max_age_days;
    const char *report; /* the credential report's file name, or NULL */
} keys_view;

void keys_render(FILE *f, out_format fmt, const keys_view *v);
void keys_render_html(FILE *f, const keys_view *v);

#endif /* TT_KEYS_RENDER_H */
