/*
 * cmd_policy.c - `trailtrim policy PRINCIPAL` and `policy --all -o DIR`:
 * the customer-managed policy that allows exactly the IAM actions a
 * principal used successfully and directly in the window. Denied and
 * failed calls, calls an AWS service made on its behalf, AWS service
 * events, calls that need no permission and unmapped calls are never
 * granted: they are counted on stderr and listed in the report. Every
 * document is linted before it is written; files are written atomically.
 */
#define _XOPEN_SOURCE 700
#include "cmd.h"
#include "files.h"
#include "judging.h"

#include "common/mem.h"
#include "common/tt.h"
#include "common/ttime.h"
#include "generate/catalog.h"
#include "generate/grant.h"
#include "generate/mapping.h"
#include "generate/observed.h"
#include "generate/policy.h"
#include "report/policy_render.h"
#include "store/store.h"
#include "forensics/policy_observed.h"
#include "forensics/policy_params.h"
#include "policy_from.h"
#include "store/store_gen.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { OPT_ALL = 1200, OPT_RESOURCES, OPT_REPORT, OPT_PFORMAT, OPT_MAX_RECORDS, OPT_RES_REPORT, OPT_FROM };

/* The cap on one output file (a report of a very busy principal). */
#define POL_FILE_CAP (64u << 20)

typedef struct pol_opts {
    gen_format fmt;
    const char *out, *report;
    int all, quiet;
    cmd_window win;
    int observed;            /* --resources observed */
    size_t max_records;      /* --max-records */
    const char *res_report;  /* --resources-report FILE */
    const char *db_path;
    const char *from[64];    /* --from PATH (repeatable): no store */
    size_t nfrom;
    int from_window;         /* --from without a window: the days read */
} pol_opts;

typedef struct pol_run {
    const pol_opts *o;
    const gen_catalog *cat;
    const gen_map *map;
    gen_grant acc;
    int active;
    tt_status st;
    tt_error *err;
    size_t written, skipped, empty;
    int64_t total_actions;
    store *db; /* --resources observed reads events */
    forensics_params *params; /* decides the actions that hang on the request */
    size_t replaced, removed; /* -o: files overwritten, stale parts removed */
} pol_run;

static void help(void)
{
    printf("Usage: trailtrim [--db PATH] policy PRINCIPAL [OPTIONS]\n"
           "       trailtrim [--db PATH] policy --all -o DIR [OPTIONS]\n"
           "       trailtrim policy --from FILE|DIR|- (PRINCIPAL | --all -o DIR) [OPTIONS]\n"
           "\n"
           "Writes the IAM policy that allows exactly the actions PRINCIPAL called\n"
           "successfully and directly in the window: sorted, one statement per\n"
           "service. Denied and failed calls, calls an AWS service made on its behalf\n"
           "(invokedBy), AWS service events, calls that need no permission and calls\n"
           "the mapping cannot resolve are not granted: stderr counts them and --report\n"
           "lists them. A policy over IAM's 6,144 characters is split into several\n"
           "(at most 10, what a role can take); beyond that trailtrim refuses.\n"
           "\n"
           "  --days N, --until TIME   the window (default: the 90 days up to now)\n"
           "  --format F               json (default), terraform or cloudformation\n"
           "  --resources star         Resource \"*\" (the default)\n"
           "  --resources observed     the ARNs its calls named, read back from the source\n"
           "                           objects (JSON only); \"*\" where IAM has no\n"
           "                           resource-level permission or a source is gone\n"
           "  --max-records N          observed: records read at most (default 20000;\n"
           "                           more calls are sampled evenly, and stderr says so)\n"
           "  --resources-report FILE  observed: each action's resources and why (with\n"
           "                           --all: NAME.resources.tsv beside each policy)\n"
           "  -o FILE                  write there atomically (split JSON: FILE, FILE-2...;\n"
           "                           parts an earlier run left beyond them are removed).\n"
           "                           Without -o, JSON is one value: the document, or an\n"
           "                           array of the documents when split\n"
           "  --report FILE            a JSON report: what was granted from which calls,\n"
           "                           and everything not granted, with reasons\n"
           "  --all -o DIR             one policy (and report) per user and role\n"
           "  --from PATH              no store: read CloudTrail files, folders or - (stdin;\n"
           "                           zcat *.gz | trailtrim policy --from - ROLE) into a\n"
           "                           temporary store in $TMPDIR, removed after, as\n"
           "                           `trailtrim ingest` does; repeatable. The window\n"
           "                           defaults to all it read\n"
           "  -q                       no summary on stderr\n");
}

/* ---- files ---------------------------------------------------------------- */

/* "123456789012_role_ci-deploy" from the principal's ARN. */
static void file_stem(const char *arn, char *buf, size_t n)
{
    const char *p = arn;
    if (strncmp(arn, "arn:", 4) == 0)
        for (int colons = 0; *p && colons < 4; p++)
            colons += *p == ':';
    size_t used = 0;
    for (; *p && used + 1 < n && used < 200; p++) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
        buf[used++] = ok ? c : '_';
    }
    if (used == 0 || buf[0] == '.')
        buf[used ? 0 : used++] = '_';
    buf[used] = '\0';
}

/* ---- the report ----------------------------------------------------------- */

static tt_status write_report(const pol_run *run, const char *path, const gen_policy_set *set, tt_error *err)
{
    char *data = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&data, &len);
    if (!f)
        return tt_fail(err, TT_ERR_IO, "%s: cannot buffer the report", path);
    policy_render_report(f, &run->acc, set, run->o->win.from_day, run->o->win.to_day);
    tt_status st = TT_OK;
    if (fclose(f) != 0)
        st = tt_fail(err, TT_ERR_IO, "%s: cannot buffer the report", path);
    if (st == TT_OK)
        st = cmd_write_atomic(path, data, len, err);
    free(data);
    return st;
}

/* ---- one principal ---------------------------------------------------------- */

static void summary(const pol_run *run, const gen_policy_set *set)
{
    if (!run->o->quiet)
        policy_render_summary(stderr, &run->acc, set);
}

static const char *format_ext(gen_format f)
{
    return f == GEN_FORMAT_TERRAFORM ? ".tf" : f == GEN_FORMAT_CLOUDFORMATION ? ".cfn.json" : ".json";
}

/* Lints every document, then writes them to path (NULL: stdout). */
static tt_status emit(pol_run *run, const gen_policy_set *set, const char *path, tt_error *err)
{
    const gen_grant *a = &run->acc;
    for (size_t i = 0; i < gen_policy_count(set); i++) {
        size_t n = 0;
        const char *doc = gen_policy_json(set, i);
        tt_status st = gen_policy_lint(run->cat, doc, strlen(doc), 0, &n, err);
        if (st == TT_OK && n != gen_policy_actions(set, i))
            st = tt_fail(err, TT_ERR_FORMAT, "policy: lint counts %zu actions, the builder %zu", n,
                         gen_policy_actions(set, i));
        if (st != TT_OK) {
            char why[TT_ERRMSG_MAX];
            snprintf(why, sizeof why, "%s", err->msg);
            return tt_fail(err, st, "internal error: a generated policy fails the lint: %s", why);
        }
    }
    const char *slash = strrchr(a->arn, '/');
    char name[2300], desc[2400];
    snprintf(name, sizeof name, "trailtrim-%s", slash ? slash + 1 : a->arn);
    char from[11], to[11];
    tt_day_format(run->o->win.from_day, from);
    tt_day_format(run->o->win.to_day, to);
    snprintf(desc, sizeof desc, "Actions %s used from %s to %s (trailtrim)", a->arn, from, to);
    size_t parts = run->o->fmt == GEN_FORMAT_JSON ? gen_policy_count(set) : 1;
    tt_status st = TT_OK;
    char *docs[GEN_POLICY_MAX_DOCS] = {NULL};
    for (size_t i = 0; i < parts && st == TT_OK; i++) {
        tt_buf b;
        tt_buf_init(&b, POL_FILE_CAP);
        st = gen_policy_render(set, run->o->fmt, i, name, desc, &b, err);
        docs[i] = tt_xstrndup(b.data ? b.data : "", b.len);
        tt_buf_free(&b);
    }
    if (st == TT_OK && path)
        st = cmd_write_parts(path, (const char *const *)docs, parts, GEN_POLICY_MAX_DOCS, &run->replaced,
                             &run->removed, err);
    else if (st == TT_OK && run->o->fmt == GEN_FORMAT_JSON)
        st = cmd_print_docs((const char *const *)docs, parts, err);
    else if (st == TT_OK)
        st = fputs(docs[0], stdout) < 0 || fflush(stdout) != 0 ? tt_fail(err, TT_ERR_IO, "stdout: cannot write the policy") : TT_OK;
    for (size_t i = 0; i < parts; i++)
        free(docs[i]);
    return st;
}

static int policy_type(const char *type)
{
    return strcmp(type, "IAMUser") == 0 || strcmp(type, "Role") == 0 || strcmp(type, "FederatedUser") == 0;
}

/* Builds, lints and writes the current principal's policy. */
/* --resources observed: the documents scoped to the ARNs of the calls
 * read back (forensics/policy_observed.h), linted, written to out_path (NULL:
 * stdout) and, with res_report, the "action TAB resources TAB note" lines. */
static tt_status write_observed(const pol_run *run, const forensics_observed_req *q, const char *arn, const char *out_path,
                                const char *res_report, tt_error *err)
{
    forensics_observed_stats rs;
    gen_observed *g = gen_observed_create(run->cat, 0);
    char **docs = NULL;
    size_t ndocs = 0, max = q->max_records ? q->max_records : FORENSICS_OBSERVED_MAX_RECORDS;
    tt_status st = forensics_observed_read(q, g, &rs, err);
    if (st == TT_OK)
        st = gen_observed_build(g, q->acts, q->nacts, &docs, &ndocs, err);
    for (size_t i = 0; st == TT_OK && i < ndocs; i++) {
        tt_status ls = gen_policy_lint(run->cat, docs[i], strlen(docs[i]), 0, NULL, err);
        if (ls != TT_OK) {
            char why[TT_ERRMSG_MAX];
            snprintf(why, sizeof why, "%s", err->msg);
            st = tt_fail(err, ls, "internal error: a generated policy fails the lint: %s", why);
        }
    }
    if (st == TT_OK && out_path)
        st = cmd_write_parts(out_path, (const char *const *)docs, ndocs, GEN_POLICY_MAX_DOCS, NULL, NULL, err);
    else if (st == TT_OK)
        st = cmd_print_docs((const char *const *)docs, ndocs, err);
    if (st == TT_OK && res_report) {
        tt_buf b;
        tt_buf_init(&b, (size_t)64 << 20);
        gen_observed_describe(g, q->acts, q->nacts, &b);
        st = cmd_write_atomic(res_report, b.data ? b.data : "", b.len, err);
        tt_buf_free(&b);
    }
    if (st == TT_OK && !run->o->quiet) {
        size_t fallback, collapsed;
        gen_observed_counts(g, &fallback, &collapsed);
        fprintf(stderr, "trailtrim policy: ");
        out_safe(stderr, arn);
        fprintf(stderr, ": resources from %zu of %zu successful calls read back from their source objects", rs.read,
                rs.total);
        if (rs.sampled)
            fprintf(stderr, " (sampled evenly: --max-records %zu; calls not read may need more)", max);
        fprintf(stderr, "; %zu actions collapsed to a prefix wildcard (more than the threshold of ARNs), "
                        "%zu kept \"*\" (no ARN, or the source unreadable)\n",
                collapsed, fallback);
        if (rs.unread) {
            fprintf(stderr, "trailtrim policy: %zu records could not be read back, their actions keep \"*\": ", rs.unread);
            out_safe(stderr, rs.first_problem);
            fputc('\n', stderr);
        }
    }
    for (size_t i = 0; i < ndocs; i++)
        free(docs[i]);
    free(docs);
    gen_observed_free(g);
    return st;
}

static tt_status finish(pol_run *run, tt_error *err)
{
    gen_grant *a = &run->acc;
    const pol_opts *o = run->o;
    gen_policy_set *set = NULL;
    tt_status st = TT_OK;
    char path[4200] = "", report[4200] = "", res_report[4200] = "", stem[220];
    if (o->all) {
        file_stem(a->arn, stem, sizeof stem);
        snprintf(path, sizeof path, "%s/%s%s", o->out, stem, format_ext(o->fmt));
        snprintf(report, sizeof report, "%s/%s.report.json", o->out, stem);
        if (o->observed)
            snprintf(res_report, sizeof res_report, "%s/%s.resources.tsv", o->out, stem);
        if (!policy_type(a->type)) {
            run->skipped++;
            goto out;
        }
    } else {
        if (o->out)
            snprintf(path, sizeof path, "%s", o->out);
        if (o->report)
            snprintf(report, sizeof report, "%s", o->report);
        if (o->res_report)
            snprintf(res_report, sizeof res_report, "%s", o->res_report);
    }
    if (a->nacts == 0) {
        run->empty++;
        if (!o->all)
            summary(run, NULL);
        if (!o->all)
            st = tt_fail(err, TT_ERR_NOTFOUND, "%s made no successful call in the window that needs a permission: no policy to write",
                         a->arn);
        if (report[0] && !o->all)
            write_report(run, report, NULL, NULL);
        goto out;
    }
    if (o->observed) {
        forensics_observed_req q = {run->db, o->db_path, run->map, a->id,
                                    (int64_t)o->win.from_day * 86400000LL, ((int64_t)o->win.to_day + 1) * 86400000LL,
                                    a->acts, a->nacts, o->max_records};
        st = write_observed(run, &q, a->arn, path[0] ? path : NULL, res_report[0] ? res_report : NULL, err);
        if (st == TT_OK && report[0])
            st = write_report(run, report, NULL, err);
        if (st == TT_OK) {
            run->written++;
            run->total_actions += (int64_t)a->nacts;
        }
        goto out;
    }
    st = gen_policy_build(a->acts, a->nacts, NULL, &set, err);
    if (st != TT_OK) {
        char why[TT_ERRMSG_MAX];
        snprintf(why, sizeof why, "%s", err->msg);
        tt_fail(err, st, "refusing to write a policy for %s: %s", a->arn, why);
        goto out;
    }
    st = emit(run, set, path[0] ? path : NULL, err);
    if (st == TT_OK && report[0])
        st = write_report(run, report, set, err);
    if (st == TT_OK) {
        run->written++;
        for (size_t i = 0; i < gen_policy_count(set); i++)
            run->total_actions += (int64_t)gen_policy_actions(set, i);
        if (!o->all)
            summary(run, set);
    }
out:
    gen_policy_free(set);
    gen_grant_reset(a);
    return st;
}

/* The request-dependent actions of u's calls, from their requests. */
static tt_status decide(void *ctx, const store_gen_usage *u, gen_map_result *r, tt_error *err)
{
    const pol_run *run = ctx;
    return forensics_params_decide(run->params, u->principal, u->source, u->event, (int64_t)run->o->win.from_day * 86400000LL,
                             ((int64_t)run->o->win.to_day + 1) * 86400000LL, r, err);
}

static int on_usage(void *ctx, const store_gen_usage *u)
{
    pol_run *run = ctx;
    if (run->active && run->acc.id != u->principal) {
        run->st = finish(run, run->err);
        if (run->st != TT_OK && !(run->o->all && run->st == TT_ERR_LIMIT))
            return 1;
        if (run->st == TT_ERR_LIMIT) { /* --all: say so, go on with the others */
            cmd_error(run->err->msg);
            run->st = TT_OK;
        }
    }
    if (!run->active || run->acc.id != u->principal) {
        run->active = 1;
        run->acc.id = u->principal;
        snprintf(run->acc.arn, sizeof run->acc.arn, "%s", u->arn);
        snprintf(run->acc.type, sizeof run->acc.type, "%s", u->type ? u->type : "");
    }
    run->st = gen_grant_classify(&run->acc, run->map, u, decide, run, run->err);
    return run->st != TT_OK;
}

/* What deciding the request-dependent actions read, when it read anything. */
static void params_summary(const forensics_params_stats *ps)
{
    if (!ps->pairs && !ps->unread)
        return;
    fprintf(stderr, "trailtrim policy: actions that hang on the request (iam:PassRole, tag on create...) decided for %zu call kinds: %zu from the %zu request shapes kept at ingest, %zu from %zu records read back",
            ps->pairs, ps->from_shapes, ps->shapes, ps->pairs - ps->from_shapes, ps->read);
    if (ps->capped)
        fprintf(stderr, "; %zu kinds had more than %d calls, the rest taken as the plain call", ps->capped,
                FORENSICS_PARAMS_MAX_READ);
    fputc('\n', stderr);
    if (ps->unread) {
        fprintf(stderr, "trailtrim policy: %zu records could not be read back and count as the plain call: ", ps->unread);
        out_safe(stderr, ps->first_problem);
        fputc('\n', stderr);
    }
}

/* ---- the command ------------------------------------------------------------ */

/* The window of `--until LAST --days N` over the days st's events span, as
 * the user of a store would type it (cmd_window_empty_note's advice). */
static tt_status window_of_store(cmd_window *w, store *st, tt_error *err)
{
    store_summary sum;
    tt_status s = store_get_summary(st, &sum, err);
    if (s != TT_OK || !sum.events)
        return s;
    char day[11], days[16];
    tt_day_format(tt_day_of(sum.last_ms), day);
    snprintf(days, sizeof days, "%d", (int)(tt_day_of(sum.last_ms) - tt_day_of(sum.first_ms) + 1));
    cmd_window_init(w);
    if (cmd_window_set_until(w, day) != 0 || cmd_window_set_days(w, days) != 0 || cmd_window_finish(w) != 0)
        return tt_fail(err, TT_ERR_USAGE, "the events read span no window (%s, %s days)", day, days);
    return TT_OK;
}

/* The options of its own (cmd_parse_options). */
static int own_opt(void *ctx, int opt, const char *arg)
{
    pol_opts *o = ctx;
    switch (opt) {
    case OPT_FROM:
        if (o->nfrom == sizeof o->from / sizeof *o->from)
            return cmd_usage_error("policy", "--from takes at most 64 paths (name a folder instead)");
        o->from[o->nfrom++] = arg;
        return CMD_OPT_TAKEN;
    case 'o': o->out = arg; return CMD_OPT_TAKEN;
    case 'q': o->quiet = 1; return CMD_OPT_TAKEN;
    case OPT_ALL: o->all = 1; return CMD_OPT_TAKEN;
    case OPT_REPORT: o->report = arg; return CMD_OPT_TAKEN;
    case OPT_PFORMAT:
        if (gen_format_parse(arg, &o->fmt) != 0)
            return cmd_usage_error("policy", "--format takes json, terraform or cloudformation, not \"%s\"", arg);
        return CMD_OPT_TAKEN;
    case OPT_RESOURCES:
        o->observed = strcmp(arg, "observed") == 0;
        if (!o->observed && strcmp(arg, "star") != 0)
            return cmd_usage_error("policy", "--resources takes star or observed, not \"%s\"", arg);
        return CMD_OPT_TAKEN;
    case OPT_RES_REPORT: o->res_report = arg; return CMD_OPT_TAKEN;
    case OPT_MAX_RECORDS: {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(arg, &end, 10);
        if (errno || *end || end == arg || v == 0 || v > 100000000ULL)
            return cmd_usage_error("policy", "--max-records takes a number from 1 to 100000000, not \"%s\"", arg);
        o->max_records = (size_t)v;
        return CMD_OPT_TAKEN;
    }
    default: return CMD_OPT_OTHER;
    }
}

static int parse_opts(pol_opts *o, cmd_global *g, int argc, char **argv)
{
    static const struct option longs[] = {
        {"db", required_argument, NULL, OPT_DB},         {"days", required_argument, NULL, OPT_DAYS},
        {"until", required_argument, NULL, OPT_UNTIL},   {"format", required_argument, NULL, OPT_PFORMAT},
        {"all", no_argument, NULL, OPT_ALL},             {"resources", required_argument, NULL, OPT_RESOURCES},
        {"report", required_argument, NULL, OPT_REPORT}, {"output", required_argument, NULL, 'o'},
        {"max-records", required_argument, NULL, OPT_MAX_RECORDS},
        {"resources-report", required_argument, NULL, OPT_RES_REPORT},
        {"from", required_argument, NULL, OPT_FROM},
        {"help", no_argument, NULL, 'h'},                {NULL, 0, NULL, 0}};
    cmd_optspec spec = {"policy", "ho:q", longs, help, own_opt, o, &o->win, NULL};
    int first, rc = cmd_parse_options(&spec, argc, argv, g, &first);
    if (rc)
        return rc == CMD_HELP ? 1 : rc;
    if (o->all && optind != argc)
        return cmd_usage_error("policy", "--all takes no PRINCIPAL");
    if (o->all && !o->out)
        return cmd_usage_error("policy", "--all needs -o DIR, the folder to write the policies to");
    if (o->all && o->report)
        return cmd_usage_error("policy", "--all writes a report beside each policy; --report is for one principal");
    if (!o->all && optind + 1 != argc)
        return cmd_usage_error("policy", "name exactly one principal, or --all");
    /* The Terraform and CloudFormation writers render a gen_policy_set, whose
     * statements are all on "*"; observed documents are built as JSON texts. */
    if (o->observed && o->fmt != GEN_FORMAT_JSON)
        return cmd_usage_error("policy", "--resources observed writes JSON (not --format %s)",
                               o->fmt == GEN_FORMAT_TERRAFORM ? "terraform" : "cloudformation");
    if (o->all && o->res_report)
        return cmd_usage_error("policy", "--all writes the resources report beside each policy; --resources-report is for one principal");
    /* --from reads no store: its default window is the days it read
     * (from_window), set once they are known. */
    o->from_window = o->nfrom && !o->win.days_set && !o->win.until_set && !o->win.since_set;
    cmd_window_finish(&o->win);
    return 0;
}

int cmd_policy(const cmd_global *gin, int argc, char **argv)
{
    cmd_global g = *gin;
    pol_opts o = {.fmt = GEN_FORMAT_JSON};
    cmd_window_init(&o.win);
    int r = parse_opts(&o, &g, argc, argv);
    if (r)
        return r == 1 ? EXIT_OK : r;
    int first = optind; /* ingest (--from) runs getopt again */
    policy_from *from = NULL;
    int from_rc = 0;
    if (o.nfrom) {
        from_rc = policy_from_load(&from, o.from, o.nfrom);
        if (from_rc != EXIT_OK && from_rc != EXIT_REJECTED) {
            policy_from_free(from);
            return from_rc;
        }
        g.db_path = policy_from_db(from);
    }
    tt_error err;
    tt_error_clear(&err);
    gen_catalog *cat = NULL;
    gen_map *map = NULL;
    store *st = NULL;
    pol_run run = {&o, NULL, NULL, {0}, 0, TT_OK, &err, 0, 0, 0, 0, NULL, NULL, 0, 0};
    int64_t pid = 0;
    char arn[2200];
    tt_status s = cmd_load_iam(&cat, &map, &err);
    run.cat = cat;
    run.map = map;
    if (s == TT_OK)
        s = store_open(&st, g.db_path, STORE_READ, &err);
    run.db = st;
    o.db_path = g.db_path;
    if (s == TT_OK && o.from_window)
        s = window_of_store(&o.win, st, &err);
    if (st)
        run.params = forensics_params_create(st, g.db_path);
    if (s == TT_OK && o.all && mkdir(o.out, 0755) != 0 && errno != EEXIST) {
        char eb[128];
        s = tt_fail(&err, TT_ERR_IO, "%s: %s", o.out, tt_errno_text(errno, eb, sizeof eb));
    }
    if (s == TT_OK && !o.all)
        s = store_find_principal(st, argv[first], &pid, arn, sizeof arn, &err);
    if (s == TT_OK && o.all)
        cmd_write_batch(o.out);
    if (s == TT_OK)
        s = store_gen_each_usage(st, pid, o.win.from_day, o.win.to_day, on_usage, &run, &err);
    if (s == TT_OK)
        s = run.st;
    if (s == TT_OK && run.active)
        s = finish(&run, &err);
    tt_error ferr;
    tt_error_clear(&ferr);
    if (cmd_write_flush(&ferr) != TT_OK && s == TT_OK) {
        s = TT_ERR_IO;
        err = ferr;
    }
    if (s == TT_ERR_LIMIT && o.all) {
        cmd_error(err.msg);
        s = TT_OK;
    }
    if (s == TT_OK && !o.all && !run.active)
        s = tt_fail(&err, TT_ERR_NOTFOUND, "%s made no call in the window: no policy to write", arn);
    if (s == TT_OK && o.all && !o.quiet)
        fprintf(stderr, "trailtrim policy: wrote %zu policies (%lld actions) to %s, replacing %zu files of an earlier run and removing %zu stale split parts; %zu principals had nothing to grant, %zu are not users or roles\n",
                run.written, (long long)run.total_actions, o.out, run.replaced, run.removed, run.empty, run.skipped);
    if (s == TT_OK && !o.quiet && run.params)
        params_summary(forensics_params_counts(run.params));
    forensics_params_free(run.params);
    store_close(st, NULL);
    gen_grant_free(&run.acc);
    gen_map_free(map);
    gen_catalog_free(cat);
    policy_from_free(from);
    if (s != TT_OK) {
        cmd_error(err.msg);
        return s == TT_ERR_NOTFOUND || s == TT_ERR_LIMIT ? EXIT_ERROR : cmd_exit_for(s);
    }
    return from_rc; /* 3 when --from rejected some inputs (named on stderr) */
}
