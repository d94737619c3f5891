/*
 * unused_render.c - the `unused` report as a table, JSON, CSV (through
 * out.h, which defuses formula cells) and one self-contained HTML page:
 * inline CSS and a few lines of inline JS to sort the table, a bar of
 * used against unused per service, no network (a CSP forbids it). Every
 * string from the authorization file is escaped for its sink.
 */
#define _XOPEN_SOURCE 700 /* open_memstream */
#include "unused_render.h"
#include "out.h"
#include "trust_explain.h"

#include "common/mem.h"
#include "common/ttime.h"

#include <stdlib.h>
#include <string.h>

/* How many services a principal's HTML section draws, and how many
 * unused actions a table row names, before "...". */
#define UN_HTML_SERVICES 400
#define UN_HTML_NAMES 10 /* wholly unused services named before "and N more" */
#define UN_HTML_WHOLE 5  /* a service this big and wholly unused is shown as "svc:*" */
#define UN_TABLE_NAMES 12

const char *const un_format_names[UN_NFORMATS] = {"table", "json", "csv", "html"};

static size_t not_observable(const un_result *r)
{
    return r->count[UN_NOT_OBS_PERMISSION] + r->count[UN_NOT_OBS_DATA];
}

/* Per service of one principal: granted, used, unused, other. */
typedef struct svc {
    const char *prefix;
    size_t granted, used, unused, other;
} svc;

static size_t services(const un_result *r, svc **vout)
{
    svc *v = NULL;
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++) {
        const un_act *a = &r->acts[i];
        if (!n || strcmp(v[n - 1].prefix, a->action->prefix) != 0) {
            v = tt_xrealloc(v, (n + 1) * sizeof *v);
            v[n++] = (svc){a->action->prefix, 0, 0, 0, 0};
        }
        svc *s = &v[n - 1];
        s->granted++;
        s->used += a->status == UN_USED;
        s->unused += a->status == UN_UNUSED;
        s->other += a->status != UN_USED && a->status != UN_UNUSED;
    }
    *vout = v;
    return n;
}

static void time_text(int64_t ms, char buf[21])
{
    if (ms)
        tt_time_format(ms, buf);
    else
        buf[0] = '\0';
}

/* ---- JSON ------------------------------------------------------------------- */

static void json_principal(FILE *f, const un_result *r)
{
    const gen_authz_principal *p = r->p;
    char t[21];
    fputs("    {\"principal\": ", f);
    out_json_str(f, p->arn);
    fputs(", \"name\": ", f);
    out_json_str(f, p->name);
    fprintf(f, ", \"type\": \"%s\", \"account\": ", p->kind);
    out_json_str(f, p->account);
    time_text(p->created_ms, t);
    fputs(", \"created\": ", f);
    if (t[0])
        out_json_str(f, t);
    else
        fputs("null", f);
    fprintf(f, ",\n     \"status\": \"%s\", \"reason\": ", un_verdict_name(r->verdict));
    out_json_str(f, r->reason);
    fprintf(f, ",\n     \"granted\": %zu, \"used\": %zu, \"unused\": %zu, \"kept_norepo\": %zu, \"not_observable\": %zu, "
               "\"not_judged\": %zu, \"removed_by_deny\": %zu, \"outside_boundary\": %zu, \"policies\": %zu, "
               "\"unknown_actions\": %zu, \"missing_policies\": %zu,\n     \"boundary\": ",
            r->n, r->count[UN_USED], r->count[UN_UNUSED], r->count[UN_KEPT], not_observable(r), r->count[UN_NOT_JUDGED],
            r->denied, r->bounded, p->npolicies, p->unknown, p->missing);
    if (p->boundary)
        out_json_str(f, p->boundary);
    else
        fputs("null", f);
    svc *v = NULL;
    size_t nv = services(r, &v);
    fputs(",\n     \"unused_services\": [", f);
    int first = 1;
    for (size_t i = 0; i < nv; i++)
        if (v[i].unused && !v[i].used) {
            fputs(first ? "" : ", ", f);
            out_json_str(f, v[i].prefix);
            first = 0;
        }
    fputs("],\n     \"services\": [", f);
    for (size_t i = 0; i < nv; i++) {
        fputs(i ? ",\n       " : "\n       ", f);
        fputs("{\"service\": ", f);
        out_json_str(f, v[i].prefix);
        fprintf(f, ", \"granted\": %zu, \"used\": %zu, \"unused\": %zu, \"other\": %zu}", v[i].granted, v[i].used,
                v[i].unused, v[i].other);
    }
    free(v);
    fputs("],\n     \"actions\": [", f);
    for (size_t i = 0; i < r->n; i++) {
        const un_act *a = &r->acts[i];
        fputs(i ? ",\n       " : "\n       ", f);
        fputs("{\"action\": ", f);
        out_json_str(f, a->action->full);
        fprintf(f, ", \"status\": \"%s\"", un_status_name(a->status));
        if (a->last_ms) {
            time_text(a->last_ms, t);
            fprintf(f, ", \"last_used\": \"%s\"", t);
        }
        fprintf(f, ", \"conditional\": %s, \"resource_scoped\": %s, \"partial_deny\": %s}",
                a->flags & GEN_AZ_CONDITIONAL ? "true" : "false", a->flags & GEN_AZ_SCOPED ? "true" : "false",
                a->flags & GEN_AZ_PARTIAL_DENY ? "true" : "false");
    }
    fputs("]", f);
    if (r->trust) {
        fputs(",\n     \"trust\": ", f);
        trust_review_json(f, r->trust);
    }
    fputs("}", f);
}

static void render_json(FILE *f, const un_report *r)
{
    char from[11], to[11];
    tt_day_format(r->from_day, from);
    tt_day_format(r->to_day, to);
    fputs("{\"authz\": ", f);
    out_json_str(f, r->authz);
    fprintf(f, ", \"from\": \"%s\", \"to\": \"%s\", \"days\": %d,\n \"principals\": [", from, to,
            (int)(r->to_day - r->from_day + 1));
    for (size_t i = 0; i < r->n; i++) {
        fputs(i ? ",\n" : "\n", f);
        json_principal(f, &r->res[i]);
    }
    fputs("\n ]}\n", f);
}

/* ---- table and CSV ---------------------------------------------------------- */

static void unused_services_text(const un_result *r, char *buf, size_t n)
{
    svc *v = NULL;
    size_t nv = services(r, &v), used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < nv; i++) {
        if (!v[i].unused || v[i].used)
            continue;
        int w = snprintf(buf + used, n - used, "%s%s", used ? " " : "", v[i].prefix);
        if (w < 0 || (size_t)w >= n - used) {
            snprintf(buf + (n > 5 ? n - 5 : 0), 5, " ...");
            break;
        }
        used += (size_t)w;
    }
    free(v);
}

static void render_table(FILE *f, const un_report *r)
{
    out *o = out_open(f, OUT_TABLE, 1);
    static const char *pc[] = {"principal", "status", "granted", "used", "unused", "not_observable", "kept", "unused_services"};
    static const int pn[] = {0, 0, 1, 1, 1, 1, 1, 0};
    out_section(o, "principals", 8, pc);
    for (size_t i = 0; i < r->n; i++) {
        const un_result *x = &r->res[i];
        char nums[5][24], svcs[512];
        snprintf(nums[0], 24, "%zu", x->n);
        snprintf(nums[1], 24, "%zu", x->count[UN_USED]);
        snprintf(nums[2], 24, "%zu", x->count[UN_UNUSED]);
        snprintf(nums[3], 24, "%zu", not_observable(x));
        snprintf(nums[4], 24, "%zu", x->count[UN_KEPT]);
        unused_services_text(x, svcs, sizeof svcs);
        const char *text[8] = {x->p->arn, un_verdict_name(x->verdict), nums[0], nums[1], nums[2], nums[3], nums[4], svcs};
        out_row(o, text, pn);
    }
    static const char *uc[] = {"principal", "service", "unused", "actions"};
    static const int un[] = {0, 0, 1, 0};
    out_section(o, "unused actions", 4, uc);
    for (size_t i = 0; i < r->n; i++) {
        const un_result *x = &r->res[i];
        svc *v = NULL;
        size_t nv = services(x, &v), k = 0;
        for (size_t s = 0; s < nv; s++) {
            char list[2048], num[24];
            size_t used = 0, named = 0;
            list[0] = '\0';
            for (; k < x->n && strcmp(x->acts[k].action->prefix, v[s].prefix) == 0; k++) {
                if (x->acts[k].status != UN_UNUSED)
                    continue;
                int w = named++ < UN_TABLE_NAMES ? snprintf(list + used, sizeof list - used, "%s%s", used ? " " : "",
                                                            x->acts[k].action->name)
                                                 : 0;
                if (w > 0 && (size_t)w < sizeof list - used)
                    used += (size_t)w;
            }
            if (!v[s].unused)
                continue;
            if (named > UN_TABLE_NAMES)
                snprintf(list + used, sizeof list - used, " ... (+%zu)", named - UN_TABLE_NAMES);
            snprintf(num, sizeof num, "%zu", v[s].unused);
            const char *text[4] = {x->p->arn, v[s].prefix, num, list};
            out_row(o, text, un);
        }
        free(v);
    }
    trust_review_table(o, r->res, r->n);
    static const char *nc[] = {"principal", "status", "why"};
    static const int nn[] = {0, 0, 0};
    out_section(o, "not judged", 3, nc);
    for (size_t i = 0; i < r->n; i++)
        if (r->res[i].verdict != UN_JUDGED) {
            const char *text[3] = {r->res[i].p->arn, un_verdict_name(r->res[i].verdict), r->res[i].reason};
            out_row(o, text, nn);
        }
    out_close(o);
}

static void render_csv(FILE *f, const un_report *r)
{
    out *o = out_open(f, OUT_CSV, 0);
    static const char *cols[] = {"principal", "type", "account", "principal_status", "service", "action",
                                 "status", "last_used", "conditional", "resource_scoped"};
    static const int isn[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    out_section(o, NULL, 10, cols);
    for (size_t i = 0; i < r->n; i++) {
        const un_result *x = &r->res[i];
        for (size_t k = 0; k < x->n; k++) {
            const un_act *a = &x->acts[k];
            char t[21];
            time_text(a->last_ms, t);
            const char *text[10] = {x->p->arn, x->p->kind, x->p->account, un_verdict_name(x->verdict),
                                    a->action->prefix, a->action->full, un_status_name(a->status), t,
                                    a->flags & GEN_AZ_CONDITIONAL ? "yes" : "no", a->flags & GEN_AZ_SCOPED ? "yes" : "no"};
            out_row(o, text, isn);
        }
    }
    out_close(o);
}

/* ---- HTML ------------------------------------------------------------------- */

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
    "script-src 'unsafe-inline'\">\n<title>trailtrim: unused permissions</title>\n<style>\n"
    "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}\n"
    ".scroll{max-width:100%;overflow-x:auto}.id,td a,h3{white-space:nowrap;font-family:monospace}\n"
    "h3{overflow-x:auto}td{overflow-wrap:break-word}p{overflow-wrap:anywhere}\n"
    "@media (max-width:700px){body{margin:10px}.bar{width:140px!important}.svc{flex-wrap:wrap}}\n"
    "table{border-collapse:collapse;margin:12px 0}th,td{border:1px solid #ccc;padding:3px 8px;text-align:left}\n"
    "th{background:#eee;cursor:pointer;user-select:none}td.n{text-align:right}\n"
    ".judged{color:#060}.too_young,.coverage_gaps,.no_data{color:#a60}\n"
    "section{border-top:1px solid #ccc;margin-top:16px}\n"
    ".svc{display:flex;align-items:center;gap:8px;margin:2px 0}.svc .name{width:180px;font-family:monospace}\n"
    ".bar{display:flex;width:420px;height:12px;background:#f4f4f4;border:1px solid #ccc}\n"
    ".bar span{display:block;height:100%}.u{background:#2a2}.x{background:#d33}.o{background:#bbb}\n"
    ".legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}\n"
    "code{font-size:12px}\n"
    ".sev{display:inline-block;padding:0 6px;border-radius:3px;font-weight:bold}\n"
    ".sev-critical{background:#b00;color:#fff}.sev-high{background:#e60;color:#fff}.sev-medium{background:#fc3}\n"
    ".sev-low{background:#def}.sev-info{background:#eee}\n</style></head><body>\n";

static const char html_script[] =
    "<script>\n"
    "document.querySelectorAll('#principals th').forEach(function(th,i){th.addEventListener('click',function(){\n"
    " var tb=document.querySelector('#principals tbody'),rows=Array.prototype.slice.call(tb.rows);\n"
    " var num=th.hasAttribute('data-num'),dir=th.getAttribute('data-dir')==='asc'?-1:1;\n"
    " th.setAttribute('data-dir',dir===1?'asc':'desc');\n"
    " rows.sort(function(a,b){var x=a.cells[i].textContent,y=b.cells[i].textContent;\n"
    "  return dir*(num?(Number(x)-Number(y)):x.localeCompare(y));});\n"
    " rows.forEach(function(r){tb.appendChild(r);});});});\n"
    "</script>\n";

static void html_bar(FILE *f, const svc *v)
{
    double g = v->granted ? (double)v->granted : 1.0;
    fputs("<div class=\"svc\"><span class=\"name\">", f);
    out_html(f, v->prefix);
    fprintf(f, "</span><div class=\"bar\" title=\"used %zu, unused %zu, other %zu\"><span class=\"u\" style=\"width:%.1f%%\">"
               "</span><span class=\"x\" style=\"width:%.1f%%\"></span><span class=\"o\" style=\"width:%.1f%%\"></span></div>"
               "<span>%zu used, %zu unused, %zu other of %zu</span></div>\n",
            v->used, v->unused, v->other, 100.0 * (double)v->used / g, 100.0 * (double)v->unused / g,
            100.0 * (double)v->other / g, v->used, v->unused, v->other, v->granted);
}

/* ---- HTML: trust ------------------------------------------------------------ */

static void html_sev(FILE *f, gen_trust_sev s)
{
    fprintf(f, "<span class=\"sev sev-%s\">%s</span>", gen_trust_sev_name(s), gen_trust_sev_name(s));
}

/* Every role's trust findings in one table, the most severe first. */
static void html_trust_findings(FILE *f, const un_report *r)
{
    size_t total = 0;
    for (size_t i = 0; i < r->n; i++)
        total += r->res[i].trust ? r->res[i].trust->n : 0;
    fprintf(f, "<h2>Trust findings</h2>\n<p>%zu finding%s on who may assume the roles (their "
               "AssumeRolePolicyDocument against who assumed them in the window).</p>\n", total, total == 1 ? "" : "s");
    if (!total)
        return;
    fputs("<div class=\"scroll\"><table id=\"trust\"><thead><tr><th>role</th><th>severity</th><th>about</th><th>finding</th></tr></thead>"
          "<tbody>\n", f);
    for (int sev = GEN_SEV_CRITICAL; sev >= GEN_SEV_INFO; sev--)
        for (size_t i = 0; i < r->n; i++) {
            const gen_trust_review *v = r->res[i].trust;
            for (size_t k = 0; v && k < v->n; k++) {
                if ((int)v->f[k].sev != sev)
                    continue;
                fprintf(f, "<tr class=\"sev-row-%s\"><td><a href=\"#p%zu\">", gen_trust_sev_name(v->f[k].sev), i);
                out_html(f, r->res[i].p->arn);
                fputs("</a></td><td>", f);
                html_sev(f, v->f[k].sev);
                fputs("</td><td><code>", f);
                out_html(f, v->f[k].what);
                fputs("</code></td><td>", f);
                out_html(f, v->f[k].reason);
                fputs("</td></tr>\n", f);
            }
        }
    fputs("</tbody></table></div>\n", f);
}

/* A role's trust review in its own section. */
static void html_trust_role(FILE *f, const gen_trust_review *v)
{
    fprintf(f, "<p>Trust: assumed %lld time%s in the window", (long long)v->assumptions, v->assumptions == 1 ? "" : "s");
    for (size_t i = 0; i < v->nunseen; i++) {
        fputs(i ? ", <code>" : "; trusted but never seen: <code>", f);
        out_html(f, v->unseen[i]);
        fputs("</code>", f);
    }
    fputs(".", f);
    for (size_t i = 0; i < v->n; i++) {
        fputs("<br>", f);
        html_sev(f, v->f[i].sev);
        fputs(" <code>", f);
        out_html(f, v->f[i].what);
        fputs("</code>: ", f);
        out_html(f, v->f[i].reason);
    }
    fputs("</p>\n", f);
}

/* The principals table's "unused services": the first UN_HTML_NAMES of
 * the services granted and wholly unused, then how many more (a wildcard
 * grant makes hundreds). */
static void html_unused_services(const un_result *r, char *buf, size_t n)
{
    svc *v = NULL;
    size_t nv = services(r, &v), used = 0, shown = 0, more = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < nv; i++) {
        if (!v[i].unused || v[i].used)
            continue;
        if (shown == UN_HTML_NAMES) {
            more++;
            continue;
        }
        int w = snprintf(buf + used, n - used, "%s%s", used ? " " : "", v[i].prefix);
        if (w > 0 && (size_t)w < n - used)
            used += (size_t)w;
        shown++;
    }
    if (more)
        snprintf(buf + used, n - used, " and %zu more", more);
    free(v);
}

/* One service's unused actions: "s3:*" when every granted action of a
 * service granted by a wildcard (many actions) is unused, else the names. */
static void html_unused_actions(FILE *f, const un_result *x, const svc *v, size_t *k, size_t *w)
{
    if (v->unused == v->granted && v->granted >= UN_HTML_WHOLE) {
        fprintf(f, "%s<span class=\"id\">", (*w)++ ? " " : "");
        out_html(f, v->prefix);
        fprintf(f, ":*</span> (all %zu)", v->granted);
        *k += v->granted;
        return;
    }
    for (size_t end = *k + v->granted; *k < end; (*k)++)
        if (x->acts[*k].status == UN_UNUSED) {
            fputs((*w)++ ? " " : "", f);
            out_html(f, x->acts[*k].action->full);
        }
}

static void html_principal(FILE *f, const un_result *x, size_t idx)
{
    fprintf(f, "<section id=\"p%zu\"><h3>", idx);
    out_html(f, x->p->arn);
    fprintf(f, "</h3>\n<p class=\"%s\">%s: ", un_verdict_name(x->verdict), un_verdict_name(x->verdict));
    out_html(f, x->reason);
    fputs("</p>\n", f);
    svc *v = NULL;
    size_t nv = services(x, &v), idle = 0, idle_acts = 0, drawn = 0;
    /* A bar per service with some use; the wholly unused ones after the
     * first UN_HTML_NAMES are one line, not hundreds of bars. */
    for (size_t i = 0; i < nv; i++) {
        int whole = v[i].unused == v[i].granted;
        if (whole && idle++ >= UN_HTML_NAMES) {
            idle_acts += v[i].granted;
            continue;
        }
        if (drawn++ < UN_HTML_SERVICES)
            html_bar(f, &v[i]);
    }
    if (idle > UN_HTML_NAMES)
        fprintf(f, "<p>... and %zu more services granted and wholly unused (%zu actions: a wildcard "
                   "grant)</p>\n",
                idle - UN_HTML_NAMES, idle_acts);
    if (x->count[UN_UNUSED]) {
        fprintf(f, "<details><summary>%zu unused actions</summary><p>", x->count[UN_UNUSED]);
        for (size_t i = 0, k = 0, w = 0; i < nv; i++)
            html_unused_actions(f, x, &v[i], &k, &w);
        fputs("</p></details>\n", f);
    }
    free(v);
    if (x->trust)
        html_trust_role(f, x->trust);
    fputs("</section>\n", f);
}

static void render_html(FILE *f, const un_report *r)
{
    char from[11], to[11];
    tt_day_format(r->from_day, from);
    tt_day_format(r->to_day, to);
    fputs(html_head, f);
    fputs("<h1>Unused permissions</h1>\n<p>Granted by <code>", f);
    out_html(f, r->authz);
    fprintf(f, "</code>, used from %s to %s (UTC days). Unused actions are those a judged principal was granted "
               "and never used successfully in the window.</p>\n", from, to);
    fputs("<p class=\"legend\">Bars:<span class=\"u\"></span>used<span class=\"x\"></span>unused"
          "<span class=\"o\"></span>not observable, kept (NOREPO) or not judged</p>\n", f);
    fputs("<div class=\"scroll\"><table id=\"principals\"><thead><tr><th>principal</th><th>type</th><th>status</th>"
          "<th data-num>granted</th><th data-num>used</th><th data-num>unused</th><th data-num>not observable</th>"
          "<th data-num>kept</th><th>unused services</th></tr></thead><tbody>\n", f);
    for (size_t i = 0; i < r->n; i++) {
        const un_result *x = &r->res[i];
        char svcs[2048];
        html_unused_services(x, svcs, sizeof svcs);
        fprintf(f, "<tr><td><a href=\"#p%zu\">", i);
        out_html(f, x->p->arn);
        fprintf(f, "</a></td><td>%s</td><td class=\"%s\">%s</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td>"
                   "<td class=\"n\">%zu</td><td class=\"n\">%zu</td><td class=\"n\">%zu</td><td>",
                x->p->kind, un_verdict_name(x->verdict), un_verdict_name(x->verdict), x->n, x->count[UN_USED],
                x->count[UN_UNUSED], not_observable(x), x->count[UN_KEPT]);
        out_html(f, svcs);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table></div>\n", f);
    html_trust_findings(f, r);
    for (size_t i = 0; i < r->n; i++)
        html_principal(f, &r->res[i], i);
    fputs(html_script, f);
    fputs("</body></html>\n", f);
}

void un_render(FILE *f, un_format fmt, const un_report *r)
{
    switch (fmt) {
    case UN_JSON: render_json(f, r); break;
    case UN_CSV: render_csv(f, r); break;
    case UN_HTML: render_html(f, r); break;
    default: render_table(f, r); break;
    }
}

void un_render_json_warned(FILE *f, const un_report *rep, const char *const *warnings, size_t n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem) { /* no memory for the buffer: the report without them */
        un_render(f, UN_JSON, rep);
        return;
    }
    un_render(mem, UN_JSON, rep);
    fclose(mem);
    fputs("{\"warnings\": [", f);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ", " : "", f);
        out_json_str(f, warnings[i]);
    }
    fputs("],\n ", f);
    fwrite(len && buf[0] == '{' ? buf + 1 : buf, 1, len && buf[0] == '{' ? len - 1 : len, f);
    free(buf);
}

void un_render_summary(FILE *f, const un_result *res, size_t n)
{
    size_t v[UN_NVERDICTS] = {0}, c[UN_NSTATUS] = {0};
    for (size_t i = 0; i < n; i++) {
        v[res[i].verdict]++;
        for (int s = 0; s < UN_NSTATUS; s++)
            c[s] += res[i].count[s];
    }
    fprintf(f,
            "trailtrim unused: %zu principals: %zu judged, %zu too young, %zu with coverage gaps, %zu without data; "
            "%zu unused actions, %zu used, %zu not observable, %zu kept (NOREPO), %zu not judged\n",
            n, v[UN_JUDGED], v[UN_YOUNG], v[UN_GAPS], v[UN_NODATA], c[UN_UNUSED], c[UN_USED],
            c[UN_NOT_OBS_PERMISSION] + c[UN_NOT_OBS_DATA], c[UN_KEPT], c[UN_NOT_JUDGED]);
}
