/*
 * known.c - the index of objects recorded by earlier runs: an open-addressing
 * table by (path, member) and another by content hash. Built before a run,
 * read concurrently by the workers during it.
 */
#include "ingest.h"
#include "known.h"

#include "common/hash.h"
#include "common/mem.h"

#include <stdlib.h>
#include <string.h>

typedef struct entry {
    char *key;      /* path NUL member NUL */
    size_t key_len; /* bytes of key including both NULs */
    uint64_t hash;
    int64_t size, mtime_ns;
    uint8_t sha[32];
    ingest_known_state state;
} entry;

typedef struct sha_slot {
    uint8_t sha[32];
    uint8_t used;
} sha_slot;

struct ingest_known {
    entry *slots;     /* by (path, member) */
    size_t nslots, count;
    sha_slot *shas;   /* content hashes of loaded objects */
    size_t nshas, sha_count;
};

ingest_known *ingest_known_create(void)
{
    ingest_known *k = tt_xcalloc(1, sizeof *k);
    k->nslots = 1024;
    k->slots = tt_xcalloc(k->nslots, sizeof *k->slots);
    k->nshas = 1024;
    k->shas = tt_xcalloc(k->nshas, sizeof *k->shas);
    return k;
}

void ingest_known_free(ingest_known *k)
{
    if (!k)
        return;
    for (size_t i = 0; i < k->nslots; i++)
        free(k->slots[i].key);
    free(k->slots);
    free(k->shas);
    free(k);
}

static size_t make_key(const char *path, const char *member, char **out)
{
    size_t pl = strlen(path), ml = strlen(member);
    char *key = tt_xmalloc(pl + ml + 2);
    memcpy(key, path, pl + 1);
    memcpy(key + pl + 1, member, ml + 1);
    *out = key;
    return pl + ml + 2;
}

static void grow_slots(ingest_known *k)
{
    size_t n = k->nslots * 2;
    entry *s = tt_xcalloc(n, sizeof *s);
    for (size_t i = 0; i < k->nslots; i++) {
        if (!k->slots[i].key)
            continue;
        size_t j = k->slots[i].hash & (n - 1);
        while (s[j].key)
            j = (j + 1) & (n - 1);
        s[j] = k->slots[i];
    }
    free(k->slots);
    k->slots = s;
    k->nslots = n;
}

static size_t sha_home(const uint8_t sha[32], size_t n)
{
    uint64_t w;
    memcpy(&w, sha, 8);
    return w & (n - 1);
}

static void sha_put(sha_slot *tab, size_t n, const uint8_t sha[32])
{
    size_t j = sha_home(sha, n);
    while (tab[j].used && memcmp(tab[j].sha, sha, 32) != 0)
        j = (j + 1) & (n - 1);
    if (!tab[j].used) {
        memcpy(tab[j].sha, sha, 32);
        tab[j].used = 1;
    }
}

static void add_sha(ingest_known *k, const uint8_t sha[32])
{
    if ((k->sha_count + 1) * 2 > k->nshas) {
        size_t n = k->nshas * 2;
        sha_slot *s = tt_xcalloc(n, sizeof *s);
        for (size_t i = 0; i < k->nshas; i++)
            if (k->shas[i].used)
                sha_put(s, n, k->shas[i].sha);
        free(k->shas);
        k->shas = s;
        k->nshas = n;
    }
    size_t j = sha_home(sha, k->nshas);
    while (k->shas[j].used) {
        if (memcmp(k->shas[j].sha, sha, 32) == 0)
            return;
        j = (j + 1) & (k->nshas - 1);
    }
    memcpy(k->shas[j].sha, sha, 32);
    k->shas[j].used = 1;
    k->sha_count++;
}

void ingest_known_add(ingest_known *k, const char *path, const char *member,
                      int64_t size, int64_t mtime_ns, const uint8_t sha256[32],
                      ingest_known_state state)
{
    if ((k->count + 1) * 2 > k->nslots)
        grow_slots(k);
    entry e = {0};
    e.key_len = make_key(path, member, &e.key);
    e.hash = tt_hash64(e.key, e.key_len, 0);
    e.size = size;
    e.mtime_ns = mtime_ns;
    memcpy(e.sha, sha256, 32);
    e.state = state;
    size_t j = e.hash & (k->nslots - 1);
    while (k->slots[j].key) {
        if (k->slots[j].key_len == e.key_len && memcmp(k->slots[j].key, e.key, e.key_len) == 0) {
            free(k->slots[j].key);
            k->slots[j] = e;
            goto sha;
        }
        j = (j + 1) & (k->nslots - 1);
    }
    k->slots[j] = e;
    k->count++;
sha:
    if (state == INGEST_KNOWN_LOADED)
        add_sha(k, sha256);
}

size_t ingest_known_count(const ingest_known *k)
{
    return k ? k->count : 0;
}

int ingest_known_find(const ingest_known *k, const char *path, const char *member,
               ingest_known_info *out)
{
    if (!k || k->count == 0)
        return 0;
    char *key;
    size_t len = make_key(path, member, &key);
    uint64_t h = tt_hash64(key, len, 0);
    size_t j = h & (k->nslots - 1);
    int found = 0;
    while (k->slots[j].key) {
        const entry *e = &k->slots[j];
        if (e->hash == h && e->key_len == len && memcmp(e->key, key, len) == 0) {
            out->size = e->size;
            out->mtime_ns = e->mtime_ns;
            memcpy(out->sha256, e->sha, 32);
            out->state = e->state;
            found = 1;
            break;
        }
        j = (j + 1) & (k->nslots - 1);
    }
    free(key);
    return found;
}

int ingest_known_has_content(const ingest_known *k, const uint8_t sha256[32])
{
    if (!k || k->sha_count == 0)
        return 0;
    size_t j = sha_home(sha256, k->nshas);
    while (k->shas[j].used) {
        if (memcmp(k->shas[j].sha, sha256, 32) == 0)
            return 1;
        j = (j + 1) & (k->nshas - 1);
    }
    return 0;
}

static int ask_find(void *ctx, const char *path, const char *member, ingest_known_info *out)
{
    return ingest_known_find(ctx, path, member, out);
}

static int ask_content(void *ctx, const uint8_t sha256[32])
{
    return ingest_known_has_content(ctx, sha256);
}

ingest_known_ask ingest_known_asking(const ingest_known *k)
{
    return (ingest_known_ask){ask_find, ask_content, (void *)k};
}
