/*
 * out.c - table, JSON and CSV writers. Tables are buffered per section so
 * that columns can be aligned; JSON and CSV stream.
 */
#define _GNU_SOURCE /* fwrite_unlocked, putc_unlocked */
#include "out.h"

#include "out_table.h"
#include "term.h"
#include "common/mem.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef enum sect { SECT_NONE, SECT_ROWS, SECT_KV } sect;

struct out {
    FILE *f;
    out_format fmt;
    int multi, nsections, nrows;
    sect kind;
    int ncols;
    char **cols;
    char ***rows; /* table mode: buffered cells */
    int *row_num; /* table mode: column is numeric (right-aligned) */
    size_t nbuf, abuf;
    int width, color; /* tables: the width to fit (0: none), colour on */
    char *title;      /* table mode: the current section's */
    char dropped[256]; /* columns left out to fit the width */
};

int out_choice(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

int out_parse_format(const char *s, out_format *f)
{
    static const char *const names[] = {"table", "json", "csv"}; /* out_format's order */
    int i = out_choice(s, names, 3);
    if (i < 0)
        return -1;
    *f = (out_format)i;
    return 0;
}

out_format out_default_format(FILE *f)
{
    return isatty(fileno(f)) ? OUT_TABLE : OUT_JSON;
}

/* How many bytes at s are one printable character: 1 for printable ASCII,
 * 2 to 4 for a UTF-8 sequence; 0 for a control character (C0, DEL, and the
 * C1 controls U+0080..U+009F, which can drive a terminal too) or a byte
 * that is not valid UTF-8. */
static size_t printable_len(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return c >= 0x20 && c != 0x7f;
    size_t n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xc2 && c <= 0xdf ? 2 : 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    if (n == 2 && c == 0xc2 && s[1] < 0xa0)
        return 0;
    return n;
}

/* With html, the characters put_text writes as entities. */
static const char *entity(unsigned char c)
{
    return c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '"' ? "&quot;"
         : c == '\'' ? "&#39;" : NULL;
}

/* The bytes at s that put_text writes as they are, up to the first it
 * does not (or the end). */
static size_t plain_run(const unsigned char *s, int html)
{
    size_t i = 0, n;
    while (s[i] && (n = printable_len(s + i)) > 0 && !(html && entity(s[i])))
        i += n;
    return i;
}

/* Writes s with what is not printable as \xHH, and with html each of
 * & < > " ' as its entity: each run of plain text in one write, which is
 * what makes a table of 50,000 rows quick to print. */
static void put_text(FILE *f, const char *s, int html)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    for (;;) {
        size_t run = plain_run(p, html);
        if (run)
            fwrite(p, 1, run, f);
        p += run;
        if (!*p)
            break;
        const char *ent = html ? entity(*p) : NULL;
        if (ent)
            fputs(ent, f);
        else
            fprintf(f, "\\x%02x", *p);
        p++;
    }
}

int out_is_safe(const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    return p[plain_run(p, 0)] == '\0';
}

void out_safe(FILE *f, const char *s)
{
    put_text(f, s, 0);
}

void out_html(FILE *f, const char *s)
{
    put_text(f, s, 1);
}

/* Bytes that out_json_str() writes as they are. */
static int json_plain(unsigned char c)
{
    return c >= 0x20 && c != 0x7f && c != '"' && c != '\\' && c != '<';
}

void out_json_str(FILE *f, const char *s)
{
    flockfile(f); /* one lock for the string, not one per run */
    putc_unlocked('"', f);
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    for (;;) {
        const unsigned char *run = p;
        while (json_plain(*p))
            p++;
        if (p > run)
            fwrite_unlocked(run, 1, (size_t)(p - run), f);
        if (!*p)
            break;
        switch (*p) {
        case '"': fwrite_unlocked("\\\"", 1, 2, f); break;
        case '\\': fwrite_unlocked("\\\\", 1, 2, f); break;
        case '\n': fwrite_unlocked("\\n", 1, 2, f); break;
        case '\r': fwrite_unlocked("\\r", 1, 2, f); break;
        case '\t': fwrite_unlocked("\\t", 1, 2, f); break;
        case '<': fwrite_unlocked("\\u003c", 1, 6, f); break; /* safe inside HTML too */
        default: fprintf(f, "\\u%04x", *p); break;
        }
        p++;
    }
    putc_unlocked('"', f);
    funlockfile(f);
}

static void csv_cell(FILE *f, const char *s, int is_num)
{
    if (!s)
        return;
    /* A cell that starts like a formula is run by spreadsheets: defuse it. */
    int formula = !is_num && strchr("=+-@\t\r", s[0]) && s[0];
    int quote = formula || strpbrk(s, ",\"\r\n") != NULL;
    if (!quote) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    if (formula)
        fputc('\'', f);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

out *out_open(FILE *f, out_format fmt, int multi)
{
    out *o = tt_xcalloc(1, sizeof *o);
    o->f = f;
    o->fmt = fmt;
    o->multi = multi;
    if (fmt == OUT_TABLE) {
        o->width = term_width(f);
        o->color = term_color_on(f);
    }
    if (fmt == OUT_JSON && multi)
        fputs("{", f);
    return o;
}

static void free_cols(out *o)
{
    for (int i = 0; i < o->ncols; i++)
        free(o->cols[i]);
    free(o->cols);
    free(o->row_num);
    free(o->title);
    o->title = NULL;
    o->cols = NULL;
    o->row_num = NULL;
    o->ncols = 0;
}

static void flush_table(out *o)
{
    out_table t = {o->title, o->ncols, o->cols, o->row_num, o->rows, o->nbuf};
    out_table_print(o->f, &t, o->width, o->color, o->dropped, sizeof o->dropped);
    for (size_t r = 0; r < o->nbuf; r++) {
        for (int c = 0; c < o->ncols; c++)
            free(o->rows[r][c]);
        free(o->rows[r]);
    }
    free(o->rows);
    o->rows = NULL;
    o->nbuf = o->abuf = 0;
}

static void end_section(out *o)
{
    if (o->kind == SECT_NONE)
        return;
    if (o->fmt == OUT_TABLE && o->kind == SECT_ROWS) {
        if (o->nbuf)
            flush_table(o);
        else
            fputs("(none)\n", o->f);
    } else if (o->fmt == OUT_JSON) {
        fputs(o->kind == SECT_KV ? (o->nrows ? "\n}" : "}") : (o->nrows ? "\n]" : "]"), o->f);
    }
    free_cols(o);
    o->kind = SECT_NONE;
}

static void begin_section(out *o, const char *title, sect kind)
{
    end_section(o);
    if (o->fmt == OUT_JSON) {
        if (o->multi) {
            fputs(o->nsections ? ",\n" : "\n", o->f);
            out_json_str(o->f, title ? title : "rows");
            fputs(": ", o->f);
        }
        fputs(kind == SECT_KV ? "{" : "[", o->f);
    } else {
        if (o->nsections)
            fputc('\n', o->f);
        if (o->multi && title && o->fmt == OUT_TABLE)
            fprintf(o->f, "== %s ==\n", title);
        else if (o->multi && title)
            fprintf(o->f, "# %s\n", title);
    }
    o->nsections++;
    o->nrows = 0;
    o->kind = kind;
}

void out_section(out *o, const char *title, int ncols, const char *const *cols)
{
    begin_section(o, title, SECT_ROWS);
    o->title = title ? tt_xstrdup(title) : NULL;
    o->ncols = ncols;
    o->cols = tt_xcalloc((size_t)ncols, sizeof *o->cols);
    o->row_num = tt_xcalloc((size_t)ncols, sizeof *o->row_num);
    for (int i = 0; i < ncols; i++)
        o->cols[i] = tt_xstrdup(cols[i]);
    if (o->fmt == OUT_CSV) {
        for (int i = 0; i < ncols; i++) {
            csv_cell(o->f, cols[i], 0);
            fputs(i + 1 < ncols ? "," : "\r\n", o->f);
        }
    }
}

void out_kv_section(out *o, const char *title)
{
    begin_section(o, title, SECT_KV);
    if (o->fmt == OUT_CSV)
        fputs("key,value\r\n", o->f);
}

void out_kv(out *o, const char *key, const char *value, int is_num)
{
    if (o->fmt == OUT_JSON) {
        fputs(o->nrows ? ",\n  " : "\n  ", o->f);
        out_json_str(o->f, key);
        fputs(": ", o->f);
        if (!value)
            fputs("null", o->f);
        else if (is_num)
            fputs(value, o->f);
        else
            out_json_str(o->f, value);
    } else if (o->fmt == OUT_CSV) {
        csv_cell(o->f, key, 0);
        fputc(',', o->f);
        csv_cell(o->f, value, is_num);
        fputs("\r\n", o->f);
    } else {
        out_table_kv(o->f, key, value, o->width, o->color);
    }
    o->nrows++;
}

static void json_row(out *o, const char *const *text, const int *is_num)
{
    fputs(o->nrows ? ",\n  {" : "\n  {", o->f);
    for (int i = 0; i < o->ncols; i++) {
        if (i)
            fputs(", ", o->f);
        out_json_str(o->f, o->cols[i]);
        fputs(": ", o->f);
        if (!text[i])
            fputs("null", o->f);
        else if (is_num && is_num[i])
            fputs(text[i], o->f);
        else
            out_json_str(o->f, text[i]);
    }
    fputc('}', o->f);
}

void out_row(out *o, const char *const *text, const int *is_num)
{
    if (o->fmt == OUT_JSON) {
        json_row(o, text, is_num);
    } else if (o->fmt == OUT_CSV) {
        for (int i = 0; i < o->ncols; i++) {
            csv_cell(o->f, text[i], is_num && is_num[i]);
            fputs(i + 1 < o->ncols ? "," : "\r\n", o->f);
        }
    } else {
        if (o->nbuf == o->abuf) {
            o->abuf = o->abuf ? o->abuf * 2 : 64;
            o->rows = tt_xrealloc(o->rows, o->abuf * sizeof *o->rows);
        }
        char **cells = tt_xcalloc((size_t)o->ncols, sizeof *cells);
        for (int i = 0; i < o->ncols; i++) {
            cells[i] = tt_xstrdup(text[i] ? text[i] : "-");
            if (is_num && is_num[i])
                o->row_num[i] = 1;
        }
        o->rows[o->nbuf++] = cells;
    }
    o->nrows++;
}

void out_close(out *o)
{
    if (!o)
        return;
    end_section(o);
    if (o->fmt == OUT_JSON && o->multi)
        fputs("\n}", o->f);
    if (o->fmt == OUT_JSON)
        fputc('\n', o->f);
    fflush(o->f);
    if (o->dropped[0])
        fprintf(stderr, "trailtrim: to fit %d columns, left out %s (--format csv has all)\n",
                o->width, o->dropped);
    free_cols(o);
    free(o);
}
