/*
 * recall.h - reading one stored record back from its source object, by the
 * reference the store keeps (path, archive member, byte offset in the
 * decompressed object), and pulling named fields out of it. The store keeps
 * no request parameters or response elements: the forensics report reads
 * them from the evidence itself, after checking that the object's SHA-256
 * is still the one recorded at ingest.
 */
#ifndef TT_RECALL_H
#define TT_RECALL_H

#include "common/tt.h"

#include <stddef.h>
#include <stdint.h>

typedef struct ingest_recall ingest_recall;

/* Creates a reader that keeps the last few decompressed objects (so that
 * the records of one object cost one read). max_object_bytes caps an object
 * as stored and decompressed. base_dir (copied; may be NULL) is where a
 * relative path that is not found from the current directory is tried
 * next (the store's folder). Never NULL. */
ingest_recall *ingest_recall_create(size_t max_object_bytes, const char *base_dir);
void ingest_recall_free(ingest_recall *r); /* accepts NULL */

/* Points *rec at the record that starts at byte off of the decompressed
 * object (path, member; member "" for a plain file), *len its length.
 * sha256 (32 bytes, or NULL to skip the check) is the hash recorded for the
 * object as stored. The bytes are borrowed until the next call on r.
 * Fails with TT_ERR_IO (the file is gone or unreadable; stdin, "-", was
 * never kept), TT_ERR_NOTFOUND (the archive no longer holds the member),
 * TT_ERR_FORMAT (the content changed: SHA-256 differs; or no record starts
 * at off) or TT_ERR_LIMIT; err says which, in words fit for a report. */
tt_status ingest_recall_record(ingest_recall *r, const char *path, const char *member, uint64_t off,
                               const uint8_t *sha256, const char **rec, size_t *len, tt_error *err);

/* Finds the value at a dotted path ("requestParameters.userName") in one
 * JSON record rec[0..len). A segment that is a number indexes an array
 * ("items.0.instanceType"). Writes the value into out (cap > 0, always
 * NUL-terminated): a string unescaped, any other value as compact JSON; a
 * value longer than cap - 1 bytes is cut and ends in "...". Returns 1 when
 * found, 0 when absent, null, or the record is not valid JSON. */
int ingest_recall_field(const char *rec, size_t len, const char *path, char *out, size_t cap);

#endif /* TT_RECALL_H */
