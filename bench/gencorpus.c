/*
 * gencorpus.c - trailtrim-gencorpus: writes a synthetic but realistic
 * CloudTrail S3 delivery tree (several accounts, an organization trail,
 * duplicates, digests) for the benchmark and for sample-logs/. The same
 * options and seed give the same bytes on every run.
 */
#define _POSIX_C_SOURCE 200809L
#include "gc_run.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_EVENTS 200000000ULL

static const char usage_text[] =
    "usage: trailtrim-gencorpus --out DIR --events N [--seed S]\n"
    "                           [--objects-per-hour K] [--events-per-object E]\n"
    "\n"
    "Writes N unique synthetic CloudTrail events as gzipped S3 delivery objects\n"
    "under DIR/AWSLogs/ (account trails and an organization trail, with ~5%\n"
    "of events delivered twice), a few CloudTrail-Digest objects, and\n"
    "DIR/MANIFEST.txt. Same options and seed, same bytes.\n"
    "\n"
    "  --out DIR                 output directory (must not hold a corpus yet)\n"
    "  --events N                unique events to write (1..200000000)\n"
    "  --seed S                  PRNG seed (default 1)\n"
    "  --objects-per-hour K      delivery cadence inside a burst, 1..60\n"
    "                            (default 12: one object per 5 minutes)\n"
    "  --events-per-object E     mean events per object (default sqrt(2N),\n"
    "                            20..4000)\n"
    "  -h, --help                this text\n";

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "trailtrim-gencorpus: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    fprintf(stderr, "Try 'trailtrim-gencorpus --help'.\n");
    return 2;
}

static int parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    if (!s || !*s || *s == '-')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* Returns -1 when all is well and the run should go on, else an exit code. */
static int parse_args(int argc, char **argv, gc_opts *o)
{
    static const struct option longs[] = {
        {"out", required_argument, NULL, 'o'},
        {"events", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 's'},
        {"objects-per-hour", required_argument, NULL, 'k'},
        {"events-per-object", required_argument, NULL, 'e'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    uint64_t v;
    int c;
    memset(o, 0, sizeof *o);
    o->seed = 1;
    o->per_hour = 12;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        switch (c) {
        case 'o': o->out = optarg; break;
        case 'n':
            if (parse_u64(optarg, 1, MAX_EVENTS, &o->events))
                return usage_error("--events wants 1..200000000", optarg);
            break;
        case 's':
            if (parse_u64(optarg, 0, UINT64_MAX, &o->seed))
                return usage_error("--seed wants a non-negative integer", optarg);
            break;
        case 'k':
            if (parse_u64(optarg, 1, 60, &v))
                return usage_error("--objects-per-hour wants 1..60", optarg);
            o->per_hour = (int)v;
            break;
        case 'e':
            if (parse_u64(optarg, 20, 1000000, &v))
                return usage_error("--events-per-object wants 20..1000000", optarg);
            o->per_object = v;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            return usage_error("unknown or incomplete option", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument", argv[optind]);
    if (!o->out || !o->events)
        return usage_error("--out and --events are required", NULL);
    return -1;
}

static int prepare_dir(const char *dir)
{
    char path[4096];
    struct stat sb;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "trailtrim-gencorpus: cannot create %s\n", dir);
        return -1;
    }
    snprintf(path, sizeof path, "%s/AWSLogs", dir);
    if (stat(path, &sb) == 0) {
        fprintf(stderr, "trailtrim-gencorpus: %s already holds a corpus (AWSLogs/); "
                        "remove it first\n", dir);
        return -1;
    }
    return 0;
}

static void time_text(int64_t t, char out[21])
{
    gc_buf b = {0};
    gc_time_raw(&b, t);
    memcpy(out, b.p, 20);
    out[20] = '\0';
    gc_buf_free(&b);
}

static const char *delivery_text(int d)
{
    return d == DLV_BOTH ? "account-trail+org-trail" : d == DLV_ORG ? "org-trail" : "account-trail";
}

static void manifest_print(FILE *f, const gc_world *w, const gc_stats *st, const gc_opts *o)
{
    char first[21], last[21];
    time_text(st->first_t, first);
    time_text(st->last_t, last);
    fprintf(f, "seed=%" PRIu64 "\nevents_unique=%" PRIu64 "\nduplicate_copies=%" PRIu64
               "\nrecords_total=%" PRIu64 "\nlog_objects=%" PRIu64 "\ndigest_objects=%" PRIu64
               "\nbytes_uncompressed=%" PRIu64 "\nbytes_compressed=%" PRIu64
               "\ndigest_bytes_compressed=%" PRIu64 "\n",
            o->seed, st->events, st->dup_copies, st->events + st->dup_copies, st->objects,
            st->digests, st->bytes_raw, st->bytes_gz, st->digest_bytes_gz);
    fprintf(f, "principal_source_name_groups=%" PRIu64 "\nevents_version_1_0=%" PRIu64
               "\nevents_with_error=%" PRIu64 "\nfirst_event_time=%s\nlast_event_time=%s\n"
               "organization_id=%s\n",
            st->groups, st->v10_events, st->error_events, first, last, w->org_id);
    for (int i = 0; i < w->nacct; i++)
        fprintf(f, "account.%s=%s %s\n", w->acct[i].id, w->acct[i].env,
                delivery_text(w->acct[i].delivery));
}

static int write_manifest(const gc_world *w, const gc_stats *st, const gc_opts *o)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/MANIFEST.txt", o->out);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "trailtrim-gencorpus: cannot create %s\n", path);
        return -1;
    }
    fprintf(f, "# trailtrim-gencorpus corpus: --events %" PRIu64 " --seed %" PRIu64
               " --objects-per-hour %d\n",
            o->events, o->seed, o->per_hour);
    manifest_print(f, w, st, o);
    return fclose(f) == 0 ? 0 : -1;
}

static void summary(const gc_stats *st, double secs)
{
    printf("objects            %" PRIu64 " log + %" PRIu64 " digest\n", st->objects, st->digests);
    printf("events (unique)    %" PRIu64 "\n", st->events);
    printf("duplicate copies   %" PRIu64 "\n", st->dup_copies);
    printf("bytes uncompressed %" PRIu64 " (%.1f MB, %.0f bytes/record)\n", st->bytes_raw,
           st->bytes_raw / 1e6, (double)st->bytes_raw / (double)(st->events + st->dup_copies));
    printf("bytes compressed   %" PRIu64 " (%.1f MB) + %" PRIu64 " digest\n", st->bytes_gz,
           st->bytes_gz / 1e6, st->digest_bytes_gz);
    printf("seconds            %.2f\n", secs);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int run(const gc_opts *o)
{
    static gc_world w;
    gc_plan pl;
    gc_rng r;
    gc_out *out = NULL;
    double t0 = now_s();
    int rc = -1;
    gc_rng_seed(&r, o->seed);
    gc_world_build(&w, &r);
    if (prepare_dir(o->out) != 0 || gc_plan_make(&pl, &w, &r, o) != 0)
        return 1;
    out = gc_out_create(o->out, &w, &pl);
    if (out && gc_generate(&w, &r, &pl, out) == 0 && gc_out_digests(out, &r) == 0 &&
        write_manifest(&w, gc_out_stats(out), o) == 0) {
        summary(gc_out_stats(out), now_s() - t0);
        rc = 0;
    }
    gc_out_free(out);
    gc_plan_free(&pl);
    return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    gc_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;
    return run(&o);
}
