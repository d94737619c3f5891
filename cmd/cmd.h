/*
 * cmd.h - what the subcommands share: exit codes, the global options, the
 * query window, and usage errors. One file per subcommand implements it.
 */
#ifndef TT_CMD_H
#define TT_CMD_H

#include "report/out.h"
#include "window.h"

#include "common/tt.h"

#include <getopt.h>

#include <stdint.h>

/* Exit codes (documented in the README and `trailtrim --help`). */
enum {
    EXIT_OK = 0,
    EXIT_ERROR = 1,       /* the run failed: store, I/O, ... */
    EXIT_USAGE = 2,       /* the command line was wrong */
    EXIT_REJECTED = 3,    /* some inputs were rejected (others were stored) */
    EXIT_CHANGED = 4,     /* a recorded object changed: possible tampering */
    EXIT_BUSY = 5,        /* another process is writing to the store */
    EXIT_INTERRUPTED = 6  /* stopped by SIGINT/SIGTERM after a clean commit */
};

typedef struct cmd_global {
    const char *db_path; /* --db, $TRAILTRIM_DB, or "trailtrim.db" */
} cmd_global;

typedef int (*cmd_fn)(const cmd_global *g, int argc, char **argv);

int cmd_ingest(const cmd_global *g, int argc, char **argv);
int cmd_status(const cmd_global *g, int argc, char **argv);
int cmd_principals(const cmd_global *g, int argc, char **argv);
int cmd_usage(const cmd_global *g, int argc, char **argv);
int cmd_policy(const cmd_global *g, int argc, char **argv);
int cmd_mapping(const cmd_global *g, int argc, char **argv);
int cmd_key(const cmd_global *g, int argc, char **argv);
int cmd_search(const cmd_global *g, int argc, char **argv);
int cmd_verify(const cmd_global *g, int argc, char **argv);
int cmd_unused(const cmd_global *g, int argc, char **argv);
int cmd_repo(const cmd_global *g, int argc, char **argv);
int cmd_trust(const cmd_global *g, int argc, char **argv);
int cmd_keys(const cmd_global *g, int argc, char **argv);

/* Prints "trailtrim CMD: message" and a hint to stderr; returns EXIT_USAGE. */
int cmd_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* argv[first..argc) are paths (or "-", stdin) that must exist: a missing
 * one is a mistyped command line, not a bad input, said before any work
 * starts. Returns 0, or EXIT_USAGE after the message. */
int cmd_paths_exist(const char *cmd, int first, int argc, char **argv);

/* Prints what forensics_trust_load (forensics/trust_load.h) could not read,
 * on stderr as "trailtrim CMD: ..." (nothing when all was). cmd_trust.c. */
struct forensics_trust_stats;
void cmd_trust_warn(const char *cmd, const struct forensics_trust_stats *stats);

/* Prints "trailtrim: message" to stderr, control characters escaped. */
void cmd_error(const char *msg);

/* Long options every reading command takes, and their ids. */
enum { OPT_DB = 1000, OPT_DAYS, OPT_UNTIL, OPT_FORMAT, OPT_WAIT, OPT_MAX_OBJECT, OPT_SINCE };

/* After getopt_long returned '?' (opterr is 0): prints one usage error
 * naming the bad option of argv; returns EXIT_USAGE. */
int cmd_bad_option(const char *cmd, char **argv);

/* Handles --db, --days, --since, --until, --format for a reading command. Returns 1
 * if opt was one of them (0 if not, -1 on a bad value, usage printed). */
int cmd_common_opt(const char *cmd, int opt, const char *arg, cmd_global *g,
                   cmd_window *w, out_format *fmt);

/* The one option parser of the subcommands: getopt_long over argv with
 * the command's table (longs, and shorts such as "hq"; 'h' prints help),
 * each option handed first to the command's own handler (NULL: none), then
 * to cmd_common_opt (with w and fmt, either may be NULL), and anything else
 * named as a bad option. own returns CMD_OPT_TAKEN, CMD_OPT_OTHER (not its
 * own), or an exit code after printing a usage error. Returns CMD_HELP
 * after --help (exit 0), an exit code (> 0) on a usage error, or 0 with
 * *first_arg the index of the first operand. The window is not finished:
 * the caller checks it with its own message. */
enum { CMD_OPT_TAKEN = 0, CMD_OPT_OTHER = -2, CMD_HELP = -1 };
typedef struct cmd_optspec {
    const char *cmd;
    const char *shorts;
    const struct option *longs;
    void (*help)(void);
    int (*own)(void *ctx, int opt, const char *arg);
    void *ctx;
    cmd_window *w;
    out_format *fmt;
} cmd_optspec;
int cmd_parse_options(const cmd_optspec *spec, int argc, char **argv, cmd_global *g, int *first_arg);

/* The options of a reading command (--db, --days, --until, --format,
 * --help), parsed from argv. Returns -1 when --help was printed (exit 0),
 * an exit code (> 0) on a usage error, or 0 with *first_arg set to the
 * index of the first operand and w finished. w may be NULL for commands
 * without a window. */
int cmd_read_options(const char *cmd, int argc, char **argv, void (*help)(void),
                     cmd_global *g, cmd_window *w, out_format *fmt, int *first_arg);

/* Parses the TIME operand of option `name` (--since, --until) into *ms
 * (cmd_time_parse; a day given to --until means through its end).
 * Returns 0, or the usage exit code after printing what a time looks like. */
int cmd_time_opt(const char *cmd, const char *name, const char *arg, int64_t *ms);

/* Prints err's message for a failed status and returns its exit code. */
int cmd_fail(int st, const tt_error *err);

/* Maps a store/ingest status to an exit code. */
int cmd_exit_for(int tt_status_value);

#endif /* TT_CMD_H */
