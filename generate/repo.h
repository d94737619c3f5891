/*
 * repo.h - Repokid's "repo" step, offline: a principal's own policy
 * documents (its inline policies, and the customer-managed policies no
 * other principal, group or boundary uses) rewritten without the actions
 * the unused report judged unused. Deny, NOREPO, conditional and
 * resource-scoped statements are kept as they are; a wildcard is expanded
 * only when it must be narrowed; statements left empty are dropped; IAM's
 * size limits are kept (managed documents split, or a refusal).
 */
#ifndef TT_GEN_REPO_H
#define TT_GEN_REPO_H

#include "catalog.h"
#include "json/jdom.h"

#include "common/mem.h"

#include <stdint.h>

/* IAM's limits on inline policies, characters without whitespace, summed
 * over all inline policies of one role or user (policy.h has the managed
 * limit, GEN_POLICY_MAX_CHARS, and GEN_POLICY_MAX_DOCS). */
#define GEN_REPO_ROLE_INLINE_MAX 10240
#define GEN_REPO_USER_INLINE_MAX 2048

typedef struct gen_repo gen_repo;

/* Reads the policy documents of an authorization-details file json[0..len)
 * (borrowed: it must outlive the gen_repo). The file is expected to have
 * passed gen_authz_parse; errors here are still reported, never assumed
 * away. name is the file's name for messages. */
tt_status gen_repo_open(gen_repo **out, const gen_catalog *c, const char *json, size_t len, const char *name,
                        tt_error *err);
void gen_repo_free(gen_repo *r); /* accepts NULL */

/* One output document of a principal. */
typedef struct gen_repo_doc {
    char *policy;    /* the policy's name ("app-inline", "BigEc2-part2") */
    char *file;      /* a safe file name for it ("app-inline.json") */
    int managed;     /* 1: a customer-managed policy (or a part of one) */
    char *json;      /* the tightened document, pretty; NULL: nothing left (delete it) */
    size_t before, after; /* characters IAM counts, before and after */
    int changed;
} gen_repo_doc;

/* The outcome for one principal: documents, a readable diff, or why not. */
typedef struct gen_repo_result {
    gen_repo_doc *docs;
    size_t ndocs;
    char *changes;  /* Markdown: statement by statement */
    size_t removed; /* action grants removed (counted per statement) */
    char *refused;  /* non-NULL: why nothing may be written (a limit) */
    int own;        /* documents of its own found (0: nothing to tighten) */
    int norepo_only;/* every Allow statement it owns is NOREPO */
} gen_repo_result;

/* Tightens principal i (gen_authz order: users first, then roles). acts
 * are its GEN_AZ_* flags per catalog action (gen_authz_principal.acts),
 * remove[k] != 0 for the catalog actions judged unused. header (copied)
 * starts the diff. Fills *res (free with gen_repo_result_free). Fails only
 * on a malformed document. */
tt_status gen_repo_tighten(gen_repo *r, size_t i, const uint8_t *acts, const uint8_t *remove, const char *header,
                           gen_repo_result *res, tt_error *err);
void gen_repo_result_free(gen_repo_result *res);

/* Lints a tightened document: strict JSON, Version 2012-10-17, a non-empty
 * Statement, known elements only, Effect Allow or Deny, Sids alphanumeric
 * and unique, exactly one of Action/NotAction and of Resource/NotResource,
 * every action "*" or prefix:name with an IAM service prefix, and at most
 * max_chars characters without whitespace. Wildcards and NotAction are
 * allowed (they come from the customer's own documents): gen_policy_lint
 * is for generated ones. *unknown (may be NULL) counts action names the
 * catalog matches nothing for (kept verbatim; a warning, not an error). */
tt_status gen_repo_lint(const gen_catalog *c, const char *json, size_t len, size_t max_chars, size_t *unknown,
                        tt_error *err);

/* Appends node n to b as pretty JSON, the way the tightened documents are
 * written (two spaces per level; depth is n's level; string values
 * escaped, literals as their raw text). Aborts past b's cap. */
void gen_repo_render_json(tt_buf *b, const json_dom_node *n, int depth);

/* The AssumeRolePolicyDocument of principal i (NULL for a user, or a role
 * without one). Borrowed from the gen_repo. */
const json_dom_node *gen_repo_trust_doc(const gen_repo *r, size_t i);

#endif /* TT_GEN_REPO_H */
