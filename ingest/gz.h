/*
 * gz.h - whole-object gzip decoding with a cap on the decompressed size.
 *
 * libdeflate does the fast path; when it rejects the data, zlib re-reads it
 * only to say where the damage is. Data after the first gzip member is
 * reported, not ignored: CloudTrail writes one member per object.
 */
#ifndef TT_GZ_H
#define TT_GZ_H

#include "common/mem.h"
#include "common/tt.h"

#include <stddef.h>
#include <stdint.h>

typedef struct ingest_gz ingest_gz;

/* One decompressor per thread. Never NULL. */
ingest_gz *ingest_gz_create(void);
void ingest_gz_free(ingest_gz *gz);

/* True when the bytes start with the gzip magic 1f 8b. */
int ingest_gz_is_gzip(const void *p, size_t n);

/* The decompressed size a gzip member's trailer gives (ISIZE, the last 4
 * bytes: the size mod 2^32, honest for any object under 4 GiB and possibly
 * a lie); n must be at least 4. */
size_t ingest_gz_isize(const uint8_t *in, size_t n);

/* Decompresses the gzip member at in[0..n) into out (reset first; out->cap
 * bounds the result: a larger result is TT_ERR_LIMIT, "decompression bomb").
 * TT_ERR_FORMAT for a truncated or corrupt stream (message says at which
 * compressed byte zlib found the damage) and for any bytes after the first
 * member. Messages do not name the input: the caller adds that. */
tt_status ingest_gunzip(ingest_gz *gz, const uint8_t *in, size_t n, tt_buf *out,
                        const char *what, tt_error *err);

#endif /* TT_GZ_H */
