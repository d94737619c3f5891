/*
 * trust_lint.c - gen_trust_lint (trust.h): a generated trust policy is
 * checked on its own terms before it is written, like every policy
 * trailtrim writes (gen_policy_lint is the permissions' counterpart).
 */
#include "trust.h"
#include "json/jdom.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const json_dom_caps lint_caps = {1u << 20, 32, "more JSON values than a trust policy can hold"};

static int allowed_action(const char *a)
{
    static const char *const ok[] = {"sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML",
                                     "sts:TagSession", "sts:SetSourceIdentity"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        if (strcmp(a, ok[i]) == 0)
            return 1;
    return 0;
}

static int all_strings(const json_dom_node *n)
{
    if (n->t == JSON_DOM_STR)
        return 1;
    if (n->t != JSON_DOM_ARR || !n->nk)
        return 0;
    for (size_t i = 0; i < n->nk; i++)
        if (n->kids[i].t != JSON_DOM_STR)
            return 0;
    return 1;
}

static tt_status lint_principal(const json_dom_node *p, size_t i, tt_error *err)
{
    if (!p || p->t != JSON_DOM_OBJ || !p->nk)
        return tt_fail(err, TT_ERR_FORMAT, "Statement %zu: a Principal object is required", i);
    for (size_t k = 0; k < p->nk; k++) {
        const json_dom_node *v = &p->kids[k];
        if (strcmp(v->key, "AWS") != 0 && strcmp(v->key, "Federated") != 0 && strcmp(v->key, "Service") != 0)
            return tt_fail(err, TT_ERR_FORMAT, "Statement %zu: unknown principal type \"%s\"", i, v->key);
        if (!all_strings(v))
            return tt_fail(err, TT_ERR_FORMAT, "Statement %zu: Principal.%s must be strings", i, v->key);
        for (size_t j = 0; j < (v->t == JSON_DOM_ARR ? v->nk : 1); j++) {
            const char *s = v->t == JSON_DOM_ARR ? v->kids[j].s : v->s;
            if (!s[0] || strchr(s, '*'))
                return tt_fail(err, TT_ERR_FORMAT, "Statement %zu: principal \"%s\" is empty or a wildcard", i, s);
        }
    }
    return TT_OK;
}

/* A Deny statement (kept from a customer's document by `repo`): it can
 * only take away, so a wildcard principal is fine; its actions must still
 * be STS ones, and it needs a principal and an action. */
static tt_status lint_deny(const json_dom_node *s, size_t i, tt_error *err)
{
    for (size_t k = 0; k < s->nk; k++) {
        const char *key = s->kids[k].key;
        if (strcmp(key, "Sid") && strcmp(key, "Effect") && strcmp(key, "Principal") && strcmp(key, "NotPrincipal") &&
            strcmp(key, "Action") && strcmp(key, "NotAction") && strcmp(key, "Condition"))
            return tt_fail(err, TT_ERR_FORMAT, "Statement %zu: element %s has no place in a trust policy", i, key);
    }
    const json_dom_node *p = json_dom_get(s, "Principal"), *np = json_dom_get(s, "NotPrincipal");
    if (!p == !np)
        return tt_fail(err, TT_ERR_FORMAT, "Statement %zu: a Deny needs exactly one of Principal and NotPrincipal", i);
    const json_dom_node *a = json_dom_get(s, "Action"), *na = json_dom_get(s, "NotAction");
    if (!a == !na || !all_strings(a ? a : na))
        return tt_fail(err, TT_ERR_FORMAT, "Statement %zu: a Deny needs Action or NotAction, strings", i);
    a = a ? a : na;
    for (size_t j = 0; j < (a->t == JSON_DOM_ARR ? a->nk : 1); j++) {
        const char *v = a->t == JSON_DOM_ARR ? a->kids[j].s : a->s;
        if (strcmp(v, "*") != 0 && strncasecmp(v, "sts:", 4) != 0)
            return tt_fail(err, TT_ERR_FORMAT, "Statement %zu: action \"%s\" is not one a trust policy grants", i, v);
    }
    const json_dom_node *c = json_dom_get(s, "Condition");
    if (c && (c->t != JSON_DOM_OBJ || !c->nk))
        return tt_fail(err, TT_ERR_FORMAT, "Statement %zu: Condition must be a non-empty object", i);
    return TT_OK;
}

static tt_status lint_statement(const json_dom_node *s, size_t i, tt_error *err)
{
    if (s->t != JSON_DOM_OBJ)
        return tt_fail(err, TT_ERR_FORMAT, "Statement %zu must be an object", i);
    const char *eff = json_dom_get_str(s, "Effect");
    if (eff && strcmp(eff, "Deny") == 0)
        return lint_deny(s, i, err);
    for (size_t k = 0; k < s->nk; k++) {
        const char *key = s->kids[k].key;
        if (strcmp(key, "Sid") && strcmp(key, "Effect") && strcmp(key, "Principal") && strcmp(key, "Action") &&
            strcmp(key, "Condition"))
            return tt_fail(err, TT_ERR_FORMAT, "Statement %zu: element %s has no place in a trust policy", i, key);
    }
    const char *effect = json_dom_get_str(s, "Effect");
    if (!effect || strcmp(effect, "Allow") != 0)
        return tt_fail(err, TT_ERR_FORMAT, "Statement %zu: Effect must be Allow or Deny", i);
    tt_status st = lint_principal(json_dom_get(s, "Principal"), i, err);
    if (st != TT_OK)
        return st;
    const json_dom_node *a = json_dom_get(s, "Action");
    if (!a || !all_strings(a))
        return tt_fail(err, TT_ERR_FORMAT, "Statement %zu: Action must be a string or a list of strings", i);
    for (size_t j = 0; j < (a->t == JSON_DOM_ARR ? a->nk : 1); j++) {
        const char *v = a->t == JSON_DOM_ARR ? a->kids[j].s : a->s;
        if (!allowed_action(v))
            return tt_fail(err, TT_ERR_FORMAT, "Statement %zu: action \"%s\" is not one a trust policy grants", i, v);
    }
    const json_dom_node *c = json_dom_get(s, "Condition");
    if (c && (c->t != JSON_DOM_OBJ || !c->nk))
        return tt_fail(err, TT_ERR_FORMAT, "Statement %zu: Condition must be a non-empty object", i);
    return TT_OK;
}

static int has_allow(const json_dom_node *stmts)
{
    for (size_t i = 0; i < stmts->nk; i++) {
        const char *e = json_dom_get_str(&stmts->kids[i], "Effect");
        if (e && strcmp(e, "Allow") == 0)
            return 1;
    }
    return 0;
}

tt_status gen_trust_lint(const char *json, size_t len, size_t max_chars, tt_error *err)
{
    json_dom_node root;
    tt_error e;
    tt_status st = json_dom_parse(&root, json, len, &lint_caps, &e);
    if (st != TT_OK) {
        json_dom_free(&root);
        return tt_fail(err, st, "not valid JSON: %s", e.msg);
    }
    const char *v = json_dom_get_str(&root, "Version");
    const json_dom_node *stmts = json_dom_get(&root, "Statement");
    size_t chars = gen_policy_iam_size(json, len), cap = max_chars ? max_chars : GEN_TRUST_MAX_CHARS;
    if (root.t != JSON_DOM_OBJ || !v || strcmp(v, "2012-10-17") != 0)
        st = tt_fail(err, TT_ERR_FORMAT, "Version must be 2012-10-17");
    else if (!stmts || stmts->t != JSON_DOM_ARR || !stmts->nk)
        st = tt_fail(err, TT_ERR_FORMAT, "Statement must be a non-empty list");
    else if (!has_allow(stmts))
        st = tt_fail(err, TT_ERR_FORMAT, "Statement has no Allow: no one could assume the role");
    else if (chars > cap)
        st = tt_fail(err, TT_ERR_LIMIT, "%zu characters, over the %zu a trust policy may have", chars, cap);
    for (size_t i = 0; st == TT_OK && stmts && i < stmts->nk; i++)
        st = lint_statement(&stmts->kids[i], i + 1, err);
    json_dom_free(&root);
    return st;
}
