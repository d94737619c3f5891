/*
 * store.c - the store interface: picks a backend from the location, then
 * hands every call to it (backend.h). Nothing here knows a backend's
 * tables.
 */
#include "backend.h"

#include <string.h>

const char *store_obj_status_name(store_obj_status st)
{
    switch (st) {
    case STORE_OBJ_LOADED: return "loaded";
    case STORE_OBJ_REJECTED: return "rejected";
    case STORE_OBJ_SAME_CONTENT: return "same-content";
    case STORE_OBJ_PARTIAL: return "partial";
    }
    return "?";
}

static int open_flags;

void store_set_open_flags(int flags)
{
    open_flags = flags;
}

tt_status store_open(store **out, const char *location, int flags, tt_error *err)
{
    *out = NULL;
    flags |= open_flags;
    if (strncmp(location, "clickhouse://", 13) == 0 || strncmp(location, "https://", 8) == 0)
        return store_clickhouse_open(out, location, flags, err);
    if (strncmp(location, "http://", 7) == 0)
        return tt_fail(err, TT_ERR_USAGE,
                       "%s: a ClickHouse store is clickhouse://HOST[:PORT]/DATABASE (HTTP) or"
                       " https://HOST[:PORT]/DATABASE", location);
    return store_sqlite_open(out, location, flags, err);
}

tt_status store_close(store *s, tt_error *err)
{
    return s ? s->be->close(s, err) : TT_OK;
}

void store_set_memory(store *s, size_t bytes)
{
    s->be->set_memory(s, bytes);
}

void store_set_max_wal(store *s, size_t bytes)
{
    s->be->set_max_wal(s, bytes);
}

void store_get_write_stats(store *s, store_write_stats *out)
{
    s->be->get_write_stats(s, out);
}

tt_status store_each_object(store *s, store_object_fn fn, void *ctx, tt_error *err)
{
    return s->be->each_object(s, fn, ctx, err);
}

int store_finds_objects(store *s)
{
    return s->be->find_object != NULL;
}

tt_status store_find_object(store *s, const char *path, const char *member,
                            store_object_info *out, int *found, tt_error *err)
{
    *found = 0;
    if (!s->be->find_object)
        return tt_fail(err, TT_ERR_USAGE, "the %s backend reads its manifest whole", s->be->name);
    return s->be->find_object(s, path, member, out, found, err);
}

tt_status store_has_content(store *s, const uint8_t sha256[32], int *found, tt_error *err)
{
    *found = 0;
    if (!s->be->has_content)
        return tt_fail(err, TT_ERR_USAGE, "the %s backend reads its manifest whole", s->be->name);
    return s->be->has_content(s, sha256, found, err);
}

tt_status store_add_object(store *s, const store_object *o, const tt_event *evs,
                           const tt_event_fp *fps, size_t n,
                           store_add_counts *counts, tt_error *err)
{
    return s->be->add_object(s, o, evs, fps, n, counts, err);
}

tt_status store_note_change(store *s, const char *path, const char *member, int64_t size,
                            const uint8_t new_sha256[32], tt_error *err)
{
    return s->be->note_change(s, path, member, size, new_sha256, err);
}

tt_status store_touch_object(store *s, const char *path, const char *member, int64_t mtime_ns,
                             tt_error *err)
{
    return s->be->touch_object(s, path, member, mtime_ns, err);
}

tt_status store_set_verdicts(store *s, const store_verdict *v, size_t n, int64_t verified_ms,
                             size_t *updated, tt_error *err)
{
    return s->be->set_verdicts(s, v, n, verified_ms, updated, err);
}

tt_status store_commit(store *s, tt_error *err)
{
    return s->be->commit(s, err);
}

tt_status store_get_summary(store *s, store_summary *out, tt_error *err)
{
    return s->be->get_summary(s, out, err);
}

tt_status store_list_problems(store *s, store_row_fn fn, void *ctx, tt_error *err)
{
    return s->be->list_problems(s, fn, ctx, err);
}

tt_status store_list_verdicts(store *s, store_row_fn fn, void *ctx, tt_error *err)
{
    return s->be->list_verdicts(s, fn, ctx, err);
}

tt_status store_list_coverage(store *s, store_row_fn fn, void *ctx, tt_error *err)
{
    return s->be->list_coverage(s, fn, ctx, err);
}

tt_status store_list_principals(store *s, int32_t from_day, int32_t to_day, store_row_fn fn,
                                void *ctx, tt_error *err)
{
    return s->be->list_principals(s, from_day, to_day, fn, ctx, err);
}

tt_status store_find_principal(store *s, const char *name, int64_t *id, char *arn, size_t arn_len,
                               tt_error *err)
{
    return s->be->find_principal(s, name, id, arn, arn_len, err);
}

tt_status store_list_usage(store *s, int64_t principal, int32_t from_day, int32_t to_day,
                           store_row_fn fn, void *ctx, tt_error *err)
{
    return s->be->list_usage(s, principal, from_day, to_day, fn, ctx, err);
}

int store_compare(store *a, store *b, tt_error *err)
{
    if (a->be != b->be) {
        tt_fail(err, TT_ERR_USAGE, "compare: a %s store and a %s store", a->be->name, b->be->name);
        return 1;
    }
    return a->be->compare(a, b, err);
}

tt_status store_gen_each_usage(store *s, int64_t principal, int32_t from_day, int32_t to_day,
                               store_gen_usage_fn fn, void *ctx, tt_error *err)
{
    return s->be->gen_each_usage(s, principal, from_day, to_day, fn, ctx, err);
}

tt_status store_gen_each_request(store *s, int64_t principal, const char *source,
                                 const char *event, int32_t from_day, int32_t to_day,
                                 store_gen_request_fn fn, void *ctx, tt_error *err)
{
    return s->be->gen_each_request(s, principal, source, event, from_day, to_day, fn, ctx, err);
}

tt_status store_each_event(store *s, const store_filter *f, store_fevent_fn fn, void *ctx,
                           tt_error *err)
{
    return s->be->each_event(s, f, fn, ctx, err);
}

tt_status store_explain_events(store *s, const store_filter *f,
                               void (*line)(void *ctx, const char *text), void *ctx,
                               tt_error *err)
{
    return s->be->explain_events(s, f, line, ctx, err);
}

tt_status store_key_known(store *s, const char *key, int *known, tt_error *err)
{
    return s->be->key_known(s, key, known, err);
}

tt_status store_trust_each_assume(store *s, int64_t since_ms, int64_t until_ms,
                                  store_trust_assume_fn fn, void *ctx, tt_error *err)
{
    return s->be->trust_each_assume(s, since_ms, until_ms, fn, ctx, err);
}

tt_status store_keys_rows(store *s, store_keys_kind kind, int64_t since_ms, int64_t until_ms,
                          store_row_fn fn, void *ctx, tt_error *err)
{
    return s->be->keys_rows(s, kind, since_ms, until_ms, fn, ctx, err);
}
