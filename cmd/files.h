/*
 * files.h - the output files the subcommands write (policy documents,
 * repo rewrites, reports): written whole through a temporary file, so a
 * reader sees the old file or the new one, never a part.
 */
#ifndef CMD_FILES_H
#define CMD_FILES_H

#include "common/tt.h"

#include <stddef.h>

/* Writes data[0..len) to path (mode 0644) through a temporary file in the
 * same folder, fsync and a rename. On failure the temporary file is removed,
 * path is left as it was, and err names the file and the errno text. */
tt_status cmd_write_atomic(const char *path, const char *data, size_t len, tt_error *err);

/* Many files at once (policy --all): from cmd_write_batch(dir) on,
 * cmd_write_atomic skips its per-file fsync (each file is still renamed
 * into place whole, so a reader never sees a part); cmd_write_flush() then
 * makes them all durable with one syncfs() of dir's filesystem and ends the
 * batch. One sync instead of one per file: most of --all's time on a store
 * of a thousand principals was fsync. */
void cmd_write_batch(const char *dir);
tt_status cmd_write_flush(tt_error *err);

/* The path of part `part` of a split output into buf[0..n): path itself for
 * part 1, FILE-2.ext (or FILE-2 when the name has no extension) after it. */
void cmd_part_path(const char *path, size_t part, char *buf, size_t n);

/* Writes the n documents of a split output: docs[0] to path, the others to
 * cmd_part_path's names, each atomically; then removes the parts an earlier,
 * longer run left after them (path-(n+1)... up to max_parts). *replaced
 * (may be NULL) gets how many files existed before and were overwritten,
 * *removed how many stale parts were removed. */
tt_status cmd_write_parts(const char *path, const char *const *docs, size_t n, size_t max_parts,
                          size_t *replaced, size_t *removed, tt_error *err);

/* Writes n JSON documents to stdout as exactly one JSON value: the
 * document itself when n is 1, else an array of them in order. Returns
 * TT_ERR_IO when stdout fails. */
tt_status cmd_print_docs(const char *const *docs, size_t n, tt_error *err);

/* Reads the whole file at path into a NUL-terminated *data (owned by the
 * caller, free()) of *len bytes; TT_ERR_LIMIT past cap bytes (the message
 * names cap_name when it is not NULL), TT_ERR_IO naming the file otherwise. */
tt_status cmd_read_file(const char *path, size_t cap, const char *cap_name, char **data,
                        size_t *len, tt_error *err);

#endif /* CMD_FILES_H */
