/*
 * test_verify.c - the verify module (verify/verify.h, verify_int.h) on a
 * signed CloudTrail tree in the exact S3 layout (tests/golden/inputs/
 * digests, written by tests/fixtures/make-digests.sh, with its public key):
 * the intact tree, then one tampering at a time on a copy (a log changed,
 * deleted, added, given a second member; a digest deleted; a signature
 * altered), each found as the right kind on the right object; and the
 * parts: the gzip hash, the digest reader, the keys and one real
 * RSA-SHA256 signature check.
 */
#define _GNU_SOURCE
#include "check.h"

#include "verify/verify.h"
#include "verify/verify_int.h"
#include "common/hex.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char src[4096], keys[4096];

#define DAY "AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/01/"
#define DDAY "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/03/01/"
#define LOG2 DAY "111122223333_CloudTrail_us-east-1_20260301T0115Z_r21x1772327700.json.gz"
#define LOG4 DAY "111122223333_CloudTrail_us-east-1_20260301T0315Z_r41x1772334900.json.gz"
#define DIG(hh) DDAY "111122223333_CloudTrail-Digest_us-east-1_trail1_us-east-1_20260301T" hh "0000Z.json.gz"

/* SH(fmt, ...): runs a shell command (cp, gzip, sed, openssl). */
static char shbuf[20000];
#define SH(...) (snprintf(shbuf, sizeof shbuf, __VA_ARGS__), system(shbuf))

/* A fresh copy of the tree in a temporary folder (static). */
static const char *copy_tree(void)
{
    static char dir[64];
    snprintf(dir, sizeof dir, "/tmp/tt-verify-XXXXXX");
    if (!mkdtemp(dir))
        return NULL;
    if (SH("cp -r '%s/AWSLogs' '%s/'", src, dir) != 0)
        return NULL;
    return dir;
}

static void drop(const char *dir)
{
    SH("rm -rf '%s'%s", dir, "");
}

static verify_report *run(const char *dir, const char *keys_dir)
{
    verify_options o;
    verify_options_init(&o);
    o.keys_dir = keys_dir;
    verify_report *r = NULL;
    tt_error err;
    const char *paths[] = {dir};
    if (verify_run(paths, 1, &o, &r, &err) != TT_OK) {
        fprintf(stderr, "verify_run: %s\n", err.msg);
        return NULL;
    }
    return r;
}

/* How many findings of kind k whose object ends with suffix (NULL: any). */
static size_t has(const verify_report *r, verify_kind k, const char *suffix)
{
    size_t n = 0;
    for (size_t i = 0; r && i < r->nfindings; i++) {
        const verify_finding *f = &r->findings[i];
        size_t lo = strlen(f->object), ls = suffix ? strlen(suffix) : 0;
        if (f->kind == k && (!suffix || (lo >= ls && strcmp(f->object + lo - ls, suffix) == 0)))
            n++;
    }
    return n;
}

static const char *verdict(const verify_report *r, const char *suffix)
{
    for (size_t i = 0; r && i < r->nverdicts; i++) {
        size_t lp = strlen(r->verdicts[i].path), ls = strlen(suffix);
        if (lp >= ls && strcmp(r->verdicts[i].path + lp - ls, suffix) == 0)
            return r->verdicts[i].verdict;
    }
    return "(none)";
}

static void test_kinds(void)
{
    for (int k = 0; k < VERIFY_KIND_COUNT; k++) {
        const char *n = verify_kind_name((verify_kind)k);
        CHECK(n && n[0] && strcmp(n, "?") != 0);
        for (int j = 0; j < k; j++)
            CHECK_MSG(strcmp(n, verify_kind_name((verify_kind)j)) != 0, "two kinds named %s", n);
    }
    CHECK_STR(verify_kind_name(VERIFY_LOG_MODIFIED), "log-modified");
    CHECK_STR(verify_kind_name(VERIFY_NO_DIGESTS), "no-digests");
    CHECK(verify_kind_is_problem(VERIFY_LOG_MODIFIED) && verify_kind_is_problem(VERIFY_CHAIN_GAP));
    CHECK(!verify_kind_is_problem(VERIFY_NOTE_PENDING) && !verify_kind_is_problem(VERIFY_NOTE_CHAIN_START));
    verify_options o;
    verify_options_init(&o);
    CHECK(o.keys_dir == NULL && o.max_digest_bytes == (size_t)64 << 20 && o.gap_slack_ms == 5 * 60 * 1000);
    verify_report_free(NULL);
}

static void test_intact(void)
{
    verify_report *r = run(src, keys);
    CHECK(r != NULL);
    if (!r)
        return;
    CHECK_MSG(r->digests == 8 && r->digests_ok == 8, "digests %ld ok %ld", r->digests, r->digests_ok);
    CHECK_MSG(r->logs == 16 && r->logs_ok == 16, "logs %ld ok %ld", r->logs, r->logs_ok);
    CHECK(r->problems == 0 && r->nfindings == (size_t)r->notes);
    CHECK(r->signatures_checked == 8 && r->keys_loaded == 1);
    CHECK(r->nverdicts == 16);
    for (size_t i = 0; i < r->nverdicts; i++)
        CHECK_STR(r->verdicts[i].verdict, "intact");
    /* Per account, region and day, sorted. */
    CHECK(r->ndays == 2);
    if (r->ndays == 2) {
        CHECK_STR(r->days[0].region, "eu-west-1");
        CHECK_STR(r->days[1].region, "us-east-1");
        CHECK(r->days[1].digests == 6 && r->days[1].logs == 12 && r->days[1].problems == 0);
        CHECK(r->days[0].day == r->days[1].day && r->days[0].day != INT32_MIN);
    }
    verify_report_free(r);
    /* Without keys: the same, signatures not checked. */
    r = run(src, NULL);
    CHECK(r && r->problems == 0 && r->signatures_checked == 0 && r->keys_loaded == 0);
    verify_report_free(r);
}

static void test_tampering(void)
{
    const char *d;
    char p[8192];
    verify_report *r;

    /* A log whose content changed (still valid gzip). */
    if ((d = copy_tree()) == NULL)
        return;
    snprintf(p, sizeof p, "%s/" LOG2, d);
    CHECK(SH("printf '{\"Records\":[]}' | gzip -n > '%s'%s", p, "") == 0);
    r = run(d, keys);
    CHECK(has(r, VERIFY_LOG_MODIFIED, LOG2) == 1);
    CHECK(r && r->problems == 1 && r->logs_ok == 15);
    CHECK_STR(verdict(r, LOG2), "log-modified");
    CHECK_STR(verdict(r, LOG4), "intact");
    verify_report_free(r);

    /* Deleted: missing, named by its S3 key. */
    CHECK(unlink(p) == 0);
    r = run(d, keys);
    CHECK(has(r, VERIFY_LOG_MISSING, LOG2) == 1);
    CHECK(r && r->problems == 1);
    verify_report_free(r);
    drop(d);

    /* Data after the first gzip member. */
    if ((d = copy_tree()) == NULL)
        return;
    snprintf(p, sizeof p, "%s/" LOG4, d);
    CHECK(SH("printf '{\"Records\":[]}' | gzip -n >> '%s'%s", p, "") == 0);
    r = run(d, keys);
    CHECK(has(r, VERIFY_LOG_TRAILING, LOG4) == 1);
    CHECK(has(r, VERIFY_LOG_MODIFIED, LOG4) == 0); /* the first member is intact */
    CHECK_STR(verdict(r, LOG4), "trailing-data");
    verify_report_free(r);
    drop(d);

    /* A log no digest names, inside their time span (uncovered logs are
     * not opened: nothing says what they should hold); and a covered log
     * that is not gzip at all. */
    if ((d = copy_tree()) == NULL)
        return;
    snprintf(p, sizeof p, "%s/" DAY "111122223333_CloudTrail_us-east-1_20260301T0200Z_added.json.gz", d);
    CHECK(SH("printf '{\"Records\":[]}' | gzip -n > '%s'%s", p, "") == 0);
    snprintf(p, sizeof p, "%s/" LOG4, d);
    CHECK(SH("printf 'not gzip' > '%s'%s", p, "") == 0);
    r = run(d, keys);
    CHECK(has(r, VERIFY_LOG_UNCOVERED, "_added.json.gz") == 1);
    CHECK_STR(verdict(r, "_added.json.gz"), "log-uncovered");
    CHECK(has(r, VERIFY_LOG_UNREADABLE, LOG4) == 1);
    CHECK(has(r, VERIFY_LOG_MODIFIED, LOG4) == 0);
    CHECK_STR(verdict(r, LOG4), "unreadable");
    verify_report_free(r);
    drop(d);

    /* A log newer than the newest digest: a note, not a problem. */
    if ((d = copy_tree()) == NULL)
        return;
    snprintf(p, sizeof p, "%s/" DAY "111122223333_CloudTrail_us-east-1_20260301T0715Z_late.json.gz", d);
    CHECK(SH("printf '{\"Records\":[]}' | gzip -n > '%s'%s", p, "") == 0);
    r = run(d, keys);
    CHECK(has(r, VERIFY_NOTE_PENDING, "_late.json.gz") == 1);
    CHECK(r && r->problems == 0 && r->notes == 1);
    CHECK_STR(verdict(r, "_late.json.gz"), "pending");
    verify_report_free(r);

    /* A log no digest covers yet still may not hide data after its first
     * gzip member, nor be unreadable: pending is no pass for those. */
    CHECK(SH("printf hidden | gzip -n >> '%s'%s", p, "") == 0);
    r = run(d, keys);
    CHECK(has(r, VERIFY_LOG_TRAILING, "_late.json.gz") == 1);
    CHECK_STR(verdict(r, "_late.json.gz"), "trailing-data");
    CHECK(r && r->problems >= 1);
    verify_report_free(r);
    CHECK(SH("printf 'not gzip' > '%s'%s", p, "") == 0);
    r = run(d, keys);
    CHECK(has(r, VERIFY_LOG_UNREADABLE, "_late.json.gz") == 1);
    CHECK(r && r->problems >= 1);
    verify_report_free(r);
    drop(d);

    /* A deleted digest: the next one's chain names it, its hour is a gap,
     * and its logs are covered by nothing. */
    if ((d = copy_tree()) == NULL)
        return;
    snprintf(p, sizeof p, "%s/" DIG("03"), d);
    CHECK(unlink(p) == 0);
    r = run(d, keys);
    CHECK(has(r, VERIFY_DIGEST_MISSING, "T030000Z.json.gz") == 1);
    CHECK(has(r, VERIFY_CHAIN_GAP, NULL) + has(r, VERIFY_DIGEST_MISSING, NULL) >= 1);
    CHECK_MSG(has(r, VERIFY_LOG_UNCOVERED, NULL) == 2, "uncovered %zu", has(r, VERIFY_LOG_UNCOVERED, NULL));
    CHECK(r && r->digests == 7);
    verify_report_free(r);
    drop(d);

    /* An altered signature: that digest fails; the next digest's
     * previousDigestSignature no longer matches. */
    if ((d = copy_tree()) == NULL)
        return;
    snprintf(p, sizeof p, "%s/" DIG("03") ".sig", d);
    CHECK(SH("sed -i 's/^./0/; s/^0\\(.*\\)$/1\\1/' '%s'%s", p, "") == 0);
    r = run(d, keys);
    CHECK(has(r, VERIFY_SIG_BAD, "T030000Z.json.gz") == 1);
    CHECK(has(r, VERIFY_CHAIN_BREAK, "T040000Z.json.gz") == 1);
    verify_report_free(r);
    /* ... and without keys nobody can tell the signature, only the chain. */
    r = run(d, NULL);
    CHECK(has(r, VERIFY_SIG_BAD, NULL) == 0);
    verify_report_free(r);
    /* A missing sidecar, with keys given. */
    CHECK(unlink(p) == 0);
    r = run(d, keys);
    CHECK(has(r, VERIFY_SIG_MISSING, "T030000Z.json.gz") == 1);
    verify_report_free(r);
    drop(d);

    /* Keys that are not the signer's. */
    char other[64];
    snprintf(other, sizeof other, "/tmp/tt-verify-keys-XXXXXX");
    if (mkdtemp(other) && SH("openssl genrsa 2048 2>/dev/null | openssl rsa -pubout -out '%s/k.pem' 2>/dev/null%s",
                             other, "") == 0) {
        r = run(src, other);
        CHECK(r && has(r, VERIFY_KEY_UNKNOWN, NULL) == 8);
        verify_report_free(r);
    } else {
        CHECK_SKIP("openssl cannot make a key");
    }
    drop(other);

    /* A key folder without any key is an error, not a report. */
    char empty[64];
    snprintf(empty, sizeof empty, "/tmp/tt-verify-empty-XXXXXX");
    if (mkdtemp(empty)) {
        verify_options o;
        verify_options_init(&o);
        o.keys_dir = empty;
        verify_report *x = NULL;
        tt_error err;
        const char *paths[] = {src};
        CHECK(verify_run(paths, 1, &o, &x, &err) == TT_ERR_FORMAT && err.msg[0]);
        verify_report_free(x);
        o.keys_dir = "/nonexistent/keys";
        CHECK(verify_run(paths, 1, &o, &x, &err) == TT_ERR_IO);
        rmdir(empty);
    }

    /* No digests at all: the library names every log uncovered, and says
     * once that there is nothing to verify against (the CLI folds the
     * uncovered ones into that finding). */
    if ((d = copy_tree()) == NULL)
        return;
    snprintf(p, sizeof p, "%s/AWSLogs/111122223333/CloudTrail-Digest", d);
    CHECK(SH("rm -rf '%s'%s", p, "") == 0);
    r = run(d, NULL);
    CHECK(has(r, VERIFY_NO_DIGESTS, NULL) == 1);
    CHECK(has(r, VERIFY_LOG_UNCOVERED, NULL) == 16);
    CHECK(r && r->nfindings == 17 && r->digests == 0 && r->logs_ok == 0);
    verify_report_free(r);
    drop(d);
}

static void test_parts(void)
{
    char dir[64], p[128], why[256];
    snprintf(dir, sizeof dir, "/tmp/tt-verify-gz-XXXXXX");
    if (!mkdtemp(dir))
        return;
    snprintf(p, sizeof p, "%s/h.gz", dir);
    CHECK(SH("printf 'hello\\n' | gzip -n > '%s'%s", p, "") == 0);
    uint8_t sha[32];
    char hex[65];
    int64_t trailing = -1;
    tt_buf keep;
    tt_buf_init(&keep, 1 << 20);
    CHECK(verify_gz_hash(p, &keep, sha, &trailing, why, sizeof why) == 0);
    tt_hex_encode(sha, 32, hex);
    CHECK_STR(hex, "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"); /* sha256("hello\n") */
    CHECK(trailing == 0 && keep.len == 6 && memcmp(keep.data, "hello\n", 6) == 0);
    CHECK(SH("printf 'xyz' >> '%s'%s", p, "") == 0);
    CHECK(verify_gz_hash(p, NULL, sha, &trailing, why, sizeof why) == 0 && trailing == 3);
    tt_hex_encode(sha, 32, hex);
    CHECK_STR(hex, "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
    /* Over the keep buffer's cap: an error, not a cut. */
    tt_buf small;
    tt_buf_init(&small, 3);
    why[0] = '\0';
    CHECK(verify_gz_hash(p, &small, sha, &trailing, why, sizeof why) == -1 && why[0]);
    tt_buf_free(&small);
    CHECK(SH("head -c 12 '%s' > '%s.cut'", p, p) == 0);
    char cut[160];
    snprintf(cut, sizeof cut, "%s.cut", p);
    why[0] = '\0';
    CHECK(verify_gz_hash(cut, NULL, sha, &trailing, why, sizeof why) == -1 && why[0]);
    why[0] = '\0';
    CHECK(verify_gz_hash("/nonexistent/x.gz", NULL, sha, &trailing, why, sizeof why) == -1 && why[0]);
    drop(dir);
    tt_hex_encode((const uint8_t *)"\x00\xff\x10", 3, hex);
    CHECK_STR(hex, "00ff10");

    /* A real digest: read, its signature checked with the real key. */
    snprintf(p, sizeof p, "%s", "");
    char dp[8192];
    snprintf(dp, sizeof dp, "%s/" DIG("02"), src);
    keep.len = 0;
    CHECK(verify_gz_hash(dp, &keep, sha, &trailing, why, sizeof why) == 0);
    verify_digest dg;
    CHECK(verify_digest_parse(keep.data, keep.len, &dg, why, sizeof why) == 0);
    CHECK_STR(dg.account, "111122223333");
    CHECK_STR(dg.start, "2026-03-01T01:00:00Z");
    CHECK(dg.end_ms - dg.start_ms == 3600 * 1000);
    CHECK(dg.nlogs == 2 && dg.prev_sig && dg.prev_hash && strlen(dg.fingerprint) == 32);
    verify_keys *k = NULL;
    tt_error err;
    CHECK(verify_keys_load(keys, &k, &err) == TT_OK && verify_keys_count(k) >= 1);
    char sig[1024] = "", msg[8192];
    snprintf(dp + strlen(dp), sizeof dp - strlen(dp), ".sig");
    FILE *f = fopen(dp, "r");
    if (f) {
        if (!fgets(sig, sizeof sig, f))
            sig[0] = '\0';
        fclose(f);
    }
    sig[strcspn(sig, "\r\n")] = '\0';
    tt_hex_encode(sha, 32, hex);
    int ml = snprintf(msg, sizeof msg, "%s\n%s/%s\n%s\n%s", dg.end, dg.bucket, dg.object, hex,
                      dg.prev_sig ? dg.prev_sig : "null");
    CHECK(verify_keys_check(k, dg.fingerprint, msg, (size_t)ml, sig) == 1);
    msg[0] ^= 1; /* one bit of the string to sign */
    CHECK(verify_keys_check(k, dg.fingerprint, msg, (size_t)ml, sig) == 0);
    CHECK(verify_keys_check(k, "00000000000000000000000000000000", msg, (size_t)ml, sig) == -1);
    CHECK(verify_keys_check(k, dg.fingerprint, msg, (size_t)ml, "not hex!") == -2);
    verify_keys_free(k);
    verify_keys_free(NULL);
    verify_digest_clear(&dg);
    tt_buf_free(&keep);

    /* Digests that are not: each rejected with a reason. */
    static const char *const bad[] = {
        "",
        "[]",
        "{\"awsAccountId\":\"111122223333\"}",
        "{\"awsAccountId\":\"111122223333\",\"digestStartTime\":\"2026-03-01T00:00:00Z\","
        "\"digestEndTime\":\"2026-03-01T01:00:00Z\",\"digestS3Bucket\":\"b\",\"digestS3Object\":\"o\","
        "\"logFiles\":{}}",
        "{\"awsAccountId\":\"111122223333\",\"digestStartTime\":\"soon\",\"digestEndTime\":\"later\","
        "\"digestS3Bucket\":\"b\",\"digestS3Object\":\"o\",\"logFiles\":[]}",
        "{\"logFiles\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        why[0] = '\0';
        int rc = verify_digest_parse(bad[i], strlen(bad[i]), &dg, why, sizeof why);
        CHECK_MSG(rc == -1 && why[0], "bad digest %zu: rc %d", i, rc);
        verify_digest_clear(&dg);
    }
}

int main(void)
{
    const char *s = getenv("TT_SOURCE_DIR");
    if (!s || !*s) {
        CHECK_SKIP("TT_SOURCE_DIR is not set");
        return check_done();
    }
    snprintf(src, sizeof src, "%s/tests/golden/inputs/digests", s);
    snprintf(keys, sizeof keys, "%s/tests/golden/inputs/digests-keys", s);
    if (access(src, R_OK) != 0) {
        CHECK_SKIP("tests/golden/inputs/digests is missing");
        return check_done();
    }
    test_kinds();
    test_intact();
    test_tampering();
    test_parts();
    return check_done();
}
