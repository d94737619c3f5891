/*
 * walk.h - finding the objects under the paths a user names: recursive,
 * name-ordered, following symlinks but never around a loop.
 */
#ifndef TT_WALK_H
#define TT_WALK_H

#include <stdint.h>

/* What the walk found: a file to read, or a path it could not use. */
typedef struct ingest_walk_item {
    char *path;       /* owned by the item */
    int64_t size;     /* from stat */
    int64_t mtime_ns;
    int is_stdin;     /* the path "-" */
    int is_archive;   /* named like a tar or zip bundle */
    char *problem;    /* owned; non-NULL: unreadable, not a regular file... */
} ingest_walk_item;

/* Called for each item, in order; takes ownership of it. Return non-zero
 * to stop the walk (how a caller's stop flag reaches it). */
typedef int (*ingest_walk_fn)(void *ctx, ingest_walk_item *item);

/* Walks paths[0..n). Returns the number of items handed out. */
long ingest_walk(const char *const *paths, int n, ingest_walk_fn fn, void *ctx);

/* Frees an item and what it owns. Accepts NULL. */
void ingest_walk_item_free(ingest_walk_item *item);

/* True when a file name looks like a log object or bundle. */
int ingest_walk_wanted_name(const char *name);

#endif /* TT_WALK_H */
