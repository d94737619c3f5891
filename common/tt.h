/*
 * tt.h - the status codes and the error context shared by every module.
 *
 * Every fallible function returns a tt_status and, on failure, fills the
 * caller-owned tt_error with a message that names the file and the place.
 * Foreign errors (zlib, libdeflate, libarchive, SQLite, errno) are turned
 * into these at the edge of the module that calls the foreign library.
 */
#ifndef TT_H
#define TT_H

#include <stddef.h>
#include <stdint.h>

typedef enum tt_status {
    TT_OK = 0,
    TT_ERR_IO,          /* a read, write, open or stat failed */
    TT_ERR_FORMAT,      /* input is not what it claims to be */
    TT_ERR_LIMIT,       /* input exceeds a named cap */
    TT_ERR_STORE,       /* the SQLite store failed */
    TT_ERR_BUSY,        /* another process holds the store */
    TT_ERR_USAGE,       /* the caller asked for something invalid */
    TT_ERR_INTERRUPTED, /* a signal asked us to stop */
    TT_ERR_NOTFOUND     /* the named thing does not exist */
} tt_status;

#define TT_ERRMSG_MAX 1024

typedef struct tt_error {
    tt_status status;
    char msg[TT_ERRMSG_MAX];
} tt_error;

/* Sets err (if not NULL) and returns st, so that callers can write
 * `return tt_fail(err, TT_ERR_IO, "%s: %s", path, why);`. */
tt_status tt_fail(tt_error *err, tt_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Clears err to TT_OK with an empty message. Accepts NULL. */
void tt_error_clear(tt_error *err);

/* A short English name of a status, e.g. "format error". */
const char *tt_status_name(tt_status st);

/* errno as text, thread-safe (wraps strerror_r). Writes into buf. */
const char *tt_errno_text(int errnum, char *buf, size_t n);

/* A borrowed, length-counted string; not NUL-terminated. Lives as long as
 * the buffer it points into (documented by whoever hands it out). */
typedef struct tt_str {
    const char *p;
    uint32_t n;
} tt_str;

#define TT_STR_NULL ((tt_str){NULL, 0})

static inline int tt_str_eq(tt_str a, const char *lit, size_t litn)
{
    return a.n == litn && (litn == 0 || __builtin_memcmp(a.p, lit, litn) == 0);
}
#define TT_STR_IS(s, lit) tt_str_eq((s), (lit), sizeof(lit) - 1)

#endif /* TT_H */
