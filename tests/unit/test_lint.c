/*
 * test_lint.c - the three policy lints over the real catalog, on real IAM
 * documents and on documents made to be wrong: gen_policy_lint (policy.h:
 * generated documents, exact actions only), gen_repo_lint (repo.h: the
 * customer's own documents, wildcards and NotAction allowed) and
 * gen_trust_lint (trust.h), each at its size limit's boundary.
 */
#include "check.h"

#include "generate/catalog.h"
#include "generate/policy.h"
#include "generate/repo.h"
#include "generate/trust.h"

#include <string.h>

static gen_catalog *cat;

#define DOC(stmts) "{\"Version\":\"2012-10-17\",\"Statement\":[" stmts "]}"
#define ALLOW(act) "{\"Effect\":\"Allow\",\"Action\":" act ",\"Resource\":\"*\"}"

/* 0 when s passes gen_policy_lint; else 1 and the message has want. */
static int policy_fails(const char *s, size_t max, const char *want)
{
    tt_error err;
    tt_error_clear(&err);
    tt_status st = gen_policy_lint(cat, s, strlen(s), max, NULL, &err);
    if (st == TT_OK)
        return 0;
    if (want && !strstr(err.msg, want)) {
        fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", err.msg, want);
        return -1;
    }
    return 1;
}

static int repo_fails(const char *s, size_t max, size_t *unknown, const char *want)
{
    tt_error err;
    tt_error_clear(&err);
    tt_status st = gen_repo_lint(cat, s, strlen(s), max, unknown, &err);
    if (st == TT_OK)
        return 0;
    if (want && !strstr(err.msg, want)) {
        fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", err.msg, want);
        return -1;
    }
    return 1;
}

static int trust_fails(const char *s, size_t max, const char *want)
{
    tt_error err;
    tt_error_clear(&err);
    tt_status st = gen_trust_lint(s, strlen(s), max, &err);
    if (st == TT_OK)
        return 0;
    if (want && !strstr(err.msg, want)) {
        fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", err.msg, want);
        return -1;
    }
    return 1;
}

/* A document whose IAM size is exactly n: one statement whose Resource
 * list of S3 ARNs (each under the lint's string cap) fills it. */
static char *sized_doc(size_t n)
{
    const char *head = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                       "\"Action\":\"s3:GetObject\",\"Resource\":[";
    const char *tail = "]}]}";
    const char *arn = "arn:aws:s3:::bucket/";
    size_t len = strlen(head) + strlen(tail), min = strlen(arn) + 3;
    if (n < len + min)
        return NULL;
    char *s = malloc(n + 1), *p = s;
    p += snprintf(p, n + 1, "%s", head);
    for (int first = 1;; first = 0) {
        size_t left = n - len - (first ? 0 : 1); /* room for this item, after its comma */
        size_t item = left >= 2 * min + 200 ? 200 : left; /* the last one takes the rest */
        if (!first)
            *p++ = ',';
        p += snprintf(p, n + 1 - (size_t)(p - s), "\"%s", arn);
        memset(p, 'k', item - min + 1);
        p += item - min + 1;
        *p++ = '"';
        len += item + (first ? 0 : 1);
        if (len == n)
            break;
    }
    snprintf(p, n + 1 - (size_t)(p - s), "%s", tail);
    return s;
}

/* What trailtrim policy writes for a CI role (the shape of a generated
 * document: one statement per service, sorted, exact actions). */
static const char *generated =
    "{\n"
    "  \"Version\": \"2012-10-17\",\n"
    "  \"Statement\": [\n"
    "    {\n"
    "      \"Sid\": \"AllowS3\",\n"
    "      \"Effect\": \"Allow\",\n"
    "      \"Action\": [\n"
    "        \"s3:GetObject\",\n"
    "        \"s3:ListBucket\",\n"
    "        \"s3:PutObject\"\n"
    "      ],\n"
    "      \"Resource\": \"*\"\n"
    "    },\n"
    "    {\n"
    "      \"Sid\": \"AllowSts\",\n"
    "      \"Effect\": \"Allow\",\n"
    "      \"Action\": \"sts:AssumeRole\",\n"
    "      \"Resource\": \"*\"\n"
    "    }\n"
    "  ]\n"
    "}\n";

static void test_policy_lint(void)
{
    size_t n = 0;
    tt_error err;
    CHECK(gen_policy_lint(cat, generated, strlen(generated), 0, &n, &err) == TT_OK);
    CHECK_MSG(n == 4, "distinct actions %zu", n);
    /* The same action twice, in another spelling: counted once. */
    const char *twice = DOC(ALLOW("[\"s3:GetObject\",\"S3:getobject\"]"));
    CHECK(gen_policy_lint(cat, twice, strlen(twice), 0, &n, &err) == TT_OK && n == 1);

    CHECK(policy_fails(DOC(ALLOW("\"*\"")), 0, "allows everything") == 1);
    CHECK(policy_fails(DOC(ALLOW("\"s3:Get*\"")), 0, "wildcard") == 1);
    CHECK(policy_fails(DOC(ALLOW("\"s3:Get?bject\"")), 0, "wildcard") == 1);
    CHECK(policy_fails(DOC(ALLOW("\"s3:NoSuchAction\"")), 0, "not an action") == 1);
    CHECK(policy_fails(DOC(ALLOW("[]")), 0, "empty Action") == 1);
    CHECK(policy_fails(DOC(ALLOW("42")), 0, "Action must be") == 1);
    CHECK(policy_fails(DOC("{\"Effect\":\"Allow\",\"NotAction\":\"s3:GetObject\",\"Resource\":\"*\"}"), 0,
                       "NotAction") == 1);
    CHECK(policy_fails(DOC("{\"Effect\":\"Maybe\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}"), 0,
                       "neither Allow nor Deny") == 1);
    CHECK(policy_fails(DOC("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\"}"), 0, "lacks") == 1);
    CHECK(policy_fails(DOC("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"Foo\":1}"), 0,
                       "unknown statement element \"Foo\"") == 1);
    CHECK(policy_fails(DOC("{\"Sid\":\"my-sid\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}"),
                       0, "not alphanumeric") == 1);
    CHECK(policy_fails(DOC("{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"},"
                           "{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"*\"}"),
                       0, "twice") == 1);
    CHECK(policy_fails(DOC("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Action\":\"s3:PutObject\","
                           "\"Resource\":\"*\"}"),
                       0, "Action twice") == 1);
    CHECK(policy_fails("{\"Version\":\"2008-10-17\",\"Statement\":[" ALLOW("\"s3:GetObject\"") "]}", 0,
                       "Version") == 1);
    CHECK(policy_fails("{\"Version\":\"2012-10-17\",\"Statement\":[]}", 0, "empty Statement") == 1);
    CHECK(policy_fails("{\"Version\":\"2012-10-17\"}", 0, "no Version or no Statement") == 1);
    CHECK(policy_fails(DOC(ALLOW("\"s3:GetObject\"")) " {}", 0, "data after") == 1);
    CHECK(policy_fails("[" DOC(ALLOW("\"s3:GetObject\"")) "]", 0, "not a JSON object") == 1);
    CHECK(policy_fails("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\"", 0, NULL) == 1);
    CHECK(policy_fails("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Al\x01low\"}]}", 0, "control") == 1);
    CHECK(policy_fails(DOC(ALLOW("\"s3:GetObject\\x\"")), 0, "bad escape") == 1);
    CHECK(policy_fails(DOC(ALLOW("\"s3:GetObject\\u12\"")), 0, "\\u escape") == 1);
    /* A Condition nested past the lint's depth cap is refused, not recursed into. */
    char deep[512];
    int k = snprintf(deep, sizeof deep, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                        "\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"Condition\":");
    for (int i = 0; i < 40; i++)
        deep[k++] = '[';
    for (int i = 0; i < 40; i++)
        deep[k++] = ']';
    snprintf(deep + k, sizeof deep - k, "}]}");
    CHECK(policy_fails(deep, 0, "too deep") == 1);
    /* A Deny is never a grant: its actions are not checked against the
     * catalog, and NotResource is a resource element. */
    CHECK(policy_fails(DOC(ALLOW("\"s3:GetObject\"") ",{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}"),
                       0, NULL) == 0);
    /* Whitespace outside strings is free; inside a string it counts. */
    CHECK(gen_policy_iam_size("{ \"a b\" :\n 1 }", 14) == 9);
    CHECK(gen_policy_iam_size(generated, strlen(generated)) ==
          strlen("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"AllowS3\",\"Effect\":\"Allow\",\"Action\":"
                 "[\"s3:GetObject\",\"s3:ListBucket\",\"s3:PutObject\"],\"Resource\":\"*\"},{\"Sid\":\"AllowSts\","
                 "\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}]}"));
    /* The limit is inclusive, and 0 means IAM's 6,144. */
    char *at = sized_doc(GEN_POLICY_MAX_CHARS), *over = sized_doc(GEN_POLICY_MAX_CHARS + 1);
    CHECK(gen_policy_iam_size(at, strlen(at)) == GEN_POLICY_MAX_CHARS);
    CHECK(policy_fails(at, 0, NULL) == 0);
    CHECK(policy_fails(over, 0, "6144") == 1);
    CHECK(policy_fails(over, GEN_POLICY_MAX_CHARS + 1, NULL) == 0);
    CHECK(policy_fails(at, 200, "6144 > 200 characters") == 1);
    free(at);
    free(over);
}

/* A customer's managed policy, as `aws iam get-policy-version` prints it. */
static const char *customer =
    "{\"Version\":\"2012-10-17\",\"Id\":\"ops\",\"Statement\":["
    "{\"Sid\":\"ReadOnly\",\"Effect\":\"Allow\",\"Action\":[\"ec2:Describe*\",\"s3:List*\",\"s3:GetObject\"],"
    "\"Resource\":[\"arn:aws:s3:::logs-bucket\",\"arn:aws:s3:::logs-bucket/*\"]},"
    "{\"Sid\":\"DenyOutsideEu\",\"Effect\":\"Deny\",\"NotAction\":[\"iam:*\",\"sts:*\"],\"Resource\":\"*\","
    "\"Condition\":{\"StringNotEquals\":{\"aws:RequestedRegion\":[\"eu-west-1\",\"eu-central-1\"]}}},"
    "{\"Effect\":\"Allow\",\"Action\":\"*\",\"NotResource\":\"arn:aws:iam::*:role/admin\"}]}";

static void test_repo_lint(void)
{
    size_t unk = 99;
    CHECK(repo_fails(customer, 0, &unk, NULL) == 0);
    CHECK_MSG(unk == 0, "unknown %zu", unk);
    /* An unknown action of a known service is kept, and counted. */
    CHECK(repo_fails(DOC(ALLOW("[\"s3:GetObject\",\"s3:NoSuchThing\",\"sqs:Nope\"]")), 0, &unk, NULL) == 0);
    CHECK_MSG(unk == 2, "unknown %zu", unk);
    CHECK(repo_fails(DOC(ALLOW("\"s3:GetObject\"")), 0, NULL, NULL) == 0); /* unknown may be NULL */
    CHECK(repo_fails(DOC("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"NotAction\":\"s3:PutObject\","
                         "\"Resource\":\"*\"}"),
                     0, NULL, "exactly one of Action and NotAction") == 1);
    CHECK(repo_fails(DOC("{\"Effect\":\"Allow\",\"Resource\":\"*\"}"), 0, NULL, "exactly one of Action") == 1);
    CHECK(repo_fails(DOC("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"NotResource\":\"*\"}"),
                     0, NULL, "exactly one of Resource and NotResource") == 1);
    CHECK(repo_fails(DOC("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\"}"), 0, NULL, "Resource") == 1);
    CHECK(repo_fails(DOC("{\"Effect\":\"allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}"), 0, NULL,
                     "Allow or Deny") == 1);
    CHECK(repo_fails(DOC("{\"Sid\":\"Dup\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"},"
                         "{\"Sid\":\"Dup\",\"Effect\":\"Deny\",\"Action\":\"s3:PutObject\",\"Resource\":\"*\"}"),
                     0, NULL, "twice") == 1);
    CHECK(repo_fails(DOC("{\"Sid\":\"a b\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}"), 0,
                     NULL, "alphanumeric") == 1);
    CHECK(repo_fails(DOC("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"Condition\":[]}"), 0,
                     NULL, "Condition") == 1);
    CHECK(repo_fails(DOC("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\",\"Notes\":\"x\"}"), 0,
                     NULL, "unknown statement element") == 1);
    CHECK(repo_fails(DOC("{}"), 0, NULL, "non-empty object") == 1);
    CHECK(repo_fails("{\"Version\":\"2012-10-17\",\"Statement\":[]}", 0, NULL, "Statement") == 1);
    CHECK(repo_fails("{\"Version\":\"2012-10-17\",\"Statement\":" ALLOW("\"s3:GetObject\"") "}", 0, NULL, NULL) ==
          0); /* one statement, not a list: IAM takes it */
    CHECK(repo_fails("{\"Statement\":[" ALLOW("\"s3:GetObject\"") "]}", 0, NULL, "Version") == 1);
    CHECK(repo_fails("{\"Version\":\"2012-10-17\",\"Statement\":[" ALLOW("\"s3:GetObject\"") "],\"Extra\":1}", 0,
                     NULL, "unknown top-level") == 1);
    CHECK(repo_fails(DOC(ALLOW("\"s3:GetObject\"")) "x", 0, NULL, NULL) == 1);
    /* The limit, inclusive; a refusal over it is a limit error. */
    char *at = sized_doc(GEN_POLICY_MAX_CHARS), *over = sized_doc(GEN_POLICY_MAX_CHARS + 1);
    tt_error err;
    CHECK(gen_repo_lint(cat, at, strlen(at), 0, NULL, &err) == TT_OK);
    CHECK(gen_repo_lint(cat, over, strlen(over), 0, NULL, &err) == TT_ERR_LIMIT);
    CHECK(gen_repo_lint(cat, at, strlen(at), GEN_REPO_ROLE_INLINE_MAX, NULL, &err) == TT_OK);
    CHECK(gen_repo_lint(cat, at, strlen(at), GEN_REPO_USER_INLINE_MAX, NULL, &err) == TT_ERR_LIMIT);
    free(at);
    free(over);
}

/* A GitHub Actions OIDC trust policy, as AWS's documentation gives it. */
static const char *gha =
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
    "\"Principal\":{\"Federated\":\"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com\"},"
    "\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringEquals\":{"
    "\"token.actions.githubusercontent.com:aud\":\"sts.amazonaws.com\","
    "\"token.actions.githubusercontent.com:sub\":\"repo:octo-org/octo-repo:ref:refs/heads/main\"}}}]}";

#define TRUST(stmts) "{\"Version\":\"2012-10-17\",\"Statement\":[" stmts "]}"

static void test_trust_lint(void)
{
    CHECK(trust_fails(gha, 0, NULL) == 0);
    CHECK(trust_fails(TRUST("{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},"
                            "\"Action\":[\"sts:AssumeRole\",\"sts:TagSession\"]}"),
                      0, NULL) == 0);
    CHECK(trust_fails(TRUST("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},"
                            "\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"sts:ExternalId\":\"x\"}}},"
                            "{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":\"*\"},\"Action\":\"sts:*\"}"),
                      0, NULL) == 0);
    CHECK(trust_fails(TRUST("{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\"}"), 0, NULL) == 1);
    CHECK(trust_fails(TRUST("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRole\"}"), 0, NULL) == 1);
    CHECK(trust_fails(TRUST("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}"), 0,
                      NULL) == 1);
    CHECK(trust_fails(TRUST("{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},"
                            "\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}"),
                      0, NULL) == 1);
    CHECK(trust_fails(TRUST("{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},"
                            "\"Action\":\"s3:GetObject\"}"),
                      0, NULL) == 1);
    CHECK(trust_fails(TRUST("{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},"
                            "\"Action\":\"sts:*\"}"),
                      0, NULL) == 1);
    CHECK(trust_fails(TRUST("{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}"), 0,
                      NULL) == 1); /* no Allow at all */
    CHECK(trust_fails("{\"Version\":\"2012-10-17\",\"Statement\":[]}", 0, NULL) == 1);
    CHECK(trust_fails("{\"Version\":\"2008-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                      "\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}",
                      0, NULL) == 1);
    /* The size: 0 means 4,096; the limit is inclusive. */
    size_t z = gen_policy_iam_size(gha, strlen(gha));
    CHECK(trust_fails(gha, z, NULL) == 0);
    CHECK(trust_fails(gha, z - 1, NULL) == 1);
    char big[8192];
    int k = snprintf(big, sizeof big, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                      "\"Principal\":{\"AWS\":[");
    for (int i = 0; k < (int)GEN_TRUST_MAX_CHARS + 100; i++)
        k += snprintf(big + k, sizeof big - k, "%s\"arn:aws:iam::%012d:root\"", i ? "," : "", 100000000 + i);
    snprintf(big + k, sizeof big - k, "]},\"Action\":\"sts:AssumeRole\"}]}");
    CHECK(trust_fails(big, 0, NULL) == 1);
    CHECK(trust_fails(big, 8192, NULL) == 0);
}

int main(void)
{
    tt_error err;
    if (gen_catalog_load(&cat, &err) != TT_OK) {
        fprintf(stderr, "catalog: %s\n", err.msg);
        return 1;
    }
    test_policy_lint();
    test_repo_lint();
    test_trust_lint();
    gen_catalog_free(cat);
    return check_done();
}
