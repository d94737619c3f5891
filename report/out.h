/*
 * out.h - writing result rows as an aligned table (for people), JSON (for
 * machines) or CSV (for spreadsheets). Every string from a log is made safe
 * for its sink: control characters never reach a terminal, CSV cells that a
 * spreadsheet would run as a formula are defused, JSON is escaped.
 */
#ifndef TT_OUT_H
#define TT_OUT_H

#include <stdio.h>

typedef enum out_format { OUT_TABLE = 0, OUT_JSON, OUT_CSV } out_format;

typedef struct out out;

/* The index of s among names[0..n), or -1: the one parser of every
 * --format (a command names its formats in the order of its enum). */
int out_choice(const char *s, const char *const *names, int n);

/* Parses "table", "json" or "csv" (out_choice). Returns 0, or -1 for
 * anything else. */
int out_parse_format(const char *s, out_format *f);

/* The default: a table on a terminal, JSON otherwise. */
out_format out_default_format(FILE *f);

/* Starts a document on f. With multi, the document holds several named
 * sections (a JSON object of them); otherwise exactly one unnamed section
 * (a JSON array). */
out *out_open(FILE *f, out_format fmt, int multi);

/* Starts a section of rows with these columns (copied). title is shown
 * above a table and is the JSON key in a multi document. */
void out_section(out *o, const char *title, int ncols, const char *const *cols);

/* A section of key/value pairs (a JSON object); then call out_kv. */
void out_kv_section(out *o, const char *title);
void out_kv(out *o, const char *key, const char *value, int is_num);

/* One row: ncols texts (NULL for none) and whether each is a number. */
void out_row(out *o, const char *const *text, const int *is_num);

/* Ends the document and frees o. */
void out_close(out *o);

/* Writes s to f with control characters and invalid bytes shown as \xHH:
 * for messages that quote log strings on a terminal. */
void out_safe(FILE *f, const char *s);

/* 1 when out_safe writes s as it is (nothing in it to show as \xHH). */
int out_is_safe(const char *s);

/* Writes s (NULL as "") as HTML text, safe in an element and in a quoted
 * attribute: & < > " ' as entities, and what out_safe shows as \xHH
 * (control characters, C1 controls, bytes that are not UTF-8) the same. The
 * one HTML escaper of every page. */
void out_html(FILE *f, const char *s);

/* Writes s (NULL as "") as a JSON string: quotes, backslashes and control
 * bytes escaped, and '<' as \u003c so that the text is safe inside HTML. */
void out_json_str(FILE *f, const char *s);

#endif /* TT_OUT_H */
