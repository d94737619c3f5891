/*
 * backend.c - the SQLite backend's table (../backend.h): each operation
 * turns the interface's handle back into the backend's own.
 */
#include "sqlite_int.h"

#define SQ(b) ((sq_store *)(b))

static tt_status b_close(store *b, tt_error *err) { return sq_close(SQ(b), err); }
static void b_set_memory(store *b, size_t n) { sq_set_memory(SQ(b), n); }
static void b_set_max_wal(store *b, size_t n) { sq_set_max_wal(SQ(b), n); }
static void b_write_stats(store *b, store_write_stats *o) { sq_get_write_stats(SQ(b), o); }
static tt_status b_commit(store *b, tt_error *err) { return sq_commit(SQ(b), err); }
static tt_status b_key_known(store *b, const char *key, int *known, tt_error *err)
{
    return sq_key_known(SQ(b), key, known, err);
}
static int b_compare(store *a, store *b, tt_error *err) { return sq_compare(SQ(a), SQ(b), err); }

static tt_status b_each_object(store *b, store_object_fn fn, void *ctx, tt_error *err)
{
    return sq_each_object(SQ(b), fn, ctx, err);
}

static tt_status b_find_object(store *b, const char *path, const char *member,
                               store_object_info *out, int *found, tt_error *err)
{
    return sq_find_object(SQ(b), path, member, out, found, err);
}

static tt_status b_has_content(store *b, const uint8_t sha256[32], int *found, tt_error *err)
{
    return sq_has_content(SQ(b), sha256, found, err);
}

static tt_status b_add_object(store *b, const store_object *o, const tt_event *evs,
                              const tt_event_fp *fps, size_t n,
                              store_add_counts *counts, tt_error *err)
{
    return sq_add_object(SQ(b), o, evs, fps, n, counts, err);
}

static tt_status b_note_change(store *b, const char *path, const char *member, int64_t size,
                               const uint8_t sha[32], tt_error *err)
{
    return sq_note_change(SQ(b), path, member, size, sha, err);
}

static tt_status b_touch_object(store *b, const char *path, const char *member, int64_t mtime_ns,
                                tt_error *err)
{
    return sq_touch_object(SQ(b), path, member, mtime_ns, err);
}

static tt_status b_set_verdicts(store *b, const store_verdict *v, size_t n, int64_t ms,
                                size_t *updated, tt_error *err)
{
    return sq_set_verdicts(SQ(b), v, n, ms, updated, err);
}

static tt_status b_get_summary(store *b, store_summary *o, tt_error *err)
{
    return sq_get_summary(SQ(b), o, err);
}

static tt_status b_list_problems(store *b, store_row_fn fn, void *ctx, tt_error *err)
{
    return sq_list_problems(SQ(b), fn, ctx, err);
}

static tt_status b_list_verdicts(store *b, store_row_fn fn, void *ctx, tt_error *err)
{
    return sq_list_verdicts(SQ(b), fn, ctx, err);
}

static tt_status b_list_coverage(store *b, store_row_fn fn, void *ctx, tt_error *err)
{
    return sq_list_coverage(SQ(b), fn, ctx, err);
}

static tt_status b_list_principals(store *b, int32_t from, int32_t to, store_row_fn fn, void *ctx,
                                   tt_error *err)
{
    return sq_list_principals(SQ(b), from, to, fn, ctx, err);
}

static tt_status b_find_principal(store *b, const char *name, int64_t *id, char *arn, size_t len,
                                  tt_error *err)
{
    return sq_find_principal(SQ(b), name, id, arn, len, err);
}

static tt_status b_list_usage(store *b, int64_t p, int32_t from, int32_t to, store_row_fn fn,
                              void *ctx, tt_error *err)
{
    return sq_list_usage(SQ(b), p, from, to, fn, ctx, err);
}

static tt_status b_gen_each_usage(store *b, int64_t p, int32_t from, int32_t to,
                                  store_gen_usage_fn fn, void *ctx, tt_error *err)
{
    return sq_gen_each_usage(SQ(b), p, from, to, fn, ctx, err);
}

static tt_status b_gen_each_request(store *b, int64_t p, const char *source, const char *event,
                                    int32_t from, int32_t to, store_gen_request_fn fn, void *ctx,
                                    tt_error *err)
{
    return sq_gen_each_request(SQ(b), p, source, event, from, to, fn, ctx, err);
}

static tt_status b_each_event(store *b, const store_filter *f, store_fevent_fn fn, void *ctx,
                              tt_error *err)
{
    return sq_each_event(SQ(b), f, fn, ctx, err);
}

static tt_status b_explain_events(store *b, const store_filter *f,
                                  void (*line)(void *, const char *), void *ctx, tt_error *err)
{
    return sq_explain_events(SQ(b), f, line, ctx, err);
}

static tt_status b_trust_each_assume(store *b, int64_t since, int64_t until,
                                     store_trust_assume_fn fn, void *ctx, tt_error *err)
{
    return sq_trust_each_assume(SQ(b), since, until, fn, ctx, err);
}

static tt_status b_keys_rows(store *b, store_keys_kind kind, int64_t since, int64_t until,
                             store_row_fn fn, void *ctx, tt_error *err)
{
    return sq_keys_rows(SQ(b), kind, since, until, fn, ctx, err);
}

const store_backend sq_backend = {
    .name = "sqlite",
    .close = b_close,
    .set_memory = b_set_memory,
    .set_max_wal = b_set_max_wal,
    .get_write_stats = b_write_stats,
    .each_object = b_each_object,
    .find_object = b_find_object,
    .has_content = b_has_content,
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

tt_status store_sqlite_open(store **out, const char *path, int flags, tt_error *err)
{
    sq_store *s = NULL;
    tt_status st = sq_open(&s, path, flags, err);
    *out = s ? &s->base : NULL;
    return st;
}
