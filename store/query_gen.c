/*
 * query_gen.c - the store queries of policy generation (store_gen.h). The
 * rollup answers calls, errors and via-service counts; AWS service events
 * are not in the rollup's key, so they are counted from the events of the
 * window, and only when the store holds any (the common case costs nothing).
 */
#include "store_gen.h"
#include "store_int.h"

#include "../common/ttime.h"

#include <stdio.h>
#include <string.h>

#define GEN_MS_PER_DAY 86400000LL

/* The query in two forms, assembled at compile time: with the service-event
 * join (COUNT) and without it (the common case). */
#define USAGE_SQL(COUNT, JOIN)                                                                     \
    "SELECT u.principal, pa.v, pt.v, src.v, nm.v, u.calls, u.errors, u.denied, u.via, " COUNT ","   \
    " u.first_ms, u.last_ms"                                                                       \
    " FROM (SELECT principal, src, name, sum(calls) AS calls,"                                     \
    "   sum(CASE WHEN errclass > 0 THEN calls ELSE 0 END) AS errors,"                              \
    "   sum(CASE WHEN errclass = 1 THEN calls ELSE 0 END) AS denied,"                              \
    "   sum(CASE WHEN via = 1 AND errclass = 0 THEN calls ELSE 0 END) AS via,"                     \
    "   min(first_ms) AS first_ms, max(last_ms) AS last_ms"                                        \
    "   FROM usage_daily WHERE day BETWEEN ?2 AND ?3 AND (?1 = 0 OR principal = ?1)"               \
    "   GROUP BY principal, src, name) u"                                                          \
    " JOIN principal p ON p.id = u.principal JOIN dict pa ON pa.id = p.arn"                        \
    " JOIN dict pt ON pt.id = p.type"                                                              \
    " JOIN dict src ON src.id = u.src JOIN dict nm ON nm.id = u.name" JOIN                         \
    " ORDER BY pa.v, src.v, nm.v"

/* Successful AwsServiceEvent records, per key (those with invokedBy are
 * also in via; callers subtract both, erring towards granting less). */
#define SVC_JOIN                                                                                   \
    " LEFT JOIN (SELECT i.principal AS principal, sh.src AS src, sh.name AS name, count(*) AS n"   \
    "   FROM event e JOIN shape sh ON sh.id = e.shape JOIN identity i ON i.id = e.ident"           \
    "   WHERE e.t >= ?4 AND e.t < ?5 AND sh.type = ?6 AND sh.err = 0"                              \
    "   GROUP BY 1, 2, 3) se"                                                                      \
    "   ON se.principal = u.principal AND se.src = u.src AND se.name = u.name"

static const char *const usage_sql_svc = USAGE_SQL("coalesce(se.n, 0)", SVC_JOIN);
static const char *const usage_sql_plain = USAGE_SQL("0", "");

static int64_t service_event_type(store *s)
{
    sqlite3_stmt *st = NULL;
    int64_t id = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT id FROM dict WHERE v = 'AwsServiceEvent'", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return id;
}

tt_status store_gen_each_usage(store *s, int64_t principal, int32_t from_day, int32_t to_day,
                               store_gen_usage_fn fn, void *ctx, tt_error *err)
{
    int64_t svc_type = service_event_type(s);
    const char *sql = svc_type ? usage_sql_svc : usage_sql_plain;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return store_sqlite_fail(s, "usage query", err);
    sqlite3_bind_int64(st, 1, principal);
    sqlite3_bind_int64(st, 2, from_day);
    sqlite3_bind_int64(st, 3, to_day);
    if (svc_type) {
        sqlite3_bind_int64(st, 4, (int64_t)from_day * GEN_MS_PER_DAY);
        sqlite3_bind_int64(st, 5, ((int64_t)to_day + 1) * GEN_MS_PER_DAY);
        sqlite3_bind_int64(st, 6, svc_type);
    }
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_gen_usage u;
        u.principal = sqlite3_column_int64(st, 0);
        u.arn = (const char *)sqlite3_column_text(st, 1);
        u.type = (const char *)sqlite3_column_text(st, 2);
        u.source = (const char *)sqlite3_column_text(st, 3);
        u.event = (const char *)sqlite3_column_text(st, 4);
        u.calls = sqlite3_column_int64(st, 5);
        u.errors = sqlite3_column_int64(st, 6);
        u.denied = sqlite3_column_int64(st, 7);
        u.via_service = sqlite3_column_int64(st, 8);
        u.service_events = sqlite3_column_int64(st, 9);
        u.first_ms = sqlite3_column_int64(st, 10);
        u.last_ms = sqlite3_column_int64(st, 11);
        stop = fn(ctx, &u);
    }
    tt_status out = TT_OK;
    if (!stop && rc != SQLITE_DONE)
        out = store_sqlite_fail(s, "usage query", err);
    sqlite3_finalize(st);
    return out;
}
