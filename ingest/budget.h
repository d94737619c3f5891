/*
 * budget.h - the bytes an ingest holds in flight (stored and decompressed
 * objects, their events and fingerprints, across the workers, the results
 * queue and the sink), counted against a limit. A worker reserves what an
 * object will need before it decompresses it and waits while the others
 * hold too much; the reservation is given back when the sink is done with
 * the object. Internal to ingest/.
 */
#ifndef TT_BUDGET_H
#define TT_BUDGET_H

#include <pthread.h>
#include <stddef.h>

typedef struct ingest_budget {
    pthread_mutex_t mu;
    pthread_cond_t freed;
    size_t limit, used, peak;
    size_t standing; /* held for the whole run (ingest_budget_hold) */
    int closed; /* the run is stopping: nobody waits any more */
} ingest_budget;

void ingest_budget_init(ingest_budget *b, size_t limit);
void ingest_budget_destroy(ingest_budget *b);

/* Holds n bytes for the whole run (a worker's kept buffer), before any
 * take: they count as used and are never given back. */
void ingest_budget_hold(ingest_budget *b, size_t n);

/* Reserves n bytes, waiting while other reservations leave too little
 * room. A reservation alone larger than the limit less what is held for
 * the run is never granted: returns -1 at once (the caller rejects the
 * object); also -1 once the budget is closed. 0 when granted. */
int ingest_budget_take(ingest_budget *b, size_t n);

/* Adds n bytes to a granted reservation without waiting (what an object
 * turned out to need beyond its estimate; bounded by the caller). */
void ingest_budget_add(ingest_budget *b, size_t n);

/* Gives n bytes back (never what is held for the run). */
void ingest_budget_give(ingest_budget *b, size_t n);

/* Wakes every waiter; later takes fail. */
void ingest_budget_close(ingest_budget *b);

#endif /* TT_BUDGET_H */
