/*
 * observed.h - `policy --resources observed`: the ARNs a principal's calls
 * touched, taken from the records read back from their source objects
 * (resources[], and requestParameters: S3 bucket and key, DynamoDB table,
 * Lambda function, SQS queue URL, SNS topic, Secrets Manager secret, SSM
 * parameters, KMS key; the roles a call passes, for iam:PassRole; the ARN
 * a create call returns in responseElements), assigned to the actions whose catalog resource
 * types they fit, escaped so that a name copied from a log cannot widen
 * the policy, collapsed to a prefix wildcard past a threshold, and turned
 * into policy documents. An action without resource types keeps "*".
 */
#ifndef TT_GEN_OBSERVED_H
#define TT_GEN_OBSERVED_H

#include "catalog.h"

#include "common/mem.h"

/* Distinct ARNs of one action kept before they collapse to prefix + "*". */
#define GEN_OBSERVED_COLLAPSE 10

typedef struct gen_observed gen_observed;

/* collapse_at: 0 for GEN_OBSERVED_COLLAPSE. c is borrowed. */
gen_observed *gen_observed_create(const gen_catalog *c, size_t collapse_at);
void gen_observed_free(gen_observed *o); /* accepts NULL */

/* Adds the resources of one successful call (the record rec[0..len), read
 * back) to each of acts[0..n), the actions it mapped to. An action the
 * record gives no fitting ARN for falls back to "*" (counted). */
void gen_observed_add(gen_observed *o, const gen_action *const *acts, size_t n, const char *rec, size_t len);

/* The record could not be read (gone, changed): acts fall back to "*". */
void gen_observed_fallback(gen_observed *o, const gen_action *const *acts, size_t n);

/* Builds the documents allowing acts[0..n) (the policy's actions), each on
 * its observed resources: one statement per service and resource list.
 * Split at GEN_POLICY_MAX_CHARS; TT_ERR_LIMIT past GEN_POLICY_MAX_DOCS.
 * *docs gets n_docs malloc'd JSON texts. */
tt_status gen_observed_build(gen_observed *o, const gen_action *const *acts, size_t n, char ***docs,
                             size_t *ndocs, tt_error *err);

/* Per action, for reports: "*" and why, or how many ARNs. Appends a header
 * line "action<TAB>resources<TAB>note", then one such line per distinct
 * action of acts, to out. */
void gen_observed_describe(gen_observed *o, const gen_action *const *acts, size_t n, tt_buf *out);

/* How many actions fell back to "*" because a call gave no ARN or its
 * record could not be read, and how many collapsed. */
void gen_observed_counts(const gen_observed *o, size_t *fallback, size_t *collapsed);

/* Escapes text copied from a log for an IAM Resource: "*" -> "${*}",
 * "?" -> "${?}", "$" -> "${$}" (IAM's special characters in policy
 * elements). Writes into out (cap > 0); 0, or -1 when it does not fit. */
int gen_arn_escape(const char *in, char *out, size_t cap);

#endif /* TT_GEN_OBSERVED_H */
