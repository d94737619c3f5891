/*
 * test_parse.c - ingest_parse_object: every top-level shape, every extracted
 * field, nulls, escapes, wrong types, caps, truncation at every length,
 * raw_off/raw_len, the real captures under $TT_SHARED_DIR, and a throughput
 * figure (printed, never asserted) over ~100 MB of synthetic CloudTrail.
 */
#include "check.h"

#include "json/json.h"
#include "ingest/pack.h"
#include "ingest/parse.h"
#include "common/fingerprint.h"
#include "common/mem.h"

#include <dirent.h>
#include <time.h>

/* One parse of a private, exactly-sized copy of the input (so that ASan
 * catches any read past it); the copy lives until run_free(). */
typedef struct run {
    char *buf;
    size_t len;
    tt_status st;
    ingest_kind kind;
    const tt_event *ev;
    size_t n;
    tt_error err;
} run;

static ingest_parser *P;

static void run_n(run *r, const char *txt, size_t n)
{
    r->buf = malloc(n ? n : 1);
    memcpy(r->buf, txt, n);
    r->len = n;
    tt_error_clear(&r->err);
    r->st = ingest_parse_object(P, r->buf, n, &r->kind, &r->ev, &r->n, &r->err);
}

static void run_s(run *r, const char *txt)
{
    run_n(r, txt, strlen(txt));
}

static void run_free(run *r)
{
    free(r->buf);
    r->buf = NULL;
}

static int str_is(tt_str s, const char *want)
{
    return s.p && s.n == strlen(want) && memcmp(s.p, want, s.n) == 0;
}

#define CHECK_TSTR(s, want) \
    CHECK_MSG(str_is((s), (want)), "%s is \"%.*s\", want \"%s\"", #s, \
              (int)(s).n, (s).p ? (s).p : "(null)", (want))

/* Parses txt and checks that it is rejected with st and a message that
 * contains want. */
static void expect_fail(const char *txt, tt_status st, const char *want)
{
    run r;
    run_s(&r, txt);
    CHECK_MSG(r.st == st, "status %d, want %d for %s", r.st, st, txt);
    CHECK_MSG(strstr(r.err.msg, want) != NULL, "message \"%s\" lacks \"%s\"",
              r.err.msg, want);
    CHECK(r.n == 0);
    for (const char *m = r.err.msg; *m; m++)
        CHECK_MSG((unsigned char)*m >= 0x20, "raw control byte in \"%s\"", r.err.msg);
    run_free(&r);
}

static void expect_ok(const char *txt, size_t nev)
{
    run r;
    run_s(&r, txt);
    CHECK_MSG(r.st == TT_OK && r.n == nev, "status %d (%s), %zu events, want %zu: %s",
              r.st, r.err.msg, r.n, nev, txt);
    run_free(&r);
}

/* Parses txt and checks that nev events are handed out and nbad records
 * left out, the first of them described by want. */
static void expect_partial(const char *txt, size_t nev, size_t nbad, const char *want)
{
    run r;
    char first[512] = "";
    run_s(&r, txt);
    CHECK_MSG(r.st == TT_OK && r.n == nev, "status %d (%s), %zu events, want %zu: %s", r.st,
              r.err.msg, r.n, nev, txt);
    CHECK_MSG(ingest_parser_left_out(P) == nbad, "%zu left out, want %zu: %s",
              ingest_parser_left_out(P), nbad, txt);
    CHECK(ingest_parser_left_out_text(P, 0, 1, first, sizeof first) == (nbad ? 0 : -1));
    CHECK_MSG(strstr(first, want) != NULL, "first left out \"%s\" lacks \"%s\"", first, want);
    run_free(&r);
}

#define EV1 "{\"eventTime\":\"2024-01-02T03:04:05Z\",\"eventName\":\"A\"}"
#define EV2 "{\"eventTime\":\"2024-01-02T03:04:06.5Z\",\"eventName\":\"B\"}"

static void test_shapes(void)
{
    run r;
    run_s(&r, "{\"Records\":[" EV1 "," EV2 "],\"other\":{\"x\":[1]}}");
    CHECK(r.st == TT_OK && r.kind == INGEST_KIND_EVENTS && r.n == 2);
    if (r.n == 2) {
        CHECK_TSTR(r.ev[0].event_name, "A");
        CHECK_TSTR(r.ev[1].event_name, "B");
        CHECK(r.ev[0].time_ms == 1704164645000LL);
        CHECK(r.ev[1].time_ms == 1704164646500LL);
    }
    run_free(&r);

    run_s(&r, " [\n" EV1 ",\n" EV2 "\n]\n");
    CHECK(r.st == TT_OK && r.kind == INGEST_KIND_EVENTS && r.n == 2);
    run_free(&r);

    run_s(&r, EV1 "\n\n" EV2 "\r\n   \n" EV1);
    CHECK(r.st == TT_OK && r.n == 3);
    if (r.n == 3)
        CHECK_TSTR(r.ev[2].event_name, "A");
    run_free(&r);

    /* Panther-style lines: the event is unwrapped, other keys ignored. */
    run_s(&r, "{\"p_rule\":\"x\",\"event\":" EV1 ",\"p_expected\":true}\n"
              "{\"event\":" EV2 "}\n" EV1);
    CHECK(r.st == TT_OK && r.n == 3);
    if (r.n == 3) {
        CHECK_TSTR(r.ev[0].event_name, "A");
        CHECK_TSTR(r.ev[1].event_name, "B");
        CHECK(r.buf[r.ev[0].raw_off] == '{' && r.ev[0].raw_len == strlen(EV1));
        CHECK(memcmp(r.buf + r.ev[0].raw_off, EV1, strlen(EV1)) == 0);
    }
    run_free(&r);

    /* An object with its own eventTime is an event even with an "event" key. */
    run_s(&r, "{\"eventTime\":\"2024-01-02T03:04:05Z\",\"event\":" EV2 "}");
    CHECK(r.st == TT_OK && r.n == 1 && r.ev[0].event_name.p == NULL);
    run_free(&r);

    run_s(&r, EV1);
    CHECK(r.st == TT_OK && r.kind == INGEST_KIND_EVENTS && r.n == 1);
    run_free(&r);

    run_s(&r, "{\"digestStartTime\":\"2024-01-01T00:00:00Z\",\"digestEndTime\":"
              "\"2024-01-01T01:00:00Z\",\"logFiles\":[{\"s3Object\":\"a.json.gz\","
              "\"hashValue\":\"ab\"}],\"digestSignatureAlgorithm\":\"SHA256withRSA\"}");
    CHECK(r.st == TT_OK && r.kind == INGEST_KIND_DIGEST && r.n == 0);
    run_free(&r);
    expect_fail("{\"digestStartTime\":\"x\",\"logFiles\":[1,]}", TT_ERR_FORMAT,
                "expected a value");

    run_s(&r, "{\"Records\":[{\"eventVersion\":\"1.07\",\"eventTime\":"
              "\"2024-01-01T00:00:00Z\",\"eventType\":\"AwsCloudTrailInsight\","
              "\"eventCategory\":\"Insight\",\"insightDetails\":{\"state\":\"Start\","
              "\"insightContext\":{\"statistics\":{\"baseline\":{\"average\":0.1}}}}}]}");
    CHECK(r.st == TT_OK && r.kind == INGEST_KIND_INSIGHT && r.n == 0);
    run_free(&r);

    expect_ok("{\"Records\":[]}", 0);
    expect_ok("[]", 0);
    expect_ok("{\"Records\":[ ],\"x\":null}\n", 0);
    expect_fail("", TT_ERR_FORMAT, "empty object");
    ingest_kind kind;
    const tt_event *ev;
    size_t nev = 1;
    tt_error err;
    CHECK(ingest_parse_object(P, NULL, 0, &kind, &ev, &nev, &err) == TT_ERR_FORMAT &&
          nev == 0 && strcmp(err.msg, "empty object") == 0);
    expect_fail(" \n\t\r\n", TT_ERR_FORMAT, "empty object");
    expect_fail("{\"Records\":{}}", TT_ERR_FORMAT, "Records is not an array");
    expect_fail("{\"Records\":null}", TT_ERR_FORMAT, "Records is not an array");
    expect_fail("\"just a string\"", TT_ERR_FORMAT, "expected an object or an array");
    expect_fail("42", TT_ERR_FORMAT, "byte 0 (line 1, column 1)");
    expect_fail("[1]", TT_ERR_FORMAT, "record 1 (byte 1): the record is a number");
    expect_partial("[" EV1 ",[]]", 1, 1, "record 2 (byte 54): the record is an array");
    expect_fail("[[],7]", TT_ERR_FORMAT,
                "record 1 (byte 1): the record is an array, expected an object; and 1 more "
                "records with problems: no record is usable");
    /* A trailing comma is a syntax error, not a record of some type. */
    expect_fail("{\"Records\":[" EV1 ",]}", TT_ERR_FORMAT,
                "byte 65 (line 1, column 66): expected a value, found \"]}\"");
    expect_fail("[" EV1 ",\n]", TT_ERR_FORMAT, "(line 2, column 1): expected a value");
    expect_fail(EV1 "\n]", TT_ERR_FORMAT, "(line 2, column 1): expected a value");
    expect_fail(EV1 "\n\x01", TT_ERR_FORMAT, "expected a value, found \"\\x01\"");
    expect_fail("[{\"eventTime\":}]", TT_ERR_FORMAT, "byte 14 (line 1, column 15): expected a value");
    expect_fail(EV1 " " EV2, TT_ERR_FORMAT, "newline before the next NDJSON record");
    expect_partial(EV1 "\n[]\n" EV2, 2, 1, "record 2 (byte 53): the record is an array");
    expect_fail(EV1 "\n{\"Records\":[]}", TT_ERR_FORMAT, "inside NDJSON");
    expect_fail("[]\n[]", TT_ERR_FORMAT, "expected end of input");
    expect_fail("{\"Records\":[]}\n" EV1, TT_ERR_FORMAT,
                "document 2 (from byte 15): an event object after a {\"Records\":[...]} object");
    expect_fail("{\"Records\":[]} x", TT_ERR_FORMAT,
                "expected end of input or another {\"Records\":[...]} object");
    expect_fail("{\"eventName\":\"A\"}", TT_ERR_FORMAT,
                "record 1 (byte 0): eventTime is missing");
    expect_fail("{\"event\":{\"eventName\":\"A\"}}", TT_ERR_FORMAT,
                "record 1 (byte 9): eventTime is missing");
}

/* A record with every extracted field, mostly in CloudTrail's own order. */
static const char FULL[] =
    "{\"Records\":[{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"AssumedRole\","
    "\"principalId\":\"AROA1:sess\",\"arn\":\"arn:aws:sts::111:assumed-role/r/sess\","
    "\"accountId\":\"111\",\"accessKeyId\":\"ASIA1\",\"userName\":\"u\","
    "\"invokedBy\":\"svc.amazonaws.com\",\"sourceIdentity\":\"outer-src\","
    "\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":\"AROA1\","
    "\"arn\":\"arn:aws:iam::111:role/r\",\"accountId\":\"111\",\"userName\":\"r\"},"
    "\"webIdFederationData\":{},\"attributes\":{\"creationDate\":\"2024-01-01T00:00:00Z\","
    "\"mfaAuthenticated\":\"true\"},\"sourceIdentity\":\"inner-src\"}},"
    "\"eventTime\":\"2024-05-01T12:00:01Z\",\"eventSource\":\"sts.amazonaws.com\","
    "\"eventName\":\"AssumeRole\",\"awsRegion\":\"us-east-1\","
    "\"sourceIPAddress\":\"010.0.0.1\",\"userAgent\":\"aws-cli/2\","
    "\"errorCode\":\"AccessDenied\",\"requestParameters\":{\"roleArn\":\"x\","
    "\"durationSeconds\":3600,\"tags\":[{\"k\":\"v\"}]},"
    "\"responseElements\":{\"credentials\":{\"accessKeyId\":\"ASIAMINTED\","
    "\"sessionToken\":\"tok\",\"expiration\":\"Jan 1, 2024 1:00:00 AM\"},"
    "\"assumedRoleUser\":{\"arn\":\"a\"}},\"requestID\":\"rq\",\"eventID\":\"e-1\","
    "\"readOnly\":\"false\",\"resources\":[{\"ARN\":\"arn\",\"type\":\"AWS::IAM::Role\"}],"
    "\"eventType\":\"AwsApiCall\",\"managementEvent\":true,"
    "\"recipientAccountId\":\"222\",\"eventCategory\":\"Management\","
    "\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\"}}]}";

static void test_fields(void)
{
    run r;
    run_s(&r, FULL);
    CHECK_MSG(r.st == TT_OK && r.n == 1, "%s", r.err.msg);
    if (r.n != 1) {
        run_free(&r);
        return;
    }
    const tt_event *e = &r.ev[0];
    CHECK(e->time_ms == 1714564801000LL);
    CHECK_TSTR(e->event_id, "e-1");
    CHECK_TSTR(e->event_version, "1.08");
    CHECK_TSTR(e->event_source, "sts.amazonaws.com");
    CHECK_TSTR(e->event_name, "AssumeRole");
    CHECK_TSTR(e->region, "us-east-1");
    CHECK_TSTR(e->source_ip, "010.0.0.1");
    CHECK_TSTR(e->user_agent, "aws-cli/2");
    CHECK_TSTR(e->error_code, "AccessDenied");
    CHECK_TSTR(e->event_type, "AwsApiCall");
    CHECK_TSTR(e->event_category, "Management");
    CHECK_TSTR(e->recipient_account, "222");
    CHECK(e->read_only == TT_TRI_FALSE);
    CHECK(e->management == TT_TRI_TRUE);
    CHECK(e->mfa == TT_TRI_TRUE);
    CHECK_TSTR(e->id_type, "AssumedRole");
    CHECK_TSTR(e->id_arn, "arn:aws:sts::111:assumed-role/r/sess");
    CHECK_TSTR(e->id_account, "111");
    CHECK_TSTR(e->id_principal, "AROA1:sess");
    CHECK_TSTR(e->id_access_key, "ASIA1");
    CHECK_TSTR(e->id_user_name, "u");
    CHECK_TSTR(e->id_invoked_by, "svc.amazonaws.com");
    CHECK_TSTR(e->issuer_type, "Role");
    CHECK_TSTR(e->issuer_arn, "arn:aws:iam::111:role/r");
    CHECK_TSTR(e->issuer_user, "r");
    CHECK_TSTR(e->source_identity, "inner-src");
    CHECK_TSTR(e->minted_key, "ASIAMINTED");
    const char *rec = strstr(FULL, "{\"eventVersion\"");
    CHECK(e->raw_off == (uint64_t)(rec - FULL));
    CHECK(e->raw_len == strlen(FULL) - 2 - e->raw_off);
    CHECK(r.buf[e->raw_off] == '{' && r.buf[e->raw_off + e->raw_len - 1] == '}');
    /* Zero-copy: slices point into the caller's buffer. */
    CHECK(e->event_name.p > r.buf && e->event_name.p < r.buf + r.len);
    run_free(&r);

    /* userIdentity.sourceIdentity is the fallback; mfa "false"; readOnly
     * as a JSON boolean; the absent fields are NULL slices. */
    run_s(&r, "{\"eventTime\":\"2024-05-01T12:00:01Z\",\"readOnly\":true,"
              "\"userIdentity\":{\"sourceIdentity\":\"outer\",\"sessionContext\":"
              "{\"attributes\":{\"mfaAuthenticated\":\"false\"}}}}");
    CHECK(r.st == TT_OK && r.n == 1);
    if (r.n == 1) {
        CHECK_TSTR(r.ev[0].source_identity, "outer");
        CHECK(r.ev[0].mfa == TT_TRI_FALSE && r.ev[0].read_only == TT_TRI_TRUE);
        CHECK(r.ev[0].management == TT_TRI_UNSET);
        CHECK(r.ev[0].event_id.p == NULL && r.ev[0].minted_key.p == NULL);
    }
    run_free(&r);

    /* An empty string is present (non-NULL) and empty. */
    run_s(&r, "{\"eventTime\":\"2024-05-01T12:00:01Z\",\"errorCode\":\"\"}");
    CHECK(r.st == TT_OK && r.n == 1 && r.ev[0].error_code.p && r.ev[0].error_code.n == 0);
    run_free(&r);

    /* Duplicate keys: the last wins. */
    run_s(&r, "{\"eventTime\":\"2024-05-01T12:00:01Z\",\"eventName\":\"A\","
              "\"eventName\":\"B\",\"readOnly\":true,\"readOnly\":\"False\"}");
    CHECK(r.st == TT_OK && r.n == 1);
    if (r.n == 1) {
        CHECK_TSTR(r.ev[0].event_name, "B");
        CHECK(r.ev[0].read_only == TT_TRI_FALSE);
    }
    run_free(&r);
}

static void test_nulls(void)
{
    run r;
    run_s(&r, "{\"eventTime\":\"2024-05-01T12:00:01Z\",\"eventID\":null,"
              "\"eventName\":\"X\",\"eventName\":null,\"readOnly\":null,"
              "\"managementEvent\":null,\"userIdentity\":{\"type\":null,\"arn\":null,"
              "\"sessionContext\":{\"sessionIssuer\":null,\"attributes\":"
              "{\"mfaAuthenticated\":null},\"sourceIdentity\":null}},"
              "\"responseElements\":null,\"errorCode\":null}");
    CHECK_MSG(r.st == TT_OK && r.n == 1, "%s", r.err.msg);
    if (r.n == 1) {
        const tt_event *e = &r.ev[0];
        CHECK(!e->event_id.p && !e->event_name.p && !e->id_type.p && !e->id_arn.p);
        CHECK(!e->error_code.p && !e->issuer_arn.p && !e->source_identity.p);
        CHECK(e->read_only == TT_TRI_UNSET && e->management == TT_TRI_UNSET &&
              e->mfa == TT_TRI_UNSET);
    }
    run_free(&r);
    run_s(&r, "{\"eventTime\":\"2024-05-01T12:00:01Z\",\"userIdentity\":null}");
    CHECK(r.st == TT_OK && r.n == 1);
    run_free(&r);
    expect_fail("{\"eventTime\":null,\"eventName\":\"A\"}", TT_ERR_FORMAT,
                "eventTime is missing");
}

static void test_escapes(void)
{
    run r;
    run_s(&r, "{\"eventTime\":\"2024-05-01T12:00:01\\u005A\",\"eventName\":"
              "\"a\\\"b\\\\c\\/d\\u00e9\",\"userAgent\":\"x\\ud83d\\ude00y\","
              "\"event\\u004eame\":\"Z\\n\",\"awsRegion\":\"us-\\u0065ast-1\","
              "\"requestParameters\":{\"k\":\"\\ud800 lone but skipped\"}}");
    CHECK_MSG(r.st == TT_OK && r.n == 1, "%s", r.err.msg);
    if (r.n == 1) {
        const tt_event *e = &r.ev[0];
        /* "event\u004eame" is eventName spelt with an escape: it wins. */
        CHECK_TSTR(e->event_name, "Z\n");
        CHECK_TSTR(e->user_agent, "x\xf0\x9f\x98\x80y");
        CHECK_TSTR(e->region, "us-east-1");
        CHECK(e->time_ms == 1714564801000LL);
    }
    run_free(&r);
    run_s(&r, "{\"eventTime\":\"2024-05-01T12:00:01Z\",\"eventName\":"
              "\"a\\\"b\\\\c\\/d\\u00e9\"}");
    CHECK(r.st == TT_OK && r.n == 1);
    if (r.n == 1)
        CHECK_TSTR(r.ev[0].event_name, "a\"b\\c/d\xc3\xa9");
    run_free(&r);

    /* Many escaped strings: the arena must never move earlier slices. */
    size_t nrec = 3000, cap = nrec * 120 + 16, o = 0;
    char *big = malloc(cap);
    o += (size_t)snprintf(big + o, cap - o, "[");
    for (size_t i = 0; i < nrec; i++)
        o += (size_t)snprintf(big + o, cap - o,
                              "%s{\"eventTime\":\"2024-05-01T12:00:01Z\","
                              "\"eventName\":\"n\\u00e9%zu\"}",
                              i ? "," : "", i);
    o += (size_t)snprintf(big + o, cap - o, "]");
    run_n(&r, big, o);
    CHECK(r.st == TT_OK && r.n == nrec);
    int good = 0;
    char want[32];
    for (size_t i = 0; i < r.n; i++) {
        snprintf(want, sizeof want, "n\xc3\xa9%zu", i);
        good += str_is(r.ev[i].event_name, want);
    }
    CHECK_MSG(good == (int)nrec, "%d of %zu escaped names intact", good, nrec);
    run_free(&r);
    free(big);

    expect_fail("{\"eventTime\":\"2024-05-01T12:00:01Z\",\"userAgent\":\"a\\ud800b\"}",
                TT_ERR_FORMAT, "record 1 (byte 48): userAgent holds an escaped lone");
    expect_fail("{\"eventTime\":\"2024-05-01T12:00:01Z\",\"eventName\":\"\\udc00\"}",
                TT_ERR_FORMAT, "lone UTF-16 surrogate");
    expect_fail("{\"eventTime\":\"2024-05-01T12:00:01Z\",\"eventName\":\"\xc0\xaf\"}",
                TT_ERR_FORMAT, "invalid UTF-8 in a string, found \"\\xC0\\xAF\\\"}\"");
}

static void test_types(void)
{
    char buf[512];
    snprintf(buf, sizeof buf, "{\"Records\":[%s,%s,{\"eventTime\":\"2024-01-02T03:04:05Z\","
                              "\"eventName\":42}]}", EV1, EV2);
    const char *at = strstr(buf, "42");
    char want[128];
    snprintf(want, sizeof want,
             "record 3 (byte %zu): eventName is a number, expected a string",
             (size_t)(at - buf));
    /* A record's bad content leaves that record out, not its object. */
    expect_partial(buf, 2, 1, want);

    static const struct { const char *field, *msg; } bad[] = {
        {"\"eventName\":true", "eventName is a boolean, expected a string"},
        {"\"eventID\":{}", "eventID is an object, expected a string"},
        {"\"awsRegion\":[\"us\"]", "awsRegion is an array, expected a string"},
        {"\"userIdentity\":\"root\"", "userIdentity is a string, expected an object"},
        {"\"userIdentity\":{\"accountId\":123}",
         "userIdentity.accountId is a number, expected a string"},
        {"\"userIdentity\":{\"sessionContext\":[]}",
         "userIdentity.sessionContext is an array, expected an object"},
        {"\"userIdentity\":{\"sessionContext\":{\"sessionIssuer\":{\"arn\":1}}}",
         "userIdentity.sessionContext.sessionIssuer.arn is a number"},
        {"\"userIdentity\":{\"sessionContext\":{\"attributes\":{\"mfaAuthenticated\":\"maybe\"}}}",
         "mfaAuthenticated \"maybe\" is not \"true\" or \"false\""},
        {"\"readOnly\":1", "readOnly is a number, expected a boolean"},
        {"\"readOnly\":\"yes\"", "readOnly \"yes\" is not \"true\" or \"false\""},
        {"\"managementEvent\":[]", "managementEvent is an array, expected a boolean"},
        {"\"eventTime\":1704164645", "eventTime is a number, expected a string"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(buf, sizeof buf, "[{\"eventTime\":\"2024-01-02T03:04:05Z\",%s}]",
                 bad[i].field);
        expect_fail(buf, TT_ERR_FORMAT, bad[i].msg);
    }
    /* Lenient: responseElements and credentials are service-defined. */
    static const char *lenient[] = {
        "\"responseElements\":\"text\"",
        "\"responseElements\":[1,2]",
        "\"responseElements\":{\"credentials\":\"secret\"}",
        "\"responseElements\":{\"credentials\":{\"accessKeyId\":7}}",
        "\"userIdentity\":{\"sessionContext\":{\"attributes\":{\"mfaAuthenticated\":true}}}",
        "\"readOnly\":\"TRUE\"",
    };
    for (size_t i = 0; i < sizeof lenient / sizeof *lenient; i++) {
        snprintf(buf, sizeof buf, "[{\"eventTime\":\"2024-01-02T03:04:05Z\",%s}]",
                 lenient[i]);
        expect_ok(buf, 1);
    }
    /* The first problem is the one reported, with its own details: a later
     * problem must not overwrite what the message quotes or expects. */
    expect_fail("[{\"eventTime\":\"2024-01-02T03:04:05Z\",\"readOnly\":1,"
                "\"eventName\":2}]", TT_ERR_FORMAT,
                "readOnly is a number, expected a boolean");
    expect_fail("[{\"eventTime\":\"2024-01-02T03:04:05Z\",\"readOnly\":\"yes\","
                "\"managementEvent\":\"no\"}]", TT_ERR_FORMAT,
                "readOnly \"yes\" is not \"true\" or \"false\"");
    /* A wrong type is reported only after the record's syntax is checked. */
    expect_fail("[{\"eventTime\":\"2024-01-02T03:04:05Z\",\"eventName\":1,\"x\":tru}]",
                TT_ERR_FORMAT, "expected true, false or null");
}

/* Several {"Records":...} documents one after another (zcat *.gz): every
 * document's events, messages that name the document. */
static void test_documents(void)
{
    run r;
    run_s(&r, "{\"Records\":[" EV1 "]}{\"Records\":[" EV2 "," EV1 "]}\n {\"Records\":[]}");
    CHECK_MSG(r.st == TT_OK && r.n == 3 && r.kind == INGEST_KIND_EVENTS, "%d %zu %s", r.st, r.n,
              r.err.msg);
    if (r.n == 3) {
        CHECK_TSTR(r.ev[1].event_name, "B");
        CHECK(r.ev[1].raw_off == strlen("{\"Records\":[" EV1 "]}{\"Records\":["));
    }
    run_free(&r);
    /* A bad record of the second document is left out and named by it. */
    expect_partial("{\"Records\":[" EV1 "]}{\"Records\":[" EV2 ",{\"eventName\":\"C\"}]}", 2, 1,
                   "document 2, record 2 (byte 133): eventTime is missing");
    /* A syntax error in a later document rejects all, naming it. */
    expect_fail("{\"Records\":[" EV1 "]}\n{\"Records\":[" EV2 ",]}", TT_ERR_FORMAT,
                "document 2 (from byte 67): byte 134 (line 2, column 68): expected a value");
    expect_fail("{\"Records\":[" EV1 "]}{\"Records\":[" EV2 "]", TT_ERR_FORMAT,
                "document 2 (from byte 66)");
    /* Digest documents among them hold no events; all digests: a digest. */
    expect_ok("{\"digestStartTime\":\"x\"}{\"Records\":[" EV1 "]}", 1);
    run_s(&r, "{\"digestStartTime\":\"x\"}\n{\"digestStartTime\":\"y\"}");
    CHECK(r.st == TT_OK && r.kind == INGEST_KIND_DIGEST && r.n == 0);
    run_free(&r);
    /* An insight document keeps none of its records; the others are kept. */
    run_s(&r, "{\"Records\":[{\"eventTime\":\"2024-01-02T03:04:05Z\",\"insightDetails\":{}}]}"
              "{\"Records\":[" EV1 "]}");
    CHECK(r.st == TT_OK && r.kind == INGEST_KIND_EVENTS && r.n == 1);
    run_free(&r);
    run_s(&r, "{\"Records\":[{\"eventTime\":\"2024-01-02T03:04:05Z\",\"insightDetails\":{}}]}");
    CHECK(r.st == TT_OK && r.kind == INGEST_KIND_INSIGHT && r.n == 0);
    run_free(&r);
}

/* Records left out: counted, the first INGEST_BAD_KEPT kept, positions. */
static void test_left_out(void)
{
    char buf[4096], line[512];
    size_t used = (size_t)snprintf(buf, sizeof buf, "{\"Records\":[");
    for (int i = 0; i < 9; i++)
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s", i ? "," : "",
                                 i % 3 == 1 ? EV1 : "{\"eventTime\":\"soon\"}");
    snprintf(buf + used, sizeof buf - used, "]}");
    expect_partial(buf, 3, 6, "record 1 (byte 25): eventTime \"soon\" is not an ISO 8601 time");
    run r;
    run_s(&r, buf);
    CHECK(ingest_parser_left_out_text(P, 1, 0, line, sizeof line) == 0);
    CHECK_MSG(strcmp(line, "record 3 (byte 99)") == 0, "%s", line);
    CHECK(ingest_parser_left_out_text(P, INGEST_BAD_KEPT - 1, 1, line, sizeof line) == 0);
    CHECK(ingest_parser_left_out_text(P, INGEST_BAD_KEPT, 1, line, sizeof line) == -1);
    run_free(&r);
    /* A failed parse leaves nothing counted. */
    run_s(&r, "[{\"eventTime\":\"soon\"}," EV1 ",]");
    CHECK(r.st == TT_ERR_FORMAT && ingest_parser_left_out(P) == 0);
    run_free(&r);
}

static void test_time(void)
{
    expect_fail("[{\"eventTime\":\"redacted\"}]", TT_ERR_FORMAT,
                "record 1 (byte 14): eventTime \"redacted\" is not an ISO 8601 time");
    expect_fail("[{\"eventTime\":\"2024-02-30T00:00:00Z\"}]", TT_ERR_FORMAT,
                "is not an ISO 8601 time");
    expect_fail("[{\"eventTime\":\"\"}]", TT_ERR_FORMAT, "is not an ISO 8601 time");
    /* The quoted value is cut at 40 bytes and shows control bytes as \xHH. */
    expect_fail("[{\"eventTime\":\"\\n0123456789012345678901234567890123456789\"}]",
                TT_ERR_FORMAT, "eventTime \"\\\\n01234567890123456789012345678901234567\"...");
}

static void test_caps(void)
{
    size_t cap = INGEST_MAX_FIELD_BYTES, n = cap + 200;
    char *b = malloc(n);
    for (int over = 0; over <= 1; over++) {
        size_t o = (size_t)snprintf(b, n, "{\"eventTime\":\"2024-01-02T03:04:05Z\",\"userAgent\":\"");
        memset(b + o, 'a', cap + (size_t)over);
        o += cap + (size_t)over;
        memcpy(b + o, "\"}", 2);
        run r;
        run_n(&r, b, o + 2);
        if (over)
            CHECK_MSG(r.st == TT_ERR_LIMIT && strstr(r.err.msg, "userAgent is longer than"),
                      "%s", r.err.msg);
        else
            CHECK(r.st == TT_OK && r.n == 1 && r.ev[0].user_agent.n == cap);
        run_free(&r);
    }
    /* The cap applies to the unescaped length. */
    size_t o = (size_t)snprintf(b, n, "{\"eventTime\":\"2024-01-02T03:04:05Z\",\"userAgent\":\"\\n");
    memset(b + o, 'a', cap - 1);
    o += cap - 1;
    memcpy(b + o, "\"}", 2);
    run r;
    run_n(&r, b, o + 2);
    CHECK(r.st == TT_OK && r.n == 1 && r.ev[0].user_agent.n == cap);
    run_free(&r);
    /* Fields we do not extract are not capped. */
    o = (size_t)snprintf(b, n, "{\"eventTime\":\"2024-01-02T03:04:05Z\",\"requestID\":\"");
    memset(b + o, 'a', cap + 100);
    o += cap + 100;
    memcpy(b + o, "\"}", 2);
    run_n(&r, b, o + 2);
    CHECK(r.st == TT_OK && r.n == 1);
    run_free(&r);
    free(b);
}

/* Nests `depth` arrays inside requestParameters of a record inside
 * {"Records":[...]} (which already takes 3 levels: the object, the array,
 * the record, then requestParameters' object is the 4th). */
static tt_status parse_nested(int depth)
{
    char b[1024];
    int o = snprintf(b, sizeof b, "{\"Records\":[{\"eventTime\":\"2024-01-02T03:04:05Z\","
                                  "\"requestParameters\":{\"a\":");
    for (int i = 0; i < depth; i++)
        b[o++] = '[';
    for (int i = 0; i < depth; i++)
        b[o++] = ']';
    o += snprintf(b + o, sizeof b - (size_t)o, "}}]}");
    run r;
    run_n(&r, b, (size_t)o);
    tt_status st = r.st;
    if (st == TT_ERR_LIMIT)
        CHECK_MSG(strstr(r.err.msg, "nesting deeper than the cap (64 levels)"), "%s",
                  r.err.msg);
    run_free(&r);
    return st;
}

/* The parser's limit on its event array: a parse past it fails at the
 * record past it, and the next parse without a limit takes them all. */
static void test_event_limit(void)
{
    enum { N = 1000 };
    tt_buf b;
    tt_buf_init(&b, (size_t)1 << 20);
    tt_buf_append(&b, "{\"Records\":[", 12);
    for (int i = 0; i < N; i++) {
        char rec[96];
        int n = snprintf(rec, sizeof rec, "%s{\"eventTime\":\"2027-01-01T00:00:00Z\",\"eventID\":\"t%d\"}",
                         i ? "," : "", i);
        tt_buf_append(&b, rec, (size_t)n);
    }
    tt_buf_append(&b, "]}", 2);
    run r;
    ingest_parser_set_limit(P, 300 * sizeof(tt_event));
    run_n(&r, b.data, b.len);
    CHECK_MSG(r.st == TT_ERR_LIMIT && r.n == 0, "status %d, %zu events", r.st, r.n);
    CHECK_MSG(strstr(r.err.msg, "record 301 (byte ") && strstr(r.err.msg, "past 300 records"),
              "%s", r.err.msg);
    run_free(&r);
    ingest_parser_set_limit(P, 0);
    run_n(&r, b.data, b.len);
    CHECK_MSG(r.st == TT_OK && r.n == N, "status %d (%s), %zu events", r.st, r.err.msg, r.n);
    run_free(&r);
    tt_buf_free(&b);
}

static void test_depth(void)
{
    CHECK(parse_nested(INGEST_MAX_DEPTH - 4) == TT_OK);
    CHECK(parse_nested(INGEST_MAX_DEPTH - 3) == TT_ERR_LIMIT);
    CHECK(parse_nested(200) == TT_ERR_LIMIT);
    /* Depth in the fields we walk ourselves counts too. */
    char b[1024];
    int o = 0;
    for (int i = 0; i < INGEST_MAX_DEPTH; i++)
        b[o++] = '[';
    run r;
    run_n(&r, b, (size_t)o);
    CHECK(r.st == TT_ERR_FORMAT); /* [[ is not a record: rejected before the cap */
    run_free(&r);
}

/* Every proper prefix of a valid object is rejected, and read in bounds. */
static void test_truncation(void)
{
    static const char small[] =
        "{\"Records\":[{\"eventTime\":\"2024-01-02T03:04:05Z\",\"eventName\":\"a\\u00e9\","
        "\"userIdentity\":{\"type\":\"IAMUser\",\"sessionContext\":{\"attributes\":"
        "{\"mfaAuthenticated\":\"true\"}}},\"readOnly\":false,\"n\":-1.5e3,"
        "\"requestParameters\":{\"x\":[null,true,\"\xc3\xa9\"]}}]}";
    size_t n = strlen(small), rejected = 0;
    run r;
    run_n(&r, small, n);
    CHECK_MSG(r.st == TT_OK && r.n == 1, "%s", r.err.msg);
    run_free(&r);
    for (size_t i = 0; i < n; i++) {
        run_n(&r, small, i);
        rejected += r.st != TT_OK && r.n == 0;
        run_free(&r);
    }
    CHECK_MSG(rejected == n, "%zu of %zu prefixes rejected", rejected, n);
}

static void test_syntax_messages(void)
{
    expect_fail("{\"Records\":[\n" EV1 ",\n{\"eventTime\" \"x\"}]}", TT_ERR_FORMAT,
                "(line 3, column 14): expected ':', found \"\\\"x\\\"}]}\"");
    expect_fail("[{\"eventName\":\"\x01\"}]", TT_ERR_FORMAT,
                "byte 15 (line 1, column 16): control character in a string "
                "(it must be escaped), found \"\\x01\\\"}]\"");
    expect_fail("{\"Records\":[" EV1, TT_ERR_FORMAT, "expected ',' or ']', found end of input");
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    char *b = NULL;
    long sz;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (sz = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        b = malloc(sz ? (size_t)sz : 1);
        if (b && fread(b, 1, (size_t)sz, f) != (size_t)sz) {
            free(b);
            b = NULL;
        }
        *n = (size_t)sz;
    }
    fclose(f);
    return b;
}

/* Parses a file; returns its status and sets *nev. */
static tt_status parse_file(const char *path, size_t *nev, tt_error *err)
{
    size_t len = 0;
    char *b = slurp(path, &len);
    ingest_kind kind;
    const tt_event *ev;
    if (!b)
        return tt_fail(err, TT_ERR_IO, "cannot read %s", path);
    tt_status st = ingest_parse_object(P, b, len, &kind, &ev, nev, err);
    for (size_t i = 0; st == TT_OK && i < *nev; i++)
        CHECK(b[ev[i].raw_off] == '{' && b[ev[i].raw_off + ev[i].raw_len - 1] == '}');
    free(b);
    return st;
}

static void test_stratus(const char *shared)
{
    char dir[4096], path[8192];
    snprintf(dir, sizeof dir, "%s/testdata/cloudtrail/stratus-red-team", shared);
    DIR *d = opendir(dir);
    if (!d) {
        CHECK_SKIP("no stratus-red-team captures");
        return;
    }
    size_t total = 0, files = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t nl = strlen(e->d_name), nev = 0;
        if (nl < 5 || strcmp(e->d_name + nl - 5, ".json") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        tt_error err;
        tt_status st = parse_file(path, &nev, &err);
        CHECK_MSG(st == TT_OK, "%s: %s", e->d_name, err.msg);
        total += nev;
        files++;
    }
    closedir(d);
    printf("stratus-red-team: %zu events in %zu files\n", total, files);
    CHECK_MSG(total == 310, "%zu events", total);
}

/* ---- ingest_pack -------------------------------------------------------- */

/* Every string field of tt_event, written out apart from pack.c's table. */
static const size_t str_fields[] = {
    offsetof(tt_event, event_id),       offsetof(tt_event, event_version),
    offsetof(tt_event, event_source),   offsetof(tt_event, event_name),
    offsetof(tt_event, region),         offsetof(tt_event, source_ip),
    offsetof(tt_event, user_agent),     offsetof(tt_event, error_code),
    offsetof(tt_event, event_type),     offsetof(tt_event, event_category),
    offsetof(tt_event, recipient_account), offsetof(tt_event, id_type),
    offsetof(tt_event, id_arn),         offsetof(tt_event, id_account),
    offsetof(tt_event, id_principal),   offsetof(tt_event, id_access_key),
    offsetof(tt_event, id_user_name),   offsetof(tt_event, id_invoked_by),
    offsetof(tt_event, issuer_type),    offsetof(tt_event, issuer_arn),
    offsetof(tt_event, issuer_user),    offsetof(tt_event, source_identity),
    offsetof(tt_event, minted_key),     offsetof(tt_event, request_shape),
};
#define NSTR (sizeof str_fields / sizeof *str_fields)

static char *dup_str(tt_str v)
{
    char *c = malloc(v.n + 1);
    memcpy(c, v.p, v.n);
    c[v.n] = '\0';
    return c;
}

static tt_str str_at(const tt_event *ev, size_t k)
{
    return *(const tt_str *)((const char *)ev + str_fields[k]);
}

/* Packs the events of txt, then overwrites and frees the input and parses
 * something else (reusing the parser's scratch, where unescaped strings
 * were): every field must still read as parsed, and a linked group must
 * share its first occurrence's copy. Adds the bytes packed and the string
 * bytes parsed to *packed and *total. */
static void pack_case(const char *txt, size_t len, size_t *packed, size_t *total, size_t *nev)
{
    run r;
    run_n(&r, txt, len);
    CHECK_MSG(r.st == TT_OK, "%s", r.err.msg);
    size_t n = r.n;
    *nev += n;
    tt_event *evs = ingest_parser_events(P);
    CHECK(n == 0 || evs == r.ev);
    tt_event_fp *fps = calloc(n + 1, sizeof *fps);
    tt_event *copy = calloc(n + 1, sizeof *copy);
    char **want = calloc(n * NSTR + 1, sizeof *want);
    for (size_t i = 0; i < n; i++) {
        tt_event_fingerprint(&evs[i], r.buf, &fps[i]);
        for (size_t k = 0; k < NSTR; k++) {
            tt_str v = str_at(&evs[i], k);
            want[i * NSTR + k] = v.p ? dup_str(v) : NULL;
            *total += v.n;
        }
    }
    uint32_t *table = NULL;
    size_t cap = 0;
    tt_event_fp_link(fps, n, &table, &cap);
    size_t bytes = ingest_pack_bytes(evs, fps, n);
    *packed += bytes;
    char *block = malloc(bytes + 1);
    ingest_pack(evs, fps, n, block);
    memcpy(copy, evs, n * sizeof *copy);
    memset(r.buf, 'X', r.len);
    run_free(&r);
    expect_ok("{\"Records\":[{\"eventTime\":\"2024-05-01T12:00:01Z\",\"eventName\":"
              "\"\\u0041\\u0042\\u0043\\u0044\\u0045\\u0046\",\"userAgent\":\"\\u0041\\u0042\"}]}", 1);
    int wrong = 0, unshared = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < NSTR; k++) {
            tt_str v = str_at(&copy[i], k);
            const char *w = want[i * NSTR + k];
            /* The eventID is dropped (its hash is the event's key). */
            if (str_fields[k] == offsetof(tt_event, event_id)) {
                if (v.p || v.n)
                    wrong++;
                continue;
            }
            /* An empty value reads as empty: a linked group's pointer is
             * its first occurrence's, NULL (absent) or not ("" given). */
            if (!w || !*w ? v.n != 0 : !v.p || v.n != strlen(w) || memcmp(v.p, w, v.n) != 0)
                wrong++;
            if (v.n && (v.p < block || v.p + v.n > block + bytes))
                wrong++;
        }
        uint32_t j = fps[i].first.identity;
        if (j < i && (copy[i].id_arn.p != copy[j].id_arn.p ||
                      copy[i].id_access_key.p != copy[j].id_access_key.p))
            unshared++;
        j = fps[i].first.shape;
        if (j < i && copy[i].event_name.p != copy[j].event_name.p)
            unshared++;
        j = fps[i].first.ua;
        if (j < i && copy[i].user_agent.p != copy[j].user_agent.p)
            unshared++;
    }
    CHECK_MSG(wrong == 0, "%d fields differ after packing", wrong);
    CHECK_MSG(unshared == 0, "%d linked groups not sharing their first copy", unshared);
    for (size_t i = 0; i < n * NSTR; i++)
        free(want[i]);
    free(want);
    free(copy);
    free(block);
    free(table);
    free(fps);
}

static void test_pack(void)
{
    _Static_assert(NSTR * sizeof(tt_str) + 32 == sizeof(tt_event), "str_fields misses a field");
    /* Repeats (identity, shape and user agent of the first event again),
     * escapes (unescaped into the parser's scratch), an empty error code
     * and absent fields. */
    static const char obj[] =
        "{\"Records\":["
        "{\"eventTime\":\"2024-05-01T12:00:01Z\",\"eventID\":\"e1\",\"eventName\":\"GetObject\","
        "\"eventSource\":\"s3.amazonaws.com\",\"awsRegion\":\"us-east-1\",\"userAgent\":\"aws-cli/2\","
        "\"sourceIPAddress\":\"10.0.0.1\",\"userIdentity\":{\"type\":\"AssumedRole\","
        "\"arn\":\"arn:aws:sts::111111111111:assumed-role/r/s1\",\"accessKeyId\":\"ASIAONE\","
        "\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"userName\":\"r\"}}},"
        "\"requestParameters\":{\"bucketName\":\"b\"}},"
        "{\"eventTime\":\"2024-05-01T12:00:02Z\",\"eventID\":\"e2\",\"eventName\":\"Get\\u004fbject\","
        "\"eventSource\":\"s3.amazonaws.com\",\"awsRegion\":\"us-east-1\",\"userAgent\":\"aws-cli/2\","
        "\"sourceIPAddress\":\"10.0.0.2\",\"userIdentity\":{\"type\":\"AssumedRole\","
        "\"arn\":\"arn:aws:sts::111111111111:assumed-role/r/s1\",\"accessKeyId\":\"ASIAONE\","
        "\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"userName\":\"r\"}}},"
        "\"errorCode\":\"\",\"requestParameters\":null},"
        "{\"eventTime\":\"2024-05-01T12:00:03Z\",\"eventID\":\"e3\",\"eventName\":\"AssumeRole\","
        "\"eventSource\":\"sts.amazonaws.com\",\"userAgent\":\"x\\u00e9\","
        "\"userIdentity\":{\"type\":\"IAMUser\",\"userName\":\"u\",\"accessKeyId\":\"AKIAONE\"},"
        "\"responseElements\":{\"credentials\":{\"accessKeyId\":\"ASIATWO\"}}},"
        "{\"eventTime\":\"2024-05-01T12:00:04Z\",\"eventName\":\"GetObject\","
        "\"eventSource\":\"s3.amazonaws.com\",\"awsRegion\":\"us-east-1\",\"userAgent\":\"aws-cli/2\","
        "\"sourceIPAddress\":\"10.0.0.1\",\"userIdentity\":{\"type\":\"AssumedRole\","
        "\"arn\":\"arn:aws:sts::111111111111:assumed-role/r/s1\",\"accessKeyId\":\"ASIAONE\","
        "\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"userName\":\"r\"}}},"
        "\"requestParameters\":{\"bucketName\":\"c\"}}]}";
    size_t packed = 0, total = 0, nev = 0;
    pack_case(obj, sizeof obj - 1, &packed, &total, &nev);
    CHECK_MSG(nev == 4 && packed < total, "%zu events, %zu of %zu bytes packed", nev, packed,
              total);
    /* Nothing to pack. */
    pack_case("{\"Records\":[]}", 14, &packed, &total, &nev);

    /* Real captures, when there. */
    const char *shared = check_shared_dir();
    char dir[4096], path[8192];
    DIR *d = NULL;
    if (shared) {
        snprintf(dir, sizeof dir, "%s/testdata/cloudtrail/stratus-red-team", shared);
        d = opendir(dir);
    }
    if (!d) {
        CHECK_SKIP("no stratus-red-team captures: packing checked on inline records only");
        return;
    }
    packed = total = nev = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t nl = strlen(e->d_name), len = 0;
        if (nl < 5 || strcmp(e->d_name + nl - 5, ".json") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        char *b = slurp(path, &len);
        if (b)
            pack_case(b, len, &packed, &total, &nev);
        free(b);
    }
    closedir(d);
    printf("pack: stratus-red-team: %zu events, %zu of %zu string bytes kept\n", nev, packed,
           total);
    CHECK(nev == 310 && packed < total);
}

static void test_captures(void)
{
    const char *shared = check_shared_dir();
    char path[4096];
    size_t nev = 0;
    tt_error err;
    if (!shared) {
        CHECK_SKIP("TT_SHARED_DIR is not set: real captures not parsed");
        return;
    }
    test_stratus(shared);

    snprintf(path, sizeof path, "%s/testdata/cloudtrail/trailscraper/"
             "111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U.json",
             shared);
    tt_status st = parse_file(path, &nev, &err);
    if (st == TT_ERR_IO) {
        CHECK_SKIP("no trailscraper capture");
    } else {
        CHECK_MSG(st == TT_OK && nev > 0, "%s", err.msg);
        printf("trailscraper: %zu events\n", nev);
    }

    /* Panther's hand-edited test events use "YYYY-MM-DD HH:MM:SS" times
     * and omit eventTime in places: as a whole, those records are left out
     * with a record-level message and the others handed out, exactly the
     * ones that pass line by line. */
    snprintf(path, sizeof path, "%s/testdata/cloudtrail/panther/"
             "panther_cloudtrail_rule_test_events.ndjson", shared);
    size_t len = 0, lines = 0, good = 0;
    char *b = slurp(path, &len);
    if (!b) {
        CHECK_SKIP("no panther capture");
        return;
    }
    ingest_kind kind;
    const tt_event *ev;
    st = ingest_parse_object(P, b, len, &kind, &ev, &nev, &err);
    size_t whole = nev, left_out = ingest_parser_left_out(P);
    char first[512] = "";
    ingest_parser_left_out_text(P, 0, 1, first, sizeof first);
    printf("panther as a whole: %s: %zu events, %zu left out, first %s\n", tt_status_name(st), nev,
           left_out, first);
    CHECK(st == TT_OK && strncmp(first, "record ", 7) == 0 && strstr(first, "eventTime"));
    for (char *p = b, *end = b + len, *nl; p < end; p = nl + 1) {
        nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            nl = end;
        if (nl == p)
            continue;
        lines++;
        st = ingest_parse_object(P, p, (size_t)(nl - p), &kind, &ev, &nev, &err);
        CHECK_MSG(st == TT_OK || strstr(err.msg, "eventTime") ||
                  strstr(err.msg, "readOnly"), "%s", err.msg);
        good += st == TT_OK && nev == 1;
    }
    printf("panther line by line: %zu of %zu events accepted\n", good, lines);
    CHECK(lines == 464 && good > 300);
    CHECK_MSG(whole == good && left_out == lines - good, "whole: %zu kept, %zu left out; lines: %zu of %zu",
              whole, left_out, good, lines);
    free(b);
}

/* ---- throughput ---- */

static const char BENCH_REC1[] =
    "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"AssumedRole\",\"principalId\":"
    "\"AROAEXAMPLEID12345678:i-0a1b2c3d4e5f67890\",\"arn\":\"arn:aws:sts::123456789012:"
    "assumed-role/ec2-app-role/i-0a1b2c3d4e5f67890\",\"accountId\":\"123456789012\","
    "\"accessKeyId\":\"ASIAEXAMPLEKEY123456\",\"sessionContext\":{\"sessionIssuer\":"
    "{\"type\":\"Role\",\"principalId\":\"AROAEXAMPLEID12345678\",\"arn\":\"arn:aws:iam::"
    "123456789012:role/ec2-app-role\",\"accountId\":\"123456789012\",\"userName\":"
    "\"ec2-app-role\"},\"webIdFederationData\":{},\"attributes\":{\"creationDate\":"
    "\"2024-05-01T11:52:13Z\",\"mfaAuthenticated\":\"false\"},\"ec2RoleDelivery\":\"2.0\"}},"
    "\"eventTime\":\"2024-05-01T12:00:01Z\",\"eventSource\":\"s3.amazonaws.com\","
    "\"eventName\":\"GetObject\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":"
    "\"10.0.12.34\",\"userAgent\":\"[aws-sdk-java/1.12.472 Linux/5.10.215-203.850.amzn2."
    "x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS java/17.0.10 vendor/Amazon.com_Inc. "
    "cfg/retry-mode/standard]\",\"requestParameters\":{\"bucketName\":"
    "\"example-app-data-prod\",\"Host\":\"example-app-data-prod.s3.us-east-1.amazonaws.com\","
    "\"key\":\"exports/2024/05/01/part-00042-3f9c1e2a-7b4d-4c1e-9a8f-0d2e6b5c4a31.snappy."
    "parquet\"},\"responseElements\":null,\"additionalEventData\":{\"SignatureVersion\":"
    "\"SigV4\",\"CipherSuite\":\"ECDHE-RSA-AES128-GCM-SHA256\",\"bytesTransferredIn\":0,"
    "\"AuthenticationMethod\":\"AuthHeader\",\"x-amz-id-2\":\"Vw1B2nT0q8zF3yKp9dLr6sXc4mJh7g"
    "Ue5aQo1iNb8vZt2wYs3kPf6lRd0jHc9xEg4uMa7nSy5oTb=\",\"bytesTransferredOut\":1048576},"
    "\"requestID\":\"7QK9XH2M4TBP8R1N\",\"eventID\":\"3f1d2c4b-5a6e-4f7a-8b9c-0d1e2f3a4b5c\","
    "\"readOnly\":true,\"resources\":[{\"type\":\"AWS::S3::Object\",\"ARN\":\"arn:aws:s3:::"
    "example-app-data-prod/exports/2024/05/01/part-00042-3f9c1e2a-7b4d-4c1e-9a8f-0d2e6b5c4a31"
    ".snappy.parquet\"},{\"accountId\":\"123456789012\",\"type\":\"AWS::S3::Bucket\",\"ARN\":"
    "\"arn:aws:s3:::example-app-data-prod\"}],\"eventType\":\"AwsApiCall\","
    "\"managementEvent\":false,\"recipientAccountId\":\"123456789012\",\"eventCategory\":"
    "\"Data\",\"tlsDetails\":{\"tlsVersion\":\"TLSv1.2\",\"cipherSuite\":"
    "\"ECDHE-RSA-AES128-GCM-SHA256\",\"clientProvidedHostHeader\":"
    "\"example-app-data-prod.s3.us-east-1.amazonaws.com\"}}";

static const char BENCH_REC2[] =
    "{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":"
    "\"AIDAEXAMPLE1234567890\",\"arn\":\"arn:aws:iam::123456789012:user/deploy\","
    "\"accountId\":\"123456789012\",\"accessKeyId\":\"AKIAEXAMPLE123456789\",\"userName\":"
    "\"deploy\"},\"eventTime\":\"2024-05-01T12:00:02Z\",\"eventSource\":"
    "\"ec2.amazonaws.com\",\"eventName\":\"RunInstances\",\"awsRegion\":\"eu-west-1\","
    "\"sourceIPAddress\":\"203.0.113.7\",\"userAgent\":\"terraform/1.8.2 (+https://www."
    "terraform.io) terraform-provider-aws/5.47.0 aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2"
    " md/GOOS#linux md/GOARCH#amd64 api/ec2#1.157.0\",\"requestParameters\":"
    "{\"instancesSet\":{\"items\":[{\"imageId\":\"ami-0abcdef1234567890\",\"minCount\":1,"
    "\"maxCount\":1}]},\"instanceType\":\"m6i.large\",\"blockDeviceMapping\":{},"
    "\"monitoring\":{\"enabled\":false},\"disableApiTermination\":false,"
    "\"disableApiStop\":false,\"clientToken\":\"terraform-20240501120001234500000001\","
    "\"tagSpecificationSet\":{\"items\":[{\"resourceType\":\"instance\",\"tags\":[{\"key\":"
    "\"Name\",\"value\":\"web-1\"},{\"key\":\"env\",\"value\":\"prod\"}]}]}},"
    "\"responseElements\":{\"requestId\":\"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\","
    "\"reservationId\":\"r-0123456789abcdef0\",\"ownerId\":\"123456789012\",\"groupSet\":{},"
    "\"instancesSet\":{\"items\":[{\"instanceId\":\"i-0123456789abcdef0\",\"imageId\":"
    "\"ami-0abcdef1234567890\",\"currentInstanceBootMode\":\"uefi\",\"instanceState\":"
    "{\"code\":0,\"name\":\"pending\"},\"privateDnsName\":\"ip-10-0-1-23.eu-west-1.compute."
    "internal\",\"amiLaunchIndex\":0,\"productCodes\":{},\"instanceType\":\"m6i.large\","
    "\"launchTime\":1714564802000,\"placement\":{\"availabilityZone\":\"eu-west-1a\","
    "\"tenancy\":\"default\"},\"monitoring\":{\"state\":\"disabled\"},\"subnetId\":"
    "\"subnet-0123456789abcdef0\",\"vpcId\":\"vpc-0123456789abcdef0\",\"privateIpAddress\":"
    "\"10.0.1.23\",\"stateReason\":{\"code\":\"pending\",\"message\":\"pending\"},"
    "\"architecture\":\"x86_64\",\"rootDeviceType\":\"ebs\",\"rootDeviceName\":\"/dev/xvda\","
    "\"blockDeviceMapping\":{},\"virtualizationType\":\"hvm\",\"hypervisor\":\"xen\","
    "\"cpuOptions\":{\"coreCount\":1,\"threadsPerCore\":2},\"capacityReservationSpecification\""
    ":{\"capacityReservationPreference\":\"open\"},\"enclaveOptions\":{\"enabled\":false},"
    "\"metadataOptions\":{\"state\":\"pending\",\"httpTokens\":\"required\","
    "\"httpPutResponseHopLimit\":2,\"httpEndpoint\":\"enabled\"},\"maintenanceOptions\":"
    "{\"autoRecovery\":\"default\"},\"privateDnsNameOptions\":{\"hostnameType\":\"ip-name\","
    "\"enableResourceNameDnsARecord\":false,\"enableResourceNameDnsAAAARecord\":false}}]}},"
    "\"requestID\":\"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\",\"eventID\":"
    "\"9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d\",\"readOnly\":false,\"eventType\":\"AwsApiCall\","
    "\"managementEvent\":true,\"recipientAccountId\":\"123456789012\",\"eventCategory\":"
    "\"Management\",\"tlsDetails\":{\"tlsVersion\":\"TLSv1.3\",\"cipherSuite\":"
    "\"TLS_AES_128_GCM_SHA256\",\"clientProvidedHostHeader\":\"ec2.eu-west-1.amazonaws.com\"},"
    "\"sessionCredentialFromConsole\":\"false\"}";

static double now_s(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* {"Records":[r1,r2,r1,...]} of about mb megabytes. */
static char *bench_buffer(size_t mb, size_t *len, size_t *nrec)
{
    size_t want = mb << 20, n1 = strlen(BENCH_REC1), n2 = strlen(BENCH_REC2);
    char *b = malloc(want + n1 + n2 + 64);
    size_t o = 0, k = 0;
    memcpy(b, "{\"Records\":[", 12);
    o = 12;
    while (o < want) {
        if (k)
            b[o++] = ',';
        const char *r = (k % 3 == 2) ? BENCH_REC2 : BENCH_REC1;
        size_t n = (k % 3 == 2) ? n2 : n1;
        memcpy(b + o, r, n);
        o += n;
        k++;
    }
    memcpy(b + o, "]}", 2);
    *len = o + 2;
    *nrec = k;
    return b;
}

static void test_throughput(void)
{
    const char *env = getenv("TT_BENCH_MB");
    size_t mb = env ? (size_t)strtoul(env, NULL, 10) : 100, len, nrec;
    if (mb == 0)
        return;
    char *b = bench_buffer(mb, &len, &nrec);
    double best_v = 1e9, best_p = 1e9;
    for (int rep = 0; rep < 3; rep++) {
        json_scanner s;
        double t0 = now_s();
        json_init(&s, b, len, INGEST_MAX_DEPTH);
        tt_status st = json_validate(&s);
        double t1 = now_s();
        ingest_kind kind;
        const tt_event *ev;
        size_t nev = 0;
        tt_error err;
        tt_status st2 = ingest_parse_object(P, b, len, &kind, &ev, &nev, &err);
        double t2 = now_s();
        CHECK(st == TT_OK && st2 == TT_OK && nev == nrec);
        best_v = t1 - t0 < best_v ? t1 - t0 : best_v;
        best_p = t2 - t1 < best_p ? t2 - t1 : best_p;
    }
    printf("throughput over %.1f MB (%zu records): validate %.0f MB/s, "
           "parse %.0f MB/s\n", (double)len / 1e6, nrec, (double)len / 1e6 / best_v,
           (double)len / 1e6 / best_p);
    free(b);
}

int main(void)
{
    P = ingest_parser_create();
    test_shapes();
    test_fields();
    test_nulls();
    test_escapes();
    test_types();
    test_time();
    test_documents();
    test_left_out();
    test_caps();
    test_event_limit();
    test_depth();
    test_truncation();
    test_syntax_messages();
    test_captures();
    test_pack();
    test_throughput();
    ingest_parser_free(P);
    ingest_parser_free(NULL);
    return check_done();
}
