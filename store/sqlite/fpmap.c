/*
 * fpmap.c - linear probing, power-of-two table, grown at half full.
 */
#include "fpmap.h"

#include "common/mem.h"

#include <stdlib.h>
#include <string.h>

void store_fpmap_init(store_fpmap *m)
{
    m->nslots = 1024;
    m->count = 0;
    m->slots = tt_xcalloc(m->nslots, sizeof *m->slots);
}

void store_fpmap_free(store_fpmap *m)
{
    free(m->slots);
    m->slots = NULL;
    m->nslots = m->count = 0;
}

void store_fpmap_clear(store_fpmap *m)
{
    memset(m->slots, 0, m->nslots * sizeof *m->slots);
    m->count = 0;
}

static int empty(const store_fpmap_slot *s)
{
    return s->key.a == 0 && s->key.b == 0;
}

store_fpmap_slot *store_fpmap_get(const store_fpmap *m, fp128 key)
{
    size_t mask = m->nslots - 1, j = key.a & mask;
    for (;;) {
        store_fpmap_slot *s = &m->slots[j];
        if (empty(s))
            return NULL;
        if (s->key.a == key.a && s->key.b == key.b)
            return s;
        j = (j + 1) & mask;
    }
}

static void grow(store_fpmap *m)
{
    size_t n = m->nslots * 2, mask = n - 1;
    store_fpmap_slot *t = tt_xcalloc(n, sizeof *t);
    for (size_t i = 0; i < m->nslots; i++) {
        if (empty(&m->slots[i]))
            continue;
        size_t j = m->slots[i].key.a & mask;
        while (!empty(&t[j]))
            j = (j + 1) & mask;
        t[j] = m->slots[i];
    }
    free(m->slots);
    m->slots = t;
    m->nslots = n;
}

store_fpmap_slot *store_fpmap_put(store_fpmap *m, fp128 key, int *fresh)
{
    if ((m->count + 1) * 2 > m->nslots)
        grow(m);
    size_t mask = m->nslots - 1, j = key.a & mask;
    for (;;) {
        store_fpmap_slot *s = &m->slots[j];
        if (empty(s)) {
            s->key = key;
            s->v1 = s->v2 = 0;
            m->count++;
            *fresh = 1;
            return s;
        }
        if (s->key.a == key.a && s->key.b == key.b) {
            *fresh = 0;
            return s;
        }
        j = (j + 1) & mask;
    }
}

/* ---- store_fpcache ------------------------------------------------------------ */

void store_fpcache_init(store_fpcache *c, size_t limit)
{
    store_fpmap_init(&c->young);
    store_fpmap_init(&c->old);
    c->limit = limit < 1024 ? 1024 : limit;
}

void store_fpcache_free(store_fpcache *c)
{
    store_fpmap_free(&c->young);
    store_fpmap_free(&c->old);
}

/* The young generation becomes the old one, and the old one's table,
 * emptied, the young one's: at high churn the identities and strings
 * turn over every few thousand events, and a table allocated afresh and
 * grown from its first size each time cost the writer page faults and
 * rehashing for nothing. */
static void next_generation(store_fpcache *c)
{
    store_fpmap spare = c->old;
    c->old = c->young;
    if (spare.nslots) {
        store_fpmap_clear(&spare);
        c->young = spare;
    } else {
        store_fpmap_init(&c->young);
    }
}

void store_fpcache_put(store_fpcache *c, fp128 key, int64_t v1, int64_t v2)
{
    if (c->young.count >= c->limit)
        next_generation(c);
    int fresh;
    store_fpmap_slot *s = store_fpmap_put(&c->young, key, &fresh);
    s->v1 = v1;
    s->v2 = v2;
}

int store_fpcache_get(store_fpcache *c, fp128 key, int64_t *v1, int64_t *v2)
{
    const store_fpmap_slot *s = store_fpmap_get(&c->young, key);
    if (s) {
        *v1 = s->v1;
        *v2 = s->v2;
        return 1;
    }
    s = c->old.nslots ? store_fpmap_get(&c->old, key) : NULL;
    if (!s)
        return 0;
    *v1 = s->v1;
    *v2 = s->v2;
    store_fpcache_put(c, key, *v1, *v2);
    return 1;
}

size_t store_fpcache_bytes(const store_fpcache *c)
{
    return (c->young.nslots + c->old.nslots) * sizeof(store_fpmap_slot);
}
