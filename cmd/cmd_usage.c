/*
 * cmd_usage.c - `trailtrim usage PRINCIPAL`: every eventSource/eventName
 * the principal called in the window, with calls, errors, first and last
 * seen. Read from the daily rollup, not the events.
 */
#include "cmd.h"
#include "rows.h"

#include "store.h"

#include <getopt.h>
#include <stdio.h>

static void help(void)
{
    printf("Usage: trailtrim [--db PATH] usage PRINCIPAL [--days N] [--until TIME] [--format F]\n"
           "\n"
           "What PRINCIPAL called in the window, per event source and name: calls,\n"
           "errors, access denials, first and last seen. PRINCIPAL is an ARN or the\n"
           "end of one that names a single principal (ci-deploy, role/ci-deploy).\n");
}

int cmd_usage(const cmd_global *gin, int argc, char **argv)
{
    cmd_global g = *gin;
    out_format fmt = out_default_format(stdout);
    cmd_window win;
    cmd_window_init(&win);
    static const struct option longs[] = {
        {"db", required_argument, NULL, OPT_DB},       {"days", required_argument, NULL, OPT_DAYS},
        {"until", required_argument, NULL, OPT_UNTIL}, {"format", required_argument, NULL, OPT_FORMAT},
        {"help", no_argument, NULL, 'h'},              {NULL, 0, NULL, 0}};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        if (opt == 'h') {
            help();
            return EXIT_OK;
        }
        int r = cmd_common_opt("usage", opt, optarg, &g, &win, &fmt);
        if (r < 0)
            return EXIT_USAGE;
        if (r == 0)
            return cmd_usage_error("usage", "unknown option");
    }
    if (optind + 1 != argc)
        return cmd_usage_error("usage", "name exactly one principal");
    cmd_window_finish(&win);
    tt_error err;
    tt_error_clear(&err);
    store *st = NULL;
    int64_t pid = 0;
    char arn[2200];
    tt_status s = store_open(&st, g.db_path, STORE_READ, &err);
    if (s == TT_OK)
        s = store_find_principal(st, argv[optind], &pid, arn, sizeof arn, &err);
    if (s == TT_OK) {
        out *w = out_open(stdout, fmt, 0);
        rows_ctx rc = {w, arn, 0, 0};
        s = store_list_usage(st, pid, win.from_day, win.to_day, rows_emit, &rc, &err);
        static const char *cols[] = {"source", "event", "calls", "errors", "denied", "via_service", "first_seen", "last_seen"};
        rows_finish(&rc, 8, cols);
        out_close(w);
    }
    store_close(st, NULL);
    if (s != TT_OK) {
        cmd_error(err.msg);
        return s == TT_ERR_NOTFOUND ? EXIT_ERROR : cmd_exit_for(s);
    }
    return EXIT_OK;
}
