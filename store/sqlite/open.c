/*
 * open.c - opening and closing the store: the writer's lock file, SQLite's
 * pragmas (WAL, so that readers never block the writer and a killed writer
 * leaves the last commit intact), and the transaction helpers.
 */
#define _GNU_SOURCE
#include "sqlite_int.h"

#include "common/hash.h"
#include "common/mem.h"
#include "common/ttime.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

tt_status sq_fail(sq_store *s, const char *what, tt_error *err)
{
    int code = sqlite3_extended_errcode(s->db);
    const char *msg = sqlite3_errmsg(s->db);
    if ((code & 0xff) == SQLITE_FULL)
        return tt_fail(err, TT_ERR_IO, "%s: %s: the disk is full (%s)", s->path, what, msg);
    if ((code & 0xff) == SQLITE_IOERR)
        return tt_fail(err, TT_ERR_IO, "%s: %s: I/O error (%s)", s->path, what, msg);
    if ((code & 0xff) == SQLITE_BUSY)
        return tt_fail(err, TT_ERR_BUSY, "%s: %s: the store is busy (%s)", s->path, what, msg);
    return tt_fail(err, TT_ERR_STORE, "%s: %s: %s", s->path, what, msg);
}

tt_status sq_prepare(sq_store *s, sqlite3_stmt **st, const char *sql, tt_error *err)
{
    if (*st)
        return TT_OK;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
        return sq_fail(s, "prepare", err);
    return TT_OK;
}

tt_status sq_step_done(sq_store *s, sqlite3_stmt *q, const char *what, tt_error *err)
{
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? TT_OK : sq_fail(s, what, err);
}

tt_status sq_exec(sq_store *s, const char *sql, const char *what, tt_error *err)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return sq_fail(s, what, err);
    return TT_OK;
}

/* Takes PATH.lock with flock(); writes our pid into it for the message the
 * next process will print. */
static tt_status take_lock(sq_store *s, int wait, tt_error *err)
{
    char eb[128];
    size_t n = strlen(s->path) + 6;
    char *lp = tt_xmalloc(n);
    snprintf(lp, n, "%s.lock", s->path);
    tt_status st = TT_OK;
    s->lock_fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (s->lock_fd < 0) {
        st = tt_fail(err, TT_ERR_IO, "%s: cannot create the lock file: %s", lp,
                     tt_errno_text(errno, eb, sizeof eb));
        goto out;
    }
    if (flock(s->lock_fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
        char other[32] = "";
        ssize_t r = pread(s->lock_fd, other, sizeof other - 1, 0);
        other[r > 0 ? r : 0] = '\0';
        other[strcspn(other, "\n")] = '\0';
        st = tt_fail(err, TT_ERR_BUSY,
                     "%s: another trailtrim (pid %s) is writing to this store; try again later, or pass --wait",
                     s->path, other[0] ? other : "?");
        close(s->lock_fd);
        s->lock_fd = -1;
        goto out;
    }
    char pid[32];
    int len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(s->lock_fd, 0) == 0 && pwrite(s->lock_fd, pid, (size_t)len, 0) < 0) {
        /* the pid is only for messages */
    }
out:
    free(lp);
    return st;
}

static tt_status apply_pragmas(sq_store *s, int writing, tt_error *err)
{
    sqlite3_busy_timeout(s->db, 10000);
    const char *common =
        "PRAGMA cache_size=-49152; PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=OFF;";
    tt_status st = sq_exec(s, common, "pragmas", err);
    /* A new store's pages are 16 KiB (an existing one keeps its own): the
     * ingest's b-tree inserts split and rebalance half as often as at
     * 8 KiB, 1.8% faster over twelve alternated runs of 1M high-churn
     * events (bench/README.md); 32 and 64 KiB were no faster. */
    if (st == TT_OK && writing)
        st = sq_exec(s,
                        "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                        "PRAGMA wal_autocheckpoint=8192;",
                        "pragmas", err);
    return st;
}

/* Process-wide SQLite settings, before its first use: every connection is
 * used by one thread at a time, so the library's own mutexes and its
 * allocation statistics (a global mutex per malloc) are not needed. */
static pthread_once_t config_once = PTHREAD_ONCE_INIT;

static void configure_sqlite(void)
{
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* A reader found an older schema: migrate it once as a writer (waiting
 * for the lock, since a writer that holds it migrates it too), then open
 * it again for reading. */
static tt_status migrate_then_read(sq_store *s, sq_store **out, const char *path, int flags,
                                   tt_error *err)
{
    sq_close(s, NULL);
    sq_store *w = NULL;
    tt_status st = sq_open(&w, path, STORE_WRITE | STORE_WAIT, err);
    if (st == TT_OK)
        st = sq_close(w, err);
    if (st != TT_OK)
        return st;
    return sq_open(out, path, flags, err);
}

int sq_int(sq_store *s, const char *sql, int64_t *out)
{
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &q, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW)
        *out = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* The manifest's last row (manifest.c asks about the rows up to it). */
static tt_status last_object(sq_store *s, int64_t *id, tt_error *err)
{
    if (sq_int(s, "SELECT coalesce(max(id), 0) FROM object", id) != 0)
        return sq_fail(s, "reading the manifest", err);
    return TT_OK;
}

tt_status sq_open(sq_store **out, const char *path, int flags, tt_error *err)
{
    *out = NULL;
    pthread_once(&config_once, configure_sqlite);
    int writing = flags & STORE_WRITE;
    sq_store *s = tt_xcalloc(1, sizeof *s);
    pthread_mutex_init(&s->readers_mu, NULL);
    s->base.be = &sq_backend;
    s->path = tt_xstrdup(path);
    s->lock_fd = -1;
    tt_status st = TT_OK;
    if (writing) {
        st = take_lock(s, flags & STORE_WAIT, err);
        if (st != TT_OK)
            goto fail;
    } else {
        struct stat sb;
        if (stat(path, &sb) != 0) {
            st = tt_fail(err, TT_ERR_NOTFOUND, "%s: no store here (run `trailtrim ingest` first, or pass --db)", path);
            goto fail;
        }
    }
    int oflags = writing ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
    if (sqlite3_open_v2(path, &s->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        st = sq_fail(s, "open", err);
        goto fail;
    }
    sqlite3_extended_result_codes(s->db, 1);
    st = apply_pragmas(s, writing, err);
    if (st == TT_OK)
        st = sq_fp_functions(s, err);
    if (st == TT_OK)
        st = sq_ident_events_register(s, err);
    if (st == TT_OK)
        st = sq_schema_apply(s, err);
    if (st != TT_OK)
        goto fail;
    if (s->old_schema)
        return migrate_then_read(s, out, path, flags, err);
    if (writing) {
        sq_set_max_wal(s, STORE_MAX_WAL);
        st = last_object(s, &s->manifest_last, err);
    }
    if (st == TT_OK && writing)
        st = sq_checkpointer_start(s, err);
    if (st != TT_OK)
        goto fail;
    if (writing)
        tt_fp_set_secret(s->fp_secret);
    *out = s;
    return TT_OK;
fail:
    sq_close(s, NULL);
    return st;
}

void sq_set_memory(sq_store *s, size_t bytes)
{
    /* Four fifths for SQLite's pages; the rest for the two big writer
     * caches (strings, identities), each of two generations whose tables
     * are at most twice their keys' count of 32-byte slots (fpmap.h).
     * Most of what the writer's caches miss is new (a row to add), so
     * halving them from two fifths added 4% lookups; the pages they gave
     * took the fourth 1M-event period at high churn from 87,000-131,000
     * page reads to 14,000 (bench/README.md). */
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cache_size=-%zu", bytes / 5 * 4 / 1024);
    sqlite3_exec(s->db, sql, NULL, NULL, NULL);
    size_t slots = 1024, per_table = bytes / 5 * 1 / 4;
    while (slots * 2 * sizeof(store_fpmap_slot) <= per_table)
        slots *= 2;
    s->cache_entries = slots / 2 - 1;
}

/* A WAL frame is a page behind a 24-byte header (SQLite's file format). */
static int64_t frame_bytes(sq_store *s)
{
    int64_t page = 4096;
    sq_int(s, "PRAGMA page_size", &page);
    return page + 24;
}

/* What a transaction writes to the WAL is reckoned, before the first
 * commit, at a frame per 64 events (measured: one per 110 at high churn,
 * with 16 KiB pages); then at the last transaction's rate. */
#define FIRST_FRAMES_PER_EVENT (1.0 / 64)

void sq_set_max_wal(sq_store *s, size_t bytes)
{
    s->wal_half = (int64_t)(bytes / 2) / frame_bytes(s);
    if (s->wal_half < 1)
        s->wal_half = 1;
    if (s->frames_per_event <= 0)
        s->frames_per_event = FIRST_FRAMES_PER_EVENT;
}

/* Pages SQLite wrote to the WAL since the transaction began: those spilled
 * from its cache, and at the commit all the others. */
static int64_t txn_frames(sq_store *s)
{
    int cur = 0, hi = 0;
    sqlite3_db_status(s->db, SQLITE_DBSTATUS_CACHE_WRITE, &cur, &hi, 0);
    return cur - s->txn_writes;
}

/* A transaction writes at most a quarter of the bound, so that the WAL,
 * started over past half of it, stays under it though the reckoning errs.
 * Most of its pages stay in the cache until the commit: what it will write
 * is reckoned from its events, beside what it spilled. */
int sq_txn_wal_full(sq_store *s)
{
    double share = (double)s->wal_half / 2;
    return (double)s->txn_events * s->frames_per_event >= share || (double)txn_frames(s) >= share;
}

void sq_get_write_stats(sq_store *s, store_write_stats *out)
{
    int cur = 0, hi = 0;
    sqlite3_db_status(s->db, SQLITE_DBSTATUS_CACHE_MISS, &cur, &hi, 0);
    out->lookups = s->counts.lookups;
    out->inserted = s->counts.inserted;
    out->page_reads = cur;
    int64_t peak = 0;
    sq_checkpointer_stats(s, &peak, &out->wal_restarts);
    out->wal_peak_bytes = peak ? 32 + peak * frame_bytes(s) : 0; /* a 32-byte file header */
}

tt_status sq_begin(sq_store *s, tt_error *err)
{
    if (s->in_txn)
        return TT_OK;
    /* Past half its bound, the WAL starts over with this transaction. */
    sq_checkpointer_settle(s, s->wal_half);
    tt_status st = sq_exec(s, "BEGIN IMMEDIATE", "begin", err);
    if (st == TT_OK) {
        int hi = 0, writes = 0;
        sqlite3_db_status(s->db, SQLITE_DBSTATUS_CACHE_WRITE, &writes, &hi, 0);
        s->txn_writes = writes;
        s->in_txn = 1;
        s->txn_events = s->txn_objects = 0;
        s->txn_start_ms = tt_now_ms();
    }
    return st;
}

tt_status sq_commit(sq_store *s, tt_error *err)
{
    if (!s->in_txn)
        return TT_OK;
    tt_status st = sq_flush_aggregates(s, err);
    if (st == TT_OK)
        st = sq_exec(s, "COMMIT", "commit", err);
    if (st == TT_OK && s->txn_events > 0)
        s->frames_per_event = (double)txn_frames(s) / (double)s->txn_events;
    if (st != TT_OK) {
        /* The transaction is gone; so is the writer's view of the ids. */
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        sq_writer_free(s);
    }
    s->in_txn = 0;
    return st;
}

tt_status sq_close(sq_store *s, tt_error *err)
{
    if (!s)
        return TT_OK;
    tt_status st = TT_OK;
    if (s->db && s->in_txn)
        st = sq_commit(s, err);
    sq_writer_free(s);
    sq_readers_close(s); /* first, so that the writer's is the last connection:
                            it checkpoints the WAL whole and removes it */
    if (s->db) {
        /* The statistics first, while the checkpointer still copies what
         * the last commits wrote (a passive checkpoint never blocks a
         * writer): the two overlap instead of following each other. */
        if (s->lock_fd >= 0 && st == TT_OK)
            sqlite3_exec(s->db, "PRAGMA optimize;", NULL, NULL, NULL);
        sq_checkpointer_stop(s);
        sqlite3_close(s->db);
    }
    if (s->lock_fd >= 0)
        close(s->lock_fd);
    pthread_mutex_destroy(&s->readers_mu);
    free(s->path);
    free(s);
    return st;
}
