/*
 * credreport.h - the CSV that `aws iam generate-credential-report` /
 * `get-credential-report` gives (one row per user, and <root_account>):
 * password and MFA state and both access-key slots, with their activity,
 * last rotation and last use. The file is untrusted: a bad header, row or
 * value is an error that names the file and the line. The report holds no
 * key IDs: keys are matched to the logs by user (keys.h).
 */
#ifndef TT_GEN_CREDREPORT_H
#define TT_GEN_CREDREPORT_H

#include "common/tt.h"

#include <stddef.h>
#include <stdint.h>

#define GEN_CRED_MAX_BYTES (64u << 20)
#define GEN_CRED_MAX_ROWS 100000
#define GEN_CRED_MAX_FIELD 2048

/* One access-key slot. Times are ms since the epoch, 0 for N/A. */
typedef struct gen_cred_key {
    int active;
    int64_t last_rotated, last_used;
    char *last_used_service, *last_used_region; /* "" for N/A */
} gen_cred_key;

typedef struct gen_cred_user {
    char *user, *arn;
    int64_t created;
    int password_enabled; /* 1 true; 0 false, N/A or not_supported (root) */
    int64_t password_last_used;
    int mfa_active;
    gen_cred_key key[2];
    size_t line; /* in the file */
} gen_cred_user;

typedef struct gen_credreport {
    gen_cred_user *users;
    size_t n;
} gen_credreport;

/* Parses csv[0..len) (name is the file's name for messages) into *out
 * (gen_credreport_free). TT_ERR_FORMAT names the line and the column. */
tt_status gen_credreport_parse(const char *csv, size_t len, const char *name, gen_credreport *out, tt_error *err);
void gen_credreport_free(gen_credreport *r); /* accepts a zeroed one */

#endif /* TT_GEN_CREDREPORT_H */
