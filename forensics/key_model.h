/*
 * key_model.h - the model of the leaked-key report of `trailtrim key`: what
 * the store and the evidence say about one access key and every key derived
 * from it. Types only, and the data they are judged by: no store type here,
 * so that report/ renders it without the store. Built by key_report_build
 * (forensics.h, key_model.c); written by report/key_render.h. The calls that
 * matter and the attack tools' user agents are data
 * (forensics/data/forensics-*.tsv, compiled in; key_data.c).
 */
#ifndef TT_KEY_MODEL_H
#define TT_KEY_MODEL_H

#include "common/tt.h"

#include <stdint.h>
#include <stdio.h>

/* ---- the data ----------------------------------------------------------- */

typedef struct key_rule {
    const char *category, *source, *event_glob, *details, *reference;
} key_rule;

typedef struct key_agent {
    const char *substr, *tool, *reference;
} key_agent;

typedef struct key_data {
    char *text; /* owns the strings below */
    key_rule *rules;
    size_t nrules;
    key_agent *agents;
    size_t nagents;
    const char **cats; /* categories in the order of the data */
    size_t ncats;
} key_data;

/* Parses the compiled-in tables. Aborts on a malformed line: the data is
 * ours, checked by the tests. */
void key_data_load(key_data *d);
void key_data_free(key_data *d);

/* The rule for a call, or NULL. */
const key_rule *key_data_rule(const key_data *d, const char *source, const char *name);

/* The attack tool a user agent names, or NULL. */
const key_agent *key_data_agent(const key_data *d, const char *ua);

/* Whether an error code is an access denial (as the store's rollup says). */
int key_is_denied(const char *error);

/* ---- the report --------------------------------------------------------- */

/* One call by a key of the chain. Strings are interned in the report. */
typedef struct key_event {
    int64_t t;
    int node; /* which key made it */
    const char *src, *name, *region, *ip, *ua, *err, *minted;
    const char *principal, *account, *itype;
    const char *path, *member; /* the source object */
    uint8_t sha[32];
    int has_sha;
    int64_t off;
    const key_rule *rule;   /* NULL: not one of the calls that matter */
    const key_agent *agent; /* an attack tool's user agent */
    int denied;
    char *details; /* owned: the request details, or NULL */
    char *note;    /* owned: why the details are missing */
} key_event;

/* The node for a console session opened with GetSigninToken: its calls
 * carry a key CloudTrail does not link to the token, so it has none. */
#define KEY_CONSOLE_NODE "(console session)"

/* One key of the chain: the reported key is node 0. */
typedef struct key_node {
    char *key;
    int parent, depth; /* -1 and 0 for the reported key */
    char *how;         /* what made it: "GetSessionToken", ... */
    int64_t made_at;   /* time of that call */
    const char *principal, *account, *itype;
    int64_t first, last, calls, errors, flagged;
} key_node;

/* A tally: of an IP, a user agent, a region, or an (error, event) pair. */
typedef struct key_tally {
    const char *a, *b;
    int64_t n, errors, first, last;
    char flags[160];
} key_tally;

/* AccessDenied calls close together across services or regions. */
typedef struct key_burst {
    int64_t start, end, denied;
    int services, regions;
} key_burst;

/* The call that minted the reported key, when it is an STS session key
 * and the store holds that call (owned strings; found 0 otherwise). */
typedef struct key_origin {
    int found;
    char *parent_key; /* the caller's key; "" for AssumeRoleWithSAML... */
    char *how;        /* "GetSessionToken", "AssumeRole", ... */
    char *by;         /* the caller's ARN */
    char *ip;
    int64_t at;
} key_origin;

typedef struct key_report {
    const char *key;
    int64_t since, until; /* 0: open */
    key_node *nodes;
    size_t nnodes;
    key_origin origin;
    key_event *evs; /* in time order */
    size_t nevs;
    key_tally *ips, *uas, *regions, *errors;
    size_t nips, nuas, nregions, nerrors;
    key_burst *bursts;
    size_t nbursts;
    int64_t first_suspicious; /* 0 when nothing was flagged */
    size_t details_cap, details_done, details_missing;
    char **notes; /* distinct evidence problems */
    size_t nnotes;
    const char *const *cats; /* the data's categories, in order (borrowed) */
    size_t ncats;
    struct key_intern *strs;
} key_report;

/* Frees what the report owns (not r). */
void key_report_free(key_report *r);

#endif /* TT_KEY_MODEL_H */
