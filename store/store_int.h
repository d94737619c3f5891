/*
 * store_int.h - the store handle and what its files share. Private to
 * store/: no SQLite type leaves this folder.
 */
#ifndef TT_STORE_INT_H
#define TT_STORE_INT_H

#include "fpmap.h"
#include "store.h"

#include <sqlite3.h>

/* 2: object.verify and object.verified_ms (ingest --verify); schema.c
 * migrates a version-1 store when a writer opens it. */
#define STORE_SCHEMA_VERSION 2

/* Commit a transaction after this many events or objects, or this long. */
#define STORE_TXN_EVENTS 250000
#define STORE_TXN_OBJECTS 2000
#define STORE_TXN_MS 3000

/* One rollup accumulator: (principal, day, source, name, error class, made
 * by an AWS service on the principal's behalf). */
typedef struct rollup_acc {
    int64_t principal, src, name;
    int32_t day, errclass, via;
    int64_t calls, first_ms, last_ms;
} rollup_acc;

typedef struct cover_acc {
    int64_t account, region;
    int32_t day;
    int64_t events;
} cover_acc;

/* Accumulators of one kind, found by key: items[0..n) of `size` bytes
 * each, idx maps a key's fingerprint to its index. */
typedef struct acc_table {
    fpmap idx;
    unsigned char *items;
    size_t n, cap, size;
} acc_table;

/* What the writer remembers of a shape (see common/fingerprint.h). */
typedef struct shape_info {
    int64_t src, name, region, recipient;
    int errclass; /* 0 ok, 1 denied, 2 other error */
} shape_info;

/* One event row on its way into the event table (see batch.c). */
typedef struct batch_row {
    int64_t t, eid, ident, shape, ip, ua, minted, obj, off; /* the columns */
    int64_t principal; /* for the rollup */
    int via;           /* made by a service on the principal's behalf */
    int added;         /* stored by this statement (not a duplicate) */
} batch_row;

struct store {
    sqlite3 *db;
    char *path;
    int lock_fd;         /* -1 when opened for reading */
    int in_txn;
    int64_t txn_events, txn_objects, txn_start_ms;

    /* The writer's dictionaries, loaded on the first write. */
    int dicts_loaded;
    fpmap dict;          /* string -> dict id */
    int64_t next_dict_id;
    fpmap principals;    /* principal string -> (principal id, type dict id) */
    int64_t next_principal_id;
    fpmap identities;    /* identity tuple -> (identity id, principal id) */
    int64_t next_identity_id;
    fpmap shapes;        /* shape tuple -> shape id */
    shape_info *shape;   /* by shape id */
    size_t nshape, ashape;

    /* Per-transaction aggregates, flushed before commit. */
    acc_table rollup;    /* of rollup_acc, until the commit */
    acc_table cover;     /* of cover_acc */

    batch_row *batch;    /* the object being added, for tt_batch */
    size_t nbatch, abatch;
    int batch_registered;
    sqlite3_stmt *find_event; /* (t, eid) -> obj, for objects partly stored */
    sqlite3_stmt *ins_event, *ins_dict, *ins_principal, *ins_identity, *ins_shape;
    sqlite3_stmt *upsert_object, *finish_object, *upsert_rollup, *upsert_cover;
};

/* Runs SQL with no results; on error fills err naming `what`. */
tt_status store_exec(store *s, const char *sql, const char *what, tt_error *err);

/* Prepares a statement kept for the writer's session, unless *st is set. */
tt_status store_prepare(store *s, sqlite3_stmt **st, const char *sql, tt_error *err);

/* Steps a statement that returns no rows and resets it. */
tt_status store_step_done(store *s, sqlite3_stmt *q, const char *what, tt_error *err);

/* Turns the connection's last error into ours. */
tt_status store_sqlite_fail(store *s, const char *what, tt_error *err);

/* Creates or checks the schema. */
tt_status store_schema_apply(store *s, tt_error *err);

/* Begins a transaction if none is open. */
tt_status store_begin(store *s, tt_error *err);

/* Flushes the rollup and coverage aggregates (inside the transaction). */
tt_status store_flush_aggregates(store *s, tt_error *err);

/* Registers the tt_batch virtual table on s's connection. */
tt_status store_batch_register(store *s, tt_error *err);

/* Makes room for n rows in s->batch and empties it. */
batch_row *store_batch_reserve(store *s, size_t n);

/* Frees the writer's statements and maps. */
void store_writer_free(store *s);

/* ---- writer_dict.c: the writer's dictionaries ---- */

/* Loads the dictionaries from the store and prepares the statements, once
 * per writer session. */
tt_status store_dicts_load(store *s, tt_error *err);
void store_dicts_free(store *s);

/* The id of string v (fp = tt_fp_str(v)), added if new; 0 for "". */
tt_status store_dict_id(store *s, tt_str v, tt_fp fp, int64_t *id, tt_error *err);

/* The identity and principal of ev (fp = its identity fingerprint). */
tt_status store_identity_id(store *s, const tt_event *ev, tt_fp fp, int64_t *id,
                            int64_t *principal, tt_error *err);

/* The shape of ev (fp = its shape fingerprint), added if new. */
tt_status store_shape_id(store *s, const tt_event *ev, tt_fp fp, const shape_info **info,
                         int64_t *id, tt_error *err);

#endif /* TT_STORE_INT_H */
