/*
 * key_model.c - building the leaked-key report. The key's events come from
 * the store (one pass over the window per generation of keys); every key
 * they minted (GetSessionToken, AssumeRole, GetFederationToken: the store
 * keeps responseElements.credentials.accessKeyId) or created for a user
 * (CreateAccessKey: read back from the record) is followed the same way.
 * Then the calls that matter are marked from the data, their request
 * details read back from the source objects (the evidence cursor,
 * evidence.c), and the tallies computed. Strings are interned, so tallies compare pointers.
 */
#define _GNU_SOURCE
#include "forensics.h"

#include "common/hash.h"
#include "common/mem.h"
#include "ingest/recall.h"

#include <stdlib.h>
#include <string.h>

#define KEY_MAX_NODES 64 /* keys followed in one chain */
#define KEY_MAX_DEPTH 8  /* generations of derived keys */
#define KEY_MAX_EVENTS 5000000
#define KEY_DETAIL_BYTES 600         /* one event's details as shown */
#define KEY_FIELD_BYTES 300          /* one field of them */
#define BURST_GAP_MS (5 * 60 * 1000) /* denials closer than this form a burst */
#define BURST_MIN_DENIED 10
#define BURST_MIN_SPREAD 3 /* distinct services or regions */
#define RECALL_CAP ((size_t)1 << 30)

/* ---- interned strings --------------------------------------------------- */

typedef struct key_intern {
    char **slot;
    size_t cap, n;
} key_intern;

static const char *intern(key_intern *in, const char *s)
{
    if (in->n * 2 >= in->cap) {
        size_t ncap = in->cap ? in->cap * 2 : 1024;
        char **ns = tt_xcalloc(ncap, sizeof *ns);
        for (size_t i = 0; i < in->cap; i++) {
            if (!in->slot[i])
                continue;
            size_t j = tt_hash64(in->slot[i], strlen(in->slot[i]), 7) & (ncap - 1);
            while (ns[j])
                j = (j + 1) & (ncap - 1);
            ns[j] = in->slot[i];
        }
        free(in->slot);
        in->slot = ns;
        in->cap = ncap;
    }
    size_t j = tt_hash64(s, strlen(s), 7) & (in->cap - 1);
    while (in->slot[j]) {
        if (strcmp(in->slot[j], s) == 0)
            return in->slot[j];
        j = (j + 1) & (in->cap - 1);
    }
    in->slot[j] = tt_xstrdup(s);
    in->n++;
    return in->slot[j];
}

static void intern_free(key_intern *in)
{
    if (!in)
        return;
    for (size_t i = 0; i < in->cap; i++)
        free(in->slot[i]);
    free(in->slot);
    free(in);
}

/* ---- the chain of keys -------------------------------------------------- */

static int find_node(const key_report *r, const char *key)
{
    for (size_t i = 0; i < r->nnodes; i++)
        if (strcmp(r->nodes[i].key, key) == 0)
            return (int)i;
    return -1;
}

static int add_node(key_report *r, const char *key, int parent, const char *how, int64_t at)
{
    int have = find_node(r, key);
    if (have >= 0 || r->nnodes >= KEY_MAX_NODES)
        return have;
    if (parent >= 0 && r->nodes[parent].depth + 1 > KEY_MAX_DEPTH)
        return -1;
    r->nodes = tt_xrealloc(r->nodes, (r->nnodes + 1) * sizeof *r->nodes);
    key_node *n = &r->nodes[r->nnodes];
    memset(n, 0, sizeof *n);
    n->key = tt_xstrdup(key);
    n->parent = parent;
    n->depth = parent >= 0 ? r->nodes[parent].depth + 1 : 0;
    n->how = tt_xstrdup(how);
    n->made_at = at;
    n->principal = n->account = n->itype = "";
    return (int)r->nnodes++;
}

typedef struct fetch_ctx {
    key_report *r;
    size_t lo, hi; /* the nodes of this generation */
    size_t alloc;
    int over;
} fetch_ctx;

static int on_event(void *ctx, const forensics_item *it)
{
    const store_fevent *ev = it->ev;
    fetch_ctx *fc = ctx;
    key_report *r = fc->r;
    if (r->nevs >= KEY_MAX_EVENTS) {
        fc->over = 1;
        return 1;
    }
    int node = -1;
    for (size_t i = fc->lo; i < fc->hi && node < 0; i++)
        if (strcmp(r->nodes[i].key, ev->access_key) == 0)
            node = (int)i;
    if (node < 0)
        return 0;
    if (r->nevs == fc->alloc) {
        fc->alloc = fc->alloc ? fc->alloc * 2 : 1024;
        r->evs = tt_xrealloc(r->evs, fc->alloc * sizeof *r->evs);
    }
    key_event *e = &r->evs[r->nevs++];
    memset(e, 0, sizeof *e);
    key_intern *in = r->strs;
    e->t = ev->t;
    e->node = node;
    e->src = intern(in, ev->source);
    e->name = intern(in, ev->name);
    e->region = intern(in, ev->region);
    e->ip = intern(in, ev->ip);
    e->ua = intern(in, ev->ua);
    e->err = intern(in, ev->error);
    e->minted = intern(in, ev->minted);
    e->principal = intern(in, ev->principal);
    e->account = intern(in, ev->account);
    e->itype = intern(in, ev->identity_type);
    e->path = intern(in, ev->path);
    e->member = intern(in, ev->member);
    e->has_sha = ev->sha256 != NULL;
    if (ev->sha256)
        memcpy(e->sha, ev->sha256, 32);
    e->off = ev->off;
    e->denied = key_is_denied(ev->error);
    return 0;
}

static void note(key_report *r, const char *msg)
{
    for (size_t i = 0; i < r->nnotes; i++)
        if (strcmp(r->notes[i], msg) == 0)
            return;
    r->notes = tt_xrealloc(r->notes, (r->nnotes + 1) * sizeof *r->notes);
    r->notes[r->nnotes++] = tt_xstrdup(msg);
}

/* Reads one field of e's record; 1 when found. Problems become e->note. */
static int recall_field(key_report *r, forensics_evidence *rc, key_event *e, const char *path, char *dst,
                        size_t cap)
{
    const char *rec;
    size_t len;
    tt_error err;
    tt_error_clear(&err);
    if (forensics_evidence_record(rc, e->path, e->member, e->off, e->has_sha ? e->sha : NULL, &rec, &len,
                                  &err) != TT_OK) {
        if (!e->note)
            e->note = tt_xstrdup(err.msg);
        note(r, err.msg);
        return 0;
    }
    return ingest_recall_field(rec, len, path, dst, cap);
}

/* A key the call created for a user: CreateAccessKey's response. */
static void follow_created(key_report *r, forensics_evidence *rc, size_t i)
{
    key_event *e = &r->evs[i];
    char key[128], user[KEY_FIELD_BYTES], how[KEY_FIELD_BYTES + 40];
    if (!recall_field(r, rc, e, "responseElements.accessKey.accessKeyId", key, sizeof key))
        return;
    if (!recall_field(r, rc, e, "responseElements.accessKey.userName", user, sizeof user) &&
        !recall_field(r, rc, e, "requestParameters.userName", user, sizeof user))
        snprintf(user, sizeof user, "?");
    snprintf(how, sizeof how, "CreateAccessKey for user %s", user);
    add_node(r, key, e->node, how, e->t);
}

static int cmp_event(const void *a, const void *b)
{
    const key_event *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    if (x->node != y->node)
        return x->node < y->node ? -1 : 1;
    return x->off < y->off ? -1 : x->off > y->off;
}

static forensics_want want_event(void *ctx, const store_fevent *ev)
{
    return FORENSICS_EVENT; /* records are read later, for the calls that need them */
}

static tt_status fetch_chain(key_report *r, forensics_evidence *rc, tt_error *err)
{
    fetch_ctx fc = {r, 0, 0, 0, 0};
    for (size_t lo = 0; lo < r->nnodes;) {
        size_t hi = r->nnodes, first_ev = r->nevs;
        const char *keys[KEY_MAX_NODES];
        int64_t from = INT64_MAX;
        for (size_t i = lo; i < hi; i++) {
            keys[i - lo] = r->nodes[i].key;
            if (r->nodes[i].made_at < from)
                from = r->nodes[i].made_at;
        }
        /* A derived key acts only after it was made. */
        store_filter f = {.keys = keys, .nkeys = hi - lo, .until_ms = r->until};
        f.since_ms = lo == 0 ? r->since : (r->since > from ? r->since : from);
        fc.lo = lo;
        fc.hi = hi;
        tt_status s = forensics_evidence_each(rc, &f, want_event, on_event, &fc, err);
        if (s != TT_OK)
            return s;
        if (fc.over)
            return tt_fail(err, TT_ERR_LIMIT,
                           "over %d events: narrow the window with --since/--until",
                           KEY_MAX_EVENTS);
        for (size_t i = first_ev; i < r->nevs; i++) {
            key_event *e = &r->evs[i];
            if (e->err[0])
                continue;
            if (e->minted[0])
                add_node(r, e->minted, e->node, e->name, e->t);
            else if (strcmp(e->name, "CreateAccessKey") == 0)
                follow_created(r, rc, i);
            else if (strcmp(e->name, "GetSigninToken") == 0)
                add_node(r, KEY_CONSOLE_NODE, e->node, e->name, e->t);
        }
        lo = hi;
    }
    if (r->nevs)
        qsort(r->evs, r->nevs, sizeof *r->evs, cmp_event);
    return TT_OK;
}

/* ---- marking and details ------------------------------------------------ */

/* Folds a value onto one line: a policy document arrives pretty-printed,
 * and its newlines would show as \x0a on a terminal. Each run of
 * whitespace holding a line break or tab becomes one space, or nothing
 * after an opening or before a closing bracket. In place. */
static void fold_lines(char *v)
{
    char *d = v;
    for (const char *p = v; *p;) {
        size_t n = strspn(p, " \t\r\n");
        if (n == 0) {
            *d++ = *p++;
            continue;
        }
        int breaks = strcspn(p, "\t\r\n") < n;
        if (!breaks) {
            memmove(d, p, n);
            d += n;
        } else if (d > v && !strchr("{[", d[-1]) && p[n] && !strchr("}]", p[n])) {
            *d++ = ' ';
        }
        p += n;
    }
    *d = '\0';
}

/* "userName=x policyArn=y" from the rule's fields. */
static void read_details(key_report *r, forensics_evidence *rc, key_event *e)
{
    char buf[KEY_DETAIL_BYTES] = "", val[KEY_FIELD_BYTES];
    size_t used = 0;
    const char *p = e->rule->details;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char path[160];
        snprintf(path, sizeof path, "%.*s", (int)n, p);
        p += n + (comma != NULL);
        if (!recall_field(r, rc, e, path, val, sizeof val)) {
            if (e->note)
                return;
            continue;
        }
        fold_lines(val);
        const char *label = strrchr(path, '.');
        label = label ? label + 1 : path;
        int w = snprintf(buf + used, sizeof buf - used, "%s%s=%s", used ? " " : "", label, val);
        if (w < 0 || (size_t)w >= sizeof buf - used)
            break;
        used += (size_t)w;
    }
    e->details = tt_xstrdup(buf);
}

/* The attack-tool entry of each user agent, looked up once per distinct
 * agent (agents are interned, so a pointer names one) for the first
 * AGENT_MEMO agents, and every time past them. */
#define AGENT_MEMO 64
typedef struct agent_memo {
    const char *ua[AGENT_MEMO];
    const key_agent *agent[AGENT_MEMO];
    size_t n;
} agent_memo;

static const key_agent *agent_of(agent_memo *m, const key_data *d, const char *ua)
{
    for (size_t i = 0; i < m->n; i++)
        if (m->ua[i] == ua)
            return m->agent[i];
    const key_agent *a = key_data_agent(d, ua);
    if (m->n < AGENT_MEMO) {
        m->ua[m->n] = ua;
        m->agent[m->n++] = a;
    }
    return a;
}

static void mark(key_report *r, const key_data *d, forensics_evidence *rc)
{
    agent_memo memo = {.n = 0};
    for (size_t i = 0; i < r->nevs; i++) {
        key_event *e = &r->evs[i];
        e->rule = key_data_rule(d, e->src, e->name);
        e->agent = agent_of(&memo, d, e->ua);
        if (!e->rule)
            continue;
        if (!e->rule->details[0])
            continue;
        if (r->details_done >= r->details_cap) {
            r->details_missing++;
            continue;
        }
        r->details_done++;
        read_details(r, rc, e);
    }
}

/* ---- tallies ------------------------------------------------------------ */

static key_tally *tally(key_tally **arr, size_t *n, const char *a, const char *b,
                        const key_event *e)
{
    key_tally *t = NULL;
    for (size_t i = *n; i-- > 0 && !t;)
        if ((*arr)[i].a == a && (*arr)[i].b == b)
            t = &(*arr)[i];
    if (!t) {
        *arr = tt_xrealloc(*arr, (*n + 1) * sizeof **arr);
        t = &(*arr)[(*n)++];
        memset(t, 0, sizeof *t);
        t->a = a;
        t->b = b;
        t->first = e->t;
    }
    t->n++;
    t->errors += e->err[0] != '\0';
    t->last = e->t;
    return t;
}

static void add_flag(key_tally *t, const char *flag)
{
    if (strstr(t->flags, flag))
        return;
    size_t used = strlen(t->flags);
    snprintf(t->flags + used, sizeof t->flags - used, "%s%s", used ? "; " : "", flag);
}

static int cmp_tally(const void *a, const void *b)
{
    const key_tally *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return x->first < y->first ? -1 : x->first > y->first;
}

static int cli_agent(const char *ua)
{
    return strncasecmp(ua, "aws-cli/", 8) == 0 || strcasestr(ua, "boto") ||
           strcasestr(ua, "aws-sdk");
}

/* Bursts: runs of denied calls, each within BURST_GAP_MS of the last. */
static void find_bursts(key_report *r)
{
    const char *srcs[64], *regs[64];
    int ns = 0, nr = 0;
    key_burst cur = {0};
    for (size_t i = 0; i <= r->nevs; i++) {
        const key_event *e = i < r->nevs ? &r->evs[i] : NULL;
        if (e && !e->denied)
            continue;
        if (!e || (cur.denied && e->t - cur.end > BURST_GAP_MS)) {
            if (cur.denied >= BURST_MIN_DENIED &&
                (ns >= BURST_MIN_SPREAD || nr >= BURST_MIN_SPREAD)) {
                cur.services = ns;
                cur.regions = nr;
                r->bursts = tt_xrealloc(r->bursts, (r->nbursts + 1) * sizeof *r->bursts);
                r->bursts[r->nbursts++] = cur;
            }
            memset(&cur, 0, sizeof cur);
            ns = nr = 0;
            if (!e)
                break;
        }
        if (!cur.denied)
            cur.start = e->t;
        cur.end = e->t;
        cur.denied++;
        int k;
        for (k = 0; k < ns && srcs[k] != e->src; k++)
            ;
        if (k == ns && ns < 64)
            srcs[ns++] = e->src;
        for (k = 0; k < nr && regs[k] != e->region; k++)
            ;
        if (k == nr && nr < 64)
            regs[nr++] = e->region;
    }
}

static void count_all(key_report *r)
{
    find_bursts(r);
    /* The first suspicious call: a marked call other than discovery, an
     * attack tool's agent, or the start of an enumeration burst. */
    for (size_t i = 0; i < r->nevs && !r->first_suspicious; i++) {
        const key_event *e = &r->evs[i];
        if (e->agent || (e->rule && strcmp(e->rule->category, "discovery") != 0))
            r->first_suspicious = e->t;
    }
    if (r->nbursts && (!r->first_suspicious || r->bursts[0].start < r->first_suspicious))
        r->first_suspicious = r->bursts[0].start;
    int history = r->nevs && r->first_suspicious && r->evs[0].t < r->first_suspicious;
    for (size_t i = 0; i < r->nevs; i++) {
        const key_event *e = &r->evs[i];
        key_node *n = &r->nodes[e->node];
        if (!n->calls) {
            n->first = e->t;
            n->principal = e->principal;
            n->account = e->account;
            n->itype = e->itype;
        }
        n->calls++;
        n->last = e->t;
        n->errors += e->err[0] != '\0';
        n->flagged += e->rule != NULL;
        key_tally *ip = tally(&r->ips, &r->nips, e->ip, NULL, e);
        key_tally *ua = tally(&r->uas, &r->nuas, e->ua, NULL, e);
        tally(&r->regions, &r->nregions, e->region, NULL, e);
        if (e->err[0])
            tally(&r->errors, &r->nerrors, e->err, e->name, e);
        if (e->agent) {
            char f[120];
            snprintf(f, sizeof f, "attack tool: %s", e->agent->tool);
            add_flag(ua, f);
            add_flag(ip, "used by an attack tool");
        }
        if (ip->n == 1 && history && e->t >= r->first_suspicious)
            add_flag(ip, "first seen at or after the first suspicious call");
        if (cli_agent(e->ua) && strstr(ip->flags, "first seen at or after"))
            add_flag(ua, "CLI/SDK from an IP new since the first suspicious call");
    }
    if (r->nips)
        qsort(r->ips, r->nips, sizeof *r->ips, cmp_tally);
    if (r->nuas)
        qsort(r->uas, r->nuas, sizeof *r->uas, cmp_tally);
    if (r->nregions)
        qsort(r->regions, r->nregions, sizeof *r->regions, cmp_tally);
    if (r->nerrors)
        qsort(r->errors, r->nerrors, sizeof *r->errors, cmp_tally);
}

/* ---- where the reported key came from ---------------------------------- */

/* The longest a minted key lives (GetSessionToken and GetFederationToken:
 * 36 hours): its minting call is at most this long before its first use. */
#define KEY_MINT_LOOKBACK_MS (36LL * 3600 * 1000)

typedef struct origin_ctx {
    key_report *r;
    int64_t first; /* the key's first call, in the whole store */
} origin_ctx;

static int on_first(void *ctx, const store_fevent *ev)
{
    ((origin_ctx *)ctx)->first = ev->t;
    return 1;
}

static int on_minting(void *ctx, const store_fevent *ev)
{
    key_origin *o = &((origin_ctx *)ctx)->r->origin;
    if (strcmp(ev->minted, ((origin_ctx *)ctx)->r->key) != 0 || ev->error[0])
        return 0;
    free(o->parent_key);
    free(o->how);
    free(o->by);
    free(o->ip);
    o->parent_key = tt_xstrdup(ev->access_key);
    o->how = tt_xstrdup(ev->name);
    o->by = tt_xstrdup(ev->arn[0] ? ev->arn : ev->principal);
    o->ip = tt_xstrdup(ev->ip);
    o->at = ev->t;
    o->found = 1;
    return 0;
}

/* Finds the call that minted the reported key (an STS session key): the
 * store keeps each call's minted key but has no filter on it, so the STS
 * calls that mint keys are read over the lookback before the key's first
 * use (AssumeRole*, then Get*Token), and the last that minted it wins. */
static tt_status find_origin(key_report *r, store *st, tt_error *err)
{
    origin_ctx oc = {r, 0};
    const char *keys[1] = {r->key};
    store_filter ff = {.keys = keys, .nkeys = 1, .limit = 1};
    tt_status s = store_each_event(st, &ff, on_first, &oc, err);
    if (s != TT_OK || !oc.first)
        return s;
    static const char *const globs[] = {"AssumeRole*", "Get*Token"};
    for (int i = 0; i < 2 && s == TT_OK; i++) {
        store_filter f = {.source = "sts.amazonaws.com",
                          .event_glob = globs[i],
                          .since_ms = oc.first - KEY_MINT_LOOKBACK_MS,
                          .until_ms = oc.first + 1};
        s = store_each_event(st, &f, on_minting, &oc, err);
    }
    return s;
}

tt_status key_report_build(key_report *r, store *st, const key_data *d, const char *key,
                           int64_t since, int64_t until, size_t details_cap, const char *base_dir,
                           tt_error *err)
{
    memset(r, 0, sizeof *r);
    r->key = key;
    r->since = since;
    r->until = until;
    r->details_cap = details_cap;
    r->cats = (const char *const *)d->cats;
    r->ncats = d->ncats;
    r->strs = tt_xcalloc(1, sizeof *r->strs);
    forensics_evidence *rc = forensics_evidence_create(st, base_dir, RECALL_CAP);
    add_node(r, key, -1, "", 0);
    tt_status s = fetch_chain(r, rc, err);
    int known = 1;
    if (s == TT_OK && r->nevs == 0)
        s = store_key_known(st, key, &known, err);
    if (s == TT_OK && !known)
        s = tt_fail(err, TT_ERR_NOTFOUND, "no call with access key %s in the store", key);
    if (s == TT_OK && strncmp(key, "ASIA", 4) == 0)
        s = find_origin(r, st, err);
    if (s == TT_OK) {
        mark(r, d, rc);
        count_all(r);
    }
    forensics_evidence_free(rc);
    return s;
}

void key_report_free(key_report *r)
{
    for (size_t i = 0; i < r->nevs; i++) {
        free(r->evs[i].details);
        free(r->evs[i].note);
    }
    for (size_t i = 0; i < r->nnodes; i++) {
        free(r->nodes[i].key);
        free(r->nodes[i].how);
    }
    for (size_t i = 0; i < r->nnotes; i++)
        free(r->notes[i]);
    free(r->notes);
    free(r->evs);
    free(r->nodes);
    free(r->ips);
    free(r->uas);
    free(r->regions);
    free(r->errors);
    free(r->bursts);
    free(r->origin.parent_key);
    free(r->origin.how);
    free(r->origin.by);
    free(r->origin.ip);
    intern_free(r->strs);
    memset(r, 0, sizeof *r);
}
