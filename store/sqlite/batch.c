/*
 * batch.c - an object's event rows handed to SQLite in one statement.
 *
 * `tt_batch` is an eponymous virtual table over the writer's row buffer, so
 * that `INSERT OR IGNORE INTO event SELECT ... FROM tt_batch` stores a whole
 * object in one step: the per-row bind/step/reset of a prepared INSERT was
 * most of what the single writer thread spent outside the b-tree.
 */
#include "sqlite_int.h"

#include "common/mem.h"

#include <stdlib.h>
#include <string.h>

enum { COL_T, COL_EID, COL_IDENT, COL_SHAPE, COL_IP, COL_UA, COL_MINTED, COL_OBJ, COL_OFF, COL_MH };

typedef struct batch_vtab {
    sqlite3_vtab base;
    sq_store *s;
} batch_vtab;

typedef struct batch_cursor {
    sqlite3_vtab_cursor base;
    size_t i;
} batch_cursor;

static int b_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                     sqlite3_vtab **out, char **errmsg)
{
    int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(t, eid, ident, shape, ip, ua, minted, obj, off, mh)");
    if (rc != SQLITE_OK)
        return rc;
    batch_vtab *v = sqlite3_malloc(sizeof *v);
    if (!v)
        return SQLITE_NOMEM;
    memset(v, 0, sizeof *v);
    v->s = aux;
    *out = &v->base;
    return SQLITE_OK;
}

static int b_disconnect(sqlite3_vtab *vt)
{
    sqlite3_free(vt);
    return SQLITE_OK;
}

static int b_best_index(sqlite3_vtab *vt, sqlite3_index_info *info)
{
    info->estimatedCost = 1000;
    info->estimatedRows = 1000;
    return SQLITE_OK;
}

static int b_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
    batch_cursor *c = sqlite3_malloc(sizeof *c);
    if (!c)
        return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    *out = &c->base;
    return SQLITE_OK;
}

static int b_close(sqlite3_vtab_cursor *cur)
{
    sqlite3_free(cur);
    return SQLITE_OK;
}

static int b_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxstr, int argc,
                    sqlite3_value **argv)
{
    ((batch_cursor *)cur)->i = 0;
    return SQLITE_OK;
}

static int b_next(sqlite3_vtab_cursor *cur)
{
    ((batch_cursor *)cur)->i++;
    return SQLITE_OK;
}

static int b_eof(sqlite3_vtab_cursor *cur)
{
    const batch_vtab *v = (const batch_vtab *)cur->pVtab;
    return ((batch_cursor *)cur)->i >= v->s->nbatch;
}

static int b_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
    const batch_vtab *v = (const batch_vtab *)cur->pVtab;
    const batch_row *r = &v->s->batch[((batch_cursor *)cur)->i];
    int64_t x = 0;
    if (col == COL_MINTED || col == COL_MH) {
        if (!r->minted.n)
            sqlite3_result_null(ctx);
        else if (col == COL_MH)
            sqlite3_result_int64(ctx, r->mh);
        else
            sqlite3_result_text(ctx, r->minted.p, (int)r->minted.n, SQLITE_STATIC);
        return SQLITE_OK;
    }
    switch (col) {
    case COL_T: x = r->t; break;
    case COL_EID: x = r->eid; break;
    case COL_IDENT: x = r->ident; break;
    case COL_SHAPE: x = r->shape; break;
    case COL_IP: x = r->ip; break;
    case COL_UA: x = r->ua; break;
    case COL_OBJ: x = r->obj; break;
    case COL_OFF: x = r->off; break;
    }
    sqlite3_result_int64(ctx, x);
    return SQLITE_OK;
}

static int b_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
    *rowid = (sqlite3_int64)((batch_cursor *)cur)->i;
    return SQLITE_OK;
}

static const sqlite3_module batch_module = {
    .iVersion = 0,
    .xCreate = NULL, /* eponymous only: no CREATE VIRTUAL TABLE needed */
    .xConnect = b_connect,
    .xBestIndex = b_best_index,
    .xDisconnect = b_disconnect,
    .xOpen = b_open,
    .xClose = b_close,
    .xFilter = b_filter,
    .xNext = b_next,
    .xEof = b_eof,
    .xColumn = b_column,
    .xRowid = b_rowid,
};

tt_status sq_batch_register(sq_store *s, tt_error *err)
{
    if (sqlite3_create_module(s->db, "tt_batch", &batch_module, s) != SQLITE_OK)
        return sq_fail(s, "registering the batch table", err);
    return TT_OK;
}

batch_row *sq_batch_reserve(sq_store *s, size_t n)
{
    if (n > s->abatch) {
        s->abatch = n;
        s->batch = tt_xrealloc(s->batch, n * sizeof *s->batch);
    }
    s->nbatch = 0;
    return s->batch;
}
