/*
 * policy_params.h - the actions of a pair that hang on the request
 * (iam:PassRole when the call names a role, a tagging action when it
 * carries tags): decided call by call from the requestParameters of the
 * principal's successful calls: from the skeletons of their
 * requestParameters that the store keeps in its rollup (ingest/skeleton.h),
 * or, for calls stored without one (before schema 3, or past the
 * skeleton's caps), from the records read back from their source objects
 * by the reference the store keeps (forensics.h), as --resources
 * observed does. A pair stops being read once every action is granted.
 */
#ifndef TT_POLICY_PARAMS_H
#define TT_POLICY_PARAMS_H

#include "generate/mapping.h"
#include "store/store.h"

/* Records read at most per pair of one principal; calls past it are
 * decided as if the request were unknown (gen_map_resolve's reading). */
#define FORENSICS_PARAMS_MAX_READ 2000

typedef struct forensics_params forensics_params;

/* db is borrowed for the reader's life; db_path names the store, whose
 * folder is where relative source paths are tried. */
forensics_params *forensics_params_create(store *db, const char *db_path);
void forensics_params_free(forensics_params *p); /* accepts NULL */

/* What the reads found, summed over every call to forensics_params_decide. */
typedef struct forensics_params_stats {
    size_t pairs;    /* pairs decided from their records or skeletons */
    size_t from_shapes; /* of which from the skeletons kept at ingest */
    size_t shapes;   /* skeletons decided */
    size_t read;     /* records read and decided */
    size_t unread;   /* records that could not be read (decided as unknown) */
    size_t capped;   /* pairs with more calls than FORENSICS_PARAMS_MAX_READ */
    char first_problem[TT_ERRMSG_MAX];
} forensics_params_stats;

/* Sets r's granted flags (r resolved for source, event) to the union over
 * the principal's successful direct calls of the pair in [since, until)
 * (ms). Does nothing when r has no request-dependent action. */
tt_status forensics_params_decide(forensics_params *p, int64_t principal, const char *source, const char *event,
                            int64_t since_ms, int64_t until_ms, gen_map_result *r, tt_error *err);

const forensics_params_stats *forensics_params_counts(const forensics_params *p);

#endif /* TT_POLICY_PARAMS_H */
