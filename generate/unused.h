/*
 * unused.h - the model of the `unused` report: per user and role of an
 * authorization-details file (authz.h), each granted action judged
 * (judge.h) as used, unused ("repoable"), kept by NOREPO, not observable
 * or not judged, with the principal's verdict and its reason. Built here
 * (unused.c); rendered by report/unused_render.h.
 */
#ifndef TT_GEN_UNUSED_H
#define TT_GEN_UNUSED_H

#include "authz.h"
#include "catalog.h"

#include <stddef.h>
#include <stdint.h>

typedef enum un_verdict { UN_JUDGED = 0, UN_YOUNG, UN_GAPS, UN_NODATA, UN_NVERDICTS } un_verdict;

/* What one granted action is. */
typedef enum un_status {
    UN_USED = 0,
    UN_UNUSED,              /* repoable */
    UN_KEPT,                /* a NOREPO statement grants it */
    UN_NOT_OBS_PERMISSION,  /* CloudTrail never records it */
    UN_NOT_OBS_DATA,        /* a data event, and the store has none of its service */
    UN_NOT_JUDGED,          /* the principal is too young, or its account's coverage has gaps */
    UN_NSTATUS
} un_status;

typedef struct un_act {
    const gen_action *action;
    un_status status;
    uint8_t flags;   /* GEN_AZ_* */
    int64_t last_ms; /* last successful use, 0 when unused */
} un_act;

struct gen_trust_review;

typedef struct un_result {
    const gen_authz_principal *p;
    const struct gen_trust_review *trust; /* a role's trust findings (trust_explain.h), or NULL */
    un_verdict verdict;
    char reason[400];
    un_act *acts; /* granted actions in catalog order (owned) */
    size_t n, a;
    size_t count[UN_NSTATUS];
    size_t denied, bounded; /* allowed but removed by a Deny / outside the boundary */
} un_result;

typedef struct un_report {
    const char *authz;
    int32_t from_day, to_day;
    const un_result *res;
    size_t n;
} un_report;

/* Names: "judged", "too_young", ... and "used", "unused", ... */
const char *un_verdict_name(un_verdict v);
const char *un_status_name(un_status s);

/* Judges principal i of az (gen_authz order) with j into *res (zeroed
 * first; res->acts is owned by the caller, to free) and *jd (zeroed or
 * reused, gen_judged_free). from_day is the window's first day, for the
 * reason of a principal too young to judge. */
struct gen_judge;  /* judge.h: the model needs no store header */
struct gen_judged;
void gen_unused_judge(const struct gen_judge *j, const gen_catalog *cat, const gen_authz *az, int32_t from_day,
                      size_t i, un_result *res, struct gen_judged *jd);

#endif /* TT_GEN_UNUSED_H */
