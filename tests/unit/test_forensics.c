/*
 * test_forensics.c - forensics/ on a real store: the leak-story fixture
 * (tests/fixtures/leak-story, the story test_key.sh tells) is ingested by
 * the trailtrim binary into a fresh store, then the evidence cursor walks
 * the leaked key's events with their records read back (time order, each
 * record the event's own), skips and passes events as asked, re-reads one
 * record by its place, and says "changed" per event once an object's bytes
 * change. Then the key model: the data tables, and the chain the report
 * builds (the key, the session key it minted, the key created for a user).
 */
#define _GNU_SOURCE
#include "check.h"

#include "forensics/forensics.h"
#include "forensics/trust_load.h"
#include "generate/keys_load.h"
#include "store/store.h"

#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define LEAKED "AKIAQLEAKEDKEY000001"
#define SESSION "ASIAQSESSIONKEY00001"
#define BACKDOOR "AKIAQBACKDOORKEY0001"
#define STORY "AWSLogs/111122223333/CloudTrail/ap-southeast-1/2026/10/03/" \
              "111122223333_CloudTrail_ap-southeast-1_20261003T0255Z_story00.json.gz"

typedef struct walk {
    long items, records, problems, changed, out_of_order, not_own, skipped_seen;
    int64_t last_t;
    int every_other; /* want: skip odd events, pass the others without records */
    long wanted;
    char path[4096], member[256];
    uint8_t sha[32];
    int has_sha;
    int64_t off;
    char first_rec[8192];
} walk;

static forensics_want want_alternate(void *ctx, const store_fevent *ev)
{
    walk *w = ctx;
    return w->wanted++ % 2 ? FORENSICS_SKIP : FORENSICS_EVENT;
}

static int on_item(void *ctx, const forensics_item *it)
{
    walk *w = ctx;
    w->items++;
    w->out_of_order += it->ev->t < w->last_t;
    w->last_t = it->ev->t;
    if (w->every_other) {
        w->skipped_seen += it->rec != NULL || it->problem != NULL; /* no record was asked for */
        return 0;
    }
    if (it->problem) {
        w->problems++;
        w->changed += it->problem->status == TT_ERR_FORMAT;
        return 0;
    }
    if (!it->rec)
        return 0;
    w->records++;
    /* The record is the event's own: its name and key are in it. */
    char name[160];
    snprintf(name, sizeof name, "\"%s\"", it->ev->name);
    char *rec = strndup(it->rec, it->len);
    w->not_own += !(rec[0] == '{' && strstr(rec, name) && strstr(rec, "\"" LEAKED "\""));
    if (w->records == 1) {
        snprintf(w->first_rec, sizeof w->first_rec, "%s", rec);
        snprintf(w->path, sizeof w->path, "%s", it->ev->path);
        snprintf(w->member, sizeof w->member, "%s", it->ev->member);
        w->has_sha = it->ev->sha256 != NULL;
        if (it->ev->sha256)
            memcpy(w->sha, it->ev->sha256, 32);
        w->off = it->ev->off;
    }
    free(rec);
    return 0;
}

/* Runs a shell command line; its exit status. */
__attribute__((format(printf, 1, 2))) static int sh(const char *fmt, ...)
{
    char cmd[32768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    return system(cmd);
}

static void test_data(void)
{
    key_data d;
    key_data_load(&d);
    CHECK(d.nrules > 10 && d.nagents > 0 && d.ncats > 0);
    const key_rule *r = key_data_rule(&d, "iam.amazonaws.com", "CreateAccessKey");
    CHECK(r != NULL);
    CHECK(key_data_rule(&d, "s3.amazonaws.com", "NoSuchCallAtAll") == NULL);
    CHECK(key_is_denied("AccessDenied"));
    CHECK(!key_is_denied(""));
    key_data_free(&d);
}

static void test_cursor(store *st, const char *dir)
{
    const char *keys[1] = {LEAKED};
    store_filter f = {.keys = keys, .nkeys = 1};
    tt_error err;
    forensics_evidence *c = forensics_evidence_create(st, dir, (size_t)1 << 26);

    walk w;
    memset(&w, 0, sizeof w);
    CHECK(forensics_evidence_each(c, &f, NULL, on_item, &w, &err) == TT_OK);
    CHECK_MSG(w.items == 20 && w.records == 20, "items %ld records %ld", w.items, w.records);
    CHECK(w.problems == 0 && w.out_of_order == 0 && w.not_own == 0);

    /* One record again, by its place: the same bytes. */
    const char *rec = NULL;
    size_t len = 0;
    CHECK(forensics_evidence_record(c, w.path, w.member, w.off, w.has_sha ? w.sha : NULL, &rec, &len, &err) == TT_OK);
    CHECK(rec && len == strlen(w.first_rec) && memcmp(rec, w.first_rec, len) == 0);

    /* want decides: half skipped, the others passed without a record. */
    walk half;
    memset(&half, 0, sizeof half);
    half.every_other = 1;
    CHECK(forensics_evidence_each(c, &f, want_alternate, on_item, &half, &err) == TT_OK);
    CHECK(half.wanted == 20 && half.items == 10 && half.skipped_seen == 0);
    forensics_evidence_free(c);

    /* An object whose bytes changed: its events say so, the others read. */
    char obj[4096];
    snprintf(obj, sizeof obj, "%s/story/%s", dir, STORY);
    CHECK(sh("zcat '%s' > '%s.json' && echo >> '%s.json' && gzip -c '%s.json' > '%s' && rm '%s.json'", obj, obj,
             obj, obj, obj, obj) == 0);
    c = forensics_evidence_create(st, dir, (size_t)1 << 26);
    walk after;
    memset(&after, 0, sizeof after);
    CHECK(forensics_evidence_each(c, &f, NULL, on_item, &after, &err) == TT_OK);
    CHECK_MSG(after.items == 20 && after.problems > 0 && after.changed == after.problems &&
                  after.records == 20 - after.problems,
              "items %ld problems %ld changed %ld records %ld", after.items, after.problems, after.changed,
              after.records);
    forensics_evidence_free(c);
}

static void test_key_report(store *st, const char *dir)
{
    key_data d;
    key_data_load(&d);
    key_report r;
    tt_error err;
    CHECK(key_report_build(&r, st, &d, LEAKED, 0, 0, 100, dir, &err) == TT_OK);
    CHECK(r.nnodes >= 3);
    int session = -1, backdoor = -1;
    for (size_t i = 0; i < r.nnodes; i++) {
        if (strcmp(r.nodes[i].key, SESSION) == 0)
            session = (int)i;
        if (strcmp(r.nodes[i].key, BACKDOOR) == 0)
            backdoor = (int)i;
    }
    CHECK(session > 0 && backdoor > 0);
    CHECK(r.nodes[0].calls == 20);
    CHECK_STR(r.nodes[0].principal, "arn:aws:iam::111122223333:user/alice");
    CHECK(r.first_suspicious != 0);
    for (size_t i = 1; i < r.nevs; i++)
        CHECK(r.evs[i - 1].t <= r.evs[i].t);
    key_report_free(&r);
    CHECK(key_report_build(&r, st, &d, "AKIAQNOSUCHKEY000000", 0, 0, 100, dir, &err) == TT_ERR_NOTFOUND);
    key_report_free(&r);
    key_data_free(&d);
}

/* Where relative source paths are tried: the store's folder. */
static void test_store_dir(void)
{
    char d[64];
    forensics_store_dir("trailtrim.db", d, sizeof d);
    CHECK_STR(d, ".");
    forensics_store_dir("/srv/logs/trailtrim.db", d, sizeof d);
    CHECK_STR(d, "/srv/logs");
    forensics_store_dir("/trailtrim.db", d, sizeof d);
    CHECK_STR(d, "/");
}

/* The trust model of the whole store: every assume-role event is either
 * read and added, or counted as unread or unusable. */
static void test_trust_load(store *st, const char *dir)
{
    char db[4200];
    snprintf(db, sizeof db, "%s/store.db", dir);
    gen_trust *t = NULL;
    forensics_trust_stats ts;
    tt_error err;
    CHECK(forensics_trust_load(st, db, 0, INT64_MAX, &t, &ts, &err) == TT_OK);
    CHECK(t != NULL);
    CHECK(ts.read + ts.unread + ts.bad == ts.events);
    CHECK(ts.unread == 0);
    gen_trust_free(t);
}

/* The keys model of the whole store: the leaked key is among the keys,
 * with its calls and its services. */
static void test_keys_load(store *st)
{
    gen_keys k;
    memset(&k, 0, sizeof k);
    tt_error err;
    CHECK(gen_keys_load(&k, st, 0, INT64_MAX, &err) == TT_OK);
    const gen_key *leaked = NULL;
    for (size_t i = 0; i < k.n; i++)
        if (strcmp(k.keys[i].key, LEAKED) == 0)
            leaked = &k.keys[i];
    CHECK(leaked != NULL);
    CHECK(leaked && leaked->seen && leaked->calls > 0 && leaked->service_list && leaked->service_list[0]);
    gen_keys_free(&k);
}

int main(void)
{
    const char *src = getenv("TT_SOURCE_DIR"), *bin = getenv("TT_BINARY_DIR");
    char tt[4096];
    snprintf(tt, sizeof tt, "%s/cmd/trailtrim", bin ? bin : ".");
    if (!src || access(tt, X_OK) != 0) {
        CHECK_SKIP("TT_SOURCE_DIR or the trailtrim binary missing");
        return check_done();
    }
    test_data();
    test_store_dir();
    char dir[] = "/tmp/tt-forensics-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char story[4096], db[4200];
    snprintf(story, sizeof story, "%s/tests/fixtures/leak-story", src);
    snprintf(db, sizeof db, "%s/store.db", dir);
    CHECK(sh("cp -r '%s' '%s/story'", story, dir) == 0);
    CHECK(sh("TRAILTRIM_DB='%s' '%s' ingest -q '%s/story'", db, tt, dir) == 0);
    store *st = NULL;
    tt_error err;
    CHECK(store_open(&st, db, STORE_READ, &err) == TT_OK);
    if (st) {
        test_key_report(st, dir);
        test_cursor(st, dir);
        test_trust_load(st, dir);
        test_keys_load(st);
        store_close(st, NULL);
    }
    sh("rm -rf '%s'", dir);
    return check_done();
}
