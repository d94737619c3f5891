/*
 * gc_plan.c - decides how many delivery objects each account/region gets,
 * how many events go in each, and when: objects come in bursts of 5-minute
 * windows (or 60/K minutes) spread over the 100 days, busier on weekdays
 * and working hours, a little busier lately.
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
    int64_t end = gc_epoch(GC_END_YEAR, GC_END_MON, GC_END_DAY);
    for (;;) {
        int ago = lo + (int)gc_below(r, (uint32_t)(hi - lo));
        int64_t day = end - (int64_t)(ago + 1) * 86400;
        gc_tm tm;
        gc_civil(day, &tm);
        double p = (tm.wday == 0 || tm.wday == 6) ? 0.35 : 1.0;
        p *= 0.7 + 0.3 * (1.0 - ago / (double)GC_SPAN_DAYS);
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
        while (len < per_hour && len < count && gc_chance(r, 0.6))
            len++;
        int64_t t0 = oldest_first ? burst_start(r, pl->cad, len, GC_SPAN_DAYS - 3, GC_SPAN_DAYS)
                                  : burst_start(r, pl->cad, len, 0, GC_SPAN_DAYS);
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

static uint64_t objects_for(const gc_opts *o, int nstream)
{
    double per = o->per_object ? (double)o->per_object : sqrt(2.0 * (double)o->events);
    if (per < 20)
        per = 20;
    if (per > 4000 && !o->per_object)
        per = 4000;
    uint64_t n = (uint64_t)llround((double)o->events / per);
    if (n < (uint64_t)nstream)
        n = (uint64_t)nstream;
    return n > o->events ? o->events : n;
}

int gc_plan_make(gc_plan *pl, const gc_world *w, gc_rng *r, const gc_opts *o)
{
    double sw[GC_MAX_STREAMS];
    int64_t per_stream[GC_MAX_STREAMS];
    memset(pl, 0, sizeof *pl);
    pl->nstream = streams(pl, w, sw);
    pl->cad = 3600 / o->per_hour;
    uint64_t nobj = objects_for(o, pl->nstream);
    int lo = nobj >= (uint64_t)pl->nstream ? 1 : 0;
    apportion(nobj, sw, per_stream, (size_t)pl->nstream, lo);
    pl->win = calloc(nobj, sizeof *pl->win);
    double *ew = calloc(nobj ? nobj : 1, sizeof *ew);
    int64_t *ev = malloc(nobj * sizeof *ev);
    if (!pl->win || !ew || !ev) {
        fprintf(stderr, "trailtrim-gencorpus: out of memory planning %llu objects\n",
                (unsigned long long)nobj);
        free(ew);
        free(ev);
        return -1;
    }
    size_t at = 0;
    for (int s = 0; s < pl->nstream; s++)
        at = place_stream(pl, r, s, per_stream[s], o->per_hour, at);
    pl->nwin = at;
    for (size_t i = 0; i < at; i++)
        ew[i] = 0.4 + gc_unit(r) * 1.2;
    apportion(o->events, ew, ev, at, 1);
    for (size_t i = 0; i < at; i++)
        pl->win[i].nev = (int32_t)ev[i];
    qsort(pl->win, at, sizeof *pl->win, by_time);
    free(ew);
    free(ev);
    return 0;
}

void gc_plan_free(gc_plan *pl)
{
    free(pl->win);
    pl->win = NULL;
}
