/*
 * cmd_search.c - `trailtrim search`: the events matching filters, in time
 * order, streamed as a table, CSV or NDJSON (one JSON object per line), so
 * that a search over tens of millions of events starts printing at once
 * and holds no more than one row. The filters are resolved by
 * store_each_event (store_forensics.h), which says what is indexed.
 * --raw prints the original records instead, read back from their source
 * objects by the reference the store keeps and checked against the
 * SHA-256 recorded at ingest (the evidence cursor, forensics/forensics.h);
 * --event-id reads the eventID the same way (the store does not keep it).
 */
#include "files.h"
#include "cmd.h"

#include "common/ttime.h"
#include "forensics/forensics.h"
#include "ingest/recall.h"
#include "report/search_render.h"
#include "store/store.h"
#include "store/store_forensics.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEARCH_MAX_KEYS 16
#define SEARCH_RECALL_CAP ((size_t)1 << 30) /* one object, decompressed */

enum {
    OPT_KEY = 3000,
    OPT_PRINCIPAL,
    OPT_SESSION,
    OPT_IP,
    OPT_SOURCE,
    OPT_EVENT,
    OPT_ERROR,
    OPT_LIMIT,
    OPT_EXPLAIN,
    OPT_RAW,
    OPT_EVENT_ID
};


static void help(void)
{
    printf("Usage: trailtrim [--db PATH] search [FILTERS] [--format table|csv|json]\n"
           "\n"
           "Events matching every filter given, in time order, streamed. json is NDJSON:\n"
           "one object per line.\n"
           "\n"
           "  --key AKIA...       made with this access key (repeatable: any of them)\n"
           "  --principal NAME    by this principal (an ARN or its unique end)\n"
           "  --session NAME      in a role session of this name\n"
           "  --ip ADDRESS        from this source IP (exact; or a service name as\n"
           "                      CloudTrail writes it, e.g. ec2.amazonaws.com)\n"
           "  --source SERVICE    eventSource, e.g. iam.amazonaws.com (exact; a name\n"
           "                      without a dot, like iam, is refused)\n"
           "  --event GLOB        eventName, a glob: 'Create*', 'Get?ecretValue'\n"
           "  --error GLOB        failed calls whose errorCode matches ('*' for any)\n"
           "  --since, --until T  the window [since, until) (default: all the store holds);\n"
           "                      a day given to --until means through its end\n"
           "  --days N            the N days before --until (default now)\n"
           "  --limit N           at most N events\n"
           "  --explain           print how the store finds the events (SQLite's plan) instead\n"
           "  --raw               print the original records instead, one JSON object a line\n"
           "                      (NDJSON), read back from their source objects and checked\n"
           "                      against the SHA-256 recorded at ingest; a record that\n"
           "                      cannot be read is named on stderr (exit 1 at the end, or\n"
           "                      4 when an object changed)\n"
           "  --event-id          add the eventID column, read back the same way (slower:\n"
           "                      the store does not keep it)\n"
           "\n"
           "Fast: the time window (the primary key). Keys, principals, sessions,\n"
           "sources, names and errors are looked up in small indexed tables first;\n"
           "the events of the window are then read once (a scan of that window).\n");
}

typedef struct search_ctx {
    out_format fmt;
    out *w;
    long rows;
    int raw, ncols;
    int recall;        /* --raw or --event-id: read the records back */
    long unread;       /* records that could not be read back */
    int changed;       /* one of them because its object changed */
} search_ctx;

static forensics_want want_of(void *ctx, const store_fevent *ev)
{
    const search_ctx *sc = ctx;
    return sc->recall ? FORENSICS_RECORD : FORENSICS_EVENT;
}

/* Names a record that could not be read back on stderr and counts it. */
static void unreadable(search_ctx *sc, const store_fevent *ev, const tt_error *problem)
{
    char t[21];
    tt_time_format(ev->t, t);
    fprintf(stderr, "trailtrim search: the record of %s at %s (", ev->name, t);
    out_safe(stderr, ev->path);
    if (ev->member[0]) {
        fputs(" member ", stderr);
        out_safe(stderr, ev->member);
    }
    fprintf(stderr, ", offset %lld) cannot be read: ", (long long)ev->off);
    out_safe(stderr, problem->msg);
    fputc('\n', stderr);
    sc->unread++;
    sc->changed |= problem->status == TT_ERR_FORMAT;
}

static int on_event(void *ctx, const forensics_item *it)
{
    search_ctx *sc = ctx;
    const store_fevent *ev = it->ev;
    char id[128] = "";
    if (it->problem) {
        unreadable(sc, ev, it->problem);
        if (sc->raw)
            return 0;
    } else if (sc->raw) {
        search_render_compact(stdout, it->rec, it->len);
        sc->rows++;
        return 0;
    } else if (it->rec) {
        ingest_recall_field(it->rec, it->len, "eventID", id, sizeof id);
    }
    char t[21];
    tt_time_format(ev->t, t);
    const char *v[SEARCH_NCOLS + 1] = {t,          ev->access_key, ev->principal, ev->session_name,
                                ev->account, ev->source,    ev->name,      ev->region,
                                ev->ip,     ev->error,      ev->ua,        ev->minted,
                                id};
    if (sc->fmt == OUT_JSON) {
        search_render_json_row(stdout, v, sc->ncols);
    } else if (sc->fmt == OUT_CSV) {
        out_row(sc->w, v, NULL);
    } else {
        /* A streamed table: fixed widths for the short columns. */
        printf("%-20s  %-20s  %-12s  ", t, v[1][0] ? v[1] : "-", v[4][0] ? v[4] : "-");
        out_safe(stdout, v[2]);
        fputs("  ", stdout);
        out_safe(stdout, v[5]);
        fputc(':', stdout);
        out_safe(stdout, v[6]);
        fputs("  ", stdout);
        out_safe(stdout, v[7][0] ? v[7] : "-");
        fputs("  ", stdout);
        out_safe(stdout, v[8][0] ? v[8] : "-");
        fputs("  ", stdout);
        out_safe(stdout, v[9][0] ? v[9] : "ok");
        if (sc->ncols > SEARCH_NCOLS) {
            fputs("  ", stdout);
            out_safe(stdout, id[0] ? id : "-");
        }
        fputc('\n', stdout);
    }
    sc->rows++;
    return 0;
}

/* --ip: an address as CloudTrail writes it. Digits and dots (or hex and
 * colons) that are no address are refused; other text is a service name
 * ("ec2.amazonaws.com", "AWS Internal") and searched as it is. */
static int check_ip(const char *ip)
{
    unsigned char buf[16];
    if (strspn(ip, "0123456789.") == strlen(ip))
        return inet_pton(AF_INET, ip, buf) == 1 ? 0 : -1;
    if (strchr(ip, ':') && strspn(ip, "0123456789abcdefABCDEF:.") == strlen(ip))
        return inet_pton(AF_INET6, ip, buf) == 1 ? 0 : -1;
    return 0;
}

/* --source: an eventSource is a host name, "iam.amazonaws.com". */
static int check_source(const char *src)
{
    return strchr(src, '.') ? 0 : -1;
}

static int check_filters(const store_filter *f)
{
    if (f->ip && check_ip(f->ip) != 0)
        return cmd_usage_error("search", "--ip takes an IP address (203.0.113.7, 2001:db8::1) or a "
                                         "service name, not \"%s\"", f->ip);
    if (f->source && check_source(f->source) != 0)
        return cmd_usage_error("search", "--source takes an eventSource such as %s.amazonaws.com, not "
                                         "\"%s\"", f->source, f->source);
    return 0;
}

/* The folder of the store: where relative object paths are tried next
 * (as in cmd_key.c). */
static void print_plan(void *ctx, const char *line)
{
    puts(line);
}

typedef struct search_opts {
    out_format fmt;
    store_filter f;
    const char *keys[SEARCH_MAX_KEYS];
    const char *principal;
    int explain, raw, event_id, format_set;
} search_opts;

/* The options of its own: the filters and how to print (cmd_parse_options). */
static int own_opt(void *ctx, int opt, const char *arg)
{
    search_opts *o = ctx;
    store_filter *f = &o->f;
    char *end;
    switch (opt) {
    case OPT_FORMAT:
        if (out_parse_format(arg, &o->fmt) != 0)
            return cmd_usage_error("search", "--format takes table, json or csv, not \"%s\"", arg);
        o->format_set = 1;
        return CMD_OPT_TAKEN;
    case OPT_KEY:
        if (f->nkeys == SEARCH_MAX_KEYS)
            return cmd_usage_error("search", "at most %d --key options", SEARCH_MAX_KEYS);
        o->keys[f->nkeys++] = arg;
        return CMD_OPT_TAKEN;
    case OPT_PRINCIPAL: o->principal = arg; return CMD_OPT_TAKEN;
    case OPT_SESSION: f->session = arg; return CMD_OPT_TAKEN;
    case OPT_IP: f->ip = arg; return CMD_OPT_TAKEN;
    case OPT_SOURCE: f->source = arg; return CMD_OPT_TAKEN;
    case OPT_EVENT: f->event_glob = arg; return CMD_OPT_TAKEN;
    case OPT_ERROR: f->error_glob = arg; return CMD_OPT_TAKEN;
    case OPT_LIMIT:
        f->limit = strtoll(arg, &end, 10);
        if (!*arg || *end || f->limit < 1)
            return cmd_usage_error("search", "--limit takes a positive number, not \"%s\"", arg);
        return CMD_OPT_TAKEN;
    case OPT_EXPLAIN: o->explain = 1; return CMD_OPT_TAKEN;
    case OPT_RAW: o->raw = 1; return CMD_OPT_TAKEN;
    case OPT_EVENT_ID: o->event_id = 1; return CMD_OPT_TAKEN;
    default: return CMD_OPT_OTHER;
    }
}

int cmd_search(const cmd_global *gin, int argc, char **argv)
{
    cmd_global g = *gin;
    search_opts o;
    memset(&o, 0, sizeof o);
    o.fmt = out_default_format(stdout);
    cmd_window win;
    cmd_window_init_open(&win);
    static const struct option longs[] = {{"db", required_argument, NULL, OPT_DB},
                                          {"format", required_argument, NULL, OPT_FORMAT},
                                          {"key", required_argument, NULL, OPT_KEY},
                                          {"principal", required_argument, NULL, OPT_PRINCIPAL},
                                          {"session", required_argument, NULL, OPT_SESSION},
                                          {"ip", required_argument, NULL, OPT_IP},
                                          {"source", required_argument, NULL, OPT_SOURCE},
                                          {"event", required_argument, NULL, OPT_EVENT},
                                          {"error", required_argument, NULL, OPT_ERROR},
                                          {"since", required_argument, NULL, OPT_SINCE},
                                          {"until", required_argument, NULL, OPT_UNTIL},
                                          {"days", required_argument, NULL, OPT_DAYS},
                                          {"limit", required_argument, NULL, OPT_LIMIT},
                                          {"explain", no_argument, NULL, OPT_EXPLAIN},
                                          {"raw", no_argument, NULL, OPT_RAW},
                                          {"event-id", no_argument, NULL, OPT_EVENT_ID},
                                          {"help", no_argument, NULL, 'h'},
                                          {NULL, 0, NULL, 0}};
    cmd_optspec spec = {"search", "h", longs, help, own_opt, &o, &win, NULL};
    int first, rc = cmd_parse_options(&spec, argc, argv, &g, &first);
    if (rc)
        return rc == CMD_HELP ? EXIT_OK : rc;
    if (first != argc)
        return cmd_usage_error("search", "unexpected argument \"%s\" (filters are options)", argv[first]);
    out_format fmt = o.fmt;
    store_filter f = o.f;
    const char *const *keys = o.keys;
    const char *principal = o.principal;
    int explain = o.explain, raw = o.raw, event_id = o.event_id, format_set = o.format_set;
    if (cmd_window_finish(&win) != 0)
        return cmd_usage_error("search", "--since must be before --until, and not given with --days");
    f.since_ms = win.since_ms;
    f.until_ms = win.until_set || win.days_set ? win.until_ms : 0;
    f.keys = keys;
    if (check_filters(&f) != 0)
        return EXIT_USAGE;
    if (raw && ((format_set && fmt != OUT_JSON) || event_id || explain))
        return cmd_usage_error("search", "--raw prints the records as NDJSON: it takes no --format "
                                         "but json, no --event-id, no --explain");
    tt_error err;
    tt_error_clear(&err);
    store *st = NULL;
    char arn[2200];
    int unread_exit = EXIT_OK;
    tt_status s = store_open(&st, g.db_path, STORE_READ, &err);
    if (s == TT_OK && principal)
        s = store_find_principal(st, principal, &f.principal, arn, sizeof arn, &err);
    if (s == TT_OK && explain) {
        s = store_explain_events(st, &f, print_plan, NULL, &err);
    } else if (s == TT_OK) {
        search_ctx sc = {fmt, NULL, 0, raw, event_id ? SEARCH_NCOLS + 1 : SEARCH_NCOLS, raw || event_id, 0, 0};
        char dir[4096];
        forensics_store_dir(g.db_path, dir, sizeof dir);
        forensics_evidence *ev = forensics_evidence_create(st, dir, SEARCH_RECALL_CAP);
        if (raw) {
            sc.fmt = OUT_JSON;
        } else if (fmt == OUT_CSV) {
            sc.w = out_open(stdout, OUT_CSV, 0);
            out_section(sc.w, NULL, sc.ncols, search_cols);
        } else if (fmt == OUT_TABLE) {
            /* The streamed table's columns, named as in the CSV and JSON. */
            printf("%-20s  %-20s  %-12s  principal  event_source:event_name  region  source_ip  "
                   "error%s\n",
                   "time", "access_key", "account", event_id ? "  event_id" : "");
        }
        cmd_window_note("search", &win, 0); /* NDJSON has no room for it */
        s = forensics_evidence_each(ev, &f, want_of, on_event, &sc, &err);
        out_close(sc.w);
        fflush(stdout);
        forensics_evidence_free(ev);
        if (s == TT_OK && sc.rows == 0 && sc.unread == 0)
            cmd_window_empty_note("search", &win, 0, st);
        if (s == TT_OK && sc.unread) {
            fprintf(stderr, "trailtrim search: %ld record%s could not be read back from %s source "
                            "objects\n",
                    sc.unread, sc.unread == 1 ? "" : "s", sc.unread == 1 ? "its" : "their");
            unread_exit = sc.changed ? EXIT_CHANGED : EXIT_ERROR;
        }
    }
    store_close(st, NULL);
    if (s != TT_OK) {
        cmd_error(err.msg);
        return s == TT_ERR_NOTFOUND ? EXIT_ERROR : cmd_exit_for(s);
    }
    return unread_exit;
}
