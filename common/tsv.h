/*
 * tsv.h - reading the tab-separated tables compiled into the binary (the
 * IAM catalog and mapping, the tagging rules, the forensics tables): one
 * line at a time, split at tabs, in place. The text is ours, checked by
 * the tests; callers say what a malformed line means.
 */
#ifndef TT_TSV_H
#define TT_TSV_H

/* The next line of *cursor, its newline replaced by NUL (in place), with
 * *cursor moved past it; NULL at the end of the text (or when *cursor is
 * NULL). */
char *tt_tsv_line(char **cursor);

/* Splits line at tabs, in place, into f[0..max): the number of fields.
 * The last field keeps any tabs past the max-th. */
int tt_tsv_split(char *line, char **f, int max);

#endif /* TT_TSV_H */
