/*
 * grant.h - what a principal's calls grant, the `policy` rule: each
 * (source, event) row of its rollup (store_gen.h) sorted into the actions
 * granted and the calls never granted (denied attempts, failed calls,
 * calls an AWS service made on its behalf, AWS service events, calls that
 * need no permission, unmapped calls), with the calls of each and why.
 * The model itself (gen_grant) is grant_model.h, which renderers read.
 */
#ifndef TT_GEN_GRANT_H
#define TT_GEN_GRANT_H

#include "grant_model.h"
#include "mapping.h"

#include "common/tt.h"
#include "store/store_gen.h"

#include <stddef.h>
#include <stdint.h>

/* Decides the actions of r that hang on the request (r->conditional) for
 * the successful calls of row u. */
typedef tt_status (*gen_grant_decide_fn)(void *ctx, const store_gen_usage *u, gen_map_result *r, tt_error *err);

/* Sorts one row of the principal into a. decide (NULL: the request is
 * unknown) is called when the row's call has request-dependent actions. */
tt_status gen_grant_classify(gen_grant *a, const gen_map *map, const store_gen_usage *u, gen_grant_decide_fn decide,
                             void *ctx, tt_error *err);

/* Empties a for the next principal (its id, arn and type stay). */
void gen_grant_reset(gen_grant *a);
void gen_grant_free(gen_grant *a);

#endif /* TT_GEN_GRANT_H */
