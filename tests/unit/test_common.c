/*
 * test_common.c - unit tests of common/: time parsing and formatting, the
 * capped buffer, the hash, principal derivation from userIdentity, and the
 * linking of repeated fingerprints within an object.
 */
#define _GNU_SOURCE
#include "check.h"

#include "common/hex.h"
#include "common/event.h"
#include "common/fingerprint.h"
#include "common/hash.h"
#include "common/identity.h"
#include "common/mem.h"
#include "common/ttime.h"

#include <unistd.h>

static tt_str S(const char *s)
{
    return (tt_str){s, (uint32_t)strlen(s)};
}

static void test_time(void)
{
    int64_t ms = -1;
    CHECK(tt_time_parse("2026-11-20T12:34:56Z", 20, &ms) == 0);
    CHECK(ms == 1795178096000LL);
    CHECK(tt_time_parse("2026-11-20T12:34:56.789Z", 24, &ms) == 0 && ms == 1795178096789LL);
    CHECK(tt_time_parse("2026-11-20T12:34:56+00:00", 25, &ms) == 0 && ms == 1795178096000LL);
    CHECK(tt_time_parse("1970-01-01T00:00:00Z", 20, &ms) == 0 && ms == 0);
    CHECK(tt_time_parse("2024-02-29T00:00:00Z", 20, &ms) == 0);
    CHECK(tt_time_parse("2023-02-29T00:00:00Z", 20, &ms) != 0); /* not a leap year */
    CHECK(tt_time_parse("2026-13-01T00:00:00Z", 20, &ms) != 0);
    CHECK(tt_time_parse("2026-11-20 12:34:56Z", 20, &ms) != 0);
    CHECK(tt_time_parse("redacted", 8, &ms) != 0);
    CHECK(tt_time_parse("2026-11-20T12:34:56", 19, &ms) != 0); /* no zone */
    /* The forms AWS tools and SDKs write (issue 13): one parser for them. */
    static const struct { const char *s; int64_t ms; } aws[] = {
        {"2023-03-09 10:41:45+00:00", 1678358505000LL}, /* cloudsplaining's example */
        {"2023-03-09T10:41:45Z", 1678358505000LL},
        {"2023-03-09t10:41:45z", 1678358505000LL},
        {"2023-03-09T10:41:45.123456Z", 1678358505123LL},
        {"2023-03-09 10:41:45.5+00:00", 1678358505500LL},
        {"2023-03-09T10:41:45+0000", 1678358505000LL},
        {"2023-03-09T10:41:45+00", 1678358505000LL},
        {"2023-03-09T12:41:45+02:00", 1678358505000LL},
        {"2023-03-09T05:11:45-0530", 1678358505000LL},
        {"2023-03-10T00:41:45+14:00", 1678358505000LL},
    };
    for (size_t i = 0; i < sizeof aws / sizeof *aws; i++) {
        ms = -1;
        CHECK_MSG(tt_time_parse_aws(aws[i].s, strlen(aws[i].s), &ms) == 0 && ms == aws[i].ms,
                  "%s: %lld, want %lld", aws[i].s, (long long)ms, (long long)aws[i].ms);
    }
    static const char *not_aws[] = {
        "2023-03-09 10:41:45",        /* no zone: no instant */
        "2023-03-09T10:41:45",        "2023-03-09T10:41Z",       "2023-03-09T10:41:45.Z",
        "2023-03-09T10:41:45+24:00",  "2023-03-09T10:41:45+00:60", "2023-03-09T10:41:45+0:00",
        "2023-03-09T10:41:45 +00:00", "2023-02-29 10:41:45Z",    "2023-03-09_10:41:45Z",
        "2023-03-09T10:41:45ZZ",      "March 9, 2023",           "",
    };
    for (size_t i = 0; i < sizeof not_aws / sizeof *not_aws; i++)
        CHECK_MSG(tt_time_parse_aws(not_aws[i], strlen(not_aws[i]), &ms) != 0, "%s accepted", not_aws[i]);
    /* Never past n: a time cut short is refused, not read on. */
    CHECK(tt_time_parse_aws("2023-03-09 10:41:45+00:00", 21, &ms) != 0);
    CHECK(tt_time_parse_aws("2023-03-09 10:41:45+00:00", 22, &ms) == 0 && ms == 1678358505000LL);
    CHECK(tt_time_parse("2026-11-20T12:34:56+02:00", 25, &ms) != 0);
    char out[21];
    tt_time_format(1795178096789LL, out);
    CHECK_STR(out, "2026-11-20T12:34:56Z");
    tt_time_format(-1, out);
    CHECK_STR(out, "1969-12-31T23:59:59Z");
    CHECK(tt_day_of(0) == 0 && tt_day_of(-1) == -1 && tt_day_of(86400000) == 1);
    char d[11];
    tt_day_format(tt_day_of(1795178096789LL), d);
    CHECK_STR(d, "2026-11-20");
    CHECK(tt_time_parse_user("2026-11-20", 0, &ms) == 0 && ms == 1795132800000LL);
    CHECK(tt_time_parse_user("-2d", 1795132800000LL, &ms) == 0 && ms == 1795132800000LL - 2 * 86400000LL);
    CHECK(tt_time_parse_user("now", 42, &ms) == 0 && ms == 42);
    CHECK(tt_time_parse_user("yesterday", 42, &ms) != 0);
}

static void test_buf(void)
{
    tt_buf b;
    tt_buf_init(&b, 10);
    CHECK(tt_buf_append(&b, "0123456789", 10) == 0 && b.len == 10);
    CHECK(tt_buf_append(&b, "x", 1) == -1 && b.len == 10); /* the cap holds */
    CHECK(b.data[10] == '\0');
    tt_buf_free(&b);
}

static void test_hash(void)
{
    CHECK(tt_hash64("abc", 3, 0) == tt_hash64("abc", 3, 0));
    CHECK(tt_hash64("abc", 3, 0) != tt_hash64("abd", 3, 0));
    CHECK(tt_hash64("abc", 3, 0) != tt_hash64("abc", 3, 1));
    CHECK(tt_hash64("", 0, 0) != tt_hash64("a", 1, 0));
    /* every length of the tail path */
    char buf[40] = "0123456789abcdef0123456789abcdef0123456";
    for (size_t n = 1; n < 39; n++)
        CHECK(tt_hash64(buf, n, 7) != tt_hash64(buf, n + 1, 7));
}

/* The fingerprint of one ARN in this process, as 32 hex digits. */
static void fp_text(char out[33])
{
    static const char arn[] = "arn:aws:iam::111122223333:user/alice";
    tt_fp f = tt_fp_of(arn, sizeof arn - 1, 1);
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)f.a, (unsigned long long)f.b);
}

/* The same ARN's fingerprint in a fresh process (this binary, re-run). */
static int fp_text_elsewhere(char out[33])
{
    char self[4096], cmd[4200];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0 || memchr(self, '\'', (size_t)n))
        return -1;
    self[n] = 0;
    snprintf(cmd, sizeof cmd, "'%s' --print-fp", self);
    FILE *f = popen(cmd, "r");
    if (!f)
        return -1;
    int ok = fgets(out, 33, f) != NULL && strlen(out) == 32;
    return pclose(f) == 0 && ok ? 0 : -1;
}

/* Fingerprints are keyed per process: stable inside one, different across
 * two, so that nobody can aim two log strings at one fingerprint. */
static void test_hex(void)
{
    const uint8_t in[3] = {0x00, 0xab, 0x7f};
    char hex[7];
    uint8_t out[3];
    tt_hex_encode(in, 3, hex);
    CHECK(strcmp(hex, "00ab7f") == 0);
    CHECK(tt_hex_decode("00AB7f", out, 3) == 0 && memcmp(out, in, 3) == 0);
    CHECK(tt_hex_decode("00ab7", out, 3) == -1);   /* too short */
    CHECK(tt_hex_decode("00ab7f0", out, 3) == -1); /* too long */
    CHECK(tt_hex_decode("00ag7f", out, 3) == -1);  /* not a digit */
    CHECK(tt_hex_decode(" 0ab7f", out, 3) == -1);  /* no sign or space, as sscanf took */
    CHECK(tt_hex_decode(NULL, out, 3) == -1);
}

static void test_fp_secret(void)
{
    char here[33], again[33], there[33], there2[33];
    fp_text(here);
    fp_text(again);
    CHECK_STR(here, again);
    tt_fp a = tt_fp_of("user/alice", 10, 1), b = tt_fp_of("user/alicf", 10, 1);
    CHECK(a.a != b.a && a.b != b.b);
    if (fp_text_elsewhere(there) != 0 || fp_text_elsewhere(there2) != 0) {
        CHECK_MSG(0, "could not re-run this test binary for its fingerprint");
        return;
    }
    CHECK_MSG(strcmp(here, there) != 0, "the same fingerprint in two processes: %s", here);
    CHECK_MSG(strcmp(there, there2) != 0, "the same fingerprint in two processes: %s", there);
}

static const char *principal_of(tt_event *ev, char *out, size_t n)
{
    tt_identity id;
    tt_identity_of(ev, &id);
    snprintf(out, n, "%.*s|%.*s|%.*s", (int)id.principal.n, id.principal.p,
             (int)id.principal_type.n, id.principal_type.p, (int)id.session.n,
             id.session.p ? id.session.p : "");
    return out;
}

static void test_identity(void)
{
    char out[2400];
    tt_event ev;
    memset(&ev, 0, sizeof ev);
    ev.id_type = S("IAMUser");
    ev.id_arn = S("arn:aws:iam::111122223333:user/ops/alice");
    CHECK_STR(principal_of(&ev, out, sizeof out), "arn:aws:iam::111122223333:user/ops/alice|IAMUser|");

    memset(&ev, 0, sizeof ev);
    ev.id_type = S("AssumedRole");
    ev.id_arn = S("arn:aws:sts::111122223333:assumed-role/ci-deploy/build-42");
    ev.issuer_arn = S("arn:aws:iam::111122223333:role/service/ci-deploy");
    CHECK_STR(principal_of(&ev, out, sizeof out),
              "arn:aws:iam::111122223333:role/service/ci-deploy|Role|build-42");
    ev.issuer_arn = TT_STR_NULL; /* older records: derive the role from the session ARN */
    CHECK_STR(principal_of(&ev, out, sizeof out), "arn:aws:iam::111122223333:role/ci-deploy|Role|build-42");
    ev.id_arn = S("arn:aws-cn:sts::111122223333:assumed-role/r/s");
    CHECK_STR(principal_of(&ev, out, sizeof out), "arn:aws-cn:iam::111122223333:role/r|Role|s");

    memset(&ev, 0, sizeof ev);
    ev.id_type = S("Root");
    ev.id_account = S("111122223333");
    CHECK_STR(principal_of(&ev, out, sizeof out), "arn:aws:iam::111122223333:root|Root|");

    memset(&ev, 0, sizeof ev);
    ev.id_type = S("FederatedUser");
    ev.id_arn = S("arn:aws:sts::111122223333:federated-user/bob");
    ev.issuer_arn = S("arn:aws:iam::111122223333:user/alice");
    ev.issuer_type = S("IAMUser");
    CHECK_STR(principal_of(&ev, out, sizeof out), "arn:aws:iam::111122223333:user/alice|IAMUser|bob");

    memset(&ev, 0, sizeof ev);
    ev.id_type = S("AWSService");
    ev.id_invoked_by = S("cloudtrail.amazonaws.com");
    CHECK_STR(principal_of(&ev, out, sizeof out), "cloudtrail.amazonaws.com|AWSService|");

    memset(&ev, 0, sizeof ev);
    ev.id_type = S("SAMLUser");
    ev.id_user_name = S("carol@example.com");
    CHECK_STR(principal_of(&ev, out, sizeof out), "SAMLUser:carol@example.com|SAMLUser|");

    memset(&ev, 0, sizeof ev); /* no type at all */
    ev.id_principal = S("AIDAEXAMPLE");
    CHECK_STR(principal_of(&ev, out, sizeof out), "principal:AIDAEXAMPLE|Unknown|");
    memset(&ev, 0, sizeof ev);
    CHECK_STR(principal_of(&ev, out, sizeof out), "unknown|Unknown|");
}

/* tt_event_fp_link: each group's first occurrence, with fingerprints that
 * share a table slot (same a ^ b) but differ, and empty ones. */
static void test_fp_link(void)
{
    enum { N = 7 };
    tt_event_fp fps[N];
    memset(fps, 0, sizeof fps);
    const tt_fp x = {1, 2}, y = {2, 1}, z = {5, 9}, none = {0, 0}; /* x, y: one slot */
    const tt_fp id[N] = {x, y, x, z, y, none, none};
    for (int i = 0; i < N; i++) {
        fps[i].identity = id[i];
        fps[i].shape = z;
        fps[i].ip = (tt_fp){(uint64_t)i + 1, 0}; /* all different */
        fps[i].ua = id[N - 1 - i];
        fps[i].request = none;
    }
    uint32_t *table = NULL;
    size_t cap = 0;
    tt_event_fp_link(fps, N, &table, &cap);
    const uint32_t want_id[N] = {0, 1, 0, 3, 1, 5, 5};
    const uint32_t want_ua[N] = {0, 0, 2, 3, 4, 2, 4}; /* none none y z x y x */
    for (int i = 0; i < N; i++) {
        CHECK_MSG(fps[i].first.identity == want_id[i], "identity %d -> %u", i, fps[i].first.identity);
        CHECK(fps[i].first.shape == 0);
        CHECK(fps[i].first.ip == (uint32_t)i);
        CHECK_MSG(fps[i].first.ua == want_ua[i], "ua %d -> %u", i, fps[i].first.ua);
        CHECK(fps[i].first.request == 0);
    }
    CHECK(cap * sizeof *table <= tt_event_fp_link_bytes(N));
    /* A larger object reuses and grows the same table. */
    enum { M = 5000 };
    tt_event_fp *many = tt_xcalloc(M, sizeof *many);
    for (int i = 0; i < M; i++)
        many[i].identity = (tt_fp){(uint64_t)(i % 97) + 1, 7};
    tt_event_fp_link(many, M, &table, &cap);
    int wrong = 0;
    for (int i = 0; i < M; i++)
        wrong += many[i].first.identity != (uint32_t)(i % 97);
    CHECK(wrong == 0);
    CHECK(cap >= 2 * M && cap * sizeof *table <= tt_event_fp_link_bytes(M));
    /* Unlinked is what tt_event_fingerprint leaves. */
    tt_event ev;
    memset(&ev, 0, sizeof ev);
    tt_event_fingerprint(&ev, NULL, &many[0]);
    CHECK(many[0].first.identity == TT_FP_UNLINKED && many[0].first.request == TT_FP_UNLINKED);
    free(many);
    free(table);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--print-fp") == 0) {
        char out[33];
        fp_text(out);
        puts(out);
        return 0;
    }
    test_time();
    test_buf();
    test_hash();
    test_hex();
    test_fp_secret();
    test_identity();
    test_fp_link();
    return check_done();
}
