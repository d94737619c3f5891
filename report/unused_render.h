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

/* The JSON rendering with "warnings" (warnings[0..n), each a JSON
 * string) as the first key of the same object. */
void un_render_json_warned(FILE *f, const un_report *r, const char *const *warnings, size_t n);

/* One line: the principals by verdict and the actions by status, summed
 * over res[0..n) ("trailtrim unused: N principals: ..."). */
void un_render_summary(FILE *f, const un_result *res, size_t n);

#endif /* TT_UNUSED_RENDER_H */
