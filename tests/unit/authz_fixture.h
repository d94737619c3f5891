/*
 * authz_fixture.h - what test_judge.c and test_repo.c share: the capture of
 * tests/cli/test_unused.sh (tests/golden/inputs/authz-capture.ndjson: full
 * coverage of account 111122223333 over 2026-10-01..05, gaps in
 * 444455556666) parsed by the real parser into a store in a temporary
 * folder, and tests/fixtures/authz/account.json parsed over the real
 * catalog. The answers expected are those of tests/fixtures/authz/README.md.
 */
#ifndef TT_TEST_AUTHZ_FIXTURE_H
#define TT_TEST_AUTHZ_FIXTURE_H

#include "check.h"

#include "common/fingerprint.h"
#include "common/ttime.h"
#include "generate/authz.h"
#include "generate/catalog.h"
#include "generate/judge.h"
#include "generate/mapping.h"
#include "ingest/parse.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct fixture {
    gen_catalog *cat;
    gen_map *map;
    char *authz_json; /* account.json, owned (gen_authz and gen_repo borrow it) */
    size_t authz_len;
    gen_authz *az;
    store *st;
    char dir[64], db[128];
} fixture;

/* The whole file at path, NUL-terminated; NULL when it cannot be read. */
static char *fx_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *b = malloc(cap + 1);
    while (b && (got = fread(b + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            b = realloc(b, (cap *= 2) + 1);
    }
    fclose(f);
    if (b)
        b[n] = '\0';
    if (len)
        *len = n;
    return b;
}

/* A day number of "YYYY-MM-DD". */
static inline int32_t fx_day(const char *ymd)
{
    int64_t ms = 0;
    char t[32];
    snprintf(t, sizeof t, "%sT00:00:00Z", ymd);
    if (tt_time_parse(t, strlen(t), &ms) != 0)
        fprintf(stderr, "bad day %s\n", ymd);
    return tt_day_of(ms);
}

/* The capture, wrapped as one delivery object, into a fresh store. */
static int fx_store(fixture *x, const char *src)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/golden/inputs/authz-capture.ndjson", src);
    size_t n = 0;
    char *nd = fx_slurp(path, &n);
    if (!nd)
        return -1;
    size_t cap = n * 2 + 64, k = 0;
    char *obj = malloc(cap);
    k += (size_t)snprintf(obj, cap, "{\"Records\":[");
    int first = 1;
    for (char *p = nd, *e; p && *p; p = e ? e + 1 : p + strlen(p)) {
        e = strchr(p, '\n');
        size_t ln = e ? (size_t)(e - p) : strlen(p);
        if (!ln)
            continue;
        if (!first)
            obj[k++] = ',';
        memcpy(obj + k, p, ln);
        k += ln;
        first = 0;
        if (!e)
            break;
    }
    k += (size_t)snprintf(obj + k, cap - k, "]}");
    free(nd);
    tt_error err;
    ingest_parser *ps = ingest_parser_create();
    ingest_kind kind;
    const tt_event *ev = NULL;
    size_t nev = 0;
    int rc = -1;
    if (ingest_parse_object(ps, obj, k, &kind, &ev, &nev, &err) != TT_OK) {
        fprintf(stderr, "parse the capture: %s\n", err.msg);
        goto out;
    }
    snprintf(x->dir, sizeof x->dir, "/tmp/tt-judge-XXXXXX");
    if (!mkdtemp(x->dir))
        goto out;
    snprintf(x->db, sizeof x->db, "%s/store.db", x->dir);
    store *w = NULL;
    if (store_open(&w, x->db, STORE_WRITE, &err) != TT_OK)
        goto out;
    store_object o = {"authz-capture.json", "", "file", "events", (int64_t)k, 1, NULL, STORE_OBJ_LOADED, NULL, NULL};
    store_add_counts c;
    /* Fingerprinted here, as the ingest's workers do: records without an
     * eventID are keyed by their bytes. */
    tt_event_fp *fps = calloc(nev + 1, sizeof *fps);
    for (size_t i = 0; i < nev; i++)
        tt_event_fingerprint(&ev[i], obj, &fps[i]);
    tt_status added = store_add_object(w, &o, ev, fps, nev, &c, &err);
    free(fps);
    if (added != TT_OK || c.added != 14) {
        fprintf(stderr, "store the capture: %s (%lld added)\n", err.msg, (long long)c.added);
        store_close(w, NULL);
        goto out;
    }
    if (store_close(w, &err) != TT_OK || store_open(&x->st, x->db, STORE_READ, &err) != TT_OK)
        goto out;
    rc = 0;
out:
    ingest_parser_free(ps);
    free(obj);
    return rc;
}

/* 0, or -1 (and a SKIP) when TT_SOURCE_DIR or the fixtures are missing. */
static int fx_open(fixture *x)
{
    memset(x, 0, sizeof *x);
    const char *src = getenv("TT_SOURCE_DIR");
    if (!src || !*src) {
        CHECK_SKIP("TT_SOURCE_DIR is not set");
        return -1;
    }
    tt_error err;
    if (gen_catalog_load(&x->cat, &err) != TT_OK || gen_map_create(&x->map, x->cat, &err) != TT_OK) {
        CHECK_MSG(0, "catalog or mapping: %s", err.msg);
        return -1;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/fixtures/authz/account.json", src);
    x->authz_json = fx_slurp(path, &x->authz_len);
    if (!x->authz_json) {
        CHECK_SKIP("tests/fixtures/authz/account.json is missing");
        return -1;
    }
    if (gen_authz_parse(&x->az, x->cat, x->authz_json, x->authz_len, "account.json", &err) != TT_OK) {
        CHECK_MSG(0, "account.json: %s", err.msg);
        return -1;
    }
    if (fx_store(x, src) != 0) {
        CHECK_MSG(0, "could not build the store of the capture");
        return -1;
    }
    return 0;
}

static void fx_close(fixture *x)
{
    if (x->st)
        store_close(x->st, NULL);
    gen_authz_free(x->az);
    gen_map_free(x->map);
    gen_catalog_free(x->cat);
    free(x->authz_json);
    if (x->db[0]) {
        char p[160];
        unlink(x->db);
        snprintf(p, sizeof p, "%s-wal", x->db);
        unlink(p);
        snprintf(p, sizeof p, "%s-shm", x->db);
        unlink(p);
        snprintf(p, sizeof p, "%s.lock", x->db);
        unlink(p);
        rmdir(x->dir);
    }
}

/* The index of the principal named name (gen_authz order), or -1. */
static inline long fx_principal(const fixture *x, const char *name)
{
    for (size_t i = 0; i < gen_authz_count(x->az); i++)
        if (strcmp(gen_authz_at(x->az, i)->name, name) == 0)
            return (long)i;
    return -1;
}

/* The catalog index of an action, or (size_t)-1. */
static inline size_t fx_act(const fixture *x, const char *full)
{
    const gen_action *a = gen_catalog_find_full(x->cat, full);
    return a ? gen_authz_index(x->cat, a) : (size_t)-1;
}

#endif /* TT_TEST_AUTHZ_FIXTURE_H */
