/*
 * test_observed.c - gen_observed (generate/observed.h), the resources of
 * `policy --resources observed`, on CloudTrail records shaped as the logs
 * write them: the ARN each service's request names, assigned only to the
 * actions whose catalog resource types it fits; text from the log escaped
 * so that it cannot widen the policy; "*" when a call names nothing the
 * action can scope to or its record is unreadable; the collapse to a
 * prefix past the threshold (never cutting an escape); documents split at
 * IAM's size and refused past ten.
 */
#include "check.h"

#include "generate/catalog.h"
#include "generate/observed.h"
#include "generate/policy.h"
#include "generate/repo.h"

#include <string.h>

static gen_catalog *cat;

static const gen_action *act(const char *full)
{
    const gen_action *a = gen_catalog_find_full(cat, full);
    if (!a)
        fprintf(stderr, "no catalog action %s\n", full);
    return a;
}

/* One CloudTrail record of account 111122223333, role app. */
static char *record(const char *source, const char *event, const char *region, const char *params)
{
    static char buf[8192];
    snprintf(buf, sizeof buf,
             "{\"eventVersion\":\"1.09\",\"userIdentity\":{\"type\":\"AssumedRole\","
             "\"principalId\":\"AROAEXAMPLE:s\",\"arn\":\"arn:aws:sts::111122223333:assumed-role/app/s\","
             "\"accountId\":\"111122223333\"},\"eventTime\":\"2026-10-02T10:00:00Z\","
             "\"eventSource\":\"%s\",\"eventName\":\"%s\",\"awsRegion\":\"%s\","
             "\"sourceIPAddress\":\"192.0.2.10\",\"userAgent\":\"aws-sdk-go-v2/1.30.0\","
             "\"requestParameters\":%s,\"responseElements\":null,"
             "\"eventID\":\"7d3e1c2a-0000-4000-8000-000000000001\",\"readOnly\":true,"
             "\"eventType\":\"AwsApiCall\",\"recipientAccountId\":\"111122223333\"}",
             source, event, region, params);
    return buf;
}

static void add(gen_observed *o, const char *action, const char *rec)
{
    const gen_action *a = act(action);
    if (a)
        gen_observed_add(o, &a, 1, rec, strlen(rec));
}

/* The describe line of one action: its resources column. */
static char *resources_of(gen_observed *o, const char *action, char *out, size_t cap)
{
    const gen_action *a = act(action);
    out[0] = '\0';
    if (!a)
        return out;
    tt_buf b;
    tt_buf_init(&b, 1 << 20);
    gen_observed_describe(o, &a, 1, &b);
    tt_buf_append(&b, "", 1);
    const char *line = strchr(b.data, '\n');
    const char *tab = line ? strchr(line + 1, '\t') : NULL;
    const char *end = tab ? strchr(tab + 1, '\t') : NULL;
    if (tab && end)
        snprintf(out, cap, "%.*s", (int)(end - tab - 1), tab + 1);
    tt_buf_free(&b);
    return out;
}

static void test_escape(void)
{
    char out[64];
    CHECK(gen_arn_escape("orders", out, sizeof out) == 0);
    CHECK_STR(out, "orders");
    CHECK(gen_arn_escape("a*b?c$d", out, sizeof out) == 0);
    CHECK_STR(out, "a${*}b${?}c${$}d");
    CHECK(gen_arn_escape("", out, sizeof out) == 0);
    CHECK_STR(out, "");
    /* The cap counts the terminating NUL: "${*}" needs 5. */
    CHECK(gen_arn_escape("*", out, 5) == 0);
    CHECK_STR(out, "${*}");
    CHECK(gen_arn_escape("*", out, 4) == -1);
    CHECK_STR(out, "");
    CHECK(gen_arn_escape("abc", out, 3) == -1);
    CHECK(gen_arn_escape("abc", out, 4) == 0);
    /* An escape of an escape does not unescape: "${*}" becomes text again. */
    CHECK(gen_arn_escape("${*}", out, sizeof out) == 0);
    CHECK_STR(out, "${$}{${*}}");
}

static void test_services(void)
{
    gen_observed *o = gen_observed_create(cat, 0);
    char r[4096];
    /* S3: the object ARN for GetObject, the bucket ARN for ListBucket. */
    const char *get = record("s3.amazonaws.com", "GetObject", "eu-west-1",
                             "{\"bucketName\":\"ci-artifacts\",\"Host\":\"ci-artifacts.s3.eu-west-1.amazonaws.com\","
                             "\"key\":\"builds/app-1.2.3.tar.gz\"}");
    add(o, "s3:GetObject", get);
    add(o, "s3:ListBucket", record("s3.amazonaws.com", "ListObjects", "eu-west-1",
                                   "{\"bucketName\":\"ci-artifacts\",\"prefix\":\"builds/\"}"));
    CHECK_STR(resources_of(o, "s3:GetObject", r, sizeof r), "arn:aws:s3:::ci-artifacts/builds/app-1.2.3.tar.gz");
    CHECK_STR(resources_of(o, "s3:ListBucket", r, sizeof r), "arn:aws:s3:::ci-artifacts");
    /* DynamoDB, Lambda, SQS (from the queue URL), SNS, KMS by key and alias,
     * SSM without the leading slash, Secrets Manager by name. */
    add(o, "dynamodb:GetItem", record("dynamodb.amazonaws.com", "GetItem", "us-east-1",
                                      "{\"tableName\":\"prod-orders\",\"key\":{\"id\":{\"S\":\"1\"}}}"));
    CHECK_STR(resources_of(o, "dynamodb:GetItem", r, sizeof r), "arn:aws:dynamodb:us-east-1:111122223333:table/prod-orders");
    add(o, "lambda:InvokeFunction", record("lambda.amazonaws.com", "Invoke", "us-west-2",
                                           "{\"functionName\":\"resize-images\"}"));
    CHECK_STR(resources_of(o, "lambda:InvokeFunction", r, sizeof r),
              "arn:aws:lambda:us-west-2:111122223333:function:resize-images");
    add(o, "sqs:SendMessage", record("sqs.amazonaws.com", "SendMessage", "us-east-1",
                                     "{\"queueUrl\":\"https://sqs.us-east-1.amazonaws.com/444455556666/orders.fifo\"}"));
    CHECK_STR(resources_of(o, "sqs:SendMessage", r, sizeof r), "arn:aws:sqs:us-east-1:444455556666:orders.fifo");
    add(o, "sns:Publish", record("sns.amazonaws.com", "Publish", "us-east-1",
                                 "{\"topicArn\":\"arn:aws:sns:us-east-1:111122223333:alerts\"}"));
    CHECK_STR(resources_of(o, "sns:Publish", r, sizeof r), "arn:aws:sns:us-east-1:111122223333:alerts");
    add(o, "kms:Decrypt", record("kms.amazonaws.com", "Decrypt", "us-east-1",
                                 "{\"keyId\":\"1234abcd-12ab-34cd-56ef-1234567890ab\",\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\"}"));
    CHECK_STR(resources_of(o, "kms:Decrypt", r, sizeof r),
              "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    add(o, "ssm:GetParameter", record("ssm.amazonaws.com", "GetParameter", "eu-central-1",
                                      "{\"name\":\"/prod/db/password\",\"withDecryption\":true}"));
    CHECK_STR(resources_of(o, "ssm:GetParameter", r, sizeof r),
              "arn:aws:ssm:eu-central-1:111122223333:parameter/prod/db/password");
    add(o, "secretsmanager:GetSecretValue", record("secretsmanager.amazonaws.com", "GetSecretValue", "us-east-1",
                                                   "{\"secretId\":\"prod/api-key\"}"));
    CHECK_STR(resources_of(o, "secretsmanager:GetSecretValue", r, sizeof r),
              "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/api-key-??????");
    /* iam:PassRole scopes to the role the call passes. */
    add(o, "iam:PassRole", record("lambda.amazonaws.com", "CreateFunction20150331", "us-east-1",
                                  "{\"functionName\":\"f\",\"role\":\"arn:aws:iam::111122223333:role/lambda-exec\"}"));
    CHECK_STR(resources_of(o, "iam:PassRole", r, sizeof r), "arn:aws:iam::111122223333:role/lambda-exec");
    /* A region from a GovCloud log gives its partition. */
    add(o, "dynamodb:PutItem", record("dynamodb.amazonaws.com", "PutItem", "us-gov-west-1", "{\"tableName\":\"t\"}"));
    CHECK_STR(resources_of(o, "dynamodb:PutItem", r, sizeof r), "arn:aws-us-gov:dynamodb:us-gov-west-1:111122223333:table/t");
    /* An action without resource types keeps "*"; that is not a fallback. */
    add(o, "sts:GetCallerIdentity", record("sts.amazonaws.com", "GetCallerIdentity", "us-east-1", "null"));
    CHECK_STR(resources_of(o, "sts:GetCallerIdentity", r, sizeof r), "*");
    size_t fb, col;
    gen_observed_counts(o, &fb, &col);
    CHECK_MSG(fb == 0 && col == 0, "fallback %zu collapsed %zu", fb, col);
    gen_observed_free(o);
}

static void test_escaping_and_fallback(void)
{
    gen_observed *o = gen_observed_create(cat, 0);
    char r[4096];
    /* A key with IAM's special characters cannot become a wildcard. */
    add(o, "s3:GetObject", record("s3.amazonaws.com", "GetObject", "us-east-1",
                                  "{\"bucketName\":\"b\",\"key\":\"reports/*/2026?$x\"}"));
    CHECK_STR(resources_of(o, "s3:GetObject", r, sizeof r), "arn:aws:s3:::b/reports/${*}/2026${?}${$}x");
    /* A whole ARN copied from the log is escaped too. */
    add(o, "sns:Publish", record("sns.amazonaws.com", "Publish", "us-east-1",
                                 "{\"topicArn\":\"arn:aws:sns:us-east-1:111122223333:*\"}"));
    CHECK_STR(resources_of(o, "sns:Publish", r, sizeof r), "arn:aws:sns:us-east-1:111122223333:${*}");
    /* A call that names no fitting ARN: "*" for that action, counted. */
    add(o, "dynamodb:Query", record("dynamodb.amazonaws.com", "Query", "us-east-1", "{\"indexName\":\"x\"}"));
    CHECK_STR(resources_of(o, "dynamodb:Query", r, sizeof r), "*");
    /* One call without an ARN among calls with one: "*" still (the action
     * was used on something the log does not name). */
    add(o, "kms:Encrypt", record("kms.amazonaws.com", "Encrypt", "us-east-1", "{\"keyId\":\"alias/app\"}"));
    add(o, "kms:Encrypt", record("kms.amazonaws.com", "Encrypt", "us-east-1", "{}"));
    CHECK_STR(resources_of(o, "kms:Encrypt", r, sizeof r), "*");
    /* An unreadable record: "*", and the note says why. */
    const gen_action *lam = act("lambda:InvokeFunction");
    add(o, "lambda:InvokeFunction", record("lambda.amazonaws.com", "Invoke", "us-east-1", "{\"functionName\":\"f\"}"));
    if (lam)
        gen_observed_fallback(o, &lam, 1);
    CHECK_STR(resources_of(o, "lambda:InvokeFunction", r, sizeof r), "*");
    tt_buf b;
    tt_buf_init(&b, 1 << 20);
    if (lam)
        gen_observed_describe(o, &lam, 1, &b);
    tt_buf_append(&b, "", 1);
    CHECK(strncmp(b.data, "action\tresources\tnote\n", 22) == 0);
    CHECK(strstr(b.data, "gone or changed") != NULL);
    tt_buf_free(&b);
    size_t fb, col;
    gen_observed_counts(o, &fb, &col);
    CHECK_MSG(fb >= 3, "fallback %zu", fb);
    /* A truncated or non-JSON record adds nothing and does not crash. */
    const char *cut = "{\"eventSource\":\"s3.amazonaws.com\",\"requestParameters\":{\"bucketName\":\"b";
    add(o, "s3:PutObject", cut);
    add(o, "s3:PutObject", "");
    CHECK_STR(resources_of(o, "s3:PutObject", r, sizeof r), "*");
    gen_observed_free(o);
}

static void test_collapse(void)
{
    char r[8192], key[160];
    for (size_t threshold = 3; threshold <= 4; threshold++) {
        gen_observed *o = gen_observed_create(cat, 3);
        for (size_t i = 0; i < threshold; i++) {
            snprintf(key, sizeof key, "{\"bucketName\":\"logs\",\"key\":\"2026/10/obj-%zu.json.gz\"}", i);
            add(o, "s3:GetObject", record("s3.amazonaws.com", "GetObject", "us-east-1", key));
        }
        size_t fb, col;
        gen_observed_counts(o, &fb, &col);
        resources_of(o, "s3:GetObject", r, sizeof r);
        if (threshold == 3) { /* at the threshold: listed, sorted */
            CHECK(col == 0);
            CHECK_STR(r, "arn:aws:s3:::logs/2026/10/obj-0.json.gz arn:aws:s3:::logs/2026/10/obj-1.json.gz "
                         "arn:aws:s3:::logs/2026/10/obj-2.json.gz");
        } else { /* past it: the common prefix and "*" */
            CHECK(col == 1);
            CHECK_STR(r, "arn:aws:s3:::logs/2026/10/obj-*");
        }
        gen_observed_free(o);
    }
    /* The same ARN many times is one ARN. */
    gen_observed *o = gen_observed_create(cat, 3);
    for (int i = 0; i < 20; i++)
        add(o, "s3:GetObject", record("s3.amazonaws.com", "GetObject", "us-east-1", "{\"bucketName\":\"b\",\"key\":\"k\"}"));
    CHECK_STR(resources_of(o, "s3:GetObject", r, sizeof r), "arn:aws:s3:::b/k");
    gen_observed_free(o);
    /* The prefix never ends inside an escape: keys "a${*}1".."a${*}4" and
     * "a${?}" share "arn:aws:s3:::b/a${" which would be a broken escape. */
    o = gen_observed_create(cat, 3);
    const char *keys[] = {"a*1", "a*2", "a*3", "a?4"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(key, sizeof key, "{\"bucketName\":\"b\",\"key\":\"%s\"}", keys[i]);
        add(o, "s3:GetObject", record("s3.amazonaws.com", "GetObject", "us-east-1", key));
    }
    CHECK_STR(resources_of(o, "s3:GetObject", r, sizeof r), "arn:aws:s3:::b/a*");
    gen_observed_free(o);
}

static void test_build(void)
{
    gen_observed *o = gen_observed_create(cat, 0);
    const gen_action *acts[3] = {act("s3:GetObject"), act("s3:PutObject"), act("sts:GetCallerIdentity")};
    if (!acts[0] || !acts[1] || !acts[2])
        return;
    const char *rec = record("s3.amazonaws.com", "GetObject", "us-east-1", "{\"bucketName\":\"b\",\"key\":\"k\"}");
    gen_observed_add(o, acts, 2, rec, strlen(rec)); /* one call that mapped to both */
    char **docs = NULL;
    size_t nd = 0;
    tt_error err;
    CHECK(gen_observed_build(o, acts, 3, &docs, &nd, &err) == TT_OK);
    CHECK(nd == 1);
    if (nd == 1) {
        /* One statement for both S3 actions (same resources), one for STS. */
        CHECK(strstr(docs[0], "\"Sid\": \"AllowS3\"") != NULL);
        CHECK(strstr(docs[0], "\"Sid\": \"AllowSts\"") != NULL);
        CHECK(strstr(docs[0], "\"s3:GetObject\",\n        \"s3:PutObject\"") != NULL);
        CHECK(strstr(docs[0], "\"arn:aws:s3:::b/k\"") != NULL);
        size_t n = 0;
        CHECK(gen_policy_lint(cat, docs[0], strlen(docs[0]), 0, &n, &err) == TT_OK);
        CHECK(n == 3);
    }
    for (size_t i = 0; i < nd; i++)
        free(docs[i]);
    free(docs);
    gen_observed_free(o);

    /* Many long ARNs: split into documents of at most 6,144 characters, each
     * linted; past ten documents, a limit error. */
    for (int big = 0; big < 2; big++) {
        o = gen_observed_create(cat, 1000);
        const char *names[] = {"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectTagging",
                               "s3:PutObjectTagging", "s3:GetObjectAcl", "s3:PutObjectAcl", "s3:GetObjectVersion",
                               "s3:DeleteObjectVersion", "s3:AbortMultipartUpload", "s3:RestoreObject",
                               "s3:GetObjectAttributes"};
        size_t na = big ? 12 : 4;
        const gen_action *many[12];
        for (size_t i = 0; i < na; i++)
            many[i] = act(names[i]);
        for (size_t i = 0; i < na; i++) {
            if (!many[i])
                return;
            for (int k = 0; k < 40; k++) { /* 40 distinct keys per action, ~100 characters each */
                char p[256];
                snprintf(p, sizeof p, "{\"bucketName\":\"data-lake-raw\",\"key\":\"%s/part-%03d-of-the-daily-export-"
                                      "with-a-long-name.parquet\"}", names[i] + 3, k);
                const char *rr = record("s3.amazonaws.com", "GetObject", "us-east-1", p);
                gen_observed_add(o, &many[i], 1, rr, strlen(rr));
            }
        }
        docs = NULL;
        nd = 0;
        tt_status st = gen_observed_build(o, many, na, &docs, &nd, &err);
        if (!big) {
            CHECK_MSG(st == TT_OK && nd >= 2 && nd <= GEN_POLICY_MAX_DOCS, "st %d nd %zu", (int)st, nd);
            for (size_t i = 0; i < nd; i++) {
                CHECK(gen_policy_iam_size(docs[i], strlen(docs[i])) <= GEN_POLICY_MAX_CHARS);
                CHECK(gen_policy_lint(cat, docs[i], strlen(docs[i]), 0, NULL, &err) == TT_OK);
            }
        } else {
            CHECK_MSG(st == TT_ERR_LIMIT, "st %d nd %zu", (int)st, nd);
            CHECK(strstr(err.msg, "10") != NULL);
        }
        for (size_t i = 0; i < nd; i++)
            free(docs[i]);
        free(docs);
        gen_observed_free(o);
    }
}

int main(void)
{
    tt_error err;
    if (gen_catalog_load(&cat, &err) != TT_OK) {
        fprintf(stderr, "catalog: %s\n", err.msg);
        return 1;
    }
    test_escape();
    test_services();
    test_escaping_and_fallback();
    test_collapse();
    test_build();
    gen_catalog_free(cat);
    return check_done();
}
