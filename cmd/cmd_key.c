/*
 * cmd_key.c - `trailtrim key ACCESS_KEY_ID`: the leaked-key report. Whose
 * key, every call it and the keys derived from it made, where from, what
 * it tried, and the calls that matter most, as text, JSON, CSV or HTML.
 * The work is in key_model.c; this file parses options and picks a writer.
 */
#include "files.h"
#include "cmd.h"
#include "forensics/forensics.h"
#include "report/key_render.h"

#include "common/ttime.h"
#include "store/store.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_DEFAULT_DETAILS 500

enum { OPT_DETAILS = 2000, OPT_SECTION };

typedef enum key_fmt { KEY_TEXT, KEY_JSON, KEY_CSV, KEY_HTML, KEY_NFORMATS } key_fmt;
static const char *const key_formats[KEY_NFORMATS] = {"table", "json", "csv", "html"};

static void help(void)
{
    printf("Usage: trailtrim [--db PATH] key ACCESS_KEY_ID [--since TIME|--days N] [--until TIME]\n"
           "                 [--format table|json|csv|html] [--section S] [--details N]\n"
           "\n"
           "The leaked-key report: whose key it is, every call made with it and with\n"
           "the keys derived from it (sessions it minted, keys it created for users),\n"
           "in time order, where the calls came from, what failed, and the calls that\n"
           "matter most grouped by category (persistence, defence evasion, data and\n"
           "credential access, compute abuse, exposure...).\n"
           "\n"
           "  --since, --until TIME  the window [since, until) (default: all the store\n"
           "                         holds); a day given to --until means through its end\n"
           "  --days N               the N days before --until (default now)\n"
           "  --format F             table (default; also called text), json, csv, or\n"
           "                         html (one page)\n"
           "  --section S            only one section (table, json, csv); CSV is one table\n"
           "                         with one header, so --format csv needs it:\n"
           "                         key, findings, derived_credentials, source_ips,\n"
           "                         user_agents, regions, errors, enumeration,\n"
           "                         timeline or evidence\n"
           "  --details N            read the request details of at most N marked\n"
           "                         calls back from their source objects (default %d)\n",
           KEY_DEFAULT_DETAILS);
}

/* A usage error that lists the sections: "WHAT key, findings, ... or
 * evidence" and, given bad, what was given instead. */
static int section_error(const char *what, const char *bad)
{
    char list[400];
    size_t used = 0;
    for (int i = 0; i < KEY_NSECTIONS; i++) {
        const char *sep = i == 0 ? "" : i + 1 < KEY_NSECTIONS ? ", " : " or ";
        int w = snprintf(list + used, sizeof list - used, "%s%s", sep, key_report_sections[i]);
        if (w > 0 && (size_t)w < sizeof list - used)
            used += (size_t)w;
    }
    if (bad)
        return cmd_usage_error("key", "%s %s, not \"%s\"", what, list, bad);
    return cmd_usage_error("key", "%s %s (trailtrim key KEY --format csv --section timeline > t.csv)",
                           what, list);
}

typedef struct key_opts {
    key_fmt fmt;
    long details;
    int only; /* a section's index, or -1 */
} key_opts;

/* The options of its own (cmd_parse_options). */
static int own_opt(void *ctx, int opt, const char *arg)
{
    key_opts *o = ctx;
    char *end;
    switch (opt) {
    case OPT_FORMAT: {
        /* "table" as in every other command; "text", its first name, too. */
        int f = strcmp(arg, "text") == 0 ? KEY_TEXT : out_choice(arg, key_formats, KEY_NFORMATS);
        if (f < 0)
            return cmd_usage_error("key", "--format takes table, json, csv or html, not \"%s\"", arg);
        o->fmt = (key_fmt)f;
        return CMD_OPT_TAKEN;
    }
    case OPT_DETAILS:
        o->details = strtol(arg, &end, 10);
        if (!*arg || *end || o->details < 0 || o->details > 1000000)
            return cmd_usage_error("key", "--details takes a number from 0 to 1000000, not \"%s\"", arg);
        return CMD_OPT_TAKEN;
    case OPT_SECTION:
        o->only = key_report_section(arg);
        if (o->only < 0)
            return section_error("--section takes", arg);
        return CMD_OPT_TAKEN;
    default: return CMD_OPT_OTHER;
    }
}

int cmd_key(const cmd_global *gin, int argc, char **argv)
{
    cmd_global g = *gin;
    key_opts o = {KEY_TEXT, KEY_DEFAULT_DETAILS, -1};
    cmd_window win;
    cmd_window_init_open(&win);
    static const struct option longs[] = {{"db", required_argument, NULL, OPT_DB},
                                          {"since", required_argument, NULL, OPT_SINCE},
                                          {"days", required_argument, NULL, OPT_DAYS},
                                          {"until", required_argument, NULL, OPT_UNTIL},
                                          {"format", required_argument, NULL, OPT_FORMAT},
                                          {"details", required_argument, NULL, OPT_DETAILS},
                                          {"section", required_argument, NULL, OPT_SECTION},
                                          {"help", no_argument, NULL, 'h'},
                                          {NULL, 0, NULL, 0}};
    cmd_optspec spec = {"key", "h", longs, help, own_opt, &o, &win, NULL};
    int first, rc = cmd_parse_options(&spec, argc, argv, &g, &first);
    if (rc)
        return rc == CMD_HELP ? EXIT_OK : rc;
    key_fmt fmt = o.fmt;
    long details = o.details;
    int only = o.only;
    if (first + 1 != argc)
        return cmd_usage_error("key", "name exactly one access key");
    if (fmt == KEY_CSV && only < 0)
        return section_error("CSV is one table: add --section", NULL);
    if (fmt == KEY_HTML && only >= 0)
        return cmd_usage_error("key", "the HTML page has every section: --section is for text, "
                                      "json and csv");
    if (cmd_window_finish(&win) != 0)
        return cmd_usage_error("key", "--since must be before --until, and not given with --days");
    int64_t since = win.since_ms, until = win.until_set || win.days_set ? win.until_ms : 0;
    const char *key = argv[first];
    tt_error err;
    tt_error_clear(&err);
    store *st = NULL;
    key_data d;
    key_report r;
    int said = 0;
    memset(&r, 0, sizeof r);
    key_data_load(&d);
    char dir[4096];
    forensics_store_dir(g.db_path, dir, sizeof dir);
    tt_status s = store_open(&st, g.db_path, STORE_READ, &err);
    if (s == TT_OK)
        s = key_report_build(&r, st, &d, key, since, until, (size_t)details, dir, &err);
    if (s == TT_OK && r.nevs == 0) {
        /* Known, but silent in this window: as useless as an unknown key. */
        s = tt_fail(&err, TT_ERR_NOTFOUND, "no call with access key %s in the window", key);
        cmd_error(err.msg);
        cmd_window_empty_note("key", &win, 0, st);
        said = 1;
    } else if (s == TT_OK && fmt != KEY_JSON && fmt != KEY_HTML) {
        cmd_window_note("key", &win, 0);
    }
    if (s == TT_OK) {
        if (fmt == KEY_HTML)
            key_report_html(&r, stdout);
        else
            key_report_write(&r,
                             fmt == KEY_JSON  ? OUT_JSON
                             : fmt == KEY_CSV ? OUT_CSV
                                              : OUT_TABLE,
                             only, stdout);
        for (size_t i = 0; i < r.nnotes; i++) {
            fputs("trailtrim key: evidence: ", stderr);
            out_safe(stderr, r.notes[i]);
            fputc('\n', stderr);
        }
    }
    key_report_free(&r);
    key_data_free(&d);
    store_close(st, NULL);
    if (s != TT_OK) {
        if (!said)
            cmd_error(err.msg);
        return s == TT_ERR_NOTFOUND ? EXIT_ERROR : cmd_exit_for(s);
    }
    return EXIT_OK;
}
