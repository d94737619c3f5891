/*
 * writer.c - the ClickHouse backend's write side. Events become
 * RowBinary rows of the events table (column order and types: schema.c), keys
 * that calls minted rows of minted, and each object a manifest row. Events
 * and minted rows go when a batch is full (inserts into a Distributed
 * table wait for every shard). At a checkpoint (every minute, and at the
 * end) the rollup of the days those events fall on is rebuilt from the
 * de-duplicated events, and only then the objects' manifest rows are
 * written: an object is in the manifest only once its events and their
 * rollup are stored. An insert that half-succeeded and is sent again by
 * the next run leaves copies that the ReplacingMergeTree merges, and every
 * exact read goes through FINAL, so nothing counts twice.
 */
#include "ch_int.h"

#include "common/hash.h"
#include "common/hex.h"
#include "common/identity.h"
#include "common/ttime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_MIN ((size_t)4 << 20)
#define BATCH_MAX ((size_t)64 << 20)
#define BATCH_OBJECTS 20000
#define CHECKPOINT_MS 60000
#define ROWS_CAP ((size_t)1 << 30)

int64_t ch_principal_id(const char *arn, size_t n)
{
    int64_t id = (int64_t)(tt_hash64(arn, n, 0x7072696e63ULL) >> 1);
    return id ? id : 1;
}

/* A row's version among copies of one event: the larger wins a merge.
 * From the object's path, so that whichever host stored it, every copy
 * of the store keeps the same copy. */
static uint64_t copy_version(const char *path, const char *member)
{
    return tt_hash64(path, strlen(path), tt_hash64(member, strlen(member), 0x636f7079ULL));
}

static void put(tt_buf *b, const char *s)
{
    ch_tsv_str(b, s, strlen(s));
    tt_buf_append(b, "\t", 1);
}

static void put_int(tt_buf *b, int64_t v, const char *end)
{
    char t[32];
    int n = snprintf(t, sizeof t, "%lld%s", (long long)v, end);
    tt_buf_append(b, t, (size_t)n);
}

static void put_uint(tt_buf *b, uint64_t v, const char *end)
{
    char t[32];
    int n = snprintf(t, sizeof t, "%llu%s", (unsigned long long)v, end);
    tt_buf_append(b, t, (size_t)n);
}

typedef struct obj_ctx {
    const store_object *o;
    const char *sha;
    uint64_t ver;
} obj_ctx;

/* ---- RowBinary: the events and minted rows ----------------------------------
 * Strings are a LEB128 length and the bytes; integers little-endian of
 * the column's width. Half the server's parse time of TabSeparated. */

static void rb_len(tt_buf *b, size_t n)
{
    uint8_t v[10];
    size_t k = 0;
    do {
        v[k++] = (uint8_t)((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
        n >>= 7;
    } while (n);
    tt_buf_append(b, v, k);
}

static void rb_str(tt_buf *b, tt_str s)
{
    rb_len(b, s.n);
    tt_buf_append(b, s.p ? s.p : "", s.n);
}

static void rb_cstr(tt_buf *b, const char *s)
{
    rb_str(b, (tt_str){s, (uint32_t)strlen(s)});
}

static void rb_int(tt_buf *b, uint64_t v, size_t width)
{
    uint8_t le[8];
    for (size_t i = 0; i < width; i++)
        le[i] = (uint8_t)(v >> (8 * i));
    tt_buf_append(b, le, width);
}

static tt_str coverage_account(const tt_event *ev, const char *fallback)
{
    if (ev->recipient_account.n)
        return ev->recipient_account;
    if (fallback && *fallback)
        return (tt_str){fallback, (uint32_t)strlen(fallback)};
    return ev->id_account;
}

static void identity_part(tt_buf *b, const tt_event *ev)
{
    tt_identity who;
    tt_identity_of(ev, &who);
    rb_int(b, (uint64_t)ch_principal_id(who.principal.p ? who.principal.p : "", who.principal.n), 8);
    rb_str(b, who.principal);
    rb_str(b, who.principal_type);
    rb_str(b, who.session);
    const tt_str f[] = {ev->id_type,     ev->id_arn,       ev->id_account,  ev->id_principal,
                        ev->id_user_name, ev->id_invoked_by, ev->issuer_type, ev->issuer_arn,
                        ev->issuer_user, ev->source_identity};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++)
        rb_str(b, f[i]);
    rb_int(b, ev->mfa, 1);
}

static void call_part(tt_buf *b, const tt_event *ev)
{
    static const char svc_type[] = "AwsServiceEvent";
    const tt_str f[] = {ev->event_source, ev->event_name, ev->region,
                        ev->source_ip,    ev->user_agent, ev->error_code};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++)
        rb_str(b, f[i]);
    rb_int(b, (uint64_t)tt_error_class(ev->error_code), 1);
    rb_str(b, ev->event_type);
    rb_str(b, ev->event_category);
    rb_str(b, ev->recipient_account);
    rb_str(b, ev->event_version);
    rb_int(b, ev->read_only, 1);
    rb_int(b, ev->management, 1);
    rb_int(b, ev->id_invoked_by.n > 0, 1);
    rb_int(b, tt_str_eq(ev->event_type, svc_type, sizeof svc_type - 1), 1);
    rb_str(b, ev->minted_key);
    rb_str(b, ev->request_shape);
}

static void event_row(ch_store *s, const obj_ctx *oc, const tt_event *ev, int64_t eid)
{
    tt_buf *b = &s->ev_rows;
    rb_str(b, ev->id_access_key);
    rb_int(b, (uint64_t)ev->time_ms, 8);
    rb_int(b, (uint64_t)eid, 8);
    rb_int(b, (uint64_t)(int64_t)tt_day_of(ev->time_ms), 4);
    identity_part(b, ev);
    call_part(b, ev);
    rb_str(b, coverage_account(ev, oc->o->account));
    rb_cstr(b, oc->o->path);
    rb_cstr(b, oc->o->member ? oc->o->member : "");
    rb_cstr(b, oc->sha);
    rb_int(b, ev->raw_off, 8);
    rb_int(b, oc->ver, 8);
    if (ev->minted_key.n == 0)
        return;
    rb_str(&s->mint_rows, ev->minted_key);
    rb_int(&s->mint_rows, (uint64_t)ev->time_ms, 8);
    rb_int(&s->mint_rows, (uint64_t)eid, 8);
    rb_str(&s->mint_rows, ev->id_access_key);
    rb_int(&s->mint_rows, oc->ver, 8);
}

/* A manifest row's version: later writes win. */
static uint64_t now_version(void)
{
    static uint64_t seq;
    return (uint64_t)tt_now_ms() * 1000 + (seq++ % 1000);
}

static void object_row(ch_store *s, const obj_ctx *oc, size_t n, int64_t first, int64_t last)
{
    const store_object *o = oc->o;
    tt_buf *b = &s->obj_rows;
    put(b, o->path);
    put(b, o->member ? o->member : "");
    put(b, o->container);
    put(b, o->kind);
    put_int(b, o->size, "\t");
    put_int(b, o->mtime_ns, "\t");
    put(b, oc->sha);
    put(b, store_obj_status_name(o->status));
    put(b, o->reason ? o->reason : "");
    put_int(b, o->reason != NULL, "\t");
    put_int(b, tt_now_ms(), "\t");
    put(b, o->account ? o->account : "");
    put_int(b, (int64_t)n, "\t");
    put_int(b, n ? first : 0, "\t");
    put_int(b, n ? last : 0, "\t");
    put(b, "");
    put_int(b, 0, "\t");
    put_int(b, 0, "\t");
    put_uint(b, now_version(), "\n");
}

static size_t batch_bytes(const ch_store *s)
{
    size_t b = s->memory / 4;
    return b < BATCH_MIN ? BATCH_MIN : b > BATCH_MAX ? BATCH_MAX : b;
}

static tt_status insert(ch_store *s, const char *table, const char *format, tt_buf *rows,
                        tt_error *err)
{
    if (rows->len == 0)
        return TT_OK;
    if (rows->over)
        return tt_fail(err, TT_ERR_LIMIT, "ClickHouse writer: a batch passed its cap");
    char sql[CH_TABLE_MAX + 64];
    snprintf(sql, sizeof sql, "INSERT INTO %s FORMAT %s", table, format);
    tt_status st = ch_query(s->cl, NULL, sql, rows->data, rows->len, NULL, NULL, err);
    tt_buf_reset(rows);
    return st;
}

/* ---- the rollup ------------------------------------------------------------ */

static void note_day(ch_store *s, int32_t day)
{
    if (s->ndays && s->days[s->ndays - 1] == day)
        return;
    for (size_t i = 0; i < s->ndays; i++)
        if (s->days[i] == day)
            return;
    if (s->ndays == s->adays) {
        s->adays = s->adays ? 2 * s->adays : 64;
        s->days = tt_xrealloc(s->days, s->adays * sizeof *s->days);
    }
    s->days[s->ndays++] = day;
}

/* Rebuilds the rollup of the noted days from the de-duplicated events:
 * every group of each day anew, its version the day's event count (events
 * only grow, so the rebuild that saw the most wins; the last ingest to
 * rebuild a day saw everything acknowledged before it). */
static tt_status rebuild_days(ch_store *s, tt_error *err)
{
    if (s->ndays == 0)
        return TT_OK;
    tt_buf list, q;
    tt_buf_init(&list, (size_t)16 << 20);
    tt_buf_init(&q, (size_t)48 << 20);
    for (size_t i = 0; i < s->ndays; i++) {
        char d[16];
        int n = snprintf(d, sizeof d, "%s%d", i ? "," : "", (int)s->days[i]);
        tt_buf_append(&list, d, (size_t)n);
    }
    const char *pos = "(path, member, off), id_account != ''";
    char head[4096];
    snprintf(head, sizeof head,
             "INSERT INTO %s SELECT day, pid, principal, ptype, source, name, req, errclass, via,"
             " calls, svc, first_ms, last_ms, acct, acct_path, acct_member, acct_off,"
             " toUInt64(day_events) AS ver FROM (SELECT day, pid, principal,"
             " argMin(ptype, t) AS ptype, source, name, req, errclass, via, count() AS calls,"
             " countIf(svc = 1) AS svc, min(t) AS first_ms, max(t) AS last_ms,"
             " argMinIf(id_account, %s) AS acct, argMinIf(path, %s) AS acct_path,"
             " argMinIf(member, %s) AS acct_member, argMinIf(off, %s) AS acct_off"
             " FROM %s FINAL WHERE day IN (",
             s->usage, pos, pos, pos, pos, s->events);
    tt_buf_append(&q, head, strlen(head));
    tt_buf_append(&q, list.data, list.len);
    snprintf(head, sizeof head,
             ") GROUP BY day, pid, principal, source, name, req, errclass, via)"
             " ANY LEFT JOIN (SELECT day, count() AS day_events FROM %s FINAL WHERE day IN (",
             s->events);
    tt_buf_append(&q, head, strlen(head));
    tt_buf_append(&q, list.data, list.len);
    tt_buf_append(&q, ") GROUP BY day) USING day", 25);
    tt_status st = q.over || list.over
                       ? tt_fail(err, TT_ERR_LIMIT, "ClickHouse writer: too many days in a batch")
                       : ch_query(s->cl, NULL, q.data, NULL, 0, NULL, NULL, err);
    tt_buf_free(&list);
    tt_buf_free(&q);
    if (st == TT_OK)
        s->ndays = 0;
    return st;
}

/* ---- sending --------------------------------------------------------------- */

static void drop_pending(ch_store *s)
{
    /* Nothing of it reached the manifest: the next run reads these
     * objects again. */
    tt_buf_reset(&s->ev_rows);
    tt_buf_reset(&s->mint_rows);
    tt_buf_reset(&s->obj_rows);
    s->ndays = 0;
    s->pending_events = s->pending_objects = 0;
}

/* The pending events and minted rows, acknowledged by every shard. */
static tt_status send_events(ch_store *s, tt_error *err)
{
    tt_status st = insert(s, s->events, "RowBinary", &s->ev_rows, err);
    if (st == TT_OK)
        st = insert(s, s->minted, "RowBinary", &s->mint_rows, err);
    if (st != TT_OK)
        drop_pending(s);
    s->pending_events = 0;
    return st;
}

tt_status ch_flush(ch_store *s, tt_error *err)
{
    tt_status st = send_events(s, err);
    if (st == TT_OK)
        st = rebuild_days(s, err);
    if (st == TT_OK)
        st = insert(s, s->objects, "TabSeparated", &s->obj_rows, err);
    if (st != TT_OK)
        drop_pending(s);
    s->pending_objects = 0;
    s->checkpoint_ms = tt_now_ms();
    return st;
}

tt_status ch_add_object(ch_store *s, const store_object *o, const tt_event *evs,
                        const tt_event_fp *fps, size_t n,
                        store_add_counts *counts, tt_error *err)
{
    char sha[65];
    sha[0] = '\0';
    if (o->sha256)
        tt_hex_encode(o->sha256, 32, sha);
    obj_ctx oc = {o, sha, copy_version(o->path, o->member ? o->member : "")};
    int64_t first = INT64_MAX, last = INT64_MIN;
    for (size_t i = 0; i < n; i++) {
        tt_event_fp own;
        if (!fps)
            tt_event_fingerprint(&evs[i], NULL, &own);
        event_row(s, &oc, &evs[i], fps ? fps[i].key : own.key);
        note_day(s, tt_day_of(evs[i].time_ms));
        if (evs[i].time_ms < first)
            first = evs[i].time_ms;
        if (evs[i].time_ms > last)
            last = evs[i].time_ms;
    }
    object_row(s, &oc, n, first, last);
    s->pending_events += n;
    s->pending_objects++;
    if (counts)
        *counts = (store_add_counts){(int64_t)n, 0};
    /* Events go when a batch is full; the rollup of their days and the
     * manifest rows at a checkpoint: every CHECKPOINT_MS, and at the end. */
    if (s->pending_objects >= BATCH_OBJECTS || tt_now_ms() - s->checkpoint_ms >= CHECKPOINT_MS)
        return ch_flush(s, err);
    if (s->ev_rows.len >= batch_bytes(s))
        return send_events(s, err);
    return TT_OK;
}

/* Re-writes one manifest row with some columns replaced (SET is a list of
 * "expr AS column" in the table's column order given by cols). */
static tt_status rewrite_object(ch_store *s, const char *path, const char *member,
                                const char *cols, tt_error *err)
{
    tt_buf q;
    tt_buf_init(&q, (size_t)1 << 20);
    char head[CH_TABLE_MAX * 2 + 64];
    snprintf(head, sizeof head, "INSERT INTO %s SELECT %s FROM %s FINAL WHERE path = ",
             s->objects, cols, s->objects);
    tt_buf_append(&q, head, strlen(head));
    ch_sql_str(&q, path, strlen(path));
    tt_buf_append(&q, " AND member = ", 14);
    ch_sql_str(&q, member ? member : "", member ? strlen(member) : 0);
    tt_status st = q.over ? tt_fail(err, TT_ERR_LIMIT, "%s: path too long", path)
                          : ch_query(s->cl, NULL, q.data, NULL, 0, NULL, NULL, err);
    tt_buf_free(&q);
    return st;
}

tt_status ch_touch_object(ch_store *s, const char *path, const char *member, int64_t mtime_ns,
                          tt_error *err)
{
    tt_status st = ch_flush(s, err);
    char cols[1024];
    snprintf(cols, sizeof cols,
             "path, member, container, kind, size, toInt64(%lld) AS mtime_ns, sha256, status,"
             " reason, has_reason, ingested_ms, account, events, first_ms, last_ms, verify,"
             " has_verify, verified_ms, greatest(ver + 1, toUInt64(%llu)) AS ver",
             (long long)mtime_ns, (unsigned long long)now_version());
    return st == TT_OK ? rewrite_object(s, path, member, cols, err) : st;
}

tt_status ch_set_verdicts(ch_store *s, const store_verdict *v, size_t n, int64_t verified_ms,
                          size_t *updated, tt_error *err)
{
    tt_status st = ch_flush(s, err);
    *updated = 0;
    for (size_t i = 0; i < n && st == TT_OK; i++) {
        tt_buf cols;
        tt_buf_init(&cols, 4096);
        const char *a = "path, member, container, kind, size, mtime_ns, sha256, status, reason,"
                        " has_reason, ingested_ms, account, events, first_ms, last_ms, ";
        tt_buf_append(&cols, a, strlen(a));
        ch_sql_str(&cols, v[i].verdict, strlen(v[i].verdict));
        char tail[160];
        snprintf(tail, sizeof tail,
                 " AS verify, toUInt8(1) AS has_verify, toInt64(%lld) AS verified_ms,"
                 " greatest(ver + 1, toUInt64(%llu)) AS ver",
                 (long long)verified_ms, (unsigned long long)now_version());
        tt_buf_append(&cols, tail, strlen(tail));
        st = cols.over ? tt_fail(err, TT_ERR_LIMIT, "a verdict too long")
                       : rewrite_object(s, v[i].path, v[i].member, cols.data, err);
        tt_buf_free(&cols);
        if (st == TT_OK)
            (*updated)++;
    }
    return st;
}

tt_status ch_note_change(ch_store *s, const char *path, const char *member, int64_t size,
                         const uint8_t new_sha256[32], tt_error *err)
{
    tt_status st = ch_flush(s, err);
    if (st != TT_OK)
        return st;
    char sha[65], head[CH_TABLE_MAX * 2 + 400];
    tt_hex_encode(new_sha256, 32, sha);
    int64_t now = tt_now_ms();
    /* The first sighting of a hash wins a merge: its version is largest. */
    snprintf(head, sizeof head,
             "INSERT INTO %s SELECT path, member, sha256, '%s', size, toInt64(%lld),"
             " toInt64(%lld), toUInt64(%llu) FROM %s FINAL WHERE path = ",
             s->changes, sha, (long long)size, (long long)now,
             (unsigned long long)(UINT64_MAX - (uint64_t)now), s->objects);
    tt_buf q;
    tt_buf_init(&q, (size_t)1 << 20);
    tt_buf_append(&q, head, strlen(head));
    ch_sql_str(&q, path, strlen(path));
    tt_buf_append(&q, " AND member = ", 14);
    ch_sql_str(&q, member ? member : "", member ? strlen(member) : 0);
    st = ch_query(s->cl, NULL, q.data, NULL, 0, NULL, NULL, err);
    tt_buf_free(&q);
    return st;
}

void ch_writer_free(ch_store *s)
{
    free(s->days);
    s->days = NULL;
    tt_buf_free(&s->ev_rows);
    tt_buf_free(&s->mint_rows);
    tt_buf_free(&s->obj_rows);
}
