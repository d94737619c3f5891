/*
 * policy_observed.c - forensics_observed_read (policy_observed.h). Two passes
 * over the principal's events in the window: one counts the successful
 * calls that map to granted actions (to sample evenly under the cap), the
 * next reads those records back (the evidence cursor, forensics.h) and
 * hands them to generate/observed.
 */
#define _XOPEN_SOURCE 700
#include "policy_observed.h"
#include "forensics.h"

#include "generate/request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OBS_RECALL_CAP ((size_t)1 << 30)

typedef struct obs_run {
    const forensics_observed_req *q;
    gen_observed *g;
    forensics_observed_stats *s;
    const gen_action *acts[GEN_MAP_MAX_ACTIONS]; /* of the call on_want just chose */
    size_t nacts;
    gen_map_result m;
    size_t seen;
    double step, next;
} obs_run;

/* The actions of the policy one call maps to: the granted ones, and with
 * maybe 1 those that hang on its request too (decided once it is read). */
static size_t call_actions(const obs_run *r, const gen_map_result *m, int maybe, const gen_action **acts_out)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (!m->acts[i].granted && !(maybe && m->acts[i].param))
            continue;
        for (size_t k = 0; k < r->q->nacts; k++)
            if (r->q->acts[k] == m->acts[i].action) {
                acts_out[n++] = m->acts[i].action;
                break;
            }
    }
    return n;
}

/* Resolves a successful call; 0 for a failed one. */
static int resolve(const obs_run *r, const store_fevent *ev, gen_map_result *m)
{
    if (ev->error[0])
        return 0;
    gen_map_resolve(r->q->map, ev->source, ev->name, m);
    return 1;
}

/* The first pass: counts, reads nothing. */
static forensics_want on_count(void *ctx, const store_fevent *ev)
{
    obs_run *r = ctx;
    r->s->total += resolve(r, ev, &r->m) && call_actions(r, &r->m, 1, r->acts) > 0;
    return FORENSICS_SKIP;
}

static int on_none(void *ctx, const forensics_item *it)
{
    return 0;
}

/* The second: the record of every step-th call that counted. */
static forensics_want on_want(void *ctx, const store_fevent *ev)
{
    obs_run *r = ctx;
    r->nacts = resolve(r, ev, &r->m) ? call_actions(r, &r->m, 1, r->acts) : 0;
    if (!r->nacts)
        return FORENSICS_SKIP;
    size_t idx = r->seen++;
    if ((double)idx < r->next) /* even sampling: every step-th call */
        return FORENSICS_SKIP;
    r->next += r->step;
    return FORENSICS_RECORD;
}

static int on_read(void *ctx, const forensics_item *it)
{
    obs_run *r = ctx;
    const gen_action **acts = r->acts;
    size_t n = r->nacts;
    const char *rec = it->rec;
    size_t len = it->len;
    if (it->problem) {
        r->s->unread++;
        if (!r->s->first_problem[0])
            snprintf(r->s->first_problem, sizeof r->s->first_problem, "%s", it->problem->msg);
        gen_observed_fallback(r->g, acts, n);
        return 0;
    }
    if (forensics_record_via_service(rec, len)) {
        r->s->skipped_via++; /* not granted to it either (cmd_policy.c) */
        return 0;
    }
    r->s->read++;
    if (r->m.conditional) { /* this call's own request decides */
        gen_request q;
        int bad = gen_request_parse(&q, rec, len);
        gen_map_apply_request(&r->m, bad ? NULL : &q);
        gen_request_free(&q);
        n = call_actions(r, &r->m, 0, acts);
    }
    if (n)
        gen_observed_add(r->g, acts, n, rec, len);
    return 0;
}

tt_status forensics_observed_read(const forensics_observed_req *q, gen_observed *g, forensics_observed_stats *stats,
                                  tt_error *err)
{
    obs_run r;
    memset(&r, 0, sizeof r);
    memset(stats, 0, sizeof *stats);
    r.q = q;
    r.g = g;
    r.s = stats;
    char dir[4096];
    forensics_store_dir(q->db_path, dir, sizeof dir);
    forensics_evidence *ev = forensics_evidence_create(q->db, dir, OBS_RECALL_CAP);
    size_t max = q->max_records ? q->max_records : FORENSICS_OBSERVED_MAX_RECORDS;
    store_filter f;
    memset(&f, 0, sizeof f);
    f.principal = q->principal;
    f.since_ms = q->since_ms;
    f.until_ms = q->until_ms;
    tt_status st = forensics_evidence_each(ev, &f, on_count, on_none, &r, err);
    if (st == TT_OK) {
        stats->sampled = stats->total > max;
        r.step = stats->total > max ? (double)stats->total / (double)max : 1.0;
        st = forensics_evidence_each(ev, &f, on_want, on_read, &r, err);
    }
    forensics_evidence_free(ev);
    return st;
}
