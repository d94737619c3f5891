/*
 * out_table.h - laying out one buffered table section for people: aligned
 * columns at their natural width, or fitted to a terminal's width (long
 * cells cut in the middle with an ellipsis, low-value columns left out, and
 * as a last resort one block of "column  value" lines per row), coloured
 * or not. Private to out.c.
 */
#ifndef TT_OUT_TABLE_H
#define TT_OUT_TABLE_H

#include <stddef.h>
#include <stdio.h>

typedef struct out_table {
    const char *title;    /* the section's, for colour rules; may be NULL */
    int ncols;
    char *const *cols;    /* headers */
    const int *num;       /* column is numeric: right-aligned, never cut */
    char **const *rows;   /* nrows x ncols cells, none NULL */
    size_t nrows;
} out_table;

/* Writes t to f. width 0 means no limit. Names of the columns left out to
 * fit are appended to dropped (", "-separated, each once; truncated to n). */
void out_table_print(FILE *f, const out_table *t, int width, int color, char *dropped, size_t n);

/* Writes one "key  value" line of a key/value section, the value fitted to
 * width (0: no limit). */
void out_table_kv(FILE *f, const char *key, const char *value, int width, int color);

/* s cut to at most width display columns: the middle replaced by "…"; an
 * ARN keeps its head through a few digits of the account and its whole
 * resource when it can; text with spaces keeps its start. Returns a new string. Counts code points as
 * columns (s is already made safe for a terminal). */
char *out_fit_middle(const char *s, size_t width);

#endif /* TT_OUT_TABLE_H */
