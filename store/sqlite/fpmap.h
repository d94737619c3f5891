/*
 * fpmap.h - an open-addressing hash map from a 128-bit fingerprint to two
 * 64-bit values. The store's writer keeps its dictionaries in these: a
 * fingerprint stands for a string (or a tuple of them) without keeping the
 * string in memory. Two independent 64-bit hashes make an accidental match
 * a 2^-128 event.
 */
#ifndef TT_FPMAP_H
#define TT_FPMAP_H

#include "common/hash.h"

#include <stddef.h>
#include <stdint.h>

typedef tt_fp fp128;

typedef struct store_fpmap_slot {
    fp128 key; /* {0,0} marks an empty slot; fp_of never returns it */
    int64_t v1, v2;
} store_fpmap_slot;

typedef struct store_fpmap {
    store_fpmap_slot *slots;
    size_t nslots, count;
} store_fpmap;

void store_fpmap_init(store_fpmap *m);
void store_fpmap_free(store_fpmap *m);
void store_fpmap_clear(store_fpmap *m);

/* The slot holding key, or NULL. Valid until the next store_fpmap_put. */
store_fpmap_slot *store_fpmap_get(const store_fpmap *m, fp128 key);

/* The slot for key, created (with v1 = v2 = 0, *fresh = 1) if missing. */
store_fpmap_slot *store_fpmap_put(store_fpmap *m, fp128 key, int *fresh);

/* ---- a bounded cache of fingerprints ------------------------------------
 * Two generations of at most `limit` keys each: new keys go to the young
 * one; when it is full the old one is dropped and the young one takes its
 * place; a key found in the old one moves back to the young. Recently used
 * keys stay, memory stays under 2 * limit keys, and what fell out is found
 * again where it is kept for good (the store's indexes). */
typedef struct store_fpcache {
    store_fpmap young, old;
    size_t limit;
} store_fpcache;

void store_fpcache_init(store_fpcache *c, size_t limit);
void store_fpcache_free(store_fpcache *c);

/* The values filed under key: 1 and *v1, *v2 set, or 0. */
int store_fpcache_get(store_fpcache *c, fp128 key, int64_t *v1, int64_t *v2);

/* Files key with its values (replacing earlier ones). */
void store_fpcache_put(store_fpcache *c, fp128 key, int64_t v1, int64_t v2);

/* Bytes the cache holds now. */
size_t store_fpcache_bytes(const store_fpcache *c);

#endif /* TT_FPMAP_H */
