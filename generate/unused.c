/*
 * unused.c - the `unused` report's model (unused.h): a principal's
 * judgement (judge.h) turned into its verdict with the reason shown, and
 * its granted actions with their status, in catalog order.
 */
#include "unused.h"
#include "judge.h"

#include "common/mem.h"
#include "common/ttime.h"

#include <stdio.h>
#include <string.h>

static const char *const verdict_names[UN_NVERDICTS] = {"judged", "too_young", "coverage_gaps", "no_data"};
static const char *const status_names[UN_NSTATUS] = {
    "used", "unused", "kept_norepo", "not_observable_permission_only", "not_observable_data_events", "not_judged"};

const char *un_verdict_name(un_verdict v)
{
    return verdict_names[v];
}

const char *un_status_name(un_status s)
{
    return status_names[s];
}

/* The reason shown for a verdict. */
static un_verdict verdict(const gen_judged *jd, const gen_authz_principal *p, int32_t from_day, char *why, size_t n)
{
    char day[11];
    switch (jd->verdict) {
    case GEN_VERDICT_YOUNG: {
        char t[21];
        tt_time_format(p->created_ms, t);
        tt_day_format(from_day, day);
        snprintf(why, n, "created %s, after the window's start (%s): too young to judge", t, day);
        return UN_YOUNG;
    }
    case GEN_VERDICT_NODATA:
        snprintf(why, n, "the store holds no events of account %s in the window: no data is not no usage",
                 p->account[0] ? p->account : "(none)");
        return UN_NODATA;
    case GEN_VERDICT_GAPS:
        tt_day_format(jd->first_missing >= 0 ? jd->first_missing : from_day, day);
        snprintf(why, n, "the store has no events of account %s on %d of the window's %d days (from %s): "
                         "coverage gaps, nothing is called unused",
                 p->account, (int)jd->missing, (int)jd->days, day);
        return UN_GAPS;
    case GEN_VERDICT_JUDGED: break;
    }
    snprintf(why, n, "judged on %d days of complete coverage", (int)jd->days);
    return UN_JUDGED;
}

static un_status status_of(gen_judge_status s)
{
    switch (s) {
    case GEN_JUDGE_USED: return UN_USED;
    case GEN_JUDGE_KEPT: return UN_KEPT;
    case GEN_JUDGE_NOT_OBS_PERMISSION: return UN_NOT_OBS_PERMISSION;
    case GEN_JUDGE_NOT_OBS_DATA: return UN_NOT_OBS_DATA;
    case GEN_JUDGE_NOT_JUDGED: return UN_NOT_JUDGED;
    case GEN_JUDGE_UNUSED:
    case GEN_JUDGE_NOT_GRANTED:
    case GEN_JUDGE_NSTATUS: break;
    }
    return UN_UNUSED;
}

void gen_unused_judge(const gen_judge *j, const gen_catalog *cat, const gen_authz *az, int32_t from_day, size_t i,
                  un_result *res, gen_judged *jd)
{
    const gen_authz_principal *p = gen_authz_at(az, i);
    size_t ncat = gen_catalog_count(cat);
    memset(res, 0, sizeof *res);
    res->p = p;
    gen_judge_principal(j, i, jd);
    res->verdict = verdict(jd, p, from_day, res->reason, sizeof res->reason);
    for (size_t k = 0; k < ncat; k++) {
        uint8_t f = p->acts[k];
        res->denied += (f & GEN_AZ_DENIED) != 0;
        res->bounded += (f & GEN_AZ_BOUNDARY) != 0;
        if (jd->status[k] == GEN_JUDGE_NOT_GRANTED)
            continue;
        un_status s = status_of((gen_judge_status)jd->status[k]);
        if (res->n == res->a)
            res->acts = tt_xrealloc(res->acts, (res->a = res->a ? res->a * 2 : 64) * sizeof *res->acts);
        res->acts[res->n++] = (un_act){gen_catalog_at(cat, k), s, f, jd->last_ms[k]};
        res->count[s]++;
    }
}
