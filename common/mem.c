/*
 * mem.c - aborting allocators and the capped byte buffer.
 */
#define _GNU_SOURCE
#include "mem.h"

#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static void oom(size_t n)
{
    fprintf(stderr, "trailtrim: out of memory (asked for %zu bytes)\n", n);
    abort();
}

void *tt_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *tt_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        oom(count * size);
    return p;
}

void *tt_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

void *tt_xrealloc_big(void *p, size_t n)
{
    char *q = tt_xrealloc(p, n);
#ifdef MADV_HUGEPAGE
    if (n >= TT_BIG_BYTES) {
        /* The whole mapping, not its 2 MiB-aligned inside: advice on a
         * part splits the mapping in three, and a later realloc can no
         * longer grow it in place (mremap fails; glibc copies it, holding
         * both). A block this big is a mapping of its own (cmd_ingest.c
         * sets the mmap threshold to 256 KiB), whose header shares its first
         * page; the kernel backs the aligned 2 MiB inside it with huge
         * pages. */
        const uintptr_t page = 4096;
        uintptr_t lo = (uintptr_t)q & ~(page - 1);
        uintptr_t hi = ((uintptr_t)q + n + page - 1) & ~(page - 1);
        madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
    }
#endif
    return q;
}

char *tt_xstrdup(const char *s)
{
    return tt_xstrndup(s, strlen(s));
}

char *tt_xstrndup(const char *s, size_t n)
{
    char *p = tt_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void tt_buf_init(tt_buf *b, size_t cap)
{
    b->data = NULL;
    b->len = 0;
    b->alloc = 0;
    b->cap = cap;
    b->over = 0;
}

int tt_buf_reserve(tt_buf *b, size_t n)
{
    if (n > b->cap || b->len > b->cap - n) {
        b->over = 1;
        return -1;
    }
    size_t need = b->len + n + 1;
    if (need <= b->alloc)
        return 0;
    size_t a = b->alloc ? b->alloc : 256;
    while (a < need)
        a = a > SIZE_MAX / 2 ? need : a * 2;
    if (a > b->cap + 1)
        a = b->cap + 1;
    b->data = tt_xrealloc_big(b->data, a);
    b->alloc = a;
    return 0;
}

int tt_buf_append(tt_buf *b, const void *p, size_t n)
{
    if (tt_buf_reserve(b, n) != 0)
        return -1;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

void tt_buf_reset(tt_buf *b)
{
    b->len = 0;
    b->over = 0;
    if (b->data)
        b->data[0] = '\0';
}

void tt_buf_free(tt_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->alloc = 0;
}
