/*
 * queue.c - the bounded queue between the walker, the workers and the
 * writer. A ring buffer under one mutex.
 */
#include "queue.h"

#include "common/mem.h"

#include <pthread.h>
#include <stdlib.h>

struct ingest_queue {
    pthread_mutex_t mu;        /* guards everything below */
    pthread_cond_t not_full;
    pthread_cond_t not_empty;
    void **ring;
    size_t cap, head, count;
    int closed;
};

ingest_queue *ingest_queue_create(size_t capacity)
{
    ingest_queue *q = tt_xcalloc(1, sizeof *q);
    q->cap = capacity ? capacity : 1;
    q->ring = tt_xcalloc(q->cap, sizeof *q->ring);
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->not_full, NULL);
    pthread_cond_init(&q->not_empty, NULL);
    return q;
}

void ingest_queue_free(ingest_queue *q)
{
    if (!q)
        return;
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->not_full);
    pthread_cond_destroy(&q->not_empty);
    free(q->ring);
    free(q);
}

int ingest_queue_push(ingest_queue *q, void *item)
{
    int rc = 0;
    pthread_mutex_lock(&q->mu);
    while (q->count == q->cap && !q->closed)
        pthread_cond_wait(&q->not_full, &q->mu);
    if (q->closed) {
        rc = -1;
    } else {
        q->ring[(q->head + q->count) % q->cap] = item;
        q->count++;
        pthread_cond_signal(&q->not_empty);
    }
    pthread_mutex_unlock(&q->mu);
    return rc;
}

void *ingest_queue_pop(ingest_queue *q)
{
    void *item = NULL;
    pthread_mutex_lock(&q->mu);
    while (q->count == 0 && !q->closed)
        pthread_cond_wait(&q->not_empty, &q->mu);
    if (q->count > 0) {
        item = q->ring[q->head];
        q->head = (q->head + 1) % q->cap;
        q->count--;
        pthread_cond_signal(&q->not_full);
    }
    pthread_mutex_unlock(&q->mu);
    return item;
}

void ingest_queue_close(ingest_queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->closed = 1;
    pthread_cond_broadcast(&q->not_full);
    pthread_cond_broadcast(&q->not_empty);
    pthread_mutex_unlock(&q->mu);
}
