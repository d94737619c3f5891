/*
 * key_html.c - the leaked-key report as one self-contained HTML page: no
 * network (inline CSS and SVG, no scripts, no external references), a
 * calls-per-hour chart with the errors in red, then the tables. Every
 * string from a log goes through out_html(): markup is escaped, control
 * characters and bytes that are not UTF-8 are shown as \xHH.
 */
#include "key_render.h"
#include "out.h"

#include "common/ttime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HTML_TIMELINE_ROWS 5000
#define CHART_MAX_BARS 60
#define CHART_W 1100
#define CHART_H 180
#define KEY_CHAIN_PICTURE 64 /* keys drawn (the chain holds at most 64) */

static void td(FILE *f, const char *s)
{
    fputs("<td>", f);
    out_html(f, s && s[0] ? s : "-");
    fputs("</td>", f);
}

/* A key ID, IP, ARN or action name: never broken inside. */
static void td_id(FILE *f, const char *s)
{
    fputs("<td class=id>", f);
    out_html(f, s && s[0] ? s : "-");
    fputs("</td>", f);
}

static void td_num(FILE *f, int64_t v)
{
    fprintf(f, "<td class=n>%lld</td>", (long long)v);
}

static void td_time(FILE *f, int64_t ms)
{
    char t[21];
    tt_time_format(ms, t);
    fprintf(f, "<td class=t>%s</td>", ms ? t : "-");
}

/* Tables scroll in their own box on a narrow screen, never the page. */
static void head(FILE *f, const char *const *cols, int n)
{
    fputs("<div class=scroll><table><tr>", f);
    for (int i = 0; i < n; i++)
        fprintf(f, "<th>%s</th>", cols[i]);
    fputs("</tr>\n", f);
}

static const char *const style =
    "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2430;background:#fff}"
    "h1{font-size:22px;margin:0 0 4px;overflow-wrap:anywhere}h2{font-size:17px;margin:28px 0 8px;"
    "border-bottom:1px solid #ccd}"
    ".scroll{max-width:100%;overflow-x:auto}"
    "table{border-collapse:collapse;margin:4px 0 8px;font-size:13px}"
    "th,td{border:1px solid #d6dae3;padding:3px 7px;text-align:left;vertical-align:top}"
    "th{background:#eef1f6}td.n{text-align:right}td.t{white-space:nowrap;font-family:monospace}"
    "td{max-width:520px;overflow-wrap:break-word}.muted{color:#667}"
    ".id{white-space:nowrap;font-family:monospace;font-size:12px}"
    ".cat{display:inline-block;padding:1px 6px;border-radius:3px;color:#fff;font-size:12px;"
    "white-space:nowrap}"
    ".defence-evasion{background:#7b1fa2}.persistence{background:#c62828}"
    ".credential-access{background:#ef6c00}.data-access{background:#1565c0}"
    ".compute-abuse{background:#2e7d32}.exposure{background:#ad1457}"
    ".lateral-movement{background:#4e342e}.discovery{background:#546e7a}"
    ".flag{color:#b71c1c;font-weight:600}ul.tree{font-family:monospace;padding-left:18px}"
    "tr.err td{background:#fff3f3}svg text{font:11px sans-serif;fill:#445}"
    ".cards{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}"
    ".cards{align-items:flex-start}.card{border:1px solid #d6dae3;border-radius:6px;padding:8px 12px;min-width:0;max-width:100%;"
    "box-sizing:border-box;flex:1 1 260px}.card h3{margin:0 0 4px;font-size:13px;color:#556}"
    ".card p{margin:2px 0}svg.chart,svg.chain{max-width:100%;height:auto;display:block}"
    "@media (max-width:700px){body{margin:10px}td{max-width:none}}";

/* The bucket of the chart: the smallest of these that draws the whole
 * incident in at most CHART_MAX_BARS bars (minutes for a 35-minute one). */
static const struct {
    int64_t ms;
    const char *name;
} buckets[] = {{60000, "minute"},           {120000, "2 minutes"},     {300000, "5 minutes"},
               {600000, "10 minutes"},      {900000, "15 minutes"},    {1800000, "30 minutes"},
               {3600000, "hour"},           {7200000, "2 hours"},      {10800000, "3 hours"},
               {21600000, "6 hours"},       {43200000, "12 hours"},    {86400000, "day"},
               {2 * 86400000LL, "2 days"},  {7 * 86400000LL, "week"},  {28 * 86400000LL, "4 weeks"},
               {364 * 86400000LL, "52 weeks"}};

static void chart(const key_report *r, FILE *f)
{
    if (!r->nevs) {
        fputs("<p class=muted>No calls in the window.</p>\n", f);
        return;
    }
    size_t k = 0, nk = sizeof buckets / sizeof *buckets;
    int64_t first = r->evs[0].t, t1 = r->evs[r->nevs - 1].t, per, t0;
    for (;; k++) {
        per = buckets[k].ms;
        t0 = first / per * per;
        if ((t1 - t0) / per + 1 <= CHART_MAX_BARS || k + 1 == nk)
            break;
    }
    size_t nb = (size_t)((t1 - t0) / per + 1);
    int64_t *calls = calloc(nb, sizeof *calls), *errs = calloc(nb, sizeof *errs), max = 1;
    if (!calls || !errs) {
        free(calls);
        free(errs);
        return;
    }
    for (size_t i = 0; i < r->nevs; i++) {
        size_t b = (size_t)((r->evs[i].t - t0) / per);
        calls[b]++;
        errs[b] += r->evs[i].err[0] != '\0';
    }
    for (size_t b = 0; b < nb; b++)
        if (calls[b] > max)
            max = calls[b];
    double bw = (double)CHART_W / (double)nb;
    char a[21], z[21];
    tt_time_format(t0, a);
    tt_time_format(t0 + (int64_t)nb * per, z);
    fprintf(f, "<p>Calls per %s, errors in red; tallest bar %lld calls.</p>\n", buckets[k].name,
            (long long)max);
    fprintf(f,
            "<svg class=chart xmlns='http://www.w3.org/2000/svg' viewBox='0 0 %d %d' "
            "data-bucket-ms='%lld' data-bars='%zu' role='img'>"
            "<rect x='0' y='0' width='%d' height='%d' fill='#f7f8fb'/>\n",
            CHART_W, CHART_H + 30, (long long)per, nb, CHART_W, CHART_H);
    for (size_t b = 0; b < nb; b++) {
        if (!calls[b])
            continue;
        double h = (double)calls[b] / (double)max * (CHART_H - 10),
               he = (double)errs[b] / (double)max * (CHART_H - 10);
        double x = (double)b * bw, w = bw > 2 ? bw - 1 : bw;
        char when[21];
        tt_time_format(t0 + (int64_t)b * per, when);
        fprintf(f,
                "<g><title>%s: %lld calls, %lld errors</title>"
                "<rect x='%.2f' y='%.2f' width='%.2f' height='%.2f' fill='#5b7db1'/>",
                when, (long long)calls[b], (long long)errs[b], x, CHART_H - h, w, h - he);
        if (errs[b])
            fprintf(f, "<rect x='%.2f' y='%.2f' width='%.2f' height='%.2f' fill='#d32f2f'/>", x,
                    CHART_H - he, w, he);
        fputs("</g>\n", f);
    }
    fprintf(f,
            "<text x='0' y='%d'>%s</text><text x='%d' y='%d' text-anchor='end'>%s</text></svg>\n",
            CHART_H + 16, a, CHART_W, CHART_H + 16, z);
    free(calls);
    free(errs);
}

static void esc_time(FILE *f, int64_t ms)
{
    char t[21];
    tt_time_format(ms, t);
    fprintf(f, "<span class=id>%s</span>", ms ? t : "-");
}

static void span_id(FILE *f, const char *s)
{
    fputs("<span class=id>", f);
    out_html(f, s && s[0] ? s : "-");
    fputs("</span>", f);
}

/* The chain of keys as a picture: one box per key in tree order, each
 * joined to its parent; the call that made it beside the box. */
static void chain_svg(const key_report *r, FILE *f)
{
    int order[KEY_CHAIN_PICTURE], row[KEY_CHAIN_PICTURE], sp = 0, n = 0, stack[KEY_CHAIN_PICTURE];
    stack[sp++] = 0;
    while (sp && n < KEY_CHAIN_PICTURE) {
        int i = stack[--sp];
        row[i] = n;
        order[n++] = i;
        for (size_t j = r->nnodes; j-- > 0;)
            if (r->nodes[j].parent == i && sp < KEY_CHAIN_PICTURE)
                stack[sp++] = (int)j;
    }
    int origin = r->origin.found, h = 44, deepest = 0, top = origin ? h : 0;
    for (int k = 0; k < n; k++)
        if (r->nodes[order[k]].depth > deepest)
            deepest = r->nodes[order[k]].depth;
    int w = 760 + deepest * 28;
    fprintf(f, "<svg class=chain xmlns='http://www.w3.org/2000/svg' viewBox='0 0 %d %d' role='img'>\n",
            w, top + n * h);
    if (origin) {
        fputs("<rect x='1' y='4' width='230' height='30' rx='4' fill='#eceff4' stroke='#99a'/>"
              "<text x='10' y='23'>",
              f);
        out_html(f, r->origin.parent_key[0] ? r->origin.parent_key : r->origin.by);
        fputs("</text><text x='246' y='23'>minted it with ", f);
        out_html(f, r->origin.how);
        fputs("</text><line x1='20' y1='34' x2='20' y2='48' stroke='#667'/>\n", f);
    }
    for (int k = 0; k < n; k++) {
        const key_node *nd = &r->nodes[order[k]];
        int x = 1 + nd->depth * 28, y = top + k * h + 4;
        if (nd->parent >= 0 && nd->parent < KEY_CHAIN_PICTURE) {
            int py = top + row[nd->parent] * h + 34, px = 1 + r->nodes[nd->parent].depth * 28 + 19;
            fprintf(f, "<path d='M%d %d V%d H%d' fill='none' stroke='#667'/>", px, py, y + 15, x);
        }
        fprintf(f, "<rect x='%d' y='%d' width='230' height='30' rx='4' fill='%s' stroke='#5b7db1'/>"
                   "<text x='%d' y='%d'>",
                x, y, k == 0 ? "#dde6f5" : "#fff", x + 9, y + 19);
        out_html(f, nd->key);
        fprintf(f, "</text><text x='%d' y='%d'>", x + 244, y + 13);
        out_html(f, k == 0 ? "the reported key" : nd->how);
        fprintf(f, "</text><text x='%d' y='%d'>%lld calls, %lld errors, %lld flagged</text>\n", x + 244,
                y + 27, (long long)nd->calls, (long long)nd->errors, (long long)nd->flagged);
    }
    fputs("</svg>\n", f);
}

/* The overview: who, when, from where, the chain, what matters most. */
static void overview(const key_report *r, FILE *f)
{
    const key_node *k = &r->nodes[0];
    fputs("<h1>Access key <span class=id>", f);
    out_html(f, r->key);
    fputs("</span></h1>\n<div class=cards><div class=card><h3>Who</h3><p>", f);
    span_id(f, k->principal);
    fputs("</p><p>account ", f);
    span_id(f, k->account);
    fputs(", ", f);
    out_html(f, k->itype && k->itype[0] ? k->itype : "-");
    fputs("</p>", f);
    if (r->origin.found) {
        fputs("<p>minted by ", f);
        out_html(f, r->origin.how);
        fputs(" from ", f);
        span_id(f, r->origin.parent_key[0] ? r->origin.parent_key : r->origin.by);
        fputs(" at ", f);
        esc_time(f, r->origin.at);
        fputs(", from ", f);
        span_id(f, r->origin.ip);
        fputs("</p>", f);
    }
    fputs("</div>\n<div class=card><h3>When</h3><p>first use ", f);
    esc_time(f, k->calls ? k->first : 0);
    fputs("</p><p>last use ", f);
    esc_time(f, k->calls ? k->last : 0);
    fputs("</p><p>first suspicious call ", f);
    esc_time(f, r->first_suspicious);
    fputs("</p></div>\n<div class=card><h3>From where</h3>", f);
    for (size_t i = 0; i < r->nips && i < 3; i++) {
        fputs("<p>", f);
        span_id(f, r->ips[i].a);
        fprintf(f, " %lld calls", (long long)r->ips[i].n);
        if (r->ips[i].flags[0]) {
            fputs(" <span class=flag>", f);
            out_html(f, r->ips[i].flags);
            fputs("</span>", f);
        }
        fputs("</p>", f);
    }
    if (r->nips > 3)
        fprintf(f, "<p class=muted>and %zu more IPs</p>", r->nips - 3);
    fputs("</div>\n<div class=card><h3>What matters most</h3>", f);
    int any = 0;
    for (size_t c = 0; c < r->ncats; c++) {
        size_t n = 0;
        for (size_t i = 0; i < r->nevs; i++)
            n += r->evs[i].rule && strcmp(r->evs[i].rule->category, r->cats[c]) == 0;
        if (n)
            fprintf(f, "%s<span class='cat %s'>%s %zu</span>", any++ ? " " : "<p>", r->cats[c],
                    r->cats[c], n);
    }
    fputs(any ? "</p>" : "<p>no marked call</p>", f);
    if (r->nbursts)
        fprintf(f, "<p class=flag>%zu burst%s of access denials (enumeration)</p>", r->nbursts,
                r->nbursts == 1 ? "" : "s");
    for (size_t i = 0; i < r->nuas; i++)
        if (strstr(r->uas[i].flags, "attack tool:")) {
            fputs("<p class=flag>", f);
            out_html(f, r->uas[i].flags);
            fputs("</p>", f);
        }
    fprintf(f, "<p class=muted>%lld calls (%lld errors); %zu keys derived; request details: %zu "
               "read, %zu skipped (cap)</p>",
            (long long)k->calls, (long long)k->errors, r->nnodes - 1, r->details_done,
            r->details_missing);
    fputs("</div></div>\n<h2>The chain of keys</h2>\n", f);
    chain_svg(r, f);
}

static void findings(const key_report *r, FILE *f)
{
    fputs("<h2>The calls that matter, by category</h2>\n", f);
    for (size_t k = 0; k < r->ncats; k++) {
        size_t n = 0;
        for (size_t i = 0; i < r->nevs; i++)
            n += r->evs[i].rule && strcmp(r->evs[i].rule->category, r->cats[k]) == 0;
        if (!n)
            continue;
        fprintf(f, "<h3><span class='cat %s'>%s</span> %zu call%s</h3>\n", r->cats[k], r->cats[k],
                n, n == 1 ? "" : "s");
        static const char *cols[] = {"time",      "key",   "event",   "region",
                                     "source IP", "error", "details", "source"};
        head(f, cols, 8);
        for (size_t i = 0; i < r->nevs; i++) {
            const key_event *e = &r->evs[i];
            if (!e->rule || strcmp(e->rule->category, r->cats[k]) != 0)
                continue;
            char label[256];
            key_event_label(e, label, sizeof label);
            fputs(e->err[0] ? "<tr class=err>" : "<tr>", f);
            td_time(f, e->t);
            td_id(f, key_node_key(r, e->node));
            td_id(f, label);
            td_id(f, e->region);
            td_id(f, e->ip);
            td_id(f, e->err);
            td(f, e->details ? e->details : e->note);
            td(f, e->rule->reference);
            fputs("</tr>\n", f);
        }
        fputs("</table></div>\n", f);
    }
}

static void tree(const key_report *r, FILE *f, int node)
{
    const key_node *n = &r->nodes[node];
    fputs("<li>", f);
    span_id(f, n->key);
    if (n->parent >= 0) {
        fputs(" <span class=muted>made by ", f);
        out_html(f, n->how);
        fputs("</span>", f);
    }
    fprintf(f, " &mdash; %lld calls, %lld errors, %lld flagged", (long long)n->calls,
            (long long)n->errors, (long long)n->flagged);
    if (n->principal && n->principal[0]) {
        fputs(", ", f);
        out_html(f, n->principal);
    }
    int open = 0;
    for (size_t j = 0; j < r->nnodes; j++)
        if (r->nodes[j].parent == node) {
            if (!open)
                fputs("<ul>", f);
            open = 1;
            tree(r, f, (int)j);
        }
    fputs(open ? "</ul></li>\n" : "</li>\n", f);
}

/* labels: "UA1"... before each row (the legend of the timeline), or 0. */
static void tally(FILE *f, const char *title, const char *what, const key_tally *t, size_t n,
                  int labels)
{
    fprintf(f, "<h3>%s</h3>\n", title);
    const char *cols[] = {"label", what, "calls", "errors", "first seen", "last seen", "flags"};
    head(f, cols + !labels, 7 - !labels);
    for (size_t i = 0; i < n; i++) {
        fputs("<tr>", f);
        if (labels)
            fprintf(f, "<td class=id>UA%zu</td>", i + 1);
        if (labels)
            td(f, t[i].a);
        else
            td_id(f, t[i].a);
        td_num(f, t[i].n);
        td_num(f, t[i].errors);
        td_time(f, t[i].first);
        td_time(f, t[i].last);
        fputs("<td class=flag>", f);
        out_html(f, t[i].flags);
        fputs("</td></tr>\n", f);
    }
    fputs("</table></div>\n", f);
}

static void tried(const key_report *r, FILE *f)
{
    fputs("<h2>What it tried</h2>\n<h3>Errors by code and call</h3>\n", f);
    static const char *cols[] = {"error", "event", "count", "first seen", "last seen"};
    head(f, cols, 5);
    for (size_t i = 0; i < r->nerrors; i++) {
        fputs("<tr>", f);
        td(f, r->errors[i].a);
        td(f, r->errors[i].b);
        td_num(f, r->errors[i].n);
        td_time(f, r->errors[i].first);
        td_time(f, r->errors[i].last);
        fputs("</tr>\n", f);
    }
    fputs("</table></div>\n<h3>Enumeration (bursts of access denials)</h3>\n", f);
    static const char *bcols[] = {"start", "end", "denied", "services", "regions"};
    head(f, bcols, 5);
    for (size_t i = 0; i < r->nbursts; i++) {
        fputs("<tr>", f);
        td_time(f, r->bursts[i].start);
        td_time(f, r->bursts[i].end);
        td_num(f, r->bursts[i].denied);
        td_num(f, r->bursts[i].services);
        td_num(f, r->bursts[i].regions);
        fputs("</tr>\n", f);
    }
    fputs("</table></div>\n", f);
}

/* A timeline row's user agent: its label in the legend (the user-agent
 * tally), the full string on hover, and the attack tool it names. */
static void ua_label(const key_report *r, FILE *f, const key_event *e)
{
    size_t i = 0;
    while (i < r->nuas && r->uas[i].a != e->ua)
        i++;
    fprintf(f, "<td class=id title='");
    out_html(f, e->ua);
    fprintf(f, "'>UA%zu", i + 1);
    if (e->agent) {
        fputs(" <span class=flag>", f);
        out_html(f, e->agent->tool);
        fputs("</span>", f);
    }
    fputs("</td>", f);
}

static void timeline(const key_report *r, FILE *f)
{
    fputs("<h2>Timeline</h2>\n", f);
    if (r->nevs > HTML_TIMELINE_ROWS)
        fprintf(f,
                "<p class=muted>The first %d of %zu calls; <code>--format csv</code> has them "
                "all.</p>\n",
                HTML_TIMELINE_ROWS, r->nevs);
    static const char *cols[] = {"time",  "key",     "event",    "region",    "source IP",
                                 "error", "details", "category", "user agent"};
    head(f, cols, 9);
    for (size_t i = 0; i < r->nevs && i < HTML_TIMELINE_ROWS; i++) {
        const key_event *e = &r->evs[i];
        char label[256];
        key_event_label(e, label, sizeof label);
        fputs(e->err[0] ? "<tr class=err>" : "<tr>", f);
        td_time(f, e->t);
        td_id(f, key_node_key(r, e->node));
        td_id(f, label);
        td_id(f, e->region);
        td_id(f, e->ip);
        td_id(f, e->err);
        td(f, e->details ? e->details : e->note);
        if (e->rule)
            fprintf(f, "<td><span class='cat %s'>%s</span></td>", e->rule->category,
                    e->rule->category);
        else
            fputs("<td></td>", f);
        ua_label(r, f, e);
        fputs("</tr>\n", f);
    }
    fputs("</table></div>\n", f);
}

void key_report_html(const key_report *r, FILE *f)
{
    fputs("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
          "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src "
          "'unsafe-inline'; img-src data:\">"
          "<title>trailtrim: access key ",
          f);
    out_html(f, r->key);
    fprintf(f, "</title><style>%s</style></head><body>\n", style);
    overview(r, f);
    fputs("<h2>Calls over time</h2>\n", f);
    chart(r, f);
    fputs("<h2 class=details>Details</h2>\n", f);
    findings(r, f);
    fputs("<h2>Derived credentials</h2>\n<div class=scroll><ul class=tree>", f);
    tree(r, f, 0);
    fputs("</ul></div>\n<h2>Where from</h2>\n", f);
    tally(f, "Source IPs", "source IP", r->ips, r->nips, 0);
    tally(f, "User agents (the timeline's labels)", "user agent", r->uas, r->nuas, 1);
    tally(f, "Regions", "region", r->regions, r->nregions, 0);
    tried(r, f);
    timeline(r, f);
    if (r->nnotes) {
        fputs("<h2>Evidence problems</h2>\n<ul>", f);
        for (size_t i = 0; i < r->nnotes; i++) {
            fputs("<li>", f);
            out_html(f, r->notes[i]);
            fputs("</li>", f);
        }
        fputs("</ul>\n", f);
    }
    fputs("<p class=muted>Made by trailtrim key. Categories and their sources: "
          "cmd/data/forensics-calls.tsv.</p>\n"
          "</body></html>\n",
          f);
}
