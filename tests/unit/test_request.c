/*
 * test_request.c - actions that hang on a call's request, decided from
 * real CloudTrail record shapes (requestParameters as CloudTrail logs
 * them: camelCase, EC2's "...Set": {"items": [...]}). Each expected set is
 * written by hand; the comment above it names the AWS documentation.
 */
#include "check.h"

#include "generate/catalog.h"
#include "generate/mapping.h"
#include "generate/request.h"

#include <stdio.h>
#include <string.h>

static const gen_map *map;

/* The actions one call needs, sorted, space-separated; rec NULL: the
 * request unknown. */
static const char *needs(const char *src, const char *name, const char *rec)
{
    static char buf[1024];
    gen_map_result r;
    gen_request q;
    gen_map_resolve(map, src, name, &r);
    int parsed = rec && gen_request_parse(&q, rec, strlen(rec)) == 0;
    CHECK_MSG(!rec || parsed, "%s %s: the record does not parse", src, name);
    gen_map_apply_request(&r, parsed ? &q : NULL);
    if (rec)
        gen_request_free(&q);
    const char *acts[GEN_MAP_MAX_ACTIONS];
    size_t n = 0;
    for (size_t i = 0; i < r.n; i++)
        if (r.acts[i].granted)
            acts[n++] = r.acts[i].action->full;
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
    return buf;
}

#define NEEDS(src, name, params, want)                                                         \
    do {                                                                                       \
        const char *got_ = needs(src, name, "{\"requestParameters\":" params "}");              \
        CHECK_MSG(strcmp(got_, want) == 0, "%s %s -> \"%s\", want \"%s\"", src, name, got_, want); \
    } while (0)

/* The request unknown (no record): the reading gen_map_resolve makes. */
#define NEEDS0(src, name, want)                                                                \
    do {                                                                                       \
        const char *got_ = needs(src, name, NULL);                                             \
        CHECK_MSG(strcmp(got_, want) == 0, "%s %s -> \"%s\", want \"%s\"", src, name, got_, want); \
    } while (0)

/* iam:PassRole only when the request names a role. */
static void test_passrole(void)
{
    /* CloudTrail writes to S3 as its service principal (bucket policy); the
     * CloudWatch Logs role is passed: awscloudtrail/latest/userguide/
     * send-cloudtrail-events-to-cloudwatch-logs.html */
    NEEDS("cloudtrail.amazonaws.com", "CreateTrail", "{\"name\":\"t\",\"s3BucketName\":\"b\"}", "cloudtrail:CreateTrail");
    NEEDS("cloudtrail.amazonaws.com", "CreateTrail",
          "{\"name\":\"t\",\"s3BucketName\":\"b\",\"cloudWatchLogsRoleArn\":\"arn:aws:iam::111122223333:role/ct\","
          "\"cloudWatchLogsLogGroupArn\":\"arn:aws:logs:us-east-1:111122223333:log-group:g:*\"}",
          "cloudtrail:CreateTrail iam:PassRole");
    /* EC2 instance profiles: IAM User Guide, id_roles_use_switch-role-ec2.html */
    NEEDS("ec2.amazonaws.com", "RunInstances",
          "{\"instancesSet\":{\"items\":[{\"imageId\":\"ami-1\",\"minCount\":1,\"maxCount\":1}]},\"instanceType\":\"t3.micro\"}",
          "ec2:RunInstances");
    NEEDS("ec2.amazonaws.com", "RunInstances",
          "{\"instancesSet\":{\"items\":[{\"imageId\":\"ami-1\"}]},\"iamInstanceProfile\":{\"arn\":\"arn:aws:iam::111122223333:instance-profile/p\"}}",
          "ec2:RunInstances iam:PassRole");
    /* RDS: the Enhanced Monitoring role is passed (USER_Monitoring.OS.Enabling.html);
     * IAM database authentication passes none */
    NEEDS("rds.amazonaws.com", "CreateDBInstance",
          "{\"dBInstanceIdentifier\":\"db\",\"engine\":\"postgres\",\"enableIAMDatabaseAuthentication\":true}",
          "rds:CreateDBInstance");
    NEEDS("rds.amazonaws.com", "CreateDBInstance",
          "{\"dBInstanceIdentifier\":\"db\",\"monitoringRoleArn\":\"arn:aws:iam::111122223333:role/em\",\"monitoringInterval\":60}",
          "iam:PassRole rds:CreateDBInstance");
    /* Roles Anywhere profiles hand out roleArns: Service Authorization Reference */
    NEEDS("rolesanywhere.amazonaws.com", "CreateProfile",
          "{\"name\":\"p\",\"roleArns\":[\"arn:aws:iam::111122223333:role/r\"]}", "iam:PassRole rolesanywhere:CreateProfile");
    NEEDS("rolesanywhere.amazonaws.com", "CreateProfile", "{\"name\":\"p\",\"roleArns\":[]}", "rolesanywhere:CreateProfile");
    /* Lambda: the execution role is passed on create (Role is required), on update only when given
     * (lambda-intro-execution-role.html) */
    NEEDS("lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "{\"functionName\":\"f\",\"timeout\":30}",
          "lambda:UpdateFunctionConfiguration");
    NEEDS("lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
          "{\"functionName\":\"f\",\"role\":\"arn:aws:iam::111122223333:role/x\"}", "iam:PassRole lambda:UpdateFunctionConfiguration");
    NEEDS("ssm.amazonaws.com", "SendCommand", "{\"documentName\":\"AWS-RunShellScript\",\"instanceIds\":[\"i-1\"]}",
          "ssm:SendCommand");
    NEEDS("ssm.amazonaws.com", "SendCommand",
          "{\"documentName\":\"d\",\"serviceRoleArn\":\"arn:aws:iam::111122223333:role/sns\"}", "iam:PassRole ssm:SendCommand");
}

/* VPC Flow Logs: the role for CloudWatch Logs; logs:CreateLogDelivery only for
 * S3 and Firehose (vpc/latest/userguide/flow-logs-s3-iam.html, flow-logs-iam-role.html). */
static void test_flow_logs(void)
{
    NEEDS("ec2.amazonaws.com", "CreateFlowLogs",
          "{\"CreateFlowLogsRequest\":{}, \"resourceIdSet\":{\"items\":[{\"resourceId\":\"vpc-1\"}]},"
          "\"deliverLogsPermissionArn\":\"arn:aws:iam::111122223333:role/fl\",\"logGroupName\":\"g\"}",
          "ec2:CreateFlowLogs iam:PassRole");
    NEEDS("ec2.amazonaws.com", "CreateFlowLogs",
          "{\"logDestinationType\":\"s3\",\"logDestination\":\"arn:aws:s3:::b\"}", "ec2:CreateFlowLogs logs:CreateLogDelivery");
}

/* Tag on create: tagging.tsv's sources. */
static void test_tag_on_create(void)
{
    /* ec2: supported-iam-actions-tagging.html */
    NEEDS("ec2.amazonaws.com", "RunInstances",
          "{\"instancesSet\":{\"items\":[{\"imageId\":\"ami-1\"}]},\"tagSpecificationSet\":{\"items\":[{\"resourceType\":"
          "\"instance\",\"tags\":[{\"key\":\"Name\",\"value\":\"x\"}]}]}}",
          "ec2:CreateTags ec2:RunInstances");
    NEEDS("ec2.amazonaws.com", "CreateVolume", "{\"size\":8,\"zone\":\"us-east-1a\"}", "ec2:CreateVolume");
    NEEDS("ec2.amazonaws.com", "CreateVolume",
          "{\"size\":8,\"tagSpecificationSet\":{\"items\":[{\"resourceType\":\"volume\",\"tags\":[{\"key\":\"a\",\"value\":\"b\"}]}]}}",
          "ec2:CreateTags ec2:CreateVolume");
    /* rds: USER_Tagging.html */
    NEEDS("rds.amazonaws.com", "CreateDBInstance", "{\"dBInstanceIdentifier\":\"db\",\"tags\":[{\"key\":\"a\",\"value\":\"b\"}]}",
          "rds:AddTagsToResource rds:CreateDBInstance");
    NEEDS("rds.amazonaws.com", "CreateDBInstance", "{\"dBInstanceIdentifier\":\"db\",\"tags\":[]}", "rds:CreateDBInstance");
    /* ssm: sysman-paramstore-access.html */
    NEEDS("ssm.amazonaws.com", "PutParameter", "{\"name\":\"/p\",\"type\":\"String\",\"tags\":[{\"key\":\"a\",\"value\":\"b\"}]}",
          "ssm:AddTagsToResource ssm:PutParameter");
    NEEDS("ssm.amazonaws.com", "PutParameter", "{\"name\":\"/p\",\"type\":\"String\",\"overwrite\":true}", "ssm:PutParameter");
    /* lambda: configuration-tags.html */
    NEEDS("lambda.amazonaws.com", "CreateFunction20150331",
          "{\"functionName\":\"f\",\"role\":\"arn:aws:iam::111122223333:role/x\",\"tags\":{\"team\":\"a\"}}",
          "iam:PassRole lambda:CreateFunction lambda:TagResource");
    NEEDS("lambda.amazonaws.com", "CreateFunction20150331",
          "{\"functionName\":\"f\",\"role\":\"arn:aws:iam::111122223333:role/x\",\"layers\":[\"arn:aws:lambda:us-east-1:111122223333:layer:l:1\"]}",
          "iam:PassRole lambda:CreateFunction lambda:GetLayerVersion");
    /* iam: id_tags_roles.html, id_tags_users.html, id_tags_customer-managed-policies.html */
    NEEDS("iam.amazonaws.com", "CreateRole", "{\"roleName\":\"r\",\"tags\":[{\"key\":\"a\",\"value\":\"b\"}]}", "iam:CreateRole iam:TagRole");
    NEEDS("iam.amazonaws.com", "CreateRole", "{\"roleName\":\"r\",\"assumeRolePolicyDocument\":\"{}\"}", "iam:CreateRole");
    NEEDS("iam.amazonaws.com", "CreatePolicy", "{\"policyName\":\"p\",\"tags\":[{\"key\":\"a\",\"value\":\"b\"}]}",
          "iam:CreatePolicy iam:TagPolicy");
    /* logs: API_CreateLogGroup.html; cloudtrail: API_CreateTrail.html (TagsList) */
    NEEDS("logs.amazonaws.com", "CreateLogGroup", "{\"logGroupName\":\"g\",\"tags\":{\"a\":\"b\"}}", "logs:CreateLogGroup logs:TagResource");
    NEEDS("cloudtrail.amazonaws.com", "CreateTrail", "{\"name\":\"t\",\"tagsList\":[{\"key\":\"a\",\"value\":\"b\"}]}",
          "cloudtrail:AddTags cloudtrail:CreateTrail");
    /* The request unknown: tags are not assumed. */
    NEEDS0("iam.amazonaws.com", "CreateRole", "iam:CreateRole");
}

/* The overrides of the issue, each with its source in overrides.tsv. */
static void test_overrides(void)
{
    NEEDS0("s3.amazonaws.com", "DeleteBucketReplication", "s3:PutReplicationConfiguration");
    NEEDS0("securityhub.amazonaws.com", "CreateInsight", "securityhub:CreateInsight");
    NEEDS0("s3.amazonaws.com", "DeleteBucketPublicAccessBlock", "s3:PutBucketPublicAccessBlock");
    NEEDS0("s3.amazonaws.com", "DeleteBucketOwnershipControls", "s3:PutBucketOwnershipControls");
    NEEDS0("s3.amazonaws.com", "UploadPartCopy", "s3:GetObject s3:PutObject");
    NEEDS0("bedrock.amazonaws.com", "Converse", "bedrock:InvokeModel");
    NEEDS0("bedrock.amazonaws.com", "ConverseStream", "bedrock:InvokeModelWithResponseStream");
    NEEDS("secretsmanager.amazonaws.com", "BatchGetSecretValue", "{\"secretIdList\":[\"a\",\"b\"]}",
          "secretsmanager:BatchGetSecretValue secretsmanager:GetSecretValue");
    NEEDS("secretsmanager.amazonaws.com", "BatchGetSecretValue", "{\"filters\":[{\"key\":\"tag-key\",\"values\":[\"x\"]}]}",
          "secretsmanager:BatchGetSecretValue secretsmanager:GetSecretValue secretsmanager:ListSecrets");
    NEEDS0("sso.amazonaws.com", "GetRoleCredentials", "");
    NEEDS0("sso.amazonaws.com", "ListAccounts", "");
    NEEDS0("sso.amazonaws.com", "Federate", "");
    NEEDS0("sso.amazonaws.com", "Authenticate", "");
    NEEDS0("sso-oauth.amazonaws.com", "CreateToken", "");
}

/* The field test itself: case, EC2's Set/items, "[]", values, emptiness. */
static void test_fields(void)
{
    const char *rec = "{\"requestParameters\":{\"tagSpecificationSet\":{\"items\":[{\"resourceType\":\"vpc\"}]},"
                      "\"empty\":\"\",\"no\":false,\"nil\":null,\"n\":0,\"dest\":\"S3\"}}";
    gen_request q;
    CHECK(gen_request_parse(&q, rec, strlen(rec)) == 0);
#define HAS(c) gen_request_has(&q, c, strlen(c))
    CHECK(HAS("TagSpecifications[].ResourceType"));
    CHECK(HAS("tagspecificationset"));
    CHECK(!HAS("TagSpecifications[].Tags"));
    CHECK(!HAS("empty") && !HAS("no") && !HAS("nil") && HAS("n"));
    CHECK(HAS("missing|n") && !HAS("missing|other"));
    CHECK(HAS("dest=s3") && !HAS("dest=firehose"));
#undef HAS
    gen_request_free(&q);
    CHECK(gen_request_parse(&q, "[1]", 3) != 0);
    gen_request_free(&q);
    CHECK(gen_request_has(NULL, "x", 1) == 0);
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
    map = m;
    CHECK(gen_map_tag_rules(m) >= 20);
    test_passrole();
    test_flow_logs();
    test_tag_on_create();
    test_overrides();
    test_fields();
    gen_map_free(m);
    gen_catalog_free(c);
    return check_done();
}
