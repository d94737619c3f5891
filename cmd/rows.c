/*
 * rows.c - the bridge from store rows to the output writer.
 */
#include "rows.h"

#include <stdio.h>

int rows_emit(void *ctx, const store_row *row)
{
    rows_ctx *r = ctx;
    if (!r->started) {
        out_section(r->w, r->title, row->ncols, row->names);
        r->started = 1;
    }
    out_row(r->w, row->text, row->is_num);
    r->count++;
    return 0;
}

void rows_finish(rows_ctx *r, int ncols, const char *const *cols)
{
    if (!r->started) {
        out_section(r->w, r->title, ncols, cols);
        r->started = 1;
    }
}

out *rows_open_windowed(const char *cmd, out_format fmt, const cmd_window *w, int whole_days)
{
    out *o = out_open(stdout, fmt, fmt == OUT_JSON);
    if (fmt == OUT_JSON)
        cmd_window_json(o, w, whole_days);
    else
        cmd_window_note(cmd, w, whole_days);
    return o;
}
