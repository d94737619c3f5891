/*
 * test_mapping.c - CloudTrail (eventSource, eventName) -> IAM actions, one
 * case or more per known class of the policy issue, each asserted against
 * the catalog: renamed prefixes, S3's differing names, Lambda's Invoke and
 * date suffixes (never other digits), kms:ReEncrypt, DynamoDB PartiQL and
 * transactions, case, calls needing no permission, console sign-in, and
 * refusal of data that names an action the catalog lacks.
 */
#include "check.h"

#include "generate/catalog.h"
#include "generate/mapping.h"

#include <stdio.h>
#include <string.h>

static const gen_catalog *cat;
static const gen_map *map;

/* The granted actions of a pair, sorted, space-separated. */
static const char *granted(const char *src, const char *name, gen_map_result *r)
{
    static char buf[1024];
    const char *acts[GEN_MAP_MAX_ACTIONS];
    size_t n = 0;
    gen_map_resolve(map, src, name, r);
    for (size_t i = 0; i < r->n; i++)
        if (r->acts[i].granted)
            acts[n++] = r->acts[i].action->full;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(acts[j - 1], acts[j]) > 0; j--) {
            const char *t = acts[j];
            acts[j] = acts[j - 1];
            acts[j - 1] = t;
        }
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++)
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s", i ? " " : "", acts[i]);
    /* Every action handed out is the catalog's own entry. */
    for (size_t i = 0; i < r->n; i++)
        CHECK(gen_catalog_find_full(cat, r->acts[i].action->full) == r->acts[i].action);
    return buf;
}

#define MAPS(src, name, want, rule_)                                               \
    do {                                                                           \
        gen_map_result r_;                                                         \
        const char *got_ = granted(src, name, &r_);                                \
        CHECK_MSG(strcmp(got_, want) == 0, "%s %s -> \"%s\", want \"%s\"", src, name, got_, want); \
        CHECK_MSG(r_.rule == (rule_), "%s %s: rule %s", src, name, gen_rule_name(r_.rule)); \
    } while (0)

static void test_prefixes(void)
{
    MAPS("monitoring.amazonaws.com", "PutMetricData", "cloudwatch:PutMetricData", GEN_RULE_DEFAULT);
    MAPS("tagging.amazonaws.com", "GetResources", "tag:GetResources", GEN_RULE_DEFAULT);
    MAPS("pinpoint.amazonaws.com", "GetApps", "mobiletargeting:GetApps", GEN_RULE_DEFAULT);
    MAPS("iam.amazonaws.com", "CreateUser", "iam:CreateUser", GEN_RULE_DEFAULT);
    gen_map_result r;
    gen_map_resolve(map, "monitoring.amazonaws.com", "PutMetricData", &r);
    CHECK(r.prefix_from_table && strcmp(r.prefix, "cloudwatch") == 0);
    gen_map_resolve(map, "iam.amazonaws.com", "CreateUser", &r);
    CHECK_STR(r.prefix, "iam");
    size_t sources, exceptions, overrides;
    gen_map_counts(map, &sources, &exceptions, &overrides);
    CHECK(sources == 325); /* the count of the iam-dataset table */
    CHECK(exceptions > 500 && overrides >= 10);
}

static void test_s3(void)
{
    MAPS("s3.amazonaws.com", "ListObjects", "s3:ListBucket", GEN_RULE_EXCEPTION);
    MAPS("s3.amazonaws.com", "ListObjectsV2", "s3:ListBucket", GEN_RULE_EXCEPTION);
    MAPS("s3.amazonaws.com", "HeadBucket", "s3:ListBucket", GEN_RULE_EXCEPTION);
    MAPS("s3.amazonaws.com", "HeadObject", "s3:GetObject", GEN_RULE_EXCEPTION);
    MAPS("s3.amazonaws.com", "ListBuckets", "s3:ListAllMyBuckets", GEN_RULE_OVERRIDE);
    MAPS("s3.amazonaws.com", "PutBucketReplication", "iam:PassRole s3:PutReplicationConfiguration", GEN_RULE_OVERRIDE);
    MAPS("s3.amazonaws.com", "PutBucketLifecycle", "s3:PutLifecycleConfiguration", GEN_RULE_EXCEPTION);
    MAPS("s3.amazonaws.com", "GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration", GEN_RULE_EXCEPTION);
    MAPS("s3.amazonaws.com", "DeleteBucketLifecycle", "s3:PutLifecycleConfiguration", GEN_RULE_EXCEPTION);
    MAPS("s3.amazonaws.com", "PutBucketEncryption", "s3:PutEncryptionConfiguration", GEN_RULE_EXCEPTION);
    MAPS("s3.amazonaws.com", "GetBucketEncryption", "s3:GetEncryptionConfiguration", GEN_RULE_EXCEPTION);
    MAPS("s3.amazonaws.com", "PutBucketCors", "s3:PutBucketCORS", GEN_RULE_DEFAULT); /* case: the catalog's spelling */
    MAPS("s3.amazonaws.com", "DeleteBucketCors", "s3:PutBucketCORS", GEN_RULE_EXCEPTION);
    MAPS("s3.amazonaws.com", "CreateMultipartUpload", "s3:PutObject", GEN_RULE_EXCEPTION);
    MAPS("s3.amazonaws.com", "UploadPart", "s3:PutObject", GEN_RULE_EXCEPTION);
    MAPS("s3.amazonaws.com", "CompleteMultipartUpload", "s3:PutObject", GEN_RULE_EXCEPTION);
    /* CopyObject reads the source and writes the target. */
    gen_map_result r;
    const char *copy = granted("s3.amazonaws.com", "CopyObject", &r);
    CHECK(strstr(copy, "s3:GetObject") && strstr(copy, "s3:PutObject"));
    /* A name CloudTrail logs for S3 itself is not taken from S3 Control's Outposts actions. */
    MAPS("s3.amazonaws.com", "CreateAccessPoint", "s3:CreateAccessPoint", GEN_RULE_DEFAULT);
    /* HeadObject's version action needs VersionId: shown, not granted. */
    gen_map_resolve(map, "s3.amazonaws.com", "HeadObject", &r);
    int shown = 0;
    for (size_t i = 0; i < r.n; i++)
        if (strcmp(r.acts[i].action->full, "s3:GetObjectVersion") == 0)
            shown = !r.acts[i].granted && r.acts[i].param && strncmp(r.acts[i].param, "VersionId", 9) == 0;
    CHECK(shown);
}

static void test_lambda_kms_dynamodb(void)
{
    MAPS("lambda.amazonaws.com", "Invoke", "lambda:InvokeFunction", GEN_RULE_OVERRIDE);
    MAPS("lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "lambda:UpdateFunctionCode", GEN_RULE_DEFAULT);
    MAPS("lambda.amazonaws.com", "AddPermission20150331v2", "lambda:AddPermission", GEN_RULE_DEFAULT);
    MAPS("lambda.amazonaws.com", "ListFunctions20150331", "lambda:ListFunctions", GEN_RULE_DEFAULT);
    MAPS("lambda.amazonaws.com", "CreateFunction20150331", "iam:PassRole lambda:CreateFunction", GEN_RULE_OVERRIDE);
    gen_map_result r;
    gen_map_resolve(map, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", &r);
    CHECK(r.date_suffix && strcmp(r.name, "UpdateFunctionCode") == 0);
    /* Digits are never stripped otherwise. */
    MAPS("rds.amazonaws.com", "RestoreDBInstanceFromS3", "iam:PassRole rds:RestoreDBInstanceFromS3",
         GEN_RULE_EXCEPTION);
    MAPS("ec2.amazonaws.com", "DescribeInstances", "ec2:DescribeInstances", GEN_RULE_DEFAULT);
    MAPS("lambda.amazonaws.com", "UpdateFunctionCode19990331", "", GEN_RULE_UNMAPPED);
    MAPS("lambda.amazonaws.com", "NoSuchThing20150331", "", GEN_RULE_UNMAPPED);
    MAPS("kms.amazonaws.com", "ReEncrypt", "kms:ReEncryptFrom kms:ReEncryptTo", GEN_RULE_OVERRIDE);
    MAPS("dynamodb.amazonaws.com", "ExecuteStatement",
         "dynamodb:PartiQLDelete dynamodb:PartiQLInsert dynamodb:PartiQLSelect dynamodb:PartiQLUpdate", GEN_RULE_EXCEPTION);
    MAPS("dynamodb.amazonaws.com", "TransactGetItems", "dynamodb:GetItem", GEN_RULE_EXCEPTION);
    MAPS("dynamodb.amazonaws.com", "TransactWriteItems",
         "dynamodb:ConditionCheckItem dynamodb:DeleteItem dynamodb:PutItem dynamodb:UpdateItem", GEN_RULE_EXCEPTION);
}

static void test_case_and_none(void)
{
    MAPS("s3.amazonaws.com", "getobject", "s3:GetObject", GEN_RULE_DEFAULT);
    MAPS("IAM.amazonaws.com", "createuser", "iam:CreateUser", GEN_RULE_DEFAULT);
    MAPS("sts.amazonaws.com", "GetCallerIdentity", "", GEN_RULE_OVERRIDE);
    MAPS("sts.amazonaws.com", "GetSessionToken", "", GEN_RULE_OVERRIDE);
    MAPS("dynamodb.amazonaws.com", "DescribeEndpoints", "", GEN_RULE_OVERRIDE);
    MAPS("signin.amazonaws.com", "ConsoleLogin", "", GEN_RULE_OVERRIDE);
    MAPS("signin.amazonaws.com", "CheckMfa", "", GEN_RULE_OVERRIDE);
    MAPS("sts.amazonaws.com", "AssumeRole", "sts:AssumeRole", GEN_RULE_DEFAULT);
    MAPS("example.com", "Anything", "", GEN_RULE_UNMAPPED);
    MAPS("nosuchservice.amazonaws.com", "Do", "", GEN_RULE_UNMAPPED);
    gen_map_result r;
    gen_map_resolve(map, "sts.amazonaws.com", "GetCallerIdentity", &r);
    CHECK(r.n == 0 && r.reason && strstr(r.reason, "no permission"));
    gen_map_resolve(map, "signin.amazonaws.com", "ConsoleLogin", &r);
    CHECK(r.reason && strstr(r.reason, "sign-in"));
}

/* Data naming an action the catalog lacks is refused at load. */
static void test_bad_data(void)
{
    tt_error err;
    gen_map *m = NULL;
    const char *mapping = "S\ts3.amazonaws.com\ts3\nM\ts3\tPutBucketReplication\ts3:PutBucketReplication\tS3.X\n";
    CHECK(gen_map_parse(&m, cat, mapping, strlen(mapping), "", 0, &err) == TT_ERR_FORMAT && !m);
    CHECK(strstr(err.msg, "s3:PutBucketReplication") != NULL);
    const char *ov = "s3.amazonaws.com\tX\ts3:NoSuchAction\tbecause\n";
    CHECK(gen_map_parse(&m, cat, "", 0, ov, strlen(ov), &err) == TT_ERR_FORMAT);
    const char *good = "s3.amazonaws.com\tX\ts3:getobject\tbecause\n";
    CHECK(gen_map_parse(&m, cat, "", 0, good, strlen(good), &err) == TT_OK && m);
    if (m) {
        gen_map_result r;
        gen_map_resolve(m, "s3.amazonaws.com", "x", &r);
        CHECK(r.n == 1 && strcmp(r.acts[0].action->full, "s3:GetObject") == 0 && strcmp(r.reason, "because") == 0);
        gen_map_free(m);
    }
}

/* Every exception row of the compiled-in data maps to catalog actions only
 * (checked by construction at load; here through the public API). */
static void test_every_stratus_name(void)
{
    static const char *const pairs[][3] = {
        {"iam.amazonaws.com", "AttachUserPolicy", "iam:AttachUserPolicy"},
        {"iam.amazonaws.com", "CreateAccessKey", "iam:CreateAccessKey"},
        {"ec2-instance-connect.amazonaws.com", "SendSSHPublicKey", "ec2-instance-connect:SendSSHPublicKey"},
        {"route53resolver.amazonaws.com", "DeleteResolverQueryLogConfig", "route53resolver:DeleteResolverQueryLogConfig"},
        {"ssm.amazonaws.com", "SendCommand", "ssm:SendCommand"},
        {"secretsmanager.amazonaws.com", "BatchGetSecretValue", "secretsmanager:BatchGetSecretValue secretsmanager:GetSecretValue"},
        {"bedrock.amazonaws.com", "InvokeModel", "bedrock:InvokeModel"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        gen_map_result r;
        const char *got = granted(pairs[i][0], pairs[i][1], &r);
        CHECK_MSG(strcmp(got, pairs[i][2]) == 0, "%s %s -> %s", pairs[i][0], pairs[i][1], got);
    }
}

int main(void)
{
    tt_error err;
    gen_catalog *c = NULL;
    gen_map *m = NULL;
    CHECK(gen_catalog_load(&c, &err) == TT_OK);
    if (c)
        CHECK(gen_map_create(&m, c, &err) == TT_OK);
    if (!c || !m) {
        fprintf(stderr, "%s\n", err.msg);
        return check_done();
    }
    cat = c;
    map = m;
    test_prefixes();
    test_s3();
    test_lambda_kms_dynamodb();
    test_case_and_none();
    test_bad_data();
    test_every_stratus_name();
    gen_map_free(m);
    gen_catalog_free(c);
    return check_done();
}
