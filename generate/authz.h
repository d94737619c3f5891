/*
 * authz.h - what each IAM user and role is granted, at action level, from
 * the JSON `aws iam get-account-authorization-details` prints: inline and
 * attached managed policies (the default version), a user's groups, and
 * the permissions boundary. Wildcards and NotAction are expanded against
 * the catalog; unconditional Deny on every resource subtracts; a boundary
 * intersects. The file is untrusted: sizes and nesting are capped, and a
 * malformed document is an error that names the place.
 */
#ifndef TT_GEN_AUTHZ_H
#define TT_GEN_AUTHZ_H

#include "catalog.h"
#include "json/jdom.h"

#include <stdint.h>

/* The caps on the file: its bytes, JSON nesting, and JSON values. */
#define GEN_AUTHZ_MAX_BYTES (256u << 20)
#define GEN_AUTHZ_MAX_DEPTH 64
#define GEN_AUTHZ_MAX_NODES (16u << 20)

/* The depth and value caps above, for json_dom_parse() of the file and of
 * the policy documents in it (repo.c reads the same file). */
extern const json_dom_caps gen_authz_caps;

/* Flags of one catalog action for one principal. */
enum {
    GEN_AZ_GRANTED = 1,     /* allowed, not denied, inside the boundary */
    GEN_AZ_CONDITIONAL = 2, /* every Allow of it has a Condition (still counted as granted) */
    GEN_AZ_SCOPED = 4,      /* every Allow of it names specific resources */
    GEN_AZ_NOREPO = 8,      /* a statement whose Sid starts with NOREPO allows it */
    GEN_AZ_DENIED = 16,     /* allowed, but an unconditional Deny on every resource removes it */
    GEN_AZ_BOUNDARY = 32,   /* allowed, but outside the permissions boundary */
    GEN_AZ_PARTIAL_DENY = 64 /* a Deny with a Condition or on some resources may apply */
};

typedef struct gen_authz gen_authz;

/* One user or role. Strings and acts live as long as the gen_authz. */
typedef struct gen_authz_principal {
    const char *arn, *name;
    const char *kind;     /* "user" or "role" */
    const char *account;  /* the account of the ARN ("" when it has none) */
    int64_t created_ms;   /* CreateDate, or 0 when absent */
    const char *boundary; /* the boundary policy's ARN, or NULL */
    size_t npolicies;     /* identity policies that apply (own, attached, groups') */
    size_t unknown;       /* action names in them the catalog lacks (ignored) */
    size_t missing;       /* attached policies, groups or a boundary the file lacks */
    const uint8_t *acts;  /* GEN_AZ_* flags per catalog action (gen_catalog_at order) */
} gen_authz_principal;

/* Parses an authorization-details document json[0..len) over catalog c
 * (borrowed: it must outlive the result) and computes every principal's
 * grants. name is the file's name for messages. TT_ERR_FORMAT names the
 * place (byte, line, and the JSON path); TT_ERR_LIMIT past a cap. */
tt_status gen_authz_parse(gen_authz **out, const gen_catalog *c, const char *json, size_t len,
                          const char *name, tt_error *err);

void gen_authz_free(gen_authz *a);

/* What the user should know about the file before trusting the report,
 * one sentence each naming the file: "IsTruncated": true (one page of the
 * API's output), and each attached managed policy, group or permissions
 * boundary the principals refer to that the file lacks (the first ten;
 * then how many more). *out is valid as long as a. */
size_t gen_authz_warnings(const gen_authz *a, const char *const **out);

/* Users and roles, in the file's order (users first): i in [0, count). */
size_t gen_authz_count(const gen_authz *a);
const gen_authz_principal *gen_authz_at(const gen_authz *a, size_t i);

/* The index of a catalog action (a pointer from gen_catalog_at/find). */
size_t gen_authz_index(const gen_catalog *c, const gen_action *a);

/* Whether CloudTrail can show that an action was used. */
typedef enum gen_obs {
    GEN_OBS_RECORDED = 0,   /* a management event records it */
    GEN_OBS_PERMISSION_ONLY, /* no API call of its own (iam:PassRole ...) */
    GEN_OBS_DATA_EVENT      /* recorded only as a data event, when the trail logs those */
} gen_obs;

gen_obs gen_authz_observability(const gen_action *a);

/* Whether a pattern with * and ? matches text, ignoring ASCII case. */
int gen_authz_glob(const char *pattern, const char *text);

#endif /* TT_GEN_AUTHZ_H */
