/*
 * ident_groups.c - event_ident, the way from an identity to its events:
 * one row per identity per object stored, not one per event.
 *
 * A row is (ident, t, eid, more): (t, eid) is the group's first event in
 * the event table's order, and `more` packs the others, each as the
 * varint of its t less the first's, then its eid as 8 bytes, little-endian
 * (NULL when the group has one event). A realistic trail has 3 to 4 events
 * per identity per object at high churn and more at the default churn
 * (bench/README.md), so the writer's b-tree takes a fourth of the inserts
 * that an index entry per event (event_ident(ident, t), schema 7) took:
 * that index was 6.6% of a 1M-event ingest's time, the table costs about
 * a third of that.
 *
 * The writer groups an object's stored rows by the links the workers made
 * (fingerprint.h: first.identity) and inserts them in one statement through
 * the tt_groups table (batch.c's sq_rows_register, as for the events).
 * Readers take an identity's events in time order through the table-valued
 * function tt_ident_events (ident_events.c), which decodes the groups with
 * sq_group_take.
 */
#include "sqlite_int.h"

#include "common/mem.h"

#include <stdlib.h>

/* ---- packing ------------------------------------------------------------- */

static size_t put_varint(uint8_t *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (uint8_t)v;
    return n;
}

static void put_u64le(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* The most bytes one packed event takes: a 64-bit varint and the eid. */
#define PACKED_MAX (10 + 8)

int sq_group_take(const uint8_t **p, const uint8_t *end, uint64_t *dt, int64_t *eid)
{
    const uint8_t *q = *p;
    uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
        if (q == end || shift > 63)
            return -1;
        uint8_t b = *q++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            break;
    }
    if (end - q < 8)
        return -1;
    uint64_t e = 0;
    for (int i = 0; i < 8; i++)
        e |= (uint64_t)q[i] << (8 * i);
    *dt = v;
    *eid = (int64_t)e;
    *p = q + 8;
    return 0;
}

/* ---- the writer: an object's groups --------------------------------------- */

static int row_before(const batch_row *a, const batch_row *b)
{
    return a->t < b->t || (a->t == b->t && a->eid < b->eid);
}

/* Grows the writer's group scratch for n rows. */
static void groups_reserve(sq_store *s, size_t n)
{
    if (n > s->agroup_rows) {
        s->agroup_rows = n;
        s->group_link = tt_xrealloc(s->group_link, 3 * n * sizeof *s->group_link);
        s->groups = tt_xrealloc(s->groups, n * sizeof *s->groups);
    }
    if (n * PACKED_MAX > s->agroup_bytes) {
        s->agroup_bytes = n * PACKED_MAX;
        s->group_bytes = tt_xrealloc(s->group_bytes, s->agroup_bytes);
    }
}

/* Fills s->groups from the rows of s->batch this statement stored: rows
 * whose identity the workers linked (fps[i].first.identity) share a group;
 * without fps each row is a group of its own. */
static void groups_make(sq_store *s, const tt_event_fp *fps)
{
    size_t n = s->nbatch, used = 0;
    groups_reserve(s, n);
    int32_t *head = s->group_link, *tail = head + n, *next = tail + n;
    for (size_t i = 0; i < n; i++)
        head[i] = tail[i] = next[i] = -1;
    for (size_t i = 0; i < n; i++) {
        if (!s->batch[i].added)
            continue;
        size_t lead = fps && fps[i].first.identity < i ? fps[i].first.identity : i;
        if (tail[lead] < 0)
            head[lead] = (int32_t)i;
        else
            next[tail[lead]] = (int32_t)i;
        tail[lead] = (int32_t)i;
    }
    s->ngroups = 0;
    for (size_t lead = 0; lead < n; lead++) {
        if (head[lead] < 0)
            continue;
        int32_t first = head[lead];
        for (int32_t j = next[first]; j >= 0; j = next[j])
            if (row_before(&s->batch[j], &s->batch[first]))
                first = j;
        const batch_row *f = &s->batch[first];
        ident_group *g = &s->groups[s->ngroups++];
        *g = (ident_group){f->ident, f->t, f->eid, used, 0};
        for (int32_t j = head[lead]; j >= 0; j = next[j]) {
            if (j == first)
                continue;
            used += put_varint(s->group_bytes + used, (uint64_t)(s->batch[j].t - f->t));
            put_u64le(s->group_bytes + used, (uint64_t)s->batch[j].eid);
            used += 8;
        }
        g->len = used - g->off;
    }
}

tt_status sq_groups_add(sq_store *s, const tt_event_fp *fps, tt_error *err)
{
    groups_make(s, fps);
    if (s->ngroups == 0)
        return TT_OK;
    int rc = sqlite3_step(s->ins_groups);
    sqlite3_reset(s->ins_groups);
    return rc == SQLITE_DONE ? TT_OK : sq_fail(s, "adding events by identity", err);
}

void sq_groups_free(sq_store *s)
{
    free(s->group_link);
    free(s->groups);
    free(s->group_bytes);
    s->group_link = NULL;
    s->groups = NULL;
    s->group_bytes = NULL;
    s->agroup_rows = s->agroup_bytes = s->ngroups = 0;
}

/* ---- tt_groups: the groups as a table, for one INSERT ---------------------- */

static size_t groups_count(const sq_store *s)
{
    return s->ngroups;
}

static void groups_column(const sq_store *s, size_t row, sqlite3_context *ctx, int col)
{
    const ident_group *g = &s->groups[row];
    switch (col) {
    case 0: sqlite3_result_int64(ctx, g->ident); break;
    case 1: sqlite3_result_int64(ctx, g->t); break;
    case 2: sqlite3_result_int64(ctx, g->eid); break;
    default:
        if (g->len)
            sqlite3_result_blob(ctx, s->group_bytes + g->off, (int)g->len, SQLITE_STATIC);
        else
            sqlite3_result_null(ctx);
    }
}

tt_status sq_groups_register(sq_store *s, tt_error *err)
{
    static const sq_rows_source src = {"CREATE TABLE x(ident, t, eid, more)", groups_count,
                                       groups_column};
    return sq_rows_register(s, "tt_groups", &src, err);
}
