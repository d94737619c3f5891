/*
 * ingest_render.h - what `trailtrim ingest` says when it is done: the
 * summary of the run (a key-value table or JSON, out.h) and the one line
 * on stderr naming the inputs rejected or partly stored. The model is the
 * tally cmd_ingest.c keeps while its sink stores the objects.
 */
#ifndef TT_INGEST_RENDER_H
#define TT_INGEST_RENDER_H

#include "out.h"

#include <stdint.h>
#include <stdio.h>

typedef struct ingest_render_tally {
    int64_t loaded, skipped, rejected, changed, same_content, digests, insights, archives;
    int64_t partial, records_rejected; /* objects stored but for some records; those records */
    int64_t added, duplicates, bytes_in;
    int64_t verified, verify_problems; /* --verify: verdicts recorded, problems found */
} ingest_render_tally;

/* The summary of a run to f in fmt: the counts of t (with verify, the
 * --verify ones too), megabytes parsed, seconds taken and events per
 * second over them. */
void ingest_render_summary(FILE *f, out_format fmt, const ingest_render_tally *t, int verify, long long megabytes,
                           double secs);

/* "trailtrim: N inputs rejected, M inputs partial (...)" and a pointer to
 * `trailtrim status`, on one line to f. */
void ingest_render_problems(FILE *f, const ingest_render_tally *t);

#endif /* TT_INGEST_RENDER_H */
