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
#include "unused_render.h"

#include "../common/mem.h"
#include "../common/ttime.h"
#include "../generate/authz.h"
#include "../generate/cimap.h"
#include "../generate/mapping.h"
#include "store.h"
#include "store_gen.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { OPT_AUTHZ = 1300, OPT_UFORMAT };

#define MS_PER_DAY 86400000LL

typedef struct un_used {
    size_t act;
    int64_t last_ms;
} un_used;

typedef struct un_acc {
    un_used *used;
    size_t n, a;
} un_acc;

/* One account's days with data in the window. */
typedef struct un_cov {
    char account[64];
    uint8_t *have; /* one per window day */
    int truncated; /* its gap list was cut short: days unknown */
} un_cov;

typedef struct un_run {
    const gen_catalog *cat;
    const gen_map *map;
    const gen_authz *az;
    int32_t from_day, to_day;
    gen_cimap by_arn; /* ARN -> un_acc */
    un_acc *accs;
    gen_cimap data_seen; /* prefix -> non-NULL: data events of it in the window */
    un_cov *covs;
    size_t ncovs;
} un_run;

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
           "  --authz FILE             the authorization details (required)\n"
           "  --days N, --until TIME   the window (default: the 90 days up to now)\n"
           "  --format F               table (default on a terminal), json, csv or html\n"
           "  -q                       no summary on stderr\n");
}

/* ---- usage ---------------------------------------------------------------- */

static int seen_mark; /* the value of data_seen entries */

static int on_usage(void *ctx, const store_gen_usage *u)
{
    un_run *run = ctx;
    gen_map_result r;
    gen_map_resolve(run->map, u->source, u->event, &r);
    for (size_t i = 0; i < r.n && u->calls > 0; i++)
        if (gen_authz_observability(r.acts[i].action) == GEN_OBS_DATA_EVENT)
            gen_cimap_put(&run->data_seen, r.acts[i].action->prefix, "", &seen_mark);
    un_acc *a = u->arn ? gen_cimap_get(&run->by_arn, u->arn, "", 0) : NULL;
    int64_t ok = u->calls - u->errors - u->via_service - u->service_events;
    if (!a || ok <= 0 || r.rule == GEN_RULE_UNMAPPED)
        return 0;
    for (size_t i = 0; i < r.n; i++) {
        if (!r.acts[i].granted)
            continue;
        if (a->n == a->a)
            a->used = tt_xrealloc(a->used, (a->a = a->a ? a->a * 2 : 16) * sizeof *a->used);
        a->used[a->n++] = (un_used){gen_authz_index(run->cat, r.acts[i].action), u->last_ms};
    }
    return 0;
}

/* ---- coverage --------------------------------------------------------------- */

static int day_of_text(const char *s, size_t n, int32_t *day)
{
    char buf[16];
    int64_t ms;
    if (n != 10)
        return -1;
    memcpy(buf, s, 10);
    buf[10] = '\0';
    if (tt_time_parse_user(buf, 0, &ms) != 0)
        return -1;
    *day = tt_day_of(ms);
    return 0;
}

static void mark(un_run *run, un_cov *c, int32_t from, int32_t to, uint8_t v)
{
    for (int32_t d = from < run->from_day ? run->from_day : from; d <= to && d <= run->to_day; d++)
        c->have[d - run->from_day] = v;
}

static int on_coverage(void *ctx, const store_row *row)
{
    un_run *run = ctx;
    const char *acct = row->text[0], *first = row->text[2], *last = row->text[3], *gaps = row->text[6];
    if (!acct || !first || !last)
        return 0;
    un_cov *c = NULL;
    for (size_t i = 0; i < run->ncovs && !c; i++)
        if (strcmp(run->covs[i].account, acct) == 0)
            c = &run->covs[i];
    if (!c) {
        run->covs = tt_xrealloc(run->covs, (run->ncovs + 1) * sizeof *run->covs);
        c = &run->covs[run->ncovs++];
        memset(c, 0, sizeof *c);
        snprintf(c->account, sizeof c->account, "%s", acct);
        c->have = tt_xcalloc((size_t)(run->to_day - run->from_day + 1), 1);
    }
    int32_t f, l;
    if (day_of_text(first, strlen(first), &f) != 0 || day_of_text(last, strlen(last), &l) != 0) {
        c->truncated = 1;
        return 0;
    }
    /* This region's days: [first, last] minus its gaps. Regions add up. */
    uint8_t *mine = tt_xcalloc((size_t)(run->to_day - run->from_day + 1), 1);
    un_cov tmp = *c;
    tmp.have = mine;
    mark(run, &tmp, f, l, 1);
    for (const char *p = gaps ? gaps : ""; *p;) {
        while (*p == ' ')
            p++;
        const char *e = strchr(p, ' ');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 0)
            break;
        int32_t a, b;
        if (n == 22 && p[10] == '.' && p[11] == '.' && day_of_text(p, 10, &a) == 0 && day_of_text(p + 12, 10, &b) == 0)
            mark(run, &tmp, a, b, 0);
        else if (day_of_text(p, n, &a) == 0)
            mark(run, &tmp, a, a, 0);
        else
            c->truncated = 1; /* "..." : the list was cut short */
        p += n;
    }
    for (int32_t d = 0; d <= run->to_day - run->from_day; d++)
        c->have[d] |= mine[d];
    free(mine);
    return 0;
}

/* ---- judging ---------------------------------------------------------------- */

static int cmp_used(const void *x, const void *y)
{
    const un_used *a = x, *b = y;
    return a->act < b->act ? -1 : a->act > b->act;
}

/* The verdict on a principal as a whole: judged, or why not. */
static un_verdict verdict(const un_run *run, const gen_authz_principal *p, char *why, size_t n)
{
    char day[11];
    if (p->created_ms > (int64_t)run->from_day * MS_PER_DAY) {
        char t[21];
        tt_time_format(p->created_ms, t);
        tt_day_format(run->from_day, day);
        snprintf(why, n, "created %s, after the window's start (%s): too young to judge", t, day);
        return UN_YOUNG;
    }
    const un_cov *c = NULL;
    for (size_t i = 0; i < run->ncovs && !c; i++)
        if (strcmp(run->covs[i].account, p->account) == 0)
            c = &run->covs[i];
    int32_t days = run->to_day - run->from_day + 1, missing = 0, first_missing = -1;
    for (int32_t d = 0; c && d < days; d++)
        if (!c->have[d] && missing++ == 0)
            first_missing = run->from_day + d;
    if (!c || missing == days) {
        snprintf(why, n, "the store holds no events of account %s in the window: no data is not no usage",
                 p->account[0] ? p->account : "(none)");
        return UN_NODATA;
    }
    if (missing > 0 || c->truncated) {
        tt_day_format(first_missing >= 0 ? first_missing : run->from_day, day);
        snprintf(why, n, "the store has no events of account %s on %d of the window's %d days (from %s): "
                         "coverage gaps, nothing is called unused",
                 p->account, missing, days, day);
        return UN_GAPS;
    }
    snprintf(why, n, "judged on %d days of complete coverage", days);
    return UN_JUDGED;
}

static void judge(const un_run *run, size_t i, un_result *res, int64_t *last)
{
    const gen_authz_principal *p = gen_authz_at(run->az, i);
    un_acc *acc = &run->accs[i];
    size_t ncat = gen_catalog_count(run->cat);
    memset(res, 0, sizeof *res);
    res->p = p;
    res->verdict = verdict(run, p, res->reason, sizeof res->reason);
    memset(last, 0, ncat * sizeof *last);
    for (size_t k = 0; k < acc->n; k++)
        if (acc->used[k].act < ncat && acc->used[k].last_ms + 1 > last[acc->used[k].act])
            last[acc->used[k].act] = acc->used[k].last_ms + 1; /* 0 = unused */
    for (size_t k = 0; k < ncat; k++) {
        uint8_t f = p->acts[k];
        res->denied += (f & GEN_AZ_DENIED) != 0;
        res->bounded += (f & GEN_AZ_BOUNDARY) != 0;
        if (!(f & GEN_AZ_GRANTED))
            continue;
        const gen_action *act = gen_catalog_at(run->cat, k);
        un_status s;
        gen_obs obs = gen_authz_observability(act);
        if (last[k])
            s = UN_USED;
        else if (f & GEN_AZ_NOREPO)
            s = UN_KEPT;
        else if (obs == GEN_OBS_PERMISSION_ONLY)
            s = UN_NOT_OBS_PERMISSION;
        else if (obs == GEN_OBS_DATA_EVENT && !gen_cimap_get(&run->data_seen, act->prefix, "", 0))
            s = UN_NOT_OBS_DATA;
        else if (res->verdict != UN_JUDGED)
            s = UN_NOT_JUDGED;
        else
            s = UN_UNUSED;
        if (res->n == res->a)
            res->acts = tt_xrealloc(res->acts, (res->a = res->a ? res->a * 2 : 64) * sizeof *res->acts);
        res->acts[res->n++] = (un_act){act, s, f, last[k] ? last[k] - 1 : 0};
        res->count[s]++;
    }
}

/* ---- the command ------------------------------------------------------------ */

typedef struct un_opts {
    const char *authz;
    un_format fmt;
    int fmt_set, quiet;
    cmd_window win;
} un_opts;

static int parse_opts(un_opts *o, cmd_global *g, int argc, char **argv)
{
    static const struct option longs[] = {
        {"db", required_argument, NULL, OPT_DB},       {"days", required_argument, NULL, OPT_DAYS},
        {"until", required_argument, NULL, OPT_UNTIL}, {"format", required_argument, NULL, OPT_UFORMAT},
        {"authz", required_argument, NULL, OPT_AUTHZ}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "hq", longs, NULL)) != -1) {
        switch (opt) {
        case 'h': help(); return 1;
        case 'q': o->quiet = 1; break;
        case OPT_AUTHZ: o->authz = optarg; break;
        case OPT_UFORMAT:
            if (un_parse_format(optarg, &o->fmt) != 0)
                return cmd_usage_error("unused", "--format takes table, json, csv or html, not \"%s\"", optarg);
            o->fmt_set = 1;
            break;
        default: {
            int r = cmd_common_opt("unused", opt, optarg, g, &o->win, NULL);
            if (r < 0)
                return EXIT_USAGE;
            if (r == 0)
                return cmd_usage_error("unused", "unknown option");
        }
        }
    }
    if (!o->authz)
        return cmd_usage_error("unused", "--authz FILE is required (the output of aws iam get-account-authorization-details)");
    if (optind != argc)
        return cmd_usage_error("unused", "unexpected argument \"%s\"", argv[optind]);
    if (!o->fmt_set)
        o->fmt = out_default_format(stdout) == OUT_TABLE ? UN_TABLE : UN_JSON;
    cmd_window_finish(&o->win);
    return 0;
}

/* Reads a whole file, refusing one past GEN_AUTHZ_MAX_BYTES. */
static tt_status read_file(const char *path, char **data, size_t *len, tt_error *err)
{
    char eb[128];
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return tt_fail(err, TT_ERR_IO, "%s: %s", path, tt_errno_text(errno, eb, sizeof eb));
    tt_buf b;
    tt_buf_init(&b, GEN_AUTHZ_MAX_BYTES);
    tt_status st = TT_OK;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (tt_buf_append(&b, chunk, n) != 0) {
            st = tt_fail(err, TT_ERR_LIMIT, "%s: more than %u bytes (GEN_AUTHZ_MAX_BYTES)", path, GEN_AUTHZ_MAX_BYTES);
            break;
        }
    if (st == TT_OK && ferror(f))
        st = tt_fail(err, TT_ERR_IO, "%s: read error", path);
    fclose(f);
    if (st != TT_OK) {
        tt_buf_free(&b);
        return st;
    }
    *data = b.data ? b.data : tt_xstrdup("");
    *len = b.len;
    return TT_OK;
}

static void summary(const un_result *res, size_t n)
{
    size_t v[UN_NVERDICTS] = {0}, c[UN_NSTATUS] = {0};
    for (size_t i = 0; i < n; i++) {
        v[res[i].verdict]++;
        for (int s = 0; s < UN_NSTATUS; s++)
            c[s] += res[i].count[s];
    }
    fprintf(stderr,
            "trailtrim unused: %zu principals: %zu judged, %zu too young, %zu with coverage gaps, %zu without data; "
            "%zu unused actions, %zu used, %zu not observable, %zu kept (NOREPO), %zu not judged\n",
            n, v[UN_JUDGED], v[UN_YOUNG], v[UN_GAPS], v[UN_NODATA], c[UN_UNUSED], c[UN_USED],
            c[UN_NOT_OBS_PERMISSION] + c[UN_NOT_OBS_DATA], c[UN_KEPT], c[UN_NOT_JUDGED]);
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
    gen_catalog *cat = NULL;
    gen_map *map = NULL;
    gen_authz *az = NULL;
    store *st = NULL;
    char *data = NULL;
    size_t len = 0, n = 0;
    un_result *res = NULL;
    int64_t *last = NULL;
    un_run run = {0};
    gen_cimap_init(&run.by_arn);
    gen_cimap_init(&run.data_seen);
    run.from_day = o.win.from_day;
    run.to_day = o.win.to_day;
    tt_status s = gen_catalog_load(&cat, &err);
    if (s == TT_OK)
        s = gen_map_create(&map, cat, &err);
    if (s == TT_OK)
        s = read_file(o.authz, &data, &len, &err);
    if (s == TT_OK)
        s = gen_authz_parse(&az, cat, data, len, o.authz, &err);
    if (s == TT_OK)
        s = store_open(&st, g.db_path, STORE_READ, &err);
    if (s != TT_OK)
        goto out;
    run.cat = cat;
    run.map = map;
    run.az = az;
    n = gen_authz_count(az);
    run.accs = tt_xcalloc(n + 1, sizeof *run.accs);
    for (size_t i = 0; i < n; i++)
        gen_cimap_put(&run.by_arn, gen_authz_at(az, i)->arn, "", &run.accs[i]);
    s = store_gen_each_usage(st, 0, o.win.from_day, o.win.to_day, on_usage, &run, &err);
    if (s == TT_OK)
        s = store_list_coverage(st, on_coverage, &run, &err);
    if (s != TT_OK)
        goto out;
    for (size_t i = 0; i < n; i++)
        if (run.accs[i].n)
            qsort(run.accs[i].used, run.accs[i].n, sizeof *run.accs[i].used, cmp_used);
    res = tt_xcalloc(n + 1, sizeof *res);
    last = tt_xcalloc(gen_catalog_count(cat) + 1, sizeof *last);
    for (size_t i = 0; i < n; i++)
        judge(&run, i, &res[i], last);
    un_report rep = {o.authz, o.win.from_day, o.win.to_day, res, n};
    un_render(stdout, o.fmt, &rep);
    fflush(stdout);
    if (!o.quiet)
        summary(res, n);
out:
    for (size_t i = 0; res && i < n; i++)
        free(res[i].acts);
    free(res);
    free(last);
    for (size_t i = 0; run.accs && i < n; i++)
        free(run.accs[i].used);
    free(run.accs);
    for (size_t i = 0; i < run.ncovs; i++)
        free(run.covs[i].have);
    free(run.covs);
    gen_cimap_free(&run.by_arn);
    gen_cimap_free(&run.data_seen);
    store_close(st, NULL);
    gen_authz_free(az);
    free(data);
    gen_map_free(map);
    gen_catalog_free(cat);
    if (s != TT_OK) {
        cmd_error(err.msg);
        return cmd_exit_for(s);
    }
    return EXIT_OK;
}
