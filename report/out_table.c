/*
 * out_table.c - the table layout of out.c. At no width limit a table is what
 * it always was: every column at its widest cell. Fitted to a width W, in
 * this order: columns that cannot be cut (numbers, short cells) keep their
 * width and the others are narrowed from the widest down, cut in the middle;
 * if even that does not fit, low-value columns (a fixed list of names) are
 * left out; if it still does not fit, each row becomes a block of
 * "column  value" lines, long values wrapped at spaces or cut.
 */
#define _POSIX_C_SOURCE 200809L
#include "out_table.h"

#include "out.h"
#include "term.h"
#include "common/mem.h"

#include <stdlib.h>
#include <string.h>

#define ELLIPSIS "\xe2\x80\xa6" /* U+2026, one column */
#define SEP 2                   /* spaces between columns */
#define FIXED_MAX 20            /* cells no longer than this are never cut */
#define SHRINK_MIN 16           /* a cut column keeps at least this */
#define ARN_MIN 32              /* and one of ARNs this: both ends readable */
#define KV_KEY 22               /* out_kv's key column */

/* Left out first when a table does not fit, lowest value first. */
static const char *const low_value[] = {
    "user_agent", "user_agents", "newest_agent", "reference", "report_slot", "minted", "via_service",
    "first_used", "first_seen", "made_at", "depth", "type", "identity_type", "account", "in_catalog",
    "principal_status", "conditional", "resource_scoped", "last_rotated", "not_observable", "kept", "granted",
    NULL};

typedef struct col {
    size_t nat, min, w;
    int fixed, on;
} col;

/* Code points in the first n bytes of s (display columns: s is safe). */
static size_t cps_n(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n && s[i]; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80)
            k++;
    return k;
}

static size_t cps(const char *s)
{
    return cps_n(s, (size_t)-1);
}

/* The byte offset of code point k of s (strlen(s) past the end). */
static size_t cp_off(const char *s, size_t k)
{
    size_t i = 0;
    for (; s[i]; i++)
        if (((unsigned char)s[i] & 0xc0) != 0x80 && k-- == 0)
            break;
    return i;
}

/* For an ARN: the code points through its fourth colon ("arn:aws:iam::"),
 * and the byte offset of its fifth (where the resource starts). */
static int arn_parts(const char *s, size_t *prefix_cps, size_t *res_off)
{
    if (strncmp(s, "arn:", 4) != 0)
        return -1;
    const char *p = s;
    for (int i = 0; i < 5; i++) {
        p = strchr(p, ':');
        if (!p)
            return -1;
        if (i == 3)
            *prefix_cps = cps_n(s, (size_t)(p - s) + 1);
        p += i < 4;
    }
    *res_off = (size_t)(p - s);
    return 0;
}

char *out_fit_middle(const char *s, size_t width)
{
    size_t len = cps(s);
    if (len <= width)
        return tt_xstrdup(s);
    if (width == 0)
        return tt_xstrdup("");
    size_t avail = width - 1, head, tail, pre = 0, res = 0;
    if (arn_parts(s, &pre, &res) == 0) {
        size_t res_cps = len - cps_n(s, res);
        size_t head_min = pre + 4 < avail / 3 ? pre + 4 : avail / 3;
        tail = res_cps <= avail - head_min ? res_cps : avail - head_min;
        head = avail - tail;
    } else if (strchr(s, ' ')) {
        head = avail; /* words: the start says what it is */
        tail = 0;
    } else {
        head = (avail + 1) / 2;
        tail = avail - head;
    }
    size_t h = cp_off(s, head), t = cp_off(s, len - tail), n = strlen(s);
    char *r = tt_xmalloc(h + sizeof ELLIPSIS + (n - t));
    memcpy(r, s, h);
    memcpy(r + h, ELLIPSIS, sizeof ELLIPSIS - 1);
    memcpy(r + h + sizeof ELLIPSIS - 1, s + t, n - t + 1);
    return r;
}

/* s with control characters and bad bytes shown as \xHH (out_safe). */
static char *safe_dup(const char *s)
{
    if (out_is_safe(s))
        return tt_xstrdup(s ? s : "");
    char *buf = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&buf, &n);
    if (!m)
        return tt_xstrdup("?"); /* only when out of memory; tt_xstrdup says so */
    out_safe(m, s);
    fclose(m);
    return buf ? buf : tt_xstrdup("");
}

static void put_styled(FILE *f, const char *s, term_style st, int color)
{
    if (color && st != TERM_PLAIN)
        fprintf(f, "%s%s" TERM_SGR_RESET, term_sgr(st), s);
    else
        fputs(s, f);
}

/* Writes s (safe) in lines of at most w columns: broken at a space when one
 * is in reach, else cut; lines after the first indented by indent. */
static void put_wrapped(FILE *f, const char *s, size_t w, size_t indent, term_style st, int color)
{
    int first = 1;
    while (*s) {
        size_t len = cps(s), take = len <= w ? len : w, off = cp_off(s, take);
        if (take < len) {
            size_t sp = off;
            while (sp > 0 && s[sp] != ' ')
                sp--;
            if (sp > 0)
                off = sp;
        }
        if (!first)
            fprintf(f, "\n%*s", (int)indent, "");
        char *line = tt_xmalloc(off + 1);
        memcpy(line, s, off);
        line[off] = '\0';
        put_styled(f, line, st, color);
        free(line);
        s += off;
        while (*s == ' ')
            s++;
        first = 0;
    }
}

/* A value of w columns at most: wrapped when it has spaces, else cut. */
static void put_value(FILE *f, const char *s, size_t w, size_t indent, term_style st, int color)
{
    if (w == 0 || cps(s) <= w) {
        put_styled(f, s, st, color);
    } else if (strchr(s, ' ')) {
        put_wrapped(f, s, w, indent, st, color);
    } else {
        char *cut = out_fit_middle(s, w);
        put_styled(f, cut, st, color);
        free(cut);
    }
}

static size_t need(const col *c, int n)
{
    size_t sum = 0;
    int on = 0;
    for (int i = 0; i < n; i++)
        if (c[i].on) {
            sum += c[i].fixed ? c[i].nat : c[i].min;
            on++;
        }
    return sum + (on > 1 ? (size_t)(on - 1) * SEP : 0);
}

static size_t total(const col *c, int n)
{
    size_t sum = 0;
    int on = 0;
    for (int i = 0; i < n; i++)
        if (c[i].on) {
            sum += c[i].w;
            on++;
        }
    return sum + (on > 1 ? (size_t)(on - 1) * SEP : 0);
}

static void note_dropped(char *dropped, size_t n, const char *name)
{
    size_t len = strlen(name), have = strlen(dropped);
    for (const char *p = dropped; (p = strstr(p, name)) != NULL; p += len)
        if ((p == dropped || p[-1] == ' ') && (p[len] == ',' || p[len] == '\0'))
            return;
    snprintf(dropped + have, n - have, "%s%s", have ? ", " : "", name);
}

/* Chooses each column's width for width W; 0 when no table fits. */
static int plan(col *c, const out_table *t, size_t W, char *dropped, size_t n)
{
    for (int k = 0; low_value[k] && need(c, t->ncols) > W; k++)
        for (int i = 1; i < t->ncols; i++)
            if (c[i].on && strcmp(t->cols[i], low_value[k]) == 0)
                c[i].on = 0;
    if (need(c, t->ncols) > W)
        return 0;
    for (int i = 0; i < t->ncols; i++)
        if (!c[i].on)
            note_dropped(dropped, n, t->cols[i]);
    /* Narrow the widest cuttable column, one column at a time. */
    while (total(c, t->ncols) > W) {
        int wide = -1;
        for (int i = 0; i < t->ncols; i++)
            if (c[i].on && !c[i].fixed && c[i].w > c[i].min && (wide < 0 || c[i].w >= c[wide].w))
                wide = i;
        if (wide < 0)
            return 0;
        c[wide].w--;
    }
    return 1;
}

static void print_records(FILE *f, const out_table *t, char ***safe, size_t W, int color)
{
    size_t lw = 0;
    for (int i = 0; i < t->ncols; i++)
        if (cps(safe[0][i]) > lw)
            lw = cps(safe[0][i]);
    size_t vw = W > lw + SEP + 10 ? W - lw - SEP : 10;
    for (size_t r = 1; r <= t->nrows; r++) {
        if (r > 1)
            fputc('\n', f);
        for (int i = 0; i < t->ncols; i++) {
            const char *v = safe[r][i];
            if (i > 0 && (strcmp(v, "-") == 0 || !*v))
                continue; /* a block shows what a row has */
            fprintf(f, "%-*s", (int)(lw + SEP), safe[0][i]);
            put_value(f, v, vw, lw + SEP, term_cell_style(t->title, t->cols[i], t->rows[r - 1][i]), color);
            fputc('\n', f);
        }
    }
}

static void print_rows(FILE *f, const out_table *t, char ***safe, const col *c, int color)
{
    int last = -1;
    for (int i = 0; i < t->ncols; i++)
        if (c[i].on)
            last = i;
    for (size_t r = 0; r <= t->nrows; r++)
        for (int i = 0; i < t->ncols; i++) {
            if (!c[i].on)
                continue;
            char *cell = safe[r][i];
            char *cut = cps(cell) > c[i].w ? out_fit_middle(cell, c[i].w) : NULL;
            const char *s = cut ? cut : cell;
            size_t pad = c[i].w - cps(s);
            int right = r > 0 && t->num[i];
            term_style st = r > 0 ? term_cell_style(t->title, t->cols[i], t->rows[r - 1][i]) : TERM_PLAIN;
            if (right)
                fprintf(f, "%*s", (int)pad, "");
            put_styled(f, s, st, color);
            if (!right && i != last)
                fprintf(f, "%*s", (int)pad, "");
            fputs(i != last ? "  " : "\n", f);
            free(cut);
        }
}

void out_table_print(FILE *f, const out_table *t, int width, int color, char *dropped, size_t n)
{
    /* safe[0] is the header row, safe[r] the row r - 1. */
    char ***safe = tt_xcalloc(t->nrows + 1, sizeof *safe);
    col *c = tt_xcalloc((size_t)t->ncols, sizeof *c);
    for (size_t r = 0; r <= t->nrows; r++) {
        safe[r] = tt_xcalloc((size_t)t->ncols, sizeof **safe);
        for (int i = 0; i < t->ncols; i++) {
            safe[r][i] = safe_dup(r ? t->rows[r - 1][i] : t->cols[i]);
            size_t w = cps(safe[r][i]);
            if (w > c[i].nat)
                c[i].nat = w;
            if (r && strncmp(safe[r][i], "arn:", 4) == 0)
                c[i].min = ARN_MIN;
        }
    }
    for (int i = 0; i < t->ncols; i++) {
        size_t hdr = cps(safe[0][i]), min = hdr > SHRINK_MIN ? hdr : SHRINK_MIN;
        if (c[i].min > min)
            min = c[i].min; /* ARN_MIN */
        c[i].on = 1;
        c[i].w = c[i].nat;
        c[i].fixed = t->num[i] || c[i].nat <= FIXED_MAX;
        c[i].min = min < c[i].nat ? min : c[i].nat;
    }
    if (width <= 0 || total(c, t->ncols) <= (size_t)width || plan(c, t, (size_t)width, dropped, n))
        print_rows(f, t, safe, c, color);
    else
        print_records(f, t, safe, (size_t)width, color);
    for (size_t r = 0; r <= t->nrows; r++) {
        for (int i = 0; i < t->ncols; i++)
            free(safe[r][i]);
        free(safe[r]);
    }
    free(safe);
    free(c);
}

void out_table_kv(FILE *f, const char *key, const char *value, int width, int color)
{
    char *k = safe_dup(key), *v = safe_dup(value ? value : "-");
    fprintf(f, "%-*s ", KV_KEY, k);
    size_t vw = width > KV_KEY + 1 + 10 ? (size_t)width - KV_KEY - 1 : width > 0 ? 10 : 0;
    put_value(f, v, vw, KV_KEY + 1, value ? term_cell_style(NULL, key, value) : TERM_PLAIN, color);
    fputc('\n', f);
    free(k);
    free(v);
}
