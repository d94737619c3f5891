/*
 * term.h - what a table for people needs to know about the terminal it is
 * written to: how wide it is (ioctl(TIOCGWINSZ), COLUMNS overriding) and
 * whether to colour it (--color, NO_COLOR, a TTY), and which cells are worth
 * a colour (severities and findings).
 */
#ifndef TT_TERM_H
#define TT_TERM_H

#include <stdio.h>

typedef enum term_color { TERM_COLOR_AUTO = 0, TERM_COLOR_ALWAYS, TERM_COLOR_NEVER } term_color;

typedef enum term_style { TERM_PLAIN = 0, TERM_BAD, TERM_WARN, TERM_NOTE, TERM_GOOD } term_style;

/* Parses "auto", "always" or "never" (also "yes"/"no"). 0, or -1. */
int term_parse_color(const char *s, term_color *c);

/* Sets the process-wide --color choice (main.c, before any output). */
void term_set_color(term_color c);

/* Whether text written to f is coloured: --color=always; never with
 * --color=never; otherwise (auto) when f is a terminal, NO_COLOR is not
 * set (to any value) and TERM is not "dumb". */
int term_color_on(FILE *f);

/* The width tables written to f must fit: COLUMNS when it is a number from
 * 20 to 10000 (an override, also when f is not a terminal), else the
 * terminal's width when f is one, else 0 (no limit: the full table). */
int term_width(FILE *f);

/* The colour worth giving a cell `value` of column `col` in section
 * `section` (any may be NULL): severities, unused, findings, problems. */
term_style term_cell_style(const char *section, const char *col, const char *value);

/* The SGR sequence that starts style s ("" for TERM_PLAIN), and the one
 * that ends it. */
const char *term_sgr(term_style s);
#define TERM_SGR_RESET "\033[0m"

#endif /* TT_TERM_H */
