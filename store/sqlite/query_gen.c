/*
 * query_gen.c - the store queries of policy generation (store_gen.h), all
 * answered from the rollup: calls, errors, via-service calls and AWS
 * service events (usage_daily.svc, counted at ingest), never by reading
 * events.
 */
#include "store_gen.h"
#include "sqlite_int.h"

#include "common/ttime.h"

#include <stdio.h>
#include <string.h>

#define USAGE_SQL(COUNT, JOIN)                                                                     \
    "SELECT u.principal, pa.v, pt.v, src.v, nm.v, u.calls, u.errors, u.denied, u.via, " COUNT ","   \
    " u.first_ms, u.last_ms"                                                                       \
    " FROM (SELECT principal, src, name, sum(calls) AS calls,"                                     \
    "   sum(CASE WHEN errclass > 0 THEN calls ELSE 0 END) AS errors,"                              \
    "   sum(CASE WHEN errclass = 1 THEN calls ELSE 0 END) AS denied,"                              \
    "   sum(CASE WHEN via = 1 AND errclass = 0 THEN calls ELSE 0 END) AS via,"                     \
    "   sum(CASE WHEN errclass = 0 THEN svc ELSE 0 END) AS svc,"                                    \
    "   min(first_ms) AS first_ms, max(last_ms) AS last_ms"                                        \
    "   FROM usage_daily WHERE day BETWEEN ?2 AND ?3 AND (?1 = 0 OR principal = ?1)"               \
    "   GROUP BY principal, src, name) u"                                                          \
    " JOIN principal p ON p.id = u.principal JOIN dict pa ON pa.id = p.arn"                        \
    " JOIN dict pt ON pt.id = p.type"                                                              \
    " JOIN dict src ON src.id = u.src JOIN dict nm ON nm.id = u.name" JOIN                         \
    " ORDER BY pa.v, src.v, nm.v"

static const char *const usage_sql = USAGE_SQL("u.svc", "");

tt_status sq_gen_each_usage(sq_store *s, int64_t principal, int32_t from_day, int32_t to_day,
                               store_gen_usage_fn fn, void *ctx, tt_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, usage_sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s, "usage query", err);
    sqlite3_bind_int64(st, 1, principal);
    sqlite3_bind_int64(st, 2, from_day);
    sqlite3_bind_int64(st, 3, to_day);
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
        out = sq_fail(s, "usage query", err);
    sqlite3_finalize(st);
    return out;
}

/* The rollup's skeletons of one pair; req 0 (rows migrated from before
 * skeletons) and "?" come back as NULL: not known. */
static const char *const request_sql =
    "SELECT CASE WHEN u.req = 0 OR r.v = '?' THEN NULL ELSE r.v END, sum(u.calls - u.svc)"
    " FROM usage_daily u LEFT JOIN dict r ON r.id = u.req"
    " WHERE u.principal = ?1 AND u.day BETWEEN ?2 AND ?3"
    "  AND u.src = (SELECT id FROM dict WHERE h = tt_h(?4) AND v = ?4)"
    "  AND u.name = (SELECT id FROM dict WHERE h = tt_h(?5) AND v = ?5)"
    "  AND u.errclass = 0 AND u.via = 0"
    " GROUP BY u.req HAVING sum(u.calls - u.svc) > 0";

tt_status sq_gen_each_request(sq_store *s, int64_t principal, const char *source,
                              const char *event, int32_t from_day, int32_t to_day,
                              store_gen_request_fn fn, void *ctx, tt_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, request_sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s, "request skeletons", err);
    sqlite3_bind_int64(st, 1, principal);
    sqlite3_bind_int(st, 2, from_day);
    sqlite3_bind_int(st, 3, to_day);
    sqlite3_bind_text(st, 4, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, event, -1, SQLITE_STATIC);
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
        stop = fn(ctx, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1));
    tt_status out = !stop && rc != SQLITE_DONE ? sq_fail(s, "request skeletons", err) : TT_OK;
    sqlite3_finalize(st);
    return out;
}
