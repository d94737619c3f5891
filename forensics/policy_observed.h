/*
 * policy_observed.h - what `trailtrim policy PRINCIPAL --resources observed`
 * reads: the principal's successful calls in the window that map to its
 * granted actions, read back from their source objects (the evidence
 * cursor, forensics.h), at most max_records of them, sampled evenly, and
 * each handed to the resource model (generate/observed.h) that scopes the
 * actions to the ARNs they name. cmd_policy.c builds, lints and writes the
 * documents from that model.
 */
#ifndef TT_FORENSICS_POLICY_OBSERVED_H
#define TT_FORENSICS_POLICY_OBSERVED_H

#include "generate/catalog.h"
#include "generate/mapping.h"
#include "generate/observed.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

#define FORENSICS_OBSERVED_MAX_RECORDS 20000

typedef struct forensics_observed_req {
    store *db;               /* borrowed for the call */
    const char *db_path;     /* its folder is where relative source paths are tried */
    const gen_map *map;
    int64_t principal;       /* store id */
    int64_t since_ms, until_ms;
    const gen_action *const *acts; /* the granted actions */
    size_t nacts;
    size_t max_records;      /* 0: FORENSICS_OBSERVED_MAX_RECORDS */
} forensics_observed_req;

typedef struct forensics_observed_stats {
    size_t total;       /* successful calls that map to a granted action */
    size_t read;        /* of which read back and added */
    size_t unread;      /* could not be read back: their actions keep "*" */
    size_t skipped_via; /* made by an AWS service on the principal's behalf */
    int sampled;        /* total was past the cap: every step-th call read */
    char first_problem[TT_ERRMSG_MAX]; /* of the unread */
} forensics_observed_stats;

/* Reads the calls of q into g (borrowed; gen_observed_create's, over the
 * catalog the actions belong to): a record that cannot be read is counted
 * in *stats and its actions fall back to "*" (gen_observed_fallback), not
 * fatal. Fails only when the store cannot be read. */
tt_status forensics_observed_read(const forensics_observed_req *q, gen_observed *g, forensics_observed_stats *stats,
                                  tt_error *err);

#endif /* TT_FORENSICS_POLICY_OBSERVED_H */
