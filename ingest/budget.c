/*
 * budget.c - the in-flight byte budget (budget.h): a counter under a mutex,
 * and a condition the takers wait on.
 */
#include "budget.h"

void ingest_budget_init(ingest_budget *b, size_t limit)
{
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->freed, NULL);
    b->limit = limit;
    b->used = b->peak = b->standing = 0;
    b->closed = 0;
}

void ingest_budget_destroy(ingest_budget *b)
{
    pthread_mutex_destroy(&b->mu);
    pthread_cond_destroy(&b->freed);
}

static void note_peak(ingest_budget *b)
{
    if (b->used > b->peak)
        b->peak = b->used;
}

void ingest_budget_hold(ingest_budget *b, size_t n)
{
    pthread_mutex_lock(&b->mu);
    b->standing += n;
    b->used += n;
    note_peak(b);
    pthread_mutex_unlock(&b->mu);
}

int ingest_budget_take(ingest_budget *b, size_t n)
{
    pthread_mutex_lock(&b->mu);
    if (n > b->limit - b->standing) {
        pthread_mutex_unlock(&b->mu);
        return -1;
    }
    while (!b->closed && b->used + n > b->limit)
        pthread_cond_wait(&b->freed, &b->mu);
    int ok = !b->closed;
    if (ok) {
        b->used += n;
        note_peak(b);
    }
    pthread_mutex_unlock(&b->mu);
    return ok ? 0 : -1;
}

void ingest_budget_add(ingest_budget *b, size_t n)
{
    pthread_mutex_lock(&b->mu);
    b->used += n;
    note_peak(b);
    pthread_mutex_unlock(&b->mu);
}

void ingest_budget_give(ingest_budget *b, size_t n)
{
    pthread_mutex_lock(&b->mu);
    size_t given = b->used - b->standing; /* what takes hold */
    b->used -= n > given ? given : n;
    pthread_cond_broadcast(&b->freed);
    pthread_mutex_unlock(&b->mu);
}

void ingest_budget_close(ingest_budget *b)
{
    pthread_mutex_lock(&b->mu);
    b->closed = 1;
    pthread_cond_broadcast(&b->freed);
    pthread_mutex_unlock(&b->mu);
}
