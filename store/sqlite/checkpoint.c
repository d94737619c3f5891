/*
 * checkpoint.c - a writing store's WAL checkpoints, in a thread of their
 * own.
 *
 * SQLite's automatic checkpoint runs inside the COMMIT that crosses its
 * threshold, on the writer's thread: it copies the WAL's pages into the
 * database file and syncs both. In a 1M-event ingest that was about 1 s of
 * the writer's 4 (two checkpoints of 0.5 s, plus the one at close), and the
 * writer is the ingest's bound. Here the writer only notes, after each
 * commit, how long the WAL has grown (sqlite3_wal_hook); past
 * SQ_CHECKPOINT_PAGES it wakes a thread that checkpoints through a
 * connection of its own, in PASSIVE mode: it copies what is committed and
 * never waits for, nor blocks, the writer. A checkpoint never changes what
 * the store holds, only where its pages are, so crash safety and
 * exactly-once are SQLite's as before.
 *
 * The WAL starts over from its beginning only when a transaction begins
 * while every frame in it has been copied (SQLite's walRestartLog). SQLite's
 * own checkpoint, inside the commit, leaves it so; this one, running beside
 * a writer that begins its next transaction at once, never did, and the
 * WAL grew with the run: 145 MB for 1M high-churn events, 336 MB beside a
 * 251 MB store for 2M. So past half the store's bound (store_set_max_wal)
 * the writer, before it begins, waits for the checkpoint of its last
 * commit (sq_checkpointer_settle): 60-110 ms each time, the last
 * transaction's pages copied and synced, once per about 1.8M high-churn
 * events at the default bound.
 */
#include "sqlite_int.h"

#include "common/mem.h"

#include <pthread.h>
#include <stdlib.h>

/* WAL pages (16 KiB in a new store) after which the checkpointer is woken:
 * small enough that the last checkpoint, the one at close on the writer's
 * thread, is short; large enough that pages rewritten by many commits are
 * copied once, not at every commit. */
#define SQ_CHECKPOINT_PAGES 2048

struct sq_checkpointer {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;      /* the writer's call for a checkpoint */
    pthread_cond_t done_cv; /* a checkpoint finished */
    /* Under mu: */
    int wanted, stopping;
    int64_t commits;        /* the writer's commits so far */
    int64_t tried;          /* the commits the last finished checkpoint began after */
    int64_t frames;         /* the WAL's frames after the last commit */
    int64_t peak, restarts; /* the most frames, and the WAL's new starts */
    sqlite3 *db;            /* the checkpointer's own connection */
};

static void *checkpointer_main(void *arg)
{
    sq_checkpointer *c = arg;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (!c->wanted && !c->stopping)
            pthread_cond_wait(&c->cv, &c->mu);
        if (c->stopping)
            break;
        c->wanted = 0;
        int64_t upto = c->commits;
        pthread_mutex_unlock(&c->mu);
        /* SQLITE_BUSY (another checkpoint or a reader's recovery holds it)
         * leaves the work to the next wake-up or to the close. */
        sqlite3_wal_checkpoint_v2(c->db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_lock(&c->mu);
        c->tried = upto;
        pthread_cond_broadcast(&c->done_cv);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

/* After every commit of the writer's connection (its thread). */
static int on_wal_commit(void *arg, sqlite3 *db, const char *name, int pages)
{
    sq_checkpointer *c = arg;
    pthread_mutex_lock(&c->mu);
    c->commits++;
    if (pages < c->frames)
        c->restarts++;
    c->frames = pages;
    if (pages > c->peak)
        c->peak = pages;
    if (pages >= SQ_CHECKPOINT_PAGES) {
        c->wanted = 1;
        pthread_cond_signal(&c->cv);
    }
    pthread_mutex_unlock(&c->mu);
    return SQLITE_OK;
}

tt_status sq_checkpointer_start(sq_store *s, tt_error *err)
{
    sq_checkpointer *c = tt_xcalloc(1, sizeof *c);
    if (sqlite3_open_v2(s->path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(c->db, "PRAGMA cache_size=16", NULL, NULL, NULL) != SQLITE_OK) {
        tt_status st = tt_fail(err, TT_ERR_IO, "%s: opening the checkpointer's connection: %s",
                               s->path, c->db ? sqlite3_errmsg(c->db) : "out of memory");
        sqlite3_close(c->db);
        free(c);
        return st;
    }
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    pthread_cond_init(&c->done_cv, NULL);
    if (pthread_create(&c->thread, NULL, checkpointer_main, c) != 0) {
        /* Without the thread, SQLite's own checkpoints stay in charge. */
        pthread_cond_destroy(&c->done_cv);
        pthread_cond_destroy(&c->cv);
        pthread_mutex_destroy(&c->mu);
        sqlite3_close(c->db);
        free(c);
        return TT_OK;
    }
    s->ckpt = c;
    /* Replaces the automatic checkpoint (wal_autocheckpoint's own hook). */
    sqlite3_wal_hook(s->db, on_wal_commit, c);
    return TT_OK;
}

void sq_checkpointer_stop(sq_store *s)
{
    sq_checkpointer *c = s->ckpt;
    if (!c)
        return;
    sqlite3_wal_hook(s->db, NULL, NULL);
    pthread_mutex_lock(&c->mu);
    c->stopping = 1;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->thread, NULL);
    sqlite3_close(c->db);
    pthread_cond_destroy(&c->done_cv);
    pthread_cond_destroy(&c->cv);
    pthread_mutex_destroy(&c->mu);
    free(c);
    s->ckpt = NULL;
}

void sq_checkpointer_settle(sq_store *s, int64_t frames)
{
    sq_checkpointer *c = s->ckpt;
    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    if (c->frames >= frames && c->tried < c->commits) {
        c->wanted = 1; /* a last commit under SQ_CHECKPOINT_PAGES called for none */
        pthread_cond_signal(&c->cv);
        while (c->tried < c->commits && !c->stopping)
            pthread_cond_wait(&c->done_cv, &c->mu);
    }
    pthread_mutex_unlock(&c->mu);
}

void sq_checkpointer_stats(sq_store *s, int64_t *peak_frames, int64_t *restarts)
{
    sq_checkpointer *c = s->ckpt;
    *peak_frames = *restarts = 0;
    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    *peak_frames = c->peak;
    *restarts = c->restarts;
    pthread_mutex_unlock(&c->mu);
}
