/*
 * rows.c - the bridge from store rows to the output writer.
 */
#include "rows.h"

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
