/*
 * repo_lint.c - gen_repo_lint (repo.h): a policy document checked as IAM
 * would take it (its grammar, actions the catalog knows, unique Sids, the
 * size limit), for `repo --lint` and the documents repo writes.
 */
#include "repo_int.h"
#include "authz.h"
#include "policy.h"

#include "common/mem.h"

#include <stdio.h>
#include <string.h>

static tt_status lint_list(const gen_catalog *c, const json_dom_node *n, const char *what, int actions, size_t *unknown,
                           tt_error *err)
{
    if (n->t == JSON_DOM_STR || (n->t == JSON_DOM_ARR && n->nk > 0)) {
        for (size_t i = 0; i < (n->t == JSON_DOM_STR ? 1 : n->nk); i++) {
            const json_dom_node *s = n->t == JSON_DOM_STR ? n : &n->kids[i];
            if (s->t != JSON_DOM_STR)
                return tt_fail(err, TT_ERR_FORMAT, "policy: %s must be strings", what);
            if (!actions || strcmp(s->s, "*") == 0)
                continue;
            const char *colon = strchr(s->s, ':');
            if (!colon || colon == s->s)
                return tt_fail(err, TT_ERR_FORMAT, "policy: \"%.200s\" is not prefix:action", s->s);
            char prefix[128];
            snprintf(prefix, sizeof prefix, "%.*s", (int)(colon - s->s) < 127 ? (int)(colon - s->s) : 127, s->s);
            for (char *q = prefix; *q; q++)
                *q = (char)(*q >= 'A' && *q <= 'Z' ? *q + 32 : *q);
            if (!strpbrk(prefix, "*?") && !gen_catalog_service(c, prefix))
                return tt_fail(err, TT_ERR_FORMAT, "policy: \"%.200s\": no IAM service has the prefix \"%s\"", s->s,
                               prefix);
            int found = 0;
            if (!strpbrk(s->s, "*?"))
                found = gen_catalog_find_full(c, s->s) != NULL;
            for (size_t k = 0; !found && strpbrk(s->s, "*?") && k < gen_catalog_count(c); k++)
                found = gen_authz_glob(s->s, gen_catalog_at(c, k)->full);
            if (!found && unknown)
                (*unknown)++;
        }
        return TT_OK;
    }
    return tt_fail(err, TT_ERR_FORMAT, "policy: %s must be a string or a non-empty array of strings", what);
}

static tt_status lint_statement(const gen_catalog *c, const json_dom_node *st, gen_cimap *sids, size_t *unknown,
                                tt_error *err)
{
    static const char *const known[] = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource",
                                        "Condition", "Principal", "NotPrincipal"};
    if (st->t != JSON_DOM_OBJ || st->nk == 0)
        return tt_fail(err, TT_ERR_FORMAT, "policy: a statement must be a non-empty object");
    for (size_t i = 0; i < st->nk; i++) {
        size_t k = 0;
        while (k < sizeof known / sizeof *known && strcmp(known[k], st->kids[i].key) != 0)
            k++;
        if (k == sizeof known / sizeof *known)
            return tt_fail(err, TT_ERR_FORMAT, "policy: unknown statement element \"%.200s\"", st->kids[i].key);
        for (size_t j = 0; j < i; j++)
            if (strcmp(st->kids[j].key, st->kids[i].key) == 0)
                return tt_fail(err, TT_ERR_FORMAT, "policy: \"%s\" twice in a statement", known[k]);
    }
    const char *effect = json_dom_get_str(st, "Effect");
    if (!effect || (strcmp(effect, "Allow") != 0 && strcmp(effect, "Deny") != 0))
        return tt_fail(err, TT_ERR_FORMAT, "policy: Effect must be Allow or Deny");
    const json_dom_node *sid = json_dom_get(st, "Sid");
    if (sid) {
        if (sid->t != JSON_DOM_STR)
            return tt_fail(err, TT_ERR_FORMAT, "policy: Sid must be a string");
        for (const char *q = sid->s; *q; q++)
            if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9')))
                return tt_fail(err, TT_ERR_FORMAT, "policy: Sid \"%.200s\" is not alphanumeric", sid->s);
        if (sid->s[0] && gen_cimap_put(sids, sid->s, "", (void *)sid) != sid)
            return tt_fail(err, TT_ERR_FORMAT, "policy: Sid \"%.200s\" twice", sid->s);
    }
    const json_dom_node *a = json_dom_get(st, "Action"), *na = json_dom_get(st, "NotAction");
    if (!a == !na)
        return tt_fail(err, TT_ERR_FORMAT, "policy: a statement needs exactly one of Action and NotAction");
    tt_status s = lint_list(c, a ? a : na, a ? "Action" : "NotAction", 1, unknown, err);
    const json_dom_node *res = json_dom_get(st, "Resource"), *nres = json_dom_get(st, "NotResource");
    if (s == TT_OK && !res == !nres)
        s = tt_fail(err, TT_ERR_FORMAT, "policy: a statement needs exactly one of Resource and NotResource");
    if (s == TT_OK)
        s = lint_list(c, res ? res : nres, res ? "Resource" : "NotResource", 0, NULL, err);
    const json_dom_node *cond = json_dom_get(st, "Condition");
    if (s == TT_OK && cond && cond->t != JSON_DOM_OBJ)
        s = tt_fail(err, TT_ERR_FORMAT, "policy: Condition must be an object");
    return s;
}

tt_status gen_repo_lint(const gen_catalog *c, const char *json, size_t len, size_t max_chars, size_t *unknown,
                        tt_error *err)
{
    json_dom_node root;
    size_t unk = 0;
    gen_cimap sids;
    gen_cimap_init(&sids);
    tt_status st = gen_repo_parse_text(json, len, &root, "policy", err);
    if (st == TT_OK && root.t != JSON_DOM_OBJ)
        st = tt_fail(err, TT_ERR_FORMAT, "policy: the document is not a JSON object");
    for (size_t i = 0; st == TT_OK && i < root.nk; i++) {
        const char *k = root.kids[i].key;
        if (strcmp(k, "Version") != 0 && strcmp(k, "Id") != 0 && strcmp(k, "Statement") != 0)
            st = tt_fail(err, TT_ERR_FORMAT, "policy: unknown top-level element \"%.200s\"", k);
    }
    if (st == TT_OK) {
        const char *v = json_dom_get_str(&root, "Version");
        if (!v || strcmp(v, "2012-10-17") != 0)
            st = tt_fail(err, TT_ERR_FORMAT, "policy: Version must be \"2012-10-17\"");
    }
    const json_dom_node *sl = st == TT_OK ? json_dom_get(&root, "Statement") : NULL;
    if (st == TT_OK && (!sl || (sl->t != JSON_DOM_OBJ && (sl->t != JSON_DOM_ARR || sl->nk == 0))))
        st = tt_fail(err, TT_ERR_FORMAT, "policy: Statement must be a statement or a non-empty list of them");
    for (size_t i = 0; st == TT_OK && i < (sl->t == JSON_DOM_ARR ? sl->nk : 1); i++)
        st = lint_statement(c, sl->t == JSON_DOM_ARR ? &sl->kids[i] : sl, &sids, &unk, err);
    if (max_chars == 0)
        max_chars = GEN_POLICY_MAX_CHARS;
    size_t z = gen_policy_iam_size(json, len);
    if (st == TT_OK && z > max_chars)
        st = tt_fail(err, TT_ERR_LIMIT, "policy: %zu characters without whitespace, over the limit of %zu", z,
                     max_chars);
    if (unknown)
        *unknown = unk;
    gen_cimap_free(&sids);
    json_dom_free(&root);
    return st;
}
