/*
 * cmd_usage.c - `trailtrim usage PRINCIPAL`: every eventSource/eventName
 * the principal called in the window, with calls, errors, first and last
 * seen. Read from the daily rollup, not the events.
 */
#include "cmd.h"
#include "rows.h"

#include "store/store.h"

#include <stdio.h>

static void help(void)
{
    printf("Usage: trailtrim [--db PATH] usage PRINCIPAL [--days N|--since TIME] [--until TIME]\n"
           "                 [--format F]\n"
           "\n"
           "What PRINCIPAL called in the window, per event source and name: calls,\n"
           "errors, access denials, first and last seen. PRINCIPAL is an ARN or the\n"
           "end of one that names a single principal (ci-deploy, role/ci-deploy).\n"
           "Read from the daily rollup: the window (default the 90 days up to now;\n"
           "`trailtrim help window`) is rounded out to whole UTC days, and stated on\n"
           "stderr (in the JSON).\n");
}

int cmd_usage(const cmd_global *gin, int argc, char **argv)
{
    cmd_global g = *gin;
    out_format fmt = out_default_format(stdout);
    cmd_window win;
    cmd_window_init(&win);
    int first;
    int rc = cmd_read_options("usage", argc, argv, help, &g, &win, &fmt, &first);
    if (rc != 0)
        return rc < 0 ? EXIT_OK : rc;
    if (first + 1 != argc)
        return cmd_usage_error("usage", "name exactly one principal");
    tt_error err;
    tt_error_clear(&err);
    store *st = NULL;
    int64_t pid = 0;
    char arn[2200];
    tt_status s = store_open(&st, g.db_path, STORE_READ, &err);
    if (s == TT_OK)
        s = store_find_principal(st, argv[first], &pid, arn, sizeof arn, &err);
    if (s == TT_OK) {
        out *w = rows_open_windowed("usage", fmt, &win, 1);
        if (fmt == OUT_JSON) {
            out_kv_section(w, "principal");
            out_kv(w, "arn", arn, 0);
        }
        rows_ctx rows = {w, "usage", 0, 0};
        s = store_list_usage(st, pid, win.from_day, win.to_day, rows_emit, &rows, &err);
        static const char *cols[] = {"source", "event", "calls", "errors", "denied", "via_service", "first_seen", "last_seen"};
        rows_finish(&rows, 8, cols);
        out_close(w);
        if (s == TT_OK && rows.count == 0)
            cmd_window_empty_note("usage", &win, 1, st);
    }
    store_close(st, NULL);
    return s == TT_OK ? EXIT_OK : cmd_fail(s, &err);
}
