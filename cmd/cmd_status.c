/*
 * cmd_status.c - `trailtrim status`: what the store holds, what was
 * rejected or changed, and per account/region the days with data and gaps.
 */
#include "cmd.h"
#include "rows.h"

#include "../common/ttime.h"
#include "store.h"

#include <stdio.h>
#include <string.h>

static void help(void)
{
    printf("Usage: trailtrim [--db PATH] status [--format table|json|csv]\n"
           "\n"
           "Objects and events in the store, its time span, rejected objects with\n"
           "their reasons, objects whose content changed (possible tampering), and\n"
           "coverage: per account and region, the days with data and the gaps, and\n"
           "the objects per integrity verdict of `ingest --verify`.\n");
}

static void summary_section(out *w, const store_summary *s, const char *db)
{
    char v[64];
    out_kv_section(w, "summary");
    out_kv(w, "store", db, 0);
#define N(k, x)                                                                                    \
    do {                                                                                           \
        snprintf(v, sizeof v, "%lld", (long long)(x));                                             \
        out_kv(w, k, v, 1);                                                                        \
    } while (0)
    N("objects", s->objects);
    N("objects_loaded", s->objects_loaded);
    N("objects_rejected", s->objects_rejected);
    N("objects_changed", s->objects_changed);
    N("digests", s->digests);
    N("insights", s->insights);
    N("events", s->events);
    N("principals", s->principals);
    N("objects_verified", s->objects_verified);
    N("verify_problems", s->verify_problems);
    N("store_bytes", s->db_bytes);
#undef N
    char t[21];
    if (s->events) {
        tt_time_format(s->first_ms, t);
        out_kv(w, "first_event", t, 0);
        tt_time_format(s->last_ms, t);
        out_kv(w, "last_event", t, 0);
        snprintf(v, sizeof v, "%.1f", (double)s->db_bytes / (double)s->events);
        out_kv(w, "bytes_per_event", v, 1);
    } else {
        out_kv(w, "first_event", NULL, 0);
        out_kv(w, "last_event", NULL, 0);
    }
}

int cmd_status(const cmd_global *gin, int argc, char **argv)
{
    cmd_global g = *gin;
    out_format fmt = out_default_format(stdout);
    int first;
    int rc = cmd_read_options("status", argc, argv, help, &g, NULL, &fmt, &first);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (first < argc)
        return cmd_usage_error("status", "unexpected argument \"%s\"", argv[first]);
    tt_error err;
    tt_error_clear(&err);
    store *st = NULL;
    tt_status s = store_open(&st, g.db_path, STORE_READ, &err);
    store_summary sum;
    if (s == TT_OK)
        s = store_get_summary(st, &sum, &err);
    if (s == TT_OK) {
        out *w = out_open(stdout, fmt, 1);
        summary_section(w, &sum, g.db_path);
        rows_ctx pr = {w, "problems", 0, 0};
        s = store_list_problems(st, rows_emit, &pr, &err);
        static const char *pcols[] = {"path", "member", "status", "reason", "seen"};
        rows_finish(&pr, 5, pcols);
        rows_ctx cr = {w, "coverage", 0, 0};
        if (s == TT_OK)
            s = store_list_coverage(st, rows_emit, &cr, &err);
        static const char *ccols[] = {"account", "region", "first_day", "last_day", "days", "gap_days", "gaps"};
        rows_finish(&cr, 7, ccols);
        rows_ctx vr = {w, "verdicts", 0, 0};
        if (s == TT_OK)
            s = store_list_verdicts(st, rows_emit, &vr, &err);
        static const char *vcols[] = {"verdict", "objects"};
        rows_finish(&vr, 2, vcols);
        out_close(w);
    }
    store_close(st, NULL);
    return s == TT_OK ? EXIT_OK : cmd_fail(s, &err);
}
