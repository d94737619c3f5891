/*
 * gc_run.h - the generator's driver layer: options, the plan of delivery
 * objects in time (gc_plan.c), the generation loop (gc_gen.c) and the
 * writer of S3-layout files, digests and MANIFEST.txt (gc_out.c).
 */
#ifndef GC_RUN_H
#define GC_RUN_H

#include "gc.h"

typedef struct gc_opts {
    const char *out;
    uint64_t events;
    uint64_t seed;
    int per_hour;          /* objects per hour inside a burst (cadence) */
    uint64_t per_object;   /* mean events per object; 0 = 2 sqrt(N), 20..2000 */
    uint64_t world_seed;   /* seed of accounts and principals (default: seed) */
    int accounts;          /* accounts in the organization, 4..24 */
    double churn;          /* mean calls per temporary session */
    const char *churn_name;
    int64_t end;           /* corpus end, epoch seconds */
    int days;              /* days the corpus spans */
    int one_object;        /* write one object at the start of the period */
} gc_opts;

#define GC_MAX_STREAMS 128
#define GC_MAX_OBJECT_EVENTS 60000

/* One delivery object of one account/region: its 'window' of events. */
typedef struct gc_window {
    int64_t start;
    int64_t deliver;
    int32_t stream;
    int32_t nev;
    int32_t seq;
} gc_window;

typedef struct gc_plan {
    gc_window *win;
    size_t nwin;
    int nstream;
    int sacct[GC_MAX_STREAMS];
    int sreg[GC_MAX_STREAMS];
    int cad;               /* window length in seconds */
} gc_plan;

/* Lays out objects for o->events events. Returns 0, or -1 with a message
 * on stderr. */
int gc_plan_make(gc_plan *pl, const gc_world *w, gc_rng *r, const gc_opts *o);
void gc_plan_free(gc_plan *pl);

/* Seconds between a primary object's delivery and its org-trail copies. */
#define GC_ORG_LAG1 47
#define GC_ORG_LAG2 109

typedef struct gc_stats {
    uint64_t objects, events, dup_copies, digests;
    uint64_t bytes_raw, bytes_gz, digest_bytes_gz;
    uint64_t groups, v10_events, error_events;
    uint64_t identities;   /* distinct identity tuples */
    uint64_t mints;        /* events that minted a session */
    uint64_t akia_calls[GC_MAX_PRINCIPALS];      /* unique events per long-term key */
    uint64_t principal_calls[GC_MAX_PRINCIPALS]; /* unique events per group principal */
    int64_t first_t, last_t;
} gc_stats;

typedef struct gc_out gc_out;

/* Prepares writing under dir; plans the digest chains from pl when
 * digests is set. NULL on failure (message on stderr). */
gc_out *gc_out_create(const char *dir, gc_world *w, const gc_plan *pl, int digests);
void gc_out_free(gc_out *o);

/* Writes one log object (data is the full {"Records":[...]} text) to the
 * account trail (org == 0) or the organization trail prefix. */
int gc_out_log(gc_out *o, gc_rng *r, int org, int acct, const char *region,
               int64_t deliver, const char *data, size_t n, int64_t oldest,
               int64_t newest);

/* Writes the CloudTrail-Digest chains (call after the last log object). */
int gc_out_digests(gc_out *o, gc_rng *r);

gc_stats *gc_out_stats(gc_out *o);

/* Generates every planned object. Returns 0 or -1. */
int gc_generate(gc_world *w, gc_rng *r, const gc_plan *pl, gc_out *o);

#endif /* GC_RUN_H */
