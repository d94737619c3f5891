/*
 * trust_explain.h - who assumed a role, as `trailtrim trust` explains it:
 * a JSON report (--report) and a short text on stderr. Renderers only:
 * they take the model (generate/trust.h) and never open the store.
 */
#ifndef TT_TRUST_EXPLAIN_H
#define TT_TRUST_EXPLAIN_H

#include "generate/trust.h"
#include "generate/trust_review.h"
#include "out.h"
#include "unused_render.h"

#include <stdint.h>
#include <stdio.h>

/* What an AWS principal is: "account", "user", "role", "federated user",
 * "root" or "principal". */
const char *trust_aws_label(const char *arn);

/* The explanation of role r of model t (for role chains) as one JSON
 * object, for the days [from_day, to_day]. */
void trust_explain_json(FILE *f, const gen_trust *t, const gen_trust_role *r, int32_t from_day, int32_t to_day);

/* The same as a few lines of text for people. */
void trust_explain_text(FILE *f, const gen_trust *t, const gen_trust_role *r);

/* A role's trust review (generate/trust_review.h) as a JSON object: its
 * assumptions, the trusted principals never seen, and the findings. */
void trust_review_json(FILE *f, const gen_trust_review *v);

/* The trust findings of the roles of res[0..n) as one table section. */
void trust_review_table(out *o, const un_result *res, size_t n);

#endif /* TT_TRUST_EXPLAIN_H */
