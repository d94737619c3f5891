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
 * a secret: drawn per process at start, so that nobody who writes log
 * records can aim two strings at one fingerprint. A store keeps its own
 * secret (store/open.c) and installs it with tt_fp_set_secret() before any
 * fingerprint is taken for it, so that its stored fingerprints stay valid
 * across runs; the secret never leaves the store file. */
typedef struct tt_fp {
    uint64_t a, b;
} tt_fp;

tt_fp tt_fp_of(const void *p, size_t n, uint64_t seed);

/* The same with an explicit secret instead of the process's. */
tt_fp tt_fp_of_keyed(const void *p, size_t n, uint64_t seed, uint64_t secret);

/* Replaces the process's secret. Call before any thread takes
 * fingerprints (not thread-safe against concurrent tt_fp_of). */
void tt_fp_set_secret(uint64_t secret);

/* The process's current secret. */
uint64_t tt_fp_secret(void);

#endif /* TT_HASH_H */
