/*
 * run_int.h - what the pipeline (run.c) and the per-object work (object.c)
 * share inside ingest/. Not a public header.
 */
#ifndef TT_RUN_INT_H
#define TT_RUN_INT_H

#include "budget.h"
#include "gz.h"
#include "ingest.h"
#include "walk.h"

#include <pthread.h>

/* One finished object on its way to the sink, with what it owns. */
typedef struct result {
    ingest_object obj;
    char *path, *member, *reason, *detail; /* owned copies behind obj's pointers */
    char *packed;                 /* the events' strings (pack.h) */
    size_t apacked;
    ingest_parser *parser;        /* owns obj.events and unescaped strings */
    tt_event_fp *fps;             /* obj.fps */
    size_t afps;
    size_t charge;                /* bytes reserved in the run's budget for
                                     what the result holds */
    struct result *next;          /* the free list */
} result;

/* The state shared by all threads of one run. */
typedef struct run {
    const ingest_options *opt;
    ingest_progress *progress;
    struct ingest_queue *jobs;    /* ingest_walk_item* */
    struct ingest_queue *results; /* result* */
    atomic_int halt;              /* stop asked (signal or sink error) */
    atomic_int workers_left;
    pthread_mutex_t free_mu;      /* guards free_list and nfree */
    result *free_list;
    size_t nfree, free_max;       /* results on it, and the most it keeps */
    ingest_budget budget;         /* bytes in flight (budget.h) */
} run;

/* Per-worker scratch, reused across objects. */
typedef struct worker {
    run *r;
    ingest_gz *gz;
    tt_buf stored;  /* the object as read */
    tt_buf entry;   /* one archive entry */
    tt_buf inflated; /* the object decompressed, until its events are packed */
    size_t keep;    /* what of inflated's buffer is kept between objects,
                       held in the budget for the whole run */
    size_t extra;   /* the budget taken for inflated beyond keep */
    uint32_t *links; /* tt_event_fp_link's table */
    size_t alinks;
} worker;

/* A clean result from the free list (or a new one). */
result *ingest_run_result_get(run *r);

/* Hands a result to the writer; frees it if the run is closing. */
void ingest_run_emit(run *r, result *res);

/* Does all the work for one walk item, emitting one result per object
 * (several for an archive). Takes ownership of item. */
void ingest_object_process(worker *w, ingest_walk_item *item);

#endif /* TT_RUN_INT_H */
