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

#endif /* TT_HASH_H */
