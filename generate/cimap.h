/*
 * cimap.h - a case-insensitive hash map from a two-part key (prefix, name)
 * to a pointer, for the catalog and the mapping tables. IAM compares
 * actions case-insensitively; so do we. Keys and values are borrowed: they
 * must outlive the map. Open addressing; no removal.
 */
#ifndef TT_GEN_CIMAP_H
#define TT_GEN_CIMAP_H

#include <stddef.h>

typedef struct gen_cimap_slot {
    const char *a, *b;
    void *value;
} gen_cimap_slot;

typedef struct gen_cimap {
    gen_cimap_slot *slots;
    size_t mask, count;
} gen_cimap;

void gen_cimap_init(gen_cimap *m);
void gen_cimap_free(gen_cimap *m);

/* Adds (a, b) -> value unless the key is there; returns the value now
 * stored under the key (the earlier one when it was already there). */
void *gen_cimap_put(gen_cimap *m, const char *a, const char *b, void *value);

/* The value under (a, b), compared without case, or NULL. b may be given
 * with a length (bn) so that callers can look up a part of a string. */
void *gen_cimap_get(const gen_cimap *m, const char *a, const char *b, size_t bn);

#endif /* TT_GEN_CIMAP_H */
