/*
 * trust_load.c - trust_load (trust_load.h): store events to trust model,
 * through the records themselves.
 */
#include "trust_load.h"

#include "../ingest/recall.h"
#include "out.h"
#include "store_trust.h"

#include <stdio.h>
#include <string.h>

#define TRUST_RECALL_CAP ((size_t)1 << 30)

typedef struct load_run {
    gen_trust *t;
    ingest_recall *rc;
    trust_load_stats *stats;
} load_run;

static void problem(trust_load_stats *s, const store_trust_assume *a, const char *msg)
{
    if (s->first_problem[0])
        return;
    snprintf(s->first_problem, sizeof s->first_problem, "%.300s%s%.200s at byte %lld: %.400s", a->path, a->member[0] ? ":" : "",
             a->member, (long long)a->off, msg);
}

static int on_assume(void *ctx, const store_trust_assume *a)
{
    load_run *r = ctx;
    const char *rec;
    size_t len;
    tt_error e;
    tt_error_clear(&e);
    r->stats->events++;
    if (ingest_recall_record(r->rc, a->path, a->member, (uint64_t)a->off, a->sha256, &rec, &len, &e) != TT_OK) {
        r->stats->unread++;
        problem(r->stats, a, e.msg);
        return 0;
    }
    gen_trust_event ev;
    if (gen_trust_event_parse(rec, len, &ev, &e) != TT_OK) {
        r->stats->bad++;
        problem(r->stats, a, e.msg);
        return 0;
    }
    if (!ev.t)
        ev.t = a->t;
    gen_trust_add(r->t, &ev);
    r->stats->read++;
    return 0;
}

static void store_dir(const char *db, char *dst, size_t n)
{
    const char *slash = strrchr(db, '/');
    if (slash)
        snprintf(dst, n, "%.*s", (int)(slash - db) + (slash == db), db);
    else
        snprintf(dst, n, ".");
}

tt_status trust_load(store *db, const char *db_path, int64_t since_ms, int64_t until_ms, gen_trust **model,
                     trust_load_stats *stats, tt_error *err)
{
    char dir[4096];
    store_dir(db_path, dir, sizeof dir);
    memset(stats, 0, sizeof *stats);
    load_run r = {gen_trust_create(), ingest_recall_create(TRUST_RECALL_CAP, dir), stats};
    tt_status st = store_trust_each_assume(db, since_ms, until_ms, on_assume, &r, err);
    ingest_recall_free(r.rc);
    if (st != TT_OK) {
        gen_trust_free(r.t);
        *model = NULL;
        return st;
    }
    gen_trust_finish(r.t);
    *model = r.t;
    return TT_OK;
}

void trust_load_warn(const char *cmd, const trust_load_stats *s)
{
    if (!s->unread && !s->bad)
        return;
    fprintf(stderr, "trailtrim %s: %zu of %zu assume-role records could not be used (%zu unreadable, %zu not "
                    "usable): who assumed them is missing from the result; first: ",
            cmd, s->unread + s->bad, s->events, s->unread, s->bad);
    out_safe(stderr, s->first_problem);
    fputc('\n', stderr);
}
