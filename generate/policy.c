/*
 * policy.c - builds and renders the documents of policy.h. Sizes are
 * computed from the rendered form's fixed parts, so that splitting needs
 * no trial rendering; gen_policy_lint re-counts every document made.
 */
#include "policy.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The cap on one rendered document or output file: far above IAM's limit
 * (10 documents of 6,144 characters plus indentation). */
#define POLICY_RENDER_CAP (4u << 20)

typedef struct pol_stmt {
    char sid[80];
    const gen_action *const *acts; /* into the set's sorted array */
    size_t n;
} pol_stmt;

typedef struct pol_doc {
    pol_stmt *stmts;
    size_t nstmts, astmts;
    size_t size, nacts;
    char *json;
} pol_doc;

struct gen_policy_set {
    const gen_action **acts;
    size_t nacts;
    pol_doc *docs;
    size_t ndocs;
};

/* Characters IAM counts (no whitespace) of the fixed parts we render. */
#define DOC_FIXED "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
#define STMT_FIXED "{\"Sid\":\"\",\"Effect\":\"Allow\",\"Action\":[],\"Resource\":\"*\"}"

static int cmp_action(const void *a, const void *b)
{
    const gen_action *x = *(const gen_action *const *)a, *y = *(const gen_action *const *)b;
    int c = strcmp(x->prefix, y->prefix);
    return c ? c : strcmp(x->name, y->name);
}

/* "AllowEc2InstanceConnect" from "ec2-instance-connect", with "Part2"... */
static void make_sid(char *buf, size_t n, const char *prefix, size_t part)
{
    size_t used = (size_t)snprintf(buf, n, "Allow");
    int up = 1;
    for (const char *p = prefix; *p && used + 1 < n; p++) {
        char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            buf[used++] = (up && c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
            up = 0;
        } else {
            up = 1;
        }
    }
    buf[used] = '\0';
    if (part > 1 && used < n)
        snprintf(buf + used, n - used, "Part%zu", part);
}

static size_t stmt_size(const pol_stmt *s)
{
    size_t z = sizeof STMT_FIXED - 1 + strlen(s->sid);
    for (size_t i = 0; i < s->n; i++)
        z += strlen(s->acts[i]->full) + 2 + (i > 0);
    return z;
}

static pol_doc *new_doc(gen_policy_set *p, size_t *adocs)
{
    if (p->ndocs == *adocs) {
        *adocs = *adocs ? *adocs * 2 : 4;
        p->docs = tt_xrealloc(p->docs, *adocs * sizeof *p->docs);
    }
    pol_doc *d = &p->docs[p->ndocs++];
    memset(d, 0, sizeof *d);
    d->size = sizeof DOC_FIXED - 1;
    return d;
}

static void add_stmt(pol_doc *d, const pol_stmt *s)
{
    if (d->nstmts == d->astmts) {
        d->astmts = d->astmts ? d->astmts * 2 : 8;
        d->stmts = tt_xrealloc(d->stmts, d->astmts * sizeof *d->stmts);
    }
    d->size += stmt_size(s) + (d->nstmts > 0);
    d->nacts += s->n;
    d->stmts[d->nstmts++] = *s;
}

/* How many of a service's actions [0, n) fit in what remains of d. */
static size_t fitting(const pol_doc *d, const pol_stmt *whole, size_t max_chars)
{
    pol_stmt s = *whole;
    size_t base = d->size + (d->nstmts > 0);
    size_t k = 0;
    for (s.n = 1; s.n <= whole->n; s.n++) {
        if (base + stmt_size(&s) > max_chars)
            break;
        k = s.n;
    }
    return k;
}

static void pack(gen_policy_set *p, size_t max_chars)
{
    size_t adocs = 0;
    pol_doc *d = new_doc(p, &adocs);
    for (size_t i = 0; i < p->nacts;) {
        size_t j = i;
        while (j < p->nacts && strcmp(p->acts[j]->prefix, p->acts[i]->prefix) == 0)
            j++;
        size_t part = 1;
        while (i < j) {
            pol_stmt s = {"", &p->acts[i], j - i};
            make_sid(s.sid, sizeof s.sid, s.acts[0]->prefix, part);
            size_t k = fitting(d, &s, max_chars);
            if (k < s.n && d->nstmts > 0) {
                /* Keep a service whole when a fresh document holds it. */
                pol_doc empty = {0};
                empty.size = sizeof DOC_FIXED - 1;
                if (k == 0 || fitting(&empty, &s, max_chars) == s.n) {
                    d = new_doc(p, &adocs);
                    continue;
                }
            }
            if (k == 0) /* one action alone cannot fit: max_chars is absurd */
                k = 1;
            s.n = k;
            add_stmt(d, &s);
            i += k;
            if (i < j) {
                part++;
                d = new_doc(p, &adocs);
            }
        }
    }
}

static void render_json(tt_buf *b, const pol_doc *d, const char *ind)
{
    char line[512];
#define PUT(...)                                                       \
    do {                                                               \
        int w_ = snprintf(line, sizeof line, __VA_ARGS__);             \
        if (w_ > 0)                                                    \
            tt_buf_append(b, line, (size_t)w_ < sizeof line ? (size_t)w_ : sizeof line - 1); \
    } while (0)
    PUT("{\n%s  \"Version\": \"2012-10-17\",\n%s  \"Statement\": [\n", ind, ind);
    for (size_t i = 0; i < d->nstmts; i++) {
        const pol_stmt *s = &d->stmts[i];
        PUT("%s    {\n%s      \"Sid\": \"%s\",\n%s      \"Effect\": \"Allow\",\n%s      \"Action\": [\n", ind, ind,
            s->sid, ind, ind);
        for (size_t k = 0; k < s->n; k++)
            PUT("%s        \"%s\"%s\n", ind, s->acts[k]->full, k + 1 < s->n ? "," : "");
        PUT("%s      ],\n%s      \"Resource\": \"*\"\n%s    }%s\n", ind, ind, ind, i + 1 < d->nstmts ? "," : "");
    }
    PUT("%s  ]\n%s}", ind, ind);
#undef PUT
}

tt_status gen_policy_build(const gen_action *const *acts, size_t n, const gen_policy_opts *opts,
                           gen_policy_set **out, tt_error *err)
{
    *out = NULL;
    size_t max_chars = opts && opts->max_chars ? opts->max_chars : GEN_POLICY_MAX_CHARS;
    size_t max_docs = opts && opts->max_docs ? opts->max_docs : GEN_POLICY_MAX_DOCS;
    if (n == 0)
        return tt_fail(err, TT_ERR_USAGE, "no actions to allow: a policy needs at least one");
    gen_policy_set *p = tt_xcalloc(1, sizeof *p);
    p->acts = tt_xmalloc(n * sizeof *p->acts);
    memcpy(p->acts, acts, n * sizeof *p->acts);
    qsort(p->acts, n, sizeof *p->acts, cmp_action);
    for (size_t i = 0; i < n; i++)
        if (p->nacts == 0 || p->acts[p->nacts - 1] != p->acts[i])
            p->acts[p->nacts++] = p->acts[i];
    pack(p, max_chars);
    if (p->ndocs > max_docs) {
        tt_status st = tt_fail(err, TT_ERR_LIMIT,
                               "%zu actions need %zu managed policies of at most %zu characters; IAM attaches at most %zu to a role or user",
                               p->nacts, p->ndocs, max_chars, max_docs);
        gen_policy_free(p);
        return st;
    }
    for (size_t i = 0; i < p->ndocs; i++) {
        tt_buf b;
        tt_buf_init(&b, POLICY_RENDER_CAP);
        render_json(&b, &p->docs[i], "");
        tt_buf_append(&b, "\n", 1);
        p->docs[i].json = b.data;
    }
    *out = p;
    return TT_OK;
}

void gen_policy_free(gen_policy_set *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->ndocs; i++) {
        free(p->docs[i].stmts);
        free(p->docs[i].json);
    }
    free(p->docs);
    free(p->acts);
    free(p);
}

size_t gen_policy_count(const gen_policy_set *p) { return p->ndocs; }
const char *gen_policy_json(const gen_policy_set *p, size_t i) { return p->docs[i].json; }
size_t gen_policy_size(const gen_policy_set *p, size_t i) { return p->docs[i].size; }
size_t gen_policy_actions(const gen_policy_set *p, size_t i) { return p->docs[i].nacts; }

int gen_format_parse(const char *s, gen_format *f)
{
    if (strcmp(s, "json") == 0)
        *f = GEN_FORMAT_JSON;
    else if (strcmp(s, "terraform") == 0 || strcmp(s, "tf") == 0)
        *f = GEN_FORMAT_TERRAFORM;
    else if (strcmp(s, "cloudformation") == 0 || strcmp(s, "cfn") == 0)
        *f = GEN_FORMAT_CLOUDFORMATION;
    else
        return -1;
    return 0;
}

const char *gen_policy_name(const char *text, char *buf, size_t n)
{
    size_t used = 0;
    for (const char *p = text; *p && used + 1 < n && used < 128; p++) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 strchr("+=,.@_-", c) != NULL;
        buf[used++] = ok ? c : '-';
    }
    if (used == 0 && n > 1)
        buf[used++] = '-';
    buf[used] = '\0';
    return buf;
}

/* Appends s as the inside of a JSON string (also safe in a Terraform
 * quoted string: "${" and "%{" are escaped as "$${" and "%%{"). */
static void put_escaped(tt_buf *b, const char *s, int terraform)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char e[8];
        if (*p == '"' || *p == '\\') {
            e[0] = '\\';
            e[1] = (char)*p;
            tt_buf_append(b, e, 2);
        } else if (*p < 0x20 || *p == 0x7f) {
            int w = snprintf(e, sizeof e, "\\u%04x", *p);
            tt_buf_append(b, e, (size_t)w);
        } else if (terraform && (*p == '$' || *p == '%') && p[1] == '{') {
            tt_buf_append(b, p, 1);
            tt_buf_append(b, p, 1);
        } else {
            tt_buf_append(b, p, 1);
        }
    }
}

static void puts_buf(tt_buf *b, const char *s) { tt_buf_append(b, s, strlen(s)); }

void gen_json_put_str(tt_buf *b, const char *s)
{
    tt_buf_append(b, "\"", 1);
    put_escaped(b, s, 0);
    tt_buf_append(b, "\"", 1);
}

static void render_terraform(const gen_policy_set *p, const char *name, const char *desc, tt_buf *b)
{
    char nm[160];
    gen_policy_name(name, nm, sizeof nm);
    for (size_t i = 0; i < p->ndocs; i++) {
        char res[220], full[200];
        snprintf(full, sizeof full, p->ndocs > 1 ? "%s-%zu" : "%s", nm, i + 1);
        /* A Terraform identifier: letters, digits, _ and -, not leading digit. */
        snprintf(res, sizeof res, "%s%s", (full[0] >= '0' && full[0] <= '9') || full[0] == '-' ? "p_" : "", full);
        for (char *c = res; *c; c++)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-'))
                *c = '_';
        puts_buf(b, i ? "\n" : "");
        puts_buf(b, "resource \"aws_iam_policy\" \"");
        puts_buf(b, res);
        puts_buf(b, "\" {\n  name        = \"");
        put_escaped(b, full, 1);
        puts_buf(b, "\"\n  description = \"");
        put_escaped(b, desc, 1);
        puts_buf(b, "\"\n  policy      = <<-EOT\n    ");
        /* The heredoc holds only catalog action names, Sids and fixed
         * text: no "${", "%{" or EOT line can occur in it. */
        render_json(b, &p->docs[i], "    ");
        puts_buf(b, "\n  EOT\n}\n");
    }
}

static void render_cloudformation(const gen_policy_set *p, const char *name, const char *desc, tt_buf *b)
{
    char nm[160];
    gen_policy_name(name, nm, sizeof nm);
    puts_buf(b, "{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Description\": \"");
    put_escaped(b, desc, 0);
    puts_buf(b, "\",\n  \"Resources\": {\n");
    for (size_t i = 0; i < p->ndocs; i++) {
        char full[200], line[400];
        snprintf(full, sizeof full, p->ndocs > 1 ? "%s-%zu" : "%s", nm, i + 1);
        snprintf(line, sizeof line, "    \"TrailtrimPolicy%zu\": {\n      \"Type\": \"AWS::IAM::ManagedPolicy\",\n"
                 "      \"Properties\": {\n        \"ManagedPolicyName\": \"", i + 1);
        puts_buf(b, line);
        put_escaped(b, full, 0);
        puts_buf(b, "\",\n        \"Description\": \"");
        put_escaped(b, desc, 0);
        puts_buf(b, "\",\n        \"PolicyDocument\": ");
        render_json(b, &p->docs[i], "        ");
        puts_buf(b, i + 1 < p->ndocs ? "\n      }\n    },\n" : "\n      }\n    }\n");
    }
    puts_buf(b, "  }\n}\n");
}

tt_status gen_policy_render(const gen_policy_set *p, gen_format f, size_t i, const char *name,
                            const char *description, tt_buf *out, tt_error *err)
{
    size_t before = out->len;
    if (f == GEN_FORMAT_JSON) {
        if (i >= p->ndocs)
            return tt_fail(err, TT_ERR_USAGE, "no policy document %zu", i + 1);
        puts_buf(out, p->docs[i].json);
    } else if (f == GEN_FORMAT_TERRAFORM) {
        render_terraform(p, name, description, out);
    } else {
        render_cloudformation(p, name, description, out);
    }
    if (out->len == before || (out->data && out->len >= out->cap))
        return tt_fail(err, TT_ERR_LIMIT, "rendered policy over %zu bytes", out->cap);
    return TT_OK;
}
