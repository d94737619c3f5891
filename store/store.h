/*
 * store.h - the store interface: a manifest of every input object, the
 * events, a daily usage rollup and per-account/region coverage kept at
 * ingest. The ingest and every reading command go through these functions
 * (and store_gen.h, store_forensics.h); store.c hands them to a backend
 * (backend.h). The embedded default is SQLite (store/sqlite/): a file, its
 * schema documented in docs/schema.md.
 *
 * One writer: a store opened for writing holds an exclusive lock (for a
 * SQLite store, the file PATH.lock) for as long as it is open; readers need
 * no lock (WAL mode).
 */
#ifndef TT_STORE_H
#define TT_STORE_H

#include "common/event.h"
#include "common/fingerprint.h"
#include "common/tt.h"

#include <stdint.h>

typedef struct store store;

enum {
    STORE_READ = 0,  /* queries only; the file must exist */
    STORE_WRITE = 1, /* create if missing; take the writer's lock */
    STORE_WAIT = 2,  /* with STORE_WRITE: wait for the lock, not fail */
    STORE_ALLOW_MISSING_SHARDS = 4 /* a cluster store: reads answer from the
                                      shards that are up (the user asked) */
};

/* Opens the store at path: a file path (the SQLite backend), or
 * clickhouse://[USER@]HOST[:PORT]/DATABASE[?cluster=NAME] or https://...
 * (the ClickHouse backend: a server or a cluster; its tables are created
 * on first write). On TT_ERR_BUSY another process holds a SQLite store's
 * writer's lock (the message names it); a ClickHouse store has no lock,
 * many hosts write it at once. A SQLite store of an older schema is
 * migrated in place first. *out is NULL on failure. */
tt_status store_open(store **out, const char *path, int flags, tt_error *err);

/* Flags every later store_open of this process adds to its own (the
 * command line's --allow-missing-shards). */
void store_set_open_flags(int flags);

/* Gives a writer about `bytes` of memory for SQLite's page cache and its
 * own caches of strings and identities (default: STORE_MEMORY). Call
 * before the first write. */
#define STORE_MEMORY ((size_t)80 << 20)
void store_set_memory(store *s, size_t bytes);

/* Keeps a writer's write-ahead log under about `bytes` (default
 * STORE_MAX_WAL; an object's pages may take it past) however long the run:
 * a transaction writes at most a quarter of it, and once the log holds
 * half, the next transaction waits for the checkpoint to catch up, so that
 * the log starts again from its beginning instead of growing with the run.
 * Without the bound a 2M-event ingest left a 336 MB log beside its 251 MB
 * store. A reader that holds an old snapshot still keeps the log from
 * starting over while it reads, as it does SQLite's own checkpoints.
 * Backends without such a log ignore it. Call before the first write. */
#define STORE_MAX_WAL ((size_t)512 << 20)
void store_set_max_wal(store *s, size_t bytes);

/* What the writer did so far: lookups that went to SQLite (its caches
 * missed) and rows it added to the dictionaries, the pages SQLite read
 * from the file (its own cache missed), the largest its write-ahead log
 * grew (in bytes, as of a commit) and how many times it started over from
 * its beginning. For tests and -v. */
typedef struct store_write_stats {
    int64_t lookups, inserted, page_reads;
    int64_t wal_peak_bytes, wal_restarts;
} store_write_stats;
void store_get_write_stats(store *s, store_write_stats *out);

/* Commits what is pending (see store_add_object), closes, and releases the
 * lock. Accepts NULL. Returns the commit's status. */
tt_status store_close(store *s, tt_error *err);

/* ---- the manifest ------------------------------------------------------- */

typedef enum store_obj_status {
    STORE_OBJ_LOADED = 0,   /* read and stored */
    STORE_OBJ_REJECTED,     /* bad input; reason says why */
    STORE_OBJ_SAME_CONTENT, /* the bytes of an object already stored */
    STORE_OBJ_PARTIAL       /* read and stored but for some records whose
                               content was bad; reason says which and why */
} store_obj_status;

/* The status as the manifest writes it: "loaded", "rejected",
 * "same-content" or "partial". */
const char *store_obj_status_name(store_obj_status st);

/* One manifest row. Strings are borrowed for the call. */
typedef struct store_object {
    const char *path;
    const char *member;      /* "" unless an archive entry */
    const char *container;   /* "file", "member" or "archive" */
    const char *kind;        /* "events", "digest" or "insight" */
    int64_t size, mtime_ns;
    const uint8_t *sha256;   /* 32 bytes, or NULL when not read */
    store_obj_status status;
    const char *reason;      /* NULL unless rejected or partial */
    const char *account;     /* the account the object was delivered for
                                (from its S3 key), or NULL: coverage uses it
                                for events without recipientAccountId, and
                                userIdentity.accountId when both lack it */
} store_object;

/* Called by store_each_object for every manifest row. */
typedef void (*store_object_fn)(void *ctx, const char *path, const char *member,
                                int64_t size, int64_t mtime_ns,
                                const uint8_t sha256[32], int rejected);

tt_status store_each_object(store *s, store_object_fn fn, void *ctx, tt_error *err);

/* One manifest row, asked for while a run writes, so that a run over a
 * bucket of months need not hold the whole manifest (it took 465 MB for
 * 1M objects): store_find_object by (path, member), as store_each_object
 * would have handed it (rows with a content hash); store_has_content, 1
 * when an object recorded as loaded (not rejected or partial) had exactly
 * these bytes. Safe from several threads at once, beside the writer: the
 * SQLite backend reads through read-only connections of its own. Both see
 * the manifest as it was when the store was opened: the objects a run
 * stores do not count in it, so that two copies of one object in a run are
 * both read, whenever its commits land. A backend that cannot answer them cheaply (a server,
 * over HTTP) says 0 to store_finds_objects; its manifest is then read
 * whole with store_each_object. */
typedef struct store_object_info {
    int64_t size, mtime_ns;
    uint8_t sha256[32];
    int rejected; /* rejected or partial */
} store_object_info;
int store_finds_objects(store *s);
tt_status store_find_object(store *s, const char *path, const char *member,
                            store_object_info *out, int *found, tt_error *err);
tt_status store_has_content(store *s, const uint8_t sha256[32], int *found, tt_error *err);

typedef struct store_add_counts {
    int64_t added;      /* new events stored */
    int64_t duplicates; /* events already stored (same eventID and time) */
} store_add_counts;

/* Adds an object's events and its manifest row. Both commit in the same
 * transaction, which may hold several objects: the store commits every
 * so many events and at store_commit()/store_close(). Replaces an earlier
 * row of the same (path, member) (a rejected one being re-read). evs may
 * be NULL when n is 0. fps (may be NULL: computed here then) holds the
 * events' fingerprints (common/fingerprint.h), computed by the caller's
 * workers so that the single writer only probes: a record without an
 * eventID is keyed by its bytes there (fps[i].key), and by nothing when
 * fps is NULL. */
tt_status store_add_object(store *s, const store_object *o, const tt_event *evs,
                           const tt_event_fp *fps, size_t n,
                           store_add_counts *counts, tt_error *err);

/* Records that a known object's content changed (possible tampering)
 * without touching what was stored from it. Once per distinct new hash. */
tt_status store_note_change(store *s, const char *path, const char *member,
                            int64_t size, const uint8_t new_sha256[32],
                            tt_error *err);

/* Updates the recorded mtime of an object whose content is unchanged, so
 * that the next run skips it by its stat alone. */
tt_status store_touch_object(store *s, const char *path, const char *member,
                             int64_t mtime_ns, tt_error *err);

/* ---- integrity verdicts (verdict.c) ------------------------------------ */

/* One object's verdict from `ingest --verify`. Borrowed for the call. */
typedef struct store_verdict {
    const char *path, *member; /* member NULL or "" unless an archive entry */
    const char *verdict;       /* "intact", "log-modified", "pending", ... */
} store_verdict;

/* Records v[0..n) in the manifest (object.verify, with verified_ms), in
 * the writer's transaction. Objects the manifest lacks are passed over;
 * *updated counts those recorded. */
tt_status store_set_verdicts(store *s, const store_verdict *v, size_t n, int64_t verified_ms,
                             size_t *updated, tt_error *err);

/* Commits the open transaction, if any. */
tt_status store_commit(store *s, tt_error *err);

/* ---- reading ------------------------------------------------------------ */

typedef struct store_summary {
    int64_t objects, objects_loaded, objects_rejected, objects_changed;
    int64_t objects_partial; /* some records rejected, the others stored */
    int64_t digests, insights, events, principals;
    int64_t objects_verified, verify_problems; /* with a verdict; not intact or pending */
    int64_t first_ms, last_ms; /* 0 when empty */
    int64_t db_bytes;
} store_summary;

tt_status store_get_summary(store *s, store_summary *out, tt_error *err);

/* A generic row for the listing queries: column values as text (NULL for
 * SQL NULL) and as integers. Borrowed for the callback. */
typedef struct store_row {
    int ncols;
    const char *const *names;
    const char *const *text;
    const int64_t *num;
    const int *is_num; /* 1 when the column is an integer */
} store_row;

typedef int (*store_row_fn)(void *ctx, const store_row *row);

/* Rejected, partial and changed objects: path, member, status, reason. */
tt_status store_list_problems(store *s, store_row_fn fn, void *ctx, tt_error *err);

/* Objects per integrity verdict of `ingest --verify` (verdict, objects),
 * "intact" first; no rows for a store without verdicts. */
tt_status store_list_verdicts(store *s, store_row_fn fn, void *ctx, tt_error *err);

/* Coverage per account and region: account, region, first_day, last_day,
 * days (with data), gap_days, gaps (text like "2026-09-01..2026-09-03"). */
tt_status store_list_coverage(store *s, store_row_fn fn, void *ctx, tt_error *err);

/* Principals active in the days [from_day, to_day]: principal, type,
 * account, calls, errors, denied, first_seen, last_seen (ISO text). */
tt_status store_list_principals(store *s, int32_t from_day, int32_t to_day,
                                store_row_fn fn, void *ctx, tt_error *err);

/* Finds a principal by ARN, or by a name that ends exactly one ARN
 * ("ci-deploy", "role/ci-deploy", "user/alice"). TT_ERR_NOTFOUND, or
 * TT_ERR_USAGE when ambiguous (message lists candidates). */
tt_status store_find_principal(store *s, const char *name, int64_t *id,
                               char *arn, size_t arn_len, tt_error *err);

/* One principal's calls in [from_day, to_day], per source and name:
 * source, event, calls, errors, denied, via_service (successful calls an
 * AWS service made on the principal's behalf: userIdentity.invokedBy),
 * first_seen, last_seen. */
tt_status store_list_usage(store *s, int64_t principal, int32_t from_day,
                           int32_t to_day, store_row_fn fn, void *ctx,
                           tt_error *err);

/* Compares two stores event for event through their strings (not their
 * ids). Returns 0 when equal; otherwise 1 and describes the first
 * difference in err. For tests and the kill test. */
int store_compare(store *a, store *b, tt_error *err);

#endif /* TT_STORE_H */
