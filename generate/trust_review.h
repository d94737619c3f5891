/*
 * trust_review.h - a role's trust policy as granted (its
 * AssumeRolePolicyDocument in the authorization-details file) against who
 * assumed it in the window (trust.h): the trusted principals never seen
 * (accounts, roles, providers, services, OIDC subjects matched against the
 * document's wildcards), and findings with a severity and a reason (an OIDC
 * provider without an aud/sub condition, a sub wildcard wider than what was
 * used, "AWS": "*" or a whole other account without sts:ExternalId or
 * aws:PrincipalOrgID, a role no one assumed).
 */
#ifndef TT_GEN_TRUST_REVIEW_H
#define TT_GEN_TRUST_REVIEW_H

#include "json/jdom.h"
#include "trust.h"

typedef enum gen_trust_sev {
    GEN_SEV_INFO = 0,
    GEN_SEV_LOW,
    GEN_SEV_MEDIUM,
    GEN_SEV_HIGH,
    GEN_SEV_CRITICAL
} gen_trust_sev;

const char *gen_trust_sev_name(gen_trust_sev s); /* "info" ... "critical" */

typedef struct gen_trust_finding {
    gen_trust_sev sev;
    char *what;   /* the principal or condition it is about */
    char *reason; /* why, in a sentence */
} gen_trust_finding;

typedef struct gen_trust_review {
    gen_trust_finding *f;
    size_t n;
    char **unseen; /* trusted principals (and OIDC subject patterns) no one used */
    size_t nunseen;
    int64_t assumptions; /* in the window */
} gen_trust_review;

/* Reviews the trust document doc (the AssumeRolePolicyDocument member: an
 * object, or URL-encoded JSON text) of role role_arn against r (NULL when
 * no one assumed it). not_judged (may be NULL) is why no usage is not
 * proof of no use (a young role, coverage gaps, no data): with it, "no one
 * assumed it" is only informative. place names the document for errors. */
tt_status gen_trust_review_doc(const json_dom_node *doc, const char *role_arn, const gen_trust_role *r,
                               const char *not_judged, const char *place, gen_trust_review *out, tt_error *err);
void gen_trust_review_free(gen_trust_review *v); /* accepts a zeroed one */

/* The AssumeRolePolicyDocument of role arn in an authorization-details
 * document root (NULL when the file has no such role or document). */
const json_dom_node *gen_trust_doc_of(const json_dom_node *root, const char *arn);

#endif /* TT_GEN_TRUST_REVIEW_H */
