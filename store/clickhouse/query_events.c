/*
 * query_events.c - the ClickHouse backend's event-level reads: search and
 * key (store_forensics.h), trust and keys (store_trust.h). A filter on
 * access keys is a range of the events table's primary key (it is ordered
 * by access key), so a leaked key's calls are found without a full scan;
 * who minted a key is a range of the minted table.
 */
#include "ch_int.h"

#include "common/hex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQL_CAP ((size_t)1 << 20)

static void add(tt_buf *q, const char *text)
{
    tt_buf_append(q, text, strlen(text));
}

static void add_str(tt_buf *q, const char *s)
{
    ch_sql_str(q, s, strlen(s));
}

/* A GLOB pattern (SQLite's: * ? [...], case-sensitive) as an anchored
 * re2 pattern for match(). */
static void add_glob(tt_buf *q, const char *g)
{
    tt_buf re;
    tt_buf_init(&re, SQL_CAP);
    tt_buf_append(&re, "^", 1);
    for (const char *p = g; *p; p++) {
        if (*p == '*') {
            tt_buf_append(&re, ".*", 2);
        } else if (*p == '?') {
            tt_buf_append(&re, ".", 1);
        } else if (*p == '[' && strchr(p + 1, ']')) {
            const char *end = strchr(p + 2, ']') ? strchr(p + 2, ']') : strchr(p + 1, ']');
            tt_buf_append(&re, "[", 1);
            const char *c = p + 1;
            if (*c == '^') {
                tt_buf_append(&re, "^", 1);
                c++;
            }
            for (; c < end; c++) {
                if (*c == '\\' || *c == '[')
                    tt_buf_append(&re, "\\", 1);
                tt_buf_append(&re, c, 1);
            }
            tt_buf_append(&re, "]", 1);
            p = end;
        } else {
            if (strchr("\\.+()|{}^$[]", *p))
                tt_buf_append(&re, "\\", 1);
            tt_buf_append(&re, p, 1);
        }
    }
    tt_buf_append(&re, "$", 1);
    ch_sql_str(q, re.data, re.len);
    tt_buf_free(&re);
}

static void where_time(tt_buf *q, int64_t since, int64_t until)
{
    char t[96];
    snprintf(t, sizeof t, " WHERE t >= %lld AND t < %lld", (long long)(since ? since : INT64_MIN),
             (long long)(until ? until : INT64_MAX));
    add(q, t);
}

static void build(ch_store *s, tt_buf *q, const store_filter *f)
{
    add(q, "SELECT t, access_key, principal, arn, id_account, id_type, session, user_name,"
           " source, name, region, ip, ua, error, minted, read_only, path, member, sha256, off"
           " FROM ");
    add(q, s->events);
    add(q, " FINAL");
    where_time(q, f->since_ms, f->until_ms);
    if (f->nkeys) {
        add(q, " AND access_key IN (");
        for (size_t k = 0; k < f->nkeys; k++) {
            add(q, k ? ", " : "");
            add_str(q, f->keys[k]);
        }
        add(q, ")");
    }
    if (f->principal) {
        char p[64];
        snprintf(p, sizeof p, " AND pid = %lld", (long long)f->principal);
        add(q, p);
    }
    const struct {
        const char *col, *v;
    } eq[] = {{"session", f->session}, {"ip", f->ip}, {"source", f->source}};
    for (size_t i = 0; i < sizeof eq / sizeof *eq; i++) {
        if (!eq[i].v)
            continue;
        add(q, " AND ");
        add(q, eq[i].col);
        add(q, " = ");
        add_str(q, eq[i].v);
    }
    if (f->event_glob) {
        add(q, " AND match(name, ");
        add_glob(q, f->event_glob);
        add(q, ")");
    }
    if (f->error_glob) {
        add(q, " AND error != '' AND match(error, ");
        add_glob(q, f->error_glob);
        add(q, ")");
    }
    add(q, " ORDER BY t, eid");
    if (f->limit > 0) {
        char l[40];
        snprintf(l, sizeof l, " LIMIT %lld", (long long)f->limit);
        add(q, l);
    }
    add(q, " FORMAT TabSeparated");
}

typedef struct ev_walk {
    store_fevent_fn fn;
    void *ctx;
} ev_walk;

static int take_event(void *ctx, const ch_row *r)
{
    ev_walk *w = ctx;
    if (r->n < 20)
        return 0;
    char **f = r->f;
    uint8_t sha[32];
    int has_sha = tt_hex_decode(f[18], sha, 32) == 0;
    store_fevent ev = {strtoll(f[0], NULL, 10), f[1], f[2], f[3], f[4], f[5], f[6], f[7],
                       f[8], f[9], f[10], f[11], f[12], f[13], f[14], (int)strtol(f[15], NULL, 10),
                       f[16], f[17], has_sha ? sha : NULL, strtoll(f[19], NULL, 10)};
    return w->fn(w->ctx, &ev);
}

tt_status ch_each_event(ch_store *s, const store_filter *f, store_fevent_fn fn, void *ctx,
                        tt_error *err)
{
    tt_buf q;
    tt_buf_init(&q, SQL_CAP);
    build(s, &q, f);
    ev_walk w = {fn, ctx};
    tt_status st = q.over ? tt_fail(err, TT_ERR_USAGE, "search: the filter is too long")
                          : ch_query(s->cl, NULL, q.data, NULL, 0, take_event, &w, err);
    tt_buf_free(&q);
    return st;
}

tt_status ch_explain_events(ch_store *s, const store_filter *f,
                            void (*line)(void *ctx, const char *text), void *ctx, tt_error *err)
{
    (void)err;
    char text[CH_TABLE_MAX + 200];
    snprintf(text, sizeof text, "READ %s FINAL (ReplacingMergeTree, primary key access_key, t, eid)",
             s->events);
    line(ctx, text);
    line(ctx, f->nkeys ? "  RANGE of the primary key: access_key IN (the keys)"
                       : "  SCAN of the time window: no access key to range on");
    if (s->loc.cluster[0]) {
        snprintf(text, sizeof text, "  on every shard of cluster %s, merged in time order",
                 s->loc.cluster);
        line(ctx, text);
    }
    return TT_OK;
}

tt_status ch_key_known(ch_store *s, const char *key, int *known, tt_error *err)
{
    *known = 0;
    const char *tables[2][2] = {{s->events, "access_key"}, {s->minted, "minted"}};
    tt_status st = TT_OK;
    for (int i = 0; i < 2 && st == TT_OK && !*known; i++) {
        tt_buf q;
        tt_buf_init(&q, SQL_CAP);
        add(&q, "SELECT count() FROM (SELECT 1 FROM ");
        add(&q, tables[i][0]);
        add(&q, " WHERE ");
        add(&q, tables[i][1]);
        add(&q, " = ");
        add_str(&q, key);
        add(&q, " LIMIT 1)");
        int64_t n = 0;
        st = ch_scalar(s->cl, q.data, &n, err);
        *known = n > 0;
        tt_buf_free(&q);
    }
    return st;
}

/* ---- trust and keys ------------------------------------------------------ */

typedef struct assume_walk {
    store_trust_assume_fn fn;
    void *ctx;
} assume_walk;

static int take_assume(void *ctx, const ch_row *r)
{
    assume_walk *w = ctx;
    if (r->n < 9)
        return 0;
    char **f = r->f;
    uint8_t sha[32];
    int has_sha = tt_hex_decode(f[7], sha, 32) == 0;
    store_trust_assume a = {strtoll(f[0], NULL, 10), f[1], f[2], f[3], f[4], f[5], f[6],
                            has_sha ? sha : NULL, strtoll(f[8], NULL, 10)};
    return w->fn(w->ctx, &a);
}

tt_status ch_trust_each_assume(ch_store *s, int64_t since_ms, int64_t until_ms,
                               store_trust_assume_fn fn, void *ctx, tt_error *err)
{
    tt_buf q;
    tt_buf_init(&q, SQL_CAP);
    add(&q, "SELECT t, name, principal, id_type, ip, path, member, sha256, off FROM ");
    add(&q, s->events);
    add(&q, " FINAL");
    where_time(&q, since_ms, until_ms);
    add(&q, " AND source = 'sts.amazonaws.com' AND name IN ('AssumeRole',"
            " 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML') AND error = ''"
            " ORDER BY t, path, member, off FORMAT TabSeparated");
    assume_walk w = {fn, ctx};
    tt_status st = ch_query(s->cl, NULL, q.data, NULL, 0, take_assume, &w, err);
    tt_buf_free(&q);
    return st;
}

tt_status ch_keys_rows(ch_store *s, store_keys_kind kind, int64_t since_ms, int64_t until_ms,
                       store_row_fn fn, void *ctx, tt_error *err)
{
    static const char *const sel[] = {
        [STORE_KEYS_SUMMARY] =
            "SELECT access_key AS key, max(principal), max(id_type), min(t), max(t), count(),"
            " countIf(error != ''), uniqExact(source), uniqExactIf(region, region != ''),"
            " uniqExactIf(ip, ip != ''), uniqExactIf(ua, ua != '')",
        [STORE_KEYS_NEWEST] = ("SELECT access_key AS key, nullIf(argMax(ip, (t, ip, ua)), ''),"
                               " nullIf(argMax(ua, (t, ip, ua)), '')"),
        [STORE_KEYS_SERVICES] = "SELECT access_key AS key, source, count() AS calls",
        [STORE_KEYS_REGIONS] = "SELECT access_key AS key, region, count() AS calls",
        [STORE_KEYS_MINTED] = "SELECT access_key AS key, name, uniqExact(minted)",
    };
    static const char *const tail[] = {
        [STORE_KEYS_SUMMARY] = " GROUP BY key ORDER BY key",
        [STORE_KEYS_NEWEST] = " GROUP BY key ORDER BY key",
        [STORE_KEYS_SERVICES] = " GROUP BY key, source ORDER BY key, calls DESC, source",
        [STORE_KEYS_REGIONS] = " GROUP BY key, region ORDER BY key, calls DESC, region",
        [STORE_KEYS_MINTED] = (" AND minted != '' AND error = '' GROUP BY key, name"
                               " ORDER BY key, name"),
    };
    if ((int)kind < 0 || kind > STORE_KEYS_MINTED)
        return tt_fail(err, TT_ERR_USAGE, "no such key query %d", (int)kind);
    tt_buf q;
    tt_buf_init(&q, SQL_CAP);
    add(&q, sel[kind]);
    add(&q, " FROM ");
    add(&q, s->events);
    add(&q, " FINAL");
    where_time(&q, since_ms, until_ms);
    add(&q, " AND access_key LIKE 'AKIA%'");
    add(&q, tail[kind]);
    tt_status st = ch_each_row(s, q.data, fn, ctx, err);
    tt_buf_free(&q);
    return st;
}
