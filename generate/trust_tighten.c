/*
 * trust_tighten.c - gen_trust_tighten (trust_tighten.h). Each Allow
 * statement of the document is rewritten into one statement per principal
 * type (AWS principals also per set of added conditions, OIDC and SAML per
 * provider), each a subset of the original: its principals among the
 * original's, its conditions a superset. Deny statements are copied.
 */
#include "trust_tighten.h"
#include "authz.h"
#include "policy.h"
#include "repo.h"

#include "common/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TIGHTEN_TEXT_CAP (16u << 20)
#define MAX_ENTRIES 64 /* condition keys of one statement */
#define MAX_TRUSTED 256 /* principal values of one statement */

static const json_dom_caps doc_caps = {1u << 20, 32, "more JSON values than a trust policy can hold"};

static void put(tt_buf *b, const char *s)
{
    if (tt_buf_append(b, s, strlen(s)) != 0)
        abort(); /* TIGHTEN_TEXT_CAP is far above IAM's 4,096 characters */
}

/* One condition key under one operator: the document's values, or values
 * added (borrowed from the model), or one literal. */
typedef struct entry {
    const char *op, *key;
    const json_dom_node *node;
    const char *const *vals;
    size_t nvals;
    const char *literal;
} entry;

typedef struct conds {
    entry e[MAX_ENTRIES];
    size_t n;
} conds;

typedef struct tval {
    const char *pkey; /* "AWS", "Federated", "Service", or "*" (Principal: "*") */
    const char *v;
    int seen;
} tval;

/* What one Allow statement becomes. */
typedef struct plan {
    tval tv[MAX_TRUSTED];
    size_t ntv;
    conds c;
    tt_buf out;  /* the derived statements, rendered, comma-separated */
    size_t nout; /* how many */
    tt_buf note; /* its line in the diff, after the head */
    char **owned; /* arrays of values made for added conditions */
    size_t nowned;
} plan;

/* An array of n values that lives as long as the plan. */
static void *own(plan *p, size_t n)
{
    p->owned = tt_xrealloc(p->owned, (p->nowned + 1) * sizeof *p->owned);
    p->owned[p->nowned] = tt_xcalloc(n + 1, sizeof(char *));
    return p->owned[p->nowned++];
}

/* ---- reading ------------------------------------------------------------------- */

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

static int read_conds(const json_dom_node *st, conds *c)
{
    const json_dom_node *cn = json_dom_get(st, "Condition");
    c->n = 0;
    for (size_t i = 0; cn && cn->t == JSON_DOM_OBJ && i < cn->nk; i++) {
        const json_dom_node *op = &cn->kids[i];
        for (size_t j = 0; op->t == JSON_DOM_OBJ && j < op->nk; j++) {
            if (c->n + 8 >= MAX_ENTRIES)
                return -1;
            c->e[c->n++] = (entry){op->key, op->kids[j].key, &op->kids[j], NULL, 0, NULL};
        }
    }
    return 0;
}

static int has_key(const conds *c, const char *key)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcasecmp(c->e[i].key, key) == 0)
            return 1;
    return 0;
}

/* StringLike: '*' any run, '?' one character; case matters. */
static int like(const char *p, const char *t)
{
    const char *star = NULL, *back = NULL;
    while (*t) {
        if (*p == '*') {
            star = ++p;
            back = t;
        } else if (*p && (*p == '?' || *p == *t)) {
            p++;
            t++;
        } else if (star) {
            p = star;
            t = ++back;
        } else {
            return 0;
        }
    }
    while (*p == '*')
        p++;
    return *p == '\0';
}

/* The StringEquals / StringLike entries on key are the ones narrowed. */
static int narrowable(const entry *e, const char *key)
{
    return !e->vals && !e->literal && strcasecmp(e->key, key) == 0 &&
           (strcmp(e->op, "StringEquals") == 0 || strcmp(e->op, "StringLike") == 0);
}

static int value_ok(const entry *e, const char *v)
{
    const char *pat[MAX_TRUSTED];
    size_t n = strings(e->node, pat, MAX_TRUSTED);
    int is_like = strcmp(e->op, "StringLike") == 0;
    for (size_t i = 0; i < n; i++)
        if (is_like ? like(pat[i], v) : strcmp(pat[i], v) == 0)
            return 1;
    return 0;
}

/* Whether subject v satisfies every narrowable condition on key. */
static int sub_ok(const conds *c, const char *key, const char *v)
{
    for (size_t i = 0; i < c->n; i++)
        if (narrowable(&c->e[i], key) && !value_ok(&c->e[i], v))
            return 0;
    return 1;
}

/* ---- matching -------------------------------------------------------------- */

static int whole_account(const char *p, const char **acct, size_t *len)
{
    size_t n = strlen(p);
    if (n == 12 && strspn(p, "0123456789") == 12) {
        *acct = p, *len = 12;
        return 1;
    }
    if (strncmp(p, "arn:aws:iam::", 13) == 0 && n == 13 + 12 + 5 && strcmp(p + 25, ":root") == 0) {
        *acct = p + 13, *len = 12;
        return 1;
    }
    return 0;
}

static int covers(const tval *t, const gen_trust_assumer *a)
{
    static const char *const keys[GEN_TRUST_NKINDS] = {"AWS", "Federated", "Federated", "Service"};
    if (strcmp(t->pkey, "*") == 0)
        return 1;
    if (strcmp(t->pkey, keys[a->kind]) != 0)
        return 0;
    if (strcmp(t->v, a->principal) == 0 || (a->kind == GEN_TRUST_AWS && strcmp(t->v, "*") == 0))
        return 1;
    const char *acct;
    size_t n;
    return a->kind == GEN_TRUST_AWS && whole_account(t->v, &acct, &n) && strlen(a->account) == n &&
           strncmp(acct, a->account, n) == 0;
}

/* The subjects of OIDC assumer a this statement allowed, into v. */
static size_t subs_allowed(const conds *c, const gen_trust_assumer *a, const char **v, char *key, size_t keyn)
{
    snprintf(key, keyn, "%.600s:sub", gen_trust_issuer(a->principal));
    size_t n = 0;
    for (size_t i = 0; i < a->subs.kept; i++)
        if (sub_ok(c, key, a->subs.v[i]))
            v[n++] = a->subs.v[i];
    return n;
}

static int covered(const plan *p, const conds *c, const gen_trust_assumer *a, size_t *tv)
{
    for (size_t i = 0; i < p->ntv; i++) {
        if (!covers(&p->tv[i], a))
            continue;
        if (a->kind == GEN_TRUST_OIDC) {
            const char *v[GEN_TRUST_MAX_VALUES];
            char key[700];
            if (!subs_allowed(c, a, v, key, sizeof key) && a->subs.kept)
                continue;
        }
        *tv = i;
        return 1;
    }
    return 0;
}

/* ---- writing ----------------------------------------------------------------- */

static void put_list(tt_buf *b, const char *const *v, size_t n)
{
    put(b, "[");
    for (size_t i = 0; i < n; i++) {
        put(b, i ? ", " : "");
        gen_json_put_str(b, v[i]);
    }
    put(b, "]");
}

static void put_conditions(tt_buf *b, const conds *c)
{
    const char *ops[MAX_ENTRIES];
    size_t nops = 0;
    for (size_t i = 0; i < c->n; i++) {
        size_t k = 0;
        while (k < nops && strcmp(ops[k], c->e[i].op) != 0)
            k++;
        if (k == nops)
            ops[nops++] = c->e[i].op;
    }
    const char *ind[] = {"\n      ", "\n        ", "\n          "};
    put(b, "{");
    for (size_t k = 0; k < nops; k++) {
        put(b, k ? "," : "");
        put(b, ind[1]);
        gen_json_put_str(b, ops[k]);
        put(b, ": {");
        int first = 1;
        for (size_t i = 0; i < c->n; i++) {
            const entry *e = &c->e[i];
            if (strcmp(e->op, ops[k]) != 0)
                continue;
            put(b, first ? "" : ",");
            put(b, ind[2]);
            first = 0;
            gen_json_put_str(b, e->key);
            put(b, ": ");
            if (e->literal)
                gen_json_put_str(b, e->literal);
            else if (e->vals)
                put_list(b, e->vals, e->nvals);
            else
                gen_repo_render_json(b, e->node, 5);
        }
        put(b, ind[1]);
        put(b, "}");
    }
    put(b, ind[0]);
    put(b, "}");
}

/* Appends one derived statement: st with Principal {pkey: who} and the
 * conditions c; Sid st's with a number after the first. */
static void derive(plan *p, const json_dom_node *st, const char *pkey, const char *const *who, size_t n, const conds *c)
{
    tt_buf *b = &p->out;
    int has_cond = 0;
    put(b, p->nout++ ? ",\n    {" : "    {");
    for (size_t i = 0; i < st->nk; i++) {
        const json_dom_node *k = &st->kids[i];
        put(b, i ? ",\n      " : "\n      ");
        gen_json_put_str(b, k->key);
        put(b, ": ");
        if (strcmp(k->key, "Principal") == 0) {
            put(b, "{");
            gen_json_put_str(b, pkey);
            put(b, ": ");
            put_list(b, who, n);
            put(b, "}");
        } else if (strcmp(k->key, "Condition") == 0) {
            has_cond = 1;
            put_conditions(b, c);
        } else if (strcmp(k->key, "Sid") == 0 && k->t == JSON_DOM_STR && k->s[0] && p->nout > 1) {
            char sid[600];
            snprintf(sid, sizeof sid, "%.500s%zu", k->s, p->nout);
            gen_json_put_str(b, sid);
        } else {
            gen_repo_render_json(b, k, 3);
        }
    }
    if (!has_cond && c->n) {
        put(b, ",\n      \"Condition\": ");
        put_conditions(b, c);
    }
    put(b, "\n    }");
}

static void add_entry(conds *c, const char *op, const char *key, const char *const *vals, size_t n, const char *lit)
{
    if (c->n < MAX_ENTRIES)
        c->e[c->n++] = (entry){op, key, NULL, vals, n, lit};
}

static void note(plan *p, const char *text)
{
    put(&p->note, p->note.len ? "; " : "");
    put(&p->note, text);
}

static void note_list(plan *p, const char *what, const char *const *v, size_t n)
{
    if (!n)
        return;
    put(&p->note, p->note.len ? "; " : "");
    put(&p->note, what);
    for (size_t i = 0; i < n; i++) {
        put(&p->note, i ? ", `" : "`");
        put(&p->note, v[i]);
        put(&p->note, "`");
    }
}

/* ---- the kinds --------------------------------------------------------------- */

/* The conditions an AWS assumer adds, as `trust` writes them, where the
 * statement has none on that key. */
static void aws_added(plan *p, const gen_trust_assumer *a, conds *c)
{
    *c = p->c;
    if (a->with_external_id == a->count && a->external_ids.kept && !has_key(&p->c, "sts:ExternalId"))
        add_entry(c, "StringEquals", "sts:ExternalId", (const char *const *)a->external_ids.v, a->external_ids.kept,
                  NULL);
    if (a->mfa_yes == a->count && !has_key(&p->c, "aws:MultiFactorAuthPresent"))
        add_entry(c, "Bool", "aws:MultiFactorAuthPresent", NULL, 0, "true");
    if (a->with_tags && a->tag_keys.kept && !has_key(&p->c, "aws:TagKeys"))
        add_entry(c, "ForAllValues:StringEquals", "aws:TagKeys", (const char *const *)a->tag_keys.v, a->tag_keys.kept,
                  NULL);
}

static int same_conds(const conds *x, const conds *y)
{
    if (x->n != y->n)
        return 0;
    for (size_t i = 0; i < x->n; i++) {
        const entry *a = &x->e[i], *b = &y->e[i];
        if (strcmp(a->key, b->key) != 0 || a->node != b->node || a->literal != b->literal || a->nvals != b->nvals)
            return 0;
        for (size_t k = 0; k < a->nvals; k++)
            if (strcmp(a->vals[k], b->vals[k]) != 0)
                return 0;
    }
    return 1;
}

static void plan_aws(plan *p, const json_dom_node *st, const gen_trust_role *r, const uint8_t *in)
{
    uint8_t *done = tt_xcalloc(r->n + 1, 1);
    const char **who = tt_xcalloc(r->n + 1, sizeof *who);
    conds c, d;
    for (size_t i = 0; i < r->n; i++) {
        if (!in[i] || done[i] || r->as[i].kind != GEN_TRUST_AWS)
            continue;
        aws_added(p, &r->as[i], &c);
        size_t n = 0;
        for (size_t k = i; k < r->n; k++) {
            if (!in[k] || done[k] || r->as[k].kind != GEN_TRUST_AWS)
                continue;
            aws_added(p, &r->as[k], &d);
            if (same_conds(&c, &d))
                who[n++] = r->as[k].principal, done[k] = 1;
        }
        derive(p, st, "AWS", who, n, &c);
        const char *added[3];
        size_t na = 0;
        for (size_t k = p->c.n; k < c.n; k++)
            added[na++] = c.e[k].key;
        note_list(p, "conditions added, as every call showed them: ", added, na);
    }
    free(done);
    free(who);
}

/* Keeps a copy of s as long as the plan; returns it. */
static const char *keep(plan *p, const char *s)
{
    p->owned = tt_xrealloc(p->owned, (p->nowned + 1) * sizeof *p->owned);
    p->owned[p->nowned] = tt_xstrdup(s);
    return p->owned[p->nowned++];
}

/* One OIDC or SAML provider's statement: the narrowable sub conditions
 * become StringEquals on the subjects used they allowed; an aud (SAML:aud)
 * condition is added when the statement has none. */
static void plan_provider(plan *p, const json_dom_node *st, const gen_trust_assumer *a)
{
    conds c;
    memset(&c, 0, sizeof c);
    char key[700];
    int oidc = a->kind == GEN_TRUST_OIDC, had_sub = 0;
    snprintf(key, sizeof key, "%.600s:sub", gen_trust_issuer(a->principal));
    const char *subkey = keep(p, key);
    snprintf(key, sizeof key, "%.600s:aud", gen_trust_issuer(a->principal));
    const char *audkey = oidc ? keep(p, key) : "SAML:aud";
    for (size_t i = 0; i < p->c.n; i++) {
        if (oidc && narrowable(&p->c.e[i], subkey)) {
            had_sub = 1;
            continue;
        }
        c.e[c.n++] = p->c.e[i];
    }
    const char **subs = (const char **)own(p, a->subs.kept);
    size_t nsubs = 0;
    for (size_t i = 0; oidc && i < a->subs.kept; i++)
        if (sub_ok(&p->c, subkey, a->subs.v[i]))
            subs[nsubs++] = a->subs.v[i];
    const char *added[2];
    size_t na = 0;
    if (a->auds.kept && !has_key(&p->c, audkey)) {
        add_entry(&c, "StringEquals", audkey, (const char *const *)a->auds.v, a->auds.kept, NULL);
        added[na++] = audkey;
    }
    if (nsubs)
        add_entry(&c, "StringEquals", subkey, subs, nsubs, NULL);
    if (nsubs && !had_sub)
        added[na++] = subkey;
    note_list(p, "conditions added, as every call showed them: ", added, na);
    const char *who[1] = {a->principal};
    derive(p, st, "Federated", who, 1, &c);
}

/* The narrowed subject patterns of the statement, in the diff. */
static size_t note_subs(plan *p, const gen_trust_role *r, const uint8_t *in)
{
    size_t removed = 0;
    for (size_t i = 0; i < p->c.n; i++) {
        const entry *e = &p->c.e[i];
        size_t kl = strlen(e->key);
        if (e->vals || kl < 4 || strcasecmp(e->key + kl - 4, ":sub") != 0 || !narrowable(e, e->key))
            continue;
        const char *pat[MAX_TRUSTED], *unused[MAX_TRUSTED];
        size_t n = strings(e->node, pat, MAX_TRUSTED), nu = 0;
        int is_like = strcmp(e->op, "StringLike") == 0;
        for (size_t k = 0; k < n; k++) {
            int hit = 0;
            for (size_t j = 0; r && j < r->n && !hit; j++)
                for (size_t s = 0; in[j] && r->as[j].kind == GEN_TRUST_OIDC && s < r->as[j].subs.kept && !hit; s++)
                    hit = is_like ? like(pat[k], r->as[j].subs.v[s]) : strcmp(pat[k], r->as[j].subs.v[s]) == 0;
            if (!hit)
                unused[nu++] = pat[k];
        }
        if (!is_like && !nu)
            continue; /* exact subjects, all used: nothing to say */
        char head[800];
        snprintf(head, sizeof head, "%s `%.600s` narrowed to StringEquals on the subjects used, from: ", e->op, e->key);
        note_list(p, head, pat, n);
        note_list(p, "removed, no token matched: ", unused, nu);
        removed += nu;
    }
    return removed;
}

/* ---- one statement ------------------------------------------------------------ */

static void plan_free(plan *p)
{
    tt_buf_free(&p->out);
    tt_buf_free(&p->note);
    for (size_t i = 0; i < p->nowned; i++)
        free(p->owned[i]);
    free(p->owned);
}

static void read_principals(plan *p, const json_dom_node *st)
{
    static const char *const pkeys[] = {"AWS", "Federated", "Service"};
    const json_dom_node *pr = json_dom_get(st, "Principal");
    p->ntv = 0;
    if (pr && pr->t == JSON_DOM_STR) {
        p->tv[p->ntv++] = (tval){"*", pr->s, 0};
        return;
    }
    for (size_t k = 0; k < 3; k++) {
        const char *v[MAX_TRUSTED];
        size_t n = strings(json_dom_get(pr, pkeys[k]), v, MAX_TRUSTED - p->ntv);
        for (size_t i = 0; i < n; i++)
            p->tv[p->ntv++] = (tval){pkeys[k], v[i], 0};
    }
}

/* Plans Allow statement st; returns the principals and patterns removed. */
static size_t plan_statement(plan *p, const json_dom_node *st, const gen_trust_role *r, size_t *assumers)
{
    size_t nr = r ? r->n : 0, removed = 0, ninside = 0;
    uint8_t *in = tt_xcalloc(nr + 1, 1);
    const char **list = tt_xcalloc(MAX_TRUSTED + nr + 1, sizeof *list);
    for (size_t i = 0; i < nr; i++) {
        size_t tv;
        if (covered(p, &p->c, &r->as[i], &tv)) {
            in[i] = 1;
            p->tv[tv].seen = 1;
            list[ninside++] = r->as[i].principal;
        }
    }
    *assumers = ninside;
    /* services never seen are kept: no record is not no use */
    size_t nsvc = 0, nkeep = 0, nun = 0;
    const char **svc = tt_xcalloc(MAX_TRUSTED + nr + 1, sizeof *svc), **kept = tt_xcalloc(MAX_TRUSTED + 1, sizeof *kept),
               **unseen = tt_xcalloc(MAX_TRUSTED + 1, sizeof *unseen);
    for (size_t i = 0; i < nr; i++)
        if (in[i] && r->as[i].kind == GEN_TRUST_SERVICE)
            svc[nsvc++] = r->as[i].principal;
    for (size_t i = 0; i < p->ntv; i++) {
        if (p->tv[i].seen)
            continue;
        if (strcmp(p->tv[i].pkey, "Service") == 0)
            svc[nsvc++] = kept[nkeep++] = p->tv[i].v;
        else
            unseen[nun++] = p->tv[i].v;
    }
    removed += nun;
    if (ninside) {
        note_list(p, "written for who assumed the role: ", list, ninside);
        note_list(p, "removed, never seen assuming the role in the window: ", unseen, nun);
        removed += note_subs(p, r, in);
        plan_aws(p, st, r, in);
        for (size_t i = 0; i < nr; i++)
            if (in[i] && (r->as[i].kind == GEN_TRUST_OIDC || r->as[i].kind == GEN_TRUST_SAML))
                plan_provider(p, st, &r->as[i]);
        if (nsvc)
            derive(p, st, "Service", svc, nsvc, &p->c);
        note_list(p, "kept though not seen (services often assume roles without a record in the account): ", kept,
                  nkeep);
        if (p->nout > 1) {
            char t[120];
            snprintf(t, sizeof t, "written as %zu statements (one per principal type and set of conditions)", p->nout);
            note(p, t);
        }
    } else if (nsvc) {
        derive(p, st, "Service", svc, nsvc, &p->c);
        note_list(p, "removed, never seen assuming the role in the window: ", unseen, nun);
        note_list(p, "kept though not seen (services often assume roles without a record in the account): ", kept,
                  nkeep);
    } else {
        note(p, "no principal it trusts assumed the role in the window: statement removed");
    }
    free(in);
    free(list);
    free(svc);
    free(kept);
    free(unseen);
    return removed;
}

/* ---- the document ---------------------------------------------------------------- */

typedef struct run {
    tt_buf doc, diff;
    size_t removed, assumers, allows;
    const char *refusal;
} run;

static void statement(run *u, const json_dom_node *st, size_t idx, const gen_trust_role *r)
{
    const char *effect = json_dom_get_str(st, "Effect"), *sid = json_dom_get_str(st, "Sid");
    char head[700];
    if (sid)
        snprintf(head, sizeof head, "- Statement %zu `%.500s` (%s): ", idx + 1, sid, effect ? effect : "?");
    else
        snprintf(head, sizeof head, "- Statement %zu (%s): ", idx + 1, effect ? effect : "?");
    put(&u->diff, head);
    if (!effect || strcmp(effect, "Allow") != 0 || st->t != JSON_DOM_OBJ) {
        put(&u->diff, "untouched\n");
        put(&u->doc, u->allows++ ? ",\n    " : "    ");
        gen_repo_render_json(&u->doc, st, 2);
        return;
    }
    plan p;
    memset(&p, 0, sizeof p);
    tt_buf_init(&p.out, TIGHTEN_TEXT_CAP);
    tt_buf_init(&p.note, TIGHTEN_TEXT_CAP);
    if (read_conds(st, &p.c) != 0 || json_dom_get(st, "NotPrincipal")) {
        u->refusal = json_dom_get(st, "NotPrincipal") ? "an Allow statement with NotPrincipal cannot be narrowed"
                                                      : "a statement with more condition keys than can be narrowed";
        put(&u->diff, "cannot be narrowed\n");
        plan_free(&p);
        return;
    }
    read_principals(&p, st);
    size_t seen = 0;
    u->removed += plan_statement(&p, st, r, &seen);
    u->assumers += seen;
    if (p.nout) {
        put(&u->doc, u->allows++ ? ",\n" : "");
        put(&u->doc, p.out.data);
    }
    put(&u->diff, p.note.data ? p.note.data : "");
    put(&u->diff, "\n");
    plan_free(&p);
}

static tt_status decode(const json_dom_node *doc, json_dom_node *owned, const json_dom_node **root, const char *place,
                        tt_error *err)
{
    memset(owned, 0, sizeof *owned);
    *root = doc;
    if (!doc || doc->t != JSON_DOM_STR)
        return TT_OK;
    size_t len = 0, bad = 0;
    char *text = json_dom_url_decode(doc->s, &len, &bad);
    tt_error e;
    tt_status st = TT_OK;
    if (!text)
        st = tt_fail(err, TT_ERR_FORMAT, "%s: a bad %%-escape at character %zu", place, bad);
    else if (json_dom_parse(owned, text, len, &doc_caps, &e) != TT_OK)
        st = tt_fail(err, TT_ERR_FORMAT, "%s, the decoded document: %s", place, e.msg);
    free(text);
    *root = owned;
    return st;
}

static void not_rewritten(gen_trust_tightened *out, tt_buf *diff, const char *why)
{
    char line[1200];
    int blank = diff->len >= 2 && diff->data[diff->len - 1] == '\n' && diff->data[diff->len - 2] == '\n';
    snprintf(line, sizeof line, "%sNot rewritten: %s. The trust document stays as it is.\n", blank ? "" : "\n", why);
    put(diff, line);
    out->why_not = tt_xstrdup(why);
}

static void any_overflow(const gen_trust_role *r, run *u)
{
    for (size_t i = 0; r && i < r->n; i++) {
        const gen_trust_assumer *a = &r->as[i];
        if (a->subs.over || a->auds.over || a->external_ids.over || a->tag_keys.over)
            u->refusal = "more distinct condition values were seen than can be listed (GEN_TRUST_MAX_VALUES)";
    }
}

tt_status gen_trust_tighten(const json_dom_node *doc, const char *role_arn, const gen_trust_role *r,
                            const char *file, const char *place, gen_trust_tightened *out, tt_error *err)
{
    memset(out, 0, sizeof *out);
    json_dom_node owned;
    const json_dom_node *root;
    tt_status st = decode(doc, &owned, &root, place, err);
    const json_dom_node *sl = st == TT_OK ? json_dom_get(root, "Statement") : NULL;
    if (st == TT_OK && (!root || root->t != JSON_DOM_OBJ || !sl || (sl->t != JSON_DOM_OBJ && sl->t != JSON_DOM_ARR)))
        st = tt_fail(err, TT_ERR_FORMAT, "%s: a trust policy must be an object with a Statement", place);
    if (st != TT_OK) {
        json_dom_free(&owned);
        return st;
    }
    run u;
    memset(&u, 0, sizeof u);
    tt_buf_init(&u.doc, TIGHTEN_TEXT_CAP);
    tt_buf_init(&u.diff, TIGHTEN_TEXT_CAP);
    tt_buf before;
    tt_buf_init(&before, TIGHTEN_TEXT_CAP);
    gen_repo_render_json(&before, root, 0);
    out->before = gen_policy_iam_size(before.data, before.len);
    tt_buf_free(&before);
    put(&u.diff, "\n## Trust policy (AssumeRolePolicyDocument)\n\n");
    size_t ns = sl->t == JSON_DOM_ARR ? sl->nk : 1;
    any_overflow(r, &u);
    for (size_t i = 0; i < ns && !u.refusal && r && r->count; i++)
        statement(&u, sl->t == JSON_DOM_ARR ? &sl->kids[i] : sl, i, r);
    char line[1400];
    if (u.refusal) {
        not_rewritten(out, &u.diff, u.refusal);
    } else if (!r || !r->count) {
        snprintf(line, sizeof line, "no one assumed %.600s in the window: there is nothing to narrow it to (check that "
                                    "the window covers its use; delete the role if it is no longer needed)", role_arn);
        not_rewritten(out, &u.diff, line);
    } else if (!u.assumers) {
        not_rewritten(out, &u.diff, "no principal it trusts was seen assuming the role in the window (the assumptions "
                                    "seen do not match its statements)");
    } else {
        tt_buf d;
        tt_buf_init(&d, TIGHTEN_TEXT_CAP);
        put(&d, "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n");
        put(&d, u.doc.data ? u.doc.data : "");
        put(&d, "\n  ]\n}\n");
        out->json = d.data;
        out->after = gen_policy_iam_size(d.data, d.len);
        out->removed = u.removed;
        snprintf(line, sizeof line, "\nWritten as `%.600s`: %zu -> %zu characters (IAM's count, without whitespace)\n",
                 file, out->before, out->after);
        put(&u.diff, line);
    }
    out->changes = u.diff.data;
    tt_buf_free(&u.doc);
    json_dom_free(&owned);
    return TT_OK;
}

void gen_trust_tightened_free(gen_trust_tightened *t)
{
    free(t->json);
    free(t->changes);
    free(t->why_not);
    memset(t, 0, sizeof *t);
}
