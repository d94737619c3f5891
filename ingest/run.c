/*
 * run.c - the ingest pipeline: one walker thread, N workers, and the
 * calling thread as the only consumer (the sink, which writes the store).
 *
 * DESIGN: walker -> jobs queue (bounded) -> workers -> results queue
 * (bounded) -> sink. The memory budget (budget.h) keeps memory flat: it
 * counts every byte a result holds, so the results queue's bound by count
 * is loose. Stopping (a signal or a
 * sink error) sets `halt`: the walker stops, workers drop the jobs still
 * queued, and the consumer drains and frees what is in flight without
 * calling the sink. Counters and flags are C11 atomics; the free list of
 * results is guarded by free_mu.
 */
#define _GNU_SOURCE
#include "run_int.h"

#include "queue.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

void ingest_options_init(ingest_options *o)
{
    memset(o, 0, sizeof *o);
    o->max_stored_bytes = (size_t)1 << 30;
    o->max_object_bytes = (size_t)1 << 30;
    o->max_archive_entries = 1000000;
    o->memory_budget = INGEST_MEMORY_BUDGET;
}

result *ingest_run_result_get(run *r)
{
    pthread_mutex_lock(&r->free_mu);
    result *res = r->free_list;
    if (res) {
        r->free_list = res->next;
        r->nfree--;
    }
    pthread_mutex_unlock(&r->free_mu);
    if (!res) {
        res = tt_xcalloc(1, sizeof *res);
        res->parser = ingest_parser_create();
    }
    memset(&res->obj, 0, sizeof res->obj);
    res->obj.member = "";
    res->next = NULL;
    return res;
}

static void result_destroy(result *res)
{
    free(res->path);
    free(res->member);
    free(res->reason);
    free(res->detail);
    ingest_parser_free(res->parser);
    free(res->fps);
    free(res->packed);
    free(res);
}

/* What a result on the free list may keep of each buffer for reuse. */
#define RESULT_KEEP_BYTES ((size_t)1 << 20)

static void result_release(run *r, result *res)
{
    free(res->path);
    free(res->member);
    free(res->reason);
    free(res->detail);
    res->path = res->member = res->reason = res->detail = NULL;
    /* Keep the buffers of a few results (free_max) for reuse, and drop big
     * ones: the budget no longer counts them once given back. Results past
     * free_max, made while many were queued, are freed whole. */
    ingest_budget_give(&r->budget, res->charge);
    res->charge = 0;
    ingest_parser_trim(res->parser, RESULT_KEEP_BYTES);
    if (res->afps * sizeof *res->fps > RESULT_KEEP_BYTES) {
        free(res->fps);
        res->fps = NULL;
        res->afps = 0;
    }
    if (res->apacked > RESULT_KEEP_BYTES) {
        free(res->packed);
        res->packed = NULL;
        res->apacked = 0;
    }
    pthread_mutex_lock(&r->free_mu);
    int keep = r->nfree < r->free_max;
    if (keep) {
        res->next = r->free_list;
        r->free_list = res;
        r->nfree++;
    }
    pthread_mutex_unlock(&r->free_mu);
    if (!keep)
        result_destroy(res);
}

void ingest_run_emit(run *r, result *res)
{
    if (ingest_queue_push(r->results, res) != 0)
        result_release(r, res);
}

static int walk_cb(void *ctx, ingest_walk_item *item)
{
    run *r = ctx;
    if (atomic_load(&r->halt) || ingest_queue_push(r->jobs, item) != 0) {
        ingest_walk_item_free(item);
        return 1;
    }
    atomic_fetch_add(&r->progress->files_found, 1);
    return 0;
}

typedef struct walk_args {
    run *r;
    const char *const *paths;
    size_t n;
} walk_args;

static void *walker_main(void *arg)
{
    walk_args *wa = arg;
    pthread_setname_np(pthread_self(), "tt-walk");
    ingest_walk(wa->paths, (int)wa->n, walk_cb, wa->r);
    atomic_store(&wa->r->progress->walk_done, 1);
    ingest_queue_close(wa->r->jobs);
    return NULL;
}

/*
 * Workers run a little below the writer's priority. The writer is the one
 * serial stage; when N workers and the writer share N cores, a fair
 * scheduler gives it only N/(N+1) of a core, it falls behind in stretches,
 * the results queue fills and the workers sleep while a core idles
 * (measured: workers blocked 1.2 s of a 3.8 s run on 2 cores). A nice of
 * WORKER_NICE more than the process lets the writer run whenever it has
 * work; the workers take all that is left. Linux keeps nice per thread;
 * where it does not, or when it fails, nothing changes.
 */
#define WORKER_NICE 5
static void lower_priority(void)
{
#ifdef __linux__
    const char *env = getenv("TT_WORKER_NICE"); /* for measuring; 0 turns it off */
    long delta = env ? strtol(env, NULL, 10) : WORKER_NICE;
    errno = 0;
    int now = getpriority(PRIO_PROCESS, 0);
    if (delta > 0 && errno == 0)
        (void)setpriority(PRIO_PROCESS, (id_t)gettid(), now + delta > 19 ? 19 : (int)(now + delta));
#endif
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    run *r = w->r;
    ingest_walk_item *item;
    pthread_setname_np(pthread_self(), "tt-work");
    lower_priority();
    while ((item = ingest_queue_pop(r->jobs)) != NULL) {
        if (atomic_load(&r->halt) || (r->opt->stop && atomic_load(r->opt->stop))) {
            atomic_store(&r->halt, 1);
            ingest_budget_close(&r->budget);
            ingest_walk_item_free(item);
            continue;
        }
        ingest_object_process(w, item);
    }
    if (atomic_fetch_sub(&r->workers_left, 1) == 1)
        ingest_queue_close(r->results);
    return NULL;
}

/*
 * Results the queue holds per worker. Objects run from one event to
 * 60,000: with 2 per worker, the writer drained a few small ones and then
 * waited while a worker parsed a big one (the writer blocked 0.4-0.6 s of
 * a 4.5 s run with cores idle), and the workers waited on the full queue
 * meanwhile. The budget bounds the bytes; 16 per worker cut the 1M-event
 * ingest's time by 7-8% (bench/README.md). Since queued objects hold only
 * their packed events (pack.h), 64 per worker: the workers, blocked 0.35 s
 * of a 2.6 s run on a queue of 32 small objects, go on (1M high-churn
 * events: 2.74 / 2.72 / 2.78 -> 2.69 / 2.60 / 2.64 s, peak +5 MB; 256:
 * no faster, peak +15-40 MB).
 */
#define RESULTS_PER_WORKER 64

static int worker_count(const ingest_options *opt)
{
    if (opt->threads > 0)
        return opt->threads > 256 ? 256 : opt->threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (n > 64 ? 64 : (int)n);
}

/*
 * What each worker keeps of its decompression buffer between objects, held
 * in the budget for the whole run: objects up to that size are decompressed
 * into memory already faulted in. Fresh pages for every object had cost
 * the kernel's page faults and zeroing, 7% of a 1M-event ingest's CPU
 * (bench/README.md). At most a fourth of the budget in all.
 */
#define WORKER_KEEP_BYTES ((size_t)16 << 20)
static size_t worker_keep(size_t limit, int nw)
{
    size_t most = limit / 4 / (size_t)nw;
    return most < WORKER_KEEP_BYTES ? most : WORKER_KEEP_BYTES;
}

/* The consumer loop: hands results to the sink until the workers are done. */
static tt_status consume(run *r, ingest_sink_fn sink, void *ctx, tt_error *err)
{
    tt_status st = TT_OK;
    result *res;
    while ((res = ingest_queue_pop(r->results)) != NULL) {
        if (st == TT_OK && r->opt->stop && atomic_load(r->opt->stop)) {
            st = tt_fail(err, TT_ERR_INTERRUPTED, "interrupted");
            atomic_store(&r->halt, 1);
            ingest_queue_close(r->jobs);
            ingest_budget_close(&r->budget);
        }
        if (st == TT_OK) {
            st = sink(ctx, &res->obj, err);
            if (st != TT_OK) {
                atomic_store(&r->halt, 1);
                ingest_queue_close(r->jobs);
                ingest_budget_close(&r->budget);
            }
        }
        atomic_fetch_add(&r->progress->objects_done, 1);
        result_release(r, res);
    }
    if (st == TT_OK && r->opt->stop && atomic_load(r->opt->stop))
        st = tt_fail(err, TT_ERR_INTERRUPTED, "interrupted");
    return st;
}

tt_status ingest_run(const char *const *paths, size_t npaths,
                     const ingest_options *opt, ingest_sink_fn sink, void *ctx,
                     ingest_progress *progress, tt_error *err)
{
    run r;
    memset(&r, 0, sizeof r);
    int nw = worker_count(opt);
    r.opt = opt;
    r.progress = progress;
    r.jobs = ingest_queue_create((size_t)nw * 4);
    r.results = ingest_queue_create((size_t)nw * RESULTS_PER_WORKER);
    r.free_max = (size_t)nw * 3 + 1;
    atomic_init(&r.halt, 0);
    atomic_init(&r.workers_left, nw);
    pthread_mutex_init(&r.free_mu, NULL);
    ingest_budget_init(&r.budget, opt->memory_budget ? opt->memory_budget : SIZE_MAX);

    worker *ws = tt_xcalloc((size_t)nw, sizeof *ws);
    pthread_t *tids = tt_xcalloc((size_t)nw, sizeof *tids);
    pthread_t walker;
    walk_args wa = {&r, paths, npaths};
    pthread_create(&walker, NULL, walker_main, &wa);
    size_t keep = worker_keep(r.budget.limit, nw);
    for (int i = 0; i < nw; i++) {
        ws[i].r = &r;
        ws[i].gz = ingest_gz_create();
        tt_buf_init(&ws[i].stored, opt->max_stored_bytes);
        tt_buf_init(&ws[i].entry, opt->max_stored_bytes);
        tt_buf_init(&ws[i].inflated, opt->max_object_bytes);
        ws[i].keep = keep;
        ingest_budget_hold(&r.budget, keep);
    }
    for (int i = 0; i < nw; i++)
        pthread_create(&tids[i], NULL, worker_main, &ws[i]);

    tt_status st = consume(&r, sink, ctx, err);

    pthread_join(walker, NULL);
    for (int i = 0; i < nw; i++) {
        pthread_join(tids[i], NULL);
        ingest_gz_free(ws[i].gz);
        tt_buf_free(&ws[i].stored);
        tt_buf_free(&ws[i].entry);
        tt_buf_free(&ws[i].inflated);
        free(ws[i].links);
    }
    while (r.free_list) {
        result *next = r.free_list->next;
        result_destroy(r.free_list);
        r.free_list = next;
    }
    /* The walker may have left jobs queued if it stopped early. */
    ingest_walk_item *left;
    ingest_queue_close(r.jobs);
    while ((left = ingest_queue_pop(r.jobs)) != NULL)
        ingest_walk_item_free(left);
    ingest_queue_free(r.jobs);
    ingest_queue_free(r.results);
    pthread_mutex_destroy(&r.free_mu);
    if (progress)
        atomic_store(&progress->budget_peak, (long long)r.budget.peak);
    ingest_budget_destroy(&r.budget);
    free(ws);
    free(tids);
    return st;
}
