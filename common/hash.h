/*
 * hash.h - a fast, non-cryptographic 64-bit hash for dictionary lookups and
 * event-identity keys. Not for integrity: content hashes use SHA-256.
 */
#ifndef TT_HASH_H
#define TT_HASH_H

#include <stddef.h>
#include <stdint.h>

/* Hashes n bytes at p with a seed. Deterministic across runs and builds. */
uint64_t tt_hash64(const void *p, size_t n, uint64_t seed);

/* A 128-bit fingerprint: two independent 64-bit lanes computed in one pass,
 * so that an accidental match of two different inputs is a 2^-128 event.
 * Never {0, 0} (that value marks an empty slot in hash tables). Keyed with
 * a secret drawn per process: equal within a process, different across
 * processes, so a fingerprint must never be stored or sent elsewhere. */
typedef struct tt_fp {
    uint64_t a, b;
} tt_fp;

tt_fp tt_fp_of(const void *p, size_t n, uint64_t seed);

#endif /* TT_HASH_H */
