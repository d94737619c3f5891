/*
 * repo_principal.c - gen_repo_* of repo_principal.h: what `repo` decides
 * and says for one principal besides tightening its policies: the reason
 * of its verdict, the name and the narrowing of its trust policy, the lint
 * of its tightened documents, the trust part of its summary line.
 */
#include "repo_principal.h"
#include "policy.h"
#include "trust.h"

#include "common/mem.h"
#include "common/ttime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void gen_repo_verdict_text(const gen_judged *jd, const gen_authz_principal *p, int32_t from_day, char *why, size_t n)
{
    char day[11], t[21];
    switch (jd->verdict) {
    case GEN_VERDICT_YOUNG:
        tt_time_format(p->created_ms, t);
        tt_day_format(from_day, day);
        snprintf(why, n, "not judged: created %s, after the window's start (%s): too young", t, day);
        return;
    case GEN_VERDICT_NODATA:
        snprintf(why, n, "not judged: the store holds no events of account %s in the window",
                 p->account[0] ? p->account : "(none)");
        return;
    case GEN_VERDICT_GAPS:
        snprintf(why, n, "not judged: coverage gaps in account %s (no events on %d of the window's %d days)",
                 p->account, (int)jd->missing, (int)jd->days);
        return;
    case GEN_VERDICT_JUDGED: break;
    }
    snprintf(why, n, "judged on %d days of complete coverage", (int)jd->days);
}

/* Appends text to *s (owned). */
static void append(char **s, const char *text)
{
    size_t a = strlen(*s), b = strlen(text);
    *s = tt_xrealloc(*s, a + b + 1);
    memcpy(*s + a, text, b + 1);
}

void gen_repo_trust_file(const gen_repo_result *res, const char *stem, char *buf, size_t n)
{
    snprintf(buf, n, "%s.trust.json", stem);
    for (size_t k = 0; k < res->ndocs; k++)
        if (strcmp(res->docs[k].file, buf) == 0)
            snprintf(buf, n, "%s.assume-role-policy.json", stem);
}

tt_status gen_repo_trust_part(gen_repo *rp, const gen_trust *trust, const gen_authz_principal *p, size_t i,
                              const char *file, gen_trust_tightened *tt, tt_error *err)
{
    memset(tt, 0, sizeof *tt);
    const json_dom_node *doc = gen_repo_trust_doc(rp, i);
    if (!doc)
        return TT_OK;
    char place[2400];
    snprintf(place, sizeof place, "RoleDetailList[] %.2000s, its AssumeRolePolicyDocument", p->arn);
    tt_status st = gen_trust_tighten(doc, p->arn, gen_trust_role_of(trust, p->arn), file, place, tt, err);
    tt_error e;
    if (st != TT_OK || !tt->json || gen_trust_lint(tt->json, strlen(tt->json), 0, &e) == TT_OK)
        return st;
    char line[TT_ERRMSG_MAX + 200];
    snprintf(line, sizeof line, "the narrowed document fails the trust lint (%s)", e.msg);
    append(&tt->changes, "\nNot written: ");
    append(&tt->changes, line);
    append(&tt->changes, ". The trust document stays as it is.\n");
    free(tt->json);
    tt->json = NULL;
    tt->why_not = tt_xstrdup(line);
    return TT_OK;
}

tt_status gen_repo_lint_docs(const gen_catalog *cat, const gen_authz_principal *p, const char *who,
                             const gen_repo_result *res, size_t *unknown_total, tt_error *err)
{
    *unknown_total = 0;
    for (size_t k = 0; k < res->ndocs; k++) {
        const gen_repo_doc *d = &res->docs[k];
        size_t unknown = 0, cap = d->managed ? GEN_POLICY_MAX_CHARS
                                 : strcmp(p->kind, "user") == 0 ? GEN_REPO_USER_INLINE_MAX
                                                                : GEN_REPO_ROLE_INLINE_MAX;
        if (!d->json)
            continue;
        tt_status st = gen_repo_lint(cat, d->json, strlen(d->json), cap, &unknown, err);
        if (st != TT_OK) {
            char e[TT_ERRMSG_MAX];
            snprintf(e, sizeof e, "%s", err->msg);
            return tt_fail(err, st, "internal error: the tightened %s of %s fails the lint: %s", d->file, who, e);
        }
        *unknown_total += unknown;
    }
    return TT_OK;
}

void gen_repo_trust_text(const gen_trust_tightened *tt, const char *file, char *buf, size_t n)
{
    if (tt->json)
        snprintf(buf, n, "; trust policy narrowed (%zu trusted principal%s or subject%s removed) in %s", tt->removed,
                 tt->removed == 1 ? "" : "s", tt->removed == 1 ? "" : "s", file);
    else if (tt->why_not)
        snprintf(buf, n, "; trust policy not rewritten: %.700s", tt->why_not);
    else
        buf[0] = '\0';
}
