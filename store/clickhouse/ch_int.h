/*
 * ch_int.h - the ClickHouse backend's own declarations (store/clickhouse/):
 * the handle, the tables, and the functions backend.c puts in its table.
 *
 * Tables (docs/clickhouse.md), each a *_local table on every node and,
 * with a cluster, a Distributed table of that name over them:
 *   events   ReplacingMergeTree(ver) ORDER BY (access_key, t, eid),
 *            sharded by eid (the hash of the eventID), so that the
 *            org-trail and account-trail copies of an event meet on one
 *            shard and merge; reads that must be exact use FINAL. The
 *            order makes a key's events one range of the primary index.
 *   minted   the events that minted a key, ORDER BY (minted, t, eid): who
 *            minted a key is one range too.
 *   objects  the manifest, ReplacingMergeTree(ver) ORDER BY (path, member),
 *            sharded by the path; written only after the object's events
 *            were acknowledged by every shard.
 *   usage    the daily rollup: calls per day, principal, source, name,
 *            request skeleton, outcome and via-service, sharded by day.
 *            Rebuilt per day from the de-duplicated events (FINAL) after
 *            every batch, never counted by a materialized view (a view
 *            counts a batch sent twice twice); a rebuild's version is the
 *            day's event count, so the most complete rebuild wins.
 *   changes  objects whose content changed (possible tampering).
 */
#ifndef TT_CH_INT_H
#define TT_CH_INT_H

#include "backend.h"
#include "client.h"

#define CH_TABLE_MAX 300

typedef struct ch_store {
    store base;
    ch_client *cl;
    ch_location loc;
    int writable;
    /* Qualified names to read and write: db.X (Distributed) with a
     * cluster, db.X_local without. */
    char events[CH_TABLE_MAX], minted[CH_TABLE_MAX], objects[CH_TABLE_MAX],
        changes[CH_TABLE_MAX], usage[CH_TABLE_MAX];
    /* The days the pending events fall on (their rollup is rebuilt). */
    int32_t *days;
    size_t ndays, adays;
    int64_t checkpoint_ms; /* when the rollup and manifest were last written */
    /* The writer's pending rows (TabSeparated), sent at a flush. */
    tt_buf ev_rows, mint_rows, obj_rows;
    size_t pending_events, pending_objects;
    size_t memory; /* store_set_memory: a batch is a quarter of it */
    int64_t added;
    struct ch_req_cache *reqs; /* query.c: request skeletons of a window */
} ch_store;

#define CH(b) ((ch_store *)(b))

/* schema.c */
tt_status ch_schema_ensure(ch_store *s, tt_error *err);
tt_status ch_schema_check(ch_store *s, tt_error *err);
/* Runs sql on every node of the store's cluster (or its one server). */
tt_status ch_each_node(ch_store *s, const char *sql, tt_error *err);
/* The bytes of the store's tables on every node. */
tt_status ch_bytes(ch_store *s, int64_t *out, tt_error *err);

/* writer.c */
tt_status ch_add_object(ch_store *s, const store_object *o, const tt_event *evs,
                        const tt_event_fp *fps, size_t n,
                        store_add_counts *counts, tt_error *err);
tt_status ch_flush(ch_store *s, tt_error *err);
tt_status ch_note_change(ch_store *s, const char *path, const char *member, int64_t size,
                         const uint8_t new_sha256[32], tt_error *err);
tt_status ch_touch_object(ch_store *s, const char *path, const char *member, int64_t mtime_ns,
                          tt_error *err);
tt_status ch_set_verdicts(ch_store *s, const store_verdict *v, size_t n, int64_t verified_ms,
                          size_t *updated, tt_error *err);
void ch_writer_free(ch_store *s);
/* The principal id of an ARN: a hash, never 0. */
int64_t ch_principal_id(const char *arn, size_t n);

/* query.c */
typedef struct ch_req_cache ch_req_cache;
void ch_req_cache_free(ch_req_cache *c);
tt_status ch_each_object(ch_store *s, store_object_fn fn, void *ctx, tt_error *err);
tt_status ch_get_summary(ch_store *s, store_summary *out, tt_error *err);
tt_status ch_list_problems(ch_store *s, store_row_fn fn, void *ctx, tt_error *err);
tt_status ch_list_verdicts(ch_store *s, store_row_fn fn, void *ctx, tt_error *err);
tt_status ch_list_coverage(ch_store *s, store_row_fn fn, void *ctx, tt_error *err);
tt_status ch_list_principals(ch_store *s, int32_t from_day, int32_t to_day, store_row_fn fn,
                             void *ctx, tt_error *err);
tt_status ch_find_principal(ch_store *s, const char *name, int64_t *id, char *arn,
                            size_t arn_len, tt_error *err);
tt_status ch_list_usage(ch_store *s, int64_t principal, int32_t from_day, int32_t to_day,
                        store_row_fn fn, void *ctx, tt_error *err);
tt_status ch_gen_each_usage(ch_store *s, int64_t principal, int32_t from_day, int32_t to_day,
                            store_gen_usage_fn fn, void *ctx, tt_error *err);
tt_status ch_gen_each_request(ch_store *s, int64_t principal, const char *source,
                              const char *event, int32_t from_day, int32_t to_day,
                              store_gen_request_fn fn, void *ctx, tt_error *err);

/* query_events.c */
tt_status ch_each_event(ch_store *s, const store_filter *f, store_fevent_fn fn, void *ctx,
                        tt_error *err);
tt_status ch_explain_events(ch_store *s, const store_filter *f,
                            void (*line)(void *ctx, const char *text), void *ctx, tt_error *err);
tt_status ch_key_known(ch_store *s, const char *key, int *known, tt_error *err);
tt_status ch_trust_each_assume(ch_store *s, int64_t since_ms, int64_t until_ms,
                               store_trust_assume_fn fn, void *ctx, tt_error *err);
tt_status ch_keys_rows(ch_store *s, store_keys_kind kind, int64_t since_ms, int64_t until_ms,
                       store_row_fn fn, void *ctx, tt_error *err);

/* Runs sql and hands each row to fn as a store_row: the first line of the
 * answer (TabSeparatedWithNamesAndTypes) gives the names, integer types
 * make numbers, "_ms" columns become ISO text (named without the
 * suffix), \N is NULL. */
tt_status ch_each_row(ch_store *s, const char *sql, store_row_fn fn, void *ctx, tt_error *err);

#endif /* TT_CH_INT_H */
