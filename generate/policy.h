/*
 * policy.h - IAM policy documents that allow exactly a set of catalog
 * actions: sorted, one statement per service with a readable Sid, split
 * into several managed policies when IAM's size limit calls for it, and
 * rendered as JSON, Terraform or CloudFormation. gen_policy_lint checks a
 * document independently of how it was made.
 */
#ifndef TT_GEN_POLICY_H
#define TT_GEN_POLICY_H

#include "catalog.h"

#include "common/mem.h"

/* IAM's limits: characters of a managed policy, not counting whitespace,
 * and managed policies attached to one role or user. */
#define GEN_POLICY_MAX_CHARS 6144
#define GEN_POLICY_MAX_DOCS 10

typedef struct gen_policy_set gen_policy_set;

typedef struct gen_policy_opts {
    size_t max_chars; /* 0: GEN_POLICY_MAX_CHARS */
    size_t max_docs;  /* 0: GEN_POLICY_MAX_DOCS */
} gen_policy_opts;

/* Builds the documents allowing acts (any order; duplicates are merged)
 * on Resource "*". n must be at least 1. TT_ERR_LIMIT when even max_docs
 * documents cannot hold them (the message says how many would be needed).
 * opts may be NULL. The actions are borrowed for the set's life. */
tt_status gen_policy_build(const gen_action *const *acts, size_t n, const gen_policy_opts *opts,
                           gen_policy_set **out, tt_error *err);

void gen_policy_free(gen_policy_set *p);

/* The number of documents, one document as pretty JSON (ends with a
 * newline), its size as IAM counts it, and its number of actions. */
size_t gen_policy_count(const gen_policy_set *p);
const char *gen_policy_json(const gen_policy_set *p, size_t i);
size_t gen_policy_size(const gen_policy_set *p, size_t i);
size_t gen_policy_actions(const gen_policy_set *p, size_t i);

typedef enum gen_format { GEN_FORMAT_JSON = 0, GEN_FORMAT_TERRAFORM, GEN_FORMAT_CLOUDFORMATION } gen_format;

/* Parses "json", "terraform" or "cloudformation"; 0 or -1. */
int gen_format_parse(const char *s, gen_format *f);

/* Renders document i (JSON), or all documents as one Terraform file (an
 * aws_iam_policy resource each) or one CloudFormation template (an
 * AWS::IAM::ManagedPolicy each). name becomes the policy name (characters
 * IAM does not allow become '-'); description is free text (escaped).
 * Appends to out; TT_ERR_LIMIT past out's cap. */
tt_status gen_policy_render(const gen_policy_set *p, gen_format f, size_t i, const char *name,
                            const char *description, tt_buf *out, tt_error *err);

/* A safe policy name from free text: [A-Za-z0-9+=,.@_-], at most 128
 * characters, never empty. Writes into buf (n >= 2). */
const char *gen_policy_name(const char *text, char *buf, size_t n);

/* The characters IAM counts against its size limits in json[0..len):
 * every character but whitespace outside strings. */
size_t gen_policy_iam_size(const char *json, size_t len);

/* Lints a policy document: strict JSON; Version 2012-10-17; a non-empty
 * Statement; Effect Allow or Deny; Sids alphanumeric and unique; Action
 * (never NotAction) with only actions of the catalog, no wildcard, no "*";
 * a Resource; at most max_chars characters without whitespace (0:
 * GEN_POLICY_MAX_CHARS). On TT_OK, *nactions (may be NULL) is the number
 * of distinct actions allowed. Otherwise err says the first problem. */
tt_status gen_policy_lint(const gen_catalog *c, const char *json, size_t len, size_t max_chars,
                          size_t *nactions, tt_error *err);

/* Appends s to b as a quoted JSON string: quotes, backslashes and control
 * bytes escaped. */
void gen_json_put_str(tt_buf *b, const char *s);

#endif /* TT_GEN_POLICY_H */
