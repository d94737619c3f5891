/*
 * trust_review.c - gen_trust_review_doc (trust_review.h). Each Allow
 * statement that grants an sts:AssumeRole* action is read as principals
 * and conditions; each principal is matched against the assumers of the
 * window; each risky shape becomes a finding.
 */
#include "trust_review.h"
#include "authz.h"

#include "common/mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *gen_trust_sev_name(gen_trust_sev s)
{
    static const char *const names[] = {"info", "low", "medium", "high", "critical"};
    return (unsigned)s <= GEN_SEV_CRITICAL ? names[s] : "?";
}

static void add_finding(gen_trust_review *v, gen_trust_sev sev, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add_finding(gen_trust_review *v, gen_trust_sev sev, const char *what, const char *fmt, ...)
{
    char reason[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    v->f = tt_xrealloc(v->f, (v->n + 1) * sizeof *v->f);
    v->f[v->n++] = (gen_trust_finding){sev, tt_xstrdup(what), tt_xstrdup(reason)};
}

static void add_unseen(gen_trust_review *v, const char *what)
{
    for (size_t i = 0; i < v->nunseen; i++)
        if (strcmp(v->unseen[i], what) == 0)
            return;
    v->unseen = tt_xrealloc(v->unseen, (v->nunseen + 1) * sizeof *v->unseen);
    v->unseen[v->nunseen++] = tt_xstrdup(what);
}

/* ---- reading a statement -------------------------------------------------- */

/* The strings of a string-or-list node into v[0..cap); returns how many. */
static size_t strings(const json_dom_node *n, const char **v, size_t cap)
{
    size_t k = 0;
    if (n && n->t == JSON_DOM_STR && cap)
        v[k++] = n->s;
    for (size_t i = 0; n && n->t == JSON_DOM_ARR && i < n->nk && k < cap; i++)
        if (n->kids[i].t == JSON_DOM_STR)
            v[k++] = n->kids[i].s;
    return k;
}

static int assume_action(const json_dom_node *st)
{
    const char *a[64];
    size_t n = strings(json_dom_get(st, "Action"), a, 64);
    for (size_t i = 0; i < n; i++)
        if (gen_authz_glob(a[i], "sts:AssumeRole") || gen_authz_glob(a[i], "sts:AssumeRoleWithWebIdentity") ||
            gen_authz_glob(a[i], "sts:AssumeRoleWithSAML"))
            return 1;
    return 0;
}

/* The values of condition key (any operator, key compared ignoring case)
 * into v; *like set when an operator is a Like one. */
static size_t cond_values(const json_dom_node *st, const char *key, const char **v, size_t cap, int *like)
{
    const json_dom_node *c = json_dom_get(st, "Condition");
    size_t k = 0;
    *like = 0;
    for (size_t i = 0; c && c->t == JSON_DOM_OBJ && i < c->nk; i++) {
        const json_dom_node *op = &c->kids[i];
        for (size_t j = 0; op->t == JSON_DOM_OBJ && j < op->nk; j++) {
            if (strcasecmp(op->kids[j].key, key) != 0)
                continue;
            *like |= strstr(op->key, "Like") != NULL;
            k += strings(&op->kids[j], v + k, cap - k);
        }
    }
    return k;
}

static int has_cond(const json_dom_node *st, const char *key)
{
    const char *v[4];
    int like;
    return cond_values(st, key, v, 4, &like) > 0;
}

/* ---- matching ------------------------------------------------------------- */

static const gen_trust_assumer *find_assumer(const gen_trust_role *r, gen_trust_kind kind, const char *principal)
{
    for (size_t i = 0; r && i < r->n; i++)
        if (r->as[i].kind == kind && strcmp(r->as[i].principal, principal) == 0)
            return &r->as[i];
    return NULL;
}

/* The account of a trusted AWS value: "123456789012" or an ARN's. */
static int account_of(const char *p, char out[13])
{
    if (strlen(p) == 12 && strspn(p, "0123456789") == 12) {
        memcpy(out, p, 13);
        return 1;
    }
    const char *q = p;
    for (int colons = 0; *q && colons < 4; q++)
        colons += *q == ':';
    if (strncmp(p, "arn:", 4) != 0 || strlen(q) < 12 || q[12] != ':')
        return 0;
    memcpy(out, q, 12);
    out[12] = '\0';
    return 1;
}

static int whole_account(const char *p)
{
    size_t n = strlen(p);
    return (n == 12 && strspn(p, "0123456789") == 12) || (n > 5 && strcmp(p + n - 5, ":root") == 0);
}

static int aws_seen(const gen_trust_role *r, const char *p)
{
    char acct[13];
    int whole = whole_account(p) && account_of(p, acct);
    for (size_t i = 0; r && i < r->n; i++) {
        const gen_trust_assumer *a = &r->as[i];
        if (a->kind != GEN_TRUST_AWS)
            continue;
        if (strcmp(p, "*") == 0 || strcmp(a->principal, p) == 0 || (whole && strcmp(a->account, acct) == 0))
            return 1;
    }
    return 0;
}

static int guarded(const json_dom_node *st)
{
    return has_cond(st, "sts:ExternalId") || has_cond(st, "aws:PrincipalOrgID") ||
           has_cond(st, "aws:PrincipalOrgPaths") || has_cond(st, "aws:PrincipalAccount") ||
           has_cond(st, "aws:PrincipalArn") || has_cond(st, "aws:SourceAccount") || has_cond(st, "aws:SourceArn");
}

static void review_aws(gen_trust_review *v, const json_dom_node *st, const char *p, const char *role_acct,
                       const gen_trust_role *r)
{
    char acct[13];
    if (strcmp(p, "*") == 0 && !guarded(st))
        add_finding(v, GEN_SEV_CRITICAL, "AWS: *", "any AWS principal of any account may assume the role: no "
                                                   "sts:ExternalId, aws:PrincipalOrgID or aws:PrincipalAccount condition");
    else if (whole_account(p) && account_of(p, acct) && strcmp(acct, role_acct) != 0 && !guarded(st))
        add_finding(v, GEN_SEV_MEDIUM, p, "every principal of account %s that its own policies allow may assume "
                                          "the role: no sts:ExternalId or aws:PrincipalOrgID condition", acct);
    if (!aws_seen(r, p)) {
        add_unseen(v, p);
        add_finding(v, GEN_SEV_LOW, p, "trusted, but never seen assuming the role in the window");
    }
}

static void review_subs(gen_trust_review *v, const json_dom_node *st, const char *p, const char *key,
                        const gen_trust_assumer *a)
{
    const char *pat[64];
    int like;
    size_t n = cond_values(st, key, pat, 64, &like);
    for (size_t i = 0; i < n; i++) {
        size_t hits = 0;
        for (size_t k = 0; a && k < a->subs.kept; k++)
            hits += gen_authz_glob(pat[i], a->subs.v[k]) != 0;
        int wild = like && strpbrk(pat[i], "*?") != NULL;
        char what[700];
        snprintf(what, sizeof what, "%.300s %.380s", key, pat[i]);
        if (!hits) {
            add_unseen(v, what);
            add_finding(v, GEN_SEV_LOW, what, "a trusted subject no token matched in the window");
        } else if (wild) {
            add_finding(v, GEN_SEV_MEDIUM, what, "a wildcard wider than what was used: only %zu subject%s assumed "
                                                 "the role (%.300s%s); list them with StringEquals",
                        hits, hits == 1 ? "" : "s", a->subs.v[0], hits > 1 ? ", ..." : "");
        }
    }
    (void)p;
}

static void review_oidc(gen_trust_review *v, const json_dom_node *st, const char *p, const gen_trust_role *r)
{
    const char *iss = gen_trust_issuer(p);
    int github = strcmp(gen_trust_provider_label(p), "GitHub Actions") == 0;
    char sub[600], aud[600];
    snprintf(sub, sizeof sub, "%.580s:sub", iss);
    snprintf(aud, sizeof aud, "%.580s:aud", iss);
    const gen_trust_assumer *a = find_assumer(r, GEN_TRUST_OIDC, p);
    if (!has_cond(st, sub))
        add_finding(v, github ? GEN_SEV_CRITICAL : GEN_SEV_HIGH, p,
                    "%s trusted without a %s condition: any identity it issues tokens for%s may assume the role",
                    gen_trust_provider_label(p), sub, github ? " (any repository on GitHub)" : "");
    else
        review_subs(v, st, p, sub, a);
    if (!has_cond(st, aud))
        add_finding(v, GEN_SEV_MEDIUM, p, "%s trusted without a %s condition: tokens meant for other clients are "
                                          "accepted", gen_trust_provider_label(p), aud);
    if (!a) {
        add_unseen(v, p);
        add_finding(v, GEN_SEV_LOW, p, "trusted, but no token of it assumed the role in the window");
    }
}

static void review_statement(gen_trust_review *v, const json_dom_node *st, const char *role_acct,
                             const gen_trust_role *r)
{
    const char *effect = json_dom_get_str(st, "Effect");
    if (!effect || strcmp(effect, "Allow") != 0 || !assume_action(st))
        return;
    const json_dom_node *pr = json_dom_get(st, "Principal");
    const char *v1[64];
    if (pr && pr->t == JSON_DOM_STR && strcmp(pr->s, "*") == 0) {
        review_aws(v, st, "*", role_acct, r);
        return;
    }
    size_t n = strings(json_dom_get(pr, "AWS"), v1, 64);
    for (size_t i = 0; i < n; i++)
        review_aws(v, st, v1[i], role_acct, r);
    n = strings(json_dom_get(pr, "Federated"), v1, 64);
    for (size_t i = 0; i < n; i++) {
        if (strstr(v1[i], ":saml-provider/")) {
            if (!find_assumer(r, GEN_TRUST_SAML, v1[i])) {
                add_unseen(v, v1[i]);
                add_finding(v, GEN_SEV_LOW, v1[i], "trusted, but no SAML assertion of it assumed the role in the window");
            }
        } else {
            review_oidc(v, st, v1[i], r);
        }
    }
    n = strings(json_dom_get(pr, "Service"), v1, 64);
    for (size_t i = 0; i < n; i++)
        if (!find_assumer(r, GEN_TRUST_SERVICE, v1[i])) {
            add_unseen(v, v1[i]);
            add_finding(v, GEN_SEV_INFO, v1[i], "a trusted service that did not assume the role in the window "
                                                "(services often assume roles without a record in its account)");
        }
}

/* ---- the document ----------------------------------------------------------- */

static const json_dom_caps doc_caps = {1u << 20, 32, "more JSON values than a trust policy can hold"};

tt_status gen_trust_review_doc(const json_dom_node *doc, const char *role_arn, const gen_trust_role *r,
                               const char *not_judged, const char *place, gen_trust_review *out, tt_error *err)
{
    memset(out, 0, sizeof *out);
    json_dom_node decoded;
    memset(&decoded, 0, sizeof decoded);
    char *text = NULL;
    tt_status st = TT_OK;
    if (doc && doc->t == JSON_DOM_STR) {
        size_t len = 0, bad = 0;
        text = json_dom_url_decode(doc->s, &len, &bad);
        tt_error e;
        if (!text)
            st = tt_fail(err, TT_ERR_FORMAT, "%s: a bad %%-escape at character %zu", place, bad);
        else if (json_dom_parse(&decoded, text, len, &doc_caps, &e) != TT_OK)
            st = tt_fail(err, TT_ERR_FORMAT, "%s, the decoded document: %s", place, e.msg);
        doc = &decoded;
    }
    const json_dom_node *stmts = st == TT_OK ? json_dom_get(doc, "Statement") : NULL;
    if (st == TT_OK && (!doc || doc->t != JSON_DOM_OBJ || !stmts))
        st = tt_fail(err, TT_ERR_FORMAT, "%s: a trust policy must be an object with a Statement", place);
    char acct[13] = "";
    account_of(role_arn, acct);
    out->assumptions = r ? r->count : 0;
    if (st == TT_OK && stmts->t == JSON_DOM_OBJ)
        review_statement(out, stmts, acct, r);
    for (size_t i = 0; st == TT_OK && stmts->t == JSON_DOM_ARR && i < stmts->nk; i++)
        review_statement(out, &stmts->kids[i], acct, r);
    if (st == TT_OK && !out->assumptions)
        add_finding(out, not_judged ? GEN_SEV_INFO : GEN_SEV_LOW, role_arn, "no one assumed the role in the window%s%s",
                    not_judged ? "; but no data is not no usage: " : " (check that the window covers its use)",
                    not_judged ? not_judged : "");
    json_dom_free(&decoded);
    free(text);
    return st;
}

void gen_trust_review_free(gen_trust_review *v)
{
    for (size_t i = 0; i < v->n; i++) {
        free(v->f[i].what);
        free(v->f[i].reason);
    }
    for (size_t i = 0; i < v->nunseen; i++)
        free(v->unseen[i]);
    free(v->f);
    free(v->unseen);
    memset(v, 0, sizeof *v);
}

const json_dom_node *gen_trust_doc_of(const json_dom_node *root, const char *arn)
{
    const json_dom_node *rl = json_dom_get(root, "RoleDetailList");
    for (size_t i = 0; rl && rl->t == JSON_DOM_ARR && i < rl->nk; i++) {
        const char *a = json_dom_get_str(&rl->kids[i], "Arn");
        if (a && strcmp(a, arn) == 0)
            return json_dom_get(&rl->kids[i], "AssumeRolePolicyDocument");
    }
    return NULL;
}
