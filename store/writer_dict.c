/*
 * writer_dict.c - the writer's dictionaries: strings, principals,
 * identities and shapes, each an in-memory fingerprint map over a table.
 * Loaded from the store when a writer first adds something; the
 * fingerprints are recomputed from the stored strings with the same
 * functions the ingest workers use (common/fingerprint.h).
 */
#define _GNU_SOURCE
#include "store_int.h"

#include "../common/fingerprint.h"
#include "../common/identity.h"
#include "../common/mem.h"

#include <stdlib.h>
#include <string.h>

static tt_status prepare_dicts(store *s, tt_error *err)
{
    tt_status st = store_prepare(s, &s->ins_dict, "INSERT INTO dict(id, v) VALUES(?, ?)", err);
    if (st == TT_OK)
        st = store_prepare(s, &s->ins_principal, "INSERT INTO principal(id, arn, type) VALUES(?, ?, ?)", err);
    if (st == TT_OK)
        st = store_prepare(s, &s->ins_identity,
                  "INSERT INTO identity(id, principal, type, arn, account, principal_id, user_name,"
                  " invoked_by, issuer_type, issuer_arn, source_identity, access_key, session_name,"
                  " mfa) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                  err);
    if (st == TT_OK)
        st = store_prepare(s, &s->ins_shape,
                  "INSERT INTO shape(id, src, name, region, err, type, category, recipient,"
                  " version, flags) VALUES(?,?,?,?,?,?,?,?,?,?)",
                  err);
    return st;
}

/* ---- loading ------------------------------------------------------------ */

static tt_str col_str(sqlite3_stmt *st, int i)
{
    const char *p = (const char *)sqlite3_column_text(st, i);
    return (tt_str){p ? p : "", (uint32_t)sqlite3_column_bytes(st, i)};
}

typedef void (*load_row_fn)(store *s, sqlite3_stmt *st);

static tt_status load_rows(store *s, const char *sql, load_row_fn fn, tt_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return store_sqlite_fail(s, "loading the dictionaries", err);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(s, st);
    tt_status out = rc == SQLITE_DONE ? TT_OK : store_sqlite_fail(s, "loading the dictionaries", err);
    sqlite3_finalize(st);
    return out;
}

static void put(fpmap *m, tt_fp fp, int64_t v1, int64_t v2)
{
    int fresh;
    fpmap_slot *slot = fpmap_put(m, fp, &fresh);
    slot->v1 = v1;
    slot->v2 = v2;
}

static void load_dict_row(store *s, sqlite3_stmt *st)
{
    int64_t id = sqlite3_column_int64(st, 0);
    put(&s->dict, tt_fp_str(col_str(st, 1)), id, 0);
    if (id >= s->next_dict_id)
        s->next_dict_id = id + 1;
}

static void load_principal_row(store *s, sqlite3_stmt *st)
{
    int64_t id = sqlite3_column_int64(st, 0);
    put(&s->principals, tt_fp_str(col_str(st, 1)), id, sqlite3_column_int64(st, 2));
    if (id >= s->next_principal_id)
        s->next_principal_id = id + 1;
}

static void load_identity_row(store *s, sqlite3_stmt *st)
{
    tt_str f[TT_IDENTITY_FIELDS];
    for (int i = 0; i < TT_IDENTITY_FIELDS; i++)
        f[i] = col_str(st, 3 + i);
    int64_t id = sqlite3_column_int64(st, 0);
    put(&s->identities, tt_fp_identity(f, sqlite3_column_int(st, 2)), id,
        sqlite3_column_int64(st, 1));
    if (id >= s->next_identity_id)
        s->next_identity_id = id + 1;
}

static int err_class(tt_str e);
static void remember_shape(store *s, int64_t id, const int64_t ids[TT_SHAPE_FIELDS], tt_str err);

static void load_shape_row(store *s, sqlite3_stmt *st)
{
    tt_str f[TT_SHAPE_FIELDS];
    int64_t ids[TT_SHAPE_FIELDS];
    for (int i = 0; i < TT_SHAPE_FIELDS; i++) {
        f[i] = col_str(st, 2 + i);
        ids[i] = sqlite3_column_int64(st, 2 + TT_SHAPE_FIELDS + i);
    }
    int64_t id = sqlite3_column_int64(st, 0);
    put(&s->shapes, tt_fp_shape(f, sqlite3_column_int(st, 1)), id, 0);
    remember_shape(s, id, ids, f[3]);
}

/* A join that turns each id column into its string. */
#define J(alias, col) " JOIN dict " alias " ON " alias ".id = x." col

tt_status store_dicts_load(store *s, tt_error *err)
{
    if (s->dicts_loaded)
        return TT_OK;
    fpmap_init(&s->dict);
    fpmap_init(&s->principals);
    fpmap_init(&s->identities);
    fpmap_init(&s->shapes);
    s->next_dict_id = s->next_principal_id = s->next_identity_id = 1;
    s->dicts_loaded = 1;
    tt_status st = prepare_dicts(s, err);
    if (st == TT_OK)
        st = load_rows(s, "SELECT id, v FROM dict WHERE id > 0", load_dict_row, err);
    if (st == TT_OK)
        st = load_rows(s, "SELECT x.id, d.v, x.type FROM principal x" J("d", "arn"),
                       load_principal_row, err);
    if (st == TT_OK)
        st = load_rows(s,
                       "SELECT x.id, x.principal, x.mfa, a.v, b.v, c.v, d.v, e.v, f.v, g.v, h.v, i.v, j.v"
                       " FROM identity x" J("a", "type") J("b", "arn") J("c", "account")
                           J("d", "principal_id") J("e", "user_name") J("f", "invoked_by")
                               J("g", "issuer_type") J("h", "issuer_arn") J("i", "source_identity")
                                   J("j", "access_key"),
                       load_identity_row, err);
    if (st == TT_OK)
        st = load_rows(s,
                       "SELECT x.id, x.flags, a.v, b.v, c.v, d.v, e.v, f.v, g.v, h.v,"
                       " x.src, x.name, x.region, x.err, x.type, x.category, x.recipient, x.version"
                       " FROM shape x" J("a", "src") J("b", "name") J("c", "region") J("d", "err")
                           J("e", "type") J("f", "category") J("g", "recipient") J("h", "version"),
                       load_shape_row, err);
    return st;
}

void store_dicts_free(store *s)
{
    fpmap_free(&s->dict);
    fpmap_free(&s->principals);
    fpmap_free(&s->identities);
    fpmap_free(&s->shapes);
    free(s->shape);
    s->shape = NULL;
    s->nshape = s->ashape = 0;
}

/* ---- strings ------------------------------------------------------------ */

tt_status store_dict_id(store *s, tt_str v, tt_fp fp, int64_t *id, tt_error *err)
{
    if (v.n == 0) {
        *id = 0;
        return TT_OK;
    }
    int fresh;
    fpmap_slot *slot = fpmap_put(&s->dict, fp, &fresh);
    if (!fresh) {
        *id = slot->v1;
        return TT_OK;
    }
    slot->v1 = *id = s->next_dict_id++;
    sqlite3_bind_int64(s->ins_dict, 1, *id);
    sqlite3_bind_text(s->ins_dict, 2, v.p, (int)v.n, SQLITE_STATIC);
    return store_step_done(s, s->ins_dict, "adding to the dictionary", err);
}

static tt_status dict_of(store *s, tt_str v, int64_t *id, tt_error *err)
{
    return store_dict_id(s, v, tt_fp_str(v), id, err);
}

/* ---- principals and identities ------------------------------------------ */

static tt_status principal_id(store *s, const tt_identity *who, int64_t *id, tt_error *err)
{
    tt_fp fp = tt_fp_str(who->principal);
    fpmap_slot *slot = fpmap_get(&s->principals, fp);
    if (slot) {
        *id = slot->v1;
        return TT_OK;
    }
    int64_t arn, type;
    tt_status st = dict_of(s, who->principal, &arn, err);
    if (st == TT_OK)
        st = dict_of(s, who->principal_type, &type, err);
    if (st != TT_OK)
        return st;
    *id = s->next_principal_id++;
    put(&s->principals, fp, *id, type);
    sqlite3_bind_int64(s->ins_principal, 1, *id);
    sqlite3_bind_int64(s->ins_principal, 2, arn);
    sqlite3_bind_int64(s->ins_principal, 3, type);
    return store_step_done(s, s->ins_principal, "adding a principal", err);
}

static tt_status new_identity(store *s, const tt_event *ev, int64_t id, int64_t *principal,
                              tt_error *err)
{
    tt_identity who;
    tt_identity_of(ev, &who);
    tt_str f[TT_IDENTITY_FIELDS];
    tt_identity_fields(ev, f);
    tt_status st = principal_id(s, &who, principal, err);
    int64_t ids[TT_IDENTITY_FIELDS + 1];
    for (int i = 0; i < TT_IDENTITY_FIELDS && st == TT_OK; i++)
        st = dict_of(s, f[i], &ids[i], err);
    if (st == TT_OK)
        st = dict_of(s, who.session, &ids[TT_IDENTITY_FIELDS], err);
    if (st != TT_OK)
        return st;
    sqlite3_stmt *q = s->ins_identity;
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, *principal);
    for (int c = 0; c <= TT_IDENTITY_FIELDS; c++) /* the fields, then session_name */
        sqlite3_bind_int64(q, 3 + c, ids[c]);
    sqlite3_bind_int(q, 14, ev->mfa);
    return store_step_done(s, q, "adding an identity", err);
}

tt_status store_identity_id(store *s, const tt_event *ev, tt_fp fp, int64_t *id,
                            int64_t *principal, tt_error *err)
{
    fpmap_slot *slot = fpmap_get(&s->identities, fp);
    if (slot) {
        *id = slot->v1;
        *principal = slot->v2;
        return TT_OK;
    }
    *id = s->next_identity_id++;
    tt_status st = new_identity(s, ev, *id, principal, err);
    if (st == TT_OK)
        put(&s->identities, fp, *id, *principal);
    return st;
}

/* ---- shapes ------------------------------------------------------------- */

static int err_class(tt_str e)
{
    if (e.n == 0)
        return 0;
    static const char *const denied[] = {"AccessDenied", "Unauthorized", "NotAuthorized",
                                         "Forbidden"};
    for (size_t i = 0; i < sizeof denied / sizeof *denied; i++)
        if (memmem(e.p, e.n, denied[i], strlen(denied[i])))
            return 1;
    return 2;
}

static void remember_shape(store *s, int64_t id, const int64_t ids[TT_SHAPE_FIELDS], tt_str err)
{
    if ((size_t)id >= s->ashape) {
        size_t n = s->ashape ? s->ashape : 256;
        while (n <= (size_t)id)
            n *= 2;
        s->shape = tt_xrealloc(s->shape, n * sizeof *s->shape);
        memset(s->shape + s->ashape, 0, (n - s->ashape) * sizeof *s->shape);
        s->ashape = n;
    }
    s->shape[id] = (shape_info){ids[0], ids[1], ids[2], ids[6], err_class(err)};
    if ((size_t)id >= s->nshape)
        s->nshape = (size_t)id + 1;
}

tt_status store_shape_id(store *s, const tt_event *ev, tt_fp fp, const shape_info **info,
                         int64_t *id, tt_error *err)
{
    fpmap_slot *slot = fpmap_get(&s->shapes, fp);
    if (slot) {
        *id = slot->v1;
        *info = &s->shape[*id];
        return TT_OK;
    }
    tt_str f[TT_SHAPE_FIELDS];
    int64_t ids[TT_SHAPE_FIELDS];
    tt_shape_fields(ev, f);
    tt_status st = TT_OK;
    for (int i = 0; i < TT_SHAPE_FIELDS && st == TT_OK; i++)
        st = dict_of(s, f[i], &ids[i], err);
    if (st != TT_OK)
        return st;
    *id = (int64_t)(s->nshape ? s->nshape : 1);
    put(&s->shapes, fp, *id, 0);
    remember_shape(s, *id, ids, f[3]);
    *info = &s->shape[*id];
    sqlite3_stmt *q = s->ins_shape;
    sqlite3_bind_int64(q, 1, *id);
    for (int i = 0; i < TT_SHAPE_FIELDS; i++)
        sqlite3_bind_int64(q, 2 + i, ids[i]);
    sqlite3_bind_int(q, 10, tt_event_flags(ev));
    return store_step_done(s, q, "adding a shape", err);
}
