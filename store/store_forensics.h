/*
 * store_forensics.h - the event-level reads behind `trailtrim key` and
 * `trailtrim search`: events with their strings and the reference to the
 * record in its source object. Works on the schema as it is: identities,
 * shapes and strings are resolved in their small tables first (indexed),
 * then one pass over the events of the time window compares integers.
 */
#ifndef TT_STORE_FORENSICS_H
#define TT_STORE_FORENSICS_H

#include "store.h"

/* One event with its strings (never NULL; "" when absent). Everything is
 * borrowed for the callback. */
typedef struct store_fevent {
    int64_t t; /* ms since the epoch */
    const char *access_key, *principal, *arn, *account, *identity_type;
    const char *session_name, *user_name;
    const char *source, *name, *region, *ip, *ua, *error, *minted;
    int read_only; /* TT_TRI_* */
    /* Where the record is: the object's manifest row and the offset. */
    const char *path, *member;
    const uint8_t *sha256; /* 32 bytes, or NULL when not recorded */
    int64_t off;
} store_fevent;

/* Return non-zero to stop. */
typedef int (*store_fevent_fn)(void *ctx, const store_fevent *ev);

/* What `search` filters on; NULL or 0 fields do not filter. */
typedef struct store_filter {
    const char *const *keys; /* any of these access keys */
    size_t nkeys;
    int64_t principal;          /* principal id (store_find_principal), 0 = any */
    const char *session;        /* session name, exact */
    const char *ip;             /* source IP, exact */
    const char *source;         /* eventSource, exact ("iam.amazonaws.com") */
    const char *event_glob;     /* eventName, GLOB pattern */
    const char *error_glob;     /* errorCode GLOB; matches failed calls only */
    int64_t since_ms, until_ms; /* [since, until); 0 = open */
    int64_t limit;              /* 0 = all */
} store_filter;

/* Streams the events matching f in time order. */
tt_status store_each_event(store *s, const store_filter *f, store_fevent_fn fn, void *ctx,
                           tt_error *err);

/* SQLite's plan for store_each_event(f): one line per step, indented by
 * depth, as EXPLAIN QUERY PLAN gives it (`search --explain`; the tests
 * check that identity filters read through the event_ident index). */
tt_status store_explain_events(store *s, const store_filter *f,
                               void (*line)(void *ctx, const char *text), void *ctx,
                               tt_error *err);

/* Whether an access key appears in the store at all (as a caller's key or
 * as a minted key): *known is 1 or 0. A failing store is an error, never
 * "unknown key". */
tt_status store_key_known(store *s, const char *key, int *known, tt_error *err);

#endif /* TT_STORE_FORENSICS_H */
