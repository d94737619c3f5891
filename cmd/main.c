/*
 * main.c - the trailtrim command: global options, then a subcommand from
 * the table. Each subcommand parses its own options (cmd_*.c).
 */
#include "cmd.h"

#include "common/mem.h"
#include "common/tt.h"
#include "common/ttime.h"
#include "report/term.h"
#include "window.h"
#include "generate/catalog.h"
#include "store/store.h"

#include <archive.h>
#include <getopt.h>
#include <libdeflate.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#ifndef TT_VERSION
#define TT_VERSION "0.0.0"
#endif

typedef struct subcommand {
    const char *name;
    cmd_fn fn;
    const char *summary;
} subcommand;

static const subcommand commands[] = {
    {"ingest", cmd_ingest, "load CloudTrail objects (files, folders, bundles, stdin) into the store"},
    {"status", cmd_status, "what the store holds: objects, events, rejects, coverage and gaps"},
    {"principals", cmd_principals, "each principal in the window: calls, errors, first and last seen"},
    {"usage", cmd_usage, "what one principal called in the window, per source and event"},
    {"policy", cmd_policy, "the IAM policy allowing exactly what a principal used (or --all)"},
    {"mapping", cmd_mapping, "how a CloudTrail event maps to IAM actions; --unmapped lists misses"},
    {"key", cmd_key, "the leaked-key report: every call of a key and of the keys it made"},
    {"search", cmd_search, "events matching filters (key, principal, IP, event...), streamed"},
    {"verify", cmd_verify, "check log files against CloudTrail digest files: hashes, chain, signatures"},
    {"unused", cmd_unused, "granted but unused IAM actions per user and role (--authz FILE), Repokid-style"},
    {"repo", cmd_repo, "each principal's own policies without its unused actions (--authz FILE --out DIR)"},
    {"trust", cmd_trust, "the trust policy allowing exactly who assumed a role (or --all), and who that was"},
    {"keys", cmd_keys, "every long-lived access key: use, age, findings (--credential-report FILE)"},
};

static void help(FILE *f)
{
    fprintf(f,
            "Usage: trailtrim [--db PATH] COMMAND [OPTIONS] [ARGS]\n"
            "\n"
            "Loads AWS CloudTrail logs into a local SQLite store (or a ClickHouse\n"
            "cluster) and answers from it.\n"
            "\n"
            "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].summary);
    fprintf(f,
            "\n"
            "Global options:\n"
            "  --db PATH     the store (default $TRAILTRIM_DB, else ./trailtrim.db): a\n"
            "                file, or a ClickHouse server or cluster as\n"
            "                clickhouse://[USER@]HOST[:PORT]/DATABASE[?cluster=NAME]\n"
            "                (or https://...); its password from\n"
            "                $TRAILTRIM_CLICKHOUSE_PASSWORD(_FILE); a private CA\n"
            "                for https in $TRAILTRIM_CLICKHOUSE_CACERT\n"
            "  --allow-missing-shards  on a cluster, answer from the shards that are\n"
            "                up instead of failing when one is down\n"
            "  -h, --help    this help; `trailtrim help COMMAND` for a command's,\n"
            "                `trailtrim help window` for the window every reading\n"
            "                command reads (--until, --days, --since)\n"
            "  --version     versions of trailtrim and its libraries\n"
            "  --color=WHEN  colour severities and findings in tables: auto (on a\n"
            "                terminal, unless NO_COLOR is set), always or never;\n"
            "                taken before or after COMMAND\n"
            "\n"
            "Tables fit the terminal's width (COLUMNS overrides it; a table piped\n"
            "elsewhere is whole unless COLUMNS is set); JSON and CSV are never cut.\n"
            "\n"
            "Exit codes: 0 ok, 1 error, 2 usage, 3 some inputs rejected, 4 a recorded\n"
            "object changed (possible tampering), 5 store busy, 6 interrupted,\n"
            "7 verify found integrity problems.\n");
}

static void window_help(void)
{
    printf("The window of every reading command (README, \"The window\"):\n"
           "\n"
           "  --until TIME  the end, excluded (default now). A day means through its\n"
           "                end: --until 2026-11-20 includes all of that day (UTC).\n"
           "                A time is honoured exactly.\n"
           "  --days N      the N*24 hours before --until (default 90; key and search\n"
           "                read all the store holds unless given a window)\n"
           "  --since TIME  the start, included, instead of --days\n"
           "\n"
           "TIME: " CMD_TIME_FORMS ";\n"
           "any offset (+02:00, -0500); no offset means UTC.\n"
           "\n"
           "principals, usage, policy, mapping --unmapped, unused and repo read the\n"
           "daily rollup: they round the window out to whole UTC days. Each command\n"
           "states the window it read (stderr, or \"window\" in the JSON) and, when\n"
           "it finds nothing, where the store's events are.\n");
}

/* `trailtrim help [COMMAND|window]` */
static int help_command(const cmd_global *g, int argc, char **argv)
{
    if (argc < 2) {
        help(stdout);
        return EXIT_OK;
    }
    if (argc > 2)
        return cmd_usage_error("help", "name one command, or nothing");
    if (strcmp(argv[1], "window") == 0) {
        window_help();
        return EXIT_OK;
    }
    char *sub[] = {argv[1], "--help", NULL};
    for (size_t c = 0; c < sizeof commands / sizeof *commands; c++)
        if (strcmp(argv[1], commands[c].name) == 0)
            return commands[c].fn(g, 2, sub);
    return cmd_usage_error("help", "unknown command \"%s\" (see trailtrim help)", argv[1]);
}

static void version(void)
{
    printf("trailtrim %s\n", TT_VERSION);
    printf("sqlite %s, %s, libdeflate %s, zlib %s\n", sqlite3_libversion(), archive_version_string(),
           LIBDEFLATE_VERSION_STRING, zlibVersion());
    char iam[256];
    printf("IAM data: %s\n", gen_catalog_data_version(iam, sizeof iam));
}

int cmd_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "trailtrim%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'trailtrim %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
    return EXIT_USAGE;
}

int cmd_paths_exist(const char *cmd, int first, int argc, char **argv)
{
    for (int i = first; i < argc; i++) {
        struct stat sb;
        if (strcmp(argv[i], "-") != 0 && stat(argv[i], &sb) != 0) {
            char eb[128];
            return cmd_usage_error(cmd, "%s: %s", argv[i], tt_errno_text(errno, eb, sizeof eb));
        }
    }
    return 0;
}

/* A multi-line message (a list of candidates) prints each further line
 * on its own, indented; out_safe still shows every other control byte. */
void cmd_error(const char *msg)
{
    fputs("trailtrim: ", stderr);
    for (const char *nl; (nl = strchr(msg, '\n')) != NULL; msg = nl + 1) {
        char *line = tt_xstrndup(msg, (size_t)(nl - msg));
        out_safe(stderr, line);
        free(line);
        fputs("\n  ", stderr);
        nl += strspn(nl + 1, " ");
    }
    out_safe(stderr, msg);
    fputc('\n', stderr);
}

int cmd_exit_for(int st)
{
    switch ((tt_status)st) {
    case TT_OK: return EXIT_OK;
    case TT_ERR_USAGE: return EXIT_USAGE;
    case TT_ERR_BUSY: return EXIT_BUSY;
    case TT_ERR_INTERRUPTED: return EXIT_INTERRUPTED;
    default: return EXIT_ERROR;
    }
}

int cmd_time_opt(const char *cmd, const char *name, const char *arg, int64_t *ms)
{
    if (cmd_time_parse(arg, tt_now_ms(), strcmp(name, "--until") == 0, ms) == 0)
        return 0;
    return cmd_usage_error(cmd, "%s takes a time like " CMD_TIME_FORMS ", not \"%s\"", name, arg);
}

int cmd_bad_option(const char *cmd, char **argv)
{
    const char *a = argv[optind - 1];
    if (optopt && strncmp(a, "--", 2) == 0)
        return cmd_usage_error(cmd, "option \"%s\" needs a value", a);
    if (optopt)
        return cmd_usage_error(cmd, "unknown option \"-%c\", or it needs a value", optopt);
    return cmd_usage_error(cmd, "unknown option \"%s\"", a);
}

int cmd_common_opt(const char *cmd, int opt, const char *arg, cmd_global *g,
                   cmd_window *w, out_format *fmt)
{
    switch (opt) {
    case OPT_DB:
        g->db_path = arg;
        return 1;
    case OPT_DAYS:
        if (!w || cmd_window_set_days(w, arg) != 0)
            return cmd_usage_error(cmd, "--days takes a whole number of days from 1 to 36600, not \"%s\"", arg), -1;
        return 1;
    case OPT_UNTIL:
    case OPT_SINCE:
        if (!w || (opt == OPT_UNTIL ? cmd_window_set_until(w, arg) : cmd_window_set_since(w, arg)) != 0)
            return cmd_usage_error(cmd, "%s takes a time like " CMD_TIME_FORMS ", not \"%s\"",
                                   opt == OPT_UNTIL ? "--until" : "--since", arg),
                   -1;
        return 1;
    case OPT_FORMAT:
        if (!fmt || out_parse_format(arg, fmt) != 0)
            return cmd_usage_error(cmd, "--format takes table, json or csv, not \"%s\"", arg), -1;
        return 1;
    default:
        return 0;
    }
}

/* cmd_read_options' own options: none, and no window where it has none. */
static int no_window(void *ctx, int opt, const char *arg)
{
    if (opt == OPT_DAYS || opt == OPT_UNTIL || opt == OPT_SINCE)
        return cmd_usage_error(ctx, "takes no --days, --since or --until");
    return CMD_OPT_OTHER;
}

int cmd_read_options(const char *cmd, int argc, char **argv, void (*help_fn)(void),
                     cmd_global *g, cmd_window *w, out_format *fmt, int *first_arg)
{
    static const struct option longs[] = {
        {"db", required_argument, NULL, OPT_DB},       {"days", required_argument, NULL, OPT_DAYS},
        {"until", required_argument, NULL, OPT_UNTIL}, {"format", required_argument, NULL, OPT_FORMAT},
        {"since", required_argument, NULL, OPT_SINCE}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cmd_optspec spec = {cmd, "h", longs, help_fn, w ? NULL : no_window, (void *)cmd, w, fmt};
    int rc = cmd_parse_options(&spec, argc, argv, g, first_arg);
    if (rc != 0)
        return rc;
    if (w && cmd_window_finish(w) != 0)
        return cmd_usage_error(cmd, "the window is empty, or --since and --days were both given");
    return 0;
}

int cmd_fail(int st, const tt_error *err)
{
    cmd_error(err->msg);
    return cmd_exit_for(st);
}

/* Takes --color=WHEN and --color WHEN out of argv wherever they are (up to
 * a "--"), so that every subcommand accepts them. Returns 0, or the usage
 * exit code. */
static int take_color(int *argc, char **argv)
{
    int kept = 1;
    term_color c = TERM_COLOR_AUTO;
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i], *v = NULL;
        if (strcmp(a, "--") == 0) {
            while (i < *argc)
                argv[kept++] = argv[i++];
            break;
        }
        if (strncmp(a, "--color=", 8) == 0 || strncmp(a, "--colour=", 9) == 0)
            v = strchr(a, '=') + 1;
        else if ((strcmp(a, "--color") == 0 || strcmp(a, "--colour") == 0) && i + 1 < *argc)
            v = argv[++i];
        else if (strcmp(a, "--color") == 0 || strcmp(a, "--colour") == 0)
            return cmd_usage_error(NULL, "--color takes auto, always or never");
        if (!v) {
            argv[kept++] = argv[i];
            continue;
        }
        if (term_parse_color(v, &c) != 0)
            return cmd_usage_error(NULL, "--color takes auto, always or never, not \"%s\"", v);
    }
    argv[kept] = NULL;
    *argc = kept;
    term_set_color(c);
    return 0;
}

/* What every command's answer goes through last (as jq's main does): an
 * answer that did not reach its reader (a full disk, a closed pipe, EIO)
 * is a failed run, exit 1, never a silent 0. */
static int close_stdout(int rc)
{
    char eb[128];
    errno = 0;
    int e = fflush(stdout) != 0 ? errno : 0; /* errno only of a call that failed */
    int bad = e != 0 || ferror(stdout);
    errno = 0;
    if (fclose(stdout) != 0) {
        bad = 1;
        if (!e)
            e = errno;
    }
    if (!bad)
        return rc;
    char msg[256];
    snprintf(msg, sizeof msg, "writing the answer to standard output: %s",
             e ? tt_errno_text(e, eb, sizeof eb) : "a write failed (disk full, or the reader gone)");
    cmd_error(msg);
    return rc ? rc : EXIT_ERROR;
}

int main(int argc, char **argv)
{
    cmd_global g = {getenv("TRAILTRIM_DB")};
    if (!g.db_path || !*g.db_path)
        g.db_path = "trailtrim.db";
    if (take_color(&argc, argv) != 0)
        return EXIT_USAGE;
    int i = 1;
    opterr = 0; /* one error per bad option: ours (cmd_bad_option) */
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            help(stdout);
            return EXIT_OK;
        } else if (strcmp(argv[i], "--version") == 0) {
            version();
            return EXIT_OK;
        } else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            g.db_path = argv[++i];
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            g.db_path = argv[i] + 5;
        } else if (strcmp(argv[i], "--allow-missing-shards") == 0) {
            store_set_open_flags(STORE_ALLOW_MISSING_SHARDS);
        } else {
            return cmd_usage_error(NULL, "unknown option \"%s\"", argv[i]);
        }
    }
    if (i >= argc) {
        help(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[i], "help") == 0)
        return help_command(&g, argc - i, argv + i);
    for (size_t c = 0; c < sizeof commands / sizeof *commands; c++)
        if (strcmp(argv[i], commands[c].name) == 0)
            return close_stdout(commands[c].fn(&g, argc - i, argv + i));
    return cmd_usage_error(NULL, "unknown command \"%s\"", argv[i]);
}
