/*
 * recall.c - one record back from its source object: read the file (or the
 * archive member), check its SHA-256 against the manifest's, decompress,
 * and cut the record at its offset with the JSON scanner. A few objects
 * stay decompressed in a small LRU cache, failures included, so that a
 * report touching many records of one object reads it once.
 */
#define _GNU_SOURCE
#include "recall.h"

#include "bundle.h"
#include "gz.h"
#include "json/json.h"

#include "common/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RECALL_SLOTS 4
#define RECALL_MAX_ENTRIES 1000000

typedef struct slot {
    char *path, *member;
    uint8_t sha[32];
    int has_sha;
    tt_status status; /* of loading it */
    char msg[TT_ERRMSG_MAX];
    tt_buf data;   /* decompressed */
    uint64_t used; /* LRU clock */
} slot;

struct ingest_recall {
    size_t cap;
    char *base_dir;
    ingest_gz *gz;
    tt_buf stored;
    slot slots[RECALL_SLOTS];
    uint64_t clock;
};

ingest_recall *ingest_recall_create(size_t max_object_bytes, const char *base_dir)
{
    ingest_recall *r = tt_xcalloc(1, sizeof *r);
    r->cap = max_object_bytes;
    r->base_dir = base_dir ? tt_xstrdup(base_dir) : NULL;
    r->gz = ingest_gz_create();
    tt_buf_init(&r->stored, max_object_bytes);
    for (int i = 0; i < RECALL_SLOTS; i++)
        tt_buf_init(&r->slots[i].data, max_object_bytes);
    return r;
}

void ingest_recall_free(ingest_recall *r)
{
    if (!r)
        return;
    for (int i = 0; i < RECALL_SLOTS; i++) {
        free(r->slots[i].path);
        free(r->slots[i].member);
        tt_buf_free(&r->slots[i].data);
    }
    tt_buf_free(&r->stored);
    ingest_gz_free(r->gz);
    free(r->base_dir);
    free(r);
}

/* Opens path, or base_dir/path when a relative path is not found here. */
static int open_evidence(ingest_recall *r, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0 || errno != ENOENT || path[0] == '/' || !r->base_dir)
        return fd;
    char alt[4096];
    int w = snprintf(alt, sizeof alt, "%s/%s", r->base_dir, path);
    if (w < 0 || (size_t)w >= sizeof alt) {
        errno = ENAMETOOLONG;
        return -1;
    }
    fd = open(alt, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        errno = ENOENT; /* report the path as the store has it */
    return fd;
}

static tt_status read_file(ingest_recall *r, const char *path, tt_error *err)
{
    char eb[128];
    tt_status st = TT_OK;
    if (strcmp(path, "-") == 0)
        return tt_fail(err, TT_ERR_IO, "it was read from stdin, which is not kept");
    int fd = open_evidence(r, path);
    if (fd < 0)
        return tt_fail(err, TT_ERR_IO, "source object %s is gone (%s)", path,
                       tt_errno_text(errno, eb, sizeof eb));
    struct stat sb;
    tt_buf_reset(&r->stored);
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        st = tt_fail(err, TT_ERR_IO, "source object %s is not a regular file", path);
        goto out;
    }
    if ((uint64_t)sb.st_size > r->cap || tt_buf_reserve(&r->stored, (size_t)sb.st_size + 1) != 0) {
        st = tt_fail(err, TT_ERR_LIMIT, "source object %s is over the cap of %zu bytes", path,
                     r->cap);
        goto out;
    }
    for (;;) {
        if (tt_buf_reserve(&r->stored, 1 << 16) != 0) {
            st = tt_fail(err, TT_ERR_LIMIT, "source object %s grew over the cap", path);
            goto out;
        }
        ssize_t n = read(fd, r->stored.data + r->stored.len, r->stored.alloc - r->stored.len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            st = tt_fail(err, TT_ERR_IO, "source object %s: read failed: %s", path,
                         tt_errno_text(errno, eb, sizeof eb));
            goto out;
        }
        if (n == 0)
            break;
        r->stored.len += (size_t)n;
    }
out:
    close(fd);
    return st;
}

typedef struct member_ctx {
    const char *want;
    tt_buf *into;
    int found;
} member_ctx;

static tt_status on_member(void *ctx, const char *name, const uint8_t *data, size_t len,
                           const char *why, tt_error *err)
{
    member_ctx *mc = ctx;
    if (mc->found || strcmp(name, mc->want) != 0 || !data)
        return TT_OK;
    mc->found = 1;
    tt_buf_reset(mc->into);
    if (tt_buf_append(mc->into, data, len) != 0)
        return tt_fail(err, TT_ERR_LIMIT, "member %s is over the cap", name);
    return TT_OK;
}

static tt_status read_member(ingest_recall *r, const char *path, const char *member, tt_error *err)
{
    char eb[128], alt[4096];
    const char *p = path;
    if (access(path, R_OK) != 0 && errno == ENOENT && path[0] != '/' && r->base_dir) {
        int w = snprintf(alt, sizeof alt, "%s/%s", r->base_dir, path);
        if (w > 0 && (size_t)w < sizeof alt && access(alt, R_OK) == 0)
            p = alt;
    }
    if (access(p, R_OK) != 0)
        return tt_fail(err, TT_ERR_IO, "source archive %s is gone (%s)", path,
                       tt_errno_text(errno, eb, sizeof eb));
    tt_buf scratch;
    tt_buf_init(&scratch, r->cap);
    member_ctx mc = {member, &r->stored, 0};
    uint8_t whole[32];
    int64_t size = 0;
    tt_status st =
        ingest_archive_each(p, RECALL_MAX_ENTRIES, &scratch, on_member, &mc, whole, &size, err);
    tt_buf_free(&scratch);
    if (st == TT_OK && !mc.found)
        st = tt_fail(err, TT_ERR_NOTFOUND, "archive %s no longer holds %s", path, member);
    return st;
}

static void sha256(const void *p, size_t n, uint8_t out[32])
{
    unsigned int len = 32;
    EVP_Digest(p, n, out, &len, EVP_sha256(), NULL);
}

/* Reads, checks and decompresses an object into slot s. */
static tt_status load(ingest_recall *r, slot *s, const char *path, const char *member,
                      tt_error *err)
{
    tt_status st = member[0] ? read_member(r, path, member, err) : read_file(r, path, err);
    if (st != TT_OK)
        return st;
    const char *what = member[0] ? member : path;
    if (s->has_sha) {
        uint8_t now[32];
        sha256(r->stored.data, r->stored.len, now);
        if (memcmp(now, s->sha, 32) != 0)
            return tt_fail(err, TT_ERR_FORMAT,
                           "source object %s changed since it was ingested (SHA-256 differs): not "
                           "used as evidence",
                           what);
    }
    if (ingest_gz_is_gzip(r->stored.data, r->stored.len)) {
        tt_error gerr;
        if (ingest_gunzip(r->gz, (const uint8_t *)r->stored.data, r->stored.len, &s->data, "gzip",
                          &gerr) != TT_OK)
            return tt_fail(err, gerr.status, "source object %s: %s", what, gerr.msg);
        return TT_OK;
    }
    tt_buf_reset(&s->data);
    if (tt_buf_append(&s->data, r->stored.data, r->stored.len) != 0)
        return tt_fail(err, TT_ERR_LIMIT, "source object %s is over the cap", what);
    return TT_OK;
}

static slot *find_slot(ingest_recall *r, const char *path, const char *member, const uint8_t *sha,
                       tt_error *err)
{
    slot *s = NULL, *lru = &r->slots[0];
    for (int i = 0; i < RECALL_SLOTS && !s; i++) {
        slot *c = &r->slots[i];
        if (c->path && strcmp(c->path, path) == 0 && strcmp(c->member, member) == 0 &&
            c->has_sha == (sha != NULL) && (!sha || memcmp(c->sha, sha, 32) == 0))
            s = c;
        if (c->used < lru->used)
            lru = c;
    }
    if (!s) {
        s = lru;
        free(s->path);
        free(s->member);
        s->path = tt_xstrdup(path);
        s->member = tt_xstrdup(member);
        s->has_sha = sha != NULL;
        if (sha)
            memcpy(s->sha, sha, 32);
        tt_error lerr;
        tt_error_clear(&lerr);
        s->status = load(r, s, path, member, &lerr);
        snprintf(s->msg, sizeof s->msg, "%s", lerr.msg);
    }
    s->used = ++r->clock;
    if (s->status != TT_OK)
        tt_fail(err, s->status, "%s", s->msg);
    return s;
}

tt_status ingest_recall_record(ingest_recall *r, const char *path, const char *member, uint64_t off,
                               const uint8_t *sha256v, const char **rec, size_t *len, tt_error *err)
{
    *rec = NULL;
    *len = 0;
    slot *s = find_slot(r, path, member ? member : "", sha256v, err);
    if (s->status != TT_OK)
        return s->status;
    if (off >= s->data.len || s->data.data[off] != '{')
        return tt_fail(err, TT_ERR_FORMAT, "no record starts at byte %llu of %s",
                       (unsigned long long)off, member && member[0] ? member : path);
    json_scanner sc;
    json_init(&sc, s->data.data + off, s->data.len - (size_t)off, 64);
    if (json_skip_value(&sc) != TT_OK)
        return tt_fail(err, TT_ERR_FORMAT, "the record at byte %llu of %s is not valid JSON",
                       (unsigned long long)off, member && member[0] ? member : path);
    *rec = s->data.data + off;
    *len = (size_t)(sc.p - *rec);
    return TT_OK;
}

/* ---- fields ------------------------------------------------------------- */

/* Copies JSON text without the whitespace between tokens. */
static void compact(const char *p, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    int in_str = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        char c = p[i];
        if (in_str) {
            if (c == '\\' && i + 1 < n) {
                if (o + 2 >= cap)
                    break;
                out[o++] = c;
                c = p[++i];
            } else if (c == '"') {
                in_str = 0;
            }
        } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            continue;
        } else if (c == '"') {
            in_str = 1;
        }
        out[o++] = c;
    }
    out[o] = '\0';
    if (o + 1 >= cap && cap > 4)
        memcpy(out + cap - 4, "...", 4);
}

static int key_is(const json_str *k, const char *seg, size_t n)
{
    return !k->escaped && k->n == n && memcmp(k->p, seg, n) == 0;
}

/* Moves the scanner to the value named by seg[0..n) in the object or array
 * at the cursor. Returns 1 when there, 0 when absent. */
static int step(json_scanner *sc, const char *seg, size_t n)
{
    int c = json_peek(sc);
    char *end;
    if (c == '{') {
        if (json_open(sc) != TT_OK)
            return 0;
        json_str k;
        for (int first = 1, more; (more = json_obj_next(sc, &k, first)) == 1; first = 0) {
            if (key_is(&k, seg, n))
                return 1;
            if (json_skip_value(sc) != TT_OK)
                return 0;
        }
        return 0;
    }
    if (c == '[') {
        char num[24];
        if (n == 0 || n >= sizeof num)
            return 0;
        memcpy(num, seg, n);
        num[n] = '\0';
        long idx = strtol(num, &end, 10);
        if (*end || idx < 0 || json_open(sc) != TT_OK)
            return 0;
        for (int first = 1; json_arr_next(sc, first) == 1; first = 0, idx--) {
            if (idx == 0)
                return 1;
            if (json_skip_value(sc) != TT_OK)
                return 0;
        }
    }
    return 0;
}

int ingest_recall_field(const char *rec, size_t len, const char *path, char *out, size_t cap)
{
    out[0] = '\0';
    json_scanner sc;
    json_init(&sc, rec, len, 64);
    for (const char *seg = path;;) {
        const char *dot = strchr(seg, '.');
        size_t n = dot ? (size_t)(dot - seg) : strlen(seg);
        if (!step(&sc, seg, n))
            return 0;
        if (!dot)
            break;
        seg = dot + 1;
    }
    int c = json_peek(&sc);
    if (c == 'n')
        return 0;
    if (c == '"') {
        json_str v;
        if (json_string(&sc, &v) != TT_OK)
            return 0;
        char *tmp = tt_xmalloc(v.n + 1);
        size_t bad, m = v.escaped ? json_unescape(v.p, v.n, tmp, &bad) : v.n;
        if (!v.escaped)
            memcpy(tmp, v.p, v.n);
        if (m == (size_t)-1)
            m = 0;
        if (m >= cap) {
            m = cap - 1;
            if (cap > 4)
                memcpy(tmp + cap - 4, "...", 3);
        }
        memcpy(out, tmp, m);
        out[m] = '\0';
        free(tmp);
        return 1;
    }
    const char *start = sc.p;
    if (json_skip_value(&sc) != TT_OK)
        return 0;
    compact(start, (size_t)(sc.p - start), out, cap);
    return 1;
}
