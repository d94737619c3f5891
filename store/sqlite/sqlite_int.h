/*
 * sqlite_int.h - the SQLite backend's handle and what its files share.
 * Private to store/sqlite/: no SQLite type leaves this folder. The
 * backend's entry points (sq_*) are the store interface's operations
 * (../backend.h), registered in backend.c.
 */
#ifndef TT_SQLITE_INT_H
#define TT_SQLITE_INT_H

#include "backend.h"
#include "fpmap.h"

#include <pthread.h>
#include <sqlite3.h>

/* 2: object.verify and object.verified_ms (ingest --verify).
 * 3: stored fingerprints under the store's secret, identity strings in the
 * identity row, the minted key in the event row, service events in the
 * rollup, forensics indexes.
 * 4: the access-key indexes keyed by sq_key_hash (identity.kh, event.mh).
 * 5: event_minted by day, then mh.
 * 6: canonical IPv4 sources kept in event.ip itself (see "ip column").
 * 7: an assumed role's ARN and principalId kept as the part before the
 * session name (identity.arn_head, pid_head; see "identity heads").
 * 8: event_ident a table of a row per identity per object, its events
 * packed (ident_groups.c), instead of an index entry per event.
 * schema.c migrates older stores in place. */
#define STORE_SCHEMA_VERSION 8

/* Commit a transaction after this many events or objects, or this long. */
#define STORE_TXN_EVENTS 250000
#define STORE_TXN_OBJECTS 2000
#define STORE_TXN_MS 3000

/* Keys per generation of each writer cache (fpmap.h) unless
 * sq_set_memory() says otherwise: 4 MiB per generation. */
#define STORE_CACHE_ENTRIES 65535

/* One rollup accumulator: (principal, day, source, name, error class, made
 * by an AWS service on the principal's behalf, the request's skeleton);
 * svc counts the calls of eventType AwsServiceEvent among them. */
typedef struct rollup_acc {
    int64_t principal, src, name, req;
    int32_t day, errclass, via;
    int64_t calls, svc, first_ms, last_ms;
} rollup_acc;

typedef struct cover_acc {
    int64_t account, region;
    int32_t day;
    int64_t events;
} cover_acc;

/* Accumulators of one kind, found by key: items[0..n) of `size` bytes
 * each, idx maps a key's fingerprint to its index. */
typedef struct acc_table {
    store_fpmap idx;
    unsigned char *items;
    size_t n, cap, size;
} acc_table;

/* What the writer needs of a shape for the aggregates. */
typedef struct shape_info {
    int64_t src, name, region, recipient;
    int errclass; /* 0 ok, 1 denied, 2 other error */
    int svc;      /* eventType AwsServiceEvent */
} shape_info;

/* One event row on its way into the event table (see batch.c). */
typedef struct batch_row {
    int64_t t, eid, ident, shape, ip, ua, obj, off; /* the columns */
    int64_t req;       /* the request's skeleton (dict), for the rollup */
    tt_str minted;     /* the minted key, or empty (stored as NULL) */
    int64_t mh;        /* sq_key_hash of minted (when there is one) */
    int64_t principal; /* for the rollup */
    shape_info sh;     /* for the rollup and coverage */
    int via;           /* made by a service on the principal's behalf */
    int added;         /* stored by this statement (not a duplicate) */
} batch_row;

/* One row of event_ident (ident_groups.c): an identity's events in one
 * object, the first by (t, eid) and the others packed in group_bytes. */
typedef struct ident_group {
    int64_t ident, t, eid;
    size_t off, len; /* the packed others in sq_store.group_bytes */
} ident_group;

/* Counters of the writer's work, for tests and -v (store_get_write_stats). */
typedef struct store_write_counts {
    int64_t lookups;  /* strings, identities and shapes looked up in SQLite */
    int64_t inserted; /* of which new */
} store_write_counts;

typedef struct sq_store sq_store;
typedef struct sq_checkpointer sq_checkpointer; /* checkpoint.c */
typedef struct sq_reader sq_reader;             /* manifest.c */

struct sq_store {
    struct store base;   /* first: a sq_store * is a store * */
    sqlite3 *db;
    char *path;
    int lock_fd;         /* -1 when opened for reading */
    int old_schema;      /* a reader found this older schema version */
    uint64_t fp_secret;  /* meta('fp_secret'), see fpsql.c */
    int in_txn;
    int64_t txn_events, txn_objects, txn_start_ms;
    size_t cache_entries; /* each writer cache's generation limit */
    sq_checkpointer *ckpt; /* a writer's WAL checkpoints (checkpoint.c), or NULL */
    int64_t wal_half;      /* half the WAL's bound (sq_set_max_wal), in frames:
                              past it the WAL starts over; a transaction
                              writes at most half of that */
    int64_t txn_writes;    /* SQLite's pages written when the transaction began */
    double frames_per_event; /* what the last transaction wrote to the WAL */
    pthread_mutex_t readers_mu; /* guards readers */
    sq_reader *readers;    /* manifest.c's idle read-only connections */
    int64_t manifest_last; /* the last object row when a writer opened */

    /* The writer's caches over the tables (writer_dict.c): bounded, filled
     * as the ingest goes, never loaded whole. */
    int writer_ready;
    store_fpcache dict;        /* string -> dict id */
    store_fpcache principals;  /* principal ARN -> (principal id, type dict id) */
    store_fpcache identities;  /* identity tuple -> (identity id, principal id) */
    store_fpmap shapes;        /* shape tuple -> index in shape */
    shape_info *shape;   /* the cached shapes' ids in v1 of shapes' slots */
    size_t nshape, ashape;
    int64_t next_dict_id, next_principal_id, next_identity_id, next_shape_id;
    store_write_counts counts;

    /* Per-transaction aggregates, flushed before commit. */
    acc_table rollup;    /* of rollup_acc, until the commit */
    acc_table cover;     /* of cover_acc */

    batch_row *batch;    /* the object being added, for tt_batch */
    size_t nbatch, abatch;
    int batch_registered;
    ident_group *groups; /* its stored rows by identity, for tt_groups */
    size_t ngroups, agroup_rows;
    int32_t *group_link; /* scratch: 3 * agroup_rows links */
    uint8_t *group_bytes;
    size_t agroup_bytes;
    sqlite3_stmt *ins_groups;
    sqlite3_stmt *find_event; /* (t, eid) -> obj, for objects partly stored */
    sqlite3_stmt *ins_event, *ins_dict, *ins_principal, *ins_identity, *ins_shape;
    sqlite3_stmt *find_dict, *find_principal, *find_identity, *find_shape;
    sqlite3_stmt *upsert_object, *finish_object, *upsert_rollup, *upsert_cover;
};

/* ---- the backend's operations (contracts: store.h, store_gen.h,
 * store_forensics.h), in open.c, writer.c, verdict.c and query*.c ---- */
tt_status sq_open(sq_store **out, const char *path, int flags, tt_error *err);
tt_status sq_close(sq_store *s, tt_error *err);
void sq_set_memory(sq_store *s, size_t bytes);
/* manifest.c: store_find_object and store_has_content; sq_close closes
 * the connections they opened (sq_readers_close). */
tt_status sq_find_object(sq_store *s, const char *path, const char *member,
                         store_object_info *out, int *found, tt_error *err);
tt_status sq_has_content(sq_store *s, const uint8_t sha256[32], int *found, tt_error *err);
void sq_readers_close(sq_store *s);
void sq_set_max_wal(sq_store *s, size_t bytes);
int sq_txn_wal_full(sq_store *s); /* the open transaction has its share of the WAL */
void sq_get_write_stats(sq_store *s, store_write_stats *out);
tt_status sq_commit(sq_store *s, tt_error *err);

/* ---- identity heads -----------------------------------------------------
 * An assumed role's ARN and principalId end with the session's name:
 * "arn:aws:sts::123456789012:assumed-role/app/" and "AROA...:" followed by
 * "i-0abc...". At real churn (a new session every few calls) they were
 * 60% of every identity row, and the part before the name is the same for
 * every session of the role. Such a value is kept as that part, a dict
 * string (arn_head, pid_head; the text column NULL), and read back as the
 * part followed by session_name; any other is kept whole (head 0).
 * SQ_ARN_SQL(i, head) is the ARN in SQL, head being the dict row joined on
 * i.arn_head, for the views and readers. */
#define SQ_ARN_SQL(i, head)                                                                        \
    "CASE WHEN " i ".arn_head != 0 THEN " head ".v || " i ".session_name ELSE " i ".arn END"

/* ---- ip column (ipv4.c) ------------------------------------------------
 * event.ip holds a canonical dotted-quad IPv4 address itself, as
 * -(address + 1), and any other source (IPv6, a service's name such as
 * "ec2.amazonaws.com", "AWS Internal", an address spelt with leading
 * zeros) as a dict id (>= 0). Trails bring a new address every few events
 * (instances, NAT gateways, home offices): as dict strings each cost the
 * writer a lookup that missed, a row and an index entry, about a tenth of
 * its time at high churn, and the dict grew with every address for ever.
 * Canonical means four numbers 0-255 without leading zeros, joined by
 * dots: the text formatted back is byte for byte the text that was read.
 * SQ_IPV4_SQL(c) is that text in SQL, for the views. */
#define SQ_IPV4_TEXT 16
int sq_ipv4_encode(const char *p, size_t n, int64_t *col); /* 1 and *col, or 0 */
void sq_ipv4_format(int64_t col, char buf[SQ_IPV4_TEXT]);  /* col < 0 */
#define SQ_IPV4_SQL(c)                                                                             \
    "printf('%d.%d.%d.%d', (-(" c ") - 1) >> 24 & 255, (-(" c ") - 1) >> 16 & 255,"               \
    " (-(" c ") - 1) >> 8 & 255, (-(" c ") - 1) & 255)"

/* checkpoint.c: a writer's WAL checkpoints move to a thread of their own
 * (start after the schema is in place; stop before closing s->db).
 * settle: when the WAL held at least `frames` after the last commit, waits
 * until a checkpoint begun after it has finished, so that the transaction
 * begun next starts the WAL over (when the checkpoint could copy every
 * frame: no reader held an older snapshot). stats: the most frames the WAL
 * held after a commit, and how many times it started over. */
tt_status sq_checkpointer_start(sq_store *s, tt_error *err);
void sq_checkpointer_stop(sq_store *s);
void sq_checkpointer_settle(sq_store *s, int64_t frames);
void sq_checkpointer_stats(sq_store *s, int64_t *peak_frames, int64_t *restarts);
tt_status sq_each_object(sq_store *s, store_object_fn fn, void *ctx, tt_error *err);
tt_status sq_add_object(sq_store *s, const store_object *o, const tt_event *evs,
                        const tt_event_fp *fps, size_t n,
                        store_add_counts *counts, tt_error *err);
tt_status sq_note_change(sq_store *s, const char *path, const char *member, int64_t size,
                         const uint8_t new_sha256[32], tt_error *err);
tt_status sq_touch_object(sq_store *s, const char *path, const char *member, int64_t mtime_ns,
                          tt_error *err);
tt_status sq_set_verdicts(sq_store *s, const store_verdict *v, size_t n, int64_t verified_ms,
                          size_t *updated, tt_error *err);
tt_status sq_get_summary(sq_store *s, store_summary *out, tt_error *err);
tt_status sq_list_problems(sq_store *s, store_row_fn fn, void *ctx, tt_error *err);
tt_status sq_list_verdicts(sq_store *s, store_row_fn fn, void *ctx, tt_error *err);
tt_status sq_list_coverage(sq_store *s, store_row_fn fn, void *ctx, tt_error *err);
tt_status sq_list_principals(sq_store *s, int32_t from_day, int32_t to_day, store_row_fn fn,
                             void *ctx, tt_error *err);
tt_status sq_find_principal(sq_store *s, const char *name, int64_t *id, char *arn,
                            size_t arn_len, tt_error *err);
tt_status sq_list_usage(sq_store *s, int64_t principal, int32_t from_day, int32_t to_day,
                        store_row_fn fn, void *ctx, tt_error *err);
int sq_compare(sq_store *a, sq_store *b, tt_error *err);
tt_status sq_gen_each_usage(sq_store *s, int64_t principal, int32_t from_day, int32_t to_day,
                            store_gen_usage_fn fn, void *ctx, tt_error *err);
tt_status sq_gen_each_request(sq_store *s, int64_t principal, const char *source,
                              const char *event, int32_t from_day, int32_t to_day,
                              store_gen_request_fn fn, void *ctx, tt_error *err);
tt_status sq_each_event(sq_store *s, const store_filter *f, store_fevent_fn fn, void *ctx,
                        tt_error *err);
tt_status sq_explain_events(sq_store *s, const store_filter *f,
                            void (*line)(void *ctx, const char *text), void *ctx,
                            tt_error *err);
tt_status sq_key_known(sq_store *s, const char *key, int *known, tt_error *err);
tt_status sq_trust_each_assume(sq_store *s, int64_t since_ms, int64_t until_ms,
                               store_trust_assume_fn fn, void *ctx, tt_error *err);
tt_status sq_keys_rows(sq_store *s, store_keys_kind kind, int64_t since_ms, int64_t until_ms,
                       store_row_fn fn, void *ctx, tt_error *err);

/* The backend's table (backend.c), which sq_open puts in every handle. */
extern const store_backend sq_backend;

/* ---- helpers ---- */

/* Runs SQL with no results; on error fills err naming `what`. */
tt_status sq_exec(sq_store *s, const char *sql, const char *what, tt_error *err);

/* Prepares a statement kept for the writer's session, unless *st is set. */
tt_status sq_prepare(sq_store *s, sqlite3_stmt **st, const char *sql, tt_error *err);

/* Steps a statement that returns no rows and resets it. */
tt_status sq_step_done(sq_store *s, sqlite3_stmt *q, const char *what, tt_error *err);

/* Turns the connection's last error into ours. */
tt_status sq_fail(sq_store *s, const char *what, tt_error *err);
/* The first column of the first row of sql into *out: 0, or -1 (nothing
 * written; sqlite3_errmsg says why) when it failed or gave no row. */
int sq_int(sq_store *s, const char *sql, int64_t *out);

/* The one loop of the listings (query.c): runs sql with the integer
 * parameters params[0..nparams) and hands each row to fn as a store_row
 * (at most 16 columns). A column whose name ends in "_ms" is turned into
 * ISO text (and renamed without the suffix); integer columns stay numbers;
 * NULL is a NULL text. what names the query in a failure. */
tt_status sq_each_row(sq_store *s, const char *sql, const int64_t *params, int nparams, const char *what,
                      store_row_fn fn, void *ctx, tt_error *err);

/* Creates or checks the schema. */
tt_status sq_schema_apply(sq_store *s, tt_error *err);

/* Begins a transaction if none is open. */
tt_status sq_begin(sq_store *s, tt_error *err);

/* Flushes the rollup and coverage aggregates (inside the transaction). */
tt_status sq_flush_aggregates(sq_store *s, tt_error *err);

/* A writer's buffer read as a table (batch.c): decl is the table's
 * `CREATE TABLE x(...)`, count the rows the buffer holds now, column puts
 * one value of a row in ctx (SQLITE_STATIC: the buffer outlives the
 * statement's step). */
typedef struct sq_rows_source {
    const char *decl;
    size_t (*count)(const sq_store *s);
    void (*column)(const sq_store *s, size_t row, sqlite3_context *ctx, int col);
} sq_rows_source;

/* Registers src as the eponymous table `name` on s's connection. */
tt_status sq_rows_register(sq_store *s, const char *name, const sq_rows_source *src,
                           tt_error *err);

/* Registers the tt_batch table (s->batch) on s's connection. */
tt_status sq_batch_register(sq_store *s, tt_error *err);

/* Makes room for n rows in s->batch and empties it. */
batch_row *sq_batch_reserve(sq_store *s, size_t n);

/* ---- ident_groups.c: event_ident ---- */

/* Registers tt_groups (the writer's groups as a table) on s's connection. */
tt_status sq_groups_register(sq_store *s, tt_error *err);
/* Stores the event_ident rows of the rows of s->batch just stored
 * (batch_row.added), grouped by the workers' links (fps may be NULL:
 * a row per event), through s->ins_groups. */
tt_status sq_groups_add(sq_store *s, const tt_event_fp *fps, tt_error *err);
void sq_groups_free(sq_store *s);
/* Reads one packed event of a group's `more` at *p (of end - *p bytes):
 * its time less the group's first, and its eid. Returns 0 and advances
 * *p, or -1 when the bytes end inside it. */
int sq_group_take(const uint8_t **p, const uint8_t *end, uint64_t *dt, int64_t *eid);

/* ---- ident_events.c ---- */

/* Registers the table-valued function tt_ident_events(ident, since,
 * until): one identity's events in the window, (t, eid) in that order
 * (an ORDER BY t, eid needs no sort); every connection that reads events
 * by identity needs it. */
tt_status sq_ident_events_register(sq_store *s, tt_error *err);

/* Frees the writer's statements and maps. */
void sq_writer_free(sq_store *s);

/* ---- writer_dict.c: the writer's dictionaries ---- */

/* Prepares the lookups and inserts and finds the next ids, once per
 * writer session; reads nothing else. */
tt_status sq_dicts_open(sq_store *s, tt_error *err);
void sq_dicts_free(sq_store *s);

/* The id of string v (fp = tt_fp_str(v)), added if new; 0 for "". */
tt_status sq_dict_id(sq_store *s, tt_str v, tt_fp fp, int64_t *id, tt_error *err);

/* The identity and principal of ev (fp = its identity fingerprint). */
tt_status sq_identity_id(sq_store *s, const tt_event *ev, tt_fp fp, int64_t *id,
                            int64_t *principal, tt_error *err);

/* The shape of ev (fp = its shape fingerprint), added if new; *info is
 * valid until the next call. */
tt_status sq_shape_id(sq_store *s, const tt_event *ev, tt_fp fp, const shape_info **info,
                         int64_t *id, tt_error *err);

/* ---- fpsql.c: the store's secret and its SQL functions ---- */

/* Reads meta('fp_secret') into s->fp_secret; with create, draws and
 * records one when there is none (inside the caller's transaction). */
tt_status sq_secret_load(sq_store *s, int create, tt_error *err);

/* The key of the two access-key indexes (identity_key, event_minted): 31
 * bits of a fingerprint, so that an index entry is an integer of four
 * bytes beside the row's key instead of the 20-character key itself (half
 * to a third of the pages, and those pages are read at random). The key
 * is confirmed against the row. An identity with no access key is filed
 * under its tuple's fingerprint (a). tt_kh(text) is the same in SQL. */
static inline int64_t sq_key_hash(tt_fp fp)
{
    return (int64_t)(fp.a >> 33);
}

/* Registers tt_h, tt_h2, tt_kh, tt_identity_fp, tt_shape_fp and tt_errclass
 * on s's connection. */
tt_status sq_fp_functions(sq_store *s, tt_error *err);


#endif /* TT_SQLITE_INT_H */
