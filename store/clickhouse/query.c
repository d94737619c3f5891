/*
 * query.c - the ClickHouse backend's aggregate reads: manifest, summary,
 * problems, coverage, principals, usage and the reads of policy
 * generation. Principals, usage and policy read the daily rollup (usage,
 * rebuilt from the de-duplicated events), never the events; each is one
 * query that ClickHouse aggregates (FINAL), ordered as the SQLite backend
 * orders it, so that both backends give the same answers byte for byte.
 */
#include "ch_int.h"

#include "common/hex.h"

#include "common/ttime.h"
#include "coverage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQL_MAX 8192
#define MAX_COLS 16

/* ---- rows as store_row --------------------------------------------------- */

typedef struct row_conv {
    store_row_fn fn;
    void *ctx;
    int line; /* 0: names next, 1: types next, 2: data */
    int nc;
    char names[MAX_COLS][64];
    int is_int[MAX_COLS], is_time[MAX_COLS];
} row_conv;

static int is_int_type(const char *t)
{
    if (strncmp(t, "Nullable(", 9) == 0)
        t += 9;
    return strncmp(t, "Int", 3) == 0 || strncmp(t, "UInt", 4) == 0;
}

static int conv_row(void *ctx, const ch_row *r)
{
    row_conv *c = ctx;
    size_t nc = r->n < MAX_COLS ? r->n : MAX_COLS;
    if (c->line == 0) {
        c->nc = (int)nc;
        for (size_t i = 0; i < nc; i++) {
            size_t len = strlen(r->f[i]);
            c->is_time[i] = len > 3 && strcmp(r->f[i] + len - 3, "_ms") == 0;
            snprintf(c->names[i], sizeof c->names[i], "%.*s",
                     (int)(c->is_time[i] ? len - 3 : len), r->f[i]);
        }
        c->line = 1;
        return 0;
    }
    if (c->line == 1) {
        for (size_t i = 0; i < nc; i++)
            c->is_int[i] = is_int_type(r->f[i]);
        c->line = 2;
        return 0;
    }
    const char *names[MAX_COLS], *text[MAX_COLS];
    char iso[MAX_COLS][21];
    int64_t num[MAX_COLS];
    int is_num[MAX_COLS];
    for (int i = 0; i < c->nc; i++) {
        names[i] = c->names[i];
        int present = (size_t)i < r->n && !r->null[i];
        num[i] = present ? strtoll(r->f[i], NULL, 10) : 0;
        is_num[i] = present && c->is_int[i] && !c->is_time[i];
        if (!present) {
            text[i] = NULL;
        } else if (c->is_time[i]) {
            tt_time_format(num[i], iso[i]);
            text[i] = iso[i];
        } else {
            text[i] = r->f[i];
        }
    }
    store_row row = {c->nc, names, text, num, is_num};
    return c->fn(c->ctx, &row);
}

tt_status ch_each_row(ch_store *s, const char *sql, store_row_fn fn, void *ctx, tt_error *err)
{
    row_conv c;
    memset(&c, 0, sizeof c);
    c.fn = fn;
    c.ctx = ctx;
    static const char tail[] = " FORMAT TabSeparatedWithNamesAndTypes";
    tt_buf q;
    tt_buf_init(&q, strlen(sql) + sizeof tail);
    tt_buf_append(&q, sql, strlen(sql));
    tt_buf_append(&q, tail, sizeof tail - 1);
    tt_status st = ch_query(s->cl, NULL, q.data, NULL, 0, conv_row, &c, err);
    tt_buf_free(&q);
    return st;
}

/* ---- the manifest -------------------------------------------------------- */

typedef struct obj_walk {
    store_object_fn fn;
    void *ctx;
} obj_walk;

static int take_object(void *ctx, const ch_row *r)
{
    obj_walk *w = ctx;
    uint8_t sha[32];
    if (r->n < 6 || tt_hex_decode(r->f[4], sha, 32) != 0)
        return 0;
    w->fn(w->ctx, r->f[0], r->f[1], strtoll(r->f[2], NULL, 10), strtoll(r->f[3], NULL, 10), sha,
          strcmp(r->f[5], "rejected") == 0 || strcmp(r->f[5], "partial") == 0);
    return 0;
}

tt_status ch_each_object(ch_store *s, store_object_fn fn, void *ctx, tt_error *err)
{
    tt_status st = ch_flush(s, err);
    char sql[SQL_MAX];
    snprintf(sql, sizeof sql,
             "SELECT path, member, size, mtime_ns, sha256, status FROM %s FINAL"
             " WHERE sha256 != '' FORMAT TabSeparated", s->objects);
    obj_walk w = {fn, ctx};
    return st == TT_OK ? ch_query(s->cl, NULL, sql, NULL, 0, take_object, &w, err) : st;
}

/* ---- summary and problems ------------------------------------------------ */

typedef struct ints {
    int64_t v[16];
    size_t n;
} ints;

static int take_ints(void *ctx, const ch_row *r)
{
    ints *x = ctx;
    for (x->n = 0; x->n < r->n && x->n < 16; x->n++)
        x->v[x->n] = r->null[x->n] ? 0 : strtoll(r->f[x->n], NULL, 10);
    return 1;
}

static tt_status query_ints(ch_store *s, const char *sql, ints *out, tt_error *err)
{
    memset(out, 0, sizeof *out);
    char q[SQL_MAX + 32];
    snprintf(q, sizeof q, "%s FORMAT TabSeparated", sql);
    return ch_query(s->cl, NULL, q, NULL, 0, take_ints, out, err);
}

tt_status ch_get_summary(ch_store *s, store_summary *o, tt_error *err)
{
    memset(o, 0, sizeof *o);
    char sql[SQL_MAX];
    ints a, b, c;
    snprintf(sql, sizeof sql,
             "SELECT countIf(container != 'archive'),"
             " countIf(status = 'loaded' AND container != 'archive'), countIf(status = 'rejected'),"
             " countIf(status = 'partial'), countIf(kind = 'digest'), countIf(kind = 'insight'),"
             " countIf(has_verify = 1),"
             " countIf(has_verify = 1 AND verify NOT IN ('intact', 'pending')) FROM %s FINAL",
             s->objects);
    tt_status st = query_ints(s, sql, &a, err);
    snprintf(sql, sizeof sql, "SELECT uniqExact(path, member) FROM %s", s->changes);
    if (st == TT_OK)
        st = query_ints(s, sql, &b, err);
    /* From the rollup: every stored event is in exactly one of its rows. */
    snprintf(sql, sizeof sql,
             "SELECT sum(calls), uniqExact(principal), min(first_ms), max(last_ms) FROM %s FINAL",
             s->usage);
    if (st == TT_OK)
        st = query_ints(s, sql, &c, err);
    if (st != TT_OK)
        return st;
    o->objects = a.v[0];
    o->objects_loaded = a.v[1];
    o->objects_rejected = a.v[2];
    o->objects_partial = a.v[3];
    o->digests = a.v[4];
    o->insights = a.v[5];
    o->objects_verified = a.v[6];
    o->verify_problems = a.v[7];
    o->objects_changed = b.v[0];
    o->events = c.v[0];
    o->principals = c.v[1];
    o->first_ms = c.v[0] ? c.v[2] : 0;
    o->last_ms = c.v[0] ? c.v[3] : 0;
    return ch_bytes(s, &o->db_bytes, err);
}

tt_status ch_list_problems(ch_store *s, store_row_fn fn, void *ctx, tt_error *err)
{
    char sql[SQL_MAX];
    snprintf(sql, sizeof sql,
             "SELECT path, member, status, reason, seen_ms FROM ("
             "SELECT path, member, status, reason, ingested_ms AS seen_ms FROM %s FINAL"
             " WHERE status IN ('rejected', 'partial')"
             " UNION ALL SELECT path, member, 'changed' AS status,"
             " concat('content changed since it was recorded (', toString(old_size),"
             " ' bytes then, ', toString(new_size), ' bytes now; SHA-256 ', new_sha256,"
             " '): possible tampering') AS reason, seen_ms FROM %s FINAL)"
             " ORDER BY status, path, member",
             s->objects, s->changes);
    return ch_each_row(s, sql, fn, ctx, err);
}

tt_status ch_list_verdicts(ch_store *s, store_row_fn fn, void *ctx, tt_error *err)
{
    char sql[SQL_MAX];
    snprintf(sql, sizeof sql,
             "SELECT verify AS verdict, count() AS objects FROM %s FINAL WHERE has_verify = 1"
             " GROUP BY verify ORDER BY verify = 'intact' DESC, verify",
             s->objects);
    return ch_each_row(s, sql, fn, ctx, err);
}

/* ---- coverage ------------------------------------------------------------ */

static int take_day(void *ctx, const ch_row *r)
{
    return r->n < 3 ? 0 : store_cov_add(ctx, r->f[0], r->f[1], (int32_t)strtol(r->f[2], NULL, 10));
}

tt_status ch_list_coverage(ch_store *s, store_row_fn fn, void *ctx, tt_error *err)
{
    char sql[SQL_MAX];
    snprintf(sql, sizeof sql,
             "SELECT cov_account, region, day FROM %s WHERE cov_account != ''"
             " GROUP BY cov_account, region, day ORDER BY cov_account, region, day"
             " FORMAT TabSeparated", s->events);
    store_cov c;
    store_cov_init(&c, fn, ctx);
    tt_status st = ch_query(s->cl, NULL, sql, NULL, 0, take_day, &c, err);
    store_cov_finish(&c);
    return st;
}

/* ---- principals and usage ------------------------------------------------ */

tt_status ch_list_principals(ch_store *s, int32_t from_day, int32_t to_day, store_row_fn fn,
                             void *ctx, tt_error *err)
{
    char sql[SQL_MAX];
    snprintf(sql, sizeof sql,
             "SELECT principal, type, account, n AS calls, e AS errors, d AS denied,"
             " f AS first_seen_ms, l AS last_seen_ms FROM (SELECT principal,"
             " argMin(ptype, first_ms) AS type,"
             " nullIf(argMinIf(acct, (acct_path, acct_member, acct_off), acct != ''), '')"
             " AS account, sum(calls) AS n, sumIf(calls, errclass > 0) AS e,"
             " sumIf(calls, errclass = 1) AS d, min(first_ms) AS f, max(last_ms) AS l"
             " FROM %s FINAL WHERE day BETWEEN %d AND %d GROUP BY principal)"
             " ORDER BY calls DESC, principal",
             s->usage, (int)from_day, (int)to_day);
    return ch_each_row(s, sql, fn, ctx, err);
}

typedef struct found {
    const char *name;
    int n, exact;
    int64_t *id;
    char *arn;
    size_t arn_len;
    char list[1024];
    size_t used;
} found;

static int take_principal(void *ctx, const ch_row *r)
{
    found *f = ctx;
    if (r->n < 1)
        return 0;
    const char *a = r->f[0];
    if (f->n == 0) {
        *f->id = ch_principal_id(a, strlen(a));
        snprintf(f->arn, f->arn_len, "%s", a);
        f->exact = strcmp(a, f->name) == 0;
    }
    int w = snprintf(f->list + f->used, sizeof f->list - f->used, "\n  %s", a);
    if (w > 0 && (size_t)w < sizeof f->list - f->used)
        f->used += (size_t)w;
    f->n++;
    return f->exact;
}

tt_status ch_find_principal(ch_store *s, const char *name, int64_t *id, char *arn,
                            size_t arn_len, tt_error *err)
{
    tt_buf q;
    tt_buf_init(&q, (size_t)1 << 20);
    size_t n = strlen(name);
    char head[CH_TABLE_MAX + 64], num[32];
    snprintf(head, sizeof head, "SELECT DISTINCT principal FROM %s WHERE principal = ", s->usage);
    tt_buf_append(&q, head, strlen(head));
    ch_sql_str(&q, name, n);
    snprintf(num, sizeof num, "%zu", n);
    const char *parts[] = {" OR (length(principal) > ", num,
                           " AND substring(principal, length(principal) - ", num, ", ", num,
                           " + 1) IN (concat('/', ", NULL};
    for (size_t i = 0; parts[i]; i++)
        tt_buf_append(&q, parts[i], strlen(parts[i]));
    ch_sql_str(&q, name, n);
    tt_buf_append(&q, "), concat(':', ", 15);
    ch_sql_str(&q, name, n);
    tt_buf_append(&q, "))) ORDER BY principal = ", 25);
    ch_sql_str(&q, name, n);
    const char *tail = " DESC, principal LIMIT 6 FORMAT TabSeparated";
    tt_buf_append(&q, tail, strlen(tail));
    found f = {name, 0, 0, id, arn, arn_len, "", 0};
    tt_status st = q.over ? tt_fail(err, TT_ERR_USAGE, "a principal name too long")
                          : ch_query(s->cl, NULL, q.data, NULL, 0, take_principal, &f, err);
    tt_buf_free(&q);
    if (st != TT_OK)
        return st;
    if (f.n == 0)
        return tt_fail(err, TT_ERR_NOTFOUND,
                       "no principal named \"%s\" in the store (see `trailtrim principals`)", name);
    if (f.n > 1 && !f.exact)
        return tt_fail(err, TT_ERR_USAGE,
                       "\"%s\" names more than one principal; give the full ARN:%s%s", name,
                       f.list, f.n > 5 ? "\n  ..." : "");
    return TT_OK;
}

tt_status ch_list_usage(ch_store *s, int64_t principal, int32_t from_day, int32_t to_day,
                        store_row_fn fn, void *ctx, tt_error *err)
{
    char sql[SQL_MAX];
    snprintf(sql, sizeof sql,
             "SELECT source, name AS event, n AS calls, e AS errors, d AS denied,"
             " v AS via_service, f AS first_seen_ms, l AS last_seen_ms FROM (SELECT source,"
             " name, sum(calls) AS n, sumIf(calls, errclass > 0) AS e,"
             " sumIf(calls, errclass = 1) AS d, sumIf(calls, via = 1 AND errclass = 0) AS v,"
             " min(first_ms) AS f, max(last_ms) AS l"
             " FROM %s FINAL WHERE pid = %lld AND day BETWEEN %d AND %d"
             " GROUP BY source, name) ORDER BY source, event",
             s->usage, (long long)principal, (int)from_day, (int)to_day);
    return ch_each_row(s, sql, fn, ctx, err);
}

/* ---- policy generation (store_gen.h) ------------------------------------- */

typedef struct gen_walk {
    store_gen_usage_fn fn;
    void *ctx;
} gen_walk;

static int take_usage(void *ctx, const ch_row *r)
{
    gen_walk *w = ctx;
    if (r->n < 12)
        return 0;
    int64_t v[12];
    for (int i = 0; i < 12; i++)
        v[i] = strtoll(r->f[i], NULL, 10);
    store_gen_usage u = {v[0], r->f[1], r->f[2], r->f[3], r->f[4], v[5],
                         v[6], v[7], v[8], v[9], v[10], v[11]};
    return w->fn(w->ctx, &u);
}

tt_status ch_gen_each_usage(ch_store *s, int64_t principal, int32_t from_day, int32_t to_day,
                            store_gen_usage_fn fn, void *ctx, tt_error *err)
{
    char sql[SQL_MAX], who[64] = "";
    if (principal)
        snprintf(who, sizeof who, " AND pid = %lld", (long long)principal);
    snprintf(sql, sizeof sql,
             "SELECT pid, principal, argMin(ptype, first_ms), source, name, sum(calls),"
             " sumIf(calls, errclass > 0), sumIf(calls, errclass = 1),"
             " sumIf(calls, via = 1 AND errclass = 0), sumIf(svc, errclass = 0),"
             " min(first_ms), max(last_ms)"
             " FROM %s FINAL WHERE day BETWEEN %d AND %d%s"
             " GROUP BY pid, principal, source, name ORDER BY principal, source, name"
             " FORMAT TabSeparated",
             s->usage, (int)from_day, (int)to_day, who);
    gen_walk w = {fn, ctx};
    return ch_query(s->cl, NULL, sql, NULL, 0, take_usage, &w, err);
}

/* The request skeletons of every principal's direct successful calls in a
 * window, fetched in one query on the first ask and answered from memory
 * after (policy --all asks once per principal and action: one query each
 * would be a round trip and a scan each). Sorted by (pid, source, name). */
typedef struct req_entry {
    int64_t pid, calls;
    size_t source, name, skel; /* offsets into the arena; skel SIZE_MAX: NULL */
} req_entry;

struct ch_req_cache {
    int32_t from_day, to_day;
    req_entry *e;
    size_t n, cap;
    tt_buf arena;
};

static size_t arena_put(tt_buf *b, const char *s)
{
    size_t at = b->len;
    tt_buf_append(b, s, strlen(s) + 1);
    return at;
}

static int take_req_entry(void *ctx, const ch_row *r)
{
    ch_req_cache *c = ctx;
    if (r->n < 5)
        return 0;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 1024;
        c->e = tt_xrealloc(c->e, c->cap * sizeof *c->e);
    }
    req_entry *e = &c->e[c->n++];
    e->pid = strtoll(r->f[0], NULL, 10);
    e->source = arena_put(&c->arena, r->f[1]);
    e->name = arena_put(&c->arena, r->f[2]);
    e->skel = r->null[3] ? SIZE_MAX : arena_put(&c->arena, r->f[3]);
    e->calls = strtoll(r->f[4], NULL, 10);
    return 0;
}

void ch_req_cache_free(ch_req_cache *c)
{
    if (!c)
        return;
    free(c->e);
    tt_buf_free(&c->arena);
    free(c);
}

static tt_status load_requests(ch_store *s, int32_t from_day, int32_t to_day, tt_error *err)
{
    if (s->reqs && s->reqs->from_day == from_day && s->reqs->to_day == to_day)
        return TT_OK;
    ch_req_cache_free(s->reqs);
    s->reqs = tt_xcalloc(1, sizeof *s->reqs);
    s->reqs->from_day = from_day;
    s->reqs->to_day = to_day;
    tt_buf_init(&s->reqs->arena, (size_t)1 << 32);
    char sql[SQL_MAX];
    snprintf(sql, sizeof sql,
             "SELECT pid, source, name, if(req = '?' OR req = '', NULL, req) AS skel,"
             " sum(calls) - sum(svc) AS direct FROM %s FINAL WHERE day BETWEEN %d AND %d"
             " AND errclass = 0 AND via = 0 GROUP BY pid, source, name, skel HAVING direct > 0"
             " ORDER BY pid, source, name, skel FORMAT TabSeparated",
             s->usage, (int)from_day, (int)to_day);
    tt_status st = ch_query(s->cl, NULL, sql, NULL, 0, take_req_entry, s->reqs, err);
    if (st == TT_OK && s->reqs->arena.over)
        st = tt_fail(err, TT_ERR_LIMIT, "ClickHouse: the request skeletons passed 4 GiB");
    if (st != TT_OK) {
        ch_req_cache_free(s->reqs);
        s->reqs = NULL;
    }
    return st;
}

/* ClickHouse sorts strings as bytes, as memcmp does. */
static int entry_cmp(const ch_req_cache *c, const req_entry *e, int64_t pid, const char *source,
                     const char *name)
{
    if (e->pid != pid)
        return e->pid < pid ? -1 : 1;
    int d = strcmp(c->arena.data + e->source, source);
    return d ? d : strcmp(c->arena.data + e->name, name);
}

tt_status ch_gen_each_request(ch_store *s, int64_t principal, const char *source,
                              const char *event, int32_t from_day, int32_t to_day,
                              store_gen_request_fn fn, void *ctx, tt_error *err)
{
    tt_status st = load_requests(s, from_day, to_day, err);
    if (st != TT_OK)
        return st;
    const ch_req_cache *c = s->reqs;
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (entry_cmp(c, &c->e[mid], principal, source, event) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < c->n && entry_cmp(c, &c->e[i], principal, source, event) == 0; i++)
        if (fn(ctx, c->e[i].skel == SIZE_MAX ? NULL : c->arena.data + c->e[i].skel, c->e[i].calls))
            break;
    return TT_OK;
}
