/*
 * query_forensics.c - events with their strings, filtered, in time order.
 * The filters become integer tests on the event row: keys, principals and
 * sessions name a set of identity ids (found through identity_key and
 * identity_principal), sources, names and errors a set of shape ids, an IP
 * one dict id. A filter on identities reads the events through event_ident
 * (only those identities' events: a row per identity per object, streamed
 * in time order by tt_ident_events, ident_events.c, each event then found
 * by its key); else the time window is a range of the primary key (an
 * index by IP cost a fifth of the ingest's speed on realistic data, so an
 * IP alone is found by that scan). The first table is joined first (CROSS JOIN fixes the
 * order), so the small tables are probed per match.
 */
#include "store_forensics.h"
#include "event_strings.h"
#include "key_known_sql.h"
#include "sqlite_int.h"

#include <stdio.h>
#include <string.h>

#define SQL_MAX 8192
#define MAX_KEYS 256

/* The event rows only: their ids become strings in event_strings.c, once
 * per id, not through a dozen joins per row. */
static const char *const select_sql =
    "SELECT e.t, e.ident, e.shape, e.ip, e.ua, e.obj, e.minted, e.off FROM ";

/* The window, as a range of the primary key. */
static const char *const by_time_sql = "event e WHERE e.t >= ? AND e.t < ?";

/* One identity's events in the window, in (t, eid) order (ident_events.c:
 * no sort, and a LIMIT stops the reading), each by its key; the identity
 * is given as `%lld` and the window follows. */
#define ONE_IDENT_SQL                                                                              \
    "tt_ident_events(%lld, ?, ?) u CROSS JOIN event e ON e.t = u.t AND e.eid = u.eid WHERE 1"

/* Several identities' events: each identity that the tests on i which
 * follow let through, its events in the window (ident_events.c), each by
 * its key; sorted after. */
static const char *const by_ident_sql =
    "identity i CROSS JOIN tt_ident_events(i.id, ?, ?) u"
    " CROSS JOIN event e ON e.t = u.t AND e.eid = u.eid WHERE 1";

/* A string's dict id through dict_h (the function is the store's, fpsql.c). */
#define DICT_ID "(SELECT id FROM dict WHERE h = tt_h(?) AND v = ?)"

typedef struct sqlb {
    char sql[SQL_MAX];
    size_t len;
    int over;
} sqlb;

static void add(sqlb *b, const char *text)
{
    size_t n = strlen(text);
    if (b->len + n >= sizeof b->sql) {
        b->over = 1;
        return;
    }
    memcpy(b->sql + b->len, text, n + 1);
    b->len += n;
}

/* Whether f names identities: then the events are read through
 * event_ident, only those of the identities named. */
static int by_identity(const store_filter *f)
{
    return f->nkeys || f->principal || f->session;
}

/* The one identity of a filter on one access key (and nothing else about
 * identities): its events then come from tt_ident_events, in order. 0
 * when there are none or several. */
#define KEY_IDENTS_SQL "SELECT id FROM identity WHERE kh = tt_kh(?1) AND access_key = ?1 LIMIT 2"

static int64_t one_identity(sq_store *s, const store_filter *f)
{
    if (f->nkeys != 1 || f->principal || f->session)
        return 0;
    sqlite3_stmt *st = NULL;
    int64_t id = 0, n = 0;
    if (sqlite3_prepare_v2(s->db, KEY_IDENTS_SQL, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, f->keys[0], -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW && n++ < 2)
            id = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return n == 1 ? id : 0;
}

/* The WHERE tail for f; the bind order is the order of the tests here.
 * ident, when not 0, is f's one identity (one_identity). */
static void build(sqlb *b, const store_filter *f, int64_t ident)
{
    add(b, select_sql);
    if (ident) {
        char from[160];
        snprintf(from, sizeof from, ONE_IDENT_SQL, (long long)ident);
        add(b, from);
    } else {
        add(b, by_identity(f) ? by_ident_sql : by_time_sql);
    }
    if (f->nkeys && !ident) {
        add(b, " AND i.kh IN (tt_kh(?)");
        for (size_t k = 1; k < f->nkeys; k++)
            add(b, ",tt_kh(?)");
        add(b, ") AND i.access_key IN (?");
        for (size_t k = 1; k < f->nkeys; k++)
            add(b, ",?");
        add(b, ")");
    }
    if (f->principal)
        add(b, " AND i.principal = ?");
    if (f->session)
        add(b, " AND i.session_name = ?");
    if (f->ip) /* kept in the row (IPv4), or a dict id (other, or stored before schema 6) */
        add(b, " AND e.ip IN (?, " DICT_ID ")");
    if (f->source || f->event_glob || f->error_glob) {
        add(b, " AND e.shape IN (SELECT x.id FROM shape x WHERE 1");
        if (f->source)
            add(b, " AND x.src = " DICT_ID);
        if (f->event_glob)
            add(b, " AND (SELECT v FROM dict WHERE id = x.name) GLOB ?");
        if (f->error_glob)
            add(b, " AND x.err != 0 AND (SELECT v FROM dict WHERE id = x.err) GLOB ?");
        add(b, ")");
    }
    add(b, ident ? " ORDER BY u.t, u.eid" : " ORDER BY e.t, e.eid");
    if (f->limit > 0)
        add(b, " LIMIT ?");
}

static void bind(sqlite3_stmt *st, const store_filter *f, int64_t ident)
{
    int i = 1;
    sqlite3_bind_int64(st, i++, f->since_ms ? f->since_ms : INT64_MIN);
    sqlite3_bind_int64(st, i++, f->until_ms ? f->until_ms : INT64_MAX);
    for (int twice = 0; twice < 2; twice++) /* kh IN (...), then access_key IN (...) */
        for (size_t k = 0; k < f->nkeys && !ident; k++)
            sqlite3_bind_text(st, i++, f->keys[k], -1, SQLITE_STATIC);
    if (f->principal)
        sqlite3_bind_int64(st, i++, f->principal);
    if (f->session)
        sqlite3_bind_text(st, i++, f->session, -1, SQLITE_STATIC);
    if (f->ip) {
        int64_t col;
        if (sq_ipv4_encode(f->ip, strlen(f->ip), &col))
            sqlite3_bind_int64(st, i++, col);
        else
            sqlite3_bind_null(st, i++);
        sqlite3_bind_text(st, i++, f->ip, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, i++, f->ip, -1, SQLITE_STATIC);
    }
    if (f->source) {
        sqlite3_bind_text(st, i++, f->source, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, i++, f->source, -1, SQLITE_STATIC);
    }
    if (f->event_glob)
        sqlite3_bind_text(st, i++, f->event_glob, -1, SQLITE_STATIC);
    if (f->error_glob)
        sqlite3_bind_text(st, i++, f->error_glob, -1, SQLITE_STATIC);
    if (f->limit > 0)
        sqlite3_bind_int64(st, i++, f->limit);
}

static tt_status prepare(sq_store *s, const store_filter *f, int explain, sqlite3_stmt **st,
                         tt_error *err)
{
    *st = NULL;
    if (f->nkeys > MAX_KEYS)
        return tt_fail(err, TT_ERR_LIMIT, "at most %d access keys at once", MAX_KEYS);
    sqlb b = {.len = 0};
    if (explain)
        add(&b, "EXPLAIN QUERY PLAN ");
    int64_t ident = one_identity(s, f);
    build(&b, f, ident);
    if (b.over)
        return tt_fail(err, TT_ERR_LIMIT, "search: too many filters");
    if (sqlite3_prepare_v2(s->db, b.sql, -1, st, NULL) != SQLITE_OK)
        return sq_fail(s, "searching events", err);
    bind(*st, f, ident);
    return TT_OK;
}

static const char *col(sqlite3_stmt *st, int i)
{
    const char *v = (const char *)sqlite3_column_text(st, i);
    return v ? v : "";
}

tt_status sq_each_event(sq_store *s, const store_filter *f, store_fevent_fn fn, void *ctx,
                        tt_error *err)
{
    sqlite3_stmt *st = NULL;
    sq_ev_strings *strs = NULL;
    tt_status out = prepare(s, f, 0, &st, err);
    if (out == TT_OK)
        out = sq_ev_strings_open(&strs, s, err);
    int rc = SQLITE_DONE, stop = 0;
    while (out == TT_OK && !stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t ids[EVS_IDS];
        for (int i = 0; i < EVS_IDS; i++)
            ids[i] = sqlite3_column_int64(st, 1 + i);
        store_fevent ev = {.t = sqlite3_column_int64(st, 0), .minted = col(st, 6),
                           .off = sqlite3_column_int64(st, 7)};
        out = sq_ev_strings_fill(strs, ids, &ev, err);
        if (out == TT_OK)
            stop = fn(ctx, &ev);
    }
    if (out == TT_OK && !stop && rc != SQLITE_DONE)
        out = sq_fail(s, "searching events", err);
    sq_ev_strings_close(strs);
    sqlite3_finalize(st);
    return out;
}

tt_status sq_explain_events(sq_store *s, const store_filter *f,
                               void (*line)(void *ctx, const char *text), void *ctx,
                               tt_error *err)
{
    sqlite3_stmt *st = NULL;
    if (f->nkeys == 1 && !f->principal && !f->session) {
        /* the key's identity first (one_identity) */
        sqlite3_stmt *q = NULL;
        if (sqlite3_prepare_v2(s->db, "EXPLAIN QUERY PLAN " KEY_IDENTS_SQL, -1, &q, NULL) == SQLITE_OK)
            while (sqlite3_step(q) == SQLITE_ROW)
                line(ctx, (const char *)sqlite3_column_text(q, 3));
        sqlite3_finalize(q);
    }
    tt_status out = prepare(s, f, 1, &st, err);
    if (out != TT_OK)
        return out;
    /* Rows are (id, parent, notused, detail); depth follows the parents. */
    int64_t ids[64];
    int depth[64], n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0), parent = sqlite3_column_int64(st, 1);
        int d = 0;
        for (int i = 0; i < n; i++)
            if (ids[i] == parent)
                d = depth[i] + 1;
        if (n < 64) {
            ids[n] = id;
            depth[n++] = d;
        }
        char text[512];
        snprintf(text, sizeof text, "%*s%s", 2 * d, "", (const char *)sqlite3_column_text(st, 3));
        line(ctx, text);
    }
    if (rc != SQLITE_DONE)
        out = sq_fail(s, "explaining a search", err);
    sqlite3_finalize(st);
    return out;
}

tt_status sq_key_known(sq_store *s, const char *key, int *known, tt_error *err)
{
    static const char *sql = SQ_KEY_KNOWN_SQL;
    sqlite3_stmt *st = NULL;
    *known = 0;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s, "looking up an access key", err);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *known = sqlite3_column_int(st, 0);
    tt_status out = rc == SQLITE_ROW ? TT_OK : sq_fail(s, "looking up an access key", err);
    sqlite3_finalize(st);
    return out;
}
