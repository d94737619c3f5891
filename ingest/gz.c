/*
 * gz.c - gzip decoding: libdeflate for speed, zlib for diagnostics.
 */
#include "gz.h"

#include <libdeflate.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

struct ingest_gz {
    struct libdeflate_decompressor *d;
};

ingest_gz *ingest_gz_create(void)
{
    ingest_gz *gz = tt_xcalloc(1, sizeof *gz);
    gz->d = libdeflate_alloc_decompressor();
    if (!gz->d) {
        fputs("trailtrim: out of memory (libdeflate decompressor)\n", stderr);
        abort();
    }
    return gz;
}

void ingest_gz_free(ingest_gz *gz)
{
    if (!gz)
        return;
    libdeflate_free_decompressor(gz->d);
    free(gz);
}

int ingest_gz_is_gzip(const void *p, size_t n)
{
    const uint8_t *b = p;
    return n >= 2 && b[0] == 0x1f && b[1] == 0x8b;
}

/* Asks zlib where the stream breaks, for the error message. */
static tt_status explain_damage(const uint8_t *in, size_t n, const char *what,
                                tt_error *err)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
        return tt_fail(err, TT_ERR_FORMAT, "corrupt gzip data");
    unsigned char sink[65536];
    int rc = Z_OK;
    size_t left = n;
    zs.next_in = (unsigned char *)in;
    while (rc == Z_OK) {
        unsigned chunk = left > (1u << 30) ? (1u << 30) : (unsigned)left;
        zs.avail_in = chunk;
        zs.next_out = sink;
        zs.avail_out = sizeof sink;
        rc = inflate(&zs, Z_NO_FLUSH);
        left -= chunk - zs.avail_in;
        if (rc == Z_BUF_ERROR && left == 0 && zs.avail_in == 0)
            break;
        if (rc == Z_BUF_ERROR)
            rc = Z_OK;
    }
    size_t at = n - left;
    const char *msg = zs.msg ? zs.msg : "unexpected end of stream";
    tt_status st;
    if (rc == Z_STREAM_END)
        st = tt_fail(err, TT_ERR_FORMAT, "corrupt gzip data (checksum or length mismatch near byte %zu)",
                     at);
    else if (left == 0)
        st = tt_fail(err, TT_ERR_FORMAT, "truncated gzip data (stream ends at byte %zu of %zu before the end of the member)",
                     at, n);
    else
        st = tt_fail(err, TT_ERR_FORMAT, "corrupt gzip data at compressed byte %zu: %s", at, msg);
    inflateEnd(&zs);
    return st;
}

size_t ingest_gz_isize(const uint8_t *in, size_t n)
{
    return (size_t)in[n - 4] | (size_t)in[n - 3] << 8 | (size_t)in[n - 2] << 16 |
           (size_t)in[n - 1] << 24;
}

static size_t first_guess(const uint8_t *in, size_t n, size_t cap)
{
    size_t isize = ingest_gz_isize(in, n); /* it may lie */
    size_t guess = isize + 1;
    if (guess < n * 2)
        guess = n * 2;
    if (guess > cap + 1)
        guess = cap + 1;
    return guess;
}

tt_status ingest_gunzip(ingest_gz *gz, const uint8_t *in, size_t n, tt_buf *out,
                        const char *what, tt_error *err)
{
    tt_buf_reset(out);
    if (!ingest_gz_is_gzip(in, n))
        return tt_fail(err, TT_ERR_FORMAT, "not gzip data (no 1f 8b magic)");
    if (n < 18)
        return tt_fail(err, TT_ERR_FORMAT, "truncated gzip data (%zu bytes)", n);
    size_t room = first_guess(in, n, out->cap);
    for (;;) {
        /* room may be cap + 1: a full buffer then means "over the cap". */
        if (out->alloc < room + 1) {
            out->data = tt_xrealloc_big(out->data, room + 1);
            out->alloc = room + 1;
        }
        size_t in_used = 0, out_len = 0;
        enum libdeflate_result r = libdeflate_gzip_decompress_ex(gz->d, in, n, out->data, room,
                                                                 &in_used, &out_len);
        if (r == LIBDEFLATE_SUCCESS) {
            if (out_len > out->cap)
                return tt_fail(err, TT_ERR_LIMIT,
                               "decompressed size exceeds the cap of %zu bytes (decompression bomb?)",
                               out->cap);
            out->len = out_len;
            out->data[out_len] = '\0';
            if (in_used < n)
                return tt_fail(err, TT_ERR_FORMAT,
                               "%zu bytes of trailing data after the first gzip member (at byte %zu)%s",
                               n - in_used, in_used,
                               ingest_gz_is_gzip(in + in_used, n - in_used)
                                   ? "; it is another gzip member, which CloudTrail never writes"
                                   : "");
            return TT_OK;
        }
        if (r == LIBDEFLATE_INSUFFICIENT_SPACE) {
            if (room > out->cap)
                return tt_fail(err, TT_ERR_LIMIT,
                               "decompressed size exceeds the cap of %zu bytes (decompression bomb?)",
                               out->cap);
            room = room > out->cap / 2 ? out->cap + 1 : room * 2;
            continue;
        }
        return explain_damage(in, n, what, err);
    }
}
