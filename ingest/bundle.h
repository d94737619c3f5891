/*
 * bundle.h - reading the regular entries of a tar or zip bundle (optionally
 * gzip-compressed) with libarchive, streamed from the file, never extracted
 * to disk. Only the tar and zip formats and the gzip filter are enabled.
 */
#ifndef TT_BUNDLE_H
#define TT_BUNDLE_H

#include "common/mem.h"
#include "common/tt.h"

#include <stddef.h>
#include <stdint.h>

/* Called once per entry. For a regular entry, data[0..len) holds its bytes
 * (borrowed until the callback returns) and why is NULL; for anything else
 * (a link, a device, an entry over the cap) data is NULL and why says what
 * is wrong with it. Directories are passed over silently. Return TT_OK to
 * go on; anything else stops the walk and is returned. */
typedef tt_status (*ingest_entry_fn)(void *ctx, const char *name,
                                     const uint8_t *data, size_t len,
                                     const char *why, tt_error *err);

/* Reads the archive at path. buf is scratch for one entry (its cap bounds
 * an entry's size); at most max_entries entries are looked at. sha256 gets
 * the hash of the archive file's bytes as read, and *size their count.
 * TT_ERR_FORMAT when the file is not a tar or zip archive or is damaged
 * (message names the entry). */
tt_status ingest_archive_each(const char *path, size_t max_entries, tt_buf *buf,
                              ingest_entry_fn fn, void *ctx, uint8_t sha256[32],
                              int64_t *size, tt_error *err);

/* True when a name ends like a bundle we read (.tar .tar.gz .tgz .zip). */
int ingest_is_archive_name(const char *name);

/* True when bytes look like a tar or zip archive (nested bundles are not
 * read). */
int ingest_looks_like_archive(const uint8_t *p, size_t n);

#endif /* TT_BUNDLE_H */
