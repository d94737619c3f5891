/*
 * policy_params.c - forensics_params_* (policy_params.h): the pair's request
 * skeletons from the store's rollup, each handed to gen_map_apply_request
 * as a request; where some are not known, one event query for the pair,
 * each successful call's record read back and decided the same way. The
 * granted flags are or-ed over the calls.
 */
#define _XOPEN_SOURCE 700
#include "policy_params.h"
#include "forensics.h"

#include "common/mem.h"
#include "store/store_forensics.h"
#include "store/store_gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PARAMS_RECALL_CAP ((size_t)1 << 30)

struct forensics_params {
    store *db;
    forensics_evidence *ev;
    forensics_params_stats stats;
};

typedef struct decide_run {
    forensics_params *p;
    const gen_map_result *base; /* as resolved: the request unknown */
    int granted[GEN_MAP_MAX_ACTIONS];
    size_t reads;
    int capped;
} decide_run;

forensics_params *forensics_params_create(store *db, const char *db_path)
{
    forensics_params *p = tt_xcalloc(1, sizeof *p);
    char dir[4096];
    forensics_store_dir(db_path, dir, sizeof dir);
    p->db = db;
    p->ev = forensics_evidence_create(db, dir, PARAMS_RECALL_CAP);
    return p;
}

void forensics_params_free(forensics_params *p)
{
    if (!p)
        return;
    forensics_evidence_free(p->ev);
    free(p);
}

const forensics_params_stats *forensics_params_counts(const forensics_params *p)
{
    return &p->stats;
}

/* Or-s one call's decision into d; 1 when every action is granted. */
static int merge(decide_run *d, const gen_request *q)
{
    gen_map_result r = *d->base;
    gen_map_apply_request(&r, q);
    int all = 1;
    for (size_t i = 0; i < r.n; i++) {
        d->granted[i] |= r.acts[i].granted;
        all &= d->granted[i];
    }
    return all;
}

/* Successful calls only, their records read up to the cap; the call past
 * it comes without its record, to stop the walk. */
static forensics_want want_call(void *ctx, const store_fevent *ev)
{
    decide_run *d = ctx;
    if (ev->error[0])
        return FORENSICS_SKIP;
    if (d->reads++ == FORENSICS_PARAMS_MAX_READ) {
        d->capped = 1;
        return FORENSICS_EVENT;
    }
    return FORENSICS_RECORD;
}

static int on_call(void *ctx, const forensics_item *it)
{
    decide_run *d = ctx;
    forensics_params *p = d->p;
    if (d->capped) {
        merge(d, NULL); /* the rest: as if the request were unknown */
        return 1;
    }
    if (it->problem) {
        p->stats.unread++;
        if (!p->stats.first_problem[0])
            snprintf(p->stats.first_problem, sizeof p->stats.first_problem, "%s", it->problem->msg);
        return merge(d, NULL);
    }
    const char *rec = it->rec;
    size_t len = it->len;
    if (forensics_record_via_service(rec, len))
        return 0; /* not granted to the principal (cmd_policy.c) */
    gen_request q;
    int bad = gen_request_parse(&q, rec, len);
    p->stats.read++;
    int all = merge(d, bad ? NULL : &q);
    gen_request_free(&q);
    return all;
}

/* An eventName as a GLOB that matches only itself. */
static void glob_exact(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; *s && n + 4 < cap; s++) {
        if (*s == '*' || *s == '?' || *s == '[') {
            out[n++] = '[';
            out[n++] = *s;
            out[n++] = ']';
        } else {
            out[n++] = *s;
        }
    }
    out[n] = '\0';
}

/* ---- from the request skeletons the store kept at ingest ---- */

typedef struct skel_run {
    decide_run *d;
    size_t shapes;
    int unknown; /* some calls' skeleton is not known: read them back */
} skel_run;

static int on_skeleton(void *ctx, const char *skel, int64_t calls)
{
    skel_run *k = ctx;
    if (!skel) {
        k->unknown = 1;
        return 1;
    }
    /* A skeleton has the request's structure and keys (ingest/skeleton.h),
     * which is all gen_request_has looks at. */
    size_t n = strlen(skel);
    char *rec = tt_xmalloc(n + 32);
    int len = snprintf(rec, n + 32, "{\"requestParameters\":%s}", skel);
    gen_request q;
    int bad = gen_request_parse(&q, rec, (size_t)len);
    k->shapes++;
    int all = merge(k->d, bad ? NULL : &q);
    gen_request_free(&q);
    free(rec);
    return all;
}

/* Decides d from the skeletons of the pair's calls: 1 when that was
 * enough, 0 when some calls must be read back. */
static int decide_from_skeletons(forensics_params *p, decide_run *d, int64_t principal,
                                 const char *source, const char *event, int64_t since_ms,
                                 int64_t until_ms, tt_status *st, tt_error *err)
{
    skel_run k = {d, 0, 0};
    int32_t from = (int32_t)(since_ms / 86400000), to = (int32_t)((until_ms - 1) / 86400000);
    *st = store_gen_each_request(p->db, principal, source, event, from, to, on_skeleton, &k, err);
    if (*st != TT_OK || k.unknown || k.shapes == 0)
        return 0;
    p->stats.shapes += k.shapes;
    return 1;
}

static void reset_run(decide_run *d, forensics_params *p, const gen_map_result *r)
{
    memset(d, 0, sizeof *d);
    d->p = p;
    d->base = r;
    for (size_t i = 0; i < r->n; i++)
        d->granted[i] = !r->acts[i].param;
}

tt_status forensics_params_decide(forensics_params *p, int64_t principal, const char *source, const char *event,
                            int64_t since_ms, int64_t until_ms, gen_map_result *r, tt_error *err)
{
    if (!r->conditional)
        return TT_OK;
    decide_run d;
    reset_run(&d, p, r);
    tt_status sst = TT_OK;
    if (since_ms > 0 && until_ms > since_ms &&
        decide_from_skeletons(p, &d, principal, source, event, since_ms, until_ms, &sst, err)) {
        p->stats.pairs++;
        p->stats.from_shapes++;
        for (size_t i = 0; i < r->n; i++)
            r->acts[i].granted = d.granted[i];
        return TT_OK;
    }
    if (sst != TT_OK)
        return sst;
    reset_run(&d, p, r);
    char glob[512];
    glob_exact(event, glob, sizeof glob);
    store_filter f;
    memset(&f, 0, sizeof f);
    f.principal = principal;
    f.source = source;
    f.event_glob = glob;
    f.since_ms = since_ms;
    f.until_ms = until_ms;
    tt_status st = forensics_evidence_each(p->ev, &f, want_call, on_call, &d, err);
    if (st != TT_OK)
        return st;
    if (d.reads == 0) /* no call found: keep the reading for an unknown request */
        return TT_OK;
    p->stats.pairs++;
    p->stats.capped += d.capped;
    for (size_t i = 0; i < r->n; i++)
        r->acts[i].granted = d.granted[i];
    return TT_OK;
}
