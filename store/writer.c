/*
 * writer.c - adding objects and their events: dictionary encoding through
 * in-memory fingerprint maps (loaded from the store on the first write),
 * INSERT OR IGNORE on the (time, event-id) key for exactly-once, and the
 * per-transaction rollup and coverage aggregates.
 */
#define _GNU_SOURCE
#include "store_int.h"

#include "../common/hash.h"
#include "../common/identity.h"
#include "../common/mem.h"
#include "../common/ttime.h"

#include <stdlib.h>
#include <string.h>

#define LITS(x) ((tt_str){(x), (uint32_t)(sizeof(x) - 1)})

static tt_status prep(store *s, sqlite3_stmt **st, const char *sql, tt_error *err)
{
    if (*st)
        return TT_OK;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
        return store_sqlite_fail(s, "prepare", err);
    return TT_OK;
}

static tt_status prepare_all(store *s, tt_error *err)
{
    tt_status st = prep(s, &s->ins_event,
                        "INSERT OR IGNORE INTO event(t,eid,ident,src,name,region,ip,ua,err,type,"
                        "category,flags,recipient,version,minted,obj,off)"
                        " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        err);
    if (st == TT_OK)
        st = prep(s, &s->ins_dict, "INSERT INTO dict(id, v) VALUES(?, ?)", err);
    if (st == TT_OK)
        st = prep(s, &s->ins_principal, "INSERT INTO principal(id, arn, type) VALUES(?, ?, ?)", err);
    if (st == TT_OK)
        st = prep(s, &s->ins_identity,
                  "INSERT INTO identity(id, principal, type, arn, account, principal_id, user_name,"
                  " invoked_by, issuer_type, issuer_arn, session_name, source_identity, access_key, mfa)"
                  " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                  err);
    if (st == TT_OK)
        st = prep(s, &s->upsert_object,
                  "INSERT INTO object(path, member, container, kind, size, mtime_ns, sha256, status,"
                  " reason, ingested_ms) VALUES(?,?,?,?,?,?,?,?,?,?)"
                  " ON CONFLICT(path, member) DO UPDATE SET container=excluded.container,"
                  " kind=excluded.kind, size=excluded.size, mtime_ns=excluded.mtime_ns,"
                  " sha256=excluded.sha256, status=excluded.status, reason=excluded.reason,"
                  " events=0, duplicates=0, first_ms=NULL, last_ms=NULL,"
                  " ingested_ms=excluded.ingested_ms RETURNING id",
                  err);
    if (st == TT_OK)
        st = prep(s, &s->finish_object,
                  "UPDATE object SET events=?, duplicates=?, first_ms=?, last_ms=? WHERE id=?", err);
    if (st == TT_OK)
        st = prep(s, &s->upsert_rollup,
                  "INSERT INTO usage_daily VALUES(?,?,?,?,?,?,?,?,?) ON CONFLICT DO UPDATE SET"
                  " calls=calls+excluded.calls, first_ms=min(first_ms, excluded.first_ms),"
                  " last_ms=max(last_ms, excluded.last_ms)",
                  err);
    if (st == TT_OK)
        st = prep(s, &s->upsert_cover,
                  "INSERT INTO coverage VALUES(?,?,?,?) ON CONFLICT DO UPDATE SET"
                  " events=events+excluded.events",
                  err);
    return st;
}

/* ---- the identity fingerprint ------------------------------------------- */

/* The fields that make an identity, in a fixed order. The principal and the
 * session name are derived from these, so they need not be hashed. */
static void identity_fields(const tt_event *ev, tt_str f[10])
{
    f[0] = ev->id_type;
    f[1] = ev->id_arn;
    f[2] = ev->id_account;
    f[3] = ev->id_principal;
    f[4] = ev->id_user_name;
    f[5] = ev->id_invoked_by;
    f[6] = ev->issuer_type;
    f[7] = ev->issuer_arn;
    f[8] = ev->source_identity;
    f[9] = ev->id_access_key;
}

static fp128 identity_fp(const tt_str f[10], int mfa)
{
    uint64_t a = 0x243f6a8885a308d3ULL ^ (uint64_t)mfa, b = 0x13198a2e03707344ULL + (uint64_t)mfa;
    for (int i = 0; i < 10; i++) {
        a = tt_hash64(f[i].p, f[i].n, a + (uint64_t)i);
        b = tt_hash64(f[i].p, f[i].n, b ^ ((uint64_t)i << 32));
    }
    fp128 r = {a, b};
    if (!a && !b)
        r.b = 1;
    return r;
}

/* ---- dictionaries ------------------------------------------------------- */

static tt_status dict_id(store *s, tt_str v, int64_t *id, tt_error *err)
{
    if (v.n == 0) {
        *id = 0;
        return TT_OK;
    }
    int fresh;
    fpmap_slot *slot = fpmap_put(&s->dict, fp_of(v.p, v.n), &fresh);
    if (!fresh) {
        *id = slot->v1;
        return TT_OK;
    }
    slot->v1 = *id = s->next_dict_id++;
    sqlite3_bind_int64(s->ins_dict, 1, *id);
    sqlite3_bind_text(s->ins_dict, 2, v.p, (int)v.n, SQLITE_STATIC);
    int rc = sqlite3_step(s->ins_dict);
    sqlite3_reset(s->ins_dict);
    if (rc != SQLITE_DONE)
        return store_sqlite_fail(s, "adding to the dictionary", err);
    return TT_OK;
}

static tt_status load_dict(store *s, tt_error *err)
{
    sqlite3_stmt *st = NULL;
    tt_status rc = TT_OK;
    if (sqlite3_prepare_v2(s->db, "SELECT id, v FROM dict WHERE id > 0", -1, &st, NULL) != SQLITE_OK)
        return store_sqlite_fail(s, "loading the dictionary", err);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        const void *v = sqlite3_column_text(st, 1);
        int n = sqlite3_column_bytes(st, 1), fresh;
        fpmap_put(&s->dict, fp_of(v, (size_t)n), &fresh)->v1 = id;
        if (id >= s->next_dict_id)
            s->next_dict_id = id + 1;
    }
    if (step != SQLITE_DONE)
        rc = store_sqlite_fail(s, "loading the dictionary", err);
    sqlite3_finalize(st);
    return rc;
}

static tt_status load_principals(store *s, tt_error *err)
{
    sqlite3_stmt *st = NULL;
    tt_status rc = TT_OK;
    if (sqlite3_prepare_v2(s->db, "SELECT p.id, d.v, p.type FROM principal p JOIN dict d ON d.id = p.arn",
                           -1, &st, NULL) != SQLITE_OK)
        return store_sqlite_fail(s, "loading principals", err);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        const void *v = sqlite3_column_text(st, 1);
        int n = sqlite3_column_bytes(st, 1), fresh;
        fpmap_slot *slot = fpmap_put(&s->principals, fp_of(v, (size_t)n), &fresh);
        slot->v1 = id;
        slot->v2 = sqlite3_column_int64(st, 2);
        if (id >= s->next_principal_id)
            s->next_principal_id = id + 1;
    }
    if (step != SQLITE_DONE)
        rc = store_sqlite_fail(s, "loading principals", err);
    sqlite3_finalize(st);
    return rc;
}

static tt_str col_str(sqlite3_stmt *st, int i)
{
    const char *p = (const char *)sqlite3_column_text(st, i);
    return (tt_str){p ? p : "", (uint32_t)sqlite3_column_bytes(st, i)};
}

static tt_status load_identities(store *s, tt_error *err)
{
    static const char *sql =
        "SELECT i.id, i.principal, i.mfa, t.v, a.v, ac.v, pi.v, un.v, ib.v, itp.v, ia.v, si.v, k.v"
        " FROM identity i JOIN dict t ON t.id=i.type JOIN dict a ON a.id=i.arn"
        " JOIN dict ac ON ac.id=i.account JOIN dict pi ON pi.id=i.principal_id"
        " JOIN dict un ON un.id=i.user_name JOIN dict ib ON ib.id=i.invoked_by"
        " JOIN dict itp ON itp.id=i.issuer_type JOIN dict ia ON ia.id=i.issuer_arn"
        " JOIN dict si ON si.id=i.source_identity JOIN dict k ON k.id=i.access_key";
    sqlite3_stmt *st = NULL;
    tt_status rc = TT_OK;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return store_sqlite_fail(s, "loading identities", err);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        tt_str f[10];
        for (int i = 0; i < 10; i++)
            f[i] = col_str(st, 3 + i);
        int fresh;
        fpmap_slot *slot = fpmap_put(&s->identities, identity_fp(f, sqlite3_column_int(st, 2)), &fresh);
        slot->v1 = sqlite3_column_int64(st, 0);
        slot->v2 = sqlite3_column_int64(st, 1);
        if (slot->v1 >= s->next_identity_id)
            s->next_identity_id = slot->v1 + 1;
    }
    if (step != SQLITE_DONE)
        rc = store_sqlite_fail(s, "loading identities", err);
    sqlite3_finalize(st);
    return rc;
}

static tt_status load_writer(store *s, tt_error *err)
{
    if (s->dicts_loaded)
        return TT_OK;
    fpmap_init(&s->dict);
    fpmap_init(&s->principals);
    fpmap_init(&s->identities);
    fpmap_init(&s->rollup_idx);
    fpmap_init(&s->cover_idx);
    s->next_dict_id = s->next_principal_id = s->next_identity_id = 1;
    s->dicts_loaded = 1;
    tt_status st = prepare_all(s, err);
    if (st == TT_OK)
        st = load_dict(s, err);
    if (st == TT_OK)
        st = load_principals(s, err);
    if (st == TT_OK)
        st = load_identities(s, err);
    return st;
}

void store_writer_free(store *s)
{
    sqlite3_stmt **sts[] = {&s->ins_event, &s->ins_dict, &s->ins_principal, &s->ins_identity,
                            &s->upsert_object, &s->finish_object, &s->upsert_rollup,
                            &s->upsert_cover};
    for (size_t i = 0; i < sizeof sts / sizeof *sts; i++) {
        sqlite3_finalize(*sts[i]);
        *sts[i] = NULL;
    }
    if (!s->dicts_loaded)
        return;
    fpmap_free(&s->dict);
    fpmap_free(&s->principals);
    fpmap_free(&s->identities);
    fpmap_free(&s->rollup_idx);
    fpmap_free(&s->cover_idx);
    free(s->rollup);
    free(s->cover);
    s->rollup = NULL;
    s->cover = NULL;
    s->nrollup = s->arollup = s->ncover = s->acover = 0;
    s->dicts_loaded = 0;
}

/* ---- principals and identities ------------------------------------------ */

static tt_status principal_id(store *s, const tt_identity *who, int64_t *id, tt_error *err)
{
    int fresh;
    fpmap_slot *slot = fpmap_put(&s->principals, fp_of(who->principal.p, who->principal.n), &fresh);
    if (!fresh) {
        *id = slot->v1;
        return TT_OK;
    }
    int64_t arn, type;
    tt_status st = dict_id(s, who->principal, &arn, err);
    if (st == TT_OK)
        st = dict_id(s, who->principal_type, &type, err);
    if (st != TT_OK)
        return st;
    slot = fpmap_get(&s->principals, fp_of(who->principal.p, who->principal.n));
    slot->v1 = *id = s->next_principal_id++;
    slot->v2 = type;
    sqlite3_bind_int64(s->ins_principal, 1, *id);
    sqlite3_bind_int64(s->ins_principal, 2, arn);
    sqlite3_bind_int64(s->ins_principal, 3, type);
    int rc = sqlite3_step(s->ins_principal);
    sqlite3_reset(s->ins_principal);
    return rc == SQLITE_DONE ? TT_OK : store_sqlite_fail(s, "adding a principal", err);
}

static tt_status new_identity(store *s, const tt_event *ev, const tt_str f[10], int64_t id,
                              int64_t *principal, tt_error *err)
{
    tt_identity who;
    tt_identity_of(ev, &who);
    tt_status st = principal_id(s, &who, principal, err);
    int64_t ids[11];
    for (int i = 0; i < 10 && st == TT_OK; i++)
        st = dict_id(s, f[i], &ids[i], err);
    if (st == TT_OK)
        st = dict_id(s, who.session, &ids[10], err);
    if (st != TT_OK)
        return st;
    sqlite3_stmt *q = s->ins_identity;
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, *principal);
    /* column order: type arn account principal_id user_name invoked_by
     * issuer_type issuer_arn session_name source_identity access_key mfa */
    static const int from_field[12] = {0, 1, 2, 3, 4, 5, 6, 7, 10, 8, 9, -1};
    for (int c = 0; c < 11; c++)
        sqlite3_bind_int64(q, 3 + c, ids[from_field[c]]);
    sqlite3_bind_int(q, 14, ev->mfa);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? TT_OK : store_sqlite_fail(s, "adding an identity", err);
}

static tt_status identity_id(store *s, const tt_event *ev, int64_t *id, int64_t *principal,
                             tt_error *err)
{
    tt_str f[10];
    identity_fields(ev, f);
    fp128 fp = identity_fp(f, ev->mfa);
    fpmap_slot *slot = fpmap_get(&s->identities, fp);
    if (slot) {
        *id = slot->v1;
        *principal = slot->v2;
        return TT_OK;
    }
    *id = s->next_identity_id++;
    tt_status st = new_identity(s, ev, f, *id, principal, err);
    if (st != TT_OK)
        return st;
    int fresh;
    slot = fpmap_put(&s->identities, fp, &fresh);
    slot->v1 = *id;
    slot->v2 = *principal;
    return TT_OK;
}

/* ---- aggregates --------------------------------------------------------- */

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

static void add_rollup(store *s, int64_t principal, int32_t day, int64_t src, int64_t name,
                       int errclass, int via, int64_t t)
{
    struct {
        int64_t p, src, name;
        int32_t day, ec, via, pad;
    } key = {principal, src, name, day, errclass, via, 0};
    int fresh;
    fpmap_slot *slot = fpmap_put(&s->rollup_idx, fp_of(&key, sizeof key), &fresh);
    if (fresh) {
        if (s->nrollup == s->arollup) {
            s->arollup = s->arollup ? s->arollup * 2 : 1024;
            s->rollup = tt_xrealloc(s->rollup, s->arollup * sizeof *s->rollup);
        }
        slot->v1 = (int64_t)s->nrollup;
        s->rollup[s->nrollup++] = (rollup_acc){principal, src, name, day, errclass, via, 0, t, t};
    }
    rollup_acc *a = &s->rollup[slot->v1];
    a->calls++;
    if (t < a->first_ms)
        a->first_ms = t;
    if (t > a->last_ms)
        a->last_ms = t;
}

static void add_cover(store *s, int64_t account, int64_t region, int32_t day)
{
    struct {
        int64_t account, region;
        int32_t day, pad;
    } key = {account, region, day, 0};
    int fresh;
    fpmap_slot *slot = fpmap_put(&s->cover_idx, fp_of(&key, sizeof key), &fresh);
    if (fresh) {
        if (s->ncover == s->acover) {
            s->acover = s->acover ? s->acover * 2 : 256;
            s->cover = tt_xrealloc(s->cover, s->acover * sizeof *s->cover);
        }
        slot->v1 = (int64_t)s->ncover;
        s->cover[s->ncover++] = (cover_acc){account, region, day, 0};
    }
    s->cover[slot->v1].events++;
}

tt_status store_flush_aggregates(store *s, tt_error *err)
{
    if (!s->dicts_loaded)
        return TT_OK;
    for (size_t i = 0; i < s->nrollup; i++) {
        const rollup_acc *a = &s->rollup[i];
        sqlite3_stmt *q = s->upsert_rollup;
        sqlite3_bind_int64(q, 1, a->principal);
        sqlite3_bind_int(q, 2, a->day);
        sqlite3_bind_int64(q, 3, a->src);
        sqlite3_bind_int64(q, 4, a->name);
        sqlite3_bind_int(q, 5, a->errclass);
        sqlite3_bind_int(q, 6, a->via);
        sqlite3_bind_int64(q, 7, a->calls);
        sqlite3_bind_int64(q, 8, a->first_ms);
        sqlite3_bind_int64(q, 9, a->last_ms);
        int rc = sqlite3_step(q);
        sqlite3_reset(q);
        if (rc != SQLITE_DONE)
            return store_sqlite_fail(s, "updating the usage rollup", err);
    }
    for (size_t i = 0; i < s->ncover; i++) {
        const cover_acc *c = &s->cover[i];
        sqlite3_stmt *q = s->upsert_cover;
        sqlite3_bind_int64(q, 1, c->account);
        sqlite3_bind_int64(q, 2, c->region);
        sqlite3_bind_int(q, 3, c->day);
        sqlite3_bind_int64(q, 4, c->events);
        int rc = sqlite3_step(q);
        sqlite3_reset(q);
        if (rc != SQLITE_DONE)
            return store_sqlite_fail(s, "updating coverage", err);
    }
    s->nrollup = s->ncover = 0;
    fpmap_clear(&s->rollup_idx);
    fpmap_clear(&s->cover_idx);
    return TT_OK;
}

/* ---- events ------------------------------------------------------------- */

static int64_t event_key(const tt_event *ev, const char *data)
{
    if (ev->event_id.n)
        return (int64_t)tt_hash64(ev->event_id.p, ev->event_id.n, 0x6576656e74ULL);
    /* eventVersion 1.0 has no eventID: the record's bytes stand for it. */
    if (data && ev->raw_len)
        return (int64_t)(tt_hash64(data + ev->raw_off, ev->raw_len, 0x726177ULL) | 1);
    return 0;
}

static tt_status add_event(store *s, const tt_event *ev, const char *data, int64_t obj,
                           int *added, tt_error *err)
{
    int64_t ident = 0, principal = 0, v[11];
    tt_status st = identity_id(s, ev, &ident, &principal, err);
    const tt_str f[11] = {ev->event_source, ev->event_name,   ev->region,         ev->source_ip,
                          ev->user_agent,   ev->error_code,   ev->event_type,     ev->event_category,
                          ev->recipient_account, ev->event_version, ev->minted_key};
    for (int i = 0; i < 11 && st == TT_OK; i++)
        st = dict_id(s, f[i], &v[i], err);
    if (st != TT_OK)
        return st;
    sqlite3_stmt *q = s->ins_event;
    sqlite3_bind_int64(q, 1, ev->time_ms);
    sqlite3_bind_int64(q, 2, event_key(ev, data));
    sqlite3_bind_int64(q, 3, ident);
    for (int i = 0; i < 8; i++)
        sqlite3_bind_int64(q, 4 + i, v[i]);
    sqlite3_bind_int(q, 12, ev->read_only | ev->management << 2);
    sqlite3_bind_int64(q, 13, v[8]);
    sqlite3_bind_int64(q, 14, v[9]);
    sqlite3_bind_int64(q, 15, v[10]);
    sqlite3_bind_int64(q, 16, obj);
    sqlite3_bind_int64(q, 17, (int64_t)ev->raw_off);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return store_sqlite_fail(s, "adding an event", err);
    *added = sqlite3_changes(s->db) > 0;
    if (*added) {
        int32_t day = tt_day_of(ev->time_ms);
        add_rollup(s, principal, day, v[0], v[1], err_class(ev->error_code),
                   ev->id_invoked_by.n > 0, ev->time_ms);
        int64_t acct = v[8];
        if (!acct)
            dict_id(s, ev->id_account, &acct, err);
        add_cover(s, acct, v[2], day);
    }
    return TT_OK;
}

static const char *status_text(store_obj_status st)
{
    switch (st) {
    case STORE_OBJ_LOADED: return "loaded";
    case STORE_OBJ_REJECTED: return "rejected";
    case STORE_OBJ_SAME_CONTENT: return "same-content";
    }
    return "?";
}

static tt_status upsert_object(store *s, const store_object *o, int64_t *id, tt_error *err)
{
    sqlite3_stmt *q = s->upsert_object;
    sqlite3_bind_text(q, 1, o->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, o->member ? o->member : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, o->container, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, o->kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 5, o->size);
    sqlite3_bind_int64(q, 6, o->mtime_ns);
    if (o->sha256)
        sqlite3_bind_blob(q, 7, o->sha256, 32, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, 7);
    sqlite3_bind_text(q, 8, status_text(o->status), -1, SQLITE_STATIC);
    if (o->reason)
        sqlite3_bind_text(q, 9, o->reason, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, 9);
    sqlite3_bind_int64(q, 10, tt_now_ms());
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(q, 0);
    while (rc == SQLITE_ROW)
        rc = sqlite3_step(q);
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return rc == SQLITE_DONE ? TT_OK : store_sqlite_fail(s, "recording an object", err);
}

static tt_status finish_object(store *s, int64_t id, int64_t added, int64_t dups, int64_t first,
                               int64_t last, tt_error *err)
{
    sqlite3_stmt *q = s->finish_object;
    sqlite3_bind_int64(q, 1, added);
    sqlite3_bind_int64(q, 2, dups);
    if (first <= last) {
        sqlite3_bind_int64(q, 3, first);
        sqlite3_bind_int64(q, 4, last);
    } else {
        sqlite3_bind_null(q, 3);
        sqlite3_bind_null(q, 4);
    }
    sqlite3_bind_int64(q, 5, id);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? TT_OK : store_sqlite_fail(s, "recording an object", err);
}

static tt_status add_events(store *s, int64_t obj, const tt_event *evs, size_t n,
                            const char *data, store_add_counts *c, tt_error *err)
{
    int64_t first = INT64_MAX, last = INT64_MIN;
    tt_status st = TT_OK;
    for (size_t i = 0; i < n && st == TT_OK; i++) {
        int added = 0;
        st = add_event(s, &evs[i], data, obj, &added, err);
        if (added)
            c->added++;
        else
            c->duplicates++;
        if (evs[i].time_ms < first)
            first = evs[i].time_ms;
        if (evs[i].time_ms > last)
            last = evs[i].time_ms;
    }
    if (st == TT_OK)
        st = finish_object(s, obj, c->added, c->duplicates, first, last, err);
    return st;
}

static int txn_full(const store *s)
{
    return s->txn_events >= STORE_TXN_EVENTS || s->txn_objects >= STORE_TXN_OBJECTS ||
           tt_now_ms() - s->txn_start_ms >= STORE_TXN_MS;
}

static void abandon(store *s)
{
    /* A failed statement leaves the transaction in an unknown state: roll
     * it back whole and forget the ids the maps handed out. */
    if (s->in_txn)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->in_txn = 0;
    store_writer_free(s);
}

tt_status store_add_object(store *s, const store_object *o, const tt_event *evs,
                           size_t n, const char *data, store_add_counts *counts,
                           tt_error *err)
{
    store_add_counts c = {0, 0};
    int64_t obj = 0;
    tt_status st = load_writer(s, err);
    if (st == TT_OK)
        st = store_begin(s, err);
    if (st == TT_OK)
        st = upsert_object(s, o, &obj, err);
    if (st == TT_OK && n)
        st = add_events(s, obj, evs, n, data, &c, err);
    if (st != TT_OK) {
        abandon(s);
        return st;
    }
    if (counts)
        *counts = c;
    s->txn_events += (int64_t)n;
    s->txn_objects++;
    if (txn_full(s))
        st = store_commit(s, err);
    return st;
}

tt_status store_note_change(store *s, const char *path, const char *member,
                            int64_t size, const uint8_t new_sha256[32],
                            tt_error *err)
{
    static const char *sql =
        "INSERT OR IGNORE INTO object_change(path, member, old_sha256, new_sha256, old_size,"
        " new_size, seen_ms) SELECT ?1, ?2, o.sha256, ?3, o.size, ?4, ?5 FROM object o"
        " WHERE o.path = ?1 AND o.member = ?2";
    sqlite3_stmt *q = NULL;
    tt_status st = load_writer(s, err);
    if (st == TT_OK)
        st = store_begin(s, err);
    if (st != TT_OK)
        return st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
        return store_sqlite_fail(s, "recording a change", err);
    sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, member, -1, SQLITE_STATIC);
    sqlite3_bind_blob(q, 3, new_sha256, 32, SQLITE_STATIC);
    sqlite3_bind_int64(q, 4, size);
    sqlite3_bind_int64(q, 5, tt_now_ms());
    if (sqlite3_step(q) != SQLITE_DONE)
        st = store_sqlite_fail(s, "recording a change", err);
    sqlite3_finalize(q);
    return st;
}

tt_status store_touch_object(store *s, const char *path, const char *member,
                             int64_t mtime_ns, tt_error *err)
{
    sqlite3_stmt *q = NULL;
    tt_status st = load_writer(s, err);
    if (st == TT_OK)
        st = store_begin(s, err);
    if (st != TT_OK)
        return st;
    if (sqlite3_prepare_v2(s->db, "UPDATE object SET mtime_ns=? WHERE path=? AND member=?", -1, &q,
                           NULL) != SQLITE_OK)
        return store_sqlite_fail(s, "updating an object", err);
    sqlite3_bind_int64(q, 1, mtime_ns);
    sqlite3_bind_text(q, 2, path, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, member, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_DONE)
        st = store_sqlite_fail(s, "updating an object", err);
    sqlite3_finalize(q);
    return st;
}
