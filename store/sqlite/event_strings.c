/*
 * event_strings.c - the strings behind an event row's ids, for the reads
 * that hand out whole events (store_each_event). The ids of one search
 * repeat (a key's events share a handful of identities, shapes, addresses
 * and objects), so each is looked up once and kept in a map for the rest of
 * the search, instead of joining a dozen tables for every row.
 */
#include "event_strings.h"

#include "common/mem.h"

#include <stdlib.h>
#include <string.h>

enum { K_IDENT = 1, K_SHAPE, K_DICT, K_OBJ, K_KINDS };
#define EVS_FIELDS 7         /* the most strings one kind keeps */
#define EVS_MAX_ENTRIES 65536 /* then the map starts again */

typedef struct evs_entry {
    char *blob;                    /* the strings, back to back */
    const char *f[EVS_FIELDS];
    int num;                       /* shape flags */
    int has_sha;
    uint8_t sha[32];
} evs_entry;

struct sq_ev_strings {
    sq_store *s;
    sqlite3_stmt *q[K_KINDS];
    store_fpmap map;                     /* (id, kind) -> index in entries */
    evs_entry *entries;
    size_t n, cap;
    char ip[SQ_IPV4_TEXT]; /* an IPv4 source kept in the row, as text */
};

static const char *const load_sql[K_KINDS] = {
    [K_IDENT] = "SELECT i.access_key, pa.v, " SQ_ARN_SQL("i", "ah") ", ac.v, it.v, i.session_name,"
                " un.v FROM identity i JOIN principal p ON p.id = i.principal"
                " LEFT JOIN dict ah ON ah.id = i.arn_head"
                " JOIN dict pa ON pa.id = p.arn LEFT JOIN dict ac ON ac.id = i.account"
                " LEFT JOIN dict it ON it.id = i.type LEFT JOIN dict un ON un.id = i.user_name"
                " WHERE i.id = ?",
    [K_SHAPE] = "SELECT s.v, n.v, r.v, er.v, sh.flags FROM shape sh"
                " LEFT JOIN dict s ON s.id = sh.src LEFT JOIN dict n ON n.id = sh.name"
                " LEFT JOIN dict r ON r.id = sh.region LEFT JOIN dict er ON er.id = sh.err"
                " WHERE sh.id = ?",
    [K_DICT] = "SELECT v FROM dict WHERE id = ?",
    [K_OBJ] = "SELECT path, member, sha256 FROM object WHERE id = ?",
};
static const int nstrings[K_KINDS] = {[K_IDENT] = 7, [K_SHAPE] = 4, [K_DICT] = 1, [K_OBJ] = 2};

tt_status sq_ev_strings_open(sq_ev_strings **out, sq_store *s, tt_error *err)
{
    sq_ev_strings *c = tt_xcalloc(1, sizeof *c);
    c->s = s;
    store_fpmap_init(&c->map);
    *out = c;
    for (int k = K_IDENT; k < K_KINDS; k++)
        if (sqlite3_prepare_v2(s->db, load_sql[k], -1, &c->q[k], NULL) != SQLITE_OK)
            return sq_fail(s, "reading an event's strings", err);
    return TT_OK;
}

static void clear(sq_ev_strings *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->entries[i].blob);
    c->n = 0;
    store_fpmap_clear(&c->map);
}

void sq_ev_strings_close(sq_ev_strings *c)
{
    if (!c)
        return;
    clear(c);
    free(c->entries);
    store_fpmap_free(&c->map);
    for (int k = K_IDENT; k < K_KINDS; k++)
        sqlite3_finalize(c->q[k]);
    free(c);
}

/* Copies the row's strings (NULL as "") into e. */
static void keep_row(evs_entry *e, sqlite3_stmt *q, int n)
{
    size_t len[EVS_FIELDS], total = 0;
    for (int i = 0; i < n; i++)
        total += (len[i] = (size_t)sqlite3_column_bytes(q, i)) + 1;
    char *p = e->blob = tt_xmalloc(total ? total : 1);
    for (int i = 0; i < n; i++) {
        const unsigned char *v = sqlite3_column_text(q, i);
        memcpy(p, v ? (const char *)v : "", len[i]);
        p[len[i]] = '\0';
        e->f[i] = p;
        p += len[i] + 1;
    }
}

/* The entry of (kind, id), loaded on first use; NULL when the row is
 * gone (the caller then reads ""). */
static const evs_entry *entry(sq_ev_strings *c, int kind, int64_t id, tt_status *st, tt_error *err)
{
    fp128 key = {(uint64_t)id, (uint64_t)kind};
    const store_fpmap_slot *slot = store_fpmap_get(&c->map, key);
    if (slot)
        return slot->v2 ? &c->entries[slot->v1] : NULL;
    if (c->n >= EVS_MAX_ENTRIES)
        clear(c);
    sqlite3_stmt *q = c->q[kind];
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    int fresh;
    store_fpmap_slot *put = store_fpmap_put(&c->map, key, &fresh);
    put->v2 = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW) {
        if (c->n == c->cap) {
            c->cap = c->cap ? c->cap * 2 : 256;
            c->entries = tt_xrealloc(c->entries, c->cap * sizeof *c->entries);
        }
        evs_entry *e = &c->entries[c->n];
        memset(e, 0, sizeof *e);
        keep_row(e, q, nstrings[kind]);
        if (kind == K_SHAPE)
            e->num = sqlite3_column_int(q, 4);
        if (kind == K_OBJ && sqlite3_column_bytes(q, 2) == 32) {
            memcpy(e->sha, sqlite3_column_blob(q, 2), 32);
            e->has_sha = 1;
        }
        put->v1 = (int64_t)c->n++;
    } else if (rc != SQLITE_DONE) {
        *st = sq_fail(c->s, "reading an event's strings", err);
    }
    sqlite3_reset(q);
    return put->v2 ? &c->entries[put->v1] : NULL;
}

static const char *field(const evs_entry *e, int i)
{
    return e ? e->f[i] : "";
}

tt_status sq_ev_strings_fill(sq_ev_strings *c, const int64_t ids[EVS_IDS], store_fevent *ev,
                          tt_error *err)
{
    tt_status st = TT_OK;
    const evs_entry *id = entry(c, K_IDENT, ids[EVS_IDENT], &st, err);
    ev->access_key = field(id, 0);
    ev->principal = field(id, 1);
    ev->arn = field(id, 2);
    ev->account = field(id, 3);
    ev->identity_type = field(id, 4);
    ev->session_name = field(id, 5);
    ev->user_name = field(id, 6);
    const evs_entry *sh = entry(c, K_SHAPE, ids[EVS_SHAPE], &st, err);
    ev->source = field(sh, 0);
    ev->name = field(sh, 1);
    ev->region = field(sh, 2);
    ev->error = field(sh, 3);
    ev->read_only = sh ? sh->num & 3 : 0;
    if (ids[EVS_IP] < 0) {
        sq_ipv4_format(ids[EVS_IP], c->ip);
        ev->ip = c->ip;
    } else {
        ev->ip = field(ids[EVS_IP] ? entry(c, K_DICT, ids[EVS_IP], &st, err) : NULL, 0);
    }
    ev->ua = field(ids[EVS_UA] ? entry(c, K_DICT, ids[EVS_UA], &st, err) : NULL, 0);
    const evs_entry *o = entry(c, K_OBJ, ids[EVS_OBJ], &st, err);
    ev->path = field(o, 0);
    ev->member = field(o, 1);
    ev->sha256 = o && o->has_sha ? o->sha : NULL;
    return st;
}
