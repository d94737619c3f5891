/*
 * test_ingest.c - unit tests of ingest/'s parts below the pipeline: gzip
 * decoding with its cap and trailing-data check, the bounded queue, the
 * memory budget, the directory walk (order, names, symlink loops) and the
 * known-object index.
 */
#define _GNU_SOURCE
#include "check.h"

#include "ingest/budget.h"
#include "ingest/gz.h"
#include "ingest/ingest.h"
#include "ingest/known.h"
#include "ingest/queue.h"
#include "ingest/walk.h"

#include <libdeflate.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static size_t gzip_of(const char *text, uint8_t *out, size_t cap)
{
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(6);
    size_t n = libdeflate_gzip_compress(c, text, strlen(text), out, cap);
    libdeflate_free_compressor(c);
    return n;
}

static void test_gz(void)
{
    uint8_t z[4096];
    const char *text = "{\"Records\":[]}  padding padding padding padding";
    size_t n = gzip_of(text, z, sizeof z - 64);
    ingest_gz *gz = ingest_gz_create();
    tt_buf out;
    tt_error err;
    tt_buf_init(&out, 1 << 20);
    CHECK(ingest_gunzip(gz, z, n, &out, "t", &err) == TT_OK);
    CHECK(out.len == strlen(text) && memcmp(out.data, text, out.len) == 0);
    /* every truncation is an error, never a crash or a short success */
    int all_rejected = 1;
    for (size_t cut = 0; cut < n; cut++) {
        uint8_t *copy = malloc(cut ? cut : 1);
        memcpy(copy, z, cut);
        if (ingest_gunzip(gz, copy, cut, &out, "t", &err) == TT_OK)
            all_rejected = 0;
        free(copy);
    }
    CHECK(all_rejected);
    memcpy(z + n, "XYZ", 3);
    CHECK(ingest_gunzip(gz, z, n + 3, &out, "t", &err) == TT_ERR_FORMAT);
    CHECK(strstr(err.msg, "3 bytes of trailing data") != NULL);
    tt_buf small;
    tt_buf_init(&small, 10); /* the cap: a "bomb" of 47 bytes */
    CHECK(ingest_gunzip(gz, z, n, &small, "t", &err) == TT_ERR_LIMIT);
    CHECK(strstr(err.msg, "exceeds the cap of 10 bytes") != NULL);
    CHECK(ingest_gunzip(gz, (const uint8_t *)"plain text", 10, &out, "t", &err) == TT_ERR_FORMAT);
    tt_buf_free(&small);
    tt_buf_free(&out);
    ingest_gz_free(gz);
}

static void test_queue(void)
{
    ingest_queue *q = ingest_queue_create(2);
    int a = 1, b = 2;
    CHECK(ingest_queue_push(q, &a) == 0);
    CHECK(ingest_queue_push(q, &b) == 0);
    CHECK(ingest_queue_pop(q) == &a); /* FIFO */
    ingest_queue_close(q);
    CHECK(ingest_queue_push(q, &a) == -1); /* closed: not taken */
    CHECK(ingest_queue_pop(q) == &b);      /* drained after close */
    CHECK(ingest_queue_pop(q) == NULL);
    ingest_queue_free(q);
}

/* A taker that waits for room, then says it got it. */
typedef struct taker {
    ingest_budget *b;
    size_t n;
    atomic_int rc; /* 99 until the take returns */
} taker;

static void *take_main(void *arg)
{
    taker *t = arg;
    atomic_store(&t->rc, ingest_budget_take(t->b, t->n));
    return NULL;
}

/* The budget: what is held for the run (a worker's kept buffer) counts as
 * used and narrows what one reservation may ever get, so that a request
 * that could never fit is refused at once instead of waiting for ever. */
static void test_budget(void)
{
    ingest_budget b;
    ingest_budget_init(&b, 100);
    ingest_budget_hold(&b, 30);
    CHECK(b.used == 30 && b.peak == 30);
    /* Over 100 - 30: never grantable, so refused at once (in a thread, so
     * that a build where it waits fails here instead of hanging). */
    taker never = {&b, 71, 99};
    pthread_t th;
    pthread_create(&th, NULL, take_main, &never);
    usleep(50000);
    int waited = atomic_load(&never.rc) == 99;
    if (waited)
        ingest_budget_close(&b);
    pthread_join(th, NULL);
    CHECK_MSG(!waited && atomic_load(&never.rc) == -1, "a take that can never fit waited (rc %d)",
              atomic_load(&never.rc));
    if (waited) {
        ingest_budget_destroy(&b);
        return;
    }
    CHECK(b.used == 30);
    CHECK(ingest_budget_take(&b, 70) == 0);  /* exactly the rest */
    CHECK(b.used == 100 && b.peak == 100);
    /* A second taker waits until room is given back. */
    taker t = {&b, 20, 99};
    pthread_create(&th, NULL, take_main, &t);
    usleep(20000);
    CHECK_MSG(atomic_load(&t.rc) == 99, "a take with no room returned %d instead of waiting",
              atomic_load(&t.rc));
    ingest_budget_give(&b, 50);
    pthread_join(th, NULL);
    CHECK(atomic_load(&t.rc) == 0 && b.used == 70);
    ingest_budget_add(&b, 40); /* what an object turned out to need: never waits */
    CHECK(b.used == 110 && b.peak == 110);
    ingest_budget_give(&b, 1000); /* more than taken: down to what is held */
    CHECK(b.used == 30);
    /* Closing wakes a waiter and refuses it. */
    CHECK(ingest_budget_take(&b, 70) == 0);
    atomic_store(&t.rc, 99);
    pthread_create(&th, NULL, take_main, &t);
    usleep(20000);
    ingest_budget_close(&b);
    pthread_join(th, NULL);
    CHECK(atomic_load(&t.rc) == -1);
    CHECK(ingest_budget_take(&b, 1) == -1);
    ingest_budget_destroy(&b);
}

typedef struct seen {
    char names[16][256];
    int n, problems;
} seen;

static int on_item(void *ctx, ingest_walk_item *it)
{
    seen *s = ctx;
    if (it->problem)
        s->problems++;
    else if (s->n < 16)
        snprintf(s->names[s->n++], sizeof s->names[0], "%s", strrchr(it->path, '/') + 1);
    ingest_walk_item_free(it);
    return 0;
}

static void touch_file(const char *dir, const char *name)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    if (f)
        fclose(f);
}

static void test_walk(void)
{
    char dir[] = "/tmp/tt-walk-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK_SKIP("mkdtemp failed");
        return;
    }
    char sub[256], link[300];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    mkdir(sub, 0755);
    touch_file(dir, "b.json.gz");
    touch_file(dir, "a.json");
    touch_file(dir, "notes.txt");          /* not a log name: passed over */
    touch_file(dir, ".partial.json.gz");   /* hidden: a download in progress */
    touch_file(sub, "c.tgz");
    snprintf(link, sizeof link, "%s/loop", sub);
    CHECK(symlink(dir, link) == 0);        /* a loop back to the top */
    seen s;
    memset(&s, 0, sizeof s);
    const char *paths[1] = {dir};
    ingest_walk(paths, 1, on_item, &s);
    CHECK(s.n == 3 && s.problems == 0);
    CHECK_STR(s.names[0], "a.json"); /* name order */
    CHECK_STR(s.names[1], "b.json.gz");
    CHECK_STR(s.names[2], "c.tgz");
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
}

static void test_known(void)
{
    ingest_known *k = ingest_known_create();
    uint8_t sha[32] = {1, 2, 3}, other[32] = {9};
    char path[64];
    for (int i = 0; i < 5000; i++) { /* past several growths */
        snprintf(path, sizeof path, "/logs/%d.json.gz", i);
        sha[31] = (uint8_t)i;
        sha[30] = (uint8_t)(i >> 8);
        ingest_known_add(k, path, "", i, i * 10, sha, i % 2 ? INGEST_KNOWN_REJECTED : INGEST_KNOWN_LOADED);
    }
    CHECK(ingest_known_count(k) == 5000);
    ingest_known_info info;
    CHECK(ingest_known_find(k, "/logs/4242.json.gz", "", &info) == 1);
    CHECK(info.size == 4242 && info.mtime_ns == 42420 && info.state == INGEST_KNOWN_LOADED);
    CHECK(ingest_known_find(k, "/logs/4242.json.gz", "member", &info) == 0);
    CHECK(ingest_known_find(k, "/logs/5000.json.gz", "", &info) == 0);
    sha[31] = (uint8_t)4242;
    sha[30] = (uint8_t)(4242 >> 8);
    CHECK(ingest_known_has_content(k, sha) == 1);
    sha[31] = (uint8_t)4243; /* a rejected object's content does not count */
    sha[30] = (uint8_t)(4243 >> 8);
    CHECK(ingest_known_has_content(k, sha) == 0);
    CHECK(ingest_known_has_content(k, other) == 0);
    ingest_known_free(k);
}

int main(void)
{
    test_gz();
    test_queue();
    test_budget();
    test_walk();
    test_known();
    return check_done();
}
