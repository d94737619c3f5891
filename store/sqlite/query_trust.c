/*
 * query_trust.c - store_trust.h over the stable views only (events,
 * objects). The record itself is read back by the caller (ingest/recall.h)
 * from the object and offset given here.
 */
#include "sqlite_int.h"

#include "common/hex.h"

#include <stdio.h>
#include <string.h>

#define ASSUME_SQL                                                                                 \
    "SELECT e.time_ms, e.event_name, coalesce(e.principal, ''), coalesce(e.identity_type, ''),"    \
    " coalesce(e.source_ip, ''), o.path, coalesce(o.member, ''), o.sha256, e.object_offset"        \
    " FROM events e JOIN objects o ON o.id = e.object_id"                                         \
    " WHERE e.time_ms >= ?1 AND e.time_ms < ?2 AND e.event_source = 'sts.amazonaws.com'"           \
    " AND e.event_name IN ('AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML')"      \
    " AND e.error_code IS NULL ORDER BY e.time_ms, e.object_id, e.object_offset"

static const char *text_col(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? s : "";
}

static void bind_window(sqlite3_stmt *st, int64_t since_ms, int64_t until_ms)
{
    sqlite3_bind_int64(st, 1, since_ms);
    sqlite3_bind_int64(st, 2, until_ms > 0 ? until_ms : INT64_MAX);
}

tt_status sq_trust_each_assume(sq_store *s, int64_t since_ms, int64_t until_ms, store_trust_assume_fn fn,
                                  void *ctx, tt_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, ASSUME_SQL, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s, "assume-role query", err);
    bind_window(st, since_ms, until_ms);
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        uint8_t sha[32];
        store_trust_assume a;
        a.t = sqlite3_column_int64(st, 0);
        a.name = text_col(st, 1);
        a.principal = text_col(st, 2);
        a.identity_type = text_col(st, 3);
        a.ip = text_col(st, 4);
        a.path = text_col(st, 5);
        a.member = text_col(st, 6);
        a.sha256 = tt_hex_decode((const char *)sqlite3_column_text(st, 7), sha, 32) == 0 ? sha : NULL;
        a.off = sqlite3_column_int64(st, 8);
        stop = fn(ctx, &a);
    }
    tt_status out = TT_OK;
    if (!stop && rc != SQLITE_DONE)
        out = sq_fail(s, "assume-role query", err);
    sqlite3_finalize(st);
    return out;
}

/* The calls of long-lived keys in the window, as a common table. */
#define KEY_CALLS                                                                                  \
    "WITH k AS (SELECT access_key AS key, principal, identity_type, time_ms, event_source,"        \
    " region, source_ip, user_agent, event_name, minted_key, error_code FROM events"               \
    " WHERE time_ms >= ?1 AND time_ms < ?2 AND access_key LIKE 'AKIA%') "

static const char *const keys_sql[] = {
    [STORE_KEYS_SUMMARY] = KEY_CALLS
    "SELECT key, max(principal), max(identity_type), min(time_ms), max(time_ms), count(*),"
    " count(error_code), count(DISTINCT event_source), count(DISTINCT region),"
    " count(DISTINCT source_ip), count(DISTINCT user_agent) FROM k GROUP BY key ORDER BY key",
    [STORE_KEYS_NEWEST] = KEY_CALLS
    "SELECT key, source_ip, user_agent FROM (SELECT key, source_ip, user_agent, row_number()"
    " OVER (PARTITION BY key ORDER BY time_ms DESC, source_ip DESC, user_agent DESC) AS rn FROM k) WHERE rn = 1 ORDER BY key",
    [STORE_KEYS_SERVICES] = KEY_CALLS
    "SELECT key, event_source, count(*) FROM k GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2",
    [STORE_KEYS_REGIONS] = KEY_CALLS
    "SELECT key, region, count(*) FROM k GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2",
    [STORE_KEYS_MINTED] = KEY_CALLS
    "SELECT key, event_name, count(DISTINCT minted_key) FROM k WHERE minted_key IS NOT NULL"
    " AND error_code IS NULL GROUP BY 1, 2 ORDER BY 1, 2",
};

tt_status sq_keys_rows(sq_store *s, store_keys_kind kind, int64_t since_ms, int64_t until_ms, store_row_fn fn,
                          void *ctx, tt_error *err)
{
    if ((unsigned)kind > STORE_KEYS_MINTED)
        return tt_fail(err, TT_ERR_USAGE, "no such key query %d", (int)kind);
    const int64_t window[2] = {since_ms, until_ms > 0 ? until_ms : INT64_MAX}; /* as bind_window */
    return sq_each_row(s, keys_sql[kind], window, 2, "access-key query", fn, ctx, err);
}
