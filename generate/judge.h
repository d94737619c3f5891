/*
 * judge.h - Repokid's judgement of the principals of an authorization-
 * details file against the store, shared by `unused` (the report) and
 * `repo` (the tightened policies) so that both apply the same rules: the
 * actions each principal used successfully and directly in the window
 * (the `policy` rule, the same mapping), the coverage of its account, a
 * verdict on the principal, and a status for each granted action.
 */
#ifndef TT_GEN_JUDGE_H
#define TT_GEN_JUDGE_H

#include "authz.h"
#include "mapping.h"

#include "store/store.h"

#include <stdint.h>

typedef struct gen_judge gen_judge;

/* The shortest window that judges: Repokid's minimum age of a principal
 * (its AgeFilter, 90 days) before its unused permissions are removed. On
 * a shorter window an action used less often than the window is long is
 * called unused: `unused` warns. */
#define GEN_JUDGE_MIN_DAYS 90

/* The verdict on a principal as a whole. */
typedef enum gen_verdict {
    GEN_VERDICT_JUDGED = 0,
    GEN_VERDICT_YOUNG,  /* created after the window's first day */
    GEN_VERDICT_GAPS,   /* a day of the window without any event of its account */
    GEN_VERDICT_NODATA  /* no event of its account in the window */
} gen_verdict;

/* What one catalog action is to a principal. */
typedef enum gen_judge_status {
    GEN_JUDGE_NOT_GRANTED = 0,
    GEN_JUDGE_USED,
    GEN_JUDGE_UNUSED,              /* repoable */
    GEN_JUDGE_KEPT,                /* a NOREPO statement grants it */
    GEN_JUDGE_NOT_OBS_PERMISSION,  /* CloudTrail never records it */
    GEN_JUDGE_NOT_OBS_DATA,        /* a data event, and the store has none of its service */
    GEN_JUDGE_NOT_JUDGED,          /* the verdict is not GEN_VERDICT_JUDGED */
    GEN_JUDGE_NSTATUS
} gen_judge_status;

/* The judgement of one principal. Fill with gen_judge_principal; the
 * arrays are catalog-sized and owned (gen_judged_free). */
typedef struct gen_judged {
    gen_verdict verdict;
    int32_t days;          /* days in the window */
    int32_t missing;       /* of which without an event of its account */
    int32_t first_missing; /* the first such day, or -1 */
    uint8_t *status;       /* per catalog action: a gen_judge_status */
    int64_t *last_ms;      /* per catalog action: last successful direct use (GEN_JUDGE_USED) */
    size_t count[GEN_JUDGE_NSTATUS];
} gen_judged;

/* Reads the usage of the days [from_day, to_day] and the coverage from s
 * for the principals of az. c, m and az are borrowed: they must outlive
 * the judge; s is not kept. */
tt_status gen_judge_create(gen_judge **out, const gen_catalog *c, const gen_map *m, const gen_authz *az, store *s,
                           int32_t from_day, int32_t to_day, tt_error *err);
void gen_judge_free(gen_judge *j); /* accepts NULL */

/* Judges principal i (gen_authz order) into *r, which must be zeroed or
 * hold an earlier result of the same judge (its arrays are reused). */
void gen_judge_principal(const gen_judge *j, size_t i, gen_judged *r);
void gen_judged_free(gen_judged *r); /* accepts a zeroed one */

/* remove[k] = 1 (catalog-sized) for the actions r calls unused, else 0;
 * returns how many. */
size_t gen_judge_unused_set(const gen_judge *j, const gen_judged *r, uint8_t *remove);

#endif /* TT_GEN_JUDGE_H */
