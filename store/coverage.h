/*
 * coverage.h - for backends: coverage rows (store_list_coverage) assembled
 * from the days with data of each account and region, given in order of
 * account, region, day. The gaps are the runs of missing days between an
 * account/region's first and last day.
 */
#ifndef TT_STORE_COVERAGE_H
#define TT_STORE_COVERAGE_H

#include "store.h"

typedef struct store_cov {
    store_row_fn fn;
    void *ctx;
    int stop;
    char acct[256], region[256];
    int32_t *days;
    size_t n, alloc;
} store_cov;

void store_cov_init(store_cov *c, store_row_fn fn, void *ctx);
/* One day with data; returns nonzero once fn asked to stop. */
int store_cov_add(store_cov *c, const char *acct, const char *region, int32_t day);
/* Hands out the last account/region and frees what c holds. */
void store_cov_finish(store_cov *c);

#endif /* TT_STORE_COVERAGE_H */
