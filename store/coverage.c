/*
 * coverage.c - coverage rows from days with data (coverage.h), for every
 * backend.
 */
#include "coverage.h"

#include "common/mem.h"
#include "common/ttime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void gap_text(const int32_t *days, size_t n, char *out, size_t outlen, int64_t *gap_days)
{
    size_t used = 0;
    *gap_days = 0;
    out[0] = '\0';
    for (size_t i = 1; i < n; i++) {
        if (days[i] == days[i - 1] + 1)
            continue;
        int32_t from = days[i - 1] + 1, to = days[i] - 1;
        *gap_days += to - from + 1;
        char a[11], b[11];
        tt_day_format(from, a);
        tt_day_format(to, b);
        int w = from == to ? snprintf(out + used, outlen - used, "%s%s", used ? " " : "", a)
                           : snprintf(out + used, outlen - used, "%s%s..%s", used ? " " : "", a, b);
        if (w < 0 || (size_t)w >= outlen - used) {
            snprintf(out + (outlen > 5 ? outlen - 5 : 0), 5, " ...");
            used = outlen - 1;
            continue;
        }
        used += (size_t)w;
    }
}

static int emit(store_cov *c)
{
    if (c->n == 0 || c->stop)
        return c->stop;
    static const char *names[] = {"account", "region", "first_day", "last_day", "days", "gap_days", "gaps"};
    char first[11], last[11], gaps[1024], nd[24], gd[24];
    int64_t gap_days;
    tt_day_format(c->days[0], first);
    tt_day_format(c->days[c->n - 1], last);
    gap_text(c->days, c->n, gaps, sizeof gaps, &gap_days);
    snprintf(nd, sizeof nd, "%zu", c->n);
    snprintf(gd, sizeof gd, "%lld", (long long)gap_days);
    const char *text[7] = {c->acct, c->region, first, last, nd, gd, gaps};
    int64_t num[7] = {0, 0, 0, 0, (int64_t)c->n, gap_days, 0};
    int is_num[7] = {0, 0, 0, 0, 1, 1, 0};
    store_row row = {7, names, text, num, is_num};
    c->stop = c->fn(c->ctx, &row);
    return c->stop;
}

void store_cov_init(store_cov *c, store_row_fn fn, void *ctx)
{
    memset(c, 0, sizeof *c);
    c->fn = fn;
    c->ctx = ctx;
}

int store_cov_add(store_cov *c, const char *acct, const char *region, int32_t day)
{
    if (strcmp(acct, c->acct) != 0 || strcmp(region, c->region) != 0) {
        if (emit(c))
            return 1;
        c->n = 0;
        snprintf(c->acct, sizeof c->acct, "%s", acct);
        snprintf(c->region, sizeof c->region, "%s", region);
    }
    if (c->n == c->alloc) {
        c->alloc = c->alloc ? c->alloc * 2 : 128;
        c->days = tt_xrealloc(c->days, c->alloc * sizeof *c->days);
    }
    c->days[c->n++] = day;
    return 0;
}

void store_cov_finish(store_cov *c)
{
    emit(c);
    free(c->days);
    c->days = NULL;
}
