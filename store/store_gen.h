/*
 * store_gen.h - the queries policy generation needs (generate/ and the
 * policy/mapping subcommands): every principal's calls per source and name
 * in one pass, with the AWS service events among them counted apart.
 */
#ifndef TT_STORE_GEN_H
#define TT_STORE_GEN_H

#include "store.h"

/* One principal's calls to one (source, name) in the window. Strings are
 * borrowed for the callback. */
typedef struct store_gen_usage {
    int64_t principal;
    const char *arn, *type; /* the principal's ARN and userIdentity.type */
    const char *source, *event;
    int64_t calls;          /* every call */
    int64_t errors;         /* calls with an errorCode */
    int64_t denied;         /* of which access denials */
    int64_t via_service;    /* successful calls an AWS service made on its behalf */
    int64_t service_events; /* successful records of eventType AwsServiceEvent (may overlap via_service) */
    int64_t first_ms, last_ms;
} store_gen_usage;

/* Returns nonzero to stop. */
typedef int (*store_gen_usage_fn)(void *ctx, const store_gen_usage *u);

/* Calls in the days [from_day, to_day] of one principal, or of all when
 * principal is 0, ordered by principal ARN, source, name. */
tt_status store_gen_each_usage(store *s, int64_t principal, int32_t from_day, int32_t to_day,
                               store_gen_usage_fn fn, void *ctx, tt_error *err);

/* One principal's successful direct calls (no AWS service on its behalf,
 * no AwsServiceEvent) of one (source, event) in the days [from_day,
 * to_day], per request skeleton (ingest/skeleton.h). skel is NULL when not
 * known (calls stored before skeletons were kept, or "?": past the caps).
 * Returns nonzero to stop. */
typedef int (*store_gen_request_fn)(void *ctx, const char *skel, int64_t calls);

tt_status store_gen_each_request(store *s, int64_t principal, const char *source,
                                 const char *event, int32_t from_day, int32_t to_day,
                                 store_gen_request_fn fn, void *ctx, tt_error *err);

#endif /* TT_STORE_GEN_H */
