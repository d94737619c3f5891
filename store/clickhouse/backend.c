/*
 * backend.c - the ClickHouse backend's table (backend.h) and its open and
 * close. Many processes on many hosts may write one ClickHouse store at
 * once: there is no writer's lock; the ReplacingMergeTree tables and the
 * manifest make a second copy of an object harmless.
 */
#include "ch_int.h"

#include "common/mem.h"
#include "common/ttime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static tt_status b_close(store *b, tt_error *err)
{
    ch_store *s = CH(b);
    tt_status st = s->writable ? ch_flush(s, err) : TT_OK;
    ch_writer_free(s);
    ch_req_cache_free(s->reqs);
    ch_client_free(s->cl);
    free(s);
    return st;
}

static void b_set_memory(store *b, size_t bytes) { CH(b)->memory = bytes; }

/* A server keeps its own parts and logs: nothing here to bound. */
static void b_set_max_wal(store *b, size_t bytes)
{
    (void)b;
    (void)bytes;
}

static void b_get_write_stats(store *b, store_write_stats *out)
{
    (void)b;
    memset(out, 0, sizeof *out);
}

static tt_status b_each_object(store *b, store_object_fn fn, void *ctx, tt_error *err)
{
    return ch_each_object(CH(b), fn, ctx, err);
}

static tt_status b_add_object(store *b, const store_object *o, const tt_event *evs,
                              const tt_event_fp *fps, size_t n,
                              store_add_counts *counts, tt_error *err)
{
    return ch_add_object(CH(b), o, evs, fps, n, counts, err);
}

static tt_status b_note_change(store *b, const char *path, const char *member, int64_t size,
                               const uint8_t sha[32], tt_error *err)
{
    return ch_note_change(CH(b), path, member, size, sha, err);
}

static tt_status b_touch_object(store *b, const char *path, const char *member,
                                int64_t mtime_ns, tt_error *err)
{
    return ch_touch_object(CH(b), path, member, mtime_ns, err);
}

static tt_status b_set_verdicts(store *b, const store_verdict *v, size_t n, int64_t ms,
                                size_t *updated, tt_error *err)
{
    return ch_set_verdicts(CH(b), v, n, ms, updated, err);
}

static tt_status b_commit(store *b, tt_error *err) { return ch_flush(CH(b), err); }

static tt_status b_get_summary(store *b, store_summary *out, tt_error *err)
{
    return ch_get_summary(CH(b), out, err);
}

static tt_status b_list_problems(store *b, store_row_fn fn, void *ctx, tt_error *err)
{
    return ch_list_problems(CH(b), fn, ctx, err);
}

static tt_status b_list_verdicts(store *b, store_row_fn fn, void *ctx, tt_error *err)
{
    return ch_list_verdicts(CH(b), fn, ctx, err);
}

static tt_status b_list_coverage(store *b, store_row_fn fn, void *ctx, tt_error *err)
{
    return ch_list_coverage(CH(b), fn, ctx, err);
}

static tt_status b_list_principals(store *b, int32_t from, int32_t to, store_row_fn fn,
                                   void *ctx, tt_error *err)
{
    return ch_list_principals(CH(b), from, to, fn, ctx, err);
}

static tt_status b_find_principal(store *b, const char *name, int64_t *id, char *arn,
                                  size_t arn_len, tt_error *err)
{
    return ch_find_principal(CH(b), name, id, arn, arn_len, err);
}

static tt_status b_list_usage(store *b, int64_t p, int32_t from, int32_t to, store_row_fn fn,
                              void *ctx, tt_error *err)
{
    return ch_list_usage(CH(b), p, from, to, fn, ctx, err);
}

static int b_compare(store *a, store *b, tt_error *err)
{
    (void)a;
    (void)b;
    tt_fail(err, TT_ERR_USAGE, "compare: not for ClickHouse stores (compare their reports)");
    return 1;
}

static tt_status b_gen_each_usage(store *b, int64_t p, int32_t from, int32_t to,
                                  store_gen_usage_fn fn, void *ctx, tt_error *err)
{
    return ch_gen_each_usage(CH(b), p, from, to, fn, ctx, err);
}

static tt_status b_gen_each_request(store *b, int64_t p, const char *source, const char *event,
                                    int32_t from, int32_t to, store_gen_request_fn fn, void *ctx,
                                    tt_error *err)
{
    return ch_gen_each_request(CH(b), p, source, event, from, to, fn, ctx, err);
}

static tt_status b_each_event(store *b, const store_filter *f, store_fevent_fn fn, void *ctx,
                              tt_error *err)
{
    return ch_each_event(CH(b), f, fn, ctx, err);
}

static tt_status b_explain_events(store *b, const store_filter *f,
                                  void (*line)(void *ctx, const char *text), void *ctx,
                                  tt_error *err)
{
    return ch_explain_events(CH(b), f, line, ctx, err);
}

static tt_status b_key_known(store *b, const char *key, int *known, tt_error *err)
{
    return ch_key_known(CH(b), key, known, err);
}

static tt_status b_trust_each_assume(store *b, int64_t since, int64_t until,
                                     store_trust_assume_fn fn, void *ctx, tt_error *err)
{
    return ch_trust_each_assume(CH(b), since, until, fn, ctx, err);
}

static tt_status b_keys_rows(store *b, store_keys_kind kind, int64_t since, int64_t until,
                             store_row_fn fn, void *ctx, tt_error *err)
{
    return ch_keys_rows(CH(b), kind, since, until, fn, ctx, err);
}

static const store_backend clickhouse_backend = {
    .name = "clickhouse",
    .close = b_close,
    .set_memory = b_set_memory,
    .set_max_wal = b_set_max_wal,
    .get_write_stats = b_get_write_stats,
    .each_object = b_each_object,
    .add_object = b_add_object,
    .note_change = b_note_change,
    .touch_object = b_touch_object,
    .set_verdicts = b_set_verdicts,
    .commit = b_commit,
    .get_summary = b_get_summary,
    .list_problems = b_list_problems,
    .list_verdicts = b_list_verdicts,
    .list_coverage = b_list_coverage,
    .list_principals = b_list_principals,
    .find_principal = b_find_principal,
    .list_usage = b_list_usage,
    .compare = b_compare,
    .gen_each_usage = b_gen_each_usage,
    .gen_each_request = b_gen_each_request,
    .each_event = b_each_event,
    .explain_events = b_explain_events,
    .key_known = b_key_known,
    .trust_each_assume = b_trust_each_assume,
    .keys_rows = b_keys_rows,
};

static void table_names(ch_store *s)
{
    const char *db = s->loc.database, *suffix = s->loc.cluster[0] ? "" : "_local";
    snprintf(s->events, sizeof s->events, "%s.events%s", db, suffix);
    snprintf(s->minted, sizeof s->minted, "%s.minted%s", db, suffix);
    snprintf(s->objects, sizeof s->objects, "%s.objects%s", db, suffix);
    snprintf(s->changes, sizeof s->changes, "%s.changes%s", db, suffix);
    snprintf(s->usage, sizeof s->usage, "%s.usage%s", db, suffix);
}

tt_status store_clickhouse_open(store **out, const char *location, int flags, tt_error *err)
{
    *out = NULL;
    ch_location loc;
    tt_status st = ch_location_parse(location, &loc, err);
    if (st != TT_OK)
        return st;
    ch_store *s = tt_xcalloc(1, sizeof *s);
    s->base.be = &clickhouse_backend;
    s->loc = loc;
    s->cl = ch_client_new(&loc);
    s->writable = (flags & STORE_WRITE) != 0;
    s->memory = STORE_MEMORY;
    s->checkpoint_ms = tt_now_ms();
    ch_client_allow_missing_shards(s->cl, (flags & STORE_ALLOW_MISSING_SHARDS) != 0);
    table_names(s);
    tt_buf_init(&s->ev_rows, (size_t)1 << 30);
    tt_buf_init(&s->mint_rows, (size_t)1 << 30);
    tt_buf_init(&s->obj_rows, (size_t)1 << 30);
    st = s->writable ? ch_schema_ensure(s, err) : ch_schema_check(s, err);
    if (st != TT_OK) {
        s->writable = 0;
        b_close(&s->base, NULL);
        return st;
    }
    *out = &s->base;
    return TT_OK;
}
