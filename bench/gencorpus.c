/*
 * gencorpus.c - trailtrim-gencorpus: writes a synthetic but realistic
 * CloudTrail S3 delivery tree (an organization of 24 accounts, an
 * organization trail, duplicates, digests, real credential churn) for the
 * benchmark and for sample-logs/. The same options and seeds give the same
 * bytes on every run.
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
    "usage: trailtrim-gencorpus --out DIR --events N [--seed S] [--world-seed W]\n"
    "                           [--churn low|default|high|C] [--accounts A]\n"
    "                           [--start YYYY-MM-DD] [--days D] [--one-object]\n"
    "                           [--objects-per-hour K] [--events-per-object E]\n"
    "\n"
    "Writes N unique synthetic CloudTrail events as gzipped S3 delivery objects\n"
    "under DIR/AWSLogs/ (account trails and an organization trail, with ~5%\n"
    "of events delivered twice), a few CloudTrail-Digest objects, and\n"
    "DIR/MANIFEST.txt. Same options and seeds, same bytes.\n"
    "\n"
    "  --out DIR                 output directory (must not hold a corpus yet)\n"
    "  --events N                unique events to write (1..200000000)\n"
    "  --seed S                  PRNG seed of the events (default 1)\n"
    "  --world-seed W            seed of the accounts, principals and long-term\n"
    "                            keys (default: S); corpora with one W and\n"
    "                            different S are successive periods of one org\n"
    "  --churn C                 mean calls per temporary session: low (60),\n"
    "                            default (7.5: ~1 new identity per 10 events),\n"
    "                            high (2.5: ~1 per 4), or a number 1..100000\n"
    "  --accounts A              accounts in the organization, 4..24 (default 24)\n"
    "  --start YYYY-MM-DD        first day of the period (default 2026-08-12)\n"
    "  --days D                  days the period spans, 1..3650 (default 100)\n"
    "  --one-object              write a single log object of N events an hour\n"
    "                            into the period (the nightly increment), no\n"
    "                            digests\n"
    "  --objects-per-hour K      delivery cadence inside a burst, 1..60\n"
    "                            (default 12: one object per 5 minutes)\n"
    "  --events-per-object E     mean events per object (default 2 sqrt(N),\n"
    "                            20..2000); sizes spread from 1 to 60,000\n"
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

#define CHURN_DEFAULT 7.5

/* low, default, high, or a mean number of calls per temporary session. */
static int parse_churn(const char *s, gc_opts *o)
{
    static const struct { const char *name; double mean; } named[] = {
        {"low", 60.0}, {"default", CHURN_DEFAULT}, {"high", 2.5}};
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (strcmp(s, named[i].name) == 0) {
            o->churn = named[i].mean;
            o->churn_name = named[i].name;
            return 0;
        }
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= 1.0 && v <= 100000.0))
        return -1;
    o->churn = v;
    o->churn_name = s;
    return 0;
}

/* YYYY-MM-DD to epoch seconds at 00:00Z. */
static int parse_date(const char *s, int64_t *out)
{
    int y, m, d;
    char tail;
    if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 1971 || y > 2199 || m < 1 ||
        m > 12 || d < 1 || d > 31)
        return -1;
    int64_t t = gc_epoch(y, m, d);
    gc_tm tm;
    gc_civil(t, &tm);
    if (tm.day != d) /* 2026-02-30 */
        return -1;
    *out = t;
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
        {"world-seed", required_argument, NULL, 'w'},
        {"churn", required_argument, NULL, 'c'},
        {"accounts", required_argument, NULL, 'a'},
        {"start", required_argument, NULL, 'S'},
        {"days", required_argument, NULL, 'd'},
        {"one-object", no_argument, NULL, '1'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    uint64_t v;
    int c, world_set = 0;
    int64_t start = gc_epoch(GC_END_YEAR, GC_END_MON, GC_END_DAY) - GC_SPAN_DAYS * 86400LL;
    memset(o, 0, sizeof *o);
    o->seed = 1;
    o->per_hour = 12;
    o->accounts = 24;
    o->days = GC_SPAN_DAYS;
    o->churn = CHURN_DEFAULT;
    o->churn_name = "default";
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
        case 'w':
            if (parse_u64(optarg, 0, UINT64_MAX, &o->world_seed))
                return usage_error("--world-seed wants a non-negative integer", optarg);
            world_set = 1;
            break;
        case 'c':
            if (parse_churn(optarg, o) != 0)
                return usage_error("--churn wants low, default, high or a number 1..100000", optarg);
            break;
        case 'a':
            if (parse_u64(optarg, 4, 24, &v))
                return usage_error("--accounts wants 4..24", optarg);
            o->accounts = (int)v;
            break;
        case 'S':
            if (parse_date(optarg, &start) != 0)
                return usage_error("--start wants a date YYYY-MM-DD (1971..2199)", optarg);
            break;
        case 'd':
            if (parse_u64(optarg, 1, 3650, &v))
                return usage_error("--days wants 1..3650", optarg);
            o->days = (int)v;
            break;
        case '1': o->one_object = 1; break;
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
    if (o->one_object && o->events > GC_MAX_OBJECT_EVENTS)
        return usage_error("--one-object wants --events of at most 60000", NULL);
    if (!world_set)
        o->world_seed = o->seed;
    o->end = start + (int64_t)o->days * 86400;
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

/* The shape a reader checks: object sizes and credential churn. */
typedef struct shape {
    int32_t min, median, p90, p99, max;
    double mean;
    uint64_t bucket[5]; /* 1-9, 10-99, 100-999, 1000-9999, 10000+ */
    int prefixes;       /* account/region pairs with objects */
    int akia, principal; /* busiest long-term key and principal, or -1 */
} shape;

static int by_int(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static void shape_of(shape *sh, const gc_plan *pl, const gc_stats *st, const gc_world *w)
{
    int used[GC_MAX_STREAMS] = {0};
    int32_t *v = malloc((pl->nwin ? pl->nwin : 1) * sizeof *v);
    double sum = 0;
    memset(sh, 0, sizeof *sh);
    sh->akia = sh->principal = -1;
    for (size_t i = 0; v && i < pl->nwin; i++) {
        v[i] = pl->win[i].nev;
        sum += v[i];
        used[pl->win[i].stream] = 1;
        int k = v[i] < 10 ? 0 : v[i] < 100 ? 1 : v[i] < 1000 ? 2 : v[i] < 10000 ? 3 : 4;
        sh->bucket[k]++;
    }
    if (v && pl->nwin) {
        qsort(v, pl->nwin, sizeof *v, by_int);
        sh->min = v[0];
        sh->median = v[pl->nwin / 2];
        sh->p90 = v[pl->nwin * 9 / 10];
        sh->p99 = v[pl->nwin * 99 / 100];
        sh->max = v[pl->nwin - 1];
        sh->mean = sum / (double)pl->nwin;
    }
    free(v);
    for (int s = 0; s < pl->nstream; s++)
        sh->prefixes += used[s];
    for (int i = 0; i < w->np; i++) {
        if (st->akia_calls[i] && (sh->akia < 0 || st->akia_calls[i] > st->akia_calls[sh->akia]))
            sh->akia = i;
        if (st->principal_calls[i] &&
            (sh->principal < 0 || st->principal_calls[i] > st->principal_calls[sh->principal]))
            sh->principal = i;
    }
}

static double per_identity(const gc_stats *st)
{
    return st->identities ? (double)st->events / (double)st->identities : 0.0;
}

static void manifest_print(FILE *f, const gc_world *w, const gc_stats *st, const gc_opts *o,
                           const shape *sh)
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
    fprintf(f, "world_seed=%" PRIu64 "\nchurn=%s\nchurn_mean_calls_per_session=%g\n"
               "identity_tuples=%" PRIu64 "\nevents_per_identity=%.2f\nsessions_minted=%" PRIu64
               "\n",
            o->world_seed, o->churn_name, o->churn, st->identities, per_identity(st), st->mints);
    fprintf(f, "accounts=%d\naccount_region_prefixes=%d\nobjects_planned=%zu\n"
               "object_events_min=%d\nobject_events_median=%d\nobject_events_p90=%d\n"
               "object_events_p99=%d\nobject_events_max=%d\nobject_events_mean=%.0f\n"
               "objects_1_9=%" PRIu64 "\nobjects_10_99=%" PRIu64 "\nobjects_100_999=%" PRIu64
               "\nobjects_1000_9999=%" PRIu64 "\nobjects_10000_plus=%" PRIu64 "\n",
            w->nacct, sh->prefixes, (size_t)(sh->bucket[0] + sh->bucket[1] + sh->bucket[2] +
                                             sh->bucket[3] + sh->bucket[4]),
            sh->min, sh->median, sh->p90, sh->p99, sh->max, sh->mean, sh->bucket[0],
            sh->bucket[1], sh->bucket[2], sh->bucket[3], sh->bucket[4]);
    if (sh->akia >= 0)
        fprintf(f, "busiest_akia_key=%s\nbusiest_akia_calls=%" PRIu64 "\n", w->p[sh->akia].akia,
                st->akia_calls[sh->akia]);
    if (sh->principal >= 0)
        fprintf(f, "busiest_principal=%s\nbusiest_principal_calls=%" PRIu64 "\n",
                w->p[sh->principal].arn, st->principal_calls[sh->principal]);
    for (int i = 0; i < w->nacct; i++)
        fprintf(f, "account.%s=%s %s\n", w->acct[i].id, w->acct[i].env,
                delivery_text(w->acct[i].delivery));
}

static int write_manifest(const gc_world *w, const gc_stats *st, const gc_opts *o,
                          const shape *sh)
{
    char path[4096], start[21];
    snprintf(path, sizeof path, "%s/MANIFEST.txt", o->out);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "trailtrim-gencorpus: cannot create %s\n", path);
        return -1;
    }
    time_text(o->end - (int64_t)o->days * 86400, start);
    start[10] = '\0';
    fprintf(f, "# trailtrim-gencorpus corpus: --events %" PRIu64 " --seed %" PRIu64
               " --world-seed %" PRIu64 " --churn %s --accounts %d --start %s --days %d"
               " --objects-per-hour %d%s\n",
            o->events, o->seed, o->world_seed, o->churn_name, o->accounts, start, o->days,
            o->per_hour, o->one_object ? " --one-object" : "");
    manifest_print(f, w, st, o, sh);
    return fclose(f) == 0 ? 0 : -1;
}

static void summary(const gc_stats *st, const shape *sh, double secs)
{
    printf("objects            %" PRIu64 " log + %" PRIu64 " digest\n", st->objects, st->digests);
    printf("events (unique)    %" PRIu64 "\n", st->events);
    printf("duplicate copies   %" PRIu64 "\n", st->dup_copies);
    printf("bytes uncompressed %" PRIu64 " (%.1f MB, %.0f bytes/record)\n", st->bytes_raw,
           st->bytes_raw / 1e6, (double)st->bytes_raw / (double)(st->events + st->dup_copies));
    printf("bytes compressed   %" PRIu64 " (%.1f MB) + %" PRIu64 " digest\n", st->bytes_gz,
           st->bytes_gz / 1e6, st->digest_bytes_gz);
    printf("seconds            %.2f\n", secs);
    /* the shape, also on stderr so that it shows when stdout is discarded */
    for (int i = 0; i < 2; i++) {
        FILE *f = i ? stderr : stdout;
        fprintf(f, "trailtrim-gencorpus: %" PRIu64 " identity tuples, %.2f events per identity; "
                   "objects of %d..%d events (median %d, p90 %d, p99 %d) over %d account/region "
                   "prefixes\n",
                st->identities, per_identity(st), sh->min, sh->max, sh->median, sh->p90,
                sh->p99, sh->prefixes);
    }
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
    gc_rng r, wr;
    gc_out *out = NULL;
    shape sh;
    double t0 = now_s();
    int rc = -1;
    gc_period_set(o->end, o->days);
    gc_rng_seed(&wr, o->world_seed);
    gc_world_build(&w, &wr, o->accounts);
    w.churn_mean = o->churn;
    w.uniq_ip = o->churn <= 3 ? 0.04 : 0.02;
    w.uniq_ua = o->churn <= 3 ? 0.01 : 0.005;
    gc_rng_seed(&r, o->seed ^ 0x5eed0f7e11a1ULL);
    if (prepare_dir(o->out) != 0 || gc_plan_make(&pl, &w, &r, o) != 0)
        return 1;
    out = gc_out_create(o->out, &w, &pl, !o->one_object);
    if (out && gc_generate(&w, &r, &pl, out) == 0 && gc_out_digests(out, &r) == 0) {
        shape_of(&sh, &pl, gc_out_stats(out), &w);
        if (write_manifest(&w, gc_out_stats(out), o, &sh) == 0) {
            summary(gc_out_stats(out), &sh, now_s() - t0);
            rc = 0;
        }
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
