/*
 * policy_observed.h - `trailtrim policy PRINCIPAL --resources observed`
 * (cmd_policy.c calls it once the principal's granted actions are known):
 * its successful calls in the window are read back from their source
 * objects (the evidence cursor, forensics.h), at most max_records of them, sampled evenly,
 * and each action is scoped to the ARNs they name (generate/observed.h).
 */
#ifndef TT_POLICY_OBSERVED_H
#define TT_POLICY_OBSERVED_H

#include "generate/catalog.h"
#include "generate/mapping.h"
#include "store/store.h"

#define POL_MAX_RECORDS 20000

typedef struct pol_observed_req {
    store *db;
    const char *db_path;     /* for relative source paths */
    const gen_catalog *cat;
    const gen_map *map;
    int64_t principal;       /* store id */
    const char *arn;         /* for messages */
    int64_t since_ms, until_ms;
    const gen_action *const *acts; /* the granted actions */
    size_t nacts;
    size_t max_records;      /* 0: POL_MAX_RECORDS */
    size_t collapse_at;      /* 0: GEN_OBSERVED_COLLAPSE */
    const char *out;         /* -o FILE, or NULL for stdout */
    const char *resources_report; /* NULL, or a file for "action TAB resources TAB note" lines */
    int quiet;
} pol_observed_req;

/* Builds, lints and writes the documents. */
tt_status pol_observed_write(const pol_observed_req *q, tt_error *err);

#endif /* TT_POLICY_OBSERVED_H */
