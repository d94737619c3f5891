/*
 * trust_load.h - the trust model (generate/trust.h) of a window, built from
 * the store: every successful assume-role event (store/store_trust.h) is
 * read back from its source object (forensics.h), since the store
 * keeps no request parameters, and added to the model. Shared by `trust`,
 * `unused` and `repo`; cmd_trust_warn (cmd/) says on stderr what could not
 * be read.
 */
#ifndef TT_FORENSICS_TRUST_LOAD_H
#define TT_FORENSICS_TRUST_LOAD_H

#include "generate/trust.h"
#include "generate/trust_review.h"
#include "generate/unused.h"
#include "store/store.h"

typedef struct forensics_trust_stats {
    size_t events;   /* assume-role events in the window */
    size_t read;     /* read back and added */
    size_t unread;   /* the source object is gone, changed or unreadable */
    size_t bad;      /* the record is not a usable assumption */
    char first_problem[TT_ERRMSG_MAX];
} forensics_trust_stats;

/* Builds *out (finished, gen_trust_free) over [since_ms, until_ms).
 * db_path's folder is where relative object paths are tried. Records that
 * cannot be read are counted in *stats, not fatal. */
tt_status forensics_trust_load(store *db, const char *db_path, int64_t since_ms, int64_t until_ms, gen_trust **out,
                               forensics_trust_stats *stats, tt_error *err);

/* The trust part of `unused`: each role of res[0..n) (the principals of the
 * authorization-details file json[0..len), named name) gets its review in
 * (*reviews)[i] (an array of n, forensics_trust_reviews_free), linked from
 * res[i].trust. The window is the days [from_day, to_day]. *stats gets
 * what forensics_trust_load could not read (zeroed when the run fails). */
tt_status forensics_trust_review_roles(store *db, const char *db_path, int32_t from_day, int32_t to_day, const char *name,
                                       const char *json, size_t len, un_result *res, size_t n,
                                       gen_trust_review **reviews, forensics_trust_stats *stats, tt_error *err);
void forensics_trust_reviews_free(gen_trust_review *reviews, size_t n); /* accepts NULL */

#endif /* TT_FORENSICS_TRUST_LOAD_H */
