/*
 * repo_load.c - gen_repo_open (repo.h): the authorization-details file read
 * into a DOM (jdom.h, the caps of authz.h), its users and roles, and its
 * managed policies with how many principals share each; a policy document
 * read whether it is an object or a URL-encoded string.
 */
#include "repo_int.h"
#include "authz.h"

#include "common/mem.h"

#include <stdlib.h>
#include <string.h>

tt_status gen_repo_parse_text(const char *buf, size_t len, json_dom_node *root, const char *name, tt_error *err)
{
    tt_error e;
    tt_status st = json_dom_parse(root, buf, len, &gen_authz_caps, &e);
    if (st != TT_OK)
        return tt_fail(err, st, "%s: %s", name, e.msg);
    return TT_OK;
}

tt_status gen_repo_load_doc(const gen_repo *r, const json_dom_node *n, rdoc *d, tt_error *err)
{
    memset(d, 0, sizeof *d);
    if (n->t == JSON_DOM_OBJ) {
        d->root = n;
        return TT_OK;
    }
    if (n->t != JSON_DOM_STR)
        return tt_fail(err, TT_ERR_FORMAT, "%s: a policy document must be an object or a URL-encoded string", r->name);
    size_t len = 0, at = 0;
    char *text = json_dom_url_decode(n->s, &len, &at);
    if (!text)
        return tt_fail(err, TT_ERR_FORMAT, "%s: a bad %%-escape in a URL-encoded policy document", r->name);
    tt_status st = gen_repo_parse_text(text, len, &d->owned, r->name, err);
    free(text);
    d->is_owned = 1;
    d->root = &d->owned;
    return st;
}

void gen_repo_rdoc_free(rdoc *d)
{
    if (d->is_owned)
        json_dom_free(&d->owned);
}

static void count_attached(gen_repo *r, const json_dom_node *owner, int group)
{
    const json_dom_node *l = json_dom_get(owner, "AttachedManagedPolicies");
    for (size_t i = 0; l && l->t == JSON_DOM_ARR && i < l->nk; i++) {
        const char *arn = json_dom_get_str(&l->kids[i], "PolicyArn");
        rmanaged *m = arn ? gen_cimap_get(&r->by_arn, arn, "", 0) : NULL;
        if (m && group)
            m->shared++;
        else if (m)
            m->users++;
    }
    const char *barn = json_dom_get_str(json_dom_get(owner, "PermissionsBoundary"), "PermissionsBoundaryArn");
    rmanaged *b = barn ? gen_cimap_get(&r->by_arn, barn, "", 0) : NULL;
    if (b)
        b->shared++;
}

tt_status gen_repo_open(gen_repo **out, const gen_catalog *c, const char *json, size_t len, const char *name,
                        tt_error *err)
{
    *out = NULL;
    if (len > GEN_AUTHZ_MAX_BYTES)
        return tt_fail(err, TT_ERR_LIMIT, "%s: more than the cap of %u bytes (GEN_AUTHZ_MAX_BYTES)", name,
                       GEN_AUTHZ_MAX_BYTES);
    gen_repo *r = tt_xcalloc(1, sizeof *r);
    r->cat = c;
    r->ncat = gen_catalog_count(c);
    r->name = tt_xstrdup(name);
    r->match = tt_xcalloc(r->ncat + 1, 1);
    gen_cimap_init(&r->by_arn);
    tt_status st = gen_repo_parse_text(json, len, &r->root, name, err);
    if (st != TT_OK)
        goto out;
    const json_dom_node *pl = json_dom_get(&r->root, "Policies");
    r->pols = tt_xcalloc(pl && pl->t == JSON_DOM_ARR ? pl->nk + 1 : 1, sizeof *r->pols);
    for (size_t i = 0; pl && pl->t == JSON_DOM_ARR && i < pl->nk; i++) {
        const json_dom_node *p = &pl->kids[i];
        const char *arn = json_dom_get_str(p, "Arn");
        if (!arn)
            continue;
        rmanaged *m = &r->pols[r->npols++];
        m->arn = arn;
        m->name = json_dom_get_str(p, "PolicyName");
        const json_dom_node *vl = json_dom_get(p, "PolicyVersionList");
        for (size_t v = 0; vl && vl->t == JSON_DOM_ARR && v < vl->nk; v++) {
            const json_dom_node *def = json_dom_get(&vl->kids[v], "IsDefaultVersion");
            if (def && def->t == JSON_DOM_TRUE)
                m->doc = json_dom_get(&vl->kids[v], "Document");
        }
        gen_cimap_put(&r->by_arn, arn, "", m);
    }
    const json_dom_node *ul = json_dom_get(&r->root, "UserDetailList"), *rl = json_dom_get(&r->root, "RoleDetailList"),
               *gl = json_dom_get(&r->root, "GroupDetailList");
    size_t nu = ul && ul->t == JSON_DOM_ARR ? ul->nk : 0, nr = rl && rl->t == JSON_DOM_ARR ? rl->nk : 0;
    r->prs = tt_xcalloc(nu + nr + 1, sizeof *r->prs);
    r->is_user = tt_xcalloc(nu + nr + 1, sizeof *r->is_user);
    for (size_t i = 0; i < nu + nr; i++) {
        r->is_user[i] = i < nu;
        r->prs[i] = i < nu ? &ul->kids[i] : &rl->kids[i - nu];
        count_attached(r, r->prs[i], 0);
    }
    r->nprs = nu + nr;
    for (size_t i = 0; gl && gl->t == JSON_DOM_ARR && i < gl->nk; i++)
        count_attached(r, &gl->kids[i], 1);
out:
    if (st != TT_OK) {
        gen_repo_free(r);
        return st;
    }
    *out = r;
    return TT_OK;
}

const json_dom_node *gen_repo_trust_doc(const gen_repo *r, size_t i)
{
    return i < r->nprs && !r->is_user[i] ? json_dom_get(r->prs[i], "AssumeRolePolicyDocument") : NULL;
}

void gen_repo_free(gen_repo *r)
{
    if (!r)
        return;
    json_dom_free(&r->root);
    free(r->prs);
    free(r->is_user);
    free(r->pols);
    gen_cimap_free(&r->by_arn);
    free(r->match);
    free(r->name);
    free(r);
}
