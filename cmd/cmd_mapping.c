/*
 * cmd_mapping.c - `trailtrim mapping SOURCE NAME` explains how one
 * CloudTrail (eventSource, eventName) maps to IAM actions and why;
 * `trailtrim mapping --unmapped` lists every pair in the store's window
 * that maps to nothing, with its calls, so that nothing is dropped unseen.
 */
#include "cmd.h"
#include "rows.h"

#include "generate/catalog.h"
#include "generate/cimap.h"
#include "generate/mapping.h"
#include "common/mem.h"
#include "report/mapping_render.h"
#include "store/store_gen.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_UNMAPPED = 1100 };

static void help(void)
{
    printf("Usage: trailtrim mapping SOURCE NAME [--format F]\n"
           "       trailtrim [--db PATH] mapping --unmapped [--days N] [--until TIME] [--format F]\n"
           "\n"
           "The first form explains which IAM actions a CloudTrail eventSource and\n"
           "eventName need: the rule that fired, why, each action's access level and\n"
           "whether a policy grants it (e.g. `trailtrim mapping s3.amazonaws.com\n"
           "PutBucketReplication`). The second lists every pair the store holds in the\n"
           "window that maps to no action, with calls and principals, busiest first.\n"
           "--format table, json or csv (default: a table on a terminal, else JSON).\n");
}

static int explain(const gen_map *m, const char *source, const char *name, out_format fmt)
{
    gen_map_result r;
    gen_map_resolve(m, source, name, &r);
    mapping_render_explain(stdout, fmt, source, name, &r);
    return EXIT_OK;
}

typedef struct unmapped_row {
    char *source, *event;
    const char *reason;
    int64_t calls, principals, last_principal;
} unmapped_row;

typedef struct unmapped_ctx {
    const gen_map *map;
    gen_cimap seen;
    unmapped_row **rows;
    size_t n, alloc;
    int64_t calls, unmapped_calls;
} unmapped_ctx;

static int on_usage(void *ctx, const store_gen_usage *u)
{
    unmapped_ctx *c = ctx;
    int64_t calls = u->calls - u->service_events; /* AWS service events are never mapped */
    c->calls += calls;
    if (calls <= 0)
        return 0;
    unmapped_row *row = gen_cimap_get(&c->seen, u->source, u->event, strlen(u->event));
    if (!row) {
        gen_map_result r;
        gen_map_resolve(c->map, u->source, u->event, &r);
        if (r.rule != GEN_RULE_UNMAPPED)
            return 0;
        row = tt_xcalloc(1, sizeof *row);
        row->source = tt_xstrdup(u->source);
        row->event = tt_xstrdup(u->event);
        row->reason = r.reason;
        gen_cimap_put(&c->seen, row->source, row->event, row);
        if (c->n == c->alloc)
            c->rows = tt_xrealloc(c->rows, (c->alloc = c->alloc ? c->alloc * 2 : 64) * sizeof *c->rows);
        c->rows[c->n++] = row;
    }
    row->calls += calls;
    c->unmapped_calls += calls;
    if (row->last_principal != u->principal) {
        row->principals++;
        row->last_principal = u->principal;
    }
    return 0;
}

static int by_calls(const void *a, const void *b)
{
    const unmapped_row *x = *(unmapped_row *const *)a, *y = *(unmapped_row *const *)b;
    if (x->calls != y->calls)
        return x->calls > y->calls ? -1 : 1;
    int c = strcmp(x->source, y->source);
    return c ? c : strcmp(x->event, y->event);
}

static int list_unmapped(const cmd_global *g, const gen_map *m, const cmd_window *win, out_format fmt)
{
    tt_error err;
    tt_error_clear(&err);
    store *st = NULL;
    unmapped_ctx c = {m, {0}, NULL, 0, 0, 0, 0};
    gen_cimap_init(&c.seen);
    tt_status s = store_open(&st, g->db_path, STORE_READ, &err);
    if (s == TT_OK)
        s = store_gen_each_usage(st, 0, win->from_day, win->to_day, on_usage, &c, &err);
    if (s == TT_OK) {
        if (c.n)
            qsort(c.rows, c.n, sizeof *c.rows, by_calls);
        out *w = rows_open_windowed("mapping", fmt, win, 1);
        static const char *cols[] = {"source", "event", "calls", "principals", "reason"};
        out_section(w, "unmapped", 5, cols);
        for (size_t i = 0; i < c.n; i++) {
            char calls[24], prin[24];
            snprintf(calls, sizeof calls, "%lld", (long long)c.rows[i]->calls);
            snprintf(prin, sizeof prin, "%lld", (long long)c.rows[i]->principals);
            const char *text[5] = {c.rows[i]->source, c.rows[i]->event, calls, prin, c.rows[i]->reason};
            static const int is_num[5] = {0, 0, 1, 1, 0};
            out_row(w, text, is_num);
        }
        out_close(w);
        fprintf(stderr, "trailtrim mapping: %zu unmapped source/name pairs, %lld of %lld calls in the window\n",
                c.n, (long long)c.unmapped_calls, (long long)c.calls);
        if (c.calls == 0)
            cmd_window_empty_note("mapping", win, 1, st);
    }
    store_close(st, NULL);
    for (size_t i = 0; i < c.n; i++) {
        free(c.rows[i]->source);
        free(c.rows[i]->event);
        free(c.rows[i]);
    }
    free(c.rows);
    gen_cimap_free(&c.seen);
    if (s != TT_OK) {
        cmd_error(err.msg);
        return cmd_exit_for(s);
    }
    return EXIT_OK;
}

/* Its own option: --unmapped (cmd_parse_options). */
static int own_opt(void *ctx, int opt, const char *arg)
{
    if (opt != OPT_UNMAPPED)
        return CMD_OPT_OTHER;
    *(int *)ctx = 1;
    return CMD_OPT_TAKEN;
}

int cmd_mapping(const cmd_global *gin, int argc, char **argv)
{
    cmd_global g = *gin;
    out_format fmt = out_default_format(stdout);
    cmd_window win;
    cmd_window_init(&win);
    int unmapped = 0;
    static const struct option longs[] = {
        {"db", required_argument, NULL, OPT_DB},       {"days", required_argument, NULL, OPT_DAYS},
        {"until", required_argument, NULL, OPT_UNTIL}, {"format", required_argument, NULL, OPT_FORMAT},
        {"unmapped", no_argument, NULL, OPT_UNMAPPED}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cmd_optspec spec = {"mapping", "h", longs, help, own_opt, &unmapped, &win, &fmt};
    int first, prc = cmd_parse_options(&spec, argc, argv, &g, &first);
    if (prc)
        return prc == CMD_HELP ? EXIT_OK : prc;
    if (unmapped && optind != argc)
        return cmd_usage_error("mapping", "--unmapped takes no SOURCE NAME");
    if (!unmapped && optind + 2 != argc)
        return cmd_usage_error("mapping", "give an eventSource and an eventName, or --unmapped");
    if (cmd_window_finish(&win) != 0)
        return cmd_usage_error("mapping", "the window is empty");
    tt_error err;
    tt_error_clear(&err);
    gen_catalog *cat = NULL;
    gen_map *m = NULL;
    int rc = EXIT_ERROR;
    if (gen_catalog_load(&cat, &err) != TT_OK || gen_map_create(&m, cat, &err) != TT_OK) {
        cmd_error(err.msg);
        goto out;
    }
    rc = unmapped ? list_unmapped(&g, m, &win, fmt) : explain(m, argv[optind], argv[optind + 1], fmt);
out:
    gen_map_free(m);
    gen_catalog_free(cat);
    return rc;
}
