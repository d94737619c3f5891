/*
 * writer.c - adding objects and their events: dictionary encoding through
 * in-memory fingerprint maps (loaded from the store on the first write),
 * INSERT OR IGNORE on the (time, event-id) key for exactly-once, and the
 * per-transaction rollup and coverage aggregates.
 */
#define _GNU_SOURCE
#include "sqlite_int.h"

#include "common/hash.h"
#include "common/fingerprint.h"
#include "common/mem.h"
#include "common/ttime.h"

#include <stdlib.h>
#include <string.h>

/* ---- accumulators ------------------------------------------------------ */

static void acc_init(acc_table *t, size_t size)
{
    store_fpmap_init(&t->idx);
    t->items = NULL;
    t->n = t->cap = 0;
    t->size = size;
}

static void acc_clear(acc_table *t)
{
    store_fpmap_clear(&t->idx);
    t->n = 0;
}

static void acc_free(acc_table *t)
{
    store_fpmap_free(&t->idx);
    free(t->items);
    t->items = NULL;
    t->n = t->cap = 0;
}

static void *acc_at(const acc_table *t, size_t i)
{
    return t->items + i * t->size;
}

/* The accumulator filed under key, appended zeroed when missing (*fresh
 * set then). */
static void *acc_slot(acc_table *t, const void *key, size_t keylen, int *fresh)
{
    store_fpmap_slot *slot = store_fpmap_put(&t->idx, tt_fp_of(key, keylen, 0), fresh);
    if (*fresh) {
        if (t->n == t->cap) {
            t->cap = t->cap ? t->cap * 2 : 256;
            t->items = tt_xrealloc(t->items, t->cap * t->size);
        }
        slot->v1 = (int64_t)t->n;
        memset(acc_at(t, t->n), 0, t->size);
        t->n++;
    }
    return acc_at(t, (size_t)slot->v1);
}

static tt_status prepare_all(sq_store *s, tt_error *err)
{
    tt_status st = TT_OK;
    if (!s->batch_registered) {
        st = sq_batch_register(s, err);
        if (st == TT_OK)
            st = sq_groups_register(s, err);
        s->batch_registered = st == TT_OK;
    }
    if (st == TT_OK)
        st = sq_prepare(s, &s->ins_event,
                           "INSERT OR IGNORE INTO event(t, eid, ident, shape, ip, ua, minted, obj, off, mh)"
                           " SELECT t, eid, ident, shape, ip, ua, minted, obj, off, mh FROM tt_batch",
                           err);
    if (st == TT_OK)
        st = sq_prepare(s, &s->ins_groups,
                           "INSERT INTO event_ident(ident, t, eid, more)"
                           " SELECT ident, t, eid, more FROM tt_groups",
                           err);
    if (st == TT_OK)
        st = sq_prepare(s, &s->find_event, "SELECT obj FROM event WHERE t = ?1 AND eid = ?2", err);
    if (st == TT_OK)
        st = sq_prepare(s, &s->upsert_object,
                  "INSERT INTO object(path, member, container, kind, size, mtime_ns, sha256, status,"
                  " reason, ingested_ms) VALUES(?,?,?,?,?,?,?,?,?,?)"
                  " ON CONFLICT(path, member) DO UPDATE SET container=excluded.container,"
                  " kind=excluded.kind, size=excluded.size, mtime_ns=excluded.mtime_ns,"
                  " sha256=excluded.sha256, status=excluded.status, reason=excluded.reason,"
                  " events=0, duplicates=0, first_ms=NULL, last_ms=NULL,"
                  " ingested_ms=excluded.ingested_ms RETURNING id",
                  err);
    if (st == TT_OK)
        st = sq_prepare(s, &s->finish_object,
                  "UPDATE object SET events=?, duplicates=?, first_ms=?, last_ms=? WHERE id=?", err);
    if (st == TT_OK)
        st = sq_prepare(s, &s->upsert_rollup,
                  "INSERT INTO usage_daily(principal, day, src, name, errclass, via, calls,"
                  " first_ms, last_ms, svc, req) VALUES(?,?,?,?,?,?,?,?,?,?,?)"
                  " ON CONFLICT DO UPDATE SET"
                  " calls=calls+excluded.calls, svc=svc+excluded.svc,"
                  " first_ms=min(first_ms, excluded.first_ms),"
                  " last_ms=max(last_ms, excluded.last_ms)",
                  err);
    if (st == TT_OK)
        st = sq_prepare(s, &s->upsert_cover,
                  "INSERT INTO coverage VALUES(?,?,?,?) ON CONFLICT DO UPDATE SET"
                  " events=events+excluded.events",
                  err);
    return st;
}

static tt_status load_writer(sq_store *s, tt_error *err)
{
    if (s->writer_ready)
        return TT_OK;
    acc_init(&s->rollup, sizeof(rollup_acc));
    acc_init(&s->cover, sizeof(cover_acc));
    s->writer_ready = 1;
    tt_status st = sq_dicts_open(s, err);
    if (st == TT_OK)
        st = prepare_all(s, err);
    return st;
}

void sq_writer_free(sq_store *s)
{
    sqlite3_stmt **sts[] = {&s->ins_event, &s->find_event, &s->ins_dict, &s->ins_principal,
                            &s->ins_identity, &s->ins_shape, &s->find_dict, &s->find_principal,
                            &s->find_identity, &s->find_shape, &s->upsert_object,
                            &s->finish_object, &s->upsert_rollup, &s->upsert_cover,
                            &s->ins_groups};
    for (size_t i = 0; i < sizeof sts / sizeof *sts; i++) {
        sqlite3_finalize(*sts[i]);
        *sts[i] = NULL;
    }
    if (!s->writer_ready)
        return;
    sq_dicts_free(s);
    acc_free(&s->rollup);
    acc_free(&s->cover);
    free(s->batch);
    s->batch = NULL;
    s->nbatch = s->abatch = 0;
    sq_groups_free(s);
    s->writer_ready = 0;
}

/* ---- aggregates --------------------------------------------------------- */

static void add_rollup(sq_store *s, const batch_row *r, int32_t day)
{
    const shape_info *sh = &r->sh;
    int64_t src = sh->src, name = sh->name, t = r->t;
    int errclass = sh->errclass;
    struct {
        int64_t p, src, name, req;
        int32_t day, ec, via, pad;
    } key = {r->principal, src, name, r->req, day, errclass, r->via, 0};
    int fresh;
    rollup_acc *a = acc_slot(&s->rollup, &key, sizeof key, &fresh);
    if (fresh)
        *a = (rollup_acc){r->principal, src, name, r->req, day, errclass, r->via, 0, 0, t, t};
    a->calls++;
    a->svc += sh->svc;
    if (t < a->first_ms)
        a->first_ms = t;
    if (t > a->last_ms)
        a->last_ms = t;
}

static void add_cover(sq_store *s, int64_t account, int64_t region, int32_t day)
{
    struct {
        int64_t account, region;
        int32_t day, pad;
    } key = {account, region, day, 0};
    int fresh;
    cover_acc *c = acc_slot(&s->cover, &key, sizeof key, &fresh);
    if (fresh)
        *c = (cover_acc){account, region, day, 0};
    c->events++;
}

tt_status sq_flush_aggregates(sq_store *s, tt_error *err)
{
    if (!s->writer_ready)
        return TT_OK;
    for (size_t i = 0; i < s->rollup.n; i++) {
        const rollup_acc *a = acc_at(&s->rollup, i);
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
        sqlite3_bind_int64(q, 10, a->svc);
        sqlite3_bind_int64(q, 11, a->req);
        tt_status st = sq_step_done(s, q, "updating the usage rollup", err);
        if (st != TT_OK)
            return st;
    }
    for (size_t i = 0; i < s->cover.n; i++) {
        const cover_acc *c = acc_at(&s->cover, i);
        sqlite3_stmt *q = s->upsert_cover;
        sqlite3_bind_int64(q, 1, c->account);
        sqlite3_bind_int64(q, 2, c->region);
        sqlite3_bind_int(q, 3, c->day);
        sqlite3_bind_int64(q, 4, c->events);
        tt_status st = sq_step_done(s, q, "updating coverage", err);
        if (st != TT_OK)
            return st;
    }
    acc_clear(&s->rollup);
    acc_clear(&s->cover);
    return TT_OK;
}

/* ---- events ------------------------------------------------------------- */

/* Resolves one event's strings to ids and fills its row (row i of rows):
 * a value seen earlier in the object (fp->first, see fingerprint.h) is
 * copied from that row, the rest are looked up. */
static tt_status resolve(sq_store *s, const tt_event *ev, const tt_event_fp *fp, int64_t obj,
                         batch_row *rows, size_t i, tt_error *err)
{
    batch_row *r = &rows[i];
    const shape_info *sh = NULL;
    tt_status st = TT_OK;
    if (fp->first.identity < i) {
        r->ident = rows[fp->first.identity].ident;
        r->principal = rows[fp->first.identity].principal;
    } else {
        st = sq_identity_id(s, ev, fp->identity, &r->ident, &r->principal, err);
    }
    if (st == TT_OK && fp->first.shape < i) {
        r->shape = rows[fp->first.shape].shape;
        r->sh = rows[fp->first.shape].sh;
    } else if (st == TT_OK) {
        st = sq_shape_id(s, ev, fp->shape, &sh, &r->shape, err);
        if (st == TT_OK)
            r->sh = *sh;
    }
    if (st == TT_OK && fp->first.ip < i)
        r->ip = rows[fp->first.ip].ip;
    else if (st == TT_OK && !sq_ipv4_encode(ev->source_ip.p, ev->source_ip.n, &r->ip))
        st = sq_dict_id(s, ev->source_ip, fp->ip, &r->ip, err);
    if (st == TT_OK && fp->first.ua < i)
        r->ua = rows[fp->first.ua].ua;
    else if (st == TT_OK)
        st = sq_dict_id(s, ev->user_agent, fp->ua, &r->ua, err);
    if (st == TT_OK && fp->first.request < i)
        r->req = rows[fp->first.request].req;
    else if (st == TT_OK)
        st = sq_dict_id(s, ev->request_shape, fp->request, &r->req, err);
    r->minted = ev->minted_key;
    r->mh = ev->minted_key.n ? sq_key_hash(tt_fp_str(ev->minted_key)) : 0;
    r->t = ev->time_ms;
    r->eid = fp->key;
    r->obj = obj;
    r->off = (int64_t)ev->raw_off;
    r->via = ev->id_invoked_by.n > 0;
    r->added = 0;
    return st;
}

/* When an object was only partly new: which of its rows this statement
 * stored. A stored row carries this object's id; of two rows with the same
 * key inside the object, only the first was stored. */
static tt_status sort_out_partial(sq_store *s, int64_t obj, tt_error *err)
{
    store_fpmap seen;
    store_fpmap_init(&seen);
    tt_status st = TT_OK;
    for (size_t i = 0; i < s->nbatch && st == TT_OK; i++) {
        batch_row *r = &s->batch[i];
        sqlite3_bind_int64(s->find_event, 1, r->t);
        sqlite3_bind_int64(s->find_event, 2, r->eid);
        int rc = sqlite3_step(s->find_event);
        int64_t owner = rc == SQLITE_ROW ? sqlite3_column_int64(s->find_event, 0) : -1;
        sqlite3_reset(s->find_event);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            st = sq_fail(s, "checking an event", err);
            break;
        }
        int fresh;
        store_fpmap_put(&seen, (tt_fp){(uint64_t)r->t, (uint64_t)r->eid | 1}, &fresh);
        r->added = owner == obj && fresh;
    }
    store_fpmap_free(&seen);
    return st;
}

/* Stores the rows in s->batch in one statement and marks which were new. */
static tt_status insert_batch(sq_store *s, int64_t obj, tt_error *err)
{
    int rc = sqlite3_step(s->ins_event);
    sqlite3_reset(s->ins_event);
    if (rc != SQLITE_DONE)
        return sq_fail(s, "adding events", err);
    size_t changed = (size_t)sqlite3_changes(s->db);
    if (changed == 0 || changed == s->nbatch) {
        for (size_t i = 0; i < s->nbatch; i++)
            s->batch[i].added = changed != 0;
        return TT_OK;
    }
    return sort_out_partial(s, obj, err);
}

/* The rollup and coverage of the rows just stored. */
static tt_status aggregate(sq_store *s, const tt_event *evs, int64_t fallback_account, tt_error *err)
{
    tt_status st = TT_OK;
    for (size_t i = 0; i < s->nbatch && st == TT_OK; i++) {
        const batch_row *r = &s->batch[i];
        if (!r->added)
            continue;
        const shape_info *sh = &r->sh;
        int32_t day = tt_day_of(r->t);
        add_rollup(s, r, day);
        int64_t acct = sh->recipient ? sh->recipient : fallback_account;
        if (!acct)
            st = sq_dict_id(s, evs[i].id_account, tt_fp_str(evs[i].id_account), &acct, err);
        add_cover(s, acct, sh->region, day);
    }
    return st;
}

static tt_status upsert_object(sq_store *s, const store_object *o, int64_t *id, tt_error *err)
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
    sqlite3_bind_text(q, 8, store_obj_status_name(o->status), -1, SQLITE_STATIC);
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
    return rc == SQLITE_DONE ? TT_OK : sq_fail(s, "recording an object", err);
}

static tt_status finish_object(sq_store *s, int64_t id, int64_t added, int64_t dups, int64_t first,
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
    return rc == SQLITE_DONE ? TT_OK : sq_fail(s, "recording an object", err);
}

static tt_status add_events(sq_store *s, int64_t obj, const tt_event *evs, const tt_event_fp *fps,
                            size_t n, int64_t fallback_account,
                            store_add_counts *c, tt_error *err)
{
    int64_t first = INT64_MAX, last = INT64_MIN;
    tt_status st = TT_OK;
    batch_row *rows = sq_batch_reserve(s, n);
    for (size_t i = 0; i < n && st == TT_OK; i++) {
        tt_event_fp own;
        if (!fps)
            tt_event_fingerprint(&evs[i], NULL, &own);
        st = resolve(s, &evs[i], fps ? &fps[i] : &own, obj, rows, i, err);
        s->nbatch = i + 1;
        if (evs[i].time_ms < first)
            first = evs[i].time_ms;
        if (evs[i].time_ms > last)
            last = evs[i].time_ms;
    }
    if (st == TT_OK)
        st = insert_batch(s, obj, err);
    if (st == TT_OK)
        st = sq_groups_add(s, fps, err);
    if (st == TT_OK)
        st = aggregate(s, evs, fallback_account, err);
    for (size_t i = 0; i < s->nbatch; i++)
        s->batch[i].added ? c->added++ : c->duplicates++;
    s->nbatch = 0;
    if (st == TT_OK)
        st = finish_object(s, obj, c->added, c->duplicates, first, last, err);
    return st;
}

/* Also once it has its share of the WAL's bound (sq_txn_wal_full): the WAL
 * cannot start over (sq_begin) while a transaction is open. */
static int txn_full(sq_store *s)
{
    return s->txn_events >= STORE_TXN_EVENTS || s->txn_objects >= STORE_TXN_OBJECTS ||
           tt_now_ms() - s->txn_start_ms >= STORE_TXN_MS || sq_txn_wal_full(s);
}

static void abandon(sq_store *s)
{
    /* A failed statement leaves the transaction in an unknown state: roll
     * it back whole and forget the ids the maps handed out. */
    if (s->in_txn)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->in_txn = 0;
    sq_writer_free(s);
}

tt_status sq_add_object(sq_store *s, const store_object *o, const tt_event *evs,
                           const tt_event_fp *fps, size_t n,
                           store_add_counts *counts, tt_error *err)
{
    store_add_counts c = {0, 0};
    int64_t obj = 0, account = 0;
    tt_status st = load_writer(s, err);
    if (st == TT_OK && o->account && *o->account)
        st = sq_dict_id(s, (tt_str){o->account, (uint32_t)strlen(o->account)},
                           tt_fp_str((tt_str){o->account, (uint32_t)strlen(o->account)}), &account,
                           err);
    if (st == TT_OK)
        st = sq_begin(s, err);
    if (st == TT_OK)
        st = upsert_object(s, o, &obj, err);
    if (st == TT_OK && n)
        st = add_events(s, obj, evs, fps, n, account, &c, err);
    if (st != TT_OK) {
        abandon(s);
        return st;
    }
    if (counts)
        *counts = c;
    s->txn_events += (int64_t)n;
    s->txn_objects++;
    if (txn_full(s))
        st = sq_commit(s, err);
    return st;
}

tt_status sq_note_change(sq_store *s, const char *path, const char *member,
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
        st = sq_begin(s, err);
    if (st != TT_OK)
        return st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
        return sq_fail(s, "recording a change", err);
    sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, member, -1, SQLITE_STATIC);
    sqlite3_bind_blob(q, 3, new_sha256, 32, SQLITE_STATIC);
    sqlite3_bind_int64(q, 4, size);
    sqlite3_bind_int64(q, 5, tt_now_ms());
    if (sqlite3_step(q) != SQLITE_DONE)
        st = sq_fail(s, "recording a change", err);
    sqlite3_finalize(q);
    return st;
}

tt_status sq_touch_object(sq_store *s, const char *path, const char *member,
                             int64_t mtime_ns, tt_error *err)
{
    sqlite3_stmt *q = NULL;
    tt_status st = load_writer(s, err);
    if (st == TT_OK)
        st = sq_begin(s, err);
    if (st != TT_OK)
        return st;
    if (sqlite3_prepare_v2(s->db, "UPDATE object SET mtime_ns=? WHERE path=? AND member=?", -1, &q,
                           NULL) != SQLITE_OK)
        return sq_fail(s, "updating an object", err);
    sqlite3_bind_int64(q, 1, mtime_ns);
    sqlite3_bind_text(q, 2, path, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, member, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_DONE)
        st = sq_fail(s, "updating an object", err);
    sqlite3_finalize(q);
    return st;
}
