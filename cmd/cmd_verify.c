/*
 * cmd_verify.c - `trailtrim verify`: offline CloudTrail log-file integrity
 * validation of a synced tree (verify/), printed per account, region and
 * day, then every problem found. Reads files only; never opens the store.
 */
#include "cmd.h"

#include "common/mem.h"
#include "common/ttime.h"
#include "verify/verify.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void help(void)
{
    printf("Usage: trailtrim verify [OPTIONS] PATH...\n"
           "\n"
           "Checks CloudTrail log files against the digest files CloudTrail writes\n"
           "every hour (CloudTrail-Digest/), offline: each log object a digest names\n"
           "is present and its SHA-256 matches; the chain of digests of each trail is\n"
           "unbroken and without gaps in time; no log object is outside every digest;\n"
           "no object hides data after its first gzip member. PATH is a synced S3\n"
           "prefix (folders are walked) or files; an S3 key is found as the end of a\n"
           "local path.\n"
           "\n"
           "With --public-keys, each digest's RSA-SHA256 signature is verified too.\n"
           "The signature is S3 metadata (x-amz-meta-signature), which `aws s3 sync`\n"
           "does not keep: put it, in hex, in a file beside the digest named\n"
           "<digest file>.sig, e.g. from\n"
           "  aws s3api head-object --bucket B --key K --query Metadata.signature --output text\n"
           "\n"
           "Options:\n"
           "      --public-keys DIR  CloudTrail public keys: PEM files, or the base64\n"
           "                         Value of `aws cloudtrail list-public-keys`, one per\n"
           "                         file; found by the digest's digestPublicKeyFingerprint\n"
           "      --format F         table or json (default: table on a terminal)\n"
           "\n"
           "Exit codes: 0 everything checked is intact, 1 error, 2 usage,\n"
           "7 integrity problems found (listed on stdout).\n");
}

/* Without any digest every log is "uncovered": that is one finding (no
 * digests), not one per log. Folds those into it, and out of the counts. */
static void fold_uncovered(verify_report *r)
{
    if (r->digests != 0)
        return;
    size_t kept = 0, folded = 0;
    for (size_t i = 0; i < r->nfindings; i++) {
        verify_finding *f = &r->findings[i];
        if (f->kind != VERIFY_LOG_UNCOVERED) {
            r->findings[kept++] = *f;
            continue;
        }
        for (size_t d = 0; d < r->ndays; d++)
            if (r->days[d].day == f->day && strcmp(r->days[d].account, f->account) == 0 &&
                strcmp(r->days[d].region, f->region) == 0)
                r->days[d].problems--;
        free(f->account);
        free(f->region);
        free(f->object);
        free(f->detail);
        folded++;
    }
    r->nfindings = kept;
    r->problems -= (long)folded;
    for (size_t i = 0; i < kept && folded; i++)
        if (r->findings[i].kind == VERIFY_NO_DIGESTS) {
            char d[200];
            snprintf(d, sizeof d, "no CloudTrail-Digest/ objects found: the %zu log objects cannot be checked", folded);
            free(r->findings[i].detail);
            r->findings[i].detail = tt_xstrdup(d);
        }
}

#define EXIT_INTEGRITY 7 /* documented in the README beside the others */

static void day_text(int32_t day, char buf[11])
{
    if (day == INT32_MIN)
        buf[0] = '\0';
    else
        tt_day_format(day, buf);
}

static void print_summary(out *w, const verify_report *r, int keys)
{
    char v[64];
    out_kv_section(w, "summary");
    out_kv(w, "verdict", r->problems ? "PROBLEMS FOUND" : "intact", 0);
#define N(k, x)                                                                                    \
    do {                                                                                           \
        snprintf(v, sizeof v, "%ld", (long)(x));                                                   \
        out_kv(w, k, v, 1);                                                                        \
    } while (0)
    N("digests", r->digests);
    N("digests_ok", r->digests_ok);
    N("logs", r->logs);
    N("logs_ok", r->logs_ok);
    N("problems", r->problems);
    N("notes", r->notes);
    N("public_keys", r->keys_loaded);
    N("signatures_checked", r->signatures_checked);
#undef N
    out_kv(w, "signatures", keys ? "checked" : "not checked (no --public-keys)", 0);
}

static void print_days(out *w, const verify_report *r)
{
    static const char *const cols[] = {"account", "region", "day", "digests", "digests_ok",
                                       "logs", "logs_ok", "problems"};
    static const int num[] = {0, 0, 0, 1, 1, 1, 1, 1};
    out_section(w, "days", 8, cols);
    for (size_t i = 0; i < r->ndays; i++) {
        const verify_day *d = &r->days[i];
        char day[11], n[5][24];
        day_text(d->day, day);
        long vals[5] = {d->digests, d->digests_ok, d->logs, d->logs_ok, d->problems};
        for (int k = 0; k < 5; k++)
            snprintf(n[k], sizeof n[k], "%ld", vals[k]);
        const char *row[] = {d->account, d->region, day, n[0], n[1], n[2], n[3], n[4]};
        out_row(w, row, num);
    }
}

static void print_findings(out *w, const verify_report *r, int problems)
{
    static const char *const cols[] = {"kind", "account", "region", "day", "object", "detail"};
    static const int num[] = {0, 0, 0, 0, 0, 0};
    out_section(w, problems ? "problems" : "notes", 6, cols);
    for (size_t i = 0; i < r->nfindings; i++) {
        const verify_finding *f = &r->findings[i];
        if (verify_kind_is_problem(f->kind) != problems)
            continue;
        char day[11];
        day_text(f->day, day);
        const char *row[] = {verify_kind_name(f->kind), f->account, f->region, day, f->object,
                             f->detail};
        out_row(w, row, num);
    }
}

enum { OPT_KEYS = 2000 };

typedef struct verify_opts {
    verify_options *o;
    out_format *fmt;
} verify_opts;

/* The options of its own (cmd_parse_options); it reads files, no store. */
static int own_opt(void *ctx, int opt, const char *arg)
{
    verify_opts *v = ctx;
    if (opt == OPT_KEYS) {
        v->o->keys_dir = arg;
        return CMD_OPT_TAKEN;
    }
    if (opt != OPT_FORMAT)
        return CMD_OPT_OTHER;
    if (out_parse_format(arg, v->fmt) != 0 || *v->fmt == OUT_CSV)
        return cmd_usage_error("verify", "--format takes table or json, not \"%s\"", arg);
    return CMD_OPT_TAKEN;
}

int cmd_verify(const cmd_global *gin, int argc, char **argv)
{
    static const struct option longs[] = {
        {"public-keys", required_argument, NULL, OPT_KEYS},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    verify_options o;
    verify_options_init(&o);
    out_format fmt = out_default_format(stdout);
    verify_opts vo = {&o, &fmt};
    cmd_global g = *gin;
    cmd_optspec spec = {"verify", "h", longs, help, own_opt, &vo, NULL, NULL}; /* options after PATHs too */
    int first, prc = cmd_parse_options(&spec, argc, argv, &g, &first);
    if (prc)
        return prc == CMD_HELP ? EXIT_OK : prc;
    if (optind >= argc)
        return cmd_usage_error("verify", "name at least one folder or file to verify");
    if ((prc = cmd_paths_exist("verify", optind, argc, argv)) != 0)
        return prc;
    verify_report *r = NULL;
    tt_error err;
    tt_error_clear(&err);
    tt_status st = verify_run((const char *const *)argv + optind, (size_t)(argc - optind), &o,
                              &r, &err);
    if (st != TT_OK) {
        cmd_error(err.msg);
        return EXIT_ERROR;
    }
    fold_uncovered(r);
    out *w = out_open(stdout, fmt, 1);
    print_summary(w, r, o.keys_dir != NULL);
    print_days(w, r);
    print_findings(w, r, 1);
    print_findings(w, r, 0);
    out_close(w);
    if (r->problems)
        fprintf(stderr, "trailtrim: verify: %ld integrity problem%s found\n", r->problems,
                r->problems == 1 ? "" : "s");
    int rc = r->problems ? EXIT_INTEGRITY : EXIT_OK;
    verify_report_free(r);
    return rc;
}
