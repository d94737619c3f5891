/*
 * trust.h - who may become whom: the model behind `trailtrim trust`. Each
 * successful AssumeRole, AssumeRoleWithWebIdentity and AssumeRoleWithSAML
 * record is reduced to the role it targets and the principal a trust
 * policy would name (an AWS principal, an OIDC or SAML provider, or an AWS
 * service), with what the record says about the call (MFA, external ID,
 * source identity, session tags, OIDC sub/aud, SAML aud). The model then
 * writes, per role, the tightened trust policy that allows exactly those
 * assumers, as JSON, Terraform or CloudFormation. Pure logic: no I/O.
 */
#ifndef TT_GEN_TRUST_H
#define TT_GEN_TRUST_H

#include "policy.h"

#include "common/mem.h"
#include "common/tt.h"

#include <stdint.h>

/* The caps: distinct values kept per set (more are counted, not kept), and
 * one field of a record. */
#define GEN_TRUST_MAX_VALUES 64
#define GEN_TRUST_FIELD 512

/* IAM's limit on a role's trust policy, in characters without whitespace:
 * 2048 by default, 4096 at most with a quota increase. */
#define GEN_TRUST_DEFAULT_CHARS 2048
#define GEN_TRUST_MAX_CHARS 4096

typedef enum gen_trust_kind {
    GEN_TRUST_AWS = 0, /* a user, role, account or federated user: "AWS" */
    GEN_TRUST_OIDC,    /* a web identity provider: "Federated", AssumeRoleWithWebIdentity */
    GEN_TRUST_SAML,    /* a SAML provider: "Federated", AssumeRoleWithSAML */
    GEN_TRUST_SERVICE, /* an AWS service principal: "Service" */
    GEN_TRUST_NKINDS
} gen_trust_kind;

/* One assumption as its record tells it. Fixed buffers: every field is cut
 * at GEN_TRUST_FIELD - 1 bytes (ending in "..." then, and never trusted
 * as a condition value: gen_trust_event_parse refuses such records). */
typedef struct gen_trust_event {
    int64_t t;
    char name[40];                    /* AssumeRole, AssumeRoleWithWebIdentity, AssumeRoleWithSAML */
    char role[GEN_TRUST_FIELD];       /* requestParameters.roleArn */
    gen_trust_kind kind;
    char principal[GEN_TRUST_FIELD];  /* what a trust policy names (ARN, provider ARN, service) */
    char caller[GEN_TRUST_FIELD];     /* userIdentity.arn, "" when absent */
    char account[16];                 /* the caller's account, "" when unknown */
    char itype[40];                   /* userIdentity.type */
    char ip[80];
    int mfa;                          /* 0 unknown, 1 no, 2 yes */
    int has_external_id;
    char external_id[GEN_TRUST_FIELD];
    char source_identity[GEN_TRUST_FIELD];
    char tag_keys[GEN_TRUST_FIELD];   /* session tag keys, comma-separated */
    int transitive;                   /* some tag was transitive */
    char sub[GEN_TRUST_FIELD];        /* OIDC subject; SAML subject */
    char aud[GEN_TRUST_FIELD];        /* OIDC audience; SAML:aud */
} gen_trust_event;

/* Reads one CloudTrail record rec[0..len) into *ev. TT_ERR_FORMAT (err
 * says why) when it is not a successful assumption with a roleArn, or a
 * value a condition would need was cut. */
tt_status gen_trust_event_parse(const char *rec, size_t len, gen_trust_event *ev, tt_error *err);

/* A set of distinct strings in first-seen order; n counts them all, at
 * most GEN_TRUST_MAX_VALUES are kept (over says some were not). */
typedef struct gen_trust_set {
    char **v;
    size_t n, kept;
    int over;
} gen_trust_set;

/* One principal that assumed a role. */
typedef struct gen_trust_assumer {
    gen_trust_kind kind;
    char *principal;
    char *account;
    int64_t count, first, last;
    int64_t mfa_yes, mfa_no, with_external_id, with_source_identity, with_tags, transitive;
    gen_trust_set ips, callers, external_ids, source_identities, tag_keys, subs, auds, names;
} gen_trust_assumer;

typedef struct gen_trust_role {
    char *arn, *account, *name;
    gen_trust_assumer *as; /* sorted by kind, then principal, after gen_trust_finish */
    size_t n;
    int64_t count, first, last;
} gen_trust_role;

typedef struct gen_trust gen_trust;

gen_trust *gen_trust_create(void);
void gen_trust_free(gen_trust *t); /* accepts NULL */

/* Adds one assumption (copied). */
void gen_trust_add(gen_trust *t, const gen_trust_event *ev);

/* Sorts roles by ARN and assumers by kind and principal; call once, after
 * the last gen_trust_add. */
void gen_trust_finish(gen_trust *t);

size_t gen_trust_count(const gen_trust *t);
const gen_trust_role *gen_trust_at(const gen_trust *t, size_t i);

/* The role whose ARN is name, or whose ARN ends in "/name" or ":role/name"
 * (a name, or a path and name). NULL when none; *ambiguous set when more
 * than one matches. */
const gen_trust_role *gen_trust_find(const gen_trust *t, const char *name, int *ambiguous);

/* The roles a role's principal ARN assumed it from, for a chain: the
 * assumers of role arn (NULL when arn is no role of the model). */
const gen_trust_role *gen_trust_role_of(const gen_trust *t, const char *arn);

/* The issuer of an OIDC provider ("token.actions.githubusercontent.com")
 * from its ARN or name, and a label of who runs it ("GitHub Actions", "EKS
 * (IRSA)", "Cognito", ... or "OIDC"). Borrowed from principal / static. */
const char *gen_trust_issuer(const char *principal);
const char *gen_trust_provider_label(const char *principal);

/* Writes role r's tightened trust policy as pretty JSON (ends with a
 * newline). TT_ERR_LIMIT when a set of condition values overflowed or the
 * document is over GEN_TRUST_MAX_CHARS; the message says which. */
tt_status gen_trust_policy(const gen_trust_role *r, tt_buf *out, tt_error *err);

/* Renders a trust policy json as a Terraform aws_iam_role (its
 * assume_role_policy) or a CloudFormation AWS::IAM::Role (its
 * AssumeRolePolicyDocument) for role name; JSON as it is. */
tt_status gen_trust_render(const char *json, gen_format f, const char *role_name, const char *description,
                           tt_buf *out, tt_error *err);

/* Role r's trust policy for the days [from_day, to_day]: built
 * (gen_trust_policy), linted (a failure is an internal error), and
 * rendered in fmt into out (gen_trust_render; the description says who
 * assumed it in the window). The scratch document has out's cap.
 * *over_default is 1 when the linted document is longer than
 * GEN_TRUST_DEFAULT_CHARS, also when the rendering then fails. */
tt_status gen_trust_document(const gen_trust_role *r, gen_format fmt, int32_t from_day, int32_t to_day, tt_buf *out,
                             int *over_default, tt_error *err);

/* Lints a trust policy: strict JSON, Version 2012-10-17, a non-empty
 * Statement with at least one Allow; each Allow with a Principal (AWS,
 * Federated or Service; never "*"), no Resource, and only the actions
 * sts:AssumeRole, sts:AssumeRoleWithWebIdentity, sts:AssumeRoleWithSAML,
 * sts:TagSession, sts:SetSourceIdentity; each Deny (kept from a document
 * by `repo`) with a Principal or NotPrincipal (wildcards allowed) and STS
 * actions; at most max_chars characters without whitespace (0:
 * GEN_TRUST_MAX_CHARS). */
tt_status gen_trust_lint(const char *json, size_t len, size_t max_chars, tt_error *err);

#endif /* TT_GEN_TRUST_H */
