/*
 * trust_policy.c - gen_trust_policy and gen_trust_render (trust.h): the
 * tightened trust document of one role, and its Terraform and
 * CloudFormation forms. Conditions are written only from what every
 * assumption showed: an external ID on each call becomes sts:ExternalId
 * with the values seen, MFA on each call aws:MultiFactorAuthPresent, the
 * session tags aws:TagKeys; OIDC and SAML providers get their exact sub,
 * aud and SAML:aud values.
 */
#include "trust.h"

#include "common/ttime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ACT_ASSUME = 1, ACT_SOURCE = 2, ACT_TAG = 4, ACT_WEB = 8, ACT_SAML = 16 };

#define MAX_CONDS 4

typedef struct cond {
    const char *op;
    char key[GEN_TRUST_FIELD + 16];
    const gen_trust_set *values;
    const char *literal; /* instead of values: one fixed value */
} cond;

/* One statement being written: its principals are assumers [0..n) that
 * share the same signature. */
typedef struct stmt {
    const char *pkey; /* "AWS", "Federated", "Service" */
    const gen_trust_assumer **who;
    size_t n;
    int acts;
    cond conds[MAX_CONDS];
    size_t nconds;
} stmt;

static void put(tt_buf *b, const char *s)
{
    tt_buf_append(b, s, strlen(s));
}

static void put_values(tt_buf *b, const char *const *v, size_t n)
{
    put(b, "[");
    for (size_t i = 0; i < n; i++) {
        put(b, i ? ", " : "");
        gen_json_put_str(b, v[i]);
    }
    put(b, "]");
}

static int overflowed(const stmt *s, const char **what)
{
    for (size_t i = 0; i < s->nconds; i++)
        if (s->conds[i].values && s->conds[i].values->over) {
            *what = s->conds[i].key;
            return 1;
        }
    return 0;
}

static void put_actions(tt_buf *b, int acts)
{
    static const struct { int bit; const char *name; } names[] = {
        {ACT_ASSUME, "sts:AssumeRole"}, {ACT_SAML, "sts:AssumeRoleWithSAML"},
        {ACT_WEB, "sts:AssumeRoleWithWebIdentity"}, {ACT_SOURCE, "sts:SetSourceIdentity"},
        {ACT_TAG, "sts:TagSession"}};
    const char *v[5];
    size_t n = 0;
    for (size_t i = 0; i < 5; i++)
        if (acts & names[i].bit)
            v[n++] = names[i].name;
    put_values(b, v, n);
}

/* Conditions grouped by operator, keys in the order added. */
static void put_conditions(tt_buf *b, const stmt *s)
{
    const char *ops[MAX_CONDS];
    size_t nops = 0;
    for (size_t i = 0; i < s->nconds; i++) {
        size_t k = 0;
        while (k < nops && strcmp(ops[k], s->conds[i].op) != 0)
            k++;
        if (k == nops)
            ops[nops++] = s->conds[i].op;
    }
    put(b, ",\n      \"Condition\": {");
    for (size_t k = 0; k < nops; k++) {
        put(b, k ? ",\n        " : "\n        ");
        gen_json_put_str(b, ops[k]);
        put(b, ": {");
        int first = 1;
        for (size_t i = 0; i < s->nconds; i++) {
            const cond *c = &s->conds[i];
            if (strcmp(c->op, ops[k]) != 0)
                continue;
            put(b, first ? "\n          " : ",\n          ");
            first = 0;
            gen_json_put_str(b, c->key);
            put(b, ": ");
            if (c->literal)
                gen_json_put_str(b, c->literal);
            else
                put_values(b, (const char *const *)c->values->v, c->values->kept);
        }
        put(b, "\n        }");
    }
    put(b, "\n      }");
}

static void put_stmt(tt_buf *b, const stmt *s, const char *sid, int last)
{
    put(b, "    {\n      \"Sid\": ");
    gen_json_put_str(b, sid);
    put(b, ",\n      \"Effect\": \"Allow\",\n      \"Principal\": {");
    gen_json_put_str(b, s->pkey);
    put(b, ": ");
    const char **v = tt_xcalloc(s->n ? s->n : 1, sizeof *v);
    for (size_t i = 0; i < s->n; i++)
        v[i] = s->who[i]->principal;
    put_values(b, v, s->n);
    free(v);
    put(b, "},\n      \"Action\": ");
    put_actions(b, s->acts);
    if (s->nconds)
        put_conditions(b, s);
    put(b, last ? "\n    }\n" : "\n    },\n");
}

static void add_cond(stmt *s, const char *op, const char *key, const gen_trust_set *values, const char *literal)
{
    if (s->nconds == MAX_CONDS)
        return;
    cond *c = &s->conds[s->nconds++];
    c->op = op;
    snprintf(c->key, sizeof c->key, "%.520s", key);
    c->values = values;
    c->literal = literal;
}

/* The statement an AWS assumer would need on its own. */
static void aws_stmt(const gen_trust_assumer *a, stmt *s)
{
    memset(s, 0, sizeof *s);
    s->pkey = "AWS";
    s->acts = ACT_ASSUME | (a->with_source_identity ? ACT_SOURCE : 0) | (a->with_tags ? ACT_TAG : 0);
    if (a->with_external_id == a->count && a->external_ids.kept)
        add_cond(s, "StringEquals", "sts:ExternalId", &a->external_ids, NULL);
    if (a->mfa_yes == a->count)
        add_cond(s, "Bool", "aws:MultiFactorAuthPresent", NULL, "true");
    if (a->with_tags && a->tag_keys.kept)
        add_cond(s, "ForAllValues:StringEquals", "aws:TagKeys", &a->tag_keys, NULL);
}

static int same_set(const gen_trust_set *a, const gen_trust_set *b)
{
    if (!a || !b)
        return a == b;
    if (a->kept != b->kept)
        return 0;
    for (size_t i = 0; i < a->kept; i++)
        if (strcmp(a->v[i], b->v[i]) != 0)
            return 0;
    return 1;
}

/* Whether two AWS statements have the same actions and conditions. */
static int same_shape(const stmt *x, const stmt *y)
{
    if (x->acts != y->acts || x->nconds != y->nconds)
        return 0;
    for (size_t i = 0; i < x->nconds; i++)
        if (strcmp(x->conds[i].key, y->conds[i].key) != 0 || x->conds[i].literal != y->conds[i].literal ||
            !same_set(x->conds[i].values, y->conds[i].values))
            return 0;
    return 1;
}

static void provider_stmt(const gen_trust_assumer *a, stmt *s, char keys[2][GEN_TRUST_FIELD + 16])
{
    memset(s, 0, sizeof *s);
    s->pkey = "Federated";
    s->acts = a->kind == GEN_TRUST_OIDC ? ACT_WEB : ACT_SAML;
    if (a->kind == GEN_TRUST_SAML) {
        if (a->auds.kept)
            add_cond(s, "StringEquals", "SAML:aud", &a->auds, NULL);
        return;
    }
    const char *iss = gen_trust_issuer(a->principal);
    snprintf(keys[0], GEN_TRUST_FIELD + 16, "%.511s:aud", iss);
    snprintf(keys[1], GEN_TRUST_FIELD + 16, "%.511s:sub", iss);
    if (a->auds.kept)
        add_cond(s, "StringEquals", keys[0], &a->auds, NULL);
    if (a->subs.kept)
        add_cond(s, "StringEquals", keys[1], &a->subs, NULL);
}

/* Collects the statements of r into st (capacity r->n + 1). */
static size_t plan(const gen_trust_role *r, stmt *st, const gen_trust_assumer **who)
{
    size_t ns = 0, nw = 0;
    stmt one;
    char keys[2][GEN_TRUST_FIELD + 16];
    for (size_t i = 0; i < r->n; i++) {
        const gen_trust_assumer *a = &r->as[i];
        if (a->kind != GEN_TRUST_AWS)
            continue;
        aws_stmt(a, &one);
        size_t k = 0;
        while (k < ns && !same_shape(&st[k], &one))
            k++;
        if (k == ns) {
            st[ns] = one;
            st[ns++].who = NULL;
        }
    }
    /* Principals in order, each statement's a contiguous run of who[]. */
    for (size_t k = 0; k < ns; k++) {
        st[k].who = &who[nw];
        for (size_t i = 0; i < r->n; i++) {
            if (r->as[i].kind != GEN_TRUST_AWS)
                continue;
            aws_stmt(&r->as[i], &one);
            if (same_shape(&one, &st[k]))
                who[nw++] = &r->as[i], st[k].n++;
        }
    }
    for (size_t i = 0; i < r->n; i++) {
        const gen_trust_assumer *a = &r->as[i];
        if (a->kind != GEN_TRUST_OIDC && a->kind != GEN_TRUST_SAML)
            continue;
        provider_stmt(a, &st[ns], keys);
        /* the keys live in cond.key (copied), not in keys[] */
        st[ns].who = &who[nw];
        who[nw++] = a;
        st[ns++].n = 1;
    }
    stmt svc = {.pkey = "Service", .acts = ACT_ASSUME};
    svc.who = &who[nw];
    for (size_t i = 0; i < r->n; i++)
        if (r->as[i].kind == GEN_TRUST_SERVICE) {
            who[nw++] = &r->as[i];
            svc.n++;
            svc.acts |= r->as[i].with_tags ? ACT_TAG : 0;
        }
    if (svc.n)
        st[ns++] = svc;
    return ns;
}

static const char *sid_prefix(const stmt *s)
{
    if (strcmp(s->pkey, "AWS") == 0)
        return "TrustAws";
    if (strcmp(s->pkey, "Service") == 0)
        return "TrustServices";
    return s->acts & ACT_WEB ? "TrustOidc" : "TrustSaml";
}

tt_status gen_trust_policy(const gen_trust_role *r, tt_buf *out, tt_error *err)
{
    if (!r->n)
        return tt_fail(err, TT_ERR_NOTFOUND, "%s: no one assumed it: no trust policy to write", r->arn);
    stmt *st = tt_xcalloc(r->n + 1, sizeof *st);
    const gen_trust_assumer **who = tt_xcalloc(r->n + 1, sizeof *who);
    size_t ns = plan(r, st, who);
    tt_status rc = TT_OK;
    const char *what = NULL;
    for (size_t i = 0; i < ns && rc == TT_OK; i++)
        if (overflowed(&st[i], &what))
            rc = tt_fail(err, TT_ERR_LIMIT, "%s: more than %d distinct values of %s: too many to list in a condition",
                         r->arn, GEN_TRUST_MAX_VALUES, what);
    size_t before = out->len;
    if (rc == TT_OK) {
        put(out, "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n");
        int counter[3] = {0, 0, 0};
        for (size_t i = 0; i < ns; i++) {
            const char *pre = sid_prefix(&st[i]);
            int *c = &counter[pre[5] == 'A' ? 0 : pre[5] == 'O' ? 1 : 2];
            char sid[40];
            if (strcmp(pre, "TrustServices") == 0)
                snprintf(sid, sizeof sid, "%s", pre);
            else
                snprintf(sid, sizeof sid, "%s%d", pre, ++*c);
            put_stmt(out, &st[i], sid, i + 1 == ns);
        }
        put(out, "  ]\n}\n");
        if (out->data && out->len >= out->cap)
            rc = tt_fail(err, TT_ERR_LIMIT, "%s: the trust policy is over %zu bytes", r->arn, out->cap);
    }
    if (rc == TT_OK) {
        size_t chars = gen_policy_iam_size(out->data + before, out->len - before);
        if (chars > GEN_TRUST_MAX_CHARS)
            rc = tt_fail(err, TT_ERR_LIMIT, "%s: the trust policy has %zu characters, over IAM's %d", r->arn, chars,
                         GEN_TRUST_MAX_CHARS);
    }
    free(st);
    free(who);
    return rc;
}

/* ---- Terraform and CloudFormation ---------------------------------------- */

/* json with each line indented, and "${" / "%{" escaped for a heredoc. */
static void put_indented(tt_buf *b, const char *json, const char *ind, int terraform)
{
    const char *p = json;
    int at_start = 0;
    for (; *p; p++) {
        if (at_start && *p != '\n')
            put(b, ind);
        at_start = 0;
        if (terraform && (*p == '$' || *p == '%') && p[1] == '{')
            tt_buf_append(b, p, 1);
        if (*p == '\n' && p[1] == '\0')
            break;
        tt_buf_append(b, p, 1);
        at_start = *p == '\n';
    }
}

static void put_tf_ident(tt_buf *b, const char *name)
{
    if ((name[0] >= '0' && name[0] <= '9') || name[0] == '-' || !name[0])
        put(b, "r_");
    for (const char *c = name; *c; c++) {
        char ch = *c;
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-';
        tt_buf_append(b, ok ? &ch : "_", 1);
    }
}

tt_status gen_trust_render(const char *json, gen_format f, const char *role_name, const char *description,
                           tt_buf *out, tt_error *err)
{
    char nm[160];
    gen_policy_name(role_name, nm, sizeof nm);
    size_t before = out->len;
    if (f == GEN_FORMAT_JSON) {
        put(out, json);
    } else if (f == GEN_FORMAT_TERRAFORM) {
        put(out, "resource \"aws_iam_role\" \"");
        put_tf_ident(out, nm);
        put(out, "\" {\n  name        = ");
        gen_json_put_str(out, nm);
        put(out, "\n  description = ");
        tt_buf d;
        tt_buf_init(&d, 4096);
        put_indented(&d, description, "", 1);
        gen_json_put_str(out, d.data ? d.data : "");
        tt_buf_free(&d);
        put(out, "\n  assume_role_policy = <<-EOT\n    ");
        put_indented(out, json, "    ", 1);
        put(out, "\n  EOT\n}\n");
    } else {
        put(out, "{\n  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n  \"Description\": ");
        gen_json_put_str(out, description);
        put(out, ",\n  \"Resources\": {\n    \"TrailtrimRole\": {\n      \"Type\": \"AWS::IAM::Role\",\n"
                 "      \"Properties\": {\n        \"RoleName\": ");
        gen_json_put_str(out, nm);
        put(out, ",\n        \"AssumeRolePolicyDocument\": ");
        put_indented(out, json, "        ", 0);
        put(out, "\n      }\n    }\n  }\n}\n");
    }
    if (out->len == before || (out->data && out->len >= out->cap))
        return tt_fail(err, TT_ERR_LIMIT, "the rendered trust policy is over %zu bytes", out->cap);
    return TT_OK;
}

tt_status gen_trust_document(const gen_trust_role *r, gen_format fmt, int32_t from_day, int32_t to_day, tt_buf *out,
                             int *over_default, tt_error *err)
{
    tt_buf doc;
    tt_buf_init(&doc, out->cap);
    *over_default = 0;
    tt_status st = gen_trust_policy(r, &doc, err);
    if (st == TT_OK && gen_trust_lint(doc.data, doc.len, 0, err) != TT_OK) {
        char why[TT_ERRMSG_MAX];
        snprintf(why, sizeof why, "%s", err->msg);
        st = tt_fail(err, TT_ERR_FORMAT, "internal error: the trust policy of %s fails the lint: %s", r->arn, why);
    }
    if (st == TT_OK)
        *over_default = gen_policy_iam_size(doc.data, doc.len) > GEN_TRUST_DEFAULT_CHARS;
    char from[11], to[11], desc[2400];
    tt_day_format(from_day, from);
    tt_day_format(to_day, to);
    snprintf(desc, sizeof desc, "Who assumed %s from %s to %s (trailtrim)", r->arn, from, to);
    if (st == TT_OK)
        st = gen_trust_render(doc.data, fmt, r->name, desc, out, err);
    tt_buf_free(&doc);
    return st;
}
