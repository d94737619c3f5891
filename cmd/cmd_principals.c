/*
 * cmd_principals.c - `trailtrim principals`: each principal seen in the
 * window with its type, account, calls, errors and first and last seen.
 */
#include "cmd.h"
#include "rows.h"

#include "store/store.h"

#include <stdio.h>

static void help(void)
{
    printf("Usage: trailtrim [--db PATH] principals [--days N|--since TIME] [--until TIME]\n"
           "                 [--format F]\n"
           "\n"
           "Each principal (the role behind a session, the IAM user, root, ...) that\n"
           "made calls in the window, busiest first: type, account, calls, errors,\n"
           "access denials, first and last seen. Read from the daily rollup: the\n"
           "window (default the 90 days up to now; `trailtrim help window`) is\n"
           "rounded out to whole UTC days, and stated on stderr (in the JSON).\n");
}

int cmd_principals(const cmd_global *gin, int argc, char **argv)
{
    cmd_global g = *gin;
    out_format fmt = out_default_format(stdout);
    cmd_window win;
    cmd_window_init(&win);
    int first;
    int rc = cmd_read_options("principals", argc, argv, help, &g, &win, &fmt, &first);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (first < argc)
        return cmd_usage_error("principals", "unexpected argument \"%s\"", argv[first]);
    tt_error err;
    tt_error_clear(&err);
    store *st = NULL;
    tt_status s = store_open(&st, g.db_path, STORE_READ, &err);
    if (s == TT_OK) {
        out *w = rows_open_windowed("principals", fmt, &win, 1);
        rows_ctx rows = {w, "principals", 0, 0};
        s = store_list_principals(st, win.from_day, win.to_day, rows_emit, &rows, &err);
        static const char *cols[] = {"principal", "type", "account", "calls", "errors", "denied", "first_seen", "last_seen"};
        rows_finish(&rows, 8, cols);
        out_close(w);
        if (s == TT_OK && rows.count == 0)
            cmd_window_empty_note("principals", &win, 1, st);
    }
    store_close(st, NULL);
    return s == TT_OK ? EXIT_OK : cmd_fail(s, &err);
}
