/*
 * mapping.h - which IAM actions a CloudTrail (eventSource, eventName)
 * needs, and why. The rules, first match wins:
 *   1. our curated overrides (data/overrides.tsv, each with its reason);
 *   2. the eventSource's IAM prefix (the 325-source table, else the host
 *      name before .amazonaws.com), then iann0036/iam-dataset's lists:
 *      calls that need no permission, and SDK methods whose actions differ
 *      from prefix:eventName (data/mapping.tsv);
 *   3. the default: prefix:eventName when the catalog has it (any case;
 *      the catalog's spelling is used);
 *   4. a Lambda-style date suffix (UpdateFunctionCode20150331v2) is
 *      stripped, and only then, when the rest maps by 1, 2 or 3.
 * Then the tag-on-create rules (tagging.h) add the service's tagging action
 * to a create call, needed only when the request carries tags.
 * Anything else is unmapped, never guessed. Every action a rule names is
 * in the catalog: gen_map_create refuses data that names one that is not.
 *
 * Some actions hang on the request: iam:PassRole only when the call names
 * a role, ec2:CreateTags only when it carries tags. gen_map_resolve decides
 * them for the request it cannot see ("?": assumed absent; "+": assumed
 * given, iam-dataset's template conditions, granted as before); a caller
 * that has the record decides them with gen_map_apply_request.
 */
#ifndef TT_GEN_MAPPING_H
#define TT_GEN_MAPPING_H

#include "catalog.h"
#include "request.h"

typedef struct gen_map gen_map;

typedef enum gen_rule {
    GEN_RULE_UNMAPPED = 0,
    GEN_RULE_OVERRIDE,      /* curated table */
    GEN_RULE_NO_PERMISSION, /* iam-dataset: needs no permission */
    GEN_RULE_EXCEPTION,     /* iam-dataset: SDK method -> actions */
    GEN_RULE_DEFAULT        /* prefix:eventName is a catalog action */
} gen_rule;

#define GEN_MAP_MAX_ACTIONS 16

typedef struct gen_map_action {
    const gen_action *action; /* in the catalog; lives as long as it */
    const char *param;        /* NULL, or: needed only when the request gives one of
                               * these fields, "A|B.C" (request.h) */
    size_t param_len;
    int assume;               /* 1: granted when the request is unknown */
    int granted;              /* goes into a policy */
} gen_map_action;

/* The answer for one pair. Pointers live as long as the map. */
typedef struct gen_map_result {
    gen_rule rule;
    char prefix[64];        /* the IAM prefix the source maps to ("" if none) */
    int prefix_from_table;  /* 1: from the source table; 0: from the host name */
    int date_suffix;        /* 1: a date suffix was stripped from the name */
    char name[128];         /* the eventName looked up (without the suffix) */
    const char *reason;     /* why (override reason, or our text) */
    const char *sdk_method; /* the iam-dataset SDK method, or NULL */
    const char *tag_rule;   /* the tag-on-create rule's source, or NULL */
    size_t conditional;     /* actions gen_map_apply_request may change */
    size_t n;
    gen_map_action acts[GEN_MAP_MAX_ACTIONS];
} gen_map_result;

/* The mapping compiled into the binary (with its tag-on-create rules), over
 * catalog c (borrowed: it must outlive the map). Fails when the data names
 * an action c lacks. */
tt_status gen_map_create(gen_map **out, const gen_catalog *c, tt_error *err);

/* A mapping from texts in the mapping.tsv and overrides.tsv formats
 * (copied), without tag-on-create rules. For tests. */
tt_status gen_map_parse(gen_map **out, const gen_catalog *c, const char *mapping, size_t mn,
                        const char *overrides, size_t on, tt_error *err);

void gen_map_free(gen_map *m);

/* Maps one pair. Never fails: an unmapped pair has rule GEN_RULE_UNMAPPED
 * and a reason. */
void gen_map_resolve(const gen_map *m, const char *source, const char *name, gen_map_result *r);

/* Decides r's request-dependent actions for one call whose record q holds
 * (q NULL: the request is unknown, as gen_map_resolve left them). */
void gen_map_apply_request(gen_map_result *r, const gen_request *q);

/* "override", "no permission needed", "iam-dataset exception", "default",
 * "unmapped". */
const char *gen_rule_name(gen_rule r);

/* The number of exceptions, sources and overrides loaded (for --version). */
void gen_map_counts(const gen_map *m, size_t *sources, size_t *exceptions, size_t *overrides);

/* The number of tag-on-create rules loaded. */
size_t gen_map_tag_rules(const gen_map *m);

#endif /* TT_GEN_MAPPING_H */
