/*
 * batch.c - a writer's buffer of rows handed to SQLite in one statement.
 *
 * A buffer is an eponymous virtual table (sq_rows_register): `tt_batch`,
 * an object's event rows, so that `INSERT OR IGNORE INTO event SELECT ...
 * FROM tt_batch` stores a whole object in one step (the per-row
 * bind/step/reset of a prepared INSERT was most of what the single writer
 * thread spent outside the b-tree), and `tt_groups`, the same rows by
 * identity (ident_groups.c). The table reads the buffer in place.
 */
#include "sqlite_int.h"

#include "common/mem.h"

#include <stdlib.h>
#include <string.h>

/* ---- any buffer as a table ------------------------------------------------ */

typedef struct rows_aux {
    sq_store *s;
    sq_rows_source src;
} rows_aux;

typedef struct rows_vtab {
    sqlite3_vtab base;
    const rows_aux *aux;
} rows_vtab;

typedef struct rows_cursor {
    sqlite3_vtab_cursor base;
    size_t i;
} rows_cursor;

static int r_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                     sqlite3_vtab **out, char **errmsg)
{
    const rows_aux *a = aux;
    int rc = sqlite3_declare_vtab(db, a->src.decl);
    if (rc != SQLITE_OK)
        return rc;
    rows_vtab *v = sqlite3_malloc(sizeof *v);
    if (!v)
        return SQLITE_NOMEM;
    memset(v, 0, sizeof *v);
    v->aux = a;
    *out = &v->base;
    return SQLITE_OK;
}

static int r_disconnect(sqlite3_vtab *vt)
{
    sqlite3_free(vt);
    return SQLITE_OK;
}

static int r_best_index(sqlite3_vtab *vt, sqlite3_index_info *info)
{
    info->estimatedCost = 1000;
    info->estimatedRows = 1000;
    return SQLITE_OK;
}

static int r_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
    rows_cursor *c = sqlite3_malloc(sizeof *c);
    if (!c)
        return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    *out = &c->base;
    return SQLITE_OK;
}

static int r_close(sqlite3_vtab_cursor *cur)
{
    sqlite3_free(cur);
    return SQLITE_OK;
}

static int r_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxstr, int argc,
                    sqlite3_value **argv)
{
    ((rows_cursor *)cur)->i = 0;
    return SQLITE_OK;
}

static int r_next(sqlite3_vtab_cursor *cur)
{
    ((rows_cursor *)cur)->i++;
    return SQLITE_OK;
}

static int r_eof(sqlite3_vtab_cursor *cur)
{
    const rows_aux *a = ((const rows_vtab *)cur->pVtab)->aux;
    return ((rows_cursor *)cur)->i >= a->src.count(a->s);
}

static int r_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
    const rows_aux *a = ((const rows_vtab *)cur->pVtab)->aux;
    a->src.column(a->s, ((rows_cursor *)cur)->i, ctx, col);
    return SQLITE_OK;
}

static int r_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
    *rowid = (sqlite3_int64)((rows_cursor *)cur)->i;
    return SQLITE_OK;
}

static const sqlite3_module rows_module = {
    .iVersion = 0,
    .xCreate = NULL, /* eponymous only: no CREATE VIRTUAL TABLE needed */
    .xConnect = r_connect,
    .xBestIndex = r_best_index,
    .xDisconnect = r_disconnect,
    .xOpen = r_open,
    .xClose = r_close,
    .xFilter = r_filter,
    .xNext = r_next,
    .xEof = r_eof,
    .xColumn = r_column,
    .xRowid = r_rowid,
};

tt_status sq_rows_register(sq_store *s, const char *name, const sq_rows_source *src,
                           tt_error *err)
{
    rows_aux *a = sqlite3_malloc(sizeof *a);
    if (!a)
        return tt_fail(err, TT_ERR_STORE, "out of memory registering %s", name);
    a->s = s;
    a->src = *src;
    if (sqlite3_create_module_v2(s->db, name, &rows_module, a, sqlite3_free) != SQLITE_OK)
        return sq_fail(s, "registering a writer's table", err);
    return TT_OK;
}

/* ---- tt_batch: an object's event rows ---------------------------------------- */

enum { COL_T, COL_EID, COL_IDENT, COL_SHAPE, COL_IP, COL_UA, COL_MINTED, COL_OBJ, COL_OFF, COL_MH };

static size_t batch_count(const sq_store *s)
{
    return s->nbatch;
}

static void batch_column(const sq_store *s, size_t row, sqlite3_context *ctx, int col)
{
    const batch_row *r = &s->batch[row];
    int64_t x = 0;
    if (col == COL_MINTED || col == COL_MH) {
        if (!r->minted.n)
            sqlite3_result_null(ctx);
        else if (col == COL_MH)
            sqlite3_result_int64(ctx, r->mh);
        else
            sqlite3_result_text(ctx, r->minted.p, (int)r->minted.n, SQLITE_STATIC);
        return;
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
}

tt_status sq_batch_register(sq_store *s, tt_error *err)
{
    static const sq_rows_source src = {
        "CREATE TABLE x(t, eid, ident, shape, ip, ua, minted, obj, off, mh)", batch_count,
        batch_column};
    return sq_rows_register(s, "tt_batch", &src, err);
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
