/*
 * tagging.h - the tag-on-create rules of data/tagging.tsv: a create call
 * that carries tags needs its service's tagging action too (ec2:CreateTags,
 * iam:TagRole...). Each rule names the request fields that hold the tags
 * and the AWS documentation it comes from. mapping.c adds the action to a
 * pair's result, needed only when the request gives one of the fields.
 */
#ifndef GEN_TAGGING_H
#define GEN_TAGGING_H

#include "catalog.h"

typedef struct gen_tagrule {
    const char *source;        /* eventSource */
    const char *names;         /* space-separated; "Create*" a prefix */
    const char *fields;        /* "Tags|TagsList": request fields with the tags */
    const gen_action *action;  /* the tagging action, in the catalog */
    const char *why;           /* the documentation it comes from */
} gen_tagrule;

typedef struct gen_tagrules gen_tagrules;

/* Parses text[0..n) (copied) over catalog c (borrowed: it must outlive
 * the rules). TT_ERR_FORMAT when a row is malformed or names an action c
 * lacks. */
tt_status gen_tagrules_parse(gen_tagrules **out, const gen_catalog *c, const char *text, size_t n, tt_error *err);
void gen_tagrules_free(gen_tagrules *t); /* accepts NULL */

/* The rule for (source, name[0..nlen)), names compared without case, or
 * NULL. Lives as long as t. */
const gen_tagrule *gen_tagrules_find(const gen_tagrules *t, const char *source, const char *name, size_t nlen);

size_t gen_tagrules_count(const gen_tagrules *t);

#endif /* GEN_TAGGING_H */
