/*
 * digest.c - reading a CloudTrail digest file (decompressed JSON) into a
 * verify_digest with the project's strict JSON scanner. Unknown fields are
 * validated and skipped; the fields we use must be strings or null.
 */
#include "verify_int.h"

#include "common/ttime.h"
#include "json/json.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIGEST_MAX_DEPTH 16
#define DIGEST_MAX_LOGS 10000000

/* Reads a string or null at the cursor into *out (owned; NULL for null).
 * Returns 0, or -1 on a syntax or type error (why set). */
static int take_str(json_scanner *s, const char *key, char **out, char *why, size_t whyn)
{
    json_str js;
    size_t bad;
    free(*out);
    *out = NULL;
    int c = json_peek(s);
    if (c == 'n')
        return json_skip_value(s) == TT_OK ? 0 : -1;
    if (c != '"') {
        snprintf(why, whyn, "%s is not a string", key);
        return -1;
    }
    if (json_string(s, &js) != TT_OK)
        return -1;
    char *d = tt_xmalloc(js.n + 1);
    size_t n = js.n;
    if (js.escaped)
        n = json_unescape(js.p, js.n, d, &bad);
    else
        memcpy(d, js.p, js.n);
    if (n == (size_t)-1 || memchr(d, '\0', n)) {
        free(d);
        snprintf(why, whyn, "%s holds a lone surrogate or a NUL", key);
        return -1;
    }
    d[n] = '\0';
    *out = d;
    return 0;
}

static int key_is(json_str k, const char *lit)
{
    size_t n = strlen(lit);
    return !k.escaped && k.n == n && memcmp(k.p, lit, n) == 0;
}

static int parse_logref(json_scanner *s, verify_logref *l, char *why, size_t whyn)
{
    json_str k;
    if (json_peek(s) != '{') {
        snprintf(why, whyn, "a logFiles element is not an object");
        return -1;
    }
    if (json_open(s) != TT_OK)
        return -1;
    for (int first = 1, r; (r = json_obj_next(s, &k, first)) != 0; first = 0) {
        if (r < 0)
            return -1;
        char **slot = key_is(k, "s3Bucket") ? &l->bucket
                      : key_is(k, "s3Object") ? &l->object
                      : key_is(k, "hashValue") ? &l->hash
                                               : NULL;
        if (slot ? take_str(s, "logFiles[].field", slot, why, whyn) != 0
                 : json_skip_value(s) != TT_OK)
            return -1;
    }
    if (!l->object || !l->hash) {
        snprintf(why, whyn, "a logFiles element lacks s3Object or hashValue");
        return -1;
    }
    return 0;
}

static int parse_logs(json_scanner *s, verify_digest *d, char *why, size_t whyn)
{
    size_t alloc = 0;
    int c = json_peek(s);
    if (c == 'n')
        return json_skip_value(s) == TT_OK ? 0 : -1;
    if (c != '[') {
        snprintf(why, whyn, "logFiles is not an array");
        return -1;
    }
    if (json_open(s) != TT_OK)
        return -1;
    for (int first = 1, r; (r = json_arr_next(s, first)) != 0; first = 0) {
        if (r < 0 || d->nlogs >= DIGEST_MAX_LOGS)
            return -1;
        if (d->nlogs == alloc) {
            alloc = alloc ? alloc * 2 : 16;
            d->logs = tt_xrealloc(d->logs, alloc * sizeof *d->logs);
        }
        verify_logref *l = &d->logs[d->nlogs++];
        memset(l, 0, sizeof *l);
        if (parse_logref(s, l, why, whyn) != 0)
            return -1;
    }
    return 0;
}

/* The slot for a top-level string field, or NULL for others. */
static char **field(verify_digest *d, json_str k)
{
    static const struct {
        const char *name;
        size_t off;
    } map[] = {
        {"awsAccountId", offsetof(verify_digest, account)},
        {"digestStartTime", offsetof(verify_digest, start)},
        {"digestEndTime", offsetof(verify_digest, end)},
        {"digestS3Bucket", offsetof(verify_digest, bucket)},
        {"digestS3Object", offsetof(verify_digest, object)},
        {"digestPublicKeyFingerprint", offsetof(verify_digest, fingerprint)},
        {"digestSignatureAlgorithm", offsetof(verify_digest, algorithm)},
        {"previousDigestS3Bucket", offsetof(verify_digest, prev_bucket)},
        {"previousDigestS3Object", offsetof(verify_digest, prev_object)},
        {"previousDigestHashValue", offsetof(verify_digest, prev_hash)},
        {"previousDigestSignature", offsetof(verify_digest, prev_sig)},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (key_is(k, map[i].name))
            return (char **)((char *)d + map[i].off);
    return NULL;
}

static int parse_top(json_scanner *s, verify_digest *d, char *why, size_t whyn)
{
    json_str k;
    if (json_peek(s) != '{') {
        snprintf(why, whyn, "not a JSON object");
        return -1;
    }
    if (json_open(s) != TT_OK)
        return -1;
    for (int first = 1, r; (r = json_obj_next(s, &k, first)) != 0; first = 0) {
        if (r < 0)
            return -1;
        char **slot = field(d, k);
        int bad = slot                     ? take_str(s, "a digest field", slot, why, whyn)
                  : key_is(k, "logFiles") ? parse_logs(s, d, why, whyn)
                                          : (json_skip_value(s) != TT_OK ? -1 : 0);
        if (bad)
            return -1;
    }
    if (json_peek(s) != -1) {
        snprintf(why, whyn, "data after the JSON object");
        return -1;
    }
    return 0;
}

int verify_digest_parse(const char *buf, size_t n, verify_digest *d, char *why, size_t whyn)
{
    json_scanner s;
    memset(d, 0, sizeof *d);
    why[0] = '\0';
    json_init(&s, buf, n, DIGEST_MAX_DEPTH);
    if (parse_top(&s, d, why, whyn) != 0) {
        if (!why[0]) {
            tt_error e;
            json_format_error(&s, &e);
            snprintf(why, whyn, "invalid JSON: %s", e.msg);
        }
        return -1;
    }
    if (!d->end || !d->start || !d->object || !d->bucket) {
        snprintf(why, whyn, "lacks digestStartTime, digestEndTime, digestS3Bucket or digestS3Object");
        return -1;
    }
    if (tt_time_parse(d->start, strlen(d->start), &d->start_ms) != 0 ||
        tt_time_parse(d->end, strlen(d->end), &d->end_ms) != 0) {
        snprintf(why, whyn, "digestStartTime or digestEndTime is not an ISO 8601 time");
        return -1;
    }
    return 0;
}

void verify_digest_clear(verify_digest *d)
{
    char **all[] = {&d->account, &d->start, &d->end, &d->bucket, &d->object, &d->fingerprint,
                    &d->algorithm, &d->prev_bucket, &d->prev_object, &d->prev_hash, &d->prev_sig};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
        free(*all[i]);
        *all[i] = NULL;
    }
    for (size_t i = 0; i < d->nlogs; i++) {
        free(d->logs[i].bucket);
        free(d->logs[i].object);
        free(d->logs[i].hash);
    }
    free(d->logs);
    d->logs = NULL;
    d->nlogs = 0;
}
