/*
 * policy_render.h - what `trailtrim policy` writes besides the documents:
 * the JSON report of one principal (--report: the summary, then the calls
 * of each kind, granted or not, with why) and its summary on stderr, both
 * from the grant model (generate/grant_model.h) and the documents built
 * (generate/policy.h). cmd_policy.c writes the report's file.
 */
#ifndef TT_POLICY_RENDER_H
#define TT_POLICY_RENDER_H

#include "generate/grant_model.h"
#include "generate/policy.h"

#include <stdint.h>
#include <stdio.h>

/* How many pairs of each kind the summary names before "...". */
#define POLICY_RENDER_NAMED 8

/* The report of a (set: its documents, or NULL when none was built) over
 * the days [from_day, to_day], as one JSON document and a newline, to f. */
void policy_render_report(FILE *f, const gen_grant *a, const gen_policy_set *set, int32_t from_day, int32_t to_day);

/* "trailtrim policy: ARN: N actions from M successful calls" (and the
 * split, when set holds more than one document), then one line per kind
 * of call not granted naming its first POLICY_RENDER_NAMED pairs, to f. */
void policy_render_summary(FILE *f, const gen_grant *a, const gen_policy_set *set);

#endif /* TT_POLICY_RENDER_H */
