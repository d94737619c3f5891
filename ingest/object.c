/*
 * object.c - the work for one input object on a worker thread: read it
 * (capped), hash it, compare with what the store recorded, decompress,
 * parse, and emit one result. Archives emit one result per entry and one
 * for the archive itself, last.
 */
#define _GNU_SOURCE
#include "run_int.h"

#include "bundle.h"
#include "pack.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static void sha256(const void *p, size_t n, uint8_t out[32])
{
    unsigned int len = 32;
    EVP_Digest(p, n, out, &len, EVP_sha256(), NULL);
}

static result *start(worker *w, const char *path, const char *member,
                     ingest_container c)
{
    result *res = ingest_run_result_get(w->r);
    res->path = tt_xstrdup(path);
    res->member = tt_xstrdup(member ? member : "");
    res->obj.path = res->path;
    res->obj.member = res->member;
    res->obj.container = c;
    return res;
}

static void finish(worker *w, result *res, ingest_outcome outcome, const char *reason)
{
    res->obj.outcome = outcome;
    if (reason) {
        res->reason = tt_xstrdup(reason);
        res->obj.reason = res->reason;
    }
    ingest_run_emit(w->r, res);
}

/* Reads a whole file (or stdin) into w->stored, capped. */
static tt_status read_all(worker *w, const ingest_walk_item *it, tt_error *err)
{
    char eb[128];
    tt_status st = TT_OK;
    int fd = it->is_stdin ? 0 : open(it->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return tt_fail(err, TT_ERR_IO, "cannot open: %s", tt_errno_text(errno, eb, sizeof eb));
    tt_buf_reset(&w->stored);
    struct stat st0;
    if (!it->is_stdin && (fstat(fd, &st0) != 0 || !S_ISREG(st0.st_mode))) {
        st = tt_fail(err, TT_ERR_IO, "not a regular file");
        goto out;
    }
    if (!it->is_stdin && (uint64_t)st0.st_size > w->stored.cap) {
        st = tt_fail(err, TT_ERR_LIMIT, "%lld bytes is over the cap of %zu bytes per object",
                     (long long)st0.st_size, w->stored.cap);
        goto out;
    }
    if (!it->is_stdin && tt_buf_reserve(&w->stored, (size_t)st0.st_size) != 0) {
        st = tt_fail(err, TT_ERR_LIMIT, "over the cap of %zu bytes per object", w->stored.cap);
        goto out;
    }
    for (;;) {
        if (tt_buf_reserve(&w->stored, 1 << 16) != 0) {
            st = tt_fail(err, TT_ERR_LIMIT, "over the cap of %zu bytes per object", w->stored.cap);
            goto out;
        }
        ssize_t n = read(fd, w->stored.data + w->stored.len, w->stored.alloc - w->stored.len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            st = tt_fail(err, TT_ERR_IO, "read failed: %s", tt_errno_text(errno, eb, sizeof eb));
            goto out;
        }
        if (n == 0)
            break;
        w->stored.len += (size_t)n;
    }
    if (!it->is_stdin && (int64_t)w->stored.len != it->size)
        st = tt_fail(err, TT_ERR_IO, "changed size while being read (%lld bytes at the walk, %zu read)",
                     (long long)it->size, w->stored.len);
out:
    if (!it->is_stdin)
        close(fd);
    return st;
}

static int ends_gz(const char *name)
{
    size_t n = strlen(name);
    return n >= 3 && strcasecmp(name + n - 3, ".gz") == 0;
}

/* What one parsed event costs in memory beyond its bytes, and the bytes
 * of record it is reckoned to come with before the count is known. */
#define EVENT_BYTES (sizeof(tt_event) + sizeof(tt_event_fp))
#define RECORD_BYTES_GUESS 1024

/* The most of tt_event_fp_link's table a worker keeps between objects (an
 * object of 128k events; larger ones have theirs made and dropped). */
#define LINKS_KEEP_BYTES ((size_t)1 << 20)

/* The decompressed size of n stored bytes: what a gzip member's trailer
 * says (CloudTrail's objects are far under 4 GiB); plain data is its own
 * size. */
static size_t inflated_size(const uint8_t *bytes, size_t n)
{
    return ingest_gz_is_gzip(bytes, n) && n >= 18 ? ingest_gz_isize(bytes, n) : n;
}

/* The most decompressed bytes one object may reserve: what the budget
 * can ever grant one reservation (the limit less what the workers hold
 * for the run), with the worker's kept buffer, less what its events are
 * reckoned to take. */
static size_t inflated_max(const worker *w)
{
    const ingest_budget *b = &w->r->budget;
    size_t avail = b->limit - b->standing + w->keep;
    return avail / (RECORD_BYTES_GUESS + EVENT_BYTES) * RECORD_BYTES_GUESS;
}

/* What the parsed events of an object of `json` bytes may take at most:
 * what one reservation can ever get, less the decompressed bytes beyond
 * the kept buffer, shared by each event with its fingerprints. Real
 * records (1 to 2 KB) stay far under it; a crafted object of 50-byte
 * records, each parsed into a 416-byte event, is rejected instead of
 * taking many times the budget. */
static size_t events_room(const worker *w, size_t json, int decompressed)
{
    const ingest_budget *b = &w->r->budget;
    size_t avail = b->limit - b->standing;
    size_t held = decompressed && json > w->keep ? json - w->keep : 0;
    size_t room = held < avail ? avail - held : 0;
    return room / EVENT_BYTES * sizeof(tt_event);
}

/* Reserves in the run's budget, before anything is allocated, what
 * decoding `json` bytes will hold: the events they are reckoned to make
 * (res->charge, the result's until the writer is done with it) and the
 * `inflated` bytes of decompressed object beyond the worker's kept buffer
 * (w->extra, until the worker drops its buffer). */
static int reserve(worker *w, result *res, size_t json, size_t inflated, tt_error *err)
{
    size_t extra = inflated > w->keep ? inflated - w->keep : 0;
    size_t events = json / RECORD_BYTES_GUESS * EVENT_BYTES;
    if (ingest_budget_take(&w->r->budget, extra + events) != 0)
        return tt_fail(err, TT_ERR_INTERRUPTED, "interrupted"), -1;
    w->extra = extra;
    res->charge = events;
    return 0;
}

static void unreserve(worker *w, result *res)
{
    ingest_budget_give(&w->r->budget, w->extra + res->charge);
    w->extra = res->charge = 0;
}

/* The worker's decompressed object, once its events are packed or it
 * failed: kept for the next object up to w->keep, dropped beyond, and
 * what it held beyond the kept size given back. */
static void drop_inflated(worker *w)
{
    if (w->inflated.alloc > w->keep)
        tt_buf_free(&w->inflated);
    tt_buf_reset(&w->inflated);
    ingest_budget_give(&w->r->budget, w->extra);
    w->extra = 0;
}

/* Makes the result's charge `held`, adding to the budget or giving back
 * the difference. */
static void charge_to(worker *w, result *res, size_t held)
{
    if (held > res->charge)
        ingest_budget_add(&w->r->budget, held - res->charge);
    else
        ingest_budget_give(&w->r->budget, res->charge - held);
    res->charge = held;
}

/* After parsing: what the result really holds (the parser's events and
 * arena, the fingerprints and the worker's table that links their
 * repeats), when more than reserved (records smaller than the guess, or a
 * small object in a parser's first blocks), is added to its charge. */
static void settle(worker *w, result *res, size_t nev)
{
    size_t held = ingest_parser_bytes(res->parser) + res->afps * sizeof *res->fps +
                  tt_event_fp_link_bytes(nev);
    if (held > res->charge)
        charge_to(w, res, held);
}

/* Once the events are parsed, fingerprinted and linked: their strings
 * copied into res->packed (pack.h), so that the decompressed object can
 * go (drop_inflated) before the result waits for the writer, and what
 * the result holds no longer (the link table) given back. A queued
 * object then holds a fourth to a third of its decompressed size (its
 * events, their fingerprints and the copies), so that the bytes the
 * writer has yet to take leave the workers room for the next objects. */
static void pack(worker *w, result *res, size_t nev)
{
    tt_event *evs = ingest_parser_events(res->parser);
    size_t need = ingest_pack_bytes(evs, res->fps, nev);
    if (need > res->apacked) {
        free(res->packed);
        res->packed = tt_xmalloc(need);
        res->apacked = need;
    }
    ingest_pack(evs, res->fps, nev, res->packed);
    charge_to(w, res, ingest_parser_bytes(res->parser) + res->afps * sizeof *res->fps + res->apacked);
}

/* Gunzips into w->inflated within a reservation: first as much as the
 * trailer announces (exact for every honest object), and when the data
 * goes on past that (a damaged or crafted trailer), again with four times
 * the room, up to the object cap or what the budget allows. */
static int gunzip_reserved(worker *w, result *res, const uint8_t *bytes, size_t n, tt_error *err)
{
    tt_buf *out = &w->inflated;
    size_t cap = out->cap, most = inflated_max(w);
    size_t room = inflated_size(bytes, n);
    if (room < n)
        room = n;
    for (;;) {
        if (room > cap)
            room = cap;
        if (room > most)
            room = most;
        if (reserve(w, res, room, room + 1, err) != 0)
            return -1;
        out->cap = room;
        tt_status st = ingest_gunzip(w->gz, bytes, n, out, "gzip", err);
        out->cap = cap;
        if (st == TT_OK)
            return 0;
        if (st != TT_ERR_LIMIT || room >= cap)
            return -1;
        unreserve(w, res);
        drop_inflated(w);
        if (room >= most)
            return tt_fail(err, TT_ERR_LIMIT,
                           "decompresses past %zu MiB, over the memory budget of %zu MiB for"
                           " objects in flight (decompression bomb? or raise --memory)",
                           room >> 20, w->r->budget.limit >> 20), -1;
        room = room > most / 4 ? most : room * 4;
    }
}

/* A partial object: the one-line reason for the manifest (how many, where
 * the first few are, the first one's reason) and the detail for stderr. */
static void note_left_out(result *res)
{
    const ingest_parser *p = res->parser;
    size_t nbad = ingest_parser_left_out(p), total = nbad + res->obj.nevents, used;
    char line[INGEST_BAD_WHAT + 128], reason[2048];
    tt_buf detail;
    tt_buf_init(&detail, (size_t)64 << 10);
    ingest_parser_left_out_text(p, 0, 1, line, sizeof line);
    used = (size_t)snprintf(reason, sizeof reason, "%zu of %zu records rejected, the first at %s",
                            nbad, total, line);
    for (size_t i = 1; i < nbad && i < INGEST_BAD_KEPT && used < sizeof reason; i++) {
        ingest_parser_left_out_text(p, i, 0, line, sizeof line);
        used += (size_t)snprintf(reason + used, sizeof reason - used, "%s%s",
                                 i == 1 ? "; others at " : ", ", line);
    }
    if (nbad > INGEST_BAD_KEPT && used < sizeof reason)
        snprintf(reason + used, sizeof reason - used, " and %zu more",
                 nbad - INGEST_BAD_KEPT);
    for (size_t i = 0; i < nbad && i < INGEST_BAD_KEPT; i++) {
        ingest_parser_left_out_text(p, i, 1, line, sizeof line);
        tt_buf_append(&detail, "rejected ", 9);
        tt_buf_append(&detail, line, strlen(line));
        tt_buf_append(&detail, "\n", 1);
    }
    if (nbad > INGEST_BAD_KEPT) {
        snprintf(line, sizeof line, "and %zu more records rejected", nbad - INGEST_BAD_KEPT);
        tt_buf_append(&detail, line, strlen(line));
        tt_buf_append(&detail, "\n", 1);
    }
    detail.len = detail.len ? detail.len - 1 : 0; /* no newline at the end */
    res->reason = tt_xstrdup(reason);
    res->detail = tt_xmalloc(detail.len + 1);
    memcpy(res->detail, detail.data ? detail.data : "", detail.len);
    res->detail[detail.len] = '\0';
    tt_buf_free(&detail);
    res->obj.left_out = nbad;
    res->obj.reason = res->reason;
    res->obj.detail = res->detail;
}

/* Decompresses (when gzip) and parses bytes into res, within the run's
 * memory budget, and packs the events' strings. On failure writes the
 * reason into err and returns non-zero. */
static int decode_into(worker *w, result *res, const uint8_t *bytes, size_t n, const char *name,
                       tt_error *err)
{
    const char *json = (const char *)bytes;
    size_t len = n;
    if (n == 0)
        return tt_fail(err, TT_ERR_FORMAT, "empty file (a partial download?)"), -1;
    if (ingest_gz_is_gzip(bytes, n)) {
        if (gunzip_reserved(w, res, bytes, n, err) != 0)
            return -1;
        json = w->inflated.data;
        len = w->inflated.len;
    } else if (ends_gz(name)) {
        return tt_fail(err, TT_ERR_FORMAT, "named .gz but not gzip data (starts with %02x %02x)",
                       bytes[0], n > 1 ? bytes[1] : 0), -1;
    } else if (n > w->inflated.cap) {
        return tt_fail(err, TT_ERR_LIMIT, "%zu bytes of JSON exceeds the cap of %zu bytes per object",
                       n, w->inflated.cap), -1;
    } else if (n > inflated_max(w)) {
        return tt_fail(err, TT_ERR_LIMIT,
                       "%zu MiB of JSON is over the memory budget of %zu MiB for objects in flight"
                       " (raise --memory)", n >> 20, w->r->budget.limit >> 20), -1;
    } else if (reserve(w, res, n, 0, err) != 0) {
        return -1; /* parsed where it was read: only its events to reserve */
    }
    atomic_fetch_add(&w->r->progress->bytes_inflated, (long long)len);
    if (ingest_looks_like_archive((const uint8_t *)json, len))
        return tt_fail(err, TT_ERR_FORMAT, "a nested archive (bundles inside bundles are not read)"), -1;
    const tt_event *evs = NULL;
    size_t nev = 0;
    ingest_kind kind = INGEST_KIND_EVENTS;
    ingest_parser_set_limit(res->parser, events_room(w, len, json != (const char *)bytes));
    if (ingest_parse_object(res->parser, json, len, &kind, &evs, &nev, err) != TT_OK)
        return -1;
    if (nev > res->afps) {
        res->afps = nev;
        res->fps = tt_xrealloc_big(res->fps, nev * sizeof *res->fps);
    }
    settle(w, res, nev);
    for (size_t i = 0; i < nev; i++)
        tt_event_fingerprint(&evs[i], json, &res->fps[i]);
    tt_event_fp_link(res->fps, nev, &w->links, &w->alinks);
    if (w->alinks * sizeof *w->links > LINKS_KEEP_BYTES) {
        free(w->links);
        w->links = NULL;
        w->alinks = 0;
    }
    res->obj.kind = kind;
    res->obj.events = evs;
    res->obj.fps = res->fps;
    res->obj.nevents = nev;
    if (ingest_parser_left_out(res->parser) > 0)
        note_left_out(res);
    pack(w, res, nev);
    atomic_fetch_add(&w->r->progress->events_parsed, (long long)nev);
    return 0;
}

static int decode(worker *w, result *res, const uint8_t *bytes, size_t n, const char *name,
                  tt_error *err)
{
    int rc = decode_into(w, res, bytes, n, name, err);
    drop_inflated(w);
    return rc;
}

/* What earlier runs recorded of (path, member), and whether they loaded
 * these bytes under any name (ingest.h: a question that failed is a no). */
static int known_find(const worker *w, const char *path, const char *member,
                      ingest_known_info *out)
{
    const ingest_known_ask *k = &w->r->opt->known;
    return k->find && k->find(k->ctx, path, member, out) == 1;
}

static int known_content(const worker *w, const uint8_t sha256[32])
{
    const ingest_known_ask *k = &w->r->opt->known;
    return k->has_content && k->has_content(k->ctx, sha256) == 1;
}

/* Compares hashed content with the record of the same name and content.
 * Returns 1 when res was finished here (skipped, changed, same content). */
static int judge_known(worker *w, result *res, int found, const ingest_known_info *k)
{
    char why[160];
    if (found && memcmp(k->sha256, res->obj.sha256, 32) == 0) {
        res->obj.recorded_rejected = k->state == INGEST_KNOWN_REJECTED;
        finish(w, res, INGEST_SKIPPED, NULL);
        return 1;
    }
    if (found && k->state == INGEST_KNOWN_LOADED) {
        snprintf(why, sizeof why,
                 "content changed since it was recorded (%lld bytes then, %lld now): possible tampering",
                 (long long)k->size, (long long)res->obj.size);
        finish(w, res, INGEST_CHANGED, why);
        return 1;
    }
    if (!found && known_content(w, res->obj.sha256)) {
        finish(w, res, INGEST_SAME_CONTENT, "same bytes as an object already recorded");
        return 1;
    }
    return 0;
}

static void process_plain(worker *w, ingest_walk_item *it)
{
    tt_error err;
    tt_error_clear(&err);
    ingest_known_info k;
    const char *path = it->is_stdin ? "-" : it->path;
    result *res = start(w, path, "", INGEST_PLAIN);
    int found = !it->is_stdin && known_find(w, path, "", &k);
    res->obj.size = it->size;
    res->obj.mtime_ns = it->mtime_ns;
    if (found && k.size == it->size && k.mtime_ns == it->mtime_ns) {
        memcpy(res->obj.sha256, k.sha256, 32);
        res->obj.recorded_rejected = k.state == INGEST_KNOWN_REJECTED;
        finish(w, res, INGEST_SKIPPED, NULL);
        return;
    }
    if (read_all(w, it, &err) != TT_OK) {
        finish(w, res, INGEST_REJECTED, err.msg);
        return;
    }
    atomic_fetch_add(&w->r->progress->bytes_read, (long long)w->stored.len);
    res->obj.size = (int64_t)w->stored.len;
    sha256(w->stored.data, w->stored.len, res->obj.sha256);
    res->obj.has_sha = 1;
    if (judge_known(w, res, found, &k))
        return;
    if (decode(w, res, (const uint8_t *)w->stored.data, w->stored.len, path, &err) != 0) {
        finish(w, res, INGEST_REJECTED, err.msg);
        return;
    }
    finish(w, res, INGEST_LOADED, NULL);
}

typedef struct archive_ctx {
    worker *w;
    const char *path;
} archive_ctx;

static tt_status on_entry(void *ctx, const char *name, const uint8_t *data, size_t len,
                          const char *why, tt_error *err)
{
    archive_ctx *ac = ctx;
    worker *w = ac->w;
    tt_error perr;
    tt_error_clear(&perr);
    if (atomic_load(&w->r->halt))
        return tt_fail(err, TT_ERR_INTERRUPTED, "interrupted");
    result *res = start(w, ac->path, name, INGEST_MEMBER);
    res->obj.size = (int64_t)len;
    if (why) {
        finish(w, res, INGEST_REJECTED, why);
        return TT_OK;
    }
    atomic_fetch_add(&w->r->progress->bytes_read, (long long)len);
    sha256(data, len, res->obj.sha256);
    res->obj.has_sha = 1;
    ingest_known_info k;
    int found = known_find(w, ac->path, name, &k);
    if (judge_known(w, res, found, &k))
        return TT_OK;
    if (decode(w, res, data, len, name, &perr) != 0)
        finish(w, res, INGEST_REJECTED, perr.msg);
    else
        finish(w, res, INGEST_LOADED, NULL);
    return TT_OK;
}

static void process_archive(worker *w, ingest_walk_item *it)
{
    tt_error err;
    tt_error_clear(&err);
    ingest_known_info k;
    result *res = start(w, it->path, "", INGEST_ARCHIVE);
    res->obj.size = it->size;
    res->obj.mtime_ns = it->mtime_ns;
    if (known_find(w, it->path, "", &k) && k.size == it->size &&
        k.mtime_ns == it->mtime_ns) {
        memcpy(res->obj.sha256, k.sha256, 32);
        finish(w, res, INGEST_SKIPPED, NULL);
        return;
    }
    archive_ctx ac = {w, it->path};
    int64_t size = 0;
    tt_status st = ingest_archive_each(it->path, w->r->opt->max_archive_entries, &w->entry,
                                       on_entry, &ac, res->obj.sha256, &size, &err);
    if (st != TT_OK) {
        finish(w, res, INGEST_REJECTED, err.msg);
        return;
    }
    res->obj.size = size;
    res->obj.has_sha = 1;
    res->obj.kind = INGEST_KIND_EVENTS;
    finish(w, res, INGEST_LOADED, NULL);
}

void ingest_object_process(worker *w, ingest_walk_item *item)
{
    if (item->problem) {
        result *res = start(w, item->path, "", INGEST_PLAIN);
        finish(w, res, INGEST_REJECTED, item->problem);
        atomic_fetch_add(&w->r->progress->walk_errors, 1);
    } else if (item->is_archive && !item->is_stdin) {
        process_archive(w, item);
    } else {
        process_plain(w, item);
    }
    ingest_walk_item_free(item);
}
