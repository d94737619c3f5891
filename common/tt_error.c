/*
 * tt_error.c - the error context: formatting messages and naming statuses.
 */
#define _GNU_SOURCE
#include "tt.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

tt_status tt_fail(tt_error *err, tt_status st, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->status = st;
    }
    return st;
}

void tt_error_clear(tt_error *err)
{
    if (!err)
        return;
    err->status = TT_OK;
    err->msg[0] = '\0';
}

const char *tt_status_name(tt_status st)
{
    switch (st) {
    case TT_OK: return "ok";
    case TT_ERR_IO: return "I/O error";
    case TT_ERR_FORMAT: return "format error";
    case TT_ERR_LIMIT: return "limit exceeded";
    case TT_ERR_STORE: return "store error";
    case TT_ERR_BUSY: return "store busy";
    case TT_ERR_USAGE: return "usage error";
    case TT_ERR_INTERRUPTED: return "interrupted";
    case TT_ERR_NOTFOUND: return "not found";
    }
    return "unknown error";
}

const char *tt_errno_text(int errnum, char *buf, size_t n)
{
    /* GNU strerror_r may return a static string instead of filling buf. */
    return strerror_r(errnum, buf, n);
}
