/*
 * search_render.h - the rows of `trailtrim search` that do not go through
 * the table writer (out.h): one event as an NDJSON object, written under
 * one lock of the stream, and a record read back (--raw) on one line.
 * cmd_search.c hands them the fields of each event; they never see the
 * store.
 */
#ifndef TT_SEARCH_RENDER_H
#define TT_SEARCH_RENDER_H

#include <stddef.h>
#include <stdio.h>

/* The columns of a search row: SEARCH_NCOLS, and event_id after them with
 * --event-id. */
#define SEARCH_NCOLS 12
extern const char *const search_cols[SEARCH_NCOLS + 1];

/* One event as a JSON object on a line: v[i] (ncols of them, at most
 * SEARCH_NCOLS + 1) under the key search_cols[i], an empty value as null.
 * The keys are built once, the line written under one lock of f. */
void search_render_json_row(FILE *f, const char *const *v, int ncols);

/* Writes the JSON record rec[0..len) to f on one line: the whitespace
 * between its tokens dropped (a string holds no raw newline), the bytes
 * of strings kept as they are. */
void search_render_compact(FILE *f, const char *rec, size_t len);

#endif /* TT_SEARCH_RENDER_H */
