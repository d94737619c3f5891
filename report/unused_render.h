/*
 * unused_render.h - the model of the `unused` report (cmd_unused.c fills
 * it) and its renderings: a table, JSON, CSV, and one self-contained HTML
 * page (unused_render.c). Strings from the authorization file are shown
 * escaped for each sink.
 */
#ifndef TT_UNUSED_RENDER_H
#define TT_UNUSED_RENDER_H

#include "generate/authz.h"

#include <stdint.h>
#include <stdio.h>

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

typedef enum un_format { UN_TABLE = 0, UN_JSON, UN_CSV, UN_HTML } un_format;

/* "table", "json", "csv" or "html"; 0 or -1. */
int un_parse_format(const char *s, un_format *f);

/* Names: "judged", "too_young", ... and "used", "unused", ... */
const char *un_verdict_name(un_verdict v);
const char *un_status_name(un_status s);

void un_render(FILE *f, un_format fmt, const un_report *r);

#endif /* TT_UNUSED_RENDER_H */
