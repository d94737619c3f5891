/*
 * trust_tighten.h - a role's existing trust policy (its
 * AssumeRolePolicyDocument) narrowed to who assumed the role in the window
 * (trust.h), for `repo`. Never wider than the document: each Allow
 * statement keeps its Action and every condition it had, its principals
 * shrink to the observed assumers it covers (an account or "*" becomes the
 * ARNs seen), an OIDC sub condition becomes StringEquals on the subjects
 * used that its values allowed, and the conditions `trust` writes (an
 * external ID or MFA on every call, the session tag keys, an OIDC aud,
 * SAML:aud) are added where the statement has no condition on that key.
 * Deny statements are kept as they are. Trusted services never seen are
 * kept (services often assume roles without a record in the account).
 */
#ifndef TT_GEN_TRUST_TIGHTEN_H
#define TT_GEN_TRUST_TIGHTEN_H

#include "json/jdom.h"
#include "trust.h"

typedef struct gen_trust_tightened {
    char *json;      /* the tightened document, pretty, ending in a newline; NULL: not rewritten */
    char *changes;   /* Markdown: statement by statement, or why it is not rewritten */
    char *why_not;   /* NULL when json is set; else a short reason, for a summary line */
    size_t before, after; /* characters IAM counts */
    size_t removed;  /* trusted principals and subject patterns removed */
} gen_trust_tightened;

/* Tightens doc (the AssumeRolePolicyDocument member: an object or
 * URL-encoded JSON text) of role role_arn against r, its assumers in the
 * window (NULL: no one assumed it). file is the name the document will be
 * written under (it is named in the diff). A document that cannot be
 * narrowed (no one assumed the role, a set of values too large to list)
 * is not an error: out->json stays NULL and out->why_not says why.
 * TT_ERR_FORMAT (with place) when doc is not a policy document. Free
 * with gen_trust_tightened_free. */
tt_status gen_trust_tighten(const json_dom_node *doc, const char *role_arn, const gen_trust_role *r,
                            const char *file, const char *place, gen_trust_tightened *out, tt_error *err);
void gen_trust_tightened_free(gen_trust_tightened *t); /* accepts a zeroed one */

#endif /* TT_GEN_TRUST_TIGHTEN_H */
