/*
 * judge.c - the judging of `unused` and `repo` (judge.h): usage per
 * principal and catalog action, days with data per account, and the
 * verdict and per-action status that follow from them.
 */
#define _XOPEN_SOURCE 700
#include "judge.h"
#include "cimap.h"

#include "common/mem.h"
#include "common/ttime.h"
#include "store/store_gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MS_PER_DAY 86400000LL

typedef struct jd_use {
    size_t act;
    int64_t last_ms;
} jd_use;

/* The successful direct calls of one principal, one entry per call row. */
typedef struct jd_acc {
    jd_use *use;
    size_t n, a;
} jd_acc;

/* One account's days with data in the window. */
typedef struct jd_cov {
    char account[64];
    uint8_t *have; /* one per window day */
    int truncated; /* its gap list was cut short: days unknown */
} jd_cov;

struct gen_judge {
    const gen_catalog *cat;
    const gen_map *map;
    const gen_authz *az;
    int32_t from_day, to_day;
    gen_cimap by_arn; /* ARN -> jd_acc */
    jd_acc *accs;
    size_t naccs;
    gen_cimap data_seen; /* prefix -> non-NULL: data events of it in the window */
    jd_cov *covs;
    size_t ncovs;
};

static int seen_mark; /* the value of data_seen entries */

/* ---- usage ---------------------------------------------------------------- */

static int on_usage(void *ctx, const store_gen_usage *u)
{
    gen_judge *j = ctx;
    gen_map_result r;
    gen_map_resolve(j->map, u->source, u->event, &r);
    for (size_t i = 0; i < r.n && u->calls > 0; i++)
        if (gen_authz_observability(r.acts[i].action) == GEN_OBS_DATA_EVENT)
            gen_cimap_put(&j->data_seen, r.acts[i].action->prefix, "", &seen_mark);
    jd_acc *a = u->arn ? gen_cimap_get(&j->by_arn, u->arn, "", 0) : NULL;
    int64_t ok = u->calls - u->errors - u->via_service - u->service_events;
    if (!a || ok <= 0 || r.rule == GEN_RULE_UNMAPPED)
        return 0;
    for (size_t i = 0; i < r.n; i++) {
        if (!r.acts[i].granted)
            continue;
        if (a->n == a->a)
            a->use = tt_xrealloc(a->use, (a->a = a->a ? a->a * 2 : 16) * sizeof *a->use);
        a->use[a->n++] = (jd_use){gen_authz_index(j->cat, r.acts[i].action), u->last_ms};
    }
    return 0;
}

/* ---- coverage ------------------------------------------------------------- */

static int day_of_text(const char *s, size_t n, int32_t *day)
{
    char buf[16];
    int64_t ms;
    if (n != 10)
        return -1;
    memcpy(buf, s, 10);
    buf[10] = '\0';
    if (tt_time_parse_user(buf, 0, &ms) != 0)
        return -1;
    *day = tt_day_of(ms);
    return 0;
}

static void mark(const gen_judge *j, uint8_t *have, int32_t from, int32_t to, uint8_t v)
{
    for (int32_t d = from < j->from_day ? j->from_day : from; d <= to && d <= j->to_day; d++)
        have[d - j->from_day] = v;
}

static int on_coverage(void *ctx, const store_row *row)
{
    gen_judge *j = ctx;
    const char *acct = row->text[0], *first = row->text[2], *last = row->text[3], *gaps = row->text[6];
    if (!acct || !first || !last)
        return 0;
    jd_cov *c = NULL;
    for (size_t i = 0; i < j->ncovs && !c; i++)
        if (strcmp(j->covs[i].account, acct) == 0)
            c = &j->covs[i];
    size_t days = (size_t)(j->to_day - j->from_day + 1);
    if (!c) {
        j->covs = tt_xrealloc(j->covs, (j->ncovs + 1) * sizeof *j->covs);
        c = &j->covs[j->ncovs++];
        memset(c, 0, sizeof *c);
        snprintf(c->account, sizeof c->account, "%s", acct);
        c->have = tt_xcalloc(days, 1);
    }
    int32_t f, l;
    if (day_of_text(first, strlen(first), &f) != 0 || day_of_text(last, strlen(last), &l) != 0) {
        c->truncated = 1;
        return 0;
    }
    /* This region's days: [first, last] minus its gaps. Regions add up. */
    uint8_t *mine = tt_xcalloc(days, 1);
    mark(j, mine, f, l, 1);
    for (const char *p = gaps ? gaps : ""; *p;) {
        while (*p == ' ')
            p++;
        const char *e = strchr(p, ' ');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 0)
            break;
        int32_t a, b;
        if (n == 22 && p[10] == '.' && p[11] == '.' && day_of_text(p, 10, &a) == 0 && day_of_text(p + 12, 10, &b) == 0)
            mark(j, mine, a, b, 0);
        else if (day_of_text(p, n, &a) == 0)
            mark(j, mine, a, a, 0);
        else
            c->truncated = 1; /* "..." : the list was cut short */
        p += n;
    }
    for (size_t d = 0; d < days; d++)
        c->have[d] |= mine[d];
    free(mine);
    return 0;
}

/* ---- the judge ------------------------------------------------------------ */

tt_status gen_judge_create(gen_judge **out, const gen_catalog *c, const gen_map *m, const gen_authz *az, store *s,
                           int32_t from_day, int32_t to_day, tt_error *err)
{
    gen_judge *j = tt_xcalloc(1, sizeof *j);
    j->cat = c;
    j->map = m;
    j->az = az;
    j->from_day = from_day;
    j->to_day = to_day < from_day ? from_day : to_day;
    gen_cimap_init(&j->by_arn);
    gen_cimap_init(&j->data_seen);
    j->naccs = gen_authz_count(az);
    j->accs = tt_xcalloc(j->naccs + 1, sizeof *j->accs);
    for (size_t i = 0; i < j->naccs; i++)
        gen_cimap_put(&j->by_arn, gen_authz_at(az, i)->arn, "", &j->accs[i]);
    tt_status st = store_gen_each_usage(s, 0, from_day, to_day, on_usage, j, err);
    if (st == TT_OK)
        st = store_list_coverage(s, on_coverage, j, err);
    if (st != TT_OK) {
        gen_judge_free(j);
        j = NULL;
    }
    *out = j;
    return st;
}

void gen_judge_free(gen_judge *j)
{
    if (!j)
        return;
    for (size_t i = 0; i < j->naccs; i++)
        free(j->accs[i].use);
    free(j->accs);
    for (size_t i = 0; i < j->ncovs; i++)
        free(j->covs[i].have);
    free(j->covs);
    gen_cimap_free(&j->by_arn);
    gen_cimap_free(&j->data_seen);
    free(j);
}

static gen_verdict verdict(const gen_judge *j, const gen_authz_principal *p, gen_judged *r)
{
    r->days = j->to_day - j->from_day + 1;
    r->missing = 0;
    r->first_missing = -1;
    if (p->created_ms > (int64_t)j->from_day * MS_PER_DAY)
        return GEN_VERDICT_YOUNG;
    const jd_cov *c = NULL;
    for (size_t i = 0; i < j->ncovs && !c; i++)
        if (strcmp(j->covs[i].account, p->account) == 0)
            c = &j->covs[i];
    for (int32_t d = 0; c && d < r->days; d++)
        if (!c->have[d] && r->missing++ == 0)
            r->first_missing = j->from_day + d;
    if (!c) {
        r->missing = r->days;
        r->first_missing = j->from_day;
    }
    if (!c || r->missing == r->days)
        return GEN_VERDICT_NODATA;
    if (r->missing > 0 || c->truncated)
        return GEN_VERDICT_GAPS;
    return GEN_VERDICT_JUDGED;
}

static gen_judge_status status_of(const gen_judge *j, const gen_action *act, uint8_t f, int used, gen_verdict v)
{
    gen_obs obs = gen_authz_observability(act);
    if (!(f & GEN_AZ_GRANTED))
        return GEN_JUDGE_NOT_GRANTED;
    if (used)
        return GEN_JUDGE_USED;
    if (f & GEN_AZ_NOREPO)
        return GEN_JUDGE_KEPT;
    if (obs == GEN_OBS_PERMISSION_ONLY)
        return GEN_JUDGE_NOT_OBS_PERMISSION;
    if (obs == GEN_OBS_DATA_EVENT && !gen_cimap_get(&j->data_seen, act->prefix, "", 0))
        return GEN_JUDGE_NOT_OBS_DATA;
    if (v != GEN_VERDICT_JUDGED)
        return GEN_JUDGE_NOT_JUDGED;
    return GEN_JUDGE_UNUSED;
}

void gen_judge_principal(const gen_judge *j, size_t i, gen_judged *r)
{
    const gen_authz_principal *p = gen_authz_at(j->az, i);
    size_t ncat = gen_catalog_count(j->cat);
    if (!r->status)
        r->status = tt_xcalloc(ncat + 1, 1);
    if (!r->last_ms)
        r->last_ms = tt_xcalloc(ncat + 1, sizeof *r->last_ms);
    memset(r->status, 0, ncat + 1);
    memset(r->last_ms, 0, (ncat + 1) * sizeof *r->last_ms);
    memset(r->count, 0, sizeof r->count);
    r->verdict = verdict(j, p, r);
    /* status[] marks the used actions first (as USED), then is finished. */
    const jd_acc *acc = &j->accs[i];
    for (size_t k = 0; k < acc->n; k++) {
        size_t a = acc->use[k].act;
        if (a >= ncat)
            continue;
        if (r->status[a] != GEN_JUDGE_USED || acc->use[k].last_ms > r->last_ms[a])
            r->last_ms[a] = acc->use[k].last_ms;
        r->status[a] = GEN_JUDGE_USED;
    }
    for (size_t k = 0; k < ncat; k++) {
        int used = r->status[k] == GEN_JUDGE_USED;
        gen_judge_status s = status_of(j, gen_catalog_at(j->cat, k), p->acts[k], used, r->verdict);
        r->status[k] = (uint8_t)s;
        if (s != GEN_JUDGE_USED)
            r->last_ms[k] = 0;
        r->count[s]++;
    }
}

void gen_judged_free(gen_judged *r)
{
    free(r->status);
    free(r->last_ms);
    r->status = NULL;
    r->last_ms = NULL;
}

size_t gen_judge_unused_set(const gen_judge *j, const gen_judged *r, uint8_t *remove)
{
    size_t ncat = gen_catalog_count(j->cat), n = 0;
    for (size_t k = 0; k < ncat; k++) {
        remove[k] = r->status[k] == GEN_JUDGE_UNUSED;
        n += remove[k];
    }
    return n;
}
