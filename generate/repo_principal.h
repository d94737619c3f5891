/*
 * repo_principal.h - what `trailtrim repo` decides for one principal of
 * the authorization-details file besides its tightened policies (repo.h):
 * the reason of its verdict (judge.h), its trust policy narrowed to who
 * assumed the role in the window (trust_tighten.h) and linted, the lint of
 * its tightened documents, and the text of its summary line's trust part.
 * cmd_repo.c writes the files and the summary.
 */
#ifndef TT_GEN_REPO_PRINCIPAL_H
#define TT_GEN_REPO_PRINCIPAL_H

#include "authz.h"
#include "catalog.h"
#include "judge.h"
#include "repo.h"
#include "trust.h"
#include "trust_tighten.h"

#include "common/tt.h"

#include <stddef.h>
#include <stdint.h>

/* The reason shown for jd's verdict on p, for the window starting on
 * from_day, into why[0..n): "not judged: ..." or "judged on N days ...". */
void gen_repo_verdict_text(const gen_judged *jd, const gen_authz_principal *p, int32_t from_day, char *why, size_t n);

/* The file of role stem's trust policy into buf[0..n): STEM.trust.json,
 * unless one of res's permission documents has that name
 * (STEM.assume-role-policy.json then). */
void gen_repo_trust_file(const gen_repo_result *res, const char *stem, char *buf, size_t n);

/* Principal i (p) of rp: its role's trust policy narrowed to who assumed
 * it in trust (tt->json, to be written as file), or why not (tt->why_not);
 * all zero for a user or a role without a document. A narrowed document
 * that fails the trust lint is dropped, and tt->changes says so. *tt is
 * the caller's (gen_trust_tightened_free), also on failure. */
tt_status gen_repo_trust_part(gen_repo *rp, const gen_trust *trust, const gen_authz_principal *p, size_t i,
                              const char *file, gen_trust_tightened *tt, tt_error *err);

/* Lints every permission document of res (p's, named who in messages)
 * against its size cap (managed, or the user or role inline cap); a
 * failure is an internal error naming the document. *unknown_total counts
 * action names the catalog cat lacks. */
tt_status gen_repo_lint_docs(const gen_catalog *cat, const gen_authz_principal *p, const char *who,
                             const gen_repo_result *res, size_t *unknown_total, tt_error *err);

/* The trust part of a summary line into buf[0..n): "; trust policy
 * narrowed ... in FILE", "; trust policy not rewritten: WHY", or "". */
void gen_repo_trust_text(const gen_trust_tightened *tt, const char *file, char *buf, size_t n);

#endif /* TT_GEN_REPO_PRINCIPAL_H */
