/*
 * grant_model.h - the model of what a principal's calls grant (grant.h
 * builds it from the store's rollup): the actions granted and the calls
 * never granted, by kind, with the calls of each and why. Types and their
 * names only, no store header: report/ renders it.
 */
#ifndef TT_GEN_GRANT_MODEL_H
#define TT_GEN_GRANT_MODEL_H

#include "catalog.h"

#include "common/tt.h"

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

#endif /* TT_GEN_GRANT_MODEL_H */
