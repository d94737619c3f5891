/*
 * gc_gen.c - the generation loop: walks the planned objects in time order,
 * fills each with time-ordered records (minting sessions when a principal's
 * instance, container or person needs fresh credentials), counts distinct
 * identity tuples, and hands the object to gc_out for the account trail,
 * the organization trail, or both (the duplicates).
 */
#include "gc_run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct gen {
    gc_world *w;
    gc_rng *r;
    gc_out *o;
    gc_parts pp;
    gc_buf obj;
    size_t *ends;          /* end offset of each record in obj */
    int64_t *times;        /* eventTime of each record */
    size_t ends_cap;
    uint32_t *sec;         /* events per second of the window */
    uint64_t *groups;      /* open-addressing set of group hashes */
    size_t groups_cap;
    uint64_t *ids;         /* open-addressing set of identity tuple hashes */
    size_t ids_cap;
    int64_t oldest, newest; /* event times of the current object */
} gen;

static int version_for(int64_t t, const gc_action *a)
{
    int d = gc_days_before_end(t);
    int v = d >= 98 ? V10 : d >= 90 ? V102 : d >= 75 ? V105 : d >= 45 ? V108
          : d >= 15 ? V109 : V110;
    if ((a->flags & F_DATA) && v < V105)
        v = V105;
    return v;
}

/* ---- distinct (principal, source, name) groups ------------------------ */

static uint64_t fnv(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return (h ^ 0xff) * 0x100000001b3ULL;
}

static void group_add(gen *g, gc_stats *st, const gc_ev *e)
{
    uint64_t h = fnv(fnv(fnv(0xcbf29ce484222325ULL, e->gkey), e->a->src), e->gname);
    if (h == 0)
        h = 1;
    size_t i = (size_t)h & (g->groups_cap - 1);
    while (g->groups[i] && g->groups[i] != h)
        i = (i + 1) & (g->groups_cap - 1);
    if (!g->groups[i]) {
        g->groups[i] = h;
        st->groups++;
    }
}

/* ---- distinct identity tuples ----------------------------------------- */

static void ident_add(gen *g, gc_stats *st, uint64_t h)
{
    if (h == 0)
        h = 1;
    if ((st->identities + 1) * 2 > g->ids_cap) {
        size_t cap = g->ids_cap * 2;
        uint64_t *n = calloc(cap, sizeof *n);
        if (!n) {
            fprintf(stderr, "trailtrim-gencorpus: out of memory (identity set)\n");
            abort();
        }
        for (size_t i = 0; i < g->ids_cap; i++) {
            if (!g->ids[i])
                continue;
            size_t j = (size_t)g->ids[i] & (cap - 1);
            while (n[j])
                j = (j + 1) & (cap - 1);
            n[j] = g->ids[i];
        }
        free(g->ids);
        g->ids = n;
        g->ids_cap = cap;
    }
    size_t i = (size_t)h & (g->ids_cap - 1);
    while (g->ids[i] && g->ids[i] != h)
        i = (i + 1) & (g->ids_cap - 1);
    if (!g->ids[i]) {
        g->ids[i] = h;
        st->identities++;
    }
}

/* The principal whose ARN a group key is, or -1 ("?", an AWS service). */
static int owner_of(const gc_world *w, const char *key)
{
    uintptr_t lo = (uintptr_t)w->p, hi = (uintptr_t)(w->p + w->np), k = (uintptr_t)key;
    if (k < lo || k >= hi)
        return -1;
    return (int)((k - lo) / sizeof w->p[0]);
}

/* ---- sessions ----------------------------------------------------------
 * A principal's credentials live in slots (gc_slot): one per instance,
 * container, person or runner. A call picks a slot, the slot is copied into
 * the principal's session fields, and a new session is minted (an
 * AssumeRole... event) when the slot's has expired or its budget of calls
 * is spent: the budget, drawn with mean --churn, is the knob that sets how
 * many calls one temporary key makes. */

static gc_slot *slot_load(gen *g, gc_principal *p)
{
    int k = p->nslot > 1 ? (int)gc_below(g->r, (uint32_t)p->nslot) : 0;
    gc_slot *sl = &g->w->slot[p->slot0 + k];
    memcpy(p->skey, sl->skey, sizeof p->skey);
    memcpy(p->sname, sl->sname, sizeof p->sname);
    p->s_created = sl->s_created;
    p->s_expires = sl->s_expires;
    p->slot_ip = sl->ip;
    if (p->churn == CH_PERSON)
        memcpy(p->sess_label, sl->label, sizeof p->sess_label);
    return sl;
}

static void slot_store(const gc_principal *p, gc_slot *sl)
{
    memcpy(sl->skey, p->skey, sizeof sl->skey);
    memcpy(sl->sname, p->sname, sizeof sl->sname);
    sl->s_created = p->s_created;
    sl->s_expires = p->s_expires;
}

static int needs_session(const gc_principal *p, const gc_slot *sl, int64_t t)
{
    if (p->mint == MINT_NONE)
        return 0;
    return !p->skey[0] || t < p->s_created || t >= p->s_expires || sl->budget <= 0;
}

/* An address in a range AWS or a CI provider hands out (52.x, 20.x ...). */
static uint32_t cloud_ip(gc_rng *r)
{
    static const uint8_t first[] = {3, 13, 18, 20, 34, 35, 40, 44, 52, 54};
    return ((uint32_t)first[gc_below(r, sizeof first)] << 24) | (gc_below(r, 1u << 24) | 1u);
}

static void session_name(gen *g, gc_principal *p, gc_slot *sl, int64_t t)
{
    gc_buf b = {0};
    switch (p->churn) {
    case CH_INSTANCE:
        if (gc_chance(g->r, 0.05)) { /* the group replaced the instance */
            GC_LIT(&b, "i-0");
            gc_chars(&b, g->r, "0123456789abcdef", 16);
            memcpy(sl->label, b.p, b.n);
            sl->label[b.n] = '\0';
            b.n = 0;
        }
        gc_raw(&b, sl->label);
        break;
    case CH_CONTAINER:
    case CH_RUNNER:
        sl->ip = p->slot_ip = cloud_ip(g->r);
        gc_raw(&b, sl->label);
        break;
    case CH_TASK:
        sl->ip = p->slot_ip = cloud_ip(g->r);
        gc_hex(&b, g->r, 32);
        break;
    default:
        if (p->sess_label[0]) {
            gc_raw(&b, p->sess_label);
        } else if (p->svc) {
            gc_hex(&b, g->r, 32);
        } else if (p->type == PT_FEDERATED) {
            gc_raw(&b, p->name);
        } else {
            GC_LIT(&b, "botocore-session-");
            gc_u64(&b, (uint64_t)t);
        }
    }
    gc_putc(&b, '\0');
    memcpy(p->sname, b.p, b.n < sizeof p->sname ? b.n : sizeof p->sname - 1);
    p->sname[sizeof p->sname - 1] = '\0';
    gc_buf_free(&b);
}

static int64_t session_life(gen *g, const gc_principal *p)
{
    switch (p->churn) {
    case CH_INSTANCE: return 3600 + gc_below(g->r, 900);   /* hourly rotation */
    case CH_CONTAINER: return 300 + gc_below(g->r, 3300);  /* 5 to 60 minutes */
    case CH_TASK: return 900 + gc_below(g->r, 3 * 3600);
    case CH_RUNNER: return 300 + gc_below(g->r, 1500);
    case CH_PERSON: return 3600 + gc_below(g->r, 7 * 3600);
    default: break;
    }
    if (p->mint == MINT_CONSOLE || p->mint == MINT_SESSION_TOKEN || p->mint == MINT_FEDTOKEN)
        return 43200;
    return p->mint == MINT_SAML ? 4 * 3600 : 3600;
}

/* Calls the new session makes before it is replaced: exponential, mean
 * churn_mean times the principal's multiplier, at least 1. */
static int32_t session_budget(gen *g, const gc_principal *p)
{
    double mean = g->w->churn_mean * p->life_mult;
    if (mean <= 1)
        return 1;
    double x = -log(1.0 - gc_unit(g->r)) * (mean - 1.0);
    return x > 1e6 ? 1000000 : 1 + (int32_t)x;
}

static void mint(gen *g, gc_principal *p, gc_slot *sl, int64_t t)
{
    gc_buf b = {0};
    GC_LIT(&b, "ASIA");
    gc_chars(&b, g->r, GC_B32, 16);
    memcpy(p->skey, b.p, 20);
    p->skey[20] = '\0';
    gc_buf_free(&b);
    session_name(g, p, sl, t);
    p->s_created = t;
    p->s_expires = t + session_life(g, p);
    sl->budget = session_budget(g, p);
    slot_store(p, sl);
}

/* ---- one object ------------------------------------------------------- */

static void one_event(gen *g, gc_stats *st, int acct, const char *region, int64_t t)
{
    gc_ev e = {0};
    e.t = t;
    e.acct = acct;
    e.region = region;
    gc_world_pick(g->w, g->r, acct, region, t, &e.pi, &e.a);
    gc_principal *p = &g->w->p[e.pi];
    gc_slot *sl = slot_load(g, p);
    e.target = -1;
    e.akia_pi = -1;
    if (needs_session(p, sl, t)) {
        mint(g, p, sl, t);
        e.target = e.pi;
        e.is_mint = 1;
        e.a = gc_mint_action(p->mint);
        if (p->mint == MINT_ASSUME_USER || p->mint == MINT_FEDTOKEN)
            e.pi = p->issuer;
        st->mints++;
    } else {
        sl->budget--;
    }
    e.ver = version_for(t, e.a);
    gc_event_write(g->w, g->r, &g->pp, &g->obj, &e);
    group_add(g, st, &e);
    ident_add(g, st, e.idh);
    if (e.akia_pi >= 0)
        st->akia_calls[e.akia_pi]++;
    int own = owner_of(g->w, e.gkey);
    if (own >= 0)
        st->principal_calls[own]++;
    st->v10_events += e.ver == V10;
    st->error_events += g->pp.err_code != NULL;
}

static void fill_object(gen *g, gc_stats *st, const gc_plan *pl, const gc_window *wn)
{
    int acct = pl->sacct[wn->stream];
    const char *region = g->w->acct[acct].regions[pl->sreg[wn->stream]];
    memset(g->sec, 0, (size_t)pl->cad * sizeof *g->sec);
    for (int i = 0; i < wn->nev; i++)
        g->sec[gc_below(g->r, (uint32_t)pl->cad)]++;
    g->obj.n = 0;
    GC_LIT(&g->obj, "{\"Records\":[");
    int k = 0;
    g->oldest = -1;
    for (int s = 0; s < pl->cad; s++)
        for (uint32_t j = 0; j < g->sec[s]; j++, k++) {
            if (g->oldest < 0)
                g->oldest = wn->start + s;
            g->newest = wn->start + s;
            if (k)
                gc_putc(&g->obj, ',');
            one_event(g, st, acct, region, wn->start + s);
            g->ends[k] = g->obj.n;
            g->times[k] = wn->start + s;
        }
    GC_LIT(&g->obj, "]}");
}

/* The org-trail copy of a window, split in two objects at a random record
 * boundary so that only per-record dedup can find the duplicates. */
static int org_copies(gen *g, const gc_window *wn, int acct, const char *region)
{
    static const size_t head = sizeof "{\"Records\":[" - 1;
    int n = wn->nev;
    if (n < 2)
        return gc_out_log(g->o, g->r, 1, acct, region, wn->deliver + GC_ORG_LAG1,
                          g->obj.p, g->obj.n, g->oldest, g->newest);
    int cut = 1 + (int)gc_below(g->r, (uint32_t)(n - 1));
    size_t mid = g->ends[cut - 1];
    gc_buf b = {0};
    GC_LIT(&b, "{\"Records\":[");
    gc_put(&b, g->obj.p + head, mid - head);
    GC_LIT(&b, "]}");
    int rc = gc_out_log(g->o, g->r, 1, acct, region, wn->deliver + GC_ORG_LAG1, b.p, b.n,
                        g->times[0], g->times[cut - 1]);
    b.n = 0;
    GC_LIT(&b, "{\"Records\":[");
    gc_put(&b, g->obj.p + mid + 1, g->ends[n - 1] - mid - 1);
    GC_LIT(&b, "]}");
    if (rc == 0)
        rc = gc_out_log(g->o, g->r, 1, acct, region, wn->deliver + GC_ORG_LAG2, b.p, b.n,
                        g->times[cut], g->times[n - 1]);
    gc_buf_free(&b);
    return rc;
}

static int deliver(gen *g, gc_stats *st, const gc_plan *pl, const gc_window *wn)
{
    int acct = pl->sacct[wn->stream];
    const gc_account *a = &g->w->acct[acct];
    const char *region = a->regions[pl->sreg[wn->stream]];
    int64_t oldest = g->oldest, newest = g->newest;
    int rc = 0;
    if (a->delivery & DLV_ACCOUNT)
        rc = gc_out_log(g->o, g->r, 0, acct, region, wn->deliver, g->obj.p, g->obj.n,
                        oldest, newest);
    if (rc == 0 && a->delivery == DLV_ORG)
        rc = gc_out_log(g->o, g->r, 1, acct, region, wn->deliver, g->obj.p, g->obj.n,
                        oldest, newest);
    if (rc == 0 && a->delivery == DLV_BOTH) {
        rc = org_copies(g, wn, acct, region);
        st->dup_copies += (uint64_t)wn->nev;
    }
    return rc;
}

static int gen_init(gen *g, gc_world *w, gc_rng *r, gc_out *o, const gc_plan *pl)
{
    memset(g, 0, sizeof *g);
    g->w = w;
    g->r = r;
    g->o = o;
    int32_t maxn = 1;
    for (size_t i = 0; i < pl->nwin; i++)
        if (pl->win[i].nev > maxn)
            maxn = pl->win[i].nev;
    g->ends = malloc((size_t)maxn * sizeof *g->ends);
    g->times = malloc((size_t)maxn * sizeof *g->times);
    g->sec = malloc((size_t)pl->cad * sizeof *g->sec);
    g->groups_cap = 1 << 16;
    g->groups = calloc(g->groups_cap, sizeof *g->groups);
    g->ids_cap = 1 << 12;
    g->ids = calloc(g->ids_cap, sizeof *g->ids);
    return g->ends && g->times && g->sec && g->groups && g->ids ? 0 : -1;
}

static void gen_free(gen *g)
{
    free(g->ends);
    free(g->times);
    free(g->sec);
    free(g->groups);
    free(g->ids);
    gc_buf_free(&g->obj);
    gc_parts_free(&g->pp);
}

int gc_generate(gc_world *w, gc_rng *r, const gc_plan *pl, gc_out *o)
{
    gen g;
    gc_stats *st = gc_out_stats(o);
    int rc = gen_init(&g, w, r, o, pl);
    for (size_t i = 0; rc == 0 && i < pl->nwin; i++) {
        const gc_window *wn = &pl->win[i];
        fill_object(&g, st, pl, wn);
        st->events += (uint64_t)wn->nev;
        rc = deliver(&g, st, pl, wn);
    }
    gen_free(&g);
    return rc;
}
