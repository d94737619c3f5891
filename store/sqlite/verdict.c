/*
 * verdict.c - the integrity verdicts `ingest --verify` records in the
 * manifest (object.verify, object.verified_ms; schema version 2), and
 * their counts for `trailtrim status`. A version-1 store opened for
 * reading has no such columns: it simply has no verdicts.
 */
#include "sqlite_int.h"

#include <stddef.h>
#include <stdio.h>

tt_status sq_set_verdicts(sq_store *s, const store_verdict *v, size_t n, int64_t verified_ms,
                             size_t *updated, tt_error *err)
{
    sqlite3_stmt *q = NULL;
    tt_status st = TT_OK;
    *updated = 0;
    if (n == 0)
        return TT_OK;
    st = sq_begin(s, err);
    if (st != TT_OK)
        goto out;
    if (sqlite3_prepare_v2(s->db,
                           "UPDATE object SET verify=?1, verified_ms=?2 WHERE path=?3 AND member=?4",
                           -1, &q, NULL) != SQLITE_OK) {
        st = sq_fail(s, "recording verdicts", err);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_text(q, 1, v[i].verdict, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 2, verified_ms);
        sqlite3_bind_text(q, 3, v[i].path, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 4, v[i].member ? v[i].member : "", -1, SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_DONE) {
            st = sq_fail(s, "recording verdicts", err);
            goto out;
        }
        *updated += (size_t)sqlite3_changes(s->db);
        sqlite3_reset(q);
    }
out:
    sqlite3_finalize(q);
    return st;
}

tt_status sq_list_verdicts(sq_store *s, store_row_fn fn, void *ctx, tt_error *err)
{
    static const char *const names[] = {"verdict", "objects"};
    static const int is_num[] = {0, 1};
    sqlite3_stmt *q = NULL;
    (void)err;
    /* No verify column (a version-1 store read as it is): no verdicts. */
    if (sqlite3_prepare_v2(s->db,
                           "SELECT verify, count(*) FROM object WHERE verify IS NOT NULL"
                           " GROUP BY verify ORDER BY verify = 'intact' DESC, verify",
                           -1, &q, NULL) != SQLITE_OK)
        return TT_OK;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        char count[24];
        int64_t num[2] = {0, sqlite3_column_int64(q, 1)};
        snprintf(count, sizeof count, "%lld", (long long)num[1]);
        const char *text[2] = {(const char *)sqlite3_column_text(q, 0), count};
        store_row row = {2, names, text, num, is_num};
        if (fn(ctx, &row))
            break;
    }
    tt_status st = rc == SQLITE_ROW || rc == SQLITE_DONE ? TT_OK : sq_fail(s, "verdicts", err);
    sqlite3_finalize(q);
    return st;
}
