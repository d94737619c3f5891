/*
 * window.c - the one parser of the times and windows users type, and the
 * words every reading command uses to say which window it read (window.h
 * states the rule).
 */
#include "window.h"

#include "common/ttime.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MS 86400000LL
#define MAX_DAYS 36600

void cmd_window_init(cmd_window *w)
{
    memset(w, 0, sizeof *w);
    w->default_days = 90;
    w->days = 90;
    w->until_ms = tt_now_ms();
    cmd_window_finish(w);
}

void cmd_window_init_open(cmd_window *w)
{
    cmd_window_init(w);
    w->default_days = 0;
    w->days = 0;
    cmd_window_finish(w);
}

int cmd_window_set_days(cmd_window *w, const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 1 || v > MAX_DAYS)
        return -1;
    w->days = (int)v;
    w->days_set = 1;
    return 0;
}

int cmd_window_set_until(cmd_window *w, const char *s)
{
    if (cmd_time_parse(s, tt_now_ms(), 1, &w->until_ms) != 0)
        return -1;
    w->until_set = 1;
    return 0;
}

int cmd_window_set_since(cmd_window *w, const char *s)
{
    if (cmd_time_parse(s, tt_now_ms(), 0, &w->since_arg) != 0)
        return -1;
    w->since_set = 1;
    return 0;
}

int cmd_window_finish(cmd_window *w)
{
    if (w->since_set && w->days_set)
        return -1;
    if (w->since_set)
        w->since_ms = w->since_arg;
    else if (w->days)
        w->since_ms = w->until_ms - (int64_t)w->days * DAY_MS;
    else
        w->since_ms = 0;
    if (w->since_ms >= w->until_ms)
        return -1;
    w->from_day = w->since_ms ? tt_day_of(w->since_ms) : 0;
    w->to_day = tt_day_of(w->until_ms - 1);
    return 0;
}

/* n decimal digits of s into *v; -1 if one is not a digit. */
static int num(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        *v = *v * 10 + (s[i] - '0');
    }
    return 0;
}

static int relative(const char *s, int64_t now_ms, int64_t *ms)
{
    size_t n = strlen(s);
    int v;
    char u = s[n - 1];
    if (n < 3 || n > 9 || num(s + 1, (int)(n - 2), &v) != 0)
        return -1;
    int64_t unit = u == 'd' ? DAY_MS : u == 'h' ? 3600000LL : u == 'm' ? 60000LL : 0;
    if (!unit)
        return -1;
    *ms = now_ms - (int64_t)v * unit;
    return 0;
}

static int epoch(const char *s, int64_t *ms)
{
    size_t n = strlen(s);
    int64_t v = 0;
    if (n < 9 || n > 11)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *ms = v * 1000;
    return 0;
}

/* The zone after a time: "", "Z", "+HH:MM", "+HHMM", "+HH". Sets the
 * offset east of UTC in minutes. */
static int zone(const char *z, int *minutes)
{
    int h = 0, m = 0;
    size_t n = strlen(z);
    *minutes = 0;
    if (n == 0 || ((n == 1) && (z[0] == 'Z' || z[0] == 'z')))
        return 0;
    if (z[0] != '+' && z[0] != '-')
        return -1;
    if (n == 3 ? num(z + 1, 2, &h) : n == 5 ? num(z + 1, 2, &h) || num(z + 3, 2, &m)
             : n == 6 && z[3] == ':' ? num(z + 1, 2, &h) || num(z + 4, 2, &m)
                                     : -1)
        return -1;
    if (h > 23 || m > 59)
        return -1;
    *minutes = (z[0] == '-' ? -1 : 1) * (h * 60 + m);
    return 0;
}

/* "YYYY-MM-DD[T ]HH:MM[:SS[.fff]][zone]" */
static int clock_time(const char *s, int64_t *ms)
{
    char iso[40];
    int h, mi, sec = 0, off;
    size_t i = 16;
    if (strlen(s) < 16 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':')
        return -1;
    if (num(s + 11, 2, &h) || num(s + 14, 2, &mi) || h > 23 || mi > 59)
        return -1;
    if (s[16] == ':') {
        if (num(s + 17, 2, &sec) || sec > 60)
            return -1;
        i = 19;
    }
    const char *frac = s + i;
    if (*frac == '.')
        for (i++; s[i] >= '0' && s[i] <= '9'; i++)
            ;
    if (zone(s + i, &off) != 0 || (size_t)(s + i - frac) > 10)
        return -1;
    /* The strict CloudTrail parser checks the date and the fraction. */
    snprintf(iso, sizeof iso, "%.10sT%02d:%02d:%02d%.*sZ", s, h, mi, sec, (int)(s + i - frac), frac);
    if (tt_time_parse(iso, strlen(iso), ms) != 0)
        return -1;
    *ms -= (int64_t)off * 60000LL;
    return 0;
}

int cmd_time_parse(const char *s, int64_t now_ms, int day_end, int64_t *ms)
{
    size_t n = strlen(s);
    if (strcmp(s, "now") == 0) {
        *ms = now_ms;
        return 0;
    }
    if (n >= 3 && s[0] == '-')
        return relative(s, now_ms, ms);
    if (n >= 9 && n <= 11 && strspn(s, "0123456789") == n)
        return epoch(s, ms);
    if (n == 10) {
        char iso[21];
        snprintf(iso, sizeof iso, "%.10sT00:00:00Z", s);
        if (tt_time_parse(iso, 20, ms) != 0)
            return -1;
        *ms += day_end ? DAY_MS : 0;
        return 0;
    }
    return clock_time(s, ms);
}

void cmd_window_text(const cmd_window *w, int whole_days, char *buf, size_t n)
{
    char a[21], b[21];
    if (whole_days) {
        char from[11], to[11];
        tt_day_format(w->from_day, from);
        tt_day_format(w->to_day, to);
        snprintf(buf, n, "%s..%s, %d whole UTC days", from, to, (int)(w->to_day - w->from_day + 1));
        return;
    }
    tt_time_format(w->until_ms, b);
    if (!w->since_ms && !w->until_set) {
        snprintf(buf, n, "all the store holds");
        return;
    }
    if (!w->since_ms) {
        snprintf(buf, n, "up to %s (excluded)", b);
        return;
    }
    tt_time_format(w->since_ms, a);
    if (!w->until_set && !w->days_set)
        snprintf(buf, n, "from %s on", a);
    else
        snprintf(buf, n, "%s to %s (the end excluded)", a, b);
}

void cmd_window_note(const char *cmd, const cmd_window *w, int whole_days)
{
    char t[160];
    cmd_window_text(w, whole_days, t, sizeof t);
    fprintf(stderr, "trailtrim %s: window %s\n", cmd, t);
}

void cmd_window_json(out *o, const cmd_window *w, int whole_days)
{
    char t[21], d[16];
    out_kv_section(o, "window");
    tt_time_format(w->since_ms, t);
    out_kv(o, "since", w->since_ms ? t : NULL, 0);
    tt_time_format(w->until_ms, t);
    out_kv(o, "until", w->until_set || (w->since_ms && !w->since_set) ? t : NULL, 0);
    snprintf(d, sizeof d, "%d", w->since_ms ? w->days : 0);
    out_kv(o, "days", w->since_set || !w->since_ms ? NULL : d, 1);
    out_kv(o, "whole_days", whole_days ? "true" : "false", 1);
}

void cmd_window_empty_note(const char *cmd, const cmd_window *w, int whole_days, store *st)
{
    char t[160], first[21], last[21], day[11];
    store_summary sum;
    tt_error err;
    cmd_window_text(w, whole_days, t, sizeof t);
    fprintf(stderr, "trailtrim %s: nothing found in the window %s\n", cmd, t);
    if (!st || store_get_summary(st, &sum, &err) != TT_OK)
        return;
    if (!sum.events) {
        fprintf(stderr, "trailtrim %s: the store holds no events yet (trailtrim ingest PATH)\n", cmd);
        return;
    }
    tt_time_format(sum.first_ms, first);
    tt_time_format(sum.last_ms, last);
    tt_day_format(tt_day_of(sum.last_ms), day);
    fprintf(stderr, "trailtrim %s: the store holds events from %s to %s: --until %s --days %d sees them all\n",
            cmd, first, last, day, (int)(tt_day_of(sum.last_ms) - tt_day_of(sum.first_ms) + 1));
}
