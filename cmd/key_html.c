/*
 * key_html.c - the leaked-key report as one self-contained HTML page: no
 * network (inline CSS and SVG, no scripts, no external references), a
 * calls-per-hour chart with the errors in red, then the tables. Every
 * string from a log goes through esc(): markup is escaped, control
 * characters and bytes that are not UTF-8 are shown as \xHH.
 */
#include "key_model.h"

#include "../common/ttime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HTML_TIMELINE_ROWS 5000
#define CHART_MAX_BARS 720
#define CHART_W 1100
#define CHART_H 180

static size_t utf8_ok(const unsigned char *s)
{
    unsigned char c = s[0];
    size_t n = c >= 0xc2 && c <= 0xdf   ? 2
               : c >= 0xe0 && c <= 0xef ? 3
               : c >= 0xf0 && c <= 0xf4 ? 4
                                        : 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    if (n == 2 && c == 0xc2 && s[1] < 0xa0)
        return 0; /* C1 controls */
    return n;
}

static void esc(FILE *f, const char *s)
{
    if (!s)
        return;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        unsigned char c = *p;
        size_t n;
        switch (c) {
        case '&':
            fputs("&amp;", f);
            p++;
            continue;
        case '<':
            fputs("&lt;", f);
            p++;
            continue;
        case '>':
            fputs("&gt;", f);
            p++;
            continue;
        case '"':
            fputs("&quot;", f);
            p++;
            continue;
        case '\'':
            fputs("&#39;", f);
            p++;
            continue;
        default: break;
        }
        if (c >= 0x20 && c < 0x7f) {
            fputc(c, f);
            p++;
        } else if (c >= 0x80 && (n = utf8_ok(p)) != 0) {
            fwrite(p, 1, n, f);
            p += n;
        } else {
            fprintf(f, "\\x%02x", c);
            p++;
        }
    }
}

static void td(FILE *f, const char *s)
{
    fputs("<td>", f);
    esc(f, s && s[0] ? s : "-");
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

static void head(FILE *f, const char *const *cols, int n)
{
    fputs("<table><tr>", f);
    for (int i = 0; i < n; i++)
        fprintf(f, "<th>%s</th>", cols[i]);
    fputs("</tr>\n", f);
}

static const char *const style =
    "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2430;background:#fff}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid "
    "#ccd}"
    "table{border-collapse:collapse;margin:4px 0 8px;font-size:13px}"
    "th,td{border:1px solid #d6dae3;padding:3px 7px;text-align:left;vertical-align:top}"
    "th{background:#eef1f6}td.n{text-align:right}td.t{white-space:nowrap;font-family:monospace}"
    "td{max-width:520px;overflow-wrap:anywhere}.muted{color:#667}"
    ".cat{display:inline-block;padding:1px 6px;border-radius:3px;color:#fff;font-size:12px}"
    ".defence-evasion{background:#7b1fa2}.persistence{background:#c62828}"
    ".credential-access{background:#ef6c00}.data-access{background:#1565c0}"
    ".compute-abuse{background:#2e7d32}.exposure{background:#ad1457}"
    ".lateral-movement{background:#4e342e}.discovery{background:#546e7a}"
    ".flag{color:#b71c1c;font-weight:600}ul.tree{font-family:monospace;padding-left:18px}"
    "tr.err td{background:#fff3f3}svg text{font:11px sans-serif;fill:#445}";

static void chart(const key_report *r, FILE *f)
{
    if (!r->nevs) {
        fputs("<p class=muted>No calls in the window.</p>\n", f);
        return;
    }
    int64_t hour = 3600000, t0 = r->evs[0].t / hour * hour, t1 = r->evs[r->nevs - 1].t;
    int64_t span = (t1 - t0) / hour + 1, per = 1;
    while (span / per > CHART_MAX_BARS)
        per *= 2;
    size_t nb = (size_t)((span + per - 1) / per);
    int64_t *calls = calloc(nb, sizeof *calls), *errs = calloc(nb, sizeof *errs), max = 1;
    if (!calls || !errs) {
        free(calls);
        free(errs);
        return;
    }
    for (size_t i = 0; i < r->nevs; i++) {
        size_t b = (size_t)((r->evs[i].t - t0) / hour / per);
        calls[b]++;
        errs[b] += r->evs[i].err[0] != '\0';
    }
    for (size_t b = 0; b < nb; b++)
        if (calls[b] > max)
            max = calls[b];
    double bw = (double)CHART_W / (double)nb;
    char a[21], z[21];
    tt_time_format(t0, a);
    tt_time_format(t0 + (int64_t)nb * per * hour, z);
    fprintf(f, "<p>Calls per %lld hour%s, errors in red; tallest bar %lld calls.</p>\n",
            (long long)per, per > 1 ? "s" : "", (long long)max);
    fprintf(f,
            "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' role='img'>"
            "<rect x='0' y='0' width='%d' height='%d' fill='#f7f8fb'/>\n",
            CHART_W, CHART_H + 30, CHART_W, CHART_H);
    for (size_t b = 0; b < nb; b++) {
        if (!calls[b])
            continue;
        double h = (double)calls[b] / (double)max * (CHART_H - 10),
               he = (double)errs[b] / (double)max * (CHART_H - 10);
        double x = (double)b * bw, w = bw > 2 ? bw - 1 : bw;
        char when[21];
        tt_time_format(t0 + (int64_t)b * per * hour, when);
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

static void summary(const key_report *r, FILE *f)
{
    const key_node *k = &r->nodes[0];
    fputs("<h1>Access key ", f);
    esc(f, r->key);
    fputs("</h1>\n<table>", f);
    fputs("<tr><th>principal</th>", f);
    td(f, k->principal);
    fputs("</tr><tr><th>account</th>", f);
    td(f, k->account);
    fputs("</tr><tr><th>identity type</th>", f);
    td(f, k->itype);
    fputs("</tr><tr><th>first use</th>", f);
    td_time(f, k->calls ? k->first : 0);
    fputs("</tr><tr><th>last use</th>", f);
    td_time(f, k->calls ? k->last : 0);
    fputs("</tr><tr><th>calls (errors)</th>", f);
    fprintf(f, "<td>%lld (%lld)</td>", (long long)k->calls, (long long)k->errors);
    fputs("</tr><tr><th>first suspicious call</th>", f);
    td_time(f, r->first_suspicious);
    fprintf(f, "</tr><tr><th>keys derived from it</th><td>%zu</td></tr>", r->nnodes - 1);
    fprintf(f,
            "<tr><th>request details</th><td>%zu read from the source objects, %zu skipped "
            "(cap)</td></tr>",
            r->details_done, r->details_missing);
    fputs("</table>\n", f);
}

static void findings(const key_report *r, FILE *f)
{
    fputs("<h2>What matters most</h2>\n", f);
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
            td(f, key_node_key(r, e->node));
            td(f, label);
            td(f, e->region);
            td(f, e->ip);
            td(f, e->err);
            td(f, e->details ? e->details : e->note);
            td(f, e->rule->reference);
            fputs("</tr>\n", f);
        }
        fputs("</table>\n", f);
    }
}

static void tree(const key_report *r, FILE *f, int node)
{
    const key_node *n = &r->nodes[node];
    fputs("<li>", f);
    esc(f, n->key);
    if (n->parent >= 0) {
        fputs(" <span class=muted>made by ", f);
        esc(f, n->how);
        fputs("</span>", f);
    }
    fprintf(f, " &mdash; %lld calls, %lld errors, %lld flagged", (long long)n->calls,
            (long long)n->errors, (long long)n->flagged);
    if (n->principal && n->principal[0]) {
        fputs(", ", f);
        esc(f, n->principal);
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

static void tally(FILE *f, const char *title, const char *what, const key_tally *t, size_t n)
{
    fprintf(f, "<h3>%s</h3>\n", title);
    const char *cols[] = {what, "calls", "errors", "first seen", "last seen", "flags"};
    head(f, cols, 6);
    for (size_t i = 0; i < n; i++) {
        fputs("<tr>", f);
        td(f, t[i].a);
        td_num(f, t[i].n);
        td_num(f, t[i].errors);
        td_time(f, t[i].first);
        td_time(f, t[i].last);
        fputs("<td class=flag>", f);
        esc(f, t[i].flags);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
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
    fputs("</table>\n<h3>Enumeration (bursts of access denials)</h3>\n", f);
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
    fputs("</table>\n", f);
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
        td(f, key_node_key(r, e->node));
        td(f, label);
        td(f, e->region);
        td(f, e->ip);
        td(f, e->err);
        td(f, e->details ? e->details : e->note);
        if (e->rule)
            fprintf(f, "<td><span class='cat %s'>%s</span></td>", e->rule->category,
                    e->rule->category);
        else
            fputs("<td></td>", f);
        td(f, e->ua);
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
}

void key_report_html(const key_report *r, FILE *f)
{
    fputs("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
          "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src "
          "'unsafe-inline'; img-src data:\">"
          "<title>trailtrim: access key ",
          f);
    esc(f, r->key);
    fprintf(f, "</title><style>%s</style></head><body>\n", style);
    summary(r, f);
    fputs("<h2>Calls over time</h2>\n", f);
    chart(r, f);
    findings(r, f);
    fputs("<h2>Derived credentials</h2>\n<ul class=tree>", f);
    tree(r, f, 0);
    fputs("</ul>\n<h2>Where from</h2>\n", f);
    tally(f, "Source IPs", "source IP", r->ips, r->nips);
    tally(f, "User agents", "user agent", r->uas, r->nuas);
    tally(f, "Regions", "region", r->regions, r->nregions);
    tried(r, f);
    timeline(r, f);
    if (r->nnotes) {
        fputs("<h2>Evidence problems</h2>\n<ul>", f);
        for (size_t i = 0; i < r->nnotes; i++) {
            fputs("<li>", f);
            esc(f, r->notes[i]);
            fputs("</li>", f);
        }
        fputs("</ul>\n", f);
    }
    fputs("<p class=muted>Made by trailtrim key. Categories and their sources: "
          "cmd/data/forensics-calls.tsv.</p>\n"
          "</body></html>\n",
          f);
}
