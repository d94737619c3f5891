/*
 * grant.h - what a principal's calls grant, the `policy` rule: each
 * (source, event) row of its rollup (store_gen.h) sorted into the actions
 * granted and the calls never granted (denied attempts, failed calls,
 * calls an AWS service made on its behalf, AWS service events, calls that
 * need no permission, unmapped calls), with the calls of each and why.
 */
#ifndef TT_GEN_GRANT_H
#define TT_GEN_GRANT_H

#include "catalog.h"
#include "mapping.h"

#include "common/tt.h"
#include "store/store_gen.h"

#include <stddef.h>
#include <stdint.h>

typedef enum gen_grant_kind {
    GEN_GRANT_GRANTED = 0,
    GEN_GRANT_DENIED,        /* denied attempts */
    GEN_GRANT_FAILED,        /* failed calls (other errors) */
    GEN_GRANT_VIA,           /* made by an AWS service on its behalf (invokedBy) */
    GEN_GRANT_SERVICE_EVENT, /* AWS service events */
    GEN_GRANT_NO_PERMISSION, /* calls that need no permission */
    GEN_GRANT_UNMAPPED,      /* calls the mapping cannot resolve */
    GEN_GRANT_NKINDS
} gen_grant_kind;

/* "granted", "denied_attempts", ... (the report's keys) and the same for
 * people ("denied attempts", ...). */
const char *gen_grant_kind_name(gen_grant_kind k);
const char *gen_grant_kind_text(gen_grant_kind k);

typedef struct gen_grant_item {
    gen_grant_kind kind;
    char *source, *event, *detail; /* detail: the actions, or why not */
    int64_t calls;
} gen_grant_item;

/* One principal's accumulation (zeroed to start; owns its items). */
typedef struct gen_grant {
    int64_t id;      /* the principal: store id, ARN and identity type */
    char arn[2200];
    char type[64];
    const gen_action **acts; /* granted, in the order of the rows (with repeats) */
    size_t nacts, aacts;
    gen_grant_item *items;
    size_t nitems, aitems;
    int64_t calls[GEN_GRANT_NKINDS];
} gen_grant;

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
