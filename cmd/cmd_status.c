/*
 * cmd_status.c - `trailtrim status`: what the store holds, what was
 * rejected or changed, and per account/region the days with data and gaps.
 */
#include "cmd.h"
#include "rows.h"

#include "common/ttime.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

static const char *const sections[] = {"summary", "problems", "coverage", "verdicts"};
#define NSECTIONS 4

static void help(void)
{
    printf("Usage: trailtrim [--db PATH] status [--format table|json|csv] [--section S]\n"
           "\n"
           "Objects and events in the store, its time span, rejected objects with\n"
           "their reasons, objects whose content changed (possible tampering), and\n"
           "coverage: per account and region, the days with data and the gaps, and\n"
           "the objects per integrity verdict of `ingest --verify`.\n"
           "\n"
           "  --section S   only one section: summary, problems, coverage or verdicts.\n"
           "                CSV is one table with one header: --format csv needs it\n"
           "                (trailtrim status --format csv --section coverage > c.csv).\n");
}

/* -1 for every section, else its index; -2 when name is none. */
static int section_of(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < NSECTIONS; i++)
        if (strcmp(name, sections[i]) == 0)
            return i;
    return -2;
}

static void summary_section(out *w, const store_summary *s, const char *db);

static tt_status write_status(store *st, out_format fmt, int only, const store_summary *sum, const char *db,
                              tt_error *err)
{
    static const char *pcols[] = {"path", "member", "status", "reason", "seen"};
    static const char *ccols[] = {"account", "region", "first_day", "last_day", "days", "gap_days", "gaps"};
    static const char *vcols[] = {"verdict", "objects"};
    out *w = out_open(stdout, fmt, only < 0);
    tt_status s = TT_OK;
    if (only < 0 || only == 0)
        summary_section(w, sum, db);
    if (only < 0 || only == 1) {
        rows_ctx pr = {w, "problems", 0, 0};
        s = store_list_problems(st, rows_emit, &pr, err);
        rows_finish(&pr, 5, pcols);
    }
    if (s == TT_OK && (only < 0 || only == 2)) {
        rows_ctx cr = {w, "coverage", 0, 0};
        s = store_list_coverage(st, rows_emit, &cr, err);
        rows_finish(&cr, 7, ccols);
    }
    if (s == TT_OK && (only < 0 || only == 3)) {
        rows_ctx vr = {w, "verdicts", 0, 0};
        s = store_list_verdicts(st, rows_emit, &vr, err);
        rows_finish(&vr, 2, vcols);
    }
    out_close(w);
    return s;
}

/* --section NAME, taken out of argv before the common options are read. */
static int take_section(int *argc, char **argv, const char **name)
{
    int j = 0;
    for (int i = 0; i < *argc; i++) {
        if (strcmp(argv[i], "--section") == 0 && i + 1 < *argc)
            *name = argv[++i];
        else if (strncmp(argv[i], "--section=", 10) == 0)
            *name = argv[i] + 10;
        else if (strcmp(argv[i], "--") == 0) {
            while (i < *argc)
                argv[j++] = argv[i++];
            break;
        } else
            argv[j++] = argv[i];
    }
    *argc = j;
    argv[j] = NULL;
    return section_of(*name) == -2 ? -1 : 0;
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
    N("objects_partial", s->objects_partial);
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
    const char *name = NULL;
    if (take_section(&argc, argv, &name) != 0)
        return cmd_usage_error("status", "--section takes summary, problems, coverage or verdicts, not \"%s\"", name);
    int first;
    int rc = cmd_read_options("status", argc, argv, help, &g, NULL, &fmt, &first);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (first < argc)
        return cmd_usage_error("status", "unexpected argument \"%s\"", argv[first]);
    if (fmt == OUT_CSV && !name)
        return cmd_usage_error("status", "CSV is one table: add --section summary, problems, coverage or verdicts");
    tt_error err;
    tt_error_clear(&err);
    store *st = NULL;
    tt_status s = store_open(&st, g.db_path, STORE_READ, &err);
    store_summary sum;
    if (s == TT_OK)
        s = store_get_summary(st, &sum, &err);
    if (s == TT_OK)
        s = write_status(st, fmt, section_of(name), &sum, g.db_path, &err);
    store_close(st, NULL);
    return s == TT_OK ? EXIT_OK : cmd_fail(s, &err);
}
