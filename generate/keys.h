/*
 * keys.h - the access-key hygiene report of `trailtrim keys`: every
 * long-lived key (AKIA...) the logs show in the window, what it did, and,
 * with a credential report (credreport.h), the keys the logs never saw,
 * each key's age since its last rotation, users with a password but no
 * MFA, and the findings: unused for more than unused_days, older than
 * max_age_days, a root access key. Pure logic: the caller fills the keys
 * seen (from the store), this module judges them.
 */
#ifndef TT_GEN_KEYS_H
#define TT_GEN_KEYS_H

#include "credreport.h"

#include <stddef.h>
#include <stdint.h>

typedef struct gen_key {
    char *key;   /* the key ID, or "(key N of USER)" for one the logs never saw */
    char *owner; /* the user's ARN */
    int seen;    /* in the logs in the window */
    int64_t first, last, calls, errors;
    int64_t services, regions, ips, agents; /* distinct counts */
    char *newest_ip, *newest_agent;
    char *service_list, *region_list, *minted; /* "s3 (3), ec2 (1)"; "" when none */
    int slot;                                  /* 1 or 2 in the credential report; 0 unknown */
    int active;                                /* in the report: 1, 0, or -1 unknown */
    int64_t last_rotated, report_last_used;    /* from the report, 0 unknown */
    int64_t days_since_use;                    /* -1: never used */
    int64_t age_days;                          /* -1: unknown */
    int unused, too_old, root;                 /* the findings */
    char *findings;                            /* "; "-separated text, "" when none */
} gen_key;

typedef struct gen_key_user {
    char *user, *arn;
    int password_enabled, mfa_active;
    int64_t password_last_used;
} gen_key_user;

typedef struct gen_keys {
    gen_key *keys;
    size_t n, a;
    gen_key_user *no_mfa; /* users with a password and no MFA */
    size_t nno_mfa;
    int with_report;
    size_t findings;
} gen_keys;

/* Adds or finds the key (copied strings); never NULL. */
gen_key *gen_keys_get(gen_keys *k, const char *key);

/* Appends "name (n)" to one of a key's list fields (*list, owned). */
void gen_keys_list_add(char **list, const char *name, int64_t n);

/* Matches rep's users and key slots to the keys seen (by owner; several
 * keys of one user by the nearest last use), adds the active slots the
 * logs never saw, and judges every key as of now_ms. rep may be NULL. */
void gen_keys_judge(gen_keys *k, const gen_credreport *rep, int64_t now_ms, int unused_days, int max_age_days);

void gen_keys_free(gen_keys *k); /* accepts a zeroed one */

#endif /* TT_GEN_KEYS_H */
