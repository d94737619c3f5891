/*
 * writer_dict.c - the writer's dictionaries: strings, principals,
 * identities and shapes. Each is found first in a bounded in-memory cache
 * (fpmap.h), then through the store's index on its fingerprint (dict_h,
 * identity_key on the access key's hash, shape_h, principal's arn), and
 * added when new. Nothing is
 * loaded when the writer opens, so the cost of a run is the cost of what it
 * reads, whatever the store already holds. The fingerprints are taken by
 * the ingest workers under the store's secret (fpsql.c); a row found by its
 * first lane is confirmed by its second.
 */
#define _GNU_SOURCE
#include "sqlite_int.h"

#include "common/fingerprint.h"
#include "common/identity.h"
#include "common/mem.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static tt_status prepare_dicts(sq_store *s, tt_error *err)
{
    static const struct {
        size_t off;
        const char *sql;
    } stmts[] = {
        {offsetof(sq_store, ins_dict), "INSERT INTO dict(id, v, h, h2) VALUES(?, ?, ?, ?)"},
        {offsetof(sq_store, find_dict), "SELECT id FROM dict WHERE h = ?1 AND h2 = ?2"},
        {offsetof(sq_store, ins_principal), "INSERT INTO principal(id, arn, type) VALUES(?, ?, ?)"},
        {offsetof(sq_store, find_principal), "SELECT id, type FROM principal WHERE arn = ?"},
        {offsetof(sq_store, ins_identity),
         "INSERT INTO identity(id, h, h2, principal, type, arn, account, principal_id, user_name,"
         " invoked_by, issuer_type, issuer_arn, source_identity, access_key, session_name, mfa, kh,"
         " arn_head, pid_head) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"},
        {offsetof(sq_store, find_identity),
         "SELECT id, principal FROM identity WHERE kh = ?3 AND h = ?1 AND h2 = ?2"},
        {offsetof(sq_store, ins_shape),
         "INSERT INTO shape(id, src, name, region, err, type, category, recipient, version, flags,"
         " h, h2, errclass) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)"},
        {offsetof(sq_store, find_shape),
         "SELECT id, src, name, region, recipient, errclass,"
         " (SELECT v FROM dict WHERE id = shape.type) = 'AwsServiceEvent' FROM shape"
         " WHERE h = ?1 AND h2 = ?2"},
    };
    tt_status st = TT_OK;
    for (size_t i = 0; i < sizeof stmts / sizeof *stmts && st == TT_OK; i++)
        st = sq_prepare(s, (sqlite3_stmt **)((char *)s + stmts[i].off), stmts[i].sql, err);
    return st;
}

static tt_status next_id(sq_store *s, const char *table, int64_t *out, tt_error *err)
{
    char sql[64];
    snprintf(sql, sizeof sql, "SELECT coalesce(max(id), 0) + 1 FROM %s", table);
    *out = 1;
    if (sq_int(s, sql, out) != 0)
        return sq_fail(s, "opening the dictionaries", err);
    if (*out < 1)
        *out = 1;
    return TT_OK;
}

tt_status sq_dicts_open(sq_store *s, tt_error *err)
{
    size_t n = s->cache_entries ? s->cache_entries : STORE_CACHE_ENTRIES;
    store_fpcache_init(&s->dict, n);
    store_fpcache_init(&s->principals, n / 8);
    store_fpcache_init(&s->identities, n);
    store_fpmap_init(&s->shapes);
    tt_status st = prepare_dicts(s, err);
    if (st == TT_OK)
        st = next_id(s, "dict", &s->next_dict_id, err);
    if (st == TT_OK)
        st = next_id(s, "principal", &s->next_principal_id, err);
    if (st == TT_OK)
        st = next_id(s, "identity", &s->next_identity_id, err);
    if (st == TT_OK)
        st = next_id(s, "shape", &s->next_shape_id, err);
    return st;
}

void sq_dicts_free(sq_store *s)
{
    store_fpcache_free(&s->dict);
    store_fpcache_free(&s->principals);
    store_fpcache_free(&s->identities);
    store_fpmap_free(&s->shapes);
    free(s->shape);
    s->shape = NULL;
    s->nshape = s->ashape = 0;
}

/* Steps a lookup bound to (h, h2); 1 with the row current, 0 when absent
 * (the statement reset), -1 on error. */
static int lookup(sq_store *s, sqlite3_stmt *q, tt_fp fp)
{
    s->counts.lookups++;
    sqlite3_bind_int64(q, 1, (sqlite3_int64)fp.a);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)fp.b);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        return 1;
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- strings ------------------------------------------------------------ */

tt_status sq_dict_id(sq_store *s, tt_str v, tt_fp fp, int64_t *id, tt_error *err)
{
    int64_t unused;
    if (v.n == 0) {
        *id = 0;
        return TT_OK;
    }
    if (store_fpcache_get(&s->dict, fp, id, &unused))
        return TT_OK;
    int found = lookup(s, s->find_dict, fp);
    if (found < 0)
        return sq_fail(s, "looking up a string", err);
    if (found) {
        *id = sqlite3_column_int64(s->find_dict, 0);
        sqlite3_reset(s->find_dict);
        store_fpcache_put(&s->dict, fp, *id, 0);
        return TT_OK;
    }
    *id = s->next_dict_id++;
    s->counts.inserted++;
    store_fpcache_put(&s->dict, fp, *id, 0);
    sqlite3_stmt *q = s->ins_dict;
    sqlite3_bind_int64(q, 1, *id);
    sqlite3_bind_text(q, 2, v.p, (int)v.n, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)fp.a);
    sqlite3_bind_int64(q, 4, (sqlite3_int64)fp.b);
    return sq_step_done(s, q, "adding to the dictionary", err);
}

static tt_status dict_of(sq_store *s, tt_str v, int64_t *id, tt_error *err)
{
    return sq_dict_id(s, v, tt_fp_str(v), id, err);
}

/* ---- principals and identities ------------------------------------------ */

static tt_status principal_id(sq_store *s, const tt_identity *who, int64_t *id, tt_error *err)
{
    tt_fp fp = tt_fp_str(who->principal);
    int64_t type;
    if (store_fpcache_get(&s->principals, fp, id, &type))
        return TT_OK;
    int64_t arn;
    tt_status st = sq_dict_id(s, who->principal, fp, &arn, err);
    if (st != TT_OK)
        return st;
    sqlite3_stmt *q = s->find_principal;
    s->counts.lookups++;
    sqlite3_bind_int64(q, 1, arn);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(q, 0);
        type = sqlite3_column_int64(q, 1);
    }
    sqlite3_reset(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sq_fail(s, "looking up a principal", err);
    if (rc == SQLITE_ROW) {
        store_fpcache_put(&s->principals, fp, *id, type);
        return TT_OK;
    }
    st = dict_of(s, who->principal_type, &type, err);
    if (st != TT_OK)
        return st;
    *id = s->next_principal_id++;
    s->counts.inserted++;
    store_fpcache_put(&s->principals, fp, *id, type);
    sqlite3_bind_int64(s->ins_principal, 1, *id);
    sqlite3_bind_int64(s->ins_principal, 2, arn);
    sqlite3_bind_int64(s->ins_principal, 3, type);
    return sq_step_done(s, s->ins_principal, "adding a principal", err);
}

/* Identity fields kept in the row as text (new with almost every session);
 * the others are dict ids. Indexes into tt_identity_fields' order. */
static int inline_field(int i)
{
    return i == 1 || i == 3 || i == 9; /* arn, principalId, accessKeyId */
}

/* The identity_key of an identity: its access key's, or when it has none
 * its tuple's (sqlite_int.h). */
static int64_t identity_kh(const tt_event *ev, tt_fp fp)
{
    return sq_key_hash(ev->id_access_key.n ? tt_fp_str(ev->id_access_key) : fp);
}

/* The dict id of the part of v before the session's name when v ends
 * with it (an assumed role's ARN or principalId), else 0 (sqlite_int.h,
 * "identity heads"). */
static tt_status head_of(sq_store *s, tt_str v, tt_str session, int64_t *head, tt_error *err)
{
    *head = 0;
    if (!session.n || v.n <= session.n || memcmp(v.p + v.n - session.n, session.p, session.n) != 0)
        return TT_OK;
    return dict_of(s, (tt_str){v.p, v.n - session.n}, head, err);
}

static void bind_str(sqlite3_stmt *q, int col, tt_str v)
{
    sqlite3_bind_text(q, col, v.n ? v.p : "", (int)v.n, SQLITE_STATIC);
}

/* Adds the identity of ev under id; kh is its identity_kh, already taken
 * for the lookup that missed. */
static tt_status new_identity(sq_store *s, const tt_event *ev, tt_fp fp, int64_t kh, int64_t id,
                              int64_t *principal, tt_error *err)
{
    tt_identity who;
    tt_identity_of(ev, &who);
    tt_str f[TT_IDENTITY_FIELDS];
    tt_identity_fields(ev, f);
    tt_status st = principal_id(s, &who, principal, err);
    int64_t ids[TT_IDENTITY_FIELDS], head[TT_IDENTITY_FIELDS] = {0};
    for (int i = 0; i < TT_IDENTITY_FIELDS && st == TT_OK; i++)
        st = inline_field(i) ? TT_OK : dict_of(s, f[i], &ids[i], err);
    if (st == TT_OK)
        st = head_of(s, f[1], who.session, &head[1], err); /* arn */
    if (st == TT_OK)
        st = head_of(s, f[3], who.session, &head[3], err); /* principalId */
    if (st != TT_OK)
        return st;
    sqlite3_stmt *q = s->ins_identity;
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)fp.a);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)fp.b);
    sqlite3_bind_int64(q, 4, *principal);
    for (int c = 0; c < TT_IDENTITY_FIELDS; c++) {
        if (!inline_field(c))
            sqlite3_bind_int64(q, 5 + c, ids[c]);
        else if (head[c])
            sqlite3_bind_null(q, 5 + c); /* read as the head and the session */
        else
            bind_str(q, 5 + c, f[c]);
    }
    bind_str(q, 15, who.session);
    sqlite3_bind_int(q, 16, ev->mfa);
    sqlite3_bind_int64(q, 17, kh);
    sqlite3_bind_int64(q, 18, head[1]);
    sqlite3_bind_int64(q, 19, head[3]);
    s->counts.inserted++;
    return sq_step_done(s, q, "adding an identity", err);
}

tt_status sq_identity_id(sq_store *s, const tt_event *ev, tt_fp fp, int64_t *id,
                            int64_t *principal, tt_error *err)
{
    if (store_fpcache_get(&s->identities, fp, id, principal))
        return TT_OK;
    int64_t kh = identity_kh(ev, fp);
    sqlite3_bind_int64(s->find_identity, 3, kh);
    int found = lookup(s, s->find_identity, fp);
    if (found < 0)
        return sq_fail(s, "looking up an identity", err);
    if (found) {
        *id = sqlite3_column_int64(s->find_identity, 0);
        *principal = sqlite3_column_int64(s->find_identity, 1);
        sqlite3_reset(s->find_identity);
        store_fpcache_put(&s->identities, fp, *id, *principal);
        return TT_OK;
    }
    *id = s->next_identity_id++;
    tt_status st = new_identity(s, ev, fp, kh, *id, principal, err);
    if (st == TT_OK)
        store_fpcache_put(&s->identities, fp, *id, *principal);
    return st;
}

/* ---- shapes ------------------------------------------------------------- */

/* Files a shape in the cache (emptied whole when it reaches its limit:
 * shapes repeat so much that it seldom does). */
static const shape_info *remember_shape(sq_store *s, tt_fp fp, const shape_info *info, int64_t id)
{
    size_t limit = s->cache_entries ? s->cache_entries : STORE_CACHE_ENTRIES;
    if (s->nshape >= limit / 4) {
        store_fpmap_clear(&s->shapes);
        s->nshape = 0;
    }
    if (s->nshape == s->ashape) {
        s->ashape = s->ashape ? s->ashape * 2 : 256;
        s->shape = tt_xrealloc(s->shape, s->ashape * sizeof *s->shape);
    }
    int fresh;
    store_fpmap_slot *slot = store_fpmap_put(&s->shapes, fp, &fresh);
    slot->v1 = id;
    slot->v2 = (int64_t)s->nshape;
    s->shape[s->nshape] = *info;
    return &s->shape[s->nshape++];
}

static tt_status new_shape(sq_store *s, const tt_event *ev, tt_fp fp, int64_t id,
                           shape_info *info, tt_error *err)
{
    tt_str f[TT_SHAPE_FIELDS];
    int64_t ids[TT_SHAPE_FIELDS];
    tt_shape_fields(ev, f);
    tt_status st = TT_OK;
    for (int i = 0; i < TT_SHAPE_FIELDS && st == TT_OK; i++)
        st = dict_of(s, f[i], &ids[i], err);
    if (st != TT_OK)
        return st;
    static const char svc_type[] = "AwsServiceEvent";
    int svc = f[4].n == sizeof svc_type - 1 && memcmp(f[4].p, svc_type, f[4].n) == 0;
    *info = (shape_info){ids[0], ids[1], ids[2], ids[6], tt_error_class(f[3]), svc};
    sqlite3_stmt *q = s->ins_shape;
    sqlite3_bind_int64(q, 1, id);
    for (int i = 0; i < TT_SHAPE_FIELDS; i++)
        sqlite3_bind_int64(q, 2 + i, ids[i]);
    sqlite3_bind_int(q, 10, tt_event_flags(ev));
    sqlite3_bind_int64(q, 11, (sqlite3_int64)fp.a);
    sqlite3_bind_int64(q, 12, (sqlite3_int64)fp.b);
    sqlite3_bind_int(q, 13, info->errclass);
    s->counts.inserted++;
    return sq_step_done(s, q, "adding a shape", err);
}

tt_status sq_shape_id(sq_store *s, const tt_event *ev, tt_fp fp, const shape_info **info,
                         int64_t *id, tt_error *err)
{
    const store_fpmap_slot *slot = store_fpmap_get(&s->shapes, fp);
    if (slot) {
        *id = slot->v1;
        *info = &s->shape[slot->v2];
        return TT_OK;
    }
    shape_info sh;
    int found = lookup(s, s->find_shape, fp);
    if (found < 0)
        return sq_fail(s, "looking up a shape", err);
    if (found) {
        sqlite3_stmt *q = s->find_shape;
        *id = sqlite3_column_int64(q, 0);
        sh = (shape_info){sqlite3_column_int64(q, 1), sqlite3_column_int64(q, 2),
                          sqlite3_column_int64(q, 3), sqlite3_column_int64(q, 4),
                          sqlite3_column_int(q, 5), sqlite3_column_int(q, 6)};
        sqlite3_reset(q);
    } else {
        *id = s->next_shape_id++;
        tt_status st = new_shape(s, ev, fp, *id, &sh, err);
        if (st != TT_OK)
            return st;
    }
    *info = remember_shape(s, fp, &sh, *id);
    return TT_OK;
}
