/*
 * queue.h - a bounded, blocking, multi-producer multi-consumer queue of
 * pointers. The bound is what keeps memory flat whatever the input size.
 *
 * DESIGN: one mutex guards every field; two condition variables wake
 * producers (not_full) and consumers (not_empty). Closing wakes everyone:
 * pop then drains what is left and returns NULL when empty.
 */
#ifndef TT_QUEUE_H
#define TT_QUEUE_H

#include <stddef.h>

typedef struct ingest_queue ingest_queue;

ingest_queue *ingest_queue_create(size_t capacity);
void ingest_queue_free(ingest_queue *q); /* accepts NULL; q must be empty */

/* Blocks while full. Returns 0, or -1 if the queue was closed (item not
 * taken: the caller still owns it). */
int ingest_queue_push(ingest_queue *q, void *item);

/* Blocks while empty and open. Returns NULL once closed and drained. */
void *ingest_queue_pop(ingest_queue *q);

/* No more pushes; wakes all waiters. Idempotent. */
void ingest_queue_close(ingest_queue *q);

#endif /* TT_QUEUE_H */
