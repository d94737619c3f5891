/*
 * keys.c - gen_keys (keys.h): matching the credential report's key slots
 * to the keys the logs saw, and the findings.
 */
#include "keys.h"

#include "common/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MS 86400000LL

gen_key *gen_keys_get(gen_keys *k, const char *key)
{
    for (size_t i = 0; i < k->n; i++)
        if (strcmp(k->keys[i].key, key) == 0)
            return &k->keys[i];
    if (k->n == k->a)
        k->keys = tt_xrealloc(k->keys, (k->a = k->a ? k->a * 2 : 32) * sizeof *k->keys);
    gen_key *g = &k->keys[k->n++];
    memset(g, 0, sizeof *g);
    g->key = tt_xstrdup(key);
    g->owner = tt_xstrdup("");
    g->newest_ip = tt_xstrdup("");
    g->newest_agent = tt_xstrdup("");
    g->service_list = tt_xstrdup("");
    g->region_list = tt_xstrdup("");
    g->minted = tt_xstrdup("");
    g->findings = tt_xstrdup("");
    g->active = -1;
    return g;
}

static void append(char **list, const char *sep, const char *text)
{
    size_t a = strlen(*list), b = strlen(text), s = a ? strlen(sep) : 0;
    *list = tt_xrealloc(*list, a + s + b + 1);
    memcpy(*list + a, sep, s);
    memcpy(*list + a + s, text, b + 1);
}

void gen_keys_list_add(char **list, const char *name, int64_t n)
{
    char item[600];
    snprintf(item, sizeof item, "%.500s (%lld)", name, (long long)n);
    append(list, ", ", item);
}

static int64_t absdiff(int64_t a, int64_t b)
{
    return a > b ? a - b : b - a;
}

/* The seen key of owner arn, not yet matched, whose last use is nearest. */
static gen_key *nearest(gen_keys *k, size_t nseen, const char *arn, int64_t last_used)
{
    gen_key *best = NULL;
    for (size_t i = 0; i < nseen; i++) {
        gen_key *g = &k->keys[i];
        if (g->slot || strcmp(g->owner, arn) != 0)
            continue;
        if (!best || absdiff(g->last, last_used) < absdiff(best->last, last_used))
            best = g;
    }
    return best;
}

static void match_user(gen_keys *k, size_t nseen, const gen_cred_user *u)
{
    for (int s = 0; s < 2; s++) {
        const gen_cred_key *c = &u->key[s];
        if (!c->active && !c->last_rotated)
            continue; /* an empty slot */
        gen_key *g = nearest(k, nseen, u->arn, c->last_used);
        if (!g && !c->active)
            continue; /* an inactive key the logs did not see: nothing to say */
        if (!g) {
            char name[700];
            snprintf(name, sizeof name, "(key %d of %.600s)", s + 1, u->user);
            g = gen_keys_get(k, name);
            free(g->owner);
            g->owner = tt_xstrdup(u->arn);
        }
        g->slot = s + 1;
        g->active = c->active;
        g->last_rotated = c->last_rotated;
        g->report_last_used = c->last_used;
        g->root = strcmp(u->user, "<root_account>") == 0;
    }
}

static void finding(gen_keys *k, gen_key *g, const char *text)
{
    append(&g->findings, "; ", text);
    k->findings++;
}

static void judge_key(gen_keys *k, gen_key *g, int64_t now_ms, int unused_days, int max_age_days)
{
    char t[200];
    int64_t last = g->last > g->report_last_used ? g->last : g->report_last_used;
    g->days_since_use = last ? (now_ms - last) / DAY_MS : -1;
    g->age_days = g->last_rotated ? (now_ms - g->last_rotated) / DAY_MS : -1;
    if (g->active == 0 && !g->seen)
        return;
    if (g->root)
        finding(k, g, "an access key of the root user");
    if (g->days_since_use > unused_days) {
        g->unused = 1;
        snprintf(t, sizeof t, "unused for %lld days (over %d)", (long long)g->days_since_use, unused_days);
        finding(k, g, t);
    } else if (g->days_since_use < 0 && (g->age_days < 0 || g->age_days > unused_days)) {
        g->unused = 1;
        finding(k, g, "never used");
    }
    if (g->age_days > max_age_days) {
        g->too_old = 1;
        snprintf(t, sizeof t, "%lld days since its last rotation (over %d)", (long long)g->age_days, max_age_days);
        finding(k, g, t);
    }
    if (g->active == 0 && g->seen)
        finding(k, g, "inactive now, but used in the window");
    if (k->with_report && g->seen && !g->slot)
        finding(k, g, "not in the credential report (deleted since, or of another account)");
    if (k->with_report && !g->seen && g->active == 1)
        finding(k, g, "active, and not in the logs in the window");
}

static void add_no_mfa(gen_keys *k, const gen_cred_user *u)
{
    k->no_mfa = tt_xrealloc(k->no_mfa, (k->nno_mfa + 1) * sizeof *k->no_mfa);
    gen_key_user *m = &k->no_mfa[k->nno_mfa++];
    m->user = tt_xstrdup(u->user);
    m->arn = tt_xstrdup(u->arn);
    m->password_enabled = u->password_enabled;
    m->mfa_active = u->mfa_active;
    m->password_last_used = u->password_last_used;
    k->findings++;
}

void gen_keys_judge(gen_keys *k, const gen_credreport *rep, int64_t now_ms, int unused_days, int max_age_days)
{
    size_t nseen = k->n;
    k->with_report = rep != NULL;
    for (size_t i = 0; rep && i < rep->n; i++) {
        match_user(k, nseen, &rep->users[i]);
        if (rep->users[i].password_enabled && !rep->users[i].mfa_active)
            add_no_mfa(k, &rep->users[i]);
    }
    for (size_t i = 0; i < k->n; i++)
        judge_key(k, &k->keys[i], now_ms, unused_days, max_age_days);
}

void gen_keys_free(gen_keys *k)
{
    for (size_t i = 0; i < k->n; i++) {
        gen_key *g = &k->keys[i];
        char *owned[] = {g->key, g->owner, g->newest_ip, g->newest_agent, g->service_list, g->region_list,
                         g->minted, g->findings};
        for (size_t j = 0; j < sizeof owned / sizeof *owned; j++)
            free(owned[j]);
    }
    for (size_t i = 0; i < k->nno_mfa; i++) {
        free(k->no_mfa[i].user);
        free(k->no_mfa[i].arn);
    }
    free(k->keys);
    free(k->no_mfa);
    memset(k, 0, sizeof *k);
}
