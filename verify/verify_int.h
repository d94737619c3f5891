/*
 * verify_int.h - what the verify module's files share: reading a gzip
 * object's first member into SHA-256, the parsed digest file, and the
 * public keys. Not for use outside verify/.
 */
#ifndef TT_VERIFY_INT_H
#define TT_VERIFY_INT_H

#include "verify.h"

#include "common/mem.h"

#include <stddef.h>
#include <stdint.h>

/* ---- objects (gzfile.c) ------------------------------------------------- */

/* Inflates the first gzip member of the file at path, streaming, into a
 * SHA-256 (the hash CloudTrail puts in digests: of the decompressed
 * content). keep, when not NULL, also receives the decompressed bytes (its
 * cap bounds them). *trailing gets the count of bytes after the first
 * member. Returns 0, or -1 with why set (not gzip, truncated, corrupt, over
 * the cap, unreadable). */
int verify_gz_hash(const char *path, tt_buf *keep, uint8_t sha256[32], int64_t *trailing,
                   char *why, size_t whyn);

/* ---- digest files (digest.c) -------------------------------------------- */

typedef struct verify_logref {
    char *bucket, *object, *hash; /* hash: hex, as the digest says */
} verify_logref;

typedef struct verify_digest {
    char *account, *start, *end, *bucket, *object, *fingerprint, *algorithm;
    char *prev_bucket, *prev_object, *prev_hash, *prev_sig; /* NULL if null */
    int64_t start_ms, end_ms;
    verify_logref *logs;
    size_t nlogs;
} verify_digest;

/* Parses a decompressed digest file. Returns 0, or -1 with why set. d is
 * filled either way and must be released with verify_digest_clear(). */
int verify_digest_parse(const char *buf, size_t n, verify_digest *d, char *why, size_t whyn);
void verify_digest_clear(verify_digest *d);

/* ---- public keys and signatures (keys.c) -------------------------------- */

typedef struct verify_keys verify_keys;

/* Loads every key in dir (PEM "PUBLIC KEY" or "RSA PUBLIC KEY", or the
 * base64 DER that `aws cloudtrail list-public-keys` prints). Each is found
 * by the hex MD5 of its PKCS#1 DER and of its SubjectPublicKeyInfo DER, and
 * by its file name when that is 32 hex digits. */
tt_status verify_keys_load(const char *dir, verify_keys **out, tt_error *err);
void verify_keys_free(verify_keys *k); /* accepts NULL */
size_t verify_keys_count(const verify_keys *k);

/* Checks a hex RSA signature (PKCS#1 v1.5, SHA-256) over msg with the key
 * of this fingerprint. Returns 1 good, 0 bad, -1 no such key, -2 the
 * signature is not hex. */
int verify_keys_check(const verify_keys *k, const char *fingerprint, const char *msg,
                      size_t msglen, const char *sig_hex);

#endif /* TT_VERIFY_INT_H */
