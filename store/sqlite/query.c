/*
 * query.c - the read side: summary, problems, coverage, principals and
 * usage. Usage reads the daily rollup, never the events, so a 90-day
 * window costs the same on a store of any size.
 */
#include "sqlite_int.h"

#include "coverage.h"

#include "common/mem.h"
#include "common/ttime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_COLS 16

static int64_t scalar(sq_store *s, const char *sql)
{
    int64_t v = 0;
    sq_int(s, sql, &v);
    return v;
}

tt_status sq_get_summary(sq_store *s, store_summary *o, tt_error *err)
{
    memset(o, 0, sizeof *o);
    o->objects = scalar(s, "SELECT count(*) FROM object WHERE container != 'archive'");
    o->objects_loaded = scalar(s, "SELECT count(*) FROM object WHERE status='loaded' AND container != 'archive'");
    o->objects_rejected = scalar(s, "SELECT count(*) FROM object WHERE status='rejected'");
    o->objects_partial = scalar(s, "SELECT count(*) FROM object WHERE status='partial'");
    o->objects_changed = scalar(s, "SELECT count(DISTINCT path || char(0) || member) FROM object_change");
    o->digests = scalar(s, "SELECT count(*) FROM object WHERE kind='digest'");
    o->insights = scalar(s, "SELECT count(*) FROM object WHERE kind='insight'");
    o->events = scalar(s, "SELECT coalesce(sum(events), 0) FROM object");
    o->principals = scalar(s, "SELECT count(*) FROM principal");
    /* 0 on a version-1 store read as it is (no verify column). */
    o->objects_verified = scalar(s, "SELECT count(*) FROM object WHERE verify IS NOT NULL");
    o->verify_problems = scalar(s, "SELECT count(*) FROM object WHERE verify NOT IN ('intact', 'pending')");
    o->first_ms = scalar(s, "SELECT t FROM event ORDER BY t LIMIT 1");
    o->last_ms = scalar(s, "SELECT t FROM event ORDER BY t DESC LIMIT 1");
    struct stat sb;
    if (stat(s->path, &sb) == 0)
        o->db_bytes = sb.st_size;
    return TT_OK;
}

tt_status sq_each_row(sq_store *s, const char *sql, const int64_t *params, int nparams, const char *what,
                      store_row_fn fn, void *ctx, tt_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s, what, err);
    for (int i = 0; i < nparams; i++)
        sqlite3_bind_int64(st, i + 1, params[i]);
    int nc = sqlite3_column_count(st);
    if (nc > MAX_COLS)
        nc = MAX_COLS;
    const char *names[MAX_COLS], *text[MAX_COLS];
    char names_buf[MAX_COLS][64], iso[MAX_COLS][21];
    int64_t num[MAX_COLS];
    int is_num[MAX_COLS], is_time[MAX_COLS];
    for (int i = 0; i < nc; i++) {
        const char *n = sqlite3_column_name(st, i);
        size_t len = strlen(n);
        is_time[i] = len > 3 && strcmp(n + len - 3, "_ms") == 0;
        snprintf(names_buf[i], sizeof names_buf[i], "%.*s", (int)(is_time[i] ? len - 3 : len), n);
        names[i] = names_buf[i];
    }
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < nc; i++) {
            int type = sqlite3_column_type(st, i);
            num[i] = sqlite3_column_int64(st, i);
            is_num[i] = type == SQLITE_INTEGER && !is_time[i];
            if (type == SQLITE_NULL) {
                text[i] = NULL;
            } else if (is_time[i]) {
                tt_time_format(num[i], iso[i]);
                text[i] = iso[i];
            } else {
                text[i] = (const char *)sqlite3_column_text(st, i);
            }
        }
        store_row row = {nc, names, text, num, is_num};
        stop = fn(ctx, &row);
    }
    tt_status out = TT_OK;
    if (!stop && rc != SQLITE_DONE)
        out = sq_fail(s, what, err);
    sqlite3_finalize(st);
    return out;
}

tt_status sq_list_problems(sq_store *s, store_row_fn fn, void *ctx, tt_error *err)
{
    static const char *sql =
        "SELECT path, member, status, reason, ingested_ms AS seen_ms FROM object"
        " WHERE status IN ('rejected', 'partial')"
        " UNION ALL SELECT path, member, 'changed' AS status,"
        " 'content changed since it was recorded (' || coalesce(old_size, '?') || ' bytes then, '"
        " || new_size || ' bytes now; SHA-256 ' || lower(hex(new_sha256)) || '): possible tampering',"
        " seen_ms FROM object_change ORDER BY status, path, member";
    return sq_each_row(s, sql, NULL, 0, "query", fn, ctx, err);
}

tt_status sq_list_coverage(sq_store *s, store_row_fn fn, void *ctx, tt_error *err)
{
    static const char *sql = "SELECT a.v, r.v, c.day FROM coverage c JOIN dict a ON a.id = c.account"
                             " JOIN dict r ON r.id = c.region ORDER BY a.v, r.v, c.day";
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s, "coverage", err);
    store_cov cs;
    store_cov_init(&cs, fn, ctx);
    int stop = 0;
    while (!stop && sqlite3_step(st) == SQLITE_ROW)
        stop = store_cov_add(&cs, (const char *)sqlite3_column_text(st, 0),
                             (const char *)sqlite3_column_text(st, 1), sqlite3_column_int(st, 2));
    store_cov_finish(&cs);
    sqlite3_finalize(st);
    return TT_OK;
}

tt_status sq_list_principals(sq_store *s, int32_t from_day, int32_t to_day,
                                store_row_fn fn, void *ctx, tt_error *err)
{
    static const char *sql =
        "SELECT a.v AS principal, t.v AS type,"
        " (SELECT ac.v FROM identity i JOIN dict ac ON ac.id = i.account"
        "   WHERE i.principal = p.id AND i.account != 0 LIMIT 1) AS account,"
        " u.calls, u.errors, u.denied, u.first_ms AS first_seen_ms, u.last_ms AS last_seen_ms"
        " FROM (SELECT principal, sum(calls) AS calls,"
        "   sum(CASE WHEN errclass > 0 THEN calls ELSE 0 END) AS errors,"
        "   sum(CASE WHEN errclass = 1 THEN calls ELSE 0 END) AS denied,"
        "   min(first_ms) AS first_ms, max(last_ms) AS last_ms"
        "   FROM usage_daily WHERE day BETWEEN ?1 AND ?2 GROUP BY principal) u"
        " JOIN principal p ON p.id = u.principal JOIN dict a ON a.id = p.arn"
        " JOIN dict t ON t.id = p.type ORDER BY u.calls DESC, a.v";
    int64_t params[2] = {from_day, to_day};
    return sq_each_row(s, sql, params, 2, "query", fn, ctx, err);
}

tt_status sq_list_usage(sq_store *s, int64_t principal, int32_t from_day,
                           int32_t to_day, store_row_fn fn, void *ctx,
                           tt_error *err)
{
    static const char *sql =
        "SELECT src.v AS source, nm.v AS event, u.calls, u.errors, u.denied, u.via_service,"
        " u.first_ms AS first_seen_ms, u.last_ms AS last_seen_ms"
        " FROM (SELECT src, name, sum(calls) AS calls,"
        "   sum(CASE WHEN errclass > 0 THEN calls ELSE 0 END) AS errors,"
        "   sum(CASE WHEN errclass = 1 THEN calls ELSE 0 END) AS denied,"
        "   sum(CASE WHEN via = 1 AND errclass = 0 THEN calls ELSE 0 END) AS via_service,"
        "   min(first_ms) AS first_ms, max(last_ms) AS last_ms"
        "   FROM usage_daily WHERE principal = ?1 AND day BETWEEN ?2 AND ?3"
        "   GROUP BY src, name) u"
        " JOIN dict src ON src.id = u.src JOIN dict nm ON nm.id = u.name"
        " ORDER BY src.v, nm.v";
    int64_t params[3] = {principal, from_day, to_day};
    return sq_each_row(s, sql, params, 3, "query", fn, ctx, err);
}

tt_status sq_find_principal(sq_store *s, const char *name, int64_t *id,
                               char *arn, size_t arn_len, tt_error *err)
{
    static const char *sql =
        "SELECT p.id, a.v FROM principal p JOIN dict a ON a.id = p.arn"
        " WHERE a.v = ?1 OR (length(a.v) > length(?1) AND"
        "  substr(a.v, length(a.v) - length(?1)) IN ('/' || ?1, ':' || ?1))"
        " ORDER BY a.v = ?1 DESC, a.v LIMIT 6";
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s, "finding a principal", err);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int n = 0, exact = 0;
    char list[1024] = "";
    size_t used = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *a = (const char *)sqlite3_column_text(st, 1);
        if (n == 0) {
            *id = sqlite3_column_int64(st, 0);
            snprintf(arn, arn_len, "%s", a);
            exact = strcmp(a, name) == 0;
        }
        int w = snprintf(list + used, sizeof list - used, "\n  %s", a);
        if (w > 0 && (size_t)w < sizeof list - used)
            used += (size_t)w;
        n++;
        if (exact)
            break;
    }
    sqlite3_finalize(st);
    if (n == 0)
        return tt_fail(err, TT_ERR_NOTFOUND, "no principal named \"%s\" in the store (see `trailtrim principals`)", name);
    if (n > 1 && !exact)
        return tt_fail(err, TT_ERR_USAGE, "\"%s\" names more than one principal; give the full ARN:%s%s", name,
                       list, n > 5 ? "\n  ..." : "");
    return TT_OK;
}

/* ---- comparing stores (tests) ------------------------------------------- */

static const char *const compare_sql =
    "SELECT time_ms, principal, arn, access_key, event_source, event_name, region, source_ip,"
    " user_agent, error_code, event_type, read_only, recipient_account, minted_key"
    " FROM events ORDER BY time_ms, principal, event_name, source_ip, user_agent, access_key, arn,"
    " region, error_code";

int sq_compare(sq_store *a, sq_store *b, tt_error *err)
{
    sqlite3_stmt *qa = NULL, *qb = NULL;
    int diff = 0;
    int64_t row = 0;
    if (sqlite3_prepare_v2(a->db, compare_sql, -1, &qa, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(b->db, compare_sql, -1, &qb, NULL) != SQLITE_OK) {
        tt_fail(err, TT_ERR_STORE, "compare: %s", sqlite3_errmsg(qa ? b->db : a->db));
        diff = 1;
        goto out;
    }
    for (;; row++) {
        int ra = sqlite3_step(qa), rb = sqlite3_step(qb);
        if (ra != rb) {
            tt_fail(err, TT_ERR_STORE, "stores differ at row %lld: one has %s", (long long)row,
                    ra == SQLITE_ROW ? "more events" : "fewer events");
            diff = 1;
            break;
        }
        if (ra != SQLITE_ROW)
            break;
        for (int c = 0; c < sqlite3_column_count(qa); c++) {
            const char *x = (const char *)sqlite3_column_text(qa, c);
            const char *y = (const char *)sqlite3_column_text(qb, c);
            if ((x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0)) {
                tt_fail(err, TT_ERR_STORE, "stores differ at row %lld, column %s: \"%s\" vs \"%s\"",
                        (long long)row, sqlite3_column_name(qa, c), x ? x : "NULL", y ? y : "NULL");
                diff = 1;
                goto out;
            }
        }
    }
out:
    sqlite3_finalize(qa);
    sqlite3_finalize(qb);
    return diff;
}

tt_status sq_each_object(sq_store *s, store_object_fn fn, void *ctx, tt_error *err)
{
    static const char *sql =
        "SELECT path, member, size, mtime_ns, sha256, status FROM object WHERE sha256 IS NOT NULL";
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return sq_fail(s, "reading the manifest", err);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_bytes(st, 4) != 32)
            continue;
        fn(ctx, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
           sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3), sqlite3_column_blob(st, 4),
           strcmp((const char *)sqlite3_column_text(st, 5), "rejected") == 0 ||
               strcmp((const char *)sqlite3_column_text(st, 5), "partial") == 0);
    }
    tt_status out = rc == SQLITE_DONE ? TT_OK : sq_fail(s, "reading the manifest", err);
    sqlite3_finalize(st);
    return out;
}
