/*
 * window.h - the query window of every reading command, and the one parser
 * of the times a user types. The rule (README "The window"): --until is the
 * end of the window, excluded; a day means through its end (--until
 * 2026-11-20 includes all of that day), a time is honoured exactly. --since
 * is the start, included; a day means from its start. --days N is the N*24
 * hours before --until. Commands that read the daily rollup round the window
 * out to whole UTC days, and say so.
 */
#ifndef TT_CMD_WINDOW_H
#define TT_CMD_WINDOW_H

#include "report/out.h"

#include <stdint.h>

typedef struct store store;

typedef struct cmd_window {
    int days;                 /* --days (default_days when not given) */
    int64_t since_ms;         /* start, included; 0 = open */
    int64_t until_ms;         /* end, excluded */
    int32_t from_day, to_day; /* the whole UTC days covering it, inclusive */
    int default_days;         /* 90 for most commands; 0 = all time */
    int days_set, since_set, until_set;
    int64_t since_arg;        /* --since as parsed */
} cmd_window;

/* The default window: the 90 days up to now. */
void cmd_window_init(cmd_window *w);

/* The default window of search and key: everything the store holds. */
void cmd_window_init_open(cmd_window *w);

/* Applies --days, --until or --since text; returns 0 or -1 (bad value). */
int cmd_window_set_days(cmd_window *w, const char *s);
int cmd_window_set_until(cmd_window *w, const char *s);
int cmd_window_set_since(cmd_window *w, const char *s);

/* Computes since_ms, from_day and to_day from the options given. Returns 0,
 * or -1 when the window is empty or --since and --days were both given. */
int cmd_window_finish(cmd_window *w);

/* Parses a TIME: "now", "-7d"/"-12h"/"-30m", epoch seconds (9 to 11
 * digits), a day "YYYY-MM-DD", or "YYYY-MM-DD[T ]HH:MM[:SS[.fff]]" with
 * "Z", "+02:00", "+0200" or no zone (UTC). A day is its start, or with
 * day_end the start of the next day. Returns 0 or -1. */
int cmd_time_parse(const char *s, int64_t now_ms, int day_end, int64_t *ms);

/* What the usage errors say a TIME looks like. */
#define CMD_TIME_FORMS "2026-11-20, 2026-11-20T12:00:00Z, 2026-11-20T14:00+02:00, 1795176000 (epoch seconds), now or -7d"

/* Writes the window in words into buf: with whole_days the UTC days read
 * ("2026-08-23..2026-11-20, 90 whole UTC days"), else the exact bounds. */
void cmd_window_text(const cmd_window *w, int whole_days, char *buf, size_t n);

/* Prints "trailtrim CMD: window ..." on stderr. */
void cmd_window_note(const char *cmd, const cmd_window *w, int whole_days);

/* Writes a "window" section (since, until, days, whole_days) into o. */
void cmd_window_json(out *o, const cmd_window *w, int whole_days);

/* For an empty answer: prints on stderr that nothing was found in the
 * window, the store's first and last event, and the --until and --days
 * that would see them. st may be NULL (nothing printed but the first line). */
void cmd_window_empty_note(const char *cmd, const cmd_window *w, int whole_days, store *st);

#endif /* TT_CMD_WINDOW_H */
