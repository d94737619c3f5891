/*
 * fpsql.c - the store's secret and the SQL functions that fingerprint under
 * it. The secret is drawn once, when the store is created (or migrated to
 * version 3), and kept in meta('fp_secret'); every writer installs it as
 * the process's fingerprint secret (common/hash.h) before its workers
 * start, so that fingerprints taken by the workers match those stored.
 *
 * The SQL functions serve the readers (a string is found through dict_h:
 * `WHERE h = tt_h(?1) AND v = ?1`) and the migration from version 2, which
 * fingerprints the rows already stored:
 *   tt_h(text), tt_h2(text)         a string's two lanes;
 *   tt_kh(text)                     an access key's index key (sq_key_hash);
 *   tt_identity_fp(lane, mfa, f0..f9)  an identity tuple's (fingerprint.h);
 *   tt_shape_fp(lane, flags, f0..f7)   a shape tuple's;
 *   tt_errclass(text)               0 ok, 1 denied, 2 other error.
 */
#define _GNU_SOURCE
#include "sqlite_int.h"

#include "common/fingerprint.h"
#include "common/identity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

static tt_str arg_str(sqlite3_value *v)
{
    const char *p = (const char *)sqlite3_value_text(v);
    return (tt_str){p ? p : "", p ? (uint32_t)sqlite3_value_bytes(v) : 0};
}

static uint64_t secret_of(sqlite3_context *ctx)
{
    return ((sq_store *)sqlite3_user_data(ctx))->fp_secret;
}

static void fn_h(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    tt_fp fp = tt_fp_str_keyed(arg_str(argv[0]), secret_of(ctx));
    sqlite3_result_int64(ctx, (sqlite3_int64)fp.a);
}

static void fn_h2(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    tt_fp fp = tt_fp_str_keyed(arg_str(argv[0]), secret_of(ctx));
    sqlite3_result_int64(ctx, (sqlite3_int64)fp.b);
}

static void fn_kh(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    sqlite3_result_int64(ctx, sq_key_hash(tt_fp_str_keyed(arg_str(argv[0]), secret_of(ctx))));
}

/* Tuples are fingerprinted under the process's secret (fingerprint.c), so
 * these install the store's for the call. Only the migration uses them,
 * on the writer's thread before any worker runs. */
static void fn_tuple(sqlite3_context *ctx, int argc, sqlite3_value **argv, int nfields,
                     tt_fp (*fp_fn)(const tt_str *, int))
{
    tt_str f[TT_IDENTITY_FIELDS > TT_SHAPE_FIELDS ? TT_IDENTITY_FIELDS : TT_SHAPE_FIELDS];
    for (int i = 0; i < nfields; i++)
        f[i] = arg_str(argv[2 + i]);
    uint64_t saved = tt_fp_secret();
    tt_fp_set_secret(secret_of(ctx));
    tt_fp fp = fp_fn(f, sqlite3_value_int(argv[1]));
    tt_fp_set_secret(saved);
    sqlite3_result_int64(ctx, (sqlite3_int64)(sqlite3_value_int(argv[0]) ? fp.b : fp.a));
}

static tt_fp identity_fp(const tt_str *f, int mfa)
{
    return tt_fp_identity(f, mfa);
}

static tt_fp shape_fp(const tt_str *f, int flags)
{
    return tt_fp_shape(f, flags);
}

static void fn_identity_fp(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    fn_tuple(ctx, argc, argv, TT_IDENTITY_FIELDS, identity_fp);
}

static void fn_shape_fp(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    fn_tuple(ctx, argc, argv, TT_SHAPE_FIELDS, shape_fp);
}

static void fn_errclass(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    sqlite3_result_int(ctx, tt_error_class(arg_str(argv[0])));
}


tt_status sq_fp_functions(sq_store *s, tt_error *err)
{
    static const struct {
        const char *name;
        int nargs;
        void (*fn)(sqlite3_context *, int, sqlite3_value **);
    } fns[] = {
        {"tt_h", 1, fn_h},
        {"tt_h2", 1, fn_h2},
        {"tt_kh", 1, fn_kh},
        {"tt_identity_fp", 2 + TT_IDENTITY_FIELDS, fn_identity_fp},
        {"tt_shape_fp", 2 + TT_SHAPE_FIELDS, fn_shape_fp},
        {"tt_errclass", 1, fn_errclass},
    };
    for (size_t i = 0; i < sizeof fns / sizeof *fns; i++)
        if (sqlite3_create_function(s->db, fns[i].name, fns[i].nargs,
                                    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, s,
                                    fns[i].fn, NULL, NULL) != SQLITE_OK)
            return sq_fail(s, "registering functions", err);
    return TT_OK;
}

static uint64_t draw_secret(void)
{
    uint64_t v = 0;
    if (getrandom(&v, sizeof v, 0) != (ssize_t)sizeof v) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        v = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL ^ (uint64_t)ts.tv_sec ^
            ((uint64_t)getpid() << 40);
    }
    return v ? v : 1;
}

tt_status sq_secret_load(sq_store *s, int create, tt_error *err)
{
    sqlite3_stmt *st = NULL;
    int found = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = 'fp_secret'", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        s->fp_secret = strtoull((const char *)sqlite3_column_text(st, 0), NULL, 10);
        found = 1;
    }
    sqlite3_finalize(st);
    if (found || !create)
        return TT_OK;
    s->fp_secret = draw_secret();
    char sql[96];
    snprintf(sql, sizeof sql, "INSERT INTO meta VALUES('fp_secret', '%llu')",
             (unsigned long long)s->fp_secret);
    return sq_exec(s, sql, "creating the store's secret", err);
}
