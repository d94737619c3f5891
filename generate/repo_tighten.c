/*
 * repo_tighten.c - gen_repo_tighten (repo.h): each document a principal
 * owns is rewritten statement by statement (Deny, NOREPO, conditional and
 * resource-scoped statements kept), packed under IAM's limits, and given a
 * Markdown account of every change. The file is read by repo_load.c, the
 * documents written by repo_render.c.
 */
#include "repo_int.h"
#include "authz.h"
#include "policy.h"

#include "common/mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* What became of a statement, for CHANGES.md (sdecision order). */
static const char *const decision_text[] = {
    "Deny: untouched", "NOREPO: kept as it is", "conditional Allow: kept as it is (a Condition limits it)",
    "resource-scoped Allow: kept as it is (it names resources)", "nothing unused: unchanged", "narrowed",
    "every action unused: statement removed"};

static void strs_add(strs *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return;
    if (l->n == l->a)
        l->v = tt_xrealloc(l->v, (l->a = l->a ? l->a * 2 : 16) * sizeof *l->v);
    l->v[l->n++] = tt_xstrdup(s);
}

static void strs_free(strs *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

static void strs_text(tt_buf *b, const strs *l)
{
    for (size_t i = 0; i < l->n; i++) {
        gen_repo_put(b, i ? ", `" : "`");
        gen_repo_put(b, l->v[i]);
        gen_repo_put(b, "`");
    }
}

/* Marks in r->match the catalog actions one pattern names; 0 if none. */
static int match_pattern(gen_repo *r, const char *pat)
{
    memset(r->match, 0, r->ncat);
    if (!strpbrk(pat, "*?")) {
        const gen_action *a = gen_catalog_find_full(r->cat, pat);
        if (a)
            r->match[gen_authz_index(r->cat, a)] = 1;
        return a != NULL;
    }
    int any = 0;
    for (size_t i = 0; i < r->ncat; i++)
        if (gen_authz_glob(pat, gen_catalog_at(r->cat, i)->full))
            r->match[i] = any = 1;
    return any;
}

static int statement_star(const json_dom_node *st)
{
    const json_dom_node *res = json_dom_get(st, "Resource");
    if (!res)
        return !json_dom_get(st, "NotResource");
    if (res->t == JSON_DOM_STR)
        return strcmp(res->s, "*") == 0;
    for (size_t i = 0; res->t == JSON_DOM_ARR && i < res->nk; i++)
        if (res->kids[i].t == JSON_DOM_STR && strcmp(res->kids[i].s, "*") == 0)
            return 1;
    return 0;
}

/* The unused actions an Allow statement kept as it is still grants. */
static void note_kept(gen_repo *r, const json_dom_node *st, const uint8_t *remove, stmt_out *o)
{
    const json_dom_node *act = json_dom_get(st, "Action"), *nact = json_dom_get(st, "NotAction"), *pats = act ? act : nact;
    if (!pats || (pats->t != JSON_DOM_STR && pats->t != JSON_DOM_ARR))
        return;
    uint8_t *m = tt_xcalloc(r->ncat + 1, 1);
    for (size_t i = 0; i < (pats->t == JSON_DOM_STR ? 1 : pats->nk); i++) {
        const json_dom_node *p = pats->t == JSON_DOM_STR ? pats : &pats->kids[i];
        if (p->t == JSON_DOM_STR && match_pattern(r, p->s))
            for (size_t k = 0; k < r->ncat; k++)
                m[k] |= r->match[k];
    }
    for (size_t k = 0; k < r->ncat; k++)
        if ((nact ? !m[k] : m[k]) && remove[k])
            strs_add(&o->kept, gen_catalog_at(r->cat, k)->full);
    free(m);
}

static void tighten_statement(gen_repo *r, const json_dom_node *st, const uint8_t *acts, const uint8_t *remove,
                              stmt_out *o)
{
    memset(o, 0, sizeof *o);
    const char *effect = json_dom_get_str(st, "Effect"), *sid = json_dom_get_str(st, "Sid");
    const json_dom_node *cond = json_dom_get(st, "Condition");
    if (!effect || strcmp(effect, "Allow") != 0) {
        o->d = S_DENY;
        return;
    }
    if (sid && strncmp(sid, "NOREPO", 6) == 0)
        o->d = S_NOREPO;
    else if (cond && !(cond->t == JSON_DOM_OBJ && cond->nk == 0) && cond->t != JSON_DOM_NULL)
        o->d = S_COND;
    else if (!statement_star(st))
        o->d = S_SCOPED;
    if (o->d == S_NOREPO || o->d == S_COND || o->d == S_SCOPED) {
        note_kept(r, st, remove, o);
        return;
    }
    const json_dom_node *act = json_dom_get(st, "Action"), *nact = json_dom_get(st, "NotAction");
    const json_dom_node *pats = act ? act : nact;
    if (!pats || (pats->t != JSON_DOM_STR && pats->t != JSON_DOM_ARR)) {
        o->d = S_SAME;
        return;
    }
    size_t np = pats->t == JSON_DOM_STR ? 1 : pats->nk;
    int changed = 0;
    uint8_t *keep = tt_xcalloc(r->ncat + 1, 1);
    if (nact) { /* NotAction: everything but these, as one big pattern */
        uint8_t *not = tt_xcalloc(r->ncat + 1, 1);
        for (size_t i = 0; i < np; i++) {
            const json_dom_node *p = pats->t == JSON_DOM_STR ? pats : &pats->kids[i];
            if (p->t == JSON_DOM_STR && match_pattern(r, p->s))
                for (size_t k = 0; k < r->ncat; k++)
                    not[k] |= r->match[k];
        }
        for (size_t k = 0; k < r->ncat; k++) {
            if (not[k])
                continue;
            if (remove[k])
                strs_add(&o->removed, gen_catalog_at(r->cat, k)->full), changed = 1;
            else if (acts[k] & GEN_AZ_GRANTED)
                keep[k] = 1;
            else
                o->noeffect++;
        }
        free(not);
        if (changed) {
            strs_add(&o->expanded, "NotAction (every other action)");
            for (size_t k = 0; k < r->ncat; k++)
                if (keep[k])
                    strs_add(&o->acts, gen_catalog_at(r->cat, k)->full);
        }
    } else {
        for (size_t i = 0; i < np; i++) {
            const json_dom_node *p = pats->t == JSON_DOM_STR ? pats : &pats->kids[i];
            if (p->t != JSON_DOM_STR)
                continue;
            if (!match_pattern(r, p->s)) {
                strs_add(&o->unknown, p->s);
                changed = 1;
                continue;
            }
            int unused = 0, wild = strpbrk(p->s, "*?") != NULL;
            for (size_t k = 0; k < r->ncat; k++)
                if (r->match[k] && remove[k]) {
                    unused = 1;
                    strs_add(&o->removed, gen_catalog_at(r->cat, k)->full);
                }
            if (!unused) { /* every match used or kept: the pattern stays */
                strs_add(&o->acts, p->s);
                continue;
            }
            changed = 1;
            size_t kept = 0, none = 0;
            for (size_t k = 0; k < r->ncat; k++) {
                if (!r->match[k] || remove[k])
                    continue;
                if (acts[k] & GEN_AZ_GRANTED) {
                    strs_add(&o->acts, gen_catalog_at(r->cat, k)->full);
                    kept++;
                } else {
                    none++;
                }
            }
            o->noeffect += none;
            if (wild) {
                char e[300];
                snprintf(e, sizeof e, "%.200s -> %zu action%s", p->s, kept, kept == 1 ? "" : "s");
                strs_add(&o->expanded, e);
            }
        }
    }
    free(keep);
    o->d = !changed ? S_SAME : o->acts.n ? S_NARROWED : S_DROPPED;
}

static void stmt_out_free(stmt_out *o)
{
    strs_free(&o->acts);
    strs_free(&o->removed);
    strs_free(&o->expanded);
    strs_free(&o->unknown);
    strs_free(&o->kept);
}

/* A document to write: its pieces. */
typedef struct outdoc {
    piece *pcs;
    size_t n, a;
} outdoc;

static void outdoc_add(outdoc *d, piece p)
{
    if (d->n == d->a)
        d->pcs = tt_xrealloc(d->pcs, (d->a = d->a ? d->a * 2 : 8) * sizeof *d->pcs);
    d->pcs[d->n++] = p;
}

/* The result's growing document list and diff. */
typedef struct ctx {
    gen_repo *r;
    gen_repo_result *res;
    size_t adocs;
    tt_buf diff;
    size_t inline_total, extra_managed, attached;
    int user;
    int over; /* some text passed REPO_TEXT_CAP: the principal is refused */
} ctx;

static void safe_file(const char *name, const char *suffix, char *buf, size_t n)
{
    char base[200];
    gen_policy_name(name, base, sizeof base);
    snprintf(buf, n, "%s%s.json", base, suffix);
}

static gen_repo_doc *new_doc(ctx *c, const char *policy, int managed)
{
    gen_repo_result *res = c->res;
    if (res->ndocs == c->adocs)
        res->docs = tt_xrealloc(res->docs, (c->adocs = c->adocs ? c->adocs * 2 : 8) * sizeof *res->docs);
    gen_repo_doc *d = &res->docs[res->ndocs++];
    memset(d, 0, sizeof *d);
    d->policy = tt_xstrdup(policy);
    d->managed = managed;
    char file[256];
    safe_file(policy, "", file, sizeof file);
    for (size_t i = 0; i + 1 < res->ndocs; i++) /* an inline and a managed policy of the same name */
        if (strcmp(res->docs[i].file, file) == 0)
            safe_file(policy, managed ? "-managed" : "-inline", file, sizeof file);
    d->file = tt_xstrdup(file);
    return d;
}

static void refuse(ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void refuse(ctx *c, const char *fmt, ...)
{
    if (c->res->refused)
        return;
    char msg[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->res->refused = tt_xstrdup(msg);
}

static void diff_statement(ctx *c, const json_dom_node *st, const stmt_out *o, size_t idx)
{
    tt_buf *b = &c->diff;
    const char *sid = json_dom_get_str(st, "Sid"), *effect = json_dom_get_str(st, "Effect");
    char head[700];
    if (sid)
        snprintf(head, sizeof head, "- Statement %zu `%.500s` (%s): ", idx + 1, sid, effect ? effect : "?");
    else
        snprintf(head, sizeof head, "- Statement %zu (%s): ", idx + 1, effect ? effect : "?");
    gen_repo_put(b, head);
    gen_repo_put(b, decision_text[o->d]);
    if (o->removed.n) {
        char num[64];
        snprintf(num, sizeof num, "; removed %zu unused: ", o->removed.n);
        gen_repo_put(b, num);
        strs_text(b, &o->removed);
    }
    if (o->kept.n) {
        gen_repo_put(b, "; still grants these unused actions: ");
        strs_text(b, &o->kept);
    }
    if (o->expanded.n) {
        gen_repo_put(b, "; wildcard expanded because it had to be narrowed: ");
        strs_text(b, &o->expanded);
    }
    if (o->unknown.n) {
        gen_repo_put(b, "; dropped, not actions of the IAM catalog (they grant nothing it knows): ");
        strs_text(b, &o->unknown);
    }
    if (o->noeffect) {
        char num[160];
        snprintf(num, sizeof num, "; %zu matched actions had no effect (denied or outside the boundary) and are not listed",
                 o->noeffect);
        gen_repo_put(b, num);
    }
    gen_repo_put(b, "\n");
}

/* One document on its way: its statements, their rewrites, and the
 * output documents they are packed into. */
typedef struct tdoc {
    const json_dom_node *root;
    const json_dom_node **stmts;
    stmt_out *outs;
    size_t ns, changed;
    size_t zbefore; /* IAM's count of the document as it was */
    outdoc *docs;
    size_t ndocs, adocs;
} tdoc;

/* Rewrites every statement of t; counts what changed. */
static void tighten_statements(ctx *c, tdoc *t, const json_dom_node *sl, const uint8_t *acts, const uint8_t *remove)
{
    size_t allows = 0, norepo = 0;
    for (size_t i = 0; i < t->ns; i++) {
        t->stmts[i] = sl->t == JSON_DOM_ARR ? &sl->kids[i] : sl;
        tighten_statement(c->r, t->stmts[i], acts, remove, &t->outs[i]);
        t->changed += t->outs[i].d == S_NARROWED || t->outs[i].d == S_DROPPED;
        allows += t->outs[i].d != S_DENY;
        norepo += t->outs[i].d == S_NOREPO;
        c->res->removed += t->outs[i].removed.n;
    }
    if (allows && norepo == allows)
        c->res->norepo_only++;
}

/* IAM's count of the whole document before: every statement as it was. */
static size_t size_before(ctx *c, const tdoc *t)
{
    piece *all = tt_xcalloc(t->ns + 1, sizeof *all);
    stmt_out *same = tt_xcalloc(t->ns + 1, sizeof *same);
    for (size_t i = 0; i < t->ns; i++) {
        all[i] = (piece){i, 0, t->outs[i].acts.n, 1};
        same[i].d = S_SAME;
    }
    char *before = gen_repo_render_doc(t->root, t->stmts, same, all, t->ns, &c->over);
    size_t z = gen_policy_iam_size(before, strlen(before));
    free(before);
    free(same);
    free(all);
    return z;
}

static void next_doc(tdoc *t)
{
    if (t->ndocs == t->adocs)
        t->docs = tt_xrealloc(t->docs, (t->adocs = t->adocs ? t->adocs * 2 : 1) * sizeof *t->docs);
    memset(&t->docs[t->ndocs++], 0, sizeof *t->docs);
}

/* A narrowed statement too big alone for a managed document: its action
 * list in parts, each piece as many actions as fit. */
static void pack_parts(ctx *c, tdoc *t, piece pc, size_t base, size_t limit, size_t *cur)
{
    size_t part = 1;
    for (size_t from = pc.from; from < pc.to; part++) {
        piece p = {pc.si, from, from + 1, part};
        size_t tz = gen_repo_piece_size(t->stmts, t->outs, &p, &c->over);
        while (p.to < pc.to && base + tz + strlen(t->outs[pc.si].acts.v[p.to]) + 8 <= limit)
            tz += strlen(t->outs[pc.si].acts.v[p.to++]) + 3; /* quotes and a comma */
        if (t->docs[t->ndocs - 1].n && *cur + tz > limit) {
            next_doc(t);
            *cur = base;
        }
        outdoc_add(&t->docs[t->ndocs - 1], p);
        *cur += tz;
        from = p.to;
    }
}

/* Packs the statements kept into documents: one, unless a managed one
 * passes IAM's limit. */
static void pack(ctx *c, tdoc *t, int managed)
{
    size_t limit = GEN_POLICY_MAX_CHARS;
    char *empty = gen_repo_render_doc(t->root, t->stmts, t->outs, NULL, 0, &c->over);
    size_t base = gen_policy_iam_size(empty, strlen(empty)), cur = base;
    free(empty);
    for (size_t i = 0; i < t->ns; i++) {
        if (t->outs[i].d == S_DROPPED)
            continue;
        if (t->ndocs == 0)
            next_doc(t);
        piece pc = {i, 0, t->outs[i].acts.n, 1};
        size_t z = gen_repo_piece_size(t->stmts, t->outs, &pc, &c->over);
        if (managed && base + z > limit && t->outs[i].d == S_NARROWED) {
            pack_parts(c, t, pc, base, limit, &cur);
            continue;
        }
        if (managed && cur + z > limit && t->docs[t->ndocs - 1].n) {
            next_doc(t);
            cur = base;
        }
        outdoc_add(&t->docs[t->ndocs - 1], pc);
        cur += z;
    }
}

/* Output document k of t, named and measured, with its line of the diff. */
static void emit_doc(ctx *c, const tdoc *t, size_t k, const char *policy, int managed, size_t *total_after)
{
    char name[600], line[1400];
    if (k == 0)
        snprintf(name, sizeof name, "%.500s", policy);
    else
        snprintf(name, sizeof name, "%.500s-%zu", policy, k + 1); /* cmd_part_path's scheme */
    gen_repo_doc *od = new_doc(c, name, managed);
    od->json = gen_repo_render_doc(t->root, t->stmts, t->outs, t->docs[k].pcs, t->docs[k].n, &c->over);
    od->before = k == 0 ? t->zbefore : 0;
    od->after = gen_policy_iam_size(od->json, strlen(od->json));
    od->changed = t->changed || t->ndocs > 1;
    *total_after += od->after;
    snprintf(line, sizeof line, "\n%s `%s`: %zu -> %zu characters (IAM's count, without whitespace)%s\n",
             k == 0 ? "Written as" : "Continued in a new managed policy,", od->file, od->before, od->after,
             t->changed ? "" : "; unchanged");
    gen_repo_put(&c->diff, line);
    if (managed && od->after > GEN_POLICY_MAX_CHARS)
        refuse(c, "managed policy %s: %zu characters after tightening, over IAM's %d, and a single kept "
                  "statement cannot be split",
               name, od->after, GEN_POLICY_MAX_CHARS);
}

/* The diff of t and its output documents. */
static void emit(ctx *c, const tdoc *t, const char *policy, int managed)
{
    char line[1400];
    snprintf(line, sizeof line, "\n## %s policy `%.500s`\n\n", managed ? "Managed" : "Inline", policy);
    gen_repo_put(&c->diff, line);
    for (size_t i = 0; i < t->ns; i++)
        diff_statement(c, t->stmts[i], &t->outs[i], i);
    if (t->ns == 0)
        gen_repo_put(&c->diff, "- (no statements)\n");
    size_t total_after = 0;
    if (t->ndocs == 0) {
        gen_repo_doc *od = new_doc(c, policy, managed);
        od->before = t->zbefore;
        od->changed = 1;
        snprintf(line, sizeof line, "\nEvery statement was removed: nothing is left of it. Delete the policy "
                                    "(%zu -> 0 characters); no file is written for it.\n", t->zbefore);
        gen_repo_put(&c->diff, line);
    }
    for (size_t k = 0; k < t->ndocs; k++)
        emit_doc(c, t, k, policy, managed, &total_after);
    if (managed && t->ndocs > 1) {
        c->extra_managed += t->ndocs - 1;
        snprintf(line, sizeof line, "\nSplit into %zu managed policies: each stays under IAM's %d characters. "
                                    "Create and attach the new parts.\n", t->ndocs, GEN_POLICY_MAX_CHARS);
        gen_repo_put(&c->diff, line);
    }
    if (!managed)
        c->inline_total += total_after;
}

/* Tightens one document; appends its output documents and diff. */
static tt_status tighten_doc(ctx *c, const json_dom_node *docnode, const char *policy, int managed, const uint8_t *acts,
                             const uint8_t *remove, tt_error *err)
{
    rdoc d;
    tt_status st = gen_repo_load_doc(c->r, docnode, &d, err);
    if (st != TT_OK) {
        gen_repo_rdoc_free(&d);
        return st;
    }
    tdoc t;
    memset(&t, 0, sizeof t);
    t.root = d.root;
    const json_dom_node *sl = json_dom_get(t.root, "Statement");
    t.ns = sl ? (sl->t == JSON_DOM_ARR ? sl->nk : 1) : 0;
    t.stmts = tt_xcalloc(t.ns + 1, sizeof *t.stmts);
    t.outs = tt_xcalloc(t.ns + 1, sizeof *t.outs);
    tighten_statements(c, &t, sl, acts, remove);
    t.zbefore = size_before(c, &t);
    pack(c, &t, managed);
    emit(c, &t, policy, managed);
    for (size_t k = 0; k < t.ndocs; k++)
        free(t.docs[k].pcs);
    free(t.docs);
    for (size_t i = 0; i < t.ns; i++)
        stmt_out_free(&t.outs[i]);
    free(t.outs);
    free(t.stmts);
    gen_repo_rdoc_free(&d);
    return TT_OK;
}

tt_status gen_repo_tighten(gen_repo *r, size_t i, const uint8_t *acts, const uint8_t *remove, const char *header,
                           gen_repo_result *res, tt_error *err)
{
    memset(res, 0, sizeof *res);
    ctx c;
    memset(&c, 0, sizeof c);
    c.r = r;
    c.res = res;
    tt_buf_init(&c.diff, REPO_TEXT_CAP);
    gen_repo_put(&c.diff, header ? header : "");
    tt_status st = TT_OK;
    if (i >= r->nprs)
        return tt_fail(err, TT_ERR_USAGE, "no principal %zu", i);
    const json_dom_node *p = r->prs[i];
    c.user = r->is_user[i];
    const json_dom_node *il = json_dom_get(p, c.user ? "UserPolicyList" : "RolePolicyList");
    strs shared;
    memset(&shared, 0, sizeof shared);
    for (size_t k = 0; st == TT_OK && il && il->t == JSON_DOM_ARR && k < il->nk; k++) {
        const json_dom_node *pd = json_dom_get(&il->kids[k], "PolicyDocument");
        const char *pn = json_dom_get_str(&il->kids[k], "PolicyName");
        char name[64];
        snprintf(name, sizeof name, "inline-%zu", k + 1);
        if (pd) {
            res->own++;
            st = tighten_doc(&c, pd, pn ? pn : name, 0, acts, remove, err);
        }
    }
    const json_dom_node *al = json_dom_get(p, "AttachedManagedPolicies");
    for (size_t k = 0; st == TT_OK && al && al->t == JSON_DOM_ARR && k < al->nk; k++) {
        const char *arn = json_dom_get_str(&al->kids[k], "PolicyArn");
        rmanaged *m = arn ? gen_cimap_get(&r->by_arn, arn, "", 0) : NULL;
        c.attached++;
        char why[900];
        if (!m || !m->doc) {
            snprintf(why, sizeof why, "`%.500s`: not in the file (not read, not tightened)", arn ? arn : "?");
        } else if (strncmp(m->arn, "arn:aws:iam::aws:policy/", 24) == 0) {
            snprintf(why, sizeof why, "`%.500s`: an AWS managed policy (cannot be edited)", m->arn);
        } else if (m->users > 1 || m->shared) {
            snprintf(why, sizeof why, "`%.500s`: also used by %zu other principal%s%s (not tightened)", m->arn,
                     m->users - 1 + m->shared, m->users - 1 + m->shared == 1 ? "" : "s",
                     m->shared ? ", a group or a permissions boundary" : "");
        } else {
            res->own++;
            st = tighten_doc(&c, m->doc, m->name ? m->name : m->arn, 1, acts, remove, err);
            continue;
        }
        strs_add(&shared, why);
    }
    const json_dom_node *gl = c.user ? json_dom_get(p, "GroupList") : NULL;
    for (size_t k = 0; gl && gl->t == JSON_DOM_ARR && k < gl->nk; k++) {
        char why[700];
        if (gl->kids[k].t == JSON_DOM_STR) {
            snprintf(why, sizeof why, "group `%.500s`: its policies belong to the group (not tightened)", gl->kids[k].s);
            strs_add(&shared, why);
        }
    }
    if (shared.n) {
        gen_repo_put(&c.diff, "\n## Not tightened\n\n");
        for (size_t k = 0; k < shared.n; k++) {
            gen_repo_put(&c.diff, "- ");
            gen_repo_put(&c.diff, shared.v[k]);
            gen_repo_put(&c.diff, "\n");
        }
        gen_repo_put(&c.diff, "\nUnused actions these grant stay granted until they are removed there.\n");
    }
    strs_free(&shared);
    size_t ilimit = c.user ? GEN_REPO_USER_INLINE_MAX : GEN_REPO_ROLE_INLINE_MAX;
    if (st == TT_OK && c.inline_total > ilimit)
        refuse(&c, "its inline policies total %zu characters after tightening, over IAM's %zu for a %s's inline "
                   "policies (wildcards were expanded into the used actions); move some into a managed policy",
               c.inline_total, ilimit, c.user ? "user" : "role");
    if (st == TT_OK && (c.over || c.diff.over))
        refuse(&c, "its tightened documents and their diff would pass %u MiB of text (wildcards were"
                   " expanded into the used actions), far over IAM's limits",
               REPO_TEXT_CAP >> 20);
    if (st == TT_OK && c.attached + c.extra_managed > GEN_POLICY_MAX_DOCS)
        refuse(&c, "splitting needs %zu managed policies attached, over IAM's %d", c.attached + c.extra_managed,
               GEN_POLICY_MAX_DOCS);
    res->changes = c.diff.data ? c.diff.data : tt_xstrdup("");
    if (st != TT_OK)
        gen_repo_result_free(res);
    return st;
}

void gen_repo_result_free(gen_repo_result *res)
{
    for (size_t i = 0; i < res->ndocs; i++) {
        free(res->docs[i].policy);
        free(res->docs[i].file);
        free(res->docs[i].json);
    }
    free(res->docs);
    free(res->changes);
    free(res->refused);
    memset(res, 0, sizeof *res);
}
