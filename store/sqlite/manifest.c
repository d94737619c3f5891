/*
 * manifest.c - one manifest row at a time, for a run that writes
 * (store_find_object, store_has_content): the workers ask for each object
 * they are handed, concurrently, beside the writer.
 *
 * Each asking thread borrows a read-only connection from a small pool,
 * opened the first time one is short, with its two statements prepared;
 * with a few workers the pool holds a few connections, which the store
 * closes with it. A reader in WAL mode sees what is committed, never
 * blocks the writer and is never blocked by it. It is asked about the rows
 * that were there when the store was opened (id <= manifest_last), not
 * those the run stores as it goes: that two copies of one object in a run
 * are both read, whichever commit lands first, as when the manifest was
 * read whole before the run. Its page cache is small: the lookups follow
 * the walk, so that consecutive ones read neighbouring rows of the (path,
 * member) index, and the rest is the system's cache.
 */
#include "sqlite_int.h"

#include "common/mem.h"

#include <stdlib.h>
#include <string.h>

struct sq_reader {
    sqlite3 *db;
    sqlite3_stmt *find, *content;
    struct sq_reader *next;
};

static const char FIND_SQL[] =
    "SELECT size, mtime_ns, sha256, status IN ('rejected', 'partial') FROM object"
    " WHERE path = ?1 AND member = ?2 AND length(sha256) = 32 AND id <= ?3";
static const char CONTENT_SQL[] =
    "SELECT 1 FROM object WHERE sha256 = ?1 AND status NOT IN ('rejected', 'partial')"
    " AND id <= ?2 LIMIT 1";

static void reader_free(sq_reader *r)
{
    sqlite3_finalize(r->find);
    sqlite3_finalize(r->content);
    sqlite3_close(r->db);
    free(r);
}

static tt_status reader_open(sq_store *s, sq_reader **out, tt_error *err)
{
    sq_reader *r = tt_xcalloc(1, sizeof *r);
    int rc = sqlite3_open_v2(s->path, &r->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(r->db, 10000);
        rc = sqlite3_exec(r->db, "PRAGMA cache_size=-2048", NULL, NULL, NULL);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v3(r->db, FIND_SQL, -1, SQLITE_PREPARE_PERSISTENT, &r->find, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v3(r->db, CONTENT_SQL, -1, SQLITE_PREPARE_PERSISTENT, &r->content,
                                NULL);
    if (rc != SQLITE_OK) {
        tt_status st = tt_fail(err, TT_ERR_IO, "%s: reading the manifest: %s", s->path,
                               r->db ? sqlite3_errmsg(r->db) : "out of memory");
        reader_free(r);
        return st;
    }
    *out = r;
    return TT_OK;
}

static tt_status borrow(sq_store *s, sq_reader **out, tt_error *err)
{
    pthread_mutex_lock(&s->readers_mu);
    sq_reader *r = s->readers;
    if (r)
        s->readers = r->next;
    pthread_mutex_unlock(&s->readers_mu);
    if (r) {
        *out = r;
        return TT_OK;
    }
    return reader_open(s, out, err);
}

static void give_back(sq_store *s, sq_reader *r)
{
    pthread_mutex_lock(&s->readers_mu);
    r->next = s->readers;
    s->readers = r;
    pthread_mutex_unlock(&s->readers_mu);
}

/* Steps q once; 1 with a row, 0 without, or a failure naming the manifest. */
static int step(sq_store *s, sq_reader *r, sqlite3_stmt *q, tt_error *err)
{
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return rc == SQLITE_ROW;
    tt_fail(err, TT_ERR_IO, "%s: reading the manifest: %s", s->path, sqlite3_errmsg(r->db));
    return -1;
}

tt_status sq_find_object(sq_store *s, const char *path, const char *member,
                         store_object_info *out, int *found, tt_error *err)
{
    sq_reader *r;
    tt_status st = borrow(s, &r, err);
    *found = 0;
    if (st != TT_OK)
        return st;
    sqlite3_bind_text(r->find, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_text(r->find, 2, member ? member : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(r->find, 3, s->manifest_last);
    int row = step(s, r, r->find, err);
    if (row == 1) {
        out->size = sqlite3_column_int64(r->find, 0);
        out->mtime_ns = sqlite3_column_int64(r->find, 1);
        memcpy(out->sha256, sqlite3_column_blob(r->find, 2), 32);
        out->rejected = sqlite3_column_int(r->find, 3);
        *found = 1;
    }
    sqlite3_reset(r->find);
    sqlite3_clear_bindings(r->find);
    give_back(s, r);
    return row < 0 ? TT_ERR_IO : TT_OK;
}

tt_status sq_has_content(sq_store *s, const uint8_t sha256[32], int *found, tt_error *err)
{
    sq_reader *r;
    tt_status st = borrow(s, &r, err);
    *found = 0;
    if (st != TT_OK)
        return st;
    sqlite3_bind_blob(r->content, 1, sha256, 32, SQLITE_STATIC);
    sqlite3_bind_int64(r->content, 2, s->manifest_last);
    int row = step(s, r, r->content, err);
    *found = row == 1;
    sqlite3_reset(r->content);
    sqlite3_clear_bindings(r->content);
    give_back(s, r);
    return row < 0 ? TT_ERR_IO : TT_OK;
}

void sq_readers_close(sq_store *s)
{
    for (sq_reader *r = s->readers, *next; r; r = next) {
        next = r->next;
        reader_free(r);
    }
    s->readers = NULL;
}
