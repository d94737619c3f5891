/*
 * ident_events.c - tt_ident_events(ident, since, until): one identity's
 * events in (t, eid) order, streamed from its event_ident rows
 * (ident_groups.c), so that a key's events need no sort and a LIMIT reads
 * no more groups than it needs.
 *
 * The rows come in key order, (ident, t, eid), where (t, eid) is a
 * group's first event; a group's events are otherwise in any order and
 * two groups' times may interleave (objects of one identity that overlap
 * in time). Each group read is sorted (groups are small: 3 to 4 events on
 * average) and kept in a heap by its next event; the heap's least event
 * goes out once no unread group can begin before it. What is held is the
 * groups open at once, not the identity's events.
 */
#include "sqlite_int.h"

#include <stdlib.h>
#include <string.h>

enum { E_T, E_EID, E_IDENT, E_SINCE, E_UNTIL };

typedef struct ev_key {
    int64_t t, eid;
} ev_key;

/* One group's events, sorted, and the next one to hand out. */
typedef struct group_run {
    ev_key *ev;
    size_t n, at;
} group_run;

typedef struct ie_vtab {
    sqlite3_vtab base;
    sqlite3 *db;
} ie_vtab;

typedef struct ie_cursor {
    sqlite3_vtab_cursor base;
    sqlite3_stmt *rows; /* the identity's event_ident rows before `until` */
    int have_row;       /* rows is on a row not yet read into the heap */
    group_run *heap;
    size_t nheap, aheap;
    int64_t since, until, rowid;
    ev_key cur;
    int eof;
} ie_cursor;

static int key_less(ev_key a, ev_key b)
{
    return a.t < b.t || (a.t == b.t && a.eid < b.eid);
}

static int cmp_key(const void *a, const void *b)
{
    ev_key x = *(const ev_key *)a, y = *(const ev_key *)b;
    return key_less(x, y) ? -1 : key_less(y, x) ? 1 : 0;
}

static ev_key run_head(const group_run *r)
{
    return r->ev[r->at];
}

static void sift_down(ie_cursor *c, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < c->nheap && key_less(run_head(&c->heap[l]), run_head(&c->heap[m])))
            m = l;
        if (l + 1 < c->nheap && key_less(run_head(&c->heap[l + 1]), run_head(&c->heap[m])))
            m = l + 1;
        if (m == i)
            return;
        group_run t = c->heap[i];
        c->heap[i] = c->heap[m];
        c->heap[m] = t;
        i = m;
    }
}

static void sift_up(ie_cursor *c, size_t i)
{
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!key_less(run_head(&c->heap[i]), run_head(&c->heap[p])))
            return;
        group_run t = c->heap[i];
        c->heap[i] = c->heap[p];
        c->heap[p] = t;
        i = p;
    }
}

static void heap_clear(ie_cursor *c)
{
    for (size_t i = 0; i < c->nheap; i++)
        sqlite3_free(c->heap[i].ev);
    c->nheap = 0;
}

static int fail(ie_cursor *c, int rc, const char *msg)
{
    sqlite3_vtab *v = c->base.pVtab;
    sqlite3_free(v->zErrMsg);
    v->zErrMsg = sqlite3_mprintf("%s", msg);
    return rc;
}

/* Reads the row rows is on into the heap as a sorted run, and steps. */
static int load_row(ie_cursor *c)
{
    ev_key first = {sqlite3_column_int64(c->rows, 0), sqlite3_column_int64(c->rows, 1)};
    const uint8_t *p = sqlite3_column_blob(c->rows, 2);
    const uint8_t *end = p ? p + sqlite3_column_bytes(c->rows, 2) : NULL;
    size_t most = 1 + (size_t)(end - p) / 9; /* a packed event takes at least 9 bytes */
    group_run r = {sqlite3_malloc64(most * sizeof(ev_key)), 0, 0};
    if (!r.ev)
        return SQLITE_NOMEM;
    r.ev[r.n++] = first;
    while (p != end) {
        uint64_t dt;
        int64_t eid;
        if (sq_group_take(&p, end, &dt, &eid) != 0 || dt > (uint64_t)INT64_MAX ||
            (first.t > 0 && (int64_t)dt > INT64_MAX - first.t)) {
            sqlite3_free(r.ev);
            return fail(c, SQLITE_CORRUPT_VTAB, "event_ident: a malformed group of events");
        }
        r.ev[r.n++] = (ev_key){first.t + (int64_t)dt, eid};
    }
    qsort(r.ev, r.n, sizeof *r.ev, cmp_key);
    if (c->nheap == c->aheap) {
        size_t a = c->aheap ? c->aheap * 2 : 16;
        group_run *h = sqlite3_realloc64(c->heap, a * sizeof *h);
        if (!h) {
            sqlite3_free(r.ev);
            return SQLITE_NOMEM;
        }
        c->heap = h;
        c->aheap = a;
    }
    c->heap[c->nheap++] = r;
    sift_up(c, c->nheap - 1);
    int rc = sqlite3_step(c->rows);
    c->have_row = rc == SQLITE_ROW;
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* The next event in [since, until), or eof. */
static int advance(ie_cursor *c)
{
    for (;;) {
        /* Every group that begins before the heap's least event is in. */
        while (c->have_row &&
               (c->nheap == 0 ||
                !key_less(run_head(&c->heap[0]), (ev_key){sqlite3_column_int64(c->rows, 0),
                                                          sqlite3_column_int64(c->rows, 1)}))) {
            int rc = load_row(c);
            if (rc != SQLITE_OK)
                return rc;
        }
        if (c->nheap == 0) {
            c->eof = 1;
            return SQLITE_OK;
        }
        group_run *top = &c->heap[0];
        ev_key e = top->ev[top->at++];
        if (top->at == top->n) {
            sqlite3_free(top->ev);
            c->heap[0] = c->heap[--c->nheap];
        }
        if (c->nheap)
            sift_down(c, 0);
        if (e.t >= c->until) { /* in order: nothing after it is in the window */
            c->eof = 1;
            return SQLITE_OK;
        }
        if (e.t >= c->since) {
            c->cur = e;
            c->rowid++;
            return SQLITE_OK;
        }
    }
}

static int ie_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                      sqlite3_vtab **out, char **errmsg)
{
    int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(t, eid, ident HIDDEN, since HIDDEN,"
                                      " until HIDDEN)");
    if (rc != SQLITE_OK)
        return rc;
    ie_vtab *v = sqlite3_malloc(sizeof *v);
    if (!v)
        return SQLITE_NOMEM;
    memset(v, 0, sizeof *v);
    v->db = db;
    *out = &v->base;
    return SQLITE_OK;
}

static int ie_disconnect(sqlite3_vtab *vt)
{
    sqlite3_free(vt);
    return SQLITE_OK;
}

/* The three arguments are needed, as equalities. The rows come in (t, eid)
 * order, so an ORDER BY t, eid (ascending) is consumed. */
static int ie_best_index(sqlite3_vtab *vt, sqlite3_index_info *info)
{
    int have = 0;
    for (int i = 0; i < info->nConstraint; i++) {
        const struct sqlite3_index_constraint *c = &info->aConstraint[i];
        if (c->iColumn < E_IDENT || c->op != SQLITE_INDEX_CONSTRAINT_EQ)
            continue;
        if (!c->usable)
            return SQLITE_CONSTRAINT;
        info->aConstraintUsage[i].argvIndex = c->iColumn - E_IDENT + 1;
        info->aConstraintUsage[i].omit = 1;
        have |= 1 << (c->iColumn - E_IDENT);
    }
    if (have != 7)
        return SQLITE_CONSTRAINT;
    int ordered = info->nOrderBy >= 1 && info->nOrderBy <= 2;
    for (int i = 0; i < info->nOrderBy && ordered; i++)
        ordered = info->aOrderBy[i].iColumn == (i == 0 ? E_T : E_EID) && !info->aOrderBy[i].desc;
    info->orderByConsumed = ordered;
    info->estimatedCost = 100;
    info->estimatedRows = 1000;
    return SQLITE_OK;
}

static int ie_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
    ie_cursor *c = sqlite3_malloc(sizeof *c);
    if (!c)
        return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    *out = &c->base;
    return SQLITE_OK;
}

static int ie_close(sqlite3_vtab_cursor *cur)
{
    ie_cursor *c = (ie_cursor *)cur;
    heap_clear(c);
    sqlite3_free(c->heap);
    sqlite3_finalize(c->rows);
    sqlite3_free(c);
    return SQLITE_OK;
}

static int ie_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxstr, int argc,
                     sqlite3_value **argv)
{
    ie_cursor *c = (ie_cursor *)cur;
    heap_clear(c);
    c->eof = 0;
    c->rowid = 0;
    c->since = sqlite3_value_int64(argv[1]);
    c->until = sqlite3_value_int64(argv[2]);
    if (!c->rows) {
        sqlite3 *db = ((ie_vtab *)cur->pVtab)->db;
        int rc = sqlite3_prepare_v2(db, "SELECT t, eid, more FROM event_ident WHERE ident = ?1"
                                        " AND t < ?2 ORDER BY t, eid", -1, &c->rows, NULL);
        if (rc != SQLITE_OK)
            return fail(c, rc, sqlite3_errmsg(db));
    }
    sqlite3_reset(c->rows);
    sqlite3_bind_int64(c->rows, 1, sqlite3_value_int64(argv[0]));
    sqlite3_bind_int64(c->rows, 2, c->until);
    int rc = sqlite3_step(c->rows);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return rc;
    c->have_row = rc == SQLITE_ROW;
    return advance(c);
}

static int ie_next(sqlite3_vtab_cursor *cur)
{
    return advance((ie_cursor *)cur);
}

static int ie_eof(sqlite3_vtab_cursor *cur)
{
    return ((ie_cursor *)cur)->eof;
}

static int ie_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
    const ie_cursor *c = (const ie_cursor *)cur;
    sqlite3_result_int64(ctx, col == E_T ? c->cur.t : col == E_EID ? c->cur.eid : 0);
    return SQLITE_OK;
}

static int ie_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
    *rowid = ((ie_cursor *)cur)->rowid;
    return SQLITE_OK;
}

static const sqlite3_module ident_events_module = {
    .iVersion = 0,
    .xCreate = NULL, /* eponymous only: a table-valued function */
    .xConnect = ie_connect,
    .xBestIndex = ie_best_index,
    .xDisconnect = ie_disconnect,
    .xOpen = ie_open,
    .xClose = ie_close,
    .xFilter = ie_filter,
    .xNext = ie_next,
    .xEof = ie_eof,
    .xColumn = ie_column,
    .xRowid = ie_rowid,
};

tt_status sq_ident_events_register(sq_store *s, tt_error *err)
{
    if (sqlite3_create_module(s->db, "tt_ident_events", &ident_events_module, NULL) != SQLITE_OK)
        return sq_fail(s, "registering tt_ident_events", err);
    return TT_OK;
}
