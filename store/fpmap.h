/*
 * fpmap.h - an open-addressing hash map from a 128-bit fingerprint to two
 * 64-bit values. The store's writer keeps its dictionaries in these: a
 * fingerprint stands for a string (or a tuple of them) without keeping the
 * string in memory. Two independent 64-bit hashes make an accidental match
 * a 2^-128 event.
 */
#ifndef TT_FPMAP_H
#define TT_FPMAP_H

#include "../common/hash.h"

#include <stddef.h>
#include <stdint.h>

typedef tt_fp fp128;

typedef struct fpmap_slot {
    fp128 key; /* {0,0} marks an empty slot; fp_of never returns it */
    int64_t v1, v2;
} fpmap_slot;

typedef struct fpmap {
    fpmap_slot *slots;
    size_t nslots, count;
} fpmap;

void fpmap_init(fpmap *m);
void fpmap_free(fpmap *m);
void fpmap_clear(fpmap *m);

/* The slot holding key, or NULL. Valid until the next fpmap_put. */
fpmap_slot *fpmap_get(const fpmap *m, fp128 key);

/* The slot for key, created (with v1 = v2 = 0, *fresh = 1) if missing. */
fpmap_slot *fpmap_put(fpmap *m, fp128 key, int *fresh);

#endif /* TT_FPMAP_H */
