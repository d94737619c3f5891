/*
 * cmd_keys.c - `trailtrim keys`: every long-lived access key seen in the
 * window (store/store_trust.h, views only), judged with the credential
 * report when one is given (generate/keys.h). Findings are printed and
 * the exit is 0, so that cron can mail the report.
 */
#include "cmd.h"
#include "files.h"
#include "report/keys_render.h"

#include "common/mem.h"
#include "generate/credreport.h"
#include "generate/keys_load.h"
#include "store/store.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_REPORT = 1600, OPT_UNUSED_DAYS, OPT_MAX_AGE, OPT_KFORMAT };

typedef struct keys_opts {
    const char *report;
    int unused_days, max_age_days, html, fmt_set, quiet;
    out_format fmt;
    cmd_window win;
} keys_opts;

static void help(void)
{
    printf("Usage: trailtrim [--db PATH] keys [OPTIONS]\n"
           "\n"
           "Every long-lived access key (AKIA...) that made calls in the window: its\n"
           "owner, first and last use, days since, calls, services, regions, source IPs\n"
           "and user agents (how many, and the newest), and what it minted. With the\n"
           "credential report, also the keys the logs never saw, each key's age since\n"
           "its last rotation, and users with a password but no MFA. Keys unused for\n"
           "more than --unused-days or older than --max-age-days are flagged. The\n"
           "report has no key IDs: its keys are matched by user (and by last use).\n"
           "Exits 0 with findings printed.\n"
           "\n"
           "  --credential-report FILE  the CSV of aws iam get-credential-report\n"
           "  --unused-days N           flag keys unused this long (default 45)\n"
           "  --max-age-days N          flag keys not rotated this long (default 90)\n"
           "  --days N, --until TIME    the window (default: the 90 days up to now)\n"
           "  --format F                table (default on a terminal), json, csv or html\n"
           "  -q                        no summary on stderr\n");
}

static int days_opt(const char *name, const char *arg, int *days)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (!*arg || *end || v < 1 || v > 36600)
        return cmd_usage_error("keys", "%s takes a whole number of days from 1 to 36600, not \"%s\"", name, arg);
    *days = (int)v;
    return 0;
}

static int format_opt(keys_opts *o, const char *arg)
{
    o->fmt_set = 1;
    if (strcmp(arg, "html") == 0) {
        o->html = 1;
        return 0;
    }
    if (out_parse_format(arg, &o->fmt) != 0)
        return cmd_usage_error("keys", "--format takes table, json, csv or html, not \"%s\"", arg);
    return 0;
}

/* The options of its own (cmd_parse_options). */
static int own_opt(void *ctx, int opt, const char *arg)
{
    keys_opts *o = ctx;
    switch (opt) {
    case 'q': o->quiet = 1; return CMD_OPT_TAKEN;
    case OPT_REPORT: o->report = arg; return CMD_OPT_TAKEN;
    case OPT_UNUSED_DAYS: return days_opt("--unused-days", arg, &o->unused_days);
    case OPT_MAX_AGE: return days_opt("--max-age-days", arg, &o->max_age_days);
    case OPT_KFORMAT: return format_opt(o, arg);
    default: return CMD_OPT_OTHER;
    }
}

static int parse_opts(keys_opts *o, cmd_global *g, int argc, char **argv)
{
    static const struct option longs[] = {
        {"db", required_argument, NULL, OPT_DB},          {"days", required_argument, NULL, OPT_DAYS},
        {"until", required_argument, NULL, OPT_UNTIL},    {"format", required_argument, NULL, OPT_KFORMAT},
        {"credential-report", required_argument, NULL, OPT_REPORT},
        {"unused-days", required_argument, NULL, OPT_UNUSED_DAYS},
        {"max-age-days", required_argument, NULL, OPT_MAX_AGE},
        {"help", no_argument, NULL, 'h'},                 {NULL, 0, NULL, 0}};
    cmd_optspec spec = {"keys", "hq", longs, help, own_opt, o, &o->win, NULL};
    int first, rc = cmd_parse_options(&spec, argc, argv, g, &first);
    if (rc)
        return rc == CMD_HELP ? 1 : rc;
    if (optind != argc)
        return cmd_usage_error("keys", "unexpected argument \"%s\"", argv[optind]);
    if (!o->fmt_set)
        o->fmt = out_default_format(stdout);
    cmd_window_finish(&o->win);
    return 0;
}

static tt_status read_report(const char *path, gen_credreport *rep, tt_error *err)
{
    char *data = NULL;
    size_t len = 0;
    tt_status s = cmd_read_file(path, GEN_CRED_MAX_BYTES, "GEN_CRED_MAX_BYTES", &data, &len, err);
    if (s == TT_OK)
        s = gen_credreport_parse(data, len, path, rep, err);
    free(data);
    return s;
}

int cmd_keys(const cmd_global *gin, int argc, char **argv)
{
    cmd_global g = *gin;
    keys_opts o = {NULL, 45, 90, 0, 0, 0, OUT_TABLE, {0}};
    cmd_window_init(&o.win);
    int r = parse_opts(&o, &g, argc, argv);
    if (r)
        return r == 1 ? EXIT_OK : r;
    tt_error err;
    tt_error_clear(&err);
    gen_credreport rep;
    memset(&rep, 0, sizeof rep);
    gen_keys k;
    memset(&k, 0, sizeof k);
    store *st = NULL;
    tt_status s = o.report ? read_report(o.report, &rep, &err) : TT_OK;
    if (s == TT_OK)
        s = store_open(&st, g.db_path, STORE_READ, &err);
    if (s == TT_OK)
        s = gen_keys_load(&k, st, o.win.since_ms, o.win.until_ms, &err);
    if (s == TT_OK && !o.quiet)
        cmd_window_note("keys", &o.win, 0);
    if (s == TT_OK && k.n == 0)
        cmd_window_empty_note("keys", &o.win, 0, st);
    if (s == TT_OK) {
        gen_keys_judge(&k, o.report ? &rep : NULL, o.win.until_ms, o.unused_days,
                       o.max_age_days);
        keys_view v = {&k, o.win.until_ms, o.win.days, o.unused_days, o.max_age_days, o.report};
        if (o.html)
            keys_render_html(stdout, &v);
        else
            keys_render(stdout, o.fmt, &v);
        if (fflush(stdout) != 0 || ferror(stdout))
            s = tt_fail(&err, TT_ERR_IO, "stdout: write failed");
        if (s == TT_OK && !o.quiet)
            fprintf(stderr, "trailtrim keys: %zu long-lived keys, %zu findings\n", k.n, k.findings);
    }
    store_close(st, NULL);
    gen_keys_free(&k);
    gen_credreport_free(&rep);
    if (s != TT_OK) {
        cmd_error(err.msg);
        return cmd_exit_for(s);
    }
    return EXIT_OK;
}
