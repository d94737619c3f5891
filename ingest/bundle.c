/*
 * bundle.c - tar and zip bundles through libarchive. The file is read by
 * our own callback so that the bytes libarchive sees are the bytes hashed.
 */
#define _GNU_SOURCE
#include "bundle.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_BLOCK (1 << 20)

typedef struct reader {
    int fd;
    unsigned char *block;
    EVP_MD_CTX *md;
    int64_t total;
    int read_errno;
} reader;

static la_ssize_t read_cb(struct archive *a, void *ud, const void **out)
{
    reader *r = ud;
    ssize_t n;
    do {
        n = read(r->fd, r->block, READ_BLOCK);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        r->read_errno = errno;
        archive_set_error(a, errno, "read failed");
        return -1;
    }
    EVP_DigestUpdate(r->md, r->block, (size_t)n);
    r->total += n;
    *out = r->block;
    return n;
}

int ingest_is_archive_name(const char *name)
{
    size_t n = strlen(name);
    static const char *const ends[] = {".tar", ".tar.gz", ".tgz", ".zip"};
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
        size_t e = strlen(ends[i]);
        if (n >= e && strcasecmp(name + n - e, ends[i]) == 0)
            return 1;
    }
    return 0;
}

int ingest_looks_like_archive(const uint8_t *p, size_t n)
{
    if (n >= 4 && p[0] == 'P' && p[1] == 'K' && p[2] == 3 && p[3] == 4)
        return 1;
    if (n >= 262 && memcmp(p + 257, "ustar", 5) == 0)
        return 1;
    return 0;
}

static const char *entry_kind(mode_t type)
{
    switch (type) {
    case AE_IFLNK: return "a symbolic link";
    case AE_IFCHR: return "a character device";
    case AE_IFBLK: return "a block device";
    case AE_IFIFO: return "a FIFO";
    case AE_IFSOCK: return "a socket";
    default: return "not a regular file";
    }
}

/* Reads the current entry's data into buf, or says why it cannot. */
static tt_status read_entry(struct archive *a, struct archive_entry *e, tt_buf *buf,
                            const char **why, char *whybuf, size_t whylen)
{
    tt_buf_reset(buf);
    *why = NULL;
    if (archive_entry_size_is_set(e) && archive_entry_size(e) > (la_int64_t)buf->cap) {
        snprintf(whybuf, whylen, "entry of %lld bytes is over the cap of %zu",
                 (long long)archive_entry_size(e), buf->cap);
        *why = whybuf;
        return TT_OK;
    }
    for (;;) {
        if (tt_buf_reserve(buf, 65536) != 0) {
            snprintf(whybuf, whylen, "entry is over the cap of %zu bytes", buf->cap);
            *why = whybuf;
            return TT_OK;
        }
        la_ssize_t n = archive_read_data(a, buf->data + buf->len, 65536);
        if (n < 0)
            return TT_ERR_FORMAT;
        if (n == 0)
            return TT_OK;
        buf->len += (size_t)n;
    }
}

static tt_status walk_entries(struct archive *a, const char *path, size_t max_entries,
                              tt_buf *buf, ingest_entry_fn fn, void *ctx, tt_error *err)
{
    struct archive_entry *e;
    size_t count = 0;
    char whybuf[160];
    for (;;) {
        int rc = archive_read_next_header(a, &e);
        if (rc == ARCHIVE_EOF)
            return TT_OK;
        if (rc < ARCHIVE_WARN)
            return tt_fail(err, TT_ERR_FORMAT, "%s: damaged archive after %zu entries: %s", path,
                           count, archive_error_string(a));
        if (++count > max_entries)
            return tt_fail(err, TT_ERR_LIMIT, "%s: more than %zu entries", path, max_entries);
        const char *name = archive_entry_pathname(e);
        if (!name)
            name = "(unnamed entry)";
        mode_t type = archive_entry_filetype(e);
        if (type == AE_IFDIR)
            continue;
        const char *why = NULL;
        if (type != AE_IFREG || archive_entry_hardlink(e)) {
            why = type == AE_IFREG ? "a hard link" : entry_kind(type);
        } else if (read_entry(a, e, buf, &why, whybuf, sizeof whybuf) != TT_OK) {
            return tt_fail(err, TT_ERR_FORMAT, "%s: entry \"%s\": %s", path, name,
                           archive_error_string(a));
        }
        tt_status st = why ? fn(ctx, name, NULL, 0, why, err)
                           : fn(ctx, name, (const uint8_t *)buf->data, buf->len, NULL, err);
        if (st != TT_OK)
            return st;
    }
}

tt_status ingest_archive_each(const char *path, size_t max_entries, tt_buf *buf,
                              ingest_entry_fn fn, void *ctx, uint8_t sha256[32],
                              int64_t *size, tt_error *err)
{
    tt_status st = TT_OK;
    struct archive *a = NULL;
    reader r = {.fd = -1};
    char eb[128];
    r.fd = open(path, O_RDONLY | O_CLOEXEC);
    if (r.fd < 0) {
        st = tt_fail(err, TT_ERR_IO, "%s: %s", path, tt_errno_text(errno, eb, sizeof eb));
        goto out;
    }
    r.block = tt_xmalloc(READ_BLOCK);
    r.md = EVP_MD_CTX_new();
    if (!r.md || !EVP_DigestInit_ex(r.md, EVP_sha256(), NULL)) {
        st = tt_fail(err, TT_ERR_IO, "%s: cannot start SHA-256", path);
        goto out;
    }
    a = archive_read_new();
    archive_read_support_format_tar(a);
    archive_read_support_format_zip(a);
    archive_read_support_filter_gzip(a);
    if (archive_read_open(a, &r, NULL, read_cb, NULL) != ARCHIVE_OK) {
        st = tt_fail(err, TT_ERR_FORMAT, "%s: not a tar or zip archive we read: %s", path,
                     archive_error_string(a));
        goto out;
    }
    st = walk_entries(a, path, max_entries, buf, fn, ctx, err);
    if (st != TT_OK)
        goto out;
    /* Hash the whole file, also what libarchive did not need to read. */
    while (read_cb(a, &r, &(const void *){NULL}) > 0)
        ;
    if (r.read_errno) {
        st = tt_fail(err, TT_ERR_IO, "%s: %s", path, tt_errno_text(r.read_errno, eb, sizeof eb));
        goto out;
    }
    unsigned int mdlen = 32;
    EVP_DigestFinal_ex(r.md, sha256, &mdlen);
    *size = r.total;
out:
    if (a)
        archive_read_free(a);
    EVP_MD_CTX_free(r.md);
    free(r.block);
    if (r.fd >= 0)
        close(r.fd);
    return st;
}
