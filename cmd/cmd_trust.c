/*
 * cmd_trust.c - `trailtrim trust ROLE` and `trust --all -o DIR`: the
 * tightened trust policy each role needs, from who assumed it in the
 * window, and the explanation of who that was (stderr, and --report as
 * JSON). Every document is linted before it is written; files atomically.
 */
#define _XOPEN_SOURCE 700
#include "cmd.h"
#include "files.h"
#include "report/trust_explain.h"
#include "forensics/trust_load.h"

#include "common/mem.h"
#include "common/ttime.h"
#include "generate/policy.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { OPT_ALL = 1500, OPT_TFORMAT, OPT_REPORT };

#define TRUST_FILE_CAP (4u << 20)

typedef struct trust_opts {
    gen_format fmt;
    const char *out, *report, *role;
    int all, quiet;
    cmd_window win;
} trust_opts;

static void help(void)
{
    printf("Usage: trailtrim [--db PATH] trust ROLE [OPTIONS]\n"
           "       trailtrim [--db PATH] trust --all -o DIR [OPTIONS]\n"
           "\n"
           "Writes the trust policy (AssumeRolePolicyDocument) that allows exactly the\n"
           "principals that assumed ROLE successfully in the window: users, roles and\n"
           "accounts (AssumeRole, role chains, other accounts), OIDC providers with the\n"
           "exact sub and aud values seen (GitHub Actions, EKS IRSA, Cognito...), SAML\n"
           "providers with SAML:aud, and AWS service principals. An external ID or MFA\n"
           "on every call of a principal becomes a condition. stderr explains who\n"
           "assumed it: counts, first and last use, source IPs, MFA, external IDs.\n"
           "ROLE is an ARN, a name, or a path and name. Records are read back from\n"
           "their source objects (the store keeps no request parameters).\n"
           "\n"
           "  --days N, --until TIME   the window (default: the 90 days up to now)\n"
           "  --format F               json (default), terraform or cloudformation\n"
           "  -o FILE                  write there atomically (with --all: a folder)\n"
           "  --report FILE            the explanation as JSON (--all: beside each)\n"
           "  --all -o DIR             one trust policy and report per assumed role\n"
           "  -q                       no explanation on stderr\n");
}

/* The options of its own (cmd_parse_options). */
static int own_opt(void *ctx, int opt, const char *arg)
{
    trust_opts *o = ctx;
    switch (opt) {
    case 'o': o->out = arg; return CMD_OPT_TAKEN;
    case 'q': o->quiet = 1; return CMD_OPT_TAKEN;
    case OPT_ALL: o->all = 1; return CMD_OPT_TAKEN;
    case OPT_REPORT: o->report = arg; return CMD_OPT_TAKEN;
    case OPT_TFORMAT:
        if (gen_format_parse(arg, &o->fmt) != 0)
            return cmd_usage_error("trust", "--format takes json, terraform or cloudformation, not \"%s\"", arg);
        return CMD_OPT_TAKEN;
    default: return CMD_OPT_OTHER;
    }
}

static int parse_opts(trust_opts *o, cmd_global *g, int argc, char **argv)
{
    static const struct option longs[] = {
        {"db", required_argument, NULL, OPT_DB},         {"days", required_argument, NULL, OPT_DAYS},
        {"until", required_argument, NULL, OPT_UNTIL},   {"format", required_argument, NULL, OPT_TFORMAT},
        {"all", no_argument, NULL, OPT_ALL},             {"report", required_argument, NULL, OPT_REPORT},
        {"output", required_argument, NULL, 'o'},        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cmd_optspec spec = {"trust", "ho:q", longs, help, own_opt, o, &o->win, NULL};
    int first, rc = cmd_parse_options(&spec, argc, argv, g, &first);
    if (rc)
        return rc == CMD_HELP ? 1 : rc;
    if (o->all && optind != argc)
        return cmd_usage_error("trust", "--all takes no ROLE");
    if (o->all && !o->out)
        return cmd_usage_error("trust", "--all needs -o DIR, the folder to write the trust policies to");
    if (o->all && o->report)
        return cmd_usage_error("trust", "--all writes a report beside each policy; --report is for one role");
    if (!o->all && optind + 1 != argc)
        return cmd_usage_error("trust", "name exactly one role, or --all");
    o->role = o->all ? NULL : argv[optind];
    cmd_window_finish(&o->win);
    return 0;
}

/* "123456789012_role_ci-deploy" from the role's ARN. */
static void file_stem(const char *arn, char *buf, size_t n)
{
    const char *p = arn;
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

static const char *format_ext(gen_format f)
{
    return f == GEN_FORMAT_TERRAFORM ? ".trust.tf" : f == GEN_FORMAT_CLOUDFORMATION ? ".trust.cfn.json" : ".trust.json";
}

static tt_status write_report(const trust_opts *o, const gen_trust *t, const gen_trust_role *r, const char *path,
                              tt_error *err)
{
    char *data = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&data, &len);
    if (!f)
        return tt_fail(err, TT_ERR_IO, "%s: cannot buffer the report", path);
    trust_explain_json(f, t, r, o->win.from_day, o->win.to_day);
    tt_status st = fclose(f) == 0 ? TT_OK : tt_fail(err, TT_ERR_IO, "%s: cannot buffer the report", path);
    if (st == TT_OK)
        st = cmd_write_atomic(path, data, len, err);
    free(data);
    return st;
}

/* Builds, lints and writes one role's trust policy to path (NULL: stdout). */
static tt_status emit(const trust_opts *o, const gen_trust_role *r, const char *path, tt_error *err)
{
    tt_buf b;
    tt_buf_init(&b, TRUST_FILE_CAP);
    int over = 0;
    tt_status st = gen_trust_document(r, o->fmt, o->win.from_day, o->win.to_day, &b, &over, err);
    if (over && !o->quiet)
        fprintf(stderr, "trailtrim trust: %s: over the %d characters IAM allows by default (a quota increase "
                        "allows %d)\n", r->arn, GEN_TRUST_DEFAULT_CHARS, GEN_TRUST_MAX_CHARS);
    if (st == TT_OK && path)
        st = cmd_write_atomic(path, b.data, b.len, err);
    else if (st == TT_OK && (fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0))
        st = tt_fail(err, TT_ERR_IO, "stdout: write failed");
    tt_buf_free(&b);
    return st;
}

static tt_status one_role(const trust_opts *o, const gen_trust *t, tt_error *err)
{
    int ambiguous = 0;
    const gen_trust_role *r = gen_trust_find(t, o->role, &ambiguous);
    if (ambiguous)
        return tt_fail(err, TT_ERR_USAGE, "\"%s\" names more than one assumed role: give its ARN", o->role);
    if (!r)
        return tt_fail(err, TT_ERR_NOTFOUND, "no one assumed a role \"%s\" in the window: no trust policy to write "
                                             "(no data is not no usage: check the window and `trailtrim status`)",
                       o->role);
    if (!o->quiet)
        trust_explain_text(stderr, t, r);
    tt_status st = emit(o, r, o->out, err);
    if (st == TT_OK && o->report)
        st = write_report(o, t, r, o->report, err);
    return st;
}

static tt_status all_roles(const trust_opts *o, const gen_trust *t, tt_error *err)
{
    if (mkdir(o->out, 0755) != 0 && errno != EEXIST) {
        char eb[128];
        return tt_fail(err, TT_ERR_IO, "%s: %s", o->out, tt_errno_text(errno, eb, sizeof eb));
    }
    size_t written = 0;
    tt_status st = TT_OK;
    for (size_t i = 0; i < gen_trust_count(t) && st == TT_OK; i++) {
        const gen_trust_role *r = gen_trust_at(t, i);
        char stem[220], path[4400], report[4400];
        file_stem(r->arn, stem, sizeof stem);
        snprintf(path, sizeof path, "%s/%s%s", o->out, stem, format_ext(o->fmt));
        snprintf(report, sizeof report, "%s/%s.trust-report.json", o->out, stem);
        st = emit(o, r, path, err);
        if (st == TT_ERR_LIMIT) { /* say so, go on with the others */
            cmd_error(err->msg);
            st = TT_OK;
            continue;
        }
        if (st == TT_OK)
            st = write_report(o, t, r, report, err);
        written += st == TT_OK;
    }
    if (st == TT_OK && !o->quiet)
        fprintf(stderr, "trailtrim trust: wrote %zu trust policies to %s\n", written, o->out);
    return st;
}

void cmd_trust_warn(const char *cmd, const forensics_trust_stats *s)
{
    if (!s->unread && !s->bad)
        return;
    fprintf(stderr, "trailtrim %s: %zu of %zu assume-role records could not be used (%zu unreadable, %zu not "
                    "usable): who assumed them is missing from the result; first: ",
            cmd, s->unread + s->bad, s->events, s->unread, s->bad);
    out_safe(stderr, s->first_problem);
    fputc('\n', stderr);
}

int cmd_trust(const cmd_global *gin, int argc, char **argv)
{
    cmd_global g = *gin;
    trust_opts o = {GEN_FORMAT_JSON, NULL, NULL, NULL, 0, 0, {0}};
    cmd_window_init(&o.win);
    int r = parse_opts(&o, &g, argc, argv);
    if (r)
        return r == 1 ? EXIT_OK : r;
    tt_error err;
    tt_error_clear(&err);
    store *st = NULL;
    gen_trust *t = NULL;
    forensics_trust_stats stats;
    tt_status s = store_open(&st, g.db_path, STORE_READ, &err);
    if (s == TT_OK)
        s = forensics_trust_load(st, g.db_path, o.win.since_ms, o.win.until_ms, &t, &stats, &err);
    if (s == TT_OK)
        cmd_trust_warn("trust", &stats);
    if (s == TT_OK && !o.quiet)
        cmd_window_note("trust", &o.win, 0);
    if (s == TT_OK && gen_trust_count(t) == 0)
        cmd_window_empty_note("trust", &o.win, 0, st);
    if (s == TT_OK)
        s = o.all ? all_roles(&o, t, &err) : one_role(&o, t, &err);
    gen_trust_free(t);
    store_close(st, NULL);
    if (s != TT_OK) {
        cmd_error(err.msg);
        return s == TT_ERR_NOTFOUND || s == TT_ERR_LIMIT ? EXIT_ERROR : cmd_exit_for(s);
    }
    return EXIT_OK;
}
