/*
 * cmd_principals.c - `trailtrim principals`: each principal seen in the
 * window with its type, account, calls, errors and first and last seen.
 */
#include "cmd.h"
#include "rows.h"

#include "store.h"

#include <getopt.h>
#include <stdio.h>

static void help(void)
{
    printf("Usage: trailtrim [--db PATH] principals [--days N] [--until TIME] [--format F]\n"
           "\n"
           "Each principal (the role behind a session, the IAM user, root, ...) that\n"
           "made calls in the window, busiest first: type, account, calls, errors,\n"
           "access denials, first and last seen. The window is whole UTC days: the\n"
           "N days (default 90) ending on the day of --until (default now).\n");
}

int cmd_principals(const cmd_global *gin, int argc, char **argv)
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
    while ((opt = getopt_long(argc, argv, "+h", longs, NULL)) != -1) {
        if (opt == 'h') {
            help();
            return EXIT_OK;
        }
        int r = cmd_common_opt("principals", opt, optarg, &g, &win, &fmt);
        if (r < 0)
            return EXIT_USAGE;
        if (r == 0)
            return cmd_usage_error("principals", "unknown option");
    }
    if (optind < argc)
        return cmd_usage_error("principals", "unexpected argument \"%s\"", argv[optind]);
    cmd_window_finish(&win);
    tt_error err;
    tt_error_clear(&err);
    store *st = NULL;
    tt_status s = store_open(&st, g.db_path, STORE_READ, &err);
    if (s == TT_OK) {
        out *w = out_open(stdout, fmt, 0);
        rows_ctx rc = {w, "principals", 0, 0};
        s = store_list_principals(st, win.from_day, win.to_day, rows_emit, &rc, &err);
        static const char *cols[] = {"principal", "type", "account", "calls", "errors", "denied", "first_seen", "last_seen"};
        rows_finish(&rc, 8, cols);
        out_close(w);
    }
    store_close(st, NULL);
    if (s != TT_OK) {
        cmd_error(err.msg);
        return cmd_exit_for(s);
    }
    return EXIT_OK;
}
