/*
 * test_store.c - the store on real SQLite files: exactly-once by event key,
 * the rollup and coverage, the dictionaries surviving a reopen, the
 * writer's lock, the manifest asked row by row while a writer writes, and
 * the comparison used by the crash tests.
 */
#define _GNU_SOURCE
#include "check.h"

#include "common/event.h"
#include "store/sqlite/fpmap.h"
#include "store/sqlite/key_known_sql.h"
#include "store/store.h"
#include "store/store_forensics.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

static tt_str S(const char *s)
{
    return (tt_str){s, (uint32_t)strlen(s)};
}

static tt_event mk(const char *id, int64_t t, const char *user, const char *name, const char *err)
{
    tt_event e;
    memset(&e, 0, sizeof e);
    e.time_ms = t;
    e.event_id = S(id);
    e.event_source = S("s3.amazonaws.com");
    e.event_name = S(name);
    e.region = S("us-east-1");
    e.source_ip = S("198.51.100.1");
    e.error_code = S(err);
    e.recipient_account = S("111122223333");
    e.id_type = S("IAMUser");
    e.id_arn = S(user);
    e.id_account = S("111122223333");
    e.id_access_key = S("AKIAEXAMPLE");
    return e;
}

static store_object obj(const char *path)
{
    store_object o = {path, "", "file", "events", 100, 1, NULL, STORE_OBJ_LOADED, NULL, NULL};
    return o;
}

typedef struct usage_sum {
    int64_t calls, errors, denied;
    int rows;
} usage_sum;

static int sum_rows(void *ctx, const store_row *r)
{
    usage_sum *u = ctx;
    u->rows++;
    for (int i = 0; i < r->ncols; i++) {
        if (strcmp(r->names[i], "calls") == 0)
            u->calls += r->num[i];
        if (strcmp(r->names[i], "errors") == 0)
            u->errors += r->num[i];
        if (strcmp(r->names[i], "denied") == 0)
            u->denied += r->num[i];
    }
    return 0;
}

static const int64_t T0 = 1790000000000LL; /* 2026-09-21 */

static void fill(store *s, const char *path, int with_dup, int64_t want_added, int64_t want_dups)
{
    tt_error err;
    tt_event evs[4] = {
        mk("e1", T0, "arn:aws:iam::111122223333:user/alice", "GetObject", ""),
        mk("e2", T0 + 1000, "arn:aws:iam::111122223333:user/alice", "GetObject", "AccessDenied"),
        mk("e3", T0 + 86400000, "arn:aws:iam::111122223333:user/bob", "PutObject", "NoSuchKey"),
        mk("e1", T0, "arn:aws:iam::111122223333:user/alice", "GetObject", ""), /* a re-delivery */
    };
    store_object o = obj(path);
    store_add_counts c;
    CHECK(store_add_object(s, &o, evs, NULL, with_dup ? 4 : 3, &c, &err) == TT_OK);
    CHECK_MSG(c.added == want_added && c.duplicates == want_dups, "added %lld dups %lld", (long long)c.added, (long long)c.duplicates);
}

static void stand_in_kh(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    sqlite3_result_int64(ctx, 0);
}

/* A key minted days apart from another is known through event_minted,
 * probed by day; a key nobody minted is not; and the lookup reads the
 * index, not the events (its plan): it walks the days that have minted keys
 * and probes each by day and key hash. A crafted eventTime far off adds a
 * day to walk, not the days in between. */
static void minted_by_day(const char *dir)
{
    char path[256];
    snprintf(path, sizeof path, "%s/minted.db", dir);
    tt_error err;
    store *s = NULL;
    CHECK(store_open(&s, path, STORE_WRITE, &err) == TT_OK);
    const char *role = "arn:aws:iam::111122223333:user/alice";
    tt_event evs[4] = {mk("m1", T0, role, "AssumeRole", ""), mk("m2", T0 + 3600000, role, "ListBuckets", ""),
                       mk("m3", T0 + 9 * 86400000LL, role, "GetSessionToken", ""),
                       mk("m4", 253402300799000LL, role, "AssumeRole", "")}; /* 9999-12-31 */
    evs[0].minted_key = S("ASIAMINTEDFIRSTDAY01");
    evs[2].minted_key = S("ASIAMINTEDNINTHDAY09");
    evs[3].minted_key = S("ASIAMINTEDYEAR99999X");
    store_object o = obj("/logs/minted.json.gz");
    store_add_counts c;
    CHECK(store_add_object(s, &o, evs, NULL, 4, &c, &err) == TT_OK);
    CHECK(store_close(s, &err) == TT_OK);
    CHECK(store_open(&s, path, STORE_READ, &err) == TT_OK);
    int known = -1;
    CHECK(store_key_known(s, "ASIAMINTEDFIRSTDAY01", &known, &err) == TT_OK && known == 1);
    CHECK(store_key_known(s, "ASIAMINTEDNINTHDAY09", &known, &err) == TT_OK && known == 1);
    CHECK(store_key_known(s, "ASIAMINTEDYEAR99999X", &known, &err) == TT_OK && known == 1);
    CHECK(store_key_known(s, "ASIAMINTEDNINTHDAY99", &known, &err) == TT_OK && known == 0);
    CHECK(store_key_known(s, "AKIAEXAMPLE", &known, &err) == TT_OK && known == 1); /* used */
    CHECK(store_close(s, &err) == TT_OK);
    /* The plan, on the file itself (tt_kh stood in for: planning does not
     * call it). */
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    CHECK(sqlite3_create_function(db, "tt_kh", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                  stand_in_kh, NULL, NULL) == SQLITE_OK);
    CHECK(sqlite3_prepare_v2(db, "EXPLAIN QUERY PLAN " SQ_KEY_KNOWN_SQL, -1, &q, NULL) == SQLITE_OK);
    int by_index = 0, walks_days = 0, scans_events = 0;
    while (q && sqlite3_step(q) == SQLITE_ROW) {
        const char *d = (const char *)sqlite3_column_text(q, 3);
        by_index += strstr(d, "USING INDEX event_minted (<expr>=? AND mh=?)") != NULL;
        walks_days += strstr(d, "INDEX event_minted (<expr>>?)") != NULL;
        /* a scan of the events themselves, not of the index for its first day */
        scans_events += (strncmp(d, "SCAN e", 6) == 0 && (d[6] == '\0' || d[6] == ' ')) ||
                        (strncmp(d, "SCAN event", 10) == 0 && !strstr(d, "INDEX event_minted"));
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    CHECK_MSG(by_index == 1 && walks_days == 1 && scans_events == 0,
              "key lookup plan: %d probes by day and key, %d walks of the days, %d scans", by_index,
              walks_days, scans_events);
}

/* Each source IP read back, in time order, by search's path. */
typedef struct ips_seen {
    char ip[8][48];
    int n;
} ips_seen;

static int on_ip(void *ctx, const store_fevent *ev)
{
    ips_seen *x = ctx;
    if (x->n < 8)
        snprintf(x->ip[x->n++], sizeof x->ip[0], "%s", ev->ip);
    return 0;
}

static int64_t count_sql(const char *db, const char *sql)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *q = NULL;
    int64_t v = -1;
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(h, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(h);
    return v;
}

/* Schema 6: a canonical IPv4 source is kept in the event row, every other
 * spelling in dict; all read back byte for byte, by the view and by
 * search, and search --ip finds each. */
static void ip_column(const char *dir)
{
    char path[256];
    snprintf(path, sizeof path, "%s/ip.db", dir);
    static const char *const ips[6] = {"203.0.113.7", "010.001.002.003", "2001:db8::1",
                                       "ec2.amazonaws.com", "255.255.255.255", "0.0.0.0"};
    const char *user = "arn:aws:iam::111122223333:user/ip";
    tt_event evs[6];
    char ids[6][8];
    for (int i = 0; i < 6; i++) {
        snprintf(ids[i], sizeof ids[i], "ip%d", i);
        evs[i] = mk(ids[i], T0 + i * 1000, user, "ListBuckets", "");
        evs[i].source_ip = S(ips[i]);
    }
    tt_error err;
    store *s = NULL;
    CHECK(store_open(&s, path, STORE_WRITE, &err) == TT_OK);
    store_object o = obj("/logs/ip.json.gz");
    store_add_counts c;
    CHECK(store_add_object(s, &o, evs, NULL, 6, &c, &err) == TT_OK && c.added == 6);
    CHECK(store_close(s, &err) == TT_OK);
    CHECK(count_sql(path, "SELECT count(*) FROM event WHERE ip < 0") == 3);
    CHECK(count_sql(path, "SELECT count(*) FROM dict WHERE v IN ('203.0.113.7',"
                          " '255.255.255.255', '0.0.0.0')") == 0);
    CHECK(count_sql(path, "SELECT count(*) FROM dict WHERE v IN ('010.001.002.003',"
                          " '2001:db8::1', 'ec2.amazonaws.com')") == 3);
    char sql[256];
    for (int i = 0; i < 6; i++) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE source_ip = '%s'", ips[i]);
        CHECK_MSG(count_sql(path, sql) == 1, "the view reads %s back", ips[i]);
    }
    CHECK(store_open(&s, path, STORE_READ, &err) == TT_OK);
    ips_seen all = {.n = 0};
    store_filter f;
    memset(&f, 0, sizeof f);
    CHECK(store_each_event(s, &f, on_ip, &all, &err) == TT_OK && all.n == 6);
    for (int i = 0; i < 6 && i < all.n; i++)
        CHECK_MSG(strcmp(all.ip[i], ips[i]) == 0, "search reads %s as %s", ips[i], all.ip[i]);
    for (int i = 0; i < 6; i++) {
        ips_seen one = {.n = 0};
        f.ip = ips[i];
        CHECK(store_each_event(s, &f, on_ip, &one, &err) == TT_OK);
        CHECK_MSG(one.n == 1 && strcmp(one.ip[0], ips[i]) == 0, "search --ip %s: %d", ips[i], one.n);
    }
    ips_seen none = {.n = 0};
    f.ip = "203.0.113.8";
    CHECK(store_each_event(s, &f, on_ip, &none, &err) == TT_OK && none.n == 0);
    CHECK(store_close(s, &err) == TT_OK);
}

static fp128 key_n(uint64_t i)
{
    return (fp128){i * 0x9e3779b97f4a7c15ULL | 1, i};
}

/* The writer's bounded cache: what was put in the last generation or the
 * one before is found with its values, what is older is not, a key found
 * in the old generation moves back to the young one, and the tables are
 * reused from one generation to the next, not allocated anew. */
static void fpcache_generations(void)
{
    store_fpcache c;
    store_fpcache_init(&c, 1024);
    for (uint64_t i = 1; i <= 3 * 1024; i++)
        store_fpcache_put(&c, key_n(i), (int64_t)i, -(int64_t)i);
    /* Generations of 1024: keys 1-1024 gone, 1025-2048 old, 2049-3072
     * young (found there without moving anything). */
    int64_t v1 = 0, v2 = 0, young = 0;
    for (uint64_t i = 2049; i <= 3 * 1024; i++)
        young += store_fpcache_get(&c, key_n(i), &v1, &v2) && v1 == (int64_t)i && v2 == -(int64_t)i;
    CHECK_MSG(young == 1024, "%lld of the young generation found", (long long)young);
    CHECK(!store_fpcache_get(&c, key_n(1), &v1, &v2) && !store_fpcache_get(&c, key_n(1024), &v1, &v2));
    /* Found in the old generation: back into the young one, which is full,
     * so a generation turns and the old table is emptied for the young. */
    store_fpmap_slot *young_table = c.young.slots, *old_table = c.old.slots;
    CHECK(store_fpcache_get(&c, key_n(1025), &v1, &v2) && v1 == 1025 && v2 == -1025);
    CHECK(c.old.slots == young_table && c.young.slots == old_table);
    CHECK(c.young.count == 1 && c.old.count == 1024);
    CHECK(store_fpcache_get(&c, key_n(1025), &v1, &v2) && v1 == 1025);
    CHECK(store_fpcache_get(&c, key_n(2049), &v1, &v2) && v1 == 2049);
    CHECK(!store_fpcache_get(&c, key_n(1026), &v1, &v2)); /* its generation is gone */
    store_fpcache_free(&c);
}

/* store_find_object and store_has_content: a row as store_each_object
 * hands it (only rows with a content hash; rejected and partial told
 * apart), content only of objects loaded, asked beside the writer, and the
 * manifest as it was when the store was opened: what this writer stores,
 * committed or not, does not count. */
static void manifest_rows(const char *dir)
{
    char path[256];
    snprintf(path, sizeof path, "%s/manifest.db", dir);
    store *s = NULL;
    tt_error err;
    CHECK(store_open(&s, path, STORE_WRITE, &err) == TT_OK);
    CHECK(store_finds_objects(s) == 1);
    static const uint8_t sha[4][32] = {{1}, {2}, {3}, {4}};
    static const store_obj_status status[4] = {STORE_OBJ_LOADED, STORE_OBJ_REJECTED,
                                               STORE_OBJ_PARTIAL, STORE_OBJ_LOADED};
    static const char *const name[4] = {"/b/loaded.json.gz", "/b/rejected.json.gz",
                                        "/b/partial.json.gz", "/b/unread.json.gz"};
    for (int i = 0; i < 4; i++) {
        store_object o = obj(name[i]);
        o.size = 1000 + i;
        o.mtime_ns = 7000 + i;
        o.sha256 = i == 3 ? NULL : sha[i]; /* the last one never read */
        o.status = status[i];
        o.reason = i == 1 || i == 2 ? "why" : NULL;
        CHECK(store_add_object(s, &o, NULL, NULL, 0, NULL, &err) == TT_OK);
    }
    store_object_info info;
    int found = 1;
    CHECK(store_find_object(s, name[0], "", &info, &found, &err) == TT_OK && found == 0);
    CHECK(store_commit(s, &err) == TT_OK);
    CHECK(store_find_object(s, name[0], "", &info, &found, &err) == TT_OK && found == 0);
    CHECK(store_has_content(s, sha[0], &found, &err) == TT_OK && found == 0);
    CHECK(store_close(s, &err) == TT_OK);
    CHECK(store_open(&s, path, STORE_WRITE, &err) == TT_OK);
    for (int i = 0; i < 3; i++) {
        memset(&info, 0, sizeof info);
        CHECK(store_find_object(s, name[i], "", &info, &found, &err) == TT_OK && found == 1);
        CHECK(info.size == 1000 + i && info.mtime_ns == 7000 + i);
        CHECK(memcmp(info.sha256, sha[i], 32) == 0 && info.rejected == (i != 0));
    }
    CHECK(store_find_object(s, name[3], "", &info, &found, &err) == TT_OK && found == 0);
    CHECK(store_find_object(s, name[0], "member", &info, &found, &err) == TT_OK && found == 0);
    CHECK(store_find_object(s, "/b/other.json.gz", "", &info, &found, &err) == TT_OK && !found);
    CHECK(store_has_content(s, sha[0], &found, &err) == TT_OK && found == 1);
    CHECK(store_has_content(s, sha[1], &found, &err) == TT_OK && found == 0);
    CHECK(store_has_content(s, sha[2], &found, &err) == TT_OK && found == 0);
    CHECK(store_has_content(s, sha[3], &found, &err) == TT_OK && found == 0);
    CHECK(store_close(s, &err) == TT_OK);
    /* The readers were closed first: the writer's close took the WAL away. */
    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", path);
    CHECK(access(wal, F_OK) != 0);
}

int main(void)
{
    fpcache_generations();
    char dir[] = "/tmp/tt-store-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char a[256], b[256];
    snprintf(a, sizeof a, "%s/a.db", dir);
    snprintf(b, sizeof b, "%s/b.db", dir);
    tt_error err;
    store *s = NULL, *s2 = NULL;

    CHECK(store_open(&s, a, STORE_WRITE, &err) == TT_OK);
    CHECK(store_open(&s2, a, STORE_WRITE, &err) == TT_ERR_BUSY); /* one writer */
    CHECK(strstr(err.msg, "another trailtrim") != NULL);
    fill(s, "/logs/one.json.gz", 1, 3, 1);
    CHECK(store_close(s, &err) == TT_OK);
    minted_by_day(dir);
    ip_column(dir);
    manifest_rows(dir);

    /* Reopen: the dictionaries load from the file; the same events from
     * another object are all duplicates; a new one is added. */
    CHECK(store_open(&s, a, STORE_WRITE, &err) == TT_OK);
    tt_event again[2] = {mk("e3", T0 + 86400000, "arn:aws:iam::111122223333:user/bob", "PutObject", "NoSuchKey"),
                         mk("e4", T0 + 2000, "arn:aws:iam::111122223333:user/bob", "PutObject", "")};
    store_object o2 = obj("/logs/two.json.gz");
    store_add_counts c;
    CHECK(store_add_object(s, &o2, again, NULL, 2, &c, &err) == TT_OK);
    CHECK(c.added == 1 && c.duplicates == 1);
    CHECK(store_close(s, &err) == TT_OK);

    CHECK(store_open(&s, a, STORE_READ, &err) == TT_OK);
    store_summary sum;
    CHECK(store_get_summary(s, &sum, &err) == TT_OK);
    CHECK(sum.events == 4 && sum.objects == 2 && sum.principals == 2);
    int64_t pid;
    char arn[256];
    CHECK(store_find_principal(s, "alice", &pid, arn, sizeof arn, &err) == TT_OK);
    CHECK_STR(arn, "arn:aws:iam::111122223333:user/alice");
    usage_sum u = {0};
    int32_t day = (int32_t)(T0 / 86400000);
    CHECK(store_list_usage(s, pid, day - 1, day + 1, sum_rows, &u, &err) == TT_OK);
    CHECK(u.rows == 1 && u.calls == 2 && u.errors == 1 && u.denied == 1);
    usage_sum narrow = {0};
    CHECK(store_list_usage(s, pid, day + 1, day + 5, sum_rows, &narrow, &err) == TT_OK);
    CHECK(narrow.rows == 0); /* outside the window */
    CHECK(store_find_principal(s, "user/carol", &pid, arn, sizeof arn, &err) == TT_ERR_NOTFOUND);
    CHECK(store_find_principal(s, "111122223333:user", &pid, arn, sizeof arn, &err) == TT_ERR_NOTFOUND);
    usage_sum all = {0};
    CHECK(store_list_principals(s, day - 1, day + 1, sum_rows, &all, &err) == TT_OK);
    CHECK(all.rows == 2 && all.calls == 4);

    /* Another store with the same events in another order compares equal;
     * one event less does not. */
    CHECK(store_open(&s2, b, STORE_WRITE, &err) == TT_OK);
    store_object ob = obj("/x/other-name.json.gz");
    CHECK(store_add_object(s2, &ob, again, NULL, 2, &c, &err) == TT_OK);
    CHECK(store_compare(s, s2, &err) != 0);
    fill(s2, "/x/first.json.gz", 0, 2, 1); /* e3 came already */
    CHECK(store_commit(s2, &err) == TT_OK);
    CHECK_MSG(store_compare(s, s2, &err) == 0, "%s", err.msg);
    store_close(s2, NULL);
    store_close(s, NULL);

    /* A store from a newer trailtrim is refused, not misread. */
    char sql[512];
    snprintf(sql, sizeof sql, "sqlite3 %s \"UPDATE meta SET value='99' WHERE key='schema_version'\"", a);
    if (system(sql) == 0) {
        CHECK(store_open(&s, a, STORE_READ, &err) == TT_ERR_STORE);
        CHECK(strstr(err.msg, "newer") != NULL);
    } else {
        CHECK_SKIP("sqlite3 shell not installed");
    }
    snprintf(sql, sizeof sql, "rm -rf %s", dir);
    if (system(sql) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_done();
}
