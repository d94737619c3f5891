/*
 * trust_explain.h - who assumed a role, as `trailtrim trust` explains it:
 * a JSON report (--report) and a short text on stderr. Renderers only:
 * they take the model (generate/trust.h) and never open the store.
 */
#ifndef TT_TRUST_EXPLAIN_H
#define TT_TRUST_EXPLAIN_H

#include "../generate/trust.h"

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

#endif /* TT_TRUST_EXPLAIN_H */
