/*
 * cmd_unused.c - `trailtrim unused --authz FILE`: the Repokid-style report.
 * For each user and role of an authorization-details file, the actions it
 * is granted (generate/authz.h) against the actions it used successfully
 * and directly in the window (the `policy` rule), under Repokid's safety
 * rules: young principals, NOREPO statements, actions CloudTrail cannot
 * show, and accounts whose coverage has gaps are never called unused.
 */
#define _XOPEN_SOURCE 700
#include "cmd.h"
#include "files.h"
#include "judging.h"
#include "forensics/trust_load.h"
#include "report/unused_render.h"

#include "common/mem.h"
#include "common/ttime.h"
#include "generate/authz.h"
#include "generate/judge.h"
#include "generate/mapping.h"
#include "store/store.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { OPT_AUTHZ = 1300, OPT_UFORMAT };

static void help(void)
{
    printf("Usage: trailtrim [--db PATH] unused --authz FILE [OPTIONS]\n"
           "\n"
           "The Repokid-style report: for each user and role of FILE (the JSON of\n"
           "`aws iam get-account-authorization-details`), the IAM actions it is\n"
           "granted, those it used successfully and directly in the window, and the\n"
           "unused (\"repoable\") ones, per action and per service. Never unused:\n"
           "actions of a principal created inside the window, of statements whose Sid\n"
           "starts with NOREPO, actions CloudTrail cannot show (iam:PassRole ...;\n"
           "data events when the store holds none of that service), and anything of\n"
           "an account whose coverage has gaps in the window. It never calls AWS.\n"
           "\n"
           "Warnings (on stderr, and under \"warnings\" in the JSON): a file that is one\n"
           "page of the API's output (\"IsTruncated\": true), attached policies, groups or\n"
           "boundaries the file lacks, and a window shorter than 90 days.\n"
           "\n"
           "  --authz FILE             the authorization details (required)\n"
           "  --days N, --until TIME   the window (default: the 90 days up to now)\n"
           "  --format F               table (default on a terminal), json, csv or html\n"
           "  -q                       no summary on stderr\n");
}

/* ---- warnings ---------------------------------------------------------------- */

typedef struct un_warnings {
    char **w;
    size_t n, a;
} un_warnings;

static void add_warning(un_warnings *w, const char *text)
{
    if (w->n == w->a)
        w->w = tt_xrealloc(w->w, (w->a = w->a ? w->a * 2 : 8) * sizeof *w->w);
    w->w[w->n++] = tt_xstrdup(text);
}

static void free_warnings(un_warnings *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->w[i]);
    free(w->w);
}

/* --days too short to judge: shorter than Repokid's minimum age, with what
 * the store's own coverage would allow. */
static void window_warning(un_warnings *w, store *st, int32_t from_day, int32_t to_day)
{
    int32_t days = to_day - from_day + 1;
    store_summary sum;
    tt_error err;
    char text[1024], first[11], last[11], hint[400] = "";
    if (days >= GEN_JUDGE_MIN_DAYS)
        return;
    if (store_get_summary(st, &sum, &err) == TT_OK && sum.first_ms) {
        int32_t have = tt_day_of(sum.last_ms) - tt_day_of(sum.first_ms) + 1;
        tt_day_format(tt_day_of(sum.first_ms), first);
        tt_day_format(tt_day_of(sum.last_ms), last);
        if (have > days)
            snprintf(hint, sizeof hint, "; the store holds %d days (%s..%s): --until %s --days %d would judge on %s",
                     (int)have, first, last, last, (int)(have < GEN_JUDGE_MIN_DAYS ? have : GEN_JUDGE_MIN_DAYS),
                     have < GEN_JUDGE_MIN_DAYS ? "all of them" : "90 of them");
        else
            snprintf(hint, sizeof hint, "; the store holds only %d day%s (%s..%s): ingest more before removing "
                     "permissions", (int)have, have == 1 ? "" : "s", first, last);
    }
    snprintf(text, sizeof text,
             "the window is %d day%s, shorter than the %d days a principal must have existed before its unused "
             "permissions are judged (Repokid's rule): an action used less often than every %d day%s is called "
             "unused%s",
             (int)days, days == 1 ? "" : "s", GEN_JUDGE_MIN_DAYS, (int)days, days == 1 ? "" : "s", hint);
    add_warning(w, text);
}

/* ---- the command ------------------------------------------------------------ */

typedef struct un_opts {
    const char *authz;
    un_format fmt;
    int fmt_set, quiet;
    cmd_window win;
} un_opts;

/* The options of its own (cmd_parse_options). */
static int own_opt(void *ctx, int opt, const char *arg)
{
    un_opts *o = ctx;
    switch (opt) {
    case 'q': o->quiet = 1; return CMD_OPT_TAKEN;
    case OPT_AUTHZ: o->authz = arg; return CMD_OPT_TAKEN;
    case OPT_UFORMAT: {
        int f = out_choice(arg, un_format_names, UN_NFORMATS);
        if (f < 0)
            return cmd_usage_error("unused", "--format takes table, json, csv or html, not \"%s\"", arg);
        o->fmt = (un_format)f;
        o->fmt_set = 1;
        return CMD_OPT_TAKEN;
    }
    default: return CMD_OPT_OTHER;
    }
}

static int parse_opts(un_opts *o, cmd_global *g, int argc, char **argv)
{
    static const struct option longs[] = {
        {"db", required_argument, NULL, OPT_DB},       {"days", required_argument, NULL, OPT_DAYS},
        {"until", required_argument, NULL, OPT_UNTIL}, {"format", required_argument, NULL, OPT_UFORMAT},
        {"authz", required_argument, NULL, OPT_AUTHZ}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cmd_optspec spec = {"unused", "hq", longs, help, own_opt, o, &o->win, NULL};
    int first, rc = cmd_parse_options(&spec, argc, argv, g, &first);
    if (rc)
        return rc == CMD_HELP ? 1 : rc;
    if (!o->authz)
        return cmd_usage_error("unused", "--authz FILE is required (the output of aws iam get-account-authorization-details)");
    if (optind != argc)
        return cmd_usage_error("unused", "unexpected argument \"%s\"", argv[optind]);
    if (!o->fmt_set)
        o->fmt = out_default_format(stdout) == OUT_TABLE ? UN_TABLE : UN_JSON;
    cmd_window_finish(&o->win);
    return 0;
}

int cmd_unused(const cmd_global *gin, int argc, char **argv)
{
    cmd_global g = *gin;
    un_opts o = {NULL, UN_TABLE, 0, 0, {0}};
    cmd_window_init(&o.win);
    int r = parse_opts(&o, &g, argc, argv);
    if (r)
        return r == 1 ? EXIT_OK : r;
    tt_error err;
    tt_error_clear(&err);
    cmd_judging j;
    size_t n = 0;
    un_result *res = NULL;
    gen_trust_review *reviews = NULL;
    forensics_trust_stats tstats;
    gen_judged jd;
    un_warnings warns = {NULL, 0, 0};
    memset(&jd, 0, sizeof jd);
    tt_status s = cmd_judging_open(&j, o.authz, "GEN_AUTHZ_MAX_BYTES", g.db_path, o.win.from_day, o.win.to_day, &err);
    gen_catalog *cat = j.cat;
    gen_authz *az = j.az;
    store *st = j.st;
    if (s != TT_OK)
        goto out;
    n = gen_authz_count(az);
    res = tt_xcalloc(n + 1, sizeof *res);
    for (size_t i = 0; i < n; i++)
        gen_unused_judge(j.jg, cat, az, o.win.from_day, i, &res[i], &jd);
    s = forensics_trust_review_roles(st, g.db_path, o.win.from_day, o.win.to_day, o.authz, j.data, j.len, res, n, &reviews,
                                     &tstats, &err);
    cmd_trust_warn("unused", &tstats);
    if (s != TT_OK)
        goto out;
    const char *const *aw = NULL;
    size_t naw = gen_authz_warnings(az, &aw);
    for (size_t i = 0; i < naw; i++)
        add_warning(&warns, aw[i]);
    window_warning(&warns, st, o.win.from_day, o.win.to_day);
    for (size_t i = 0; i < warns.n; i++)
        fprintf(stderr, "trailtrim unused: warning: %s\n", warns.w[i]);
    un_report rep = {o.authz, o.win.from_day, o.win.to_day, res, n};
    if (o.fmt == UN_JSON)
        un_render_json_warned(stdout, &rep, (const char *const *)warns.w, warns.n);
    else
        un_render(stdout, o.fmt, &rep);
    fflush(stdout);
    if (!o.quiet)
        cmd_window_note("unused", &o.win, 1);
    if (!o.quiet)
        un_render_summary(stderr, res, n);
out:
    for (size_t i = 0; res && i < n; i++)
        free(res[i].acts);
    free(res);
    forensics_trust_reviews_free(reviews, n);
    gen_judged_free(&jd);
    free_warnings(&warns);
    cmd_judging_close(&j);
    if (s != TT_OK) {
        cmd_error(err.msg);
        return cmd_exit_for(s);
    }
    return EXIT_OK;
}
