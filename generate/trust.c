/*
 * trust.c - the trust model (trust.h): roles and who assumed them, and the
 * tightened trust policy of each. AWS principals with the same conditions
 * share a statement; each OIDC and SAML provider has its own, with the
 * exact sub/aud values seen; services share one.
 */
#include "trust.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct gen_trust {
    gen_trust_role *roles;
    size_t n, a;
};

/* ---- sets --------------------------------------------------------------- */

static void set_add(gen_trust_set *s, const char *v)
{
    if (!v || !v[0])
        return;
    for (size_t i = 0; i < s->kept; i++)
        if (strcmp(s->v[i], v) == 0)
            return;
    if (s->kept == GEN_TRUST_MAX_VALUES) {
        s->over = 1; /* counted once per value not kept: n is a lower bound then */
        s->n++;
        return;
    }
    s->v = tt_xrealloc(s->v, (s->kept + 1) * sizeof *s->v);
    s->v[s->kept++] = tt_xstrdup(v);
    s->n++;
}

static void set_free(gen_trust_set *s)
{
    for (size_t i = 0; i < s->kept; i++)
        free(s->v[i]);
    free(s->v);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void set_sort(gen_trust_set *s)
{
    if (s->kept > 1)
        qsort(s->v, s->kept, sizeof *s->v, cmp_str);
}

/* ---- the model ---------------------------------------------------------- */

gen_trust *gen_trust_create(void)
{
    return tt_xcalloc(1, sizeof(gen_trust));
}

static void assumer_free(gen_trust_assumer *a)
{
    free(a->principal);
    free(a->account);
    gen_trust_set *sets[] = {&a->ips, &a->callers, &a->external_ids, &a->source_identities,
                             &a->tag_keys, &a->subs, &a->auds, &a->names};
    for (size_t i = 0; i < sizeof sets / sizeof *sets; i++)
        set_free(sets[i]);
}

void gen_trust_free(gen_trust *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++) {
        gen_trust_role *r = &t->roles[i];
        for (size_t k = 0; k < r->n; k++)
            assumer_free(&r->as[k]);
        free(r->as);
        free(r->arn);
        free(r->account);
        free(r->name);
    }
    free(t->roles);
    free(t);
}

static gen_trust_role *role_get(gen_trust *t, const char *arn)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->roles[i].arn, arn) == 0)
            return &t->roles[i];
    if (t->n == t->a)
        t->roles = tt_xrealloc(t->roles, (t->a = t->a ? t->a * 2 : 16) * sizeof *t->roles);
    gen_trust_role *r = &t->roles[t->n++];
    memset(r, 0, sizeof *r);
    r->arn = tt_xstrdup(arn);
    const char *p = arn;
    for (int colons = 0; *p && colons < 4; p++)
        colons += *p == ':';
    const char *end = strchr(p, ':');
    r->account = end ? tt_xstrndup(p, (size_t)(end - p)) : tt_xstrdup("");
    const char *slash = strrchr(arn, '/');
    r->name = tt_xstrdup(slash ? slash + 1 : arn);
    return r;
}

static gen_trust_assumer *assumer_get(gen_trust_role *r, gen_trust_kind kind, const char *principal)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->as[i].kind == kind && strcmp(r->as[i].principal, principal) == 0)
            return &r->as[i];
    r->as = tt_xrealloc(r->as, (r->n + 1) * sizeof *r->as);
    gen_trust_assumer *a = &r->as[r->n++];
    memset(a, 0, sizeof *a);
    a->kind = kind;
    a->principal = tt_xstrdup(principal);
    a->account = tt_xstrdup("");
    return a;
}

static void add_tag_keys(gen_trust_set *s, const char *keys)
{
    char one[GEN_TRUST_FIELD];
    while (*keys) {
        const char *comma = strchr(keys, ',');
        size_t n = comma ? (size_t)(comma - keys) : strlen(keys);
        snprintf(one, sizeof one, "%.*s", (int)n, keys);
        set_add(s, one);
        keys += n + (comma != NULL);
    }
}

static void span(int64_t *count, int64_t *first, int64_t *last, int64_t t)
{
    if (!*count || t < *first)
        *first = t;
    if (!*count || t > *last)
        *last = t;
    (*count)++;
}

void gen_trust_add(gen_trust *t, const gen_trust_event *ev)
{
    gen_trust_role *r = role_get(t, ev->role);
    gen_trust_assumer *a = assumer_get(r, ev->kind, ev->principal);
    span(&r->count, &r->first, &r->last, ev->t);
    span(&a->count, &a->first, &a->last, ev->t);
    if (!a->account[0] && ev->account[0]) {
        free(a->account);
        a->account = tt_xstrdup(ev->account);
    }
    a->mfa_yes += ev->mfa == 2;
    a->mfa_no += ev->mfa == 1;
    a->with_external_id += ev->has_external_id != 0;
    a->with_source_identity += ev->source_identity[0] != '\0';
    a->with_tags += ev->tag_keys[0] != '\0';
    a->transitive += ev->transitive != 0;
    set_add(&a->ips, ev->ip);
    set_add(&a->callers, ev->caller);
    set_add(&a->external_ids, ev->has_external_id ? ev->external_id : NULL);
    set_add(&a->source_identities, ev->source_identity);
    add_tag_keys(&a->tag_keys, ev->tag_keys);
    set_add(&a->subs, ev->sub);
    set_add(&a->auds, ev->aud);
    set_add(&a->names, ev->name);
}

static int cmp_assumer(const void *x, const void *y)
{
    const gen_trust_assumer *a = x, *b = y;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    return strcmp(a->principal, b->principal);
}

static int cmp_role(const void *x, const void *y)
{
    return strcmp(((const gen_trust_role *)x)->arn, ((const gen_trust_role *)y)->arn);
}

void gen_trust_finish(gen_trust *t)
{
    for (size_t i = 0; i < t->n; i++) {
        gen_trust_role *r = &t->roles[i];
        for (size_t k = 0; k < r->n; k++) {
            set_sort(&r->as[k].external_ids);
            set_sort(&r->as[k].tag_keys);
            set_sort(&r->as[k].subs);
            set_sort(&r->as[k].auds);
        }
        if (r->n > 1)
            qsort(r->as, r->n, sizeof *r->as, cmp_assumer);
    }
    if (t->n > 1)
        qsort(t->roles, t->n, sizeof *t->roles, cmp_role);
}

size_t gen_trust_count(const gen_trust *t)
{
    return t->n;
}

const gen_trust_role *gen_trust_at(const gen_trust *t, size_t i)
{
    return i < t->n ? &t->roles[i] : NULL;
}

static int name_matches(const char *arn, const char *name)
{
    size_t a = strlen(arn), n = strlen(name);
    if (strcmp(arn, name) == 0)
        return 1;
    if (n >= a || (arn[a - n - 1] != '/' && arn[a - n - 1] != ':'))
        return 0;
    return strcmp(arn + a - n, name) == 0 && strstr(arn, ":role/") != NULL;
}

const gen_trust_role *gen_trust_find(const gen_trust *t, const char *name, int *ambiguous)
{
    const gen_trust_role *found = NULL;
    *ambiguous = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (!name_matches(t->roles[i].arn, name))
            continue;
        if (strcmp(t->roles[i].arn, name) == 0)
            return &t->roles[i];
        *ambiguous = found != NULL;
        found = &t->roles[i];
    }
    return *ambiguous ? NULL : found;
}

const gen_trust_role *gen_trust_role_of(const gen_trust *t, const char *arn)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->roles[i].arn, arn) == 0)
            return &t->roles[i];
    return NULL;
}

/* ---- providers ---------------------------------------------------------- */

const char *gen_trust_issuer(const char *principal)
{
    const char *p = strstr(principal, ":oidc-provider/");
    return p ? p + strlen(":oidc-provider/") : principal;
}

const char *gen_trust_provider_label(const char *principal)
{
    const char *iss = gen_trust_issuer(principal);
    if (strcmp(iss, "token.actions.githubusercontent.com") == 0)
        return "GitHub Actions";
    if (strncmp(iss, "oidc.eks.", 9) == 0 && strstr(iss, ".amazonaws.com/id/"))
        return "EKS (IRSA)";
    if (strcmp(iss, "cognito-identity.amazonaws.com") == 0)
        return "Cognito";
    if (strcmp(iss, "accounts.google.com") == 0)
        return "Google";
    if (strcmp(iss, "gitlab.com") == 0)
        return "GitLab CI";
    if (strcmp(iss, "app.terraform.io") == 0)
        return "Terraform Cloud";
    if (strstr(principal, ":saml-provider/"))
        return "SAML";
    return "OIDC";
}
