/*
 * gc_plan.c - decides how many delivery objects each account/region gets,
 * how many events go in each, and when: objects come in bursts of 5-minute
 * windows (or 60/K minutes) spread over the period (100 days by default),
 * busier on weekdays and working hours, a little busier lately. Sizes have
 * a heavy tail: a busy account/region delivers objects of up to 60,000
 * events, a quiet one objects of a few; most objects are small.
 */
#include "gc_run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int streams(gc_plan *pl, const gc_world *w, double *sw)
{
    int n = 0;
    for (int a = 0; a < w->nacct; a++)
        for (int i = 0; i < w->acct[a].nregions; i++) {
            if (n == GC_MAX_STREAMS)
                return n;
            pl->sacct[n] = a;
            pl->sreg[n] = i;
            sw[n] = w->acct[a].weight * w->acct[a].region_w[i];
            n++;
        }
    return n;
}

/* Splits total into n parts proportional to wt, each at least lo. */
static void apportion(uint64_t total, const double *wt, int64_t *out, size_t n, int64_t lo)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += wt[i];
    uint64_t left = total - (uint64_t)lo * n, used = 0;
    for (size_t i = 0; i < n; i++) {
        out[i] = lo + (int64_t)floor((double)left * wt[i] / sum);
        used += (uint64_t)out[i];
    }
    for (size_t i = 0; used < total; i = (i + 1) % n, used++)
        out[i]++;
}

/* A burst start time on a day [lo, hi) days before the end. */
static int64_t burst_start(gc_rng *r, int cad, int len, int lo, int hi)
{
    int64_t end = gc_period_end;
    for (;;) {
        int ago = lo + (int)gc_below(r, (uint32_t)(hi - lo));
        int64_t day = end - (int64_t)(ago + 1) * 86400;
        gc_tm tm;
        gc_civil(day, &tm);
        double p = (tm.wday == 0 || tm.wday == 6) ? 0.35 : 1.0;
        p *= 0.7 + 0.3 * (1.0 - ago / (double)gc_period_days);
        int hour = (int)gc_below(r, 24);
        if (hour < 7 || hour > 20)
            p *= 0.3;
        if (!gc_chance(r, p))
            continue;
        int64_t t = day + hour * 3600 + (int64_t)gc_below(r, (uint32_t)(3600 / cad)) * cad;
        if (t + (int64_t)len * cad + 600 > end)
            t = end - (int64_t)len * cad - 600;
        return t;
    }
}

/* The first burst of an account's main region falls in the oldest days, so
 * that every corpus reaches back ~100 days (old eventVersions, principals
 * unused for 90 days). */
static size_t place_stream(gc_plan *pl, gc_rng *r, int s, int64_t count, int per_hour,
                           size_t at)
{
    int oldest_first = pl->sreg[s] == 0;
    while (count > 0) {
        int len = 1;
        while (!oldest_first && len < per_hour && len < count && gc_chance(r, 0.6))
            len++;
        int span = gc_period_days, old = span > 3 ? span - 3 : 0;
        int64_t t0 = oldest_first ? burst_start(r, pl->cad, len, old, span)
                                  : burst_start(r, pl->cad, len, 0, span);
        oldest_first = 0;
        for (int j = 0; j < len; j++, at++) {
            gc_window *wn = &pl->win[at];
            wn->start = t0 + (int64_t)j * pl->cad;
            wn->deliver = wn->start + pl->cad + 30 + gc_below(r, 240);
            wn->stream = s;
            wn->seq = (int32_t)at;
        }
        count -= len;
    }
    return at;
}

static int by_time(const void *a, const void *b)
{
    const gc_window *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Standard normal (Box-Muller; the second value is dropped, as the
 * stream of draws must not depend on state kept between calls). */
static double normal(gc_rng *r)
{
    double u = gc_unit(r), v = gc_unit(r);
    return sqrt(-2.0 * log(1.0 - u)) * cos(6.283185307179586 * v);
}

/* The mean events per object asked for: --events-per-object, or 2 sqrt(N)
 * within 20..2000 (2,000 at a million events: ~500 objects). */
static double mean_per_object(const gc_opts *o)
{
    double per = o->per_object ? (double)o->per_object : 2.0 * sqrt((double)o->events);
    if (per < 20)
        per = 20;
    if (per > 2000 && !o->per_object)
        per = 2000;
    return per;
}

#define SIZE_BETA 1.0  /* mean object size ~ stream weight^beta */
#define SIZE_SIGMA 1.3  /* spread of sizes within a stream (lognormal) */

/* Sizes of the objects of one stream holding `events` events: lognormal
 * around `mean`, 1..GC_MAX_OBJECT_EVENTS, the last one what is left.
 * Appends to sizes; returns the new count, or -1 when out of memory. */
static long stream_sizes(gc_rng *r, int64_t events, double mean, int32_t **sizes, size_t *n,
                         size_t *cap)
{
    while (events > 0) {
        double x = mean * exp(SIZE_SIGMA * normal(r) - SIZE_SIGMA * SIZE_SIGMA / 2);
        int64_t k = x < 1 ? 1 : x > GC_MAX_OBJECT_EVENTS ? GC_MAX_OBJECT_EVENTS : (int64_t)x;
        if (k > events)
            k = events;
        if (*n == *cap) {
            size_t nc = *cap ? *cap * 2 : 256;
            int32_t *p = realloc(*sizes, nc * sizeof *p);
            if (!p)
                return -1;
            *sizes = p;
            *cap = nc;
        }
        (*sizes)[(*n)++] = (int32_t)k;
        events -= k;
    }
    return (long)*n;
}

static int oom(size_t what)
{
    fprintf(stderr, "trailtrim-gencorpus: out of memory planning %zu objects\n", what);
    return -1;
}

/* --one-object: one window of the busiest stream, an hour into the period. */
static int plan_one(gc_plan *pl, const gc_opts *o)
{
    pl->win = calloc(1, sizeof *pl->win);
    if (!pl->win)
        return oom(1);
    pl->nwin = 1;
    pl->win[0].start = gc_period_end - (int64_t)gc_period_days * 86400 + 3600;
    pl->win[0].deliver = pl->win[0].start + pl->cad + 90;
    pl->win[0].nev = (int32_t)o->events;
    return 0;
}

int gc_plan_make(gc_plan *pl, const gc_world *w, gc_rng *r, const gc_opts *o)
{
    double sw[GC_MAX_STREAMS], sum = 0, norm = 0;
    int64_t per_stream[GC_MAX_STREAMS];
    int32_t *sizes = NULL;
    size_t nsz = 0, cap = 0, at = 0;
    memset(pl, 0, sizeof *pl);
    pl->nstream = streams(pl, w, sw);
    pl->cad = 3600 / o->per_hour;
    if (o->one_object)
        return plan_one(pl, o);
    for (int s = 0; s < pl->nstream; s++)
        sum += sw[s];
    for (int s = 0; s < pl->nstream; s++)
        norm += pow(sw[s] / sum, 1.0 - SIZE_BETA);
    /* every stream gets an event when there are enough to go round */
    apportion(o->events, sw, per_stream, (size_t)pl->nstream,
              o->events >= (uint64_t)pl->nstream ? 1 : 0);
    /* each stream's last, cut-short object and the 60,000 cap add objects:
     * 1.3 brings the mean back to what was asked */
    double c = 1.3 * mean_per_object(o) * norm;
    size_t first[GC_MAX_STREAMS + 1];
    for (int s = 0; s < pl->nstream; s++) {
        first[s] = nsz;
        if (stream_sizes(r, per_stream[s], c * pow(sw[s] / sum, SIZE_BETA), &sizes, &nsz,
                         &cap) < 0) {
            free(sizes);
            return oom(nsz);
        }
        /* the lone oldest window (place_stream) gets the smallest size */
        for (size_t i = first[s] + 1; i < nsz; i++)
            if (sizes[i] < sizes[first[s]]) {
                int32_t t = sizes[i];
                sizes[i] = sizes[first[s]];
                sizes[first[s]] = t;
            }
    }
    first[pl->nstream] = nsz;
    pl->win = calloc(nsz ? nsz : 1, sizeof *pl->win);
    if (!pl->win) {
        free(sizes);
        return oom(nsz);
    }
    for (int s = 0; s < pl->nstream; s++)
        at = place_stream(pl, r, s, (int64_t)(first[s + 1] - first[s]), o->per_hour, at);
    for (size_t i = 0; i < at; i++)
        pl->win[i].nev = sizes[i];
    pl->nwin = at;
    free(sizes);
    qsort(pl->win, at, sizeof *pl->win, by_time);
    return 0;
}

void gc_plan_free(gc_plan *pl)
{
    free(pl->win);
    pl->win = NULL;
}
