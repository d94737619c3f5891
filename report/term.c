/*
 * term.c - terminal width and colour for the table writer. The colour rules
 * name columns, not commands: a "severity" cell is coloured by its level
 * wherever it appears, so every report that uses out.h gets the same cues.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* TIOCGWINSZ */
#include "term.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static term_color color_choice = TERM_COLOR_AUTO;

int term_parse_color(const char *s, term_color *c)
{
    if (strcmp(s, "auto") == 0)
        *c = TERM_COLOR_AUTO;
    else if (strcmp(s, "always") == 0 || strcmp(s, "yes") == 0)
        *c = TERM_COLOR_ALWAYS;
    else if (strcmp(s, "never") == 0 || strcmp(s, "no") == 0)
        *c = TERM_COLOR_NEVER;
    else
        return -1;
    return 0;
}

void term_set_color(term_color c)
{
    color_choice = c;
}

int term_color_on(FILE *f)
{
    if (color_choice != TERM_COLOR_AUTO)
        return color_choice == TERM_COLOR_ALWAYS;
    if (getenv("NO_COLOR"))
        return 0;
    const char *t = getenv("TERM");
    if (t && strcmp(t, "dumb") == 0)
        return 0;
    return isatty(fileno(f));
}

int term_width(FILE *f)
{
    const char *c = getenv("COLUMNS");
    if (c && *c) {
        char *end;
        long n = strtol(c, &end, 10);
        if (*end == '\0' && n >= 20 && n <= 10000)
            return (int)n;
    }
    struct winsize ws;
    if (isatty(fileno(f)) && ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col;
    return 0;
}

static int is(const char *s, const char *t)
{
    return s && strcmp(s, t) == 0;
}

static int nonzero(const char *v)
{
    return strspn(v, "0") != strlen(v);
}

static term_style severity(const char *v)
{
    if (is(v, "critical") || is(v, "high") || is(v, "error"))
        return TERM_BAD;
    if (is(v, "medium") || is(v, "warning") || is(v, "warn"))
        return TERM_WARN;
    if (is(v, "low") || is(v, "info"))
        return TERM_NOTE;
    return TERM_PLAIN;
}

term_style term_cell_style(const char *section, const char *col, const char *v)
{
    if (!col || !v || !*v || is(v, "-"))
        return TERM_PLAIN;
    if (is(col, "severity"))
        return severity(v);
    if (is(col, "status") || is(col, "principal_status"))
        return is(v, "unused") ? TERM_WARN : is(v, "used") || is(v, "judged") ? TERM_GOOD : TERM_PLAIN;
    if (is(col, "unused") || is(col, "problems") || is(col, "flagged"))
        return nonzero(v) && !is(v, "no") ? (is(col, "unused") ? TERM_WARN : TERM_BAD) : TERM_PLAIN;
    if (is(col, "unused_services") || is(col, "findings") || is(col, "finding") || is(col, "flags") ||
        is(col, "problem"))
        return TERM_WARN;
    if (is(col, "category")) /* the key report's findings: what matters most */
        return TERM_BAD;
    if (is(col, "kind")) /* verify: a problem, or a note */
        return is(section, "problems") ? TERM_BAD : TERM_NOTE;
    if (is(col, "verdict"))
        return is(v, "intact") ? TERM_GOOD : is(v, "PROBLEMS FOUND") ? TERM_BAD : TERM_PLAIN;
    if (is(col, "first_suspicious"))
        return TERM_BAD;
    return TERM_PLAIN;
}

const char *term_sgr(term_style s)
{
    switch (s) {
    case TERM_BAD: return "\033[1;31m";
    case TERM_WARN: return "\033[33m";
    case TERM_NOTE: return "\033[36m";
    case TERM_GOOD: return "\033[32m";
    default: return "";
    }
}
