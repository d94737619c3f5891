/*
 * gc_gen.c - the generation loop: walks the planned objects in time order,
 * fills each with time-ordered records (minting sessions when a principal
 * needs fresh credentials), and hands the object to gc_out for the account
 * trail, the organization trail, or both (the duplicates).
 */
#include "gc_run.h"

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

/* ---- sessions --------------------------------------------------------- */

static int needs_session(const gc_principal *p, int64_t t)
{
    if (p->mint == MINT_NONE)
        return 0;
    return !p->skey[0] || t < p->s_created || t >= p->s_expires;
}

static void session_name(gen *g, gc_principal *p, int64_t t)
{
    gc_buf b = {0};
    const gc_account *a = &g->w->acct[p->acct];
    if (p->sess_label[0]) {
        gc_raw(&b, p->sess_label);
    } else if (p->svc && strcmp(p->svc, "ec2.amazonaws.com") == 0) {
        gc_raw(&b, a->instances[gc_below(g->r, 3)]);
    } else if (p->svc && strcmp(p->svc, "lambda.amazonaws.com") == 0) {
        gc_raw(&b, a->funcs[0]);
    } else if (p->svc) {
        gc_hex(&b, g->r, 32);
    } else if (p->type == PT_FEDERATED) {
        gc_raw(&b, p->name);
    } else {
        GC_LIT(&b, "botocore-session-");
        gc_u64(&b, (uint64_t)t);
    }
    gc_putc(&b, '\0');
    memcpy(p->sname, b.p, b.n < sizeof p->sname ? b.n : sizeof p->sname - 1);
    p->sname[sizeof p->sname - 1] = '\0';
    gc_buf_free(&b);
}

static void mint(gen *g, gc_principal *p, int64_t t)
{
    int64_t dur = 3600;
    if (p->mint == MINT_CONSOLE || p->mint == MINT_SESSION_TOKEN || p->mint == MINT_FEDTOKEN)
        dur = 43200;
    else if (p->mint == MINT_SAML)
        dur = 4 * 3600;
    else if (p->svc && strcmp(p->svc, "ec2.amazonaws.com") == 0)
        dur = 6 * 3600;
    gc_buf b = {0};
    GC_LIT(&b, "ASIA");
    gc_chars(&b, g->r, GC_B32, 16);
    memcpy(p->skey, b.p, 20);
    p->skey[20] = '\0';
    gc_buf_free(&b);
    session_name(g, p, t);
    p->s_created = t;
    p->s_expires = t + dur;
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
    e.target = -1;
    if (needs_session(p, t)) {
        mint(g, p, t);
        e.target = e.pi;
        e.is_mint = 1;
        e.a = gc_mint_action(p->mint);
        if (p->mint == MINT_ASSUME_USER || p->mint == MINT_FEDTOKEN)
            e.pi = p->issuer;
    }
    e.ver = version_for(t, e.a);
    gc_event_write(g->w, g->r, &g->pp, &g->obj, &e);
    group_add(g, st, &e);
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
    return g->ends && g->times && g->sec && g->groups ? 0 : -1;
}

static void gen_free(gen *g)
{
    free(g->ends);
    free(g->times);
    free(g->sec);
    free(g->groups);
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
