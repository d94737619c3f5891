/*
 * cmd_repo.c - `trailtrim repo --authz FILE --out DIR`: for each user and
 * role the unused report judges, its own policy documents rewritten
 * without the actions judged unused (generate/repo.h), linted, written
 * atomically to DIR/<principal>/, with CHANGES.md beside them and
 * DIR/SUMMARY.txt over all. It never calls AWS. `repo --lint FILE...`
 * lints documents (a hand edit before uploading one).
 *
 * The judging (usage, coverage, verdicts, the unused set) is
 * generate/judge.h, shared with `unused`.
 */
#define _XOPEN_SOURCE 700
#include "cmd.h"
#include "files.h"
#include "judging.h"
#include "forensics/trust_load.h"

#include "common/mem.h"
#include "common/ttime.h"
#include "generate/authz.h"
#include "generate/judge.h"
#include "generate/mapping.h"
#include "generate/policy.h"
#include "generate/repo.h"
#include "generate/repo_principal.h"
#include "generate/trust_tighten.h"
#include "store/store.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { OPT_AUTHZ = 1400, OPT_OUT, OPT_LINT, OPT_MAXCHARS };

/* What repo_one needs besides the options: the judge and scratch space. */
typedef struct rp_ctx {
    const gen_catalog *cat;
    const gen_judge *jg;
    int32_t from_day, to_day;
    gen_judged jd;   /* the principal being tightened */
    uint8_t *remove; /* catalog-sized */
    const gen_trust *trust; /* who assumed which role in the window */
} rp_ctx;

typedef struct rp_opts {
    const char *authz, *out;
    int quiet, lint;
    size_t max_chars;
    cmd_window win;
} rp_opts;

static void help(void)
{
    printf("Usage: trailtrim [--db PATH] repo --authz FILE --out DIR [OPTIONS]\n"
           "       trailtrim repo --lint [--max-chars N] DOCUMENT...\n"
           "\n"
           "Repokid's repo step, offline. For each user and role of FILE (the JSON of\n"
           "`aws iam get-account-authorization-details`) that `trailtrim unused` judges,\n"
           "its own policies (inline, and customer-managed ones no other principal,\n"
           "group or boundary uses) without the actions judged unused, written to\n"
           "DIR/<principal>/<policy>.json with DIR/<principal>/CHANGES.md (statement by\n"
           "statement, actions removed, sizes before and after). A role's trust policy\n"
           "is narrowed to who assumed it in the window (DIR/role-NAME/NAME.trust.json;\n"
           "Deny statements and conditions kept, unseen principals and OIDC subjects\n"
           "dropped, sub wildcards narrowed to the subjects used). Deny, NOREPO,\n"
           "conditional and resource-scoped statements are kept as they are; a\n"
           "wildcard is expanded only when it must be narrowed; statements left empty\n"
           "are dropped. IAM's limits hold: a managed policy over 6,144 characters is\n"
           "split; inline policies over a role's 10,240 (a user's 2,048) are refused.\n"
           "Principals not judged get no policy files (a role with a trust policy\n"
           "gets a CHANGES.md); DIR/SUMMARY.txt and stderr say why.\n"
           "Nothing is sent to AWS: review the files, then apply them yourself.\n"
           "\n"
           "  --authz FILE             the authorization details (required)\n"
           "  --out DIR                where to write (created if needed; required)\n"
           "  --days N, --until TIME   the window (default: the 90 days up to now)\n"
           "  -q                       no summary on stderr\n"
           "  --lint DOCUMENT...       lint policy documents (*.trust.json as trust\n"
           "                           policies); exit 0 when all pass\n"
           "  --max-chars N            the lint's size limit (default 6144; 4096 for\n"
           "                           a trust policy)\n");
}

/* ---- verdicts (generate/judge.h) ------------------------------------------------ */

/* ---- files ---------------------------------------------------------------------- */

static tt_status make_dir(const char *path, tt_error *err)
{
    char eb[128];
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        return tt_fail(err, TT_ERR_IO, "%s: %s", path, tt_errno_text(errno, eb, sizeof eb));
    return TT_OK;
}

/* ---- one principal ------------------------------------------------------------- */

typedef struct rp_tally {
    size_t written, docs, removed, not_judged, refused, nothing, trust;
} rp_tally;

static void say(FILE *sum, int quiet, const char *who, const char *what)
{
    fprintf(sum, "%-40s %s\n", who, what);
    if (!quiet) {
        fputs("trailtrim repo: ", stderr);
        out_safe(stderr, who);
        fputs(": ", stderr);
        out_safe(stderr, what);
        fputc('\n', stderr);
    }
}

/* A role not judged keeps its trust policy: CHANGES.md says why. */
static tt_status not_judged_trust(const rp_opts *o, gen_repo *rp, const gen_authz_principal *p, size_t i,
                                  const char *why, tt_error *err)
{
    if (!gen_repo_trust_doc(rp, i))
        return TT_OK;
    char dir[4400], path[4700], stem[200];
    gen_policy_name(p->name, stem, sizeof stem);
    snprintf(dir, sizeof dir, "%s/%s-%s", o->out, p->kind, stem);
    snprintf(path, sizeof path, "%s/CHANGES.md", dir);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return tt_fail(err, TT_ERR_IO, "%s: cannot buffer CHANGES.md", path);
    fprintf(f, "# %s/%.500s\n\n`%.500s`, %s.\n\nNothing is rewritten: neither its permission policies nor its trust "
               "policy (AssumeRolePolicyDocument). No data is not no usage (Repokid's caution): a role that is "
               "young, or whose account has coverage gaps or no events in the window, may be assumed and used in "
               "ways the window does not show.\n",
            p->kind, p->name, p->arn, why);
    tt_status st = fclose(f) == 0 ? make_dir(dir, err) : tt_fail(err, TT_ERR_IO, "%s: cannot buffer CHANGES.md", path);
    if (st == TT_OK)
        st = cmd_write_atomic(path, text, len, err);
    free(text);
    return st;
}

/* ---- one principal ------------------------------------------------------------- */

/* Writes DIR/<kind>-<name>/: the permission documents (when perm), the
 * trust policy (when tt->json, as file), CHANGES.md. *files counts the
 * permission documents written. */
static tt_status write_principal(const char *dir, const gen_repo_result *res, int perm, const gen_trust_tightened *tt,
                                 const char *file, size_t *files, tt_error *err)
{
    char path[4700];
    *files = 0;
    tt_status st = make_dir(dir, err);
    for (size_t k = 0; st == TT_OK && perm && k < res->ndocs; k++) {
        if (!res->docs[k].json)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, res->docs[k].file);
        st = cmd_write_atomic(path, res->docs[k].json, strlen(res->docs[k].json), err);
        (*files)++;
    }
    if (st == TT_OK && tt->json) {
        snprintf(path, sizeof path, "%s/%s", dir, file);
        st = cmd_write_atomic(path, tt->json, strlen(tt->json), err);
    }
    if (st == TT_OK) {
        size_t a = strlen(res->changes), b = tt->changes ? strlen(tt->changes) : 0;
        char *changes = tt_xmalloc(a + b + 1);
        memcpy(changes, res->changes, a);
        memcpy(changes + a, tt->changes ? tt->changes : "", b + 1);
        snprintf(path, sizeof path, "%s/CHANGES.md", dir);
        st = cmd_write_atomic(path, changes, strlen(changes), err);
        free(changes);
    }
    return st;
}

static tt_status repo_one(const rp_opts *o, rp_ctx *cx, gen_repo *rp, const gen_authz_principal *p, size_t i,
                          FILE *sum, rp_tally *t, tt_error *err)
{
    char who[600], why[500], what[2600], trust[900];
    snprintf(who, sizeof who, "%s/%.500s", p->kind, p->name);
    gen_judge_principal(cx->jg, i, &cx->jd);
    gen_repo_verdict_text(&cx->jd, p, cx->from_day, why, sizeof why);
    if (cx->jd.verdict != GEN_VERDICT_JUDGED) {
        t->not_judged++;
        say(sum, o->quiet, who, why);
        return not_judged_trust(o, rp, p, i, why, err);
    }
    size_t nunused = gen_judge_unused_set(cx->jg, &cx->jd, cx->remove);
    char header[2400], from[11], to[11];
    tt_day_format(cx->from_day, from);
    tt_day_format(cx->to_day, to);
    snprintf(header, sizeof header,
             "# %s/%.500s\n\n`%.500s`, %s from %s to %s. %zu granted actions judged unused "
             "(as `trailtrim unused` reports them); they are removed from the policies below that are its own.\n",
             p->kind, p->name, p->arn, why, from, to, nunused);
    gen_repo_result res;
    gen_trust_tightened tt;
    memset(&tt, 0, sizeof tt);
    tt_status st = gen_repo_tighten(rp, i, p->acts, cx->remove, header, &res, err);
    if (st != TT_OK)
        return st;
    char dir[4400], stem[200], file[300];
    gen_policy_name(p->name, stem, sizeof stem);
    snprintf(dir, sizeof dir, "%s/%s-%s", o->out, p->kind, stem);
    gen_repo_trust_file(&res, stem, file, sizeof file);
    st = gen_repo_trust_part(rp, cx->trust, p, i, file, &tt, err);
    if (st != TT_OK)
        goto out;
    gen_repo_trust_text(&tt, file, trust, sizeof trust);
    int perm = res.own && !(res.norepo_only == res.own && res.removed == 0);
    if (res.refused) {
        t->refused++;
        snprintf(what, sizeof what, "refused, no files written: %s", res.refused);
        say(sum, o->quiet, who, what);
        goto out;
    }
    if (!perm && !tt.changes) {
        t->nothing++;
        snprintf(what, sizeof what, "%s%s",
                 res.own ? "not tightened: every Allow statement of its own policies is NOREPO"
                         : "nothing of its own to tighten (only group, shared or AWS managed policies)",
                 trust);
        say(sum, o->quiet, who, what);
        goto out;
    }
    size_t unknown_total = 0, files = 0;
    if (perm)
        st = gen_repo_lint_docs(cx->cat, p, who, &res, &unknown_total, err);
    if (st == TT_OK)
        st = write_principal(dir, &res, perm, &tt, file, &files, err);
    if (st != TT_OK)
        goto out;
    if (perm || tt.json)
        t->written++;
    else
        t->nothing++;
    t->docs += files;
    t->removed += res.removed;
    t->trust += tt.json != NULL;
    if (perm)
        snprintf(what, sizeof what, "%zu unused action%s removed; %zu document%s in %s-%s/", res.removed,
                 res.removed == 1 ? "" : "s", files, files == 1 ? "" : "s", p->kind, stem);
    else
        snprintf(what, sizeof what, "%s-%s/: %s", p->kind, stem,
                 res.own ? "every Allow statement of its own policies is NOREPO" : "no permission policy of its own");
    if (unknown_total) {
        size_t l = strlen(what);
        snprintf(what + l, sizeof what - l, "; %zu action name%s kept verbatim that the catalog does not know",
                 unknown_total, unknown_total == 1 ? "" : "s");
    }
    size_t l = strlen(what);
    snprintf(what + l, sizeof what - l, "%s", trust);
    say(sum, o->quiet, who, what);
out:
    gen_trust_tightened_free(&tt);
    gen_repo_result_free(&res);
    return st;
}

/* ---- lint mode --------------------------------------------------------------- */

/* A trust policy as repo names them: NAME.trust.json (or, when a
 * permission policy has that name, NAME.assume-role-policy.json). */
static int is_trust_file(const char *path)
{
    size_t n = strlen(path);
    return (n > 11 && strcmp(path + n - 11, ".trust.json") == 0) ||
           (n > 24 && strcmp(path + n - 24, ".assume-role-policy.json") == 0);
}

static int lint_files(const rp_opts *o, int argc, char **argv, int first)
{
    tt_error err;
    gen_catalog *cat = NULL;
    tt_status st = gen_catalog_load(&cat, &err);
    int bad = 0;
    if (st != TT_OK) {
        cmd_error(err.msg);
        return EXIT_ERROR;
    }
    for (int i = first; i < argc; i++) {
        char *data = NULL;
        size_t len = 0, unknown = 0;
        st = cmd_read_file(argv[i], 1u << 20, NULL, &data, &len, &err);
        if (st == TT_OK && is_trust_file(argv[i]))
            st = gen_trust_lint(data, len, o->max_chars, &err);
        else if (st == TT_OK)
            st = gen_repo_lint(cat, data, len, o->max_chars, &unknown, &err);
        free(data);
        if (st != TT_OK) {
            bad++;
            char m[TT_ERRMSG_MAX + 300];
            snprintf(m, sizeof m, "%.250s: %s", argv[i], err.msg);
            cmd_error(m);
        } else if (!o->quiet) {
            printf("%s: ok%s\n", argv[i], unknown ? " (with action names the catalog does not know)" : "");
        }
    }
    gen_catalog_free(cat);
    return bad ? EXIT_ERROR : EXIT_OK;
}

/* ---- the command ------------------------------------------------------------ */

/* The options of its own (cmd_parse_options). */
static int own_opt(void *ctx, int opt, const char *arg)
{
    rp_opts *o = ctx;
    switch (opt) {
    case 'q': o->quiet = 1; return CMD_OPT_TAKEN;
    case OPT_AUTHZ: o->authz = arg; return CMD_OPT_TAKEN;
    case OPT_OUT: o->out = arg; return CMD_OPT_TAKEN;
    case OPT_LINT: o->lint = 1; return CMD_OPT_TAKEN;
    case OPT_MAXCHARS: {
        char *end;
        errno = 0;
        unsigned long v = strtoul(arg, &end, 10);
        if (errno || *end || end == arg || v == 0 || v > 1000000)
            return cmd_usage_error("repo", "--max-chars takes a number from 1 to 1000000, not \"%s\"", arg);
        o->max_chars = (size_t)v;
        return CMD_OPT_TAKEN;
    }
    default: return CMD_OPT_OTHER;
    }
}

static int parse_opts(rp_opts *o, cmd_global *g, int argc, char **argv)
{
    static const struct option longs[] = {
        {"db", required_argument, NULL, OPT_DB},       {"days", required_argument, NULL, OPT_DAYS},
        {"until", required_argument, NULL, OPT_UNTIL}, {"authz", required_argument, NULL, OPT_AUTHZ},
        {"out", required_argument, NULL, OPT_OUT},     {"lint", no_argument, NULL, OPT_LINT},
        {"max-chars", required_argument, NULL, OPT_MAXCHARS}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cmd_optspec spec = {"repo", "hq", longs, help, own_opt, o, &o->win, NULL};
    int first, rc = cmd_parse_options(&spec, argc, argv, g, &first);
    if (rc)
        return rc == CMD_HELP ? 1 : rc;
    if (o->lint) {
        if (optind == argc)
            return cmd_usage_error("repo", "--lint needs at least one policy document");
        return 0;
    }
    if (!o->authz)
        return cmd_usage_error("repo", "--authz FILE is required (the output of aws iam get-account-authorization-details)");
    if (!o->out)
        return cmd_usage_error("repo", "--out DIR is required: where the tightened policies go");
    if (optind != argc)
        return cmd_usage_error("repo", "unexpected argument \"%s\"", argv[optind]);
    cmd_window_finish(&o->win);
    return 0;
}

int cmd_repo(const cmd_global *gin, int argc, char **argv)
{
    cmd_global g = *gin;
    rp_opts o;
    memset(&o, 0, sizeof o);
    cmd_window_init(&o.win);
    int r = parse_opts(&o, &g, argc, argv);
    if (r)
        return r == 1 ? EXIT_OK : r;
    if (o.lint)
        return lint_files(&o, argc, argv, optind);
    tt_error err;
    tt_error_clear(&err);
    cmd_judging j;
    gen_repo *rp = NULL;
    char *sumtext = NULL;
    size_t n = 0, sumlen = 0;
    gen_trust *trust = NULL;
    forensics_trust_stats tstats;
    FILE *sum = NULL;
    rp_tally t;
    memset(&t, 0, sizeof t);
    rp_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.from_day = o.win.from_day;
    cx.to_day = o.win.to_day;
    tt_status s = cmd_judging_open(&j, o.authz, NULL, g.db_path, o.win.from_day, o.win.to_day, &err);
    gen_catalog *cat = j.cat;
    gen_authz *az = j.az;
    store *st = j.st;
    if (s == TT_OK)
        s = gen_repo_open(&rp, cat, j.data, j.len, o.authz, &err);
    if (s != TT_OK)
        goto out;
    s = forensics_trust_load(st, g.db_path, (int64_t)o.win.from_day * 86400000LL, ((int64_t)o.win.to_day + 1) * 86400000LL,
                   &trust, &tstats, &err);
    if (s == TT_OK)
        cmd_trust_warn("repo", &tstats);
    cx.cat = cat;
    cx.jg = j.jg;
    cx.trust = trust;
    n = gen_authz_count(az);
    if (s == TT_OK)
        s = make_dir(o.out, &err);
    if (s != TT_OK)
        goto out;
    sum = open_memstream(&sumtext, &sumlen);
    if (!sum) {
        s = tt_fail(&err, TT_ERR_IO, "cannot buffer the summary");
        goto out;
    }
    char from[11], to[11];
    tt_day_format(o.win.from_day, from);
    tt_day_format(o.win.to_day, to);
    fprintf(sum, "trailtrim repo: %s, window %s to %s. Nothing was sent to AWS.\n\n", o.authz, from, to);
    cx.remove = tt_xcalloc(gen_catalog_count(cat) + 1, 1);
    for (size_t i = 0; i < n && s == TT_OK; i++)
        s = repo_one(&o, &cx, rp, gen_authz_at(az, i), i, sum, &t, &err);
    if (s != TT_OK)
        goto out;
    fprintf(sum, "\n%zu principals: %zu tightened (%zu documents, %zu unused actions removed, %zu trust policies "
                 "narrowed), %zu not judged, %zu refused (limits), %zu with nothing of their own to tighten\n",
            n, t.written, t.docs, t.removed, t.trust, t.not_judged, t.refused, t.nothing);
    if (fclose(sum) != 0) {
        sum = NULL;
        s = tt_fail(&err, TT_ERR_IO, "cannot buffer the summary");
        goto out;
    }
    sum = NULL;
    char path[4200];
    snprintf(path, sizeof path, "%s/SUMMARY.txt", o.out);
    s = cmd_write_atomic(path, sumtext, sumlen, &err);
    if (s == TT_OK && !o.quiet)
        fprintf(stderr, "trailtrim repo: %zu principals: %zu tightened, %zu not judged, %zu refused, %zu with "
                        "nothing to tighten; see %s\n",
                n, t.written, t.not_judged, t.refused, t.nothing, path);
out:
    if (sum)
        fclose(sum);
    free(sumtext);
    free(cx.remove);
    gen_judged_free(&cx.jd);
    gen_trust_free(trust);
    gen_repo_free(rp);
    cmd_judging_close(&j);
    if (s != TT_OK) {
        cmd_error(err.msg);
        return cmd_exit_for(s);
    }
    return t.refused ? EXIT_REJECTED : EXIT_OK; /* partial: the others were written */
}
