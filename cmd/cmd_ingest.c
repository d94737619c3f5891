/*
 * cmd_ingest.c - `trailtrim ingest`: wires the ingest pipeline to the
 * store. The sink below runs on the main thread and is the only writer.
 */
#define _GNU_SOURCE
#include "cmd.h"

#include "common/mem.h"
#include "common/tt.h"
#include "common/ttime.h"
#include "ingest/ingest.h"
#include "report/ingest_render.h"
#include "store/store.h"
#include "verify/verify.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXIT_INTEGRITY 7 /* as `trailtrim verify`; documented in the README */
enum { OPT_VERIFY = 2100, OPT_MEMORY, OPT_MAX_WAL };

/* --memory: the default total, and the least that still works. */
#define INGEST_MEMORY_DEFAULT ((size_t)300 << 20)
#define INGEST_MEMORY_MIN ((size_t)64 << 20)
/* --max-wal: the least (an object's pages can take the log past it). */
#define INGEST_MAX_WAL_MIN ((size_t)4 << 20)

typedef struct ingest_opts {
    int threads, quiet, verbose, wait, verify;
    size_t max_object, memory, max_wal;
    out_format fmt;
    int fmt_set;
} ingest_opts;


typedef struct sink_ctx {
    store *st;
    const ingest_opts *o;
    ingest_render_tally t;
    ingest_progress *progress;
    int64_t start_ms, last_progress_ms;
    int tty;
} sink_ctx;

static atomic_int stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    atomic_store(&stop_flag, 1);
}

static void help(void)
{
    printf("Usage: trailtrim [--db PATH] ingest [OPTIONS] PATH...\n"
           "\n"
           "Loads CloudTrail objects into the store, exactly once. PATH is a folder\n"
           "(walked recursively), a file, or - for standard input. Reads .json.gz,\n"
           ".json, NDJSON and JSON arrays of events, and .tar, .tar.gz, .tgz and .zip\n"
           "bundles of them, and on stdin several {\"Records\":...} objects one after\n"
           "another (zcat *.gz | trailtrim ingest -). Objects already stored are\n"
           "skipped; a stored object whose content changed is reported as possible\n"
           "tampering, not re-read. A record with bad content (say an unparseable\n"
           "eventTime) is rejected, named with its position, and the object's other\n"
           "records are stored (the object is \"partial\"; exit 3); a syntax error\n"
           "rejects the whole object.\n"
           "\n"
           "Options:\n"
           "  -j, --threads N       worker threads (default: online CPUs)\n"
           "  -q, --quiet           print nothing but errors (for cron)\n"
           "  -v, --verbose         name every object skipped or rejected (and a known\n"
           "                        rejected object skipped again, unchanged)\n"
           "      --wait            wait for another writer instead of failing\n"
           "      --verify          then check the logs against CloudTrail's digest files\n"
           "                        (as `trailtrim verify`) and record each log object's\n"
           "                        verdict in the manifest (objects.verify)\n"
           "      --max-object-size BYTES  cap on one object, decompressed (default 1 GiB)\n"
           "      --memory SIZE     about how much memory the run may use, e.g. 300M or 2G\n"
           "                        (default 300M, at least 64M): 60%% for objects in\n"
           "                        flight, 10%% for the store's caches; an object that\n"
           "                        does not fit is rejected with its reason\n"
           "      --max-wal SIZE    keep the store's write-ahead log, the file beside it\n"
           "                        while the run writes, under about SIZE (default\n"
           "                        512M, at least 4M)\n"
           "      --format F        the summary as table or json\n"
           "      --db PATH         the store\n"
           "\n"
           "Exit codes: 0 ok, 1 error, 2 usage, 3 some inputs rejected, 4 a stored\n"
           "object changed (possible tampering), 5 store busy, 6 interrupted, 7 --verify\n"
           "found integrity problems (1, 6, 5, 4, 7, 3: the first that applies).\n");
}

static const char *label(const ingest_object *ob, char *buf, size_t n)
{
    if (ob->member && ob->member[0])
        snprintf(buf, n, "%s[%s]", ob->path, ob->member);
    else
        snprintf(buf, n, "%s", strcmp(ob->path, "-") == 0 ? "(stdin)" : ob->path);
    return buf;
}

static void report(const char *what, const ingest_object *ob, const char *why)
{
    char name[4096], msg[8192];
    snprintf(msg, sizeof msg, "%s: %s%s%s", label(ob, name, sizeof name), what, why ? ": " : "",
             why ? why : "");
    cmd_error(msg);
}

static const char *kind_text(ingest_kind k)
{
    return k == INGEST_KIND_DIGEST ? "digest" : k == INGEST_KIND_INSIGHT ? "insight" : "events";
}

static const char *container_text(ingest_container c)
{
    return c == INGEST_MEMBER ? "member" : c == INGEST_ARCHIVE ? "archive" : "file";
}

/* The account an object was delivered for, from its S3 key:
 * .../AWSLogs/[o-ORGID/]ACCOUNT/CloudTrail/... (12 digits), or NULL. */
static const char *path_account(const char *path, char acct[13])
{
    const char *p = strstr(path, "AWSLogs/");
    if (!p)
        return NULL;
    p += 8;
    if (p[0] == 'o' && p[1] == '-') {
        p = strchr(p, '/');
        if (!p)
            return NULL;
        p++;
    }
    for (int i = 0; i < 12; i++)
        if (p[i] < '0' || p[i] > '9')
            return NULL;
    if (p[12] != '/')
        return NULL;
    memcpy(acct, p, 12);
    acct[12] = '\0';
    return acct;
}

static void fill_row(store_object *so, const ingest_object *ob, store_obj_status status)
{
    so->path = ob->path;
    so->member = ob->member;
    so->container = container_text(ob->container);
    so->kind = kind_text(ob->kind);
    so->size = ob->size;
    so->mtime_ns = ob->mtime_ns;
    so->sha256 = ob->has_sha ? ob->sha256 : NULL;
    so->status = status;
    so->reason = ob->reason;
    so->account = NULL;
}

/* A partial object: each record left out on stderr, then the object. */
static void report_left_out(const ingest_object *ob)
{
    char name[4096], msg[8192];
    const char *line = ob->detail ? ob->detail : "";
    while (*line) {
        const char *nl = strchr(line, '\n');
        int n = nl ? (int)(nl - line) : (int)strlen(line);
        snprintf(msg, sizeof msg, "%s: %.*s", label(ob, name, sizeof name), n, line);
        cmd_error(msg);
        line += n + (nl != NULL);
    }
    char why[160];
    snprintf(why, sizeof why, "%zu of %zu records rejected (above), the other %zu kept",
             ob->left_out, ob->left_out + ob->nevents, ob->nevents);
    report("partial", ob, why);
}

static tt_status on_loaded(sink_ctx *c, const ingest_object *ob, tt_error *err)
{
    store_object so;
    store_add_counts counts = {0, 0};
    char acct[13];
    fill_row(&so, ob, ob->left_out ? STORE_OBJ_PARTIAL : STORE_OBJ_LOADED);
    if (ob->left_out) {
        report_left_out(ob);
        c->t.partial++;
        c->t.records_rejected += (int64_t)ob->left_out;
    }
    so.account = path_account(ob->member && ob->member[0] ? ob->member : ob->path, acct);
    tt_status st = store_add_object(c->st, &so, ob->events, ob->fps, ob->nevents, &counts, err);
    if (st != TT_OK)
        return st;
    c->t.added += counts.added;
    c->t.duplicates += counts.duplicates;
    if (ob->container == INGEST_ARCHIVE)
        c->t.archives++;
    else if (ob->kind == INGEST_KIND_DIGEST)
        c->t.digests++;
    else if (ob->kind == INGEST_KIND_INSIGHT)
        c->t.insights++;
    else
        c->t.loaded++;
    return TT_OK;
}

static tt_status on_object(sink_ctx *c, const ingest_object *ob, tt_error *err)
{
    store_object so;
    switch (ob->outcome) {
    case INGEST_LOADED:
        return on_loaded(c, ob, err);
    case INGEST_SKIPPED:
        c->t.skipped++;
        if (c->o->verbose && ob->recorded_rejected)
            report("skipped", ob, "recorded as rejected (or partial) before and unchanged since; "
                   "`trailtrim status` says why");
        if (ob->has_sha && ob->mtime_ns)
            return store_touch_object(c->st, ob->path, ob->member, ob->mtime_ns, err);
        return TT_OK;
    case INGEST_SAME_CONTENT:
        c->t.same_content++;
        if (c->o->verbose)
            report("skipped", ob, ob->reason);
        fill_row(&so, ob, STORE_OBJ_SAME_CONTENT);
        return store_add_object(c->st, &so, NULL, NULL, 0, NULL, err);
    case INGEST_CHANGED:
        c->t.changed++;
        report("WARNING", ob, ob->reason);
        return store_note_change(c->st, ob->path, ob->member, ob->size, ob->sha256, err);
    case INGEST_REJECTED:
        c->t.rejected++;
        report("rejected", ob, ob->reason);
        if (!ob->has_sha)
            return TT_OK; /* never read: nothing to record */
        fill_row(&so, ob, STORE_OBJ_REJECTED);
        return store_add_object(c->st, &so, NULL, NULL, 0, NULL, err);
    }
    return TT_OK;
}

static void progress_line(sink_ctx *c, int final)
{
    int64_t now = tt_now_ms();
    if (!c->tty || c->o->quiet || (!final && now - c->last_progress_ms < 250))
        return;
    c->last_progress_ms = now;
    ingest_progress *p = c->progress;
    double secs = (double)(now - c->start_ms) / 1000.0;
    long long done = atomic_load(&p->objects_done), found = atomic_load(&p->files_found);
    double mb = (double)atomic_load(&p->bytes_inflated) / 1e6;
    char eta[32] = "";
    if (atomic_load(&p->walk_done) && done > 0 && done < found)
        snprintf(eta, sizeof eta, ", ETA %.0fs", secs * (double)(found - done) / (double)done);
    fprintf(stderr, "\r%lld/%lld%s objects, %lld events, %.0f MB/s%s\033[K", done, found,
            atomic_load(&p->walk_done) ? "" : "+", atomic_load(&p->events_parsed),
            secs > 0 ? mb / secs : 0.0, eta);
    if (final)
        fputc('\n', stderr);
}

static tt_status sink(void *ctx, const ingest_object *ob, tt_error *err)
{
    sink_ctx *c = ctx;
    tt_status st = on_object(c, ob, err);
    progress_line(c, 0);
    return st;
}

/* --verify: runs the verify module over the same paths once the ingest is
 * done (so that every object it judges already has its manifest row, and
 * a verify problem never keeps data out of the store), then records each
 * log object's verdict and names every problem on stderr. */
static tt_status verify_and_record(sink_ctx *c, const char *const *paths, size_t n,
                                   tt_error *err)
{
    const char **files = tt_xcalloc(n + 1, sizeof *files);
    store_verdict *v = NULL;
    verify_report *r = NULL;
    size_t nfiles = 0, updated = 0;
    tt_status st = TT_OK;
    for (size_t i = 0; i < n; i++)
        if (strcmp(paths[i], "-") != 0) /* stdin was read once, by ingest */
            files[nfiles++] = paths[i];
    if (nfiles == 0) {
        cmd_error("--verify: standard input has no digest files to verify against; nothing verified");
        goto out;
    }
    verify_options vo;
    verify_options_init(&vo);
    st = verify_run(files, nfiles, &vo, &r, err);
    if (st != TT_OK)
        goto out;
    v = tt_xcalloc(r->nverdicts + 1, sizeof *v);
    for (size_t i = 0; i < r->nverdicts; i++)
        v[i] = (store_verdict){r->verdicts[i].path, "", r->verdicts[i].verdict};
    st = store_set_verdicts(c->st, v, r->nverdicts, tt_now_ms(), &updated, err);
    if (st == TT_OK)
        st = store_commit(c->st, err);
    if (st != TT_OK)
        goto out;
    c->t.verified = (int64_t)updated;
    c->t.verify_problems = r->problems;
    for (size_t i = 0; i < r->nfindings; i++) {
        const verify_finding *f = &r->findings[i];
        if (!verify_kind_is_problem(f->kind))
            continue;
        char msg[8192];
        snprintf(msg, sizeof msg, "%s: integrity: %s: %s", f->object[0] ? f->object : "(tree)",
                 verify_kind_name(f->kind), f->detail);
        cmd_error(msg);
    }
out:
    verify_report_free(r);
    free(v);
    free(files);
    return st;
}

/* "300M", "2G", "512K" or a number of bytes. */
static int parse_size(const char *text, size_t *bytes)
{
    char *end = NULL;
    unsigned long long v = strtoull(text, &end, 10);
    if (end == text)
        return -1;
    int shift = 0;
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    }
    if (*end == 'i' || *end == 'B')
        end += *end == 'i' && end[1] == 'B' ? 2 : 1;
    if (*end || v > (SIZE_MAX >> shift))
        return -1;
    *bytes = (size_t)v << shift;
    return 0;
}

/* The options of its own (cmd_parse_options). */
static int own_opt(void *ctx, int opt, const char *arg)
{
    ingest_opts *o = ctx;
    char *end = NULL;
    switch (opt) {
    case 'j':
        o->threads = (int)strtol(arg, &end, 10);
        if (*end || o->threads < 1 || o->threads > 256)
            return cmd_usage_error("ingest", "-j takes a number of threads from 1 to 256, not \"%s\"", arg);
        return CMD_OPT_TAKEN;
    case 'q': o->quiet = 1; return CMD_OPT_TAKEN;
    case 'v': o->verbose = 1; return CMD_OPT_TAKEN;
    case OPT_WAIT: o->wait = 1; return CMD_OPT_TAKEN;
    case OPT_VERIFY: o->verify = 1; return CMD_OPT_TAKEN;
    case OPT_MAX_OBJECT:
        o->max_object = (size_t)strtoull(arg, &end, 10);
        if (*end || o->max_object < 1024)
            return cmd_usage_error("ingest", "--max-object-size takes a number of bytes (at least 1024), not \"%s\"", arg);
        return CMD_OPT_TAKEN;
    case OPT_MEMORY:
        if (parse_size(arg, &o->memory) != 0 || o->memory < INGEST_MEMORY_MIN)
            return cmd_usage_error("ingest", "--memory takes a size of at least 64M (e.g. 300M, 2G), not \"%s\"", arg);
        return CMD_OPT_TAKEN;
    case OPT_MAX_WAL:
        if (parse_size(arg, &o->max_wal) != 0 || o->max_wal < INGEST_MAX_WAL_MIN)
            return cmd_usage_error("ingest", "--max-wal takes a size of at least 4M (e.g. 512M, 4G), not \"%s\"", arg);
        return CMD_OPT_TAKEN;
    case OPT_FORMAT:
        o->fmt_set = 1; /* parsed by cmd_common_opt, as every command's */
        return CMD_OPT_OTHER;
    default: return CMD_OPT_OTHER;
    }
}

static int parse_opts(int argc, char **argv, cmd_global *g, ingest_opts *o)
{
    static const struct option longs[] = {
        {"threads", required_argument, NULL, 'j'}, {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},       {"wait", no_argument, NULL, OPT_WAIT},
        {"db", required_argument, NULL, OPT_DB},   {"format", required_argument, NULL, OPT_FORMAT},
        {"max-object-size", required_argument, NULL, OPT_MAX_OBJECT},
        {"verify", no_argument, NULL, OPT_VERIFY}, {"memory", required_argument, NULL, OPT_MEMORY},
        {"max-wal", required_argument, NULL, OPT_MAX_WAL},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    cmd_optspec spec = {"ingest", "j:qvh", longs, help, own_opt, o, NULL, &o->fmt};
    int first, rc = cmd_parse_options(&spec, argc, argv, g, &first);
    if (rc)
        return rc; /* CMD_HELP is -1, as the caller expects */
    if (optind >= argc)
        return cmd_usage_error("ingest", "name at least one folder, file or - for stdin");
    return cmd_paths_exist("ingest", optind, argc, argv);
}

static void add_known(void *ctx, const char *path, const char *member, int64_t size,
                      int64_t mtime_ns, const uint8_t sha256[32], int rejected)
{
    ingest_known_add(ctx, path, member, size, mtime_ns, sha256,
                     rejected ? INGEST_KNOWN_REJECTED : INGEST_KNOWN_LOADED);
}

/* The store asked object by object during the run (store_find_object),
 * from the workers at once. A question that fails reads the object as new
 * (the store drops the events it holds already); the run counts them and
 * says so at its end. */
typedef struct asking {
    store *st;
    atomic_llong failed;
} asking;

static int ask_find(void *ctx, const char *path, const char *member, ingest_known_info *info_out)
{
    asking *a = ctx;
    store_object_info info;
    int found = 0;
    tt_error err;
    tt_error_clear(&err);
    if (store_find_object(a->st, path, member, &info, &found, &err) != TT_OK) {
        atomic_fetch_add(&a->failed, 1);
        return 0;
    }
    if (!found)
        return 0;
    info_out->size = info.size;
    info_out->mtime_ns = info.mtime_ns;
    memcpy(info_out->sha256, info.sha256, 32);
    info_out->state = info.rejected ? INGEST_KNOWN_REJECTED : INGEST_KNOWN_LOADED;
    return 1;
}

static int ask_content(void *ctx, const uint8_t sha256[32])
{
    asking *a = ctx;
    int found = 0;
    tt_error err;
    tt_error_clear(&err);
    if (store_has_content(a->st, sha256, &found, &err) != TT_OK) {
        atomic_fetch_add(&a->failed, 1);
        return 0;
    }
    return found;
}

/* What the run knows of the objects recorded before: the store asked as
 * the run goes where it answers such questions, else its whole manifest,
 * read now into *known. */
static tt_status known_objects(store *st, asking *a, ingest_known **known, ingest_known_ask *ask,
                               tt_error *err)
{
    if (store_finds_objects(st)) {
        a->st = st;
        atomic_init(&a->failed, 0);
        *ask = (ingest_known_ask){ask_find, ask_content, a};
        return TT_OK;
    }
    *known = ingest_known_create();
    *ask = ingest_known_asking(*known);
    return store_each_object(st, add_known, *known, err);
}

static void summary(const sink_ctx *c, const ingest_opts *o, FILE *f)
{
    double secs = (double)(tt_now_ms() - c->start_ms) / 1000.0;
    long long mb = atomic_load(&c->progress->bytes_inflated) / 1000000;
    ingest_render_summary(f, o->fmt, &c->t, o->verify, mb, secs);
}

/* -v: what the run cost the store, the memory budget and the disk beside
 * the store (its write-ahead log, where the backend has one). */
static void work_line(store *st, const ingest_progress *p, const ingest_options *io)
{
    store_write_stats ws;
    store_get_write_stats(st, &ws);
    fprintf(stderr,
            "trailtrim: store: %lld lookups past the caches, %lld rows added, %lld pages read;"
            " in flight at most %lld of %zu MiB",
            (long long)ws.lookups, (long long)ws.inserted, (long long)ws.page_reads,
            (long long)(atomic_load(&p->budget_peak) >> 20), io->memory_budget >> 20);
    if (ws.wal_peak_bytes > 0)
        fprintf(stderr, "; write-ahead log at most %lld KiB, started over %lld times",
                (long long)(ws.wal_peak_bytes >> 10), (long long)ws.wal_restarts);
    fputc('\n', stderr);
}

/* The line cron mails (printed with -q too): what was rejected, whole or
 * in part, e.g. "trailtrim: 2 inputs rejected, 1 partial (3 records
 * rejected, the rest stored) (see above and `trailtrim status`)". */

static int finish(sink_ctx *c, tt_status st, tt_error *err)
{
    const ingest_render_tally *t = &c->t;
    if (st == TT_ERR_INTERRUPTED) {
        cmd_error("interrupted: what was committed is kept; run the same command again to resume");
        return EXIT_INTERRUPTED;
    }
    if (st != TT_OK) {
        cmd_error(err->msg);
        return cmd_exit_for(st);
    }
    if (!c->o->quiet) {
        if (t->loaded + t->digests + t->insights + t->archives + t->rejected + t->changed +
                t->same_content == 0 && t->skipped > 0)
            fprintf(stderr, "trailtrim: nothing new: %lld objects already stored\n", (long long)t->skipped);
        summary(c, c->o, stdout);
    }
    if (t->changed)
        return EXIT_CHANGED;
    if (t->rejected || t->partial)
        ingest_render_problems(stderr, t);
    if (t->verify_problems) {
        fprintf(stderr, "trailtrim: verify: %lld integrity problem%s found (see above)\n",
                (long long)t->verify_problems, t->verify_problems == 1 ? "" : "s");
        return EXIT_INTEGRITY;
    }
    return t->rejected || t->partial ? EXIT_REJECTED : EXIT_OK;
}

int cmd_ingest(const cmd_global *gin, int argc, char **argv)
{
    cmd_global g = *gin;
    ingest_opts o = {0};
    o.fmt = out_default_format(stdout);
    int rc = parse_opts(argc, argv, &g, &o);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    tt_error err;
    tt_error_clear(&err);
    store *st = NULL;
    ingest_known *known = NULL;
    ingest_known_ask ask = {NULL, NULL, NULL};
    asking asked = {NULL, 0};
    ingest_progress progress;
    memset(&progress, 0, sizeof progress);
    sink_ctx c = {.o = &o, .progress = &progress, .start_ms = tt_now_ms(), .tty = isatty(2)};
    /* From here on a signal asks for a clean stop, never an abrupt one. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    tt_status s = store_open(&st, g.db_path, STORE_WRITE | (o.wait ? STORE_WAIT : 0), &err);
    if (s == TT_OK)
        s = known_objects(st, &asked, &known, &ask, &err);
    size_t memory = o.memory ? o.memory : INGEST_MEMORY_DEFAULT;
    /* Buffers of 256 KiB or more come from mmap and go back to the system
     * when freed: with glibc's sliding threshold, freed object buffers
     * stayed in the heap of the thread that used them, and the process held
     * far more than the budget counts. At 1 MiB, the many small objects
     * queued for the writer left 20-30 MB of such heap behind (measured
     * peaks 274 -> 294 MB; at 256 KiB, 276 MB). */
    mallopt(M_MMAP_THRESHOLD, 256 << 10);
    if (s == TT_OK) {
        c.st = st;
        /* Most of it for the objects in flight: a big object (60,000
         * events, 100 MB of JSON) holds most of a budget of half while it
         * is parsed, and the other workers and then the writer waited for
         * it; with 65% they go on with smaller objects (1M high-churn
         * events: 2.81 / 2.82 -> 2.66 / 2.59 s, peak 276 -> 257 MB). 60%
         * once objects were packed and workers kept their buffers: as
         * fast, and the second 1M events into a store peaked at 247-264
         * MB against 281-295 MB. The writer's 10% (was 25%) read 8,800
         * instead of 5,200 pages in the fourth 1M events into one store,
         * in the same time. */
        store_set_memory(st, memory / 10);
        if (o.max_wal)
            store_set_max_wal(st, o.max_wal);
        ingest_options io;
        ingest_options_init(&io);
        io.memory_budget = memory / 100 * 60;
        io.threads = o.threads;
        io.known = ask;
        io.stop = &stop_flag;
        if (o.max_object)
            io.max_object_bytes = o.max_object;
        s = ingest_run((const char *const *)argv + optind, (size_t)(argc - optind), &io, sink, &c,
                       &progress, &err);
        progress_line(&c, 1);
        if (s == TT_OK)
            s = store_commit(st, &err); /* the last objects, counted in the work line */
        if (o.verbose)
            work_line(st, &progress, &io);
        if (atomic_load(&asked.failed) > 0)
            fprintf(stderr,
                    "trailtrim: %lld questions to the store's manifest failed; those objects"
                    " were read as new\n",
                    (long long)atomic_load(&asked.failed));
    }
    if (s == TT_OK && o.verify)
        s = verify_and_record(&c, (const char *const *)argv + optind, (size_t)(argc - optind),
                              &err);
    tt_error cerr;
    tt_error_clear(&cerr);
    tt_status cs = store_close(st, &cerr);
    if (s == TT_OK && cs != TT_OK) {
        s = cs;
        err = cerr;
    }
    ingest_known_free(known);
    return finish(&c, s, &err);
}
