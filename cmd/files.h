/*
 * files.h - the output files the subcommands write (policy documents,
 * repo rewrites, reports): written whole through a temporary file, so a
 * reader sees the old file or the new one, never a part.
 */
#ifndef CMD_FILES_H
#define CMD_FILES_H

#include "../common/tt.h"

#include <stddef.h>

/* Writes data[0..len) to path (mode 0644) through a temporary file in the
 * same folder, fsync and a rename. On failure the temporary file is removed,
 * path is left as it was, and err names the file and the errno text. */
tt_status cmd_write_atomic(const char *path, const char *data, size_t len, tt_error *err);

/* The path of part `part` of a split output into buf[0..n): path itself for
 * part 1, FILE-2.ext (or FILE-2 when the name has no extension) after it. */
void cmd_part_path(const char *path, size_t part, char *buf, size_t n);

/* Reads the whole file at path into a NUL-terminated *data (owned by the
 * caller, free()) of *len bytes; TT_ERR_LIMIT past cap bytes (the message
 * names cap_name when it is not NULL), TT_ERR_IO naming the file otherwise. */
tt_status cmd_read_file(const char *path, size_t cap, const char *cap_name, char **data,
                        size_t *len, tt_error *err);

#endif /* CMD_FILES_H */
