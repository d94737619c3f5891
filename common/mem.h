/*
 * mem.h - allocation that aborts with a message on out-of-memory, and a
 * growable byte buffer with a mandatory size cap (after curl's dynbuf).
 *
 * Sizes that come from input must be checked against a named cap before
 * they reach these functions; tt_buf enforces its cap itself.
 */
#ifndef TT_MEM_H
#define TT_MEM_H

#include <stddef.h>

void *tt_xmalloc(size_t n);
void *tt_xcalloc(size_t count, size_t size);
void *tt_xrealloc(void *p, size_t n);
char *tt_xstrdup(const char *s);
char *tt_xstrndup(const char *s, size_t n);
/* tt_xrealloc for buffers that may grow large (a decompressed object, an
 * object's events): from TT_BIG_BYTES on, the block is marked for
 * transparent huge pages, so that filling it costs one page fault per
 * 2 MiB instead of one per 4 KiB (the kernel's own choice when its THP
 * mode is "madvise"; a hint only, ignored where unsupported). */
#define TT_BIG_BYTES ((size_t)4 << 20)
void *tt_xrealloc_big(void *p, size_t n);

/* A byte buffer. `data` is owned; always NUL-terminated after a successful
 * append (the NUL is not counted in len). */
typedef struct tt_buf {
    char *data;
    size_t len;
    size_t alloc;
    size_t cap; /* the most bytes it may ever hold */
    int over;   /* an append or reserve passed the cap since the last
                   init or reset (sticky, as curl's dynbuf): writers that
                   append many pieces check it once at the end */
} tt_buf;

void tt_buf_init(tt_buf *b, size_t cap);
/* Returns 0, or -1 when the append would pass the cap (b is unchanged). */
int tt_buf_append(tt_buf *b, const void *p, size_t n);
/* Makes room for at least n more bytes; -1 past the cap. */
int tt_buf_reserve(tt_buf *b, size_t n);
void tt_buf_reset(tt_buf *b);
void tt_buf_free(tt_buf *b);

#endif /* TT_MEM_H */
