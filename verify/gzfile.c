/*
 * gzfile.c - hashing a log or digest object the way CloudTrail does: SHA-256
 * of the decompressed content of its (first) gzip member. zlib stops at the
 * end of that member; we count what follows, which AWS's own validator
 * silently ignores.
 */
#include "verify_int.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define CHUNK 65536

/* Feeds one chunk of compressed input through z; returns the zlib code. */
static int pump(z_stream *z, EVP_MD_CTX *md, tt_buf *keep, unsigned char *out, int *over)
{
    int rc = Z_OK;
    do {
        z->next_out = out;
        z->avail_out = CHUNK;
        rc = inflate(z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
            return rc;
        size_t got = CHUNK - z->avail_out;
        EVP_DigestUpdate(md, out, got);
        if (keep && got && tt_buf_append(keep, out, got) != 0) {
            *over = 1;
            return Z_MEM_ERROR;
        }
        if (rc == Z_STREAM_END)
            return rc;
    } while (z->avail_out == 0);
    return rc == Z_BUF_ERROR ? Z_OK : rc;
}

int verify_gz_hash(const char *path, tt_buf *keep, uint8_t sha256[32], int64_t *trailing,
                   char *why, size_t whyn)
{
    int ret = -1, over = 0, zinit = 0, rc = Z_OK;
    int64_t consumed = 0, total = 0;
    unsigned char *in = tt_xmalloc(CHUNK), *out = tt_xmalloc(CHUNK);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    z_stream z;
    memset(&z, 0, sizeof z);
    *trailing = 0;
    if (keep)
        tt_buf_reset(keep);
    FILE *f = fopen(path, "rb");
    if (!f) {
        char eb[128];
        snprintf(why, whyn, "cannot open: %s", tt_errno_text(errno, eb, sizeof eb));
        goto out;
    }
    if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1 || inflateInit2(&z, 15 + 16) != Z_OK) {
        snprintf(why, whyn, "cannot set up SHA-256 or zlib");
        goto out;
    }
    zinit = 1;
    size_t n;
    while (rc != Z_STREAM_END && (n = fread(in, 1, CHUNK, f)) > 0) {
        total += (int64_t)n;
        z.next_in = in;
        z.avail_in = (uInt)n;
        rc = pump(&z, md, keep, out, &over);
        consumed = total - (int64_t)z.avail_in;
        if (rc != Z_OK && rc != Z_STREAM_END)
            break;
    }
    if (ferror(f)) {
        snprintf(why, whyn, "read error");
        goto out;
    }
    if (over) {
        snprintf(why, whyn, "decompressed size over the cap (%zu bytes)", keep->cap);
        goto out;
    }
    if (rc != Z_STREAM_END) {
        if (total == 0)
            snprintf(why, whyn, "empty file");
        else if (rc == Z_DATA_ERROR && total >= 2 && consumed < 10)
            snprintf(why, whyn, "not a gzip stream");
        else if (rc == Z_OK)
            snprintf(why, whyn, "truncated gzip stream (%lld bytes)", (long long)total);
        else
            snprintf(why, whyn, "corrupt gzip stream near byte %lld: %s", (long long)consumed,
                     z.msg ? z.msg : "zlib error");
        goto out;
    }
    while ((n = fread(in, 1, CHUNK, f)) > 0)
        total += (int64_t)n;
    *trailing = total - consumed;
    unsigned int len = 32;
    EVP_DigestFinal_ex(md, sha256, &len);
    ret = 0;
out:
    if (zinit)
        inflateEnd(&z);
    if (f)
        fclose(f);
    EVP_MD_CTX_free(md);
    free(in);
    free(out);
    return ret;
}
