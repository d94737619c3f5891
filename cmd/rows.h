/*
 * rows.h - printing store rows through an out writer (shared by the
 * reading subcommands).
 */
#ifndef TT_ROWS_H
#define TT_ROWS_H

#include "report/out.h"
#include "store/store.h"
#include "window.h"

typedef struct rows_ctx {
    out *w;
    const char *title;
    int started;
    long count;
} rows_ctx;

/* A store_row_fn: the first row opens the section with its columns. */
int rows_emit(void *ctx, const store_row *row);

/* Opens the section with these columns if no row did (empty results). */
void rows_finish(rows_ctx *r, int ncols, const char *const *cols);

/* Opens the output of a listing over window w: for JSON a document whose
 * first section is the window (cmd_window_json); otherwise one section, and
 * the window is stated on stderr. Close it with out_close. */
out *rows_open_windowed(const char *cmd, out_format fmt, const cmd_window *w, int whole_days);

#endif /* TT_ROWS_H */
