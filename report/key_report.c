/*
 * key_report.c - the leaked-key report as sections of rows through the
 * out writer: aligned tables for people (text), one JSON object of
 * sections, or CSV sections. The writer makes every log string safe for
 * its sink.
 */
#include "key_render.h"
#include "out.h"

#include "common/ttime.h"

#include <stdio.h>
#include <string.h>

typedef struct cells {
    const char *text[12];
    int is_num[12];
    char num[12][24];
    char when[12][21];
    int n;
} cells;

static void put(cells *c, const char *s)
{
    c->is_num[c->n] = 0;
    c->text[c->n++] = s;
}

static void put_num(cells *c, int64_t v)
{
    snprintf(c->num[c->n], sizeof c->num[c->n], "%lld", (long long)v);
    c->is_num[c->n] = 1;
    c->text[c->n] = c->num[c->n];
    c->n++;
}

static void put_time(cells *c, int64_t ms)
{
    if (!ms) {
        put(c, NULL);
        return;
    }
    tt_time_format(ms, c->when[c->n]);
    put(c, c->when[c->n]);
}

static const char *or_null(const char *s)
{
    return s && s[0] ? s : NULL;
}

static void summary(const key_report *r, out *w)
{
    const key_node *k = &r->nodes[0];
    char buf[64], t[21];
    int64_t calls = 0, errors = 0;
    for (size_t i = 0; i < r->nnodes; i++) {
        calls += r->nodes[i].calls;
        errors += r->nodes[i].errors;
    }
    out_kv_section(w, "key");
    out_kv(w, "access_key", r->key, 0);
    out_kv(w, "principal", or_null(k->principal), 0);
    out_kv(w, "account", or_null(k->account), 0);
    out_kv(w, "identity_type", or_null(k->itype), 0);
    /* Where a session key came from: the call that minted it. */
    const key_origin *o = &r->origin;
    out_kv(w, "parent_key", o->found ? or_null(o->parent_key) : NULL, 0);
    out_kv(w, "made_by", o->found ? o->how : NULL, 0);
    tt_time_format(o->at, t);
    out_kv(w, "made_at", o->found ? t : NULL, 0);
    out_kv(w, "made_by_principal", o->found ? or_null(o->by) : NULL, 0);
    out_kv(w, "made_from_ip", o->found ? or_null(o->ip) : NULL, 0);
    tt_time_format(k->first, t);
    out_kv(w, "first_use", k->calls ? t : NULL, 0);
    tt_time_format(k->last, t);
    out_kv(w, "last_use", k->calls ? t : NULL, 0);
    snprintf(buf, sizeof buf, "%lld", (long long)k->calls);
    out_kv(w, "calls", buf, 1);
    snprintf(buf, sizeof buf, "%lld", (long long)k->errors);
    out_kv(w, "errors", buf, 1);
    snprintf(buf, sizeof buf, "%zu", r->nnodes - 1);
    out_kv(w, "derived_keys", buf, 1);
    snprintf(buf, sizeof buf, "%lld", (long long)calls);
    out_kv(w, "chain_calls", buf, 1);
    snprintf(buf, sizeof buf, "%lld", (long long)errors);
    out_kv(w, "chain_errors", buf, 1);
    tt_time_format(r->first_suspicious, t);
    out_kv(w, "first_suspicious", r->first_suspicious ? t : NULL, 0);
    tt_time_format(r->since, t);
    out_kv(w, "since", r->since ? t : NULL, 0);
    tt_time_format(r->until, t);
    out_kv(w, "until", r->until ? t : NULL, 0);
    snprintf(buf, sizeof buf, "%zu", r->details_done);
    out_kv(w, "details_read", buf, 1);
    snprintf(buf, sizeof buf, "%zu", r->details_missing);
    out_kv(w, "details_skipped", buf, 1);
}

static void chain(const key_report *r, out *w, out_format fmt)
{
    static const char *cols[] = {"key",     "parent",     "depth",    "made_by",
                                 "made_at", "principal",  "calls",    "errors",
                                 "flagged", "first_seen", "last_seen"};
    out_section(w, "derived_credentials", 11, cols);
    /* Depth-first, so that the table reads as a tree. */
    int stack[64], sp = 0;
    stack[sp++] = 0;
    while (sp) {
        int i = stack[--sp];
        const key_node *n = &r->nodes[i];
        char shown[200];
        if (fmt == OUT_TABLE && n->depth)
            snprintf(shown, sizeof shown, "%*s`- %s", 2 * (n->depth - 1), "", n->key);
        else
            snprintf(shown, sizeof shown, "%s", n->key);
        cells c = {.n = 0};
        put(&c, shown);
        const key_origin *o = i == 0 && r->origin.found ? &r->origin : NULL;
        put(&c, n->parent >= 0 ? r->nodes[n->parent].key : o ? or_null(o->parent_key) : NULL);
        put_num(&c, n->depth);
        put(&c, o ? o->how : or_null(n->how));
        put_time(&c, o ? o->at : n->made_at);
        put(&c, or_null(n->principal));
        put_num(&c, n->calls);
        put_num(&c, n->errors);
        put_num(&c, n->flagged);
        put_time(&c, n->calls ? n->first : 0);
        put_time(&c, n->calls ? n->last : 0);
        out_row(w, c.text, c.is_num);
        for (size_t j = r->nnodes; j-- > 0;)
            if (r->nodes[j].parent == i && sp < 64)
                stack[sp++] = (int)j;
    }
}

static void tallies(out *w, const char *title, const char *what, const key_tally *t, size_t n)
{
    const char *cols[] = {what, "calls", "errors", "first_seen", "last_seen", "flags"};
    out_section(w, title, 6, cols);
    for (size_t i = 0; i < n; i++) {
        cells c = {.n = 0};
        put(&c, t[i].a);
        put_num(&c, t[i].n);
        put_num(&c, t[i].errors);
        put_time(&c, t[i].first);
        put_time(&c, t[i].last);
        put(&c, or_null(t[i].flags));
        out_row(w, c.text, c.is_num);
    }
}

static void errors(const key_report *r, out *w)
{
    static const char *cols[] = {"error", "event", "count", "first_seen", "last_seen"};
    out_section(w, "errors", 5, cols);
    for (size_t i = 0; i < r->nerrors; i++) {
        cells c = {.n = 0};
        put(&c, r->errors[i].a);
        put(&c, r->errors[i].b);
        put_num(&c, r->errors[i].n);
        put_time(&c, r->errors[i].first);
        put_time(&c, r->errors[i].last);
        out_row(w, c.text, c.is_num);
    }
}

static void enumeration(const key_report *r, out *w)
{
    static const char *bcols[] = {"start", "end", "denied", "services", "regions"};
    out_section(w, "enumeration", 5, bcols);
    for (size_t i = 0; i < r->nbursts; i++) {
        cells c = {.n = 0};
        put_time(&c, r->bursts[i].start);
        put_time(&c, r->bursts[i].end);
        put_num(&c, r->bursts[i].denied);
        put_num(&c, r->bursts[i].services);
        put_num(&c, r->bursts[i].regions);
        out_row(w, c.text, c.is_num);
    }
}

static void event_cells(const key_report *r, const key_event *e, cells *c, char *label, size_t n)
{
    key_event_label(e, label, n);
    put_time(c, e->t);
    put(c, key_node_key(r, e->node));
    put(c, label);
    put(c, or_null(e->region));
    put(c, or_null(e->ip));
    put(c, or_null(e->err));
    put(c, e->details ? or_null(e->details) : or_null(e->note));
}

static void findings(const key_report *r, out *w)
{
    static const char *cols[] = {"category",  "time",  "key",     "event",    "region",
                                 "source_ip", "error", "details", "reference"};
    out_section(w, "findings", 9, cols);
    for (size_t k = 0; k < r->ncats; k++)
        for (size_t i = 0; i < r->nevs; i++) {
            const key_event *e = &r->evs[i];
            if (!e->rule || strcmp(e->rule->category, r->cats[k]) != 0)
                continue;
            cells c = {.n = 0};
            char label[256];
            put(&c, e->rule->category);
            event_cells(r, e, &c, label, sizeof label);
            put(&c, e->rule->reference);
            out_row(w, c.text, c.is_num);
        }
}

static void timeline(const key_report *r, out *w)
{
    static const char *cols[] = {"time",  "key",     "event",    "region",    "source_ip",
                                 "error", "details", "category", "user_agent"};
    out_section(w, "timeline", 9, cols);
    for (size_t i = 0; i < r->nevs; i++) {
        const key_event *e = &r->evs[i];
        cells c = {.n = 0};
        char label[256];
        event_cells(r, e, &c, label, sizeof label);
        put(&c, e->rule ? e->rule->category : NULL);
        put(&c, or_null(e->ua));
        out_row(w, c.text, c.is_num);
    }
}

static void evidence(const key_report *r, out *w)
{
    static const char *ncols[] = {"problem"};
    out_section(w, "evidence", 1, ncols);
    for (size_t i = 0; i < r->nnotes; i++) {
        const char *t[1] = {r->notes[i]};
        out_row(w, t, NULL);
    }
}

static void source_ips(const key_report *r, out *w)
{
    tallies(w, "source_ips", "source_ip", r->ips, r->nips);
}

static void user_agents(const key_report *r, out *w)
{
    tallies(w, "user_agents", "user_agent", r->uas, r->nuas);
}

static void regions(const key_report *r, out *w)
{
    tallies(w, "regions", "region", r->regions, r->nregions);
}

/* The sections in the order of the report; chain wants the format (the
 * text tree), the rest write the same cells everywhere. */
const char *const key_report_sections[KEY_NSECTIONS] = {
    "key",         "findings", "derived_credentials", "source_ips", "user_agents",
    "regions",     "errors",   "enumeration",         "timeline",   "evidence"};

int key_report_section(const char *name)
{
    for (int i = 0; i < KEY_NSECTIONS; i++)
        if (strcmp(name, key_report_sections[i]) == 0)
            return i;
    return -1;
}

void key_report_write(const key_report *r, out_format fmt, int only, FILE *f)
{
    out *w = out_open(f, fmt, only < 0);
    for (int i = 0; i < KEY_NSECTIONS; i++) {
        if (only >= 0 && i != only)
            continue;
        switch (i) {
        case 0: summary(r, w); break;
        case 1: findings(r, w); break;
        case 2: chain(r, w, fmt); break;
        case 3: source_ips(r, w); break;
        case 4: user_agents(r, w); break;
        case 5: regions(r, w); break;
        case 6: errors(r, w); break;
        case 7: enumeration(r, w); break;
        case 8: timeline(r, w); break;
        default: evidence(r, w); break;
        }
    }
    out_close(w);
}

void key_event_label(const key_event *e, char *buf, size_t n)
{
    const char *dot = strchr(e->src, '.');
    int len = dot ? (int)(dot - e->src) : (int)strlen(e->src);
    snprintf(buf, n, "%.*s:%s", len, e->src, e->name);
}

const char *key_node_key(const key_report *r, int node)
{
    return node >= 0 && (size_t)node < r->nnodes ? r->nodes[node].key : "";
}
