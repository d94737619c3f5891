/*
 * credreport.c - gen_credreport_parse (credreport.h). Columns are found by
 * their header names, so AWS adding columns breaks nothing; the ones the
 * report needs must be there. Quoted fields (RFC 4180) are accepted.
 */
#include "credreport.h"

#include "common/mem.h"
#include "common/ttime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    C_USER, C_ARN, C_CREATED, C_PW, C_PW_USED, C_MFA,
    C_K1_ACTIVE, C_K1_ROT, C_K1_USED, C_K1_REGION, C_K1_SERVICE,
    C_K2_ACTIVE, C_K2_ROT, C_K2_USED, C_K2_REGION, C_K2_SERVICE, C_NCOLS
};

static const char *const col_names[C_NCOLS] = {
    "user", "arn", "user_creation_time", "password_enabled", "password_last_used", "mfa_active",
    "access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date",
    "access_key_1_last_used_region", "access_key_1_last_used_service",
    "access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date",
    "access_key_2_last_used_region", "access_key_2_last_used_service"};

#define MAX_FIELDS 64

typedef struct row {
    char *f[MAX_FIELDS];
    size_t n;
} row;

typedef struct reader {
    const char *p, *end, *name;
    size_t line;
    tt_error *err;
} reader;

static void row_clear(row *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->f[i]);
    r->n = 0;
}

/* One field at r->p; *last set at the end of a line. */
static tt_status read_field(reader *r, row *out, int *last)
{
    char buf[GEN_CRED_MAX_FIELD];
    size_t n = 0;
    int quoted = r->p < r->end && *r->p == '"';
    r->p += quoted;
    while (r->p < r->end) {
        char c = *r->p;
        if (quoted && c == '"' && r->p + 1 < r->end && r->p[1] == '"') {
            r->p++;
        } else if (quoted && c == '"') {
            quoted = 0;
            r->p++;
            continue;
        } else if (!quoted && (c == ',' || c == '\n' || c == '\r')) {
            break;
        }
        if (c == '\0')
            return tt_fail(r->err, TT_ERR_FORMAT, "%s: line %zu: a NUL byte", r->name, r->line);
        if (n + 1 >= sizeof buf)
            return tt_fail(r->err, TT_ERR_LIMIT, "%s: line %zu: a field longer than %d bytes (GEN_CRED_MAX_FIELD)",
                           r->name, r->line, GEN_CRED_MAX_FIELD);
        buf[n++] = c;
        r->p++;
    }
    if (quoted)
        return tt_fail(r->err, TT_ERR_FORMAT, "%s: line %zu: a quoted field is not closed", r->name, r->line);
    if (out->n == MAX_FIELDS)
        return tt_fail(r->err, TT_ERR_FORMAT, "%s: line %zu: more than %d fields", r->name, r->line, MAX_FIELDS);
    out->f[out->n++] = tt_xstrndup(buf, n);
    *last = r->p >= r->end || *r->p != ',';
    if (!*last)
        r->p++;
    return TT_OK;
}

static tt_status read_row(reader *r, row *out)
{
    int last = 0;
    row_clear(out);
    tt_status st = TT_OK;
    while (st == TT_OK && !last)
        st = read_field(r, out, &last);
    if (r->p < r->end && *r->p == '\r')
        r->p++;
    if (r->p < r->end && *r->p == '\n')
        r->p++;
    return st;
}

static tt_status parse_bool(reader *r, const char *v, const char *col, int *out)
{
    if (strcmp(v, "true") == 0)
        *out = 1;
    else if (strcmp(v, "false") == 0 || strcmp(v, "N/A") == 0 || strcmp(v, "not_supported") == 0)
        *out = 0;
    else
        return tt_fail(r->err, TT_ERR_FORMAT, "%s: line %zu: %s must be true or false, not \"%.80s\"", r->name,
                       r->line, col, v);
    return TT_OK;
}

static tt_status parse_time(reader *r, const char *v, const char *col, int64_t *out)
{
    *out = 0;
    if (strcmp(v, "N/A") == 0 || strcmp(v, "no_information") == 0 || strcmp(v, "not_supported") == 0 || !v[0])
        return TT_OK;
    if (tt_time_parse(v, strlen(v), out) != 0)
        return tt_fail(r->err, TT_ERR_FORMAT, "%s: line %zu: %s must be a time like 2026-10-01T12:00:00+00:00, "
                                              "not \"%.80s\"", r->name, r->line, col, v);
    return TT_OK;
}

static tt_status parse_key(reader *r, const row *w, const int *at, int base, gen_cred_key *k)
{
    tt_status st = parse_bool(r, w->f[at[base]], col_names[base], &k->active);
    if (st == TT_OK)
        st = parse_time(r, w->f[at[base + 1]], col_names[base + 1], &k->last_rotated);
    if (st == TT_OK)
        st = parse_time(r, w->f[at[base + 2]], col_names[base + 2], &k->last_used);
    const char *reg = w->f[at[base + 3]], *svc = w->f[at[base + 4]];
    k->last_used_region = tt_xstrdup(strcmp(reg, "N/A") == 0 ? "" : reg);
    k->last_used_service = tt_xstrdup(strcmp(svc, "N/A") == 0 ? "" : svc);
    return st;
}

static tt_status parse_user(reader *r, const row *w, const int *at, gen_cred_user *u)
{
    memset(u, 0, sizeof *u);
    u->line = r->line;
    u->user = tt_xstrdup(w->f[at[C_USER]]);
    u->arn = tt_xstrdup(w->f[at[C_ARN]]);
    if (!u->user[0] || strncmp(u->arn, "arn:", 4) != 0)
        return tt_fail(r->err, TT_ERR_FORMAT, "%s: line %zu: a row needs a user and an arn (\"%.80s\")", r->name,
                       r->line, u->arn);
    tt_status st = parse_time(r, w->f[at[C_CREATED]], col_names[C_CREATED], &u->created);
    if (st == TT_OK)
        st = parse_bool(r, w->f[at[C_PW]], col_names[C_PW], &u->password_enabled);
    if (st == TT_OK)
        st = parse_time(r, w->f[at[C_PW_USED]], col_names[C_PW_USED], &u->password_last_used);
    if (st == TT_OK)
        st = parse_bool(r, w->f[at[C_MFA]], col_names[C_MFA], &u->mfa_active);
    if (st == TT_OK)
        st = parse_key(r, w, at, C_K1_ACTIVE, &u->key[0]);
    if (st == TT_OK)
        st = parse_key(r, w, at, C_K2_ACTIVE, &u->key[1]);
    return st;
}

static tt_status header(reader *r, const row *h, int *at)
{
    for (int c = 0; c < C_NCOLS; c++) {
        at[c] = -1;
        for (size_t i = 0; i < h->n; i++)
            if (strcmp(h->f[i], col_names[c]) == 0)
                at[c] = (int)i;
        if (at[c] < 0)
            return tt_fail(r->err, TT_ERR_FORMAT, "%s: line 1: no column %s: not a credential report "
                                                  "(aws iam get-credential-report)", r->name, col_names[c]);
    }
    return TT_OK;
}

tt_status gen_credreport_parse(const char *csv, size_t len, const char *name, gen_credreport *out, tt_error *err)
{
    reader r = {csv, csv + len, name, 1, err};
    row w = {{0}, 0};
    int at[C_NCOLS];
    memset(out, 0, sizeof *out);
    if (len > GEN_CRED_MAX_BYTES)
        return tt_fail(err, TT_ERR_LIMIT, "%s: over %u bytes (GEN_CRED_MAX_BYTES)", name, GEN_CRED_MAX_BYTES);
    tt_status st = len ? read_row(&r, &w) : tt_fail(err, TT_ERR_FORMAT, "%s: empty: not a credential report", name);
    if (st == TT_OK)
        st = header(&r, &w, at);
    size_t ncols = w.n;
    while (st == TT_OK && r.p < r.end) {
        r.line++;
        st = read_row(&r, &w);
        if (st != TT_OK || (w.n == 1 && !w.f[0][0]))
            continue; /* a blank line */
        if (w.n != ncols)
            st = tt_fail(err, TT_ERR_FORMAT, "%s: line %zu: %zu fields, the header has %zu", name, r.line, w.n, ncols);
        else if (out->n == GEN_CRED_MAX_ROWS)
            st = tt_fail(err, TT_ERR_LIMIT, "%s: more than %d users (GEN_CRED_MAX_ROWS)", name, GEN_CRED_MAX_ROWS);
        if (st != TT_OK)
            break;
        out->users = tt_xrealloc(out->users, (out->n + 1) * sizeof *out->users);
        st = parse_user(&r, &w, at, &out->users[out->n++]);
    }
    row_clear(&w);
    if (st != TT_OK)
        gen_credreport_free(out);
    return st;
}

void gen_credreport_free(gen_credreport *r)
{
    for (size_t i = 0; i < r->n; i++) {
        gen_cred_user *u = &r->users[i];
        free(u->user);
        free(u->arn);
        for (int k = 0; k < 2; k++) {
            free(u->key[k].last_used_service);
            free(u->key[k].last_used_region);
        }
    }
    free(r->users);
    memset(r, 0, sizeof *r);
}
