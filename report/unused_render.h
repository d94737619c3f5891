/*
 * unused_render.h - the renderings of the `unused` report (its model is
 * generate/unused.h): a table, JSON, CSV, and one self-contained HTML page
 * (unused_render.c). Strings from the authorization file are shown escaped
 * for each sink.
 */
#ifndef TT_UNUSED_RENDER_H
#define TT_UNUSED_RENDER_H

#include "generate/unused.h"

#include <stdint.h>
#include <stdio.h>

typedef enum un_format { UN_TABLE = 0, UN_JSON, UN_CSV, UN_HTML, UN_NFORMATS } un_format;

/* "table", "json", "csv", "html": the names of un_format (out_choice). */
extern const char *const un_format_names[UN_NFORMATS];

void un_render(FILE *f, un_format fmt, const un_report *r);

#endif /* TT_UNUSED_RENDER_H */
