/*
 * cimap.c - the case-insensitive two-part-key hash map (cimap.h): FNV-1a
 * over the lower-cased bytes, linear probing, grown at half full.
 */
#include "cimap.h"

#include "common/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

static uint64_t hash(const char *a, const char *b, size_t bn)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)a; *p; p++)
        h = (h ^ lower(*p)) * 1099511628211ULL;
    h = (h ^ 0x1f) * 1099511628211ULL;
    for (size_t i = 0; i < bn; i++)
        h = (h ^ lower((unsigned char)b[i])) * 1099511628211ULL;
    return h;
}

static int eq(const gen_cimap_slot *s, const char *a, const char *b, size_t bn)
{
    const char *x = s->a;
    for (; *x && *a; x++, a++)
        if (lower((unsigned char)*x) != lower((unsigned char)*a))
            return 0;
    if (*x || *a)
        return 0;
    size_t i = 0;
    for (; i < bn && s->b[i]; i++)
        if (lower((unsigned char)s->b[i]) != lower((unsigned char)b[i]))
            return 0;
    return i == bn && s->b[i] == '\0';
}

void gen_cimap_init(gen_cimap *m)
{
    m->mask = 1023;
    m->count = 0;
    m->slots = tt_xcalloc(m->mask + 1, sizeof *m->slots);
}

void gen_cimap_free(gen_cimap *m)
{
    if (!m)
        return;
    free(m->slots);
    m->slots = NULL;
    m->count = 0;
}

static void grow(gen_cimap *m)
{
    gen_cimap old = *m;
    m->mask = old.mask * 2 + 1;
    m->slots = tt_xcalloc(m->mask + 1, sizeof *m->slots);
    for (size_t i = 0; i <= old.mask; i++) {
        if (!old.slots[i].a)
            continue;
        size_t j = hash(old.slots[i].a, old.slots[i].b, strlen(old.slots[i].b)) & m->mask;
        while (m->slots[j].a)
            j = (j + 1) & m->mask;
        m->slots[j] = old.slots[i];
    }
    free(old.slots);
}

void *gen_cimap_put(gen_cimap *m, const char *a, const char *b, void *value)
{
    if ((m->count + 1) * 2 > m->mask + 1)
        grow(m);
    size_t bn = strlen(b);
    size_t j = hash(a, b, bn) & m->mask;
    for (; m->slots[j].a; j = (j + 1) & m->mask)
        if (eq(&m->slots[j], a, b, bn))
            return m->slots[j].value;
    m->slots[j] = (gen_cimap_slot){a, b, value};
    m->count++;
    return value;
}

void *gen_cimap_get(const gen_cimap *m, const char *a, const char *b, size_t bn)
{
    for (size_t j = hash(a, b, bn) & m->mask; m->slots[j].a; j = (j + 1) & m->mask)
        if (eq(&m->slots[j], a, b, bn))
            return m->slots[j].value;
    return NULL;
}
