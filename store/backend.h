/*
 * backend.h - the store interface a backend implements. The reading
 * commands and the ingest call the functions of store.h, store_gen.h and
 * store_forensics.h; store.c picks the backend from the store's location
 * and hands each call to its table here. Every operation has the contract
 * written beside its public function; a backend implements all of them
 * (or answers TT_ERR_USAGE naming what it lacks).
 *
 * Backends: store/sqlite/ (the embedded default: a file path) and
 * store/clickhouse/ (clickhouse://... or https://...: a server or a
 * cluster, over HTTP). A backend adds its folder, its table and a branch
 * in store.c's store_open.
 */
#ifndef TT_STORE_BACKEND_H
#define TT_STORE_BACKEND_H

#include "store.h"
#include "store_forensics.h"
#include "store_gen.h"
#include "store_trust.h"

typedef struct store_backend {
    const char *name;
    tt_status (*close)(store *s, tt_error *err);
    void (*set_memory)(store *s, size_t bytes);
    void (*set_max_wal)(store *s, size_t bytes);
    void (*get_write_stats)(store *s, store_write_stats *out);
    /* the manifest and the writer */
    tt_status (*each_object)(store *s, store_object_fn fn, void *ctx, tt_error *err);
    /* NULL both, or neither (store_finds_objects) */
    tt_status (*find_object)(store *s, const char *path, const char *member,
                             store_object_info *out, int *found, tt_error *err);
    tt_status (*has_content)(store *s, const uint8_t sha256[32], int *found, tt_error *err);
    tt_status (*add_object)(store *s, const store_object *o, const tt_event *evs,
                            const tt_event_fp *fps, size_t n,
                            store_add_counts *counts, tt_error *err);
    tt_status (*note_change)(store *s, const char *path, const char *member, int64_t size,
                             const uint8_t new_sha256[32], tt_error *err);
    tt_status (*touch_object)(store *s, const char *path, const char *member, int64_t mtime_ns,
                              tt_error *err);
    tt_status (*set_verdicts)(store *s, const store_verdict *v, size_t n, int64_t verified_ms,
                              size_t *updated, tt_error *err);
    tt_status (*commit)(store *s, tt_error *err);
    /* reading */
    tt_status (*get_summary)(store *s, store_summary *out, tt_error *err);
    tt_status (*list_problems)(store *s, store_row_fn fn, void *ctx, tt_error *err);
    tt_status (*list_verdicts)(store *s, store_row_fn fn, void *ctx, tt_error *err);
    tt_status (*list_coverage)(store *s, store_row_fn fn, void *ctx, tt_error *err);
    tt_status (*list_principals)(store *s, int32_t from_day, int32_t to_day, store_row_fn fn,
                                 void *ctx, tt_error *err);
    tt_status (*find_principal)(store *s, const char *name, int64_t *id, char *arn,
                                size_t arn_len, tt_error *err);
    tt_status (*list_usage)(store *s, int64_t principal, int32_t from_day, int32_t to_day,
                            store_row_fn fn, void *ctx, tt_error *err);
    int (*compare)(store *a, store *b, tt_error *err);
    tt_status (*gen_each_usage)(store *s, int64_t principal, int32_t from_day, int32_t to_day,
                                store_gen_usage_fn fn, void *ctx, tt_error *err);
    tt_status (*gen_each_request)(store *s, int64_t principal, const char *source,
                                  const char *event, int32_t from_day, int32_t to_day,
                                  store_gen_request_fn fn, void *ctx, tt_error *err);
    tt_status (*each_event)(store *s, const store_filter *f, store_fevent_fn fn, void *ctx,
                            tt_error *err);
    tt_status (*explain_events)(store *s, const store_filter *f,
                                void (*line)(void *ctx, const char *text), void *ctx,
                                tt_error *err);
    tt_status (*key_known)(store *s, const char *key, int *known, tt_error *err);
    tt_status (*trust_each_assume)(store *s, int64_t since_ms, int64_t until_ms,
                                   store_trust_assume_fn fn, void *ctx, tt_error *err);
    tt_status (*keys_rows)(store *s, store_keys_kind kind, int64_t since_ms, int64_t until_ms,
                           store_row_fn fn, void *ctx, tt_error *err);
} store_backend;

/* What every backend's handle starts with. */
struct store {
    const store_backend *be;
};

/* The SQLite backend (store/sqlite/): a store file at path. */
tt_status store_sqlite_open(store **out, const char *path, int flags, tt_error *err);

/* The ClickHouse backend (store/clickhouse/): a database on a server or a
 * cluster (store/clickhouse/client.h gives the location's form). */
tt_status store_clickhouse_open(store **out, const char *location, int flags, tt_error *err);

#endif /* TT_STORE_BACKEND_H */
