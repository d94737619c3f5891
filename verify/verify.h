/*
 * verify.h - offline CloudTrail log-file integrity validation, as AWS
 * documents it: every log object against the hourly digest files that
 * cover it, the chain of digests per trail, and (with the user's copies of
 * CloudTrail's public keys) each digest's RSA-SHA256 signature.
 *
 * Works on a synced tree: an S3 key is matched as a path suffix of the
 * local files. Nothing is written; nothing needs AWS.
 */
#ifndef TT_VERIFY_H
#define TT_VERIFY_H

#include "common/tt.h"

#include <stddef.h>
#include <stdint.h>

/* What a finding is about. Problems make the run fail; notes do not. */
typedef enum verify_kind {
    VERIFY_LOG_MODIFIED = 0, /* hash differs from the digest's hashValue */
    VERIFY_LOG_MISSING,      /* a digest names it; no local file has its key */
    VERIFY_LOG_UNCOVERED,    /* a local log object no digest names */
    VERIFY_LOG_TRAILING,     /* data after the first gzip member */
    VERIFY_LOG_UNREADABLE,   /* not a gzip stream, truncated, unreadable */
    VERIFY_DIGEST_MISSING,   /* the chain names a digest that is not here */
    VERIFY_DIGEST_INVALID,   /* not a digest we can read (gzip, JSON, fields) */
    VERIFY_DIGEST_MOVED,     /* its digestS3Object is not its local path */
    VERIFY_CHAIN_BREAK,      /* previous digest's key, hash or signature differ */
    VERIFY_CHAIN_GAP,        /* time no digest covers between two digests */
    VERIFY_SIG_BAD,          /* signature does not verify */
    VERIFY_SIG_MISSING,      /* keys given, but no <digest>.sig sidecar */
    VERIFY_KEY_UNKNOWN,      /* no supplied key has the digest's fingerprint */
    VERIFY_NO_DIGESTS,       /* nothing to verify against */
    VERIFY_NOTE_CHAIN_START, /* note: the first digest's predecessor is
                                outside the tree */
    VERIFY_NOTE_PENDING,     /* note: a log newer than the newest digest */
    VERIFY_KIND_COUNT
} verify_kind;

/* A short stable name, e.g. "log-modified", for output and tests. */
const char *verify_kind_name(verify_kind k);

/* Whether a finding of this kind makes the run fail. */
int verify_kind_is_problem(verify_kind k);

typedef struct verify_finding {
    verify_kind kind;
    char *account;  /* 12 digits, or "" when unknown */
    char *region;   /* "" when unknown */
    int32_t day;    /* UTC day (tt_day_of); INT32_MIN when unknown */
    char *object;   /* the S3 key, or the local path when there is none */
    char *detail;   /* one line, for people */
} verify_finding;

/* Counts per account, region and UTC day (a digest counts on the day its
 * digestEndTime falls on, a log on the day in its name). */
typedef struct verify_day {
    char *account;
    char *region;
    int32_t day;
    long digests, digests_ok, logs, logs_ok, problems;
} verify_day;

/* The verdict on one local log object, for `ingest --verify`. */
typedef struct verify_log {
    char *path;          /* the local path, as the walk named it */
    const char *verdict; /* "intact", or the name of the gravest finding
                            about it: log-modified, unreadable,
                            trailing-data, log-uncovered, pending (static) */
} verify_log;

typedef struct verify_report {
    verify_finding *findings; /* in the order found */
    size_t nfindings;
    verify_log *verdicts;     /* every local log object, in walk order */
    size_t nverdicts;
    verify_day *days;         /* sorted by account, region, day */
    size_t ndays;
    long digests, digests_ok; /* ok: readable, in place, signature good
                                 (when checked), chain link good */
    long logs, logs_ok;       /* ok: present, hash matches, one member */
    long problems, notes;
    long signatures_checked;  /* 0 without public keys */
    long keys_loaded;
} verify_report;

typedef struct verify_options {
    const char *keys_dir;    /* --public-keys: PEM files; NULL: signatures
                                are not checked */
    size_t max_digest_bytes; /* cap on a digest decompressed (64 MiB) */
    int64_t gap_slack_ms;    /* digestStartTime may trail the previous
                                digestEndTime by this much (5 min) */
} verify_options;

void verify_options_init(verify_options *o);

/* Verifies the CloudTrail objects under paths[0..n) (folders walked
 * recursively, or files). On TT_OK, *out is a report the caller frees with
 * verify_report_free(), whatever it found. TT_ERR_IO when the key folder
 * cannot be read, TT_ERR_FORMAT when it holds no usable key. */
tt_status verify_run(const char *const *paths, size_t n, const verify_options *o,
                     verify_report **out, tt_error *err);

void verify_report_free(verify_report *r); /* accepts NULL */

#endif /* TT_VERIFY_H */
