/*
 * trust_load.c - forensics_trust_load (trust_load.h): store events to the
 * trust model, through the records themselves (the evidence cursor).
 */
#include "trust_load.h"
#include "forensics.h"

#include "common/mem.h"
#include "generate/authz.h"
#include "store/store_trust.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TRUST_RECALL_CAP ((size_t)1 << 30)

typedef struct load_run {
    gen_trust *t;
    forensics_evidence *ev;
    forensics_trust_stats *stats;
} load_run;

static void problem(forensics_trust_stats *s, const store_trust_assume *a, const char *msg)
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
    if (forensics_evidence_record(r->ev, a->path, a->member, a->off, a->sha256, &rec, &len, &e) != TT_OK) {
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

tt_status forensics_trust_load(store *db, const char *db_path, int64_t since_ms, int64_t until_ms, gen_trust **model,
                               forensics_trust_stats *stats, tt_error *err)
{
    char dir[4096];
    forensics_store_dir(db_path, dir, sizeof dir);
    memset(stats, 0, sizeof *stats);
    load_run r = {gen_trust_create(), forensics_evidence_create(db, dir, TRUST_RECALL_CAP), stats};
    tt_status st = store_trust_each_assume(db, since_ms, until_ms, on_assume, &r, err);
    forensics_evidence_free(r.ev);
    if (st != TT_OK) {
        gen_trust_free(r.t);
        *model = NULL;
        return st;
    }
    gen_trust_finish(r.t);
    *model = r.t;
    return TT_OK;
}

static tt_status review_one(const json_dom_node *root, const gen_trust *t, const char *name, un_result *x,
                            gen_trust_review *v, tt_error *err)
{
    const json_dom_node *doc = gen_trust_doc_of(root, x->p->arn);
    if (!doc)
        return TT_OK; /* no document in the file: nothing to review */
    char place[2400];
    snprintf(place, sizeof place, "%.300s: RoleDetailList[] %.2000s, its AssumeRolePolicyDocument", name, x->p->arn);
    const gen_trust_role *r = gen_trust_role_of(t, x->p->arn);
    tt_status st = gen_trust_review_doc(doc, x->p->arn, r, x->verdict == UN_JUDGED ? NULL : x->reason, place, v, err);
    if (st == TT_OK)
        x->trust = v;
    return st;
}

tt_status forensics_trust_review_roles(store *db, const char *db_path, int32_t from_day, int32_t to_day, const char *name,
                                       const char *json, size_t len, un_result *res, size_t n,
                                       gen_trust_review **reviews, forensics_trust_stats *stats, tt_error *err)
{
    json_dom_node root;
    tt_error e;
    gen_trust *t = NULL;
    memset(stats, 0, sizeof *stats);
    *reviews = tt_xcalloc(n + 1, sizeof **reviews);
    tt_status st = json_dom_parse(&root, json, len, &gen_authz_caps, &e);
    if (st != TT_OK)
        st = tt_fail(err, st, "%s: %s", name, e.msg);
    if (st == TT_OK)
        st = forensics_trust_load(db, db_path, (int64_t)from_day * 86400000LL, ((int64_t)to_day + 1) * 86400000LL, &t,
                                  stats, err);
    if (st != TT_OK)
        memset(stats, 0, sizeof *stats); /* nothing to warn about: the run fails */
    for (size_t i = 0; st == TT_OK && i < n; i++)
        if (strcmp(res[i].p->kind, "role") == 0)
            st = review_one(&root, t, name, &res[i], &(*reviews)[i], err);
    gen_trust_free(t);
    json_dom_free(&root);
    return st;
}

void forensics_trust_reviews_free(gen_trust_review *reviews, size_t n)
{
    for (size_t i = 0; reviews && i < n; i++)
        gen_trust_review_free(&reviews[i]);
    free(reviews);
}
