/*
 * keys_render.c - keys_render.h: one row per key (and, with a credential
 * report, one per user with a password and no MFA).
 */
#include "keys_render.h"

#include "common/ttime.h"

#include <stdio.h>
#include <string.h>

enum { K_KEY, K_OWNER, K_FIRST, K_LAST, K_DAYS, K_CALLS, K_ERRORS, K_SERVICES, K_REGIONS, K_IPS, K_NEWEST_IP,
       K_AGENTS, K_NEWEST_AGENT, K_MINTED, K_SLOT, K_ACTIVE, K_ROTATED, K_AGE, K_FINDINGS, K_NCOLS };

static const char *const key_cols[K_NCOLS] = {
    "key", "owner", "first_used", "last_used", "days_since_use", "calls", "errors", "services", "regions",
    "source_ips", "newest_ip", "user_agents", "newest_agent", "minted", "report_slot", "active",
    "last_rotated", "age_days", "findings"};
static const int key_num[K_NCOLS] = {0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0};

typedef struct cells {
    char num[K_NCOLS][32];
    char time[4][21];
    const char *text[K_NCOLS];
} cells;

static const char *num_or_null(char *buf, int64_t v, int show)
{
    if (!show)
        return NULL;
    snprintf(buf, 32, "%lld", (long long)v);
    return buf;
}

static const char *time_or_null(char *buf, int64_t ms)
{
    if (!ms)
        return NULL;
    tt_time_format(ms, buf);
    return buf;
}

static void key_cells(const gen_key *g, cells *c)
{
    c->text[K_KEY] = g->key;
    c->text[K_OWNER] = g->owner;
    c->text[K_FIRST] = g->seen ? time_or_null(c->time[0], g->first) : NULL;
    c->text[K_LAST] = g->seen ? time_or_null(c->time[1], g->last) : NULL;
    c->text[K_DAYS] = num_or_null(c->num[K_DAYS], g->days_since_use, g->days_since_use >= 0);
    c->text[K_CALLS] = num_or_null(c->num[K_CALLS], g->calls, 1);
    c->text[K_ERRORS] = num_or_null(c->num[K_ERRORS], g->errors, 1);
    c->text[K_SERVICES] = g->service_list;
    c->text[K_REGIONS] = g->region_list;
    c->text[K_IPS] = num_or_null(c->num[K_IPS], g->ips, 1);
    c->text[K_NEWEST_IP] = g->newest_ip;
    c->text[K_AGENTS] = num_or_null(c->num[K_AGENTS], g->agents, 1);
    c->text[K_NEWEST_AGENT] = g->newest_agent;
    c->text[K_MINTED] = g->minted;
    c->text[K_SLOT] = num_or_null(c->num[K_SLOT], g->slot, g->slot > 0);
    c->text[K_ACTIVE] = g->active < 0 ? NULL : g->active ? "true" : "false";
    c->text[K_ROTATED] = time_or_null(c->time[2], g->last_rotated);
    c->text[K_AGE] = num_or_null(c->num[K_AGE], g->age_days, g->age_days >= 0);
    c->text[K_FINDINGS] = g->findings;
}

void keys_render(FILE *f, out_format fmt, const keys_view *v)
{
    out *o = out_open(f, fmt, 1);
    out_section(o, "keys", K_NCOLS, key_cols);
    for (size_t i = 0; i < v->k->n; i++) {
        cells c;
        key_cells(&v->k->keys[i], &c);
        out_row(o, c.text, key_num);
    }
    if (v->k->with_report) {
        static const char *const cols[] = {"user", "arn", "password_last_used", "finding"};
        out_section(o, "users_without_mfa", 4, cols);
        for (size_t i = 0; i < v->k->nno_mfa; i++) {
            const gen_key_user *u = &v->k->no_mfa[i];
            char t[21];
            const char *text[4] = {u->user, u->arn, time_or_null(t, u->password_last_used),
                                   "a console password without MFA"};
            out_row(o, text, NULL);
        }
    }
    out_close(o);
    if (fmt == OUT_JSON)
        fputc('\n', f);
}

void keys_render_html(FILE *f, const keys_view *v)
{
    char until[21];
    tt_time_format(v->until_ms, until);
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>trailtrim keys</title>\n"
          "<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}"
          "td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}"
          "tr.flag td{background:#fff3f0}</style></head><body>\n<h1>Long-lived access keys</h1>\n", f);
    fprintf(f, "<p>%d days up to %s; unused over %d days or older than %d days is flagged; %zu findings.</p>\n",
            v->days, until, v->unused_days, v->max_age_days, v->k->findings);
    fputs("<table><tr>", f);
    for (int i = 0; i < K_NCOLS; i++) {
        fputs("<th>", f);
        out_html(f, key_cols[i]);
        fputs("</th>", f);
    }
    fputs("</tr>\n", f);
    for (size_t i = 0; i < v->k->n; i++) {
        cells c;
        key_cells(&v->k->keys[i], &c);
        fprintf(f, "<tr%s>", v->k->keys[i].findings[0] ? " class=\"flag\"" : "");
        for (int j = 0; j < K_NCOLS; j++) {
            fputs("<td>", f);
            out_html(f, c.text[j] ? c.text[j] : "-");
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
    if (v->k->with_report) {
        fputs("<h2>Users with a password and no MFA</h2>\n<ul>\n", f);
        for (size_t i = 0; i < v->k->nno_mfa; i++) {
            fputs("<li>", f);
            out_html(f, v->k->no_mfa[i].arn);
            fputs("</li>\n", f);
        }
        fputs("</ul>\n", f);
    }
    fputs("</body></html>\n", f);
}
