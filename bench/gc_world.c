/*
 * gc_world.c - who exists in the synthetic organisation and what each one
 * does: up to 32 accounts (prod, staging, management, sandbox and team
 * accounts of those kinds, a few busy and many quiet), their resources, and
 * principals with stable jobs (weighted lists of API calls) and their
 * credential holders (instances, containers, people: gc_slot). A few
 * principals make most calls, as in real trails.
 */
#include <math.h>
#include "gc.h"

#include <stdio.h>

#define A(src, name, kind, flags, w) {src "", name, kind, flags, w}
#define S3 "s3.amazonaws.com"
#define DDB "dynamodb.amazonaws.com"
#define EC2 "ec2.amazonaws.com"
#define IAM "iam.amazonaws.com"
#define STS "sts.amazonaws.com"
#define KMS "kms.amazonaws.com"
#define LMB "lambda.amazonaws.com"
#define SQS "sqs.amazonaws.com"
#define CFN "cloudformation.amazonaws.com"
#define ECR "ecr.amazonaws.com"
#define SSM "ssm.amazonaws.com"
#define CW "monitoring.amazonaws.com"
#define LOGS "logs.amazonaws.com"
#define SM "secretsmanager.amazonaws.com"
#define GLB F_GLOBAL
#define RO F_RO
#define DATA F_DATA

static const gc_action job_app[] = {
    A(DDB, "GetItem", K_DDB_ITEM, RO | DATA, 300),
    A(DDB, "PutItem", K_DDB_ITEM, DATA, 100),
    A(DDB, "Query", K_DDB_QUERY, RO | DATA, 150),
    A(DDB, "UpdateItem", K_DDB_ITEM, DATA, 50),
    A(SQS, "SendMessage", K_SQS, DATA, 80),
    A(SQS, "ReceiveMessage", K_SQS, DATA, 120),
    A(SQS, "DeleteMessage", K_SQS, DATA, 80),
    A(KMS, "Decrypt", K_KMS_DECRYPT, RO, 100),
    A(KMS, "GenerateDataKey", K_KMS_GDK, RO, 40),
    A(SM, "GetSecretValue", K_SECRET, RO, 30),
    A(S3, "GetObject", K_S3_OBJ, RO | DATA, 80),
    A(S3, "PutObject", K_S3_OBJ, DATA, 40),
    A(SSM, "GetParameter", K_SSM, RO, 20),
    A(STS, "GetCallerIdentity", K_GETCALLER, RO, 5),
};

static const gc_action job_lambda[] = {
    A(DDB, "GetItem", K_DDB_ITEM, RO | DATA, 100),
    A(DDB, "PutItem", K_DDB_ITEM, DATA, 100),
    A(DDB, "UpdateItem", K_DDB_ITEM, DATA, 60),
    A("sns.amazonaws.com", "Publish", K_SNS, DATA, 60),
    A(SQS, "DeleteMessage", K_SQS, DATA, 40),
    A(KMS, "Decrypt", K_KMS_DECRYPT, RO, 60),
    A(S3, "PutObject", K_S3_OBJ, DATA, 40),
    A(S3, "GetObject", K_S3_OBJ, RO | DATA, 30),
    A(SM, "GetSecretValue", K_SECRET, RO, 10),
    A(LMB, "Invoke", K_LAMBDA_INVOKE, DATA, 40),
};

static const gc_action job_ci[] = {
    A(S3, "PutObject", K_S3_OBJ, DATA, 100),
    A(S3, "GetObject", K_S3_OBJ, RO | DATA, 40),
    A(S3, "ListObjects", K_S3_LIST, RO | DATA, 60),
    A(ECR, "GetAuthorizationToken", K_ECR_AUTH, RO, 30),
    A(ECR, "BatchCheckLayerAvailability", K_ECR_REPO, RO, 40),
    A(ECR, "InitiateLayerUpload", K_ECR_REPO, 0, 20),
    A(ECR, "PutImage", K_ECR_PUT, 0, 10),
    A(LMB, "UpdateFunctionCode20150331v2", K_LAMBDA_UPD, F_RENAMED, 30),
    A(LMB, "GetFunction20150331v2", K_LAMBDA_FN, RO | F_CFN, 20),
    A(CFN, "DescribeStacks", K_CFN_STACK, RO, 40),
    A(CFN, "DescribeStackEvents", K_CFN_STACK, RO, 30),
    A(CFN, "CreateChangeSet", K_CFN_CS, 0, 10),
    A(CFN, "ExecuteChangeSet", K_CFN_CS, 0, 10),
    A(IAM, "GetRole", K_IAM_ROLE, RO | GLB | F_CFN, 10),
    A(SQS, "GetQueueAttributes", K_SQS_ATTR, RO | F_CFN, 10),
    A(STS, "GetCallerIdentity", K_GETCALLER, RO, 20),
};

static const gc_action job_config[] = {
    A(EC2, "DescribeInstances", K_EC2_DESC, RO, 60),
    A(EC2, "DescribeSecurityGroups", K_EC2_DESC, RO, 50),
    A(EC2, "DescribeVpcs", K_EC2_DESC, RO, 20),
    A(EC2, "DescribeSubnets", K_EC2_DESC, RO, 20),
    A(EC2, "DescribeVolumes", K_EC2_DESC, RO, 30),
    A(EC2, "DescribeNetworkInterfaces", K_EC2_DESC, RO, 30),
    A(IAM, "GetRole", K_IAM_ROLE, RO | GLB, 20),
    A(IAM, "ListRoles", K_NULL, RO | GLB, 10),
    A(IAM, "GetPolicy", K_IAM_POLVER, RO | GLB, 10),
    A(S3, "GetBucketAcl", K_S3_BUCKET, RO, 20),
    A(S3, "GetBucketPolicy", K_S3_BUCKET, RO, 20),
    A(S3, "GetBucketVersioning", K_S3_BUCKET, RO, 15),
    A(LMB, "ListFunctions20150331", K_NULL, RO, 10),
    A(DDB, "DescribeTable", K_DDB_TABLE, RO, 15),
    A(KMS, "DescribeKey", K_KMS_KEY, RO, 10),
    A(SQS, "GetQueueAttributes", K_SQS_ATTR, RO, 10),
};

static const gc_action job_asg[] = {
    A(EC2, "RunInstances", K_EC2_RUN, 0, 10),
    A(EC2, "TerminateInstances", K_EC2_STATE, 0, 8),
    A(EC2, "DescribeInstances", K_EC2_DESC, RO, 60),
    A(EC2, "DescribeInstanceStatus", K_EC2_DESC, RO, 30),
    A(EC2, "CreateTags", K_EC2_TAGS, 0, 10),
};

static const gc_action job_console_admin[] = {
    A(EC2, "DescribeInstances", K_EC2_DESC, RO, 60),
    A(EC2, "DescribeSecurityGroups", K_EC2_DESC, RO, 30),
    A(EC2, "DescribeVpcs", K_EC2_DESC, RO, 20),
    A(EC2, "DescribeRegions", K_EC2_DESC, RO, 20),
    A(S3, "ListBuckets", K_S3_BUCKETS, RO, 40),
    A(S3, "GetBucketPolicy", K_S3_BUCKET, RO, 20),
    A(S3, "GetBucketAcl", K_S3_BUCKET, RO, 20),
    A(IAM, "ListRoles", K_NULL, RO | GLB, 30),
    A(IAM, "ListUsers", K_NULL, RO | GLB, 20),
    A(IAM, "GetRole", K_IAM_ROLE, RO | GLB, 20),
    A(IAM, "ListAttachedRolePolicies", K_IAM_ROLE, RO | GLB, 20),
    A(IAM, "AttachRolePolicy", K_IAM_ATTACH, GLB, 3),
    A(CW, "GetMetricData", K_CW_METRIC, RO, 50),
    A(CW, "DescribeAlarms", K_CW_ALARMS, RO, 30),
    A(LOGS, "DescribeLogGroups", K_LOGS, RO, 30),
    A(LMB, "ListFunctions20150331", K_NULL, RO, 20),
    A(LMB, "GetFunction20150331v2", K_LAMBDA_FN, RO, 20),
    A(CFN, "DescribeStacks", K_CFN_STACK, RO, 30),
    A(EC2, "StopInstances", K_EC2_STATE, 0, 5),
    A(EC2, "StartInstances", K_EC2_STATE, 0, 5),
    A("health.amazonaws.com", "DescribeEventAggregates", K_NULL, RO, 20),
    A("ce.amazonaws.com", "GetCostAndUsage", K_CE, RO | GLB, 10),
};

static const gc_action job_console_ro[] = {
    A(EC2, "DescribeInstances", K_EC2_DESC, RO, 60),
    A(S3, "ListBuckets", K_S3_BUCKETS, RO, 40),
    A(CW, "GetMetricData", K_CW_METRIC, RO, 60),
    A(CW, "DescribeAlarms", K_CW_ALARMS, RO, 30),
    A(LOGS, "DescribeLogGroups", K_LOGS, RO, 20),
    A(LOGS, "FilterLogEvents", K_LOGS_FILTER, RO, 30),
    A(IAM, "ListRoles", K_NULL, RO | GLB, 10),
    A(CFN, "DescribeStacks", K_CFN_STACK, RO, 20),
    A(DDB, "DescribeTable", K_DDB_TABLE, RO, 10),
};

static const gc_action job_ops[] = {
    A(EC2, "DescribeInstances", K_EC2_DESC, RO, 80),
    A(EC2, "DescribeSecurityGroups", K_EC2_DESC, RO, 40),
    A(EC2, "DescribeVolumes", K_EC2_DESC, RO, 20),
    A(EC2, "DescribeImages", K_EC2_DESC, RO, 20),
    A(IAM, "ListUsers", K_NULL, RO | GLB, 30),
    A(IAM, "ListRoles", K_NULL, RO | GLB, 30),
    A(IAM, "ListPolicies", K_NULL, RO | GLB, 20),
    A(IAM, "GetUser", K_IAM_USER, RO | GLB, 20),
    A(IAM, "ListAccessKeys", K_IAM_USER, RO | GLB, 20),
    A(STS, "GetCallerIdentity", K_GETCALLER, RO, 30),
    A(SSM, "DescribeInstanceInformation", K_SSM_DESC, RO, 20),
    A(SSM, "StartSession", K_SSM_SESSION, 0, 10),
    A(CW, "GetMetricData", K_CW_METRIC, RO, 20),
    A(LOGS, "FilterLogEvents", K_LOGS_FILTER, RO, 20),
    A(S3, "ListBuckets", K_S3_BUCKETS, RO, 20),
};

static const gc_action job_ops_admin[] = {
    A(IAM, "GetRole", K_IAM_ROLE, RO | GLB, 30),
    A(IAM, "ListAttachedRolePolicies", K_IAM_ROLE, RO | GLB, 20),
    A(IAM, "AttachRolePolicy", K_IAM_ATTACH, GLB, 10),
    A(IAM, "DetachRolePolicy", K_IAM_ATTACH, GLB, 5),
    A(IAM, "PutRolePolicy", K_IAM_PUTPOL, GLB, 8),
    A(EC2, "AuthorizeSecurityGroupIngress", K_EC2_SG, 0, 10),
    A(EC2, "StopInstances", K_EC2_STATE, 0, 10),
    A(EC2, "StartInstances", K_EC2_STATE, 0, 10),
    A(EC2, "DescribeInstances", K_EC2_DESC, RO, 40),
    A(CFN, "UpdateStack", K_CFN_STACK, 0, 8),
    A(CFN, "DescribeStacks", K_CFN_STACK, RO, 20),
};

static const gc_action job_legacy[] = {
    A(S3, "PutObject", K_S3_OBJ, DATA, 50),
    A(S3, "ListObjects", K_S3_LIST, RO | DATA, 20),
    A(LMB, "UpdateFunctionCode20150331v2", K_LAMBDA_UPD, 0, 20),
    A(LMB, "GetFunction20150331v2", K_LAMBDA_FN, RO, 10),
    A(CFN, "DescribeStacks", K_CFN_STACK, RO, 10),
};

static const gc_action job_fed[] = {
    A("ce.amazonaws.com", "GetCostAndUsage", K_CE, RO | GLB, 40),
    A("ce.amazonaws.com", "GetCostForecast", K_CE, RO | GLB, 10),
    A(S3, "PutObject", K_S3_OBJ, DATA, 30),
    A(S3, "GetObject", K_S3_OBJ, RO | DATA, 10),
    A(S3, "ListObjects", K_S3_LIST, RO | DATA, 10),
};

static const gc_action job_getcaller[] = {
    A(STS, "GetCallerIdentity", K_GETCALLER, RO, 1),
};

static const gc_action job_root[] = {
    A(IAM, "GetAccountSummary", K_NULL, RO | GLB, 30),
    A(IAM, "ListMFADevices", K_NULL, RO | GLB, 20),
    A(IAM, "GetAccountPasswordPolicy", K_NULL, RO | GLB, 10),
    A("organizations.amazonaws.com", "DescribeOrganization", K_NULL, RO | GLB, 20),
    A("account.amazonaws.com", "GetContactInformation", K_NULL, RO | GLB, 10),
    A(EC2, "DescribeRegions", K_EC2_DESC, RO, 10),
};

static const gc_action job_secaudit[] = {
    A(IAM, "ListRoles", K_NULL, RO | GLB, 40),
    A(IAM, "ListUsers", K_NULL, RO | GLB, 30),
    A(IAM, "GetAccountAuthorizationDetails", K_NULL, RO | GLB, 10),
    A(IAM, "ListPolicies", K_NULL, RO | GLB, 30),
    A(IAM, "GetPolicyVersion", K_IAM_POLVER, RO | GLB, 30),
    A(IAM, "ListAttachedRolePolicies", K_IAM_ROLE, RO | GLB, 40),
    A(EC2, "DescribeInstances", K_EC2_DESC, RO, 40),
    A(EC2, "DescribeSecurityGroups", K_EC2_DESC, RO, 40),
    A(EC2, "DescribeSnapshots", K_EC2_DESC, RO, 20),
    A(EC2, "DescribeFlowLogs", K_EC2_DESC, RO, 20),
    A(S3, "GetBucketPolicy", K_S3_BUCKET, RO, 40),
    A(S3, "GetBucketAcl", K_S3_BUCKET, RO, 40),
    A(S3, "GetBucketPublicAccessBlock", K_S3_BUCKET, RO, 30),
    A(S3, "GetBucketEncryption", K_S3_BUCKET, RO, 20),
    A(KMS, "ListKeys", K_NULL, RO, 20),
    A(KMS, "GetKeyRotationStatus", K_KMS_KEY, RO, 20),
    A("cloudtrail.amazonaws.com", "DescribeTrails", K_CT_DESC, RO, 20),
    A("cloudtrail.amazonaws.com", "GetTrailStatus", K_CT_DESC, RO, 20),
    A("guardduty.amazonaws.com", "ListDetectors", K_NULL, RO, 10),
    A("config.amazonaws.com", "DescribeConfigurationRecorders", K_NULL, RO, 10),
};

static const gc_action job_ct_kms[] = {
    A(KMS, "GenerateDataKey", K_KMS_CT, RO, 1),
};

static const gc_action job_internal[] = {
    A(KMS, "RotateKey", K_SVC_ROTATE, F_SVCEVENT, 3),
    A("backup.amazonaws.com", "BackupJobCompleted", K_SVC_BACKUP, F_SVCEVENT, 2),
};

static const gc_action job_terraform[] = {
    A("organizations.amazonaws.com", "ListAccounts", K_NULL, RO | GLB, 20),
    A(IAM, "GetRole", K_IAM_ROLE, RO | GLB, 30),
    A(IAM, "GetPolicy", K_IAM_POLVER, RO | GLB, 20),
    A(IAM, "ListRolePolicies", K_IAM_ROLE, RO | GLB, 20),
    A(S3, "GetBucketPolicy", K_S3_BUCKET, RO, 20),
    A(S3, "GetObject", K_S3_OBJ, RO | DATA, 20),
    A(S3, "PutObject", K_S3_OBJ, DATA, 10),
    A(DDB, "GetItem", K_DDB_ITEM, RO | DATA, 20),
    A(DDB, "PutItem", K_DDB_ITEM, DATA, 10),
    A(DDB, "DeleteItem", K_DDB_ITEM, DATA, 10),
    A("sso.amazonaws.com", "ListPermissionSets", K_NULL, RO, 10),
    A(STS, "GetCallerIdentity", K_GETCALLER, RO, 20),
};

static const gc_action job_dev[] = {
    A(EC2, "RunInstances", K_EC2_RUN, 0, 5),
    A(EC2, "DescribeInstances", K_EC2_DESC, RO, 40),
    A(EC2, "TerminateInstances", K_EC2_STATE, 0, 5),
    A(S3, "ListBuckets", K_S3_BUCKETS, RO, 20),
    A(S3, "PutObject", K_S3_OBJ, DATA, 20),
    A(S3, "GetObject", K_S3_OBJ, RO | DATA, 20),
    A(LMB, "Invoke", K_LAMBDA_INVOKE, DATA, 10),
    A(LMB, "UpdateFunctionCode20150331v2", K_LAMBDA_UPD, F_RENAMED, 5),
    A(DDB, "Query", K_DDB_QUERY, RO | DATA, 10),
    A(STS, "GetCallerIdentity", K_GETCALLER, RO, 20),
};

#define JOB(x) {x, (int)(sizeof(x) / sizeof(x[0])), 0}
enum { J_APP, J_LAMBDA, J_CI, J_CONFIG, J_ASG, J_CADMIN, J_CRO, J_OPS,
       J_OPSADM, J_LEGACY, J_FED, J_CALLER, J_ROOT, J_SECAUDIT, J_CTKMS,
       J_INTERNAL, J_TF, J_DEV, J__N };
static gc_job jobs[J__N] = {
    JOB(job_app), JOB(job_lambda), JOB(job_ci), JOB(job_config),
    JOB(job_asg), JOB(job_console_admin), JOB(job_console_ro), JOB(job_ops),
    JOB(job_ops_admin), JOB(job_legacy), JOB(job_fed), JOB(job_getcaller),
    JOB(job_root), JOB(job_secaudit), JOB(job_ct_kms), JOB(job_internal),
    JOB(job_terraform), JOB(job_dev),
};

static const gc_action mint_actions[] = {
    A("", "", K_NULL, 0, 0),
    A("signin.amazonaws.com", "ConsoleLogin", K_CONSOLE_LOGIN, 0, 1),
    A(STS, "GetSessionToken", K_STS_SESSION, RO, 1),
    A(STS, "AssumeRole", K_STS_ASSUME, RO, 1),
    A(STS, "AssumeRole", K_STS_ASSUME, RO, 1),
    A(STS, "AssumeRoleWithSAML", K_STS_SAML, RO, 1),
    A(STS, "AssumeRoleWithWebIdentity", K_STS_WEBID, RO, 1),
    A(STS, "GetFederationToken", K_STS_FED, RO, 1),
};

const gc_action *gc_mint_action(int mint)
{
    return &mint_actions[mint];
}

/* ---- principal templates ---------------------------------------------- */

enum { E_PROD = 1, E_STG = 2, E_MGMT = 4, E_SBX = 8, E_ALL = 15 };

typedef struct ptpl {
    unsigned envs;
    int type, mint, ua, job;
    double w, err;
    const char *name;   /* "%s" is replaced by the environment */
    const char *label;  /* fixed session name, if any */
    const char *svc;
    const char *invoked_by;
    const char *path;
    const char *issuer;
    int day_lo, day_hi, vpce;
} ptpl;

static const ptpl tpls[] = {
    {E_PROD | E_STG, PT_ROLE, MINT_ASSUME_SERVICE, UA_BOTO, J_APP, 30, 0.6,
     "%s-payments-app", NULL, "ec2.amazonaws.com", NULL, "", NULL, 0, 999, 1},
    {E_PROD | E_STG | E_SBX, PT_ROLE, MINT_ASSUME_SERVICE, UA_GO, J_LAMBDA, 18,
     0.6, "%s-orders-worker-lambda", NULL, "lambda.amazonaws.com", NULL, "",
     NULL, 0, 999, 0},
    {E_PROD | E_STG, PT_ROLE, MINT_WEBID, UA_GITHUB, J_CI, 8, 1.0,
     "github-actions-deploy", "GitHubActions", NULL, NULL, "", NULL, 0, 999, 0},
    {E_ALL, PT_ROLE, MINT_ASSUME_SERVICE, UA_SERVICE, J_CONFIG, 9, 0.8,
     "AWSServiceRoleForConfig", "AWSConfig-Describe", "config.amazonaws.com",
     "config.amazonaws.com", "aws-service-role/config.amazonaws.com/", NULL,
     0, 999, 0},
    {E_PROD | E_STG, PT_ROLE, MINT_ASSUME_SERVICE, UA_SERVICE, J_ASG, 1.5, 1.0,
     "AWSServiceRoleForAutoScaling", "AutoScaling",
     "autoscaling.amazonaws.com", "autoscaling.amazonaws.com",
     "aws-service-role/autoscaling.amazonaws.com/", NULL, 0, 999, 0},
    {E_ALL, PT_ROLE, MINT_SAML, UA_CONSOLE, J_CADMIN, 2.5, 1.0,
     "AWSReservedSSO_AdministratorAccess_%s", "jane.doe@acme-corp.example",
     NULL, NULL, "aws-reserved/sso.amazonaws.com/", NULL, 0, 999, 0},
    {E_PROD | E_STG | E_MGMT, PT_ROLE, MINT_SAML, UA_CONSOLE, J_CRO, 1.2, 1.5,
     "AWSReservedSSO_ReadOnlyAccess_%s", "sam.lee@acme-corp.example", NULL,
     NULL, "aws-reserved/sso.amazonaws.com/", NULL, 0, 999, 0},
    {E_PROD | E_MGMT, PT_IAMUSER, MINT_CONSOLE, UA_CONSOLE, J_OPS, 2, 1.0,
     "alice.ops", NULL, NULL, NULL, NULL, NULL, 0, 999, 0},
    {E_PROD | E_STG, PT_IAMUSER, MINT_SESSION_TOKEN, UA_CLI, J_OPS, 1.6, 1.0,
     "bob.ops", NULL, NULL, NULL, NULL, NULL, 0, 999, 0},
    {E_PROD | E_STG, PT_ROLE, MINT_ASSUME_USER, UA_CLI, J_OPSADM, 1, 1.5,
     "ops-admin", NULL, NULL, NULL, "", "bob.ops", 0, 999, 0},
    {E_PROD, PT_IAMUSER, MINT_NONE, UA_CLI, J_LEGACY, 3, 1.0, "legacy-deploy",
     NULL, NULL, NULL, NULL, NULL, 91, 999, 0},
    {E_STG, PT_IAMUSER, MINT_NONE, UA_JAVA, J_LEGACY, 2, 1.0, "jenkins-ci",
     NULL, NULL, NULL, NULL, NULL, 55, 999, 0},
    {E_MGMT, PT_IAMUSER, MINT_NONE, UA_BOTO, J_CALLER, 0.2, 0.5,
     "billing-reporter", NULL, NULL, NULL, NULL, NULL, 0, 999, 0},
    {E_MGMT, PT_FEDERATED, MINT_FEDTOKEN, UA_BOTO, J_FED, 0.8, 0.5,
     "cost-report", NULL, NULL, NULL, NULL, "billing-reporter", 0, 999, 0},
    {E_PROD | E_STG | E_SBX, PT_ROOT, MINT_CONSOLE, UA_CONSOLE, J_ROOT, 0.05,
     1.0, "root", NULL, NULL, NULL, NULL, NULL, 0, 999, 0},
    {E_MGMT, PT_ROOT, MINT_CONSOLE, UA_CONSOLE, J_ROOT, 0.4, 1.0, "root", NULL,
     NULL, NULL, NULL, NULL, 0, 999, 0},
    {E_ALL, PT_SERVICE, MINT_NONE, UA_SERVICE, J_CTKMS, 2.5, 0.0,
     "cloudtrail.amazonaws.com", NULL, "cloudtrail.amazonaws.com", NULL, NULL,
     NULL, 0, 999, 0},
    {E_ALL, PT_NOTYPE, MINT_NONE, UA_SERVICE, J_INTERNAL, 0.3, 0.0,
     "AWS Internal", NULL, "AWS Internal", NULL, NULL, NULL, 0, 999, 0},
    {E_MGMT, PT_ROLE, MINT_ASSUME_SERVICE, UA_BOTO, J_SECAUDIT, 14, 3.0,
     "security-audit", NULL, "ecs-tasks.amazonaws.com", NULL, "", NULL, 0,
     999, 0},
    {E_MGMT, PT_IAMUSER, MINT_NONE, UA_TERRAFORM, J_TF, 5, 1.0, "terraform",
     NULL, NULL, NULL, NULL, NULL, 0, 999, 0},
    {E_SBX, PT_IAMUSER, MINT_NONE, UA_CLI, J_DEV, 8, 1.5, "dev.carol", NULL,
     NULL, NULL, NULL, NULL, 0, 999, 0},
    /* long-lived AKIA keys of CLI users and scripts */
    {E_PROD, PT_IAMUSER, MINT_NONE, UA_CLI, J_LEGACY, 6, 0.8, "data-sync",
     NULL, NULL, NULL, NULL, NULL, 0, 999, 0},
    {E_ALL, PT_IAMUSER, MINT_NONE, UA_BOTO, J_CALLER, 0.4, 0.5, "backup-cli",
     NULL, NULL, NULL, NULL, NULL, 0, 999, 0},
    {E_STG | E_SBX, PT_IAMUSER, MINT_NONE, UA_CLI, J_DEV, 2, 1.5, "dev.dan",
     NULL, NULL, NULL, NULL, NULL, 0, 999, 0},
    /* more temporary-credential holders: batch tasks and SSO power users */
    {E_PROD | E_STG, PT_ROLE, MINT_ASSUME_SERVICE, UA_BOTO, J_APP, 8, 0.6,
     "%s-batch-task", NULL, "ecs-tasks.amazonaws.com", NULL, "", NULL, 0, 999, 0},
    {E_PROD | E_STG | E_SBX, PT_ROLE, MINT_SAML, UA_CONSOLE, J_DEV, 2.5, 1.2,
     "AWSReservedSSO_PowerUserAccess_%s", "pat.kim@acme-corp.example", NULL,
     NULL, "aws-reserved/sso.amazonaws.com/", NULL, 0, 999, 0},
};

/* People behind IAM Identity Center sessions (session name = e-mail). */
static const char *const people[] = {
    "jane.doe", "sam.lee", "pat.kim", "ana.silva", "li.wei", "omar.haddad",
    "eva.novak", "raj.patel", "mia.jensen", "tom.berg", "zoe.martin",
    "ken.sato", "ada.okafor", "luca.rossi", "nina.ivanova", "ben.cohen"};

typedef struct acct_tpl {
    const char *env;
    unsigned ebit;
    int delivery;
    double weight;
    const char *regions[4];
    double region_w[4];
} acct_tpl;

/* The first four have fixed regions; the team accounts after them get 2 to
 * 4 regions from the pool (us-east-1 first: global events land there).
 * Weights fall off steeply: a few busy accounts, many quiet ones. Sandbox
 * and dev-alpha also deliver to the organization trail (the ~5% copies). */
static const acct_tpl acct_tpls[] = {
    {"prod", E_PROD, DLV_ORG, 0.20,
     {"us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"},
     {0.55, 0.2, 0.17, 0.08}},
    {"staging", E_STG, DLV_ORG, 0.07,
     {"us-east-1", "us-west-2", "eu-central-1", NULL}, {0.6, 0.25, 0.15, 0}},
    {"mgmt", E_MGMT, DLV_ACCOUNT, 0.05,
     {"us-east-1", "us-east-2", "eu-west-1", "ap-northeast-1"},
     {0.6, 0.15, 0.15, 0.1}},
    {"sandbox", E_SBX, DLV_BOTH, 0.028,
     {"us-east-1", "eu-west-2", "ap-southeast-2", NULL}, {0.6, 0.25, 0.15, 0}},
    {"payments-prod", E_PROD, DLV_ORG, 0.14, {NULL}, {0}},
    {"data-prod", E_PROD, DLV_ORG, 0.10, {NULL}, {0}},
    {"web-prod", E_PROD, DLV_ORG, 0.07, {NULL}, {0}},
    {"search-prod", E_PROD, DLV_ORG, 0.05, {NULL}, {0}},
    {"ml-prod", E_PROD, DLV_ORG, 0.04, {NULL}, {0}},
    {"identity", E_PROD, DLV_ORG, 0.03, {NULL}, {0}},
    {"payments-stg", E_STG, DLV_ORG, 0.025, {NULL}, {0}},
    {"data-dev", E_STG, DLV_ORG, 0.02, {NULL}, {0}},
    {"dev-alpha", E_SBX, DLV_BOTH, 0.022, {NULL}, {0}},
    {"web-stg", E_STG, DLV_ORG, 0.018, {NULL}, {0}},
    {"network", E_MGMT, DLV_ORG, 0.015, {NULL}, {0}},
    {"security", E_MGMT, DLV_ORG, 0.015, {NULL}, {0}},
    {"logging", E_MGMT, DLV_ORG, 0.012, {NULL}, {0}},
    {"ml-dev", E_SBX, DLV_ORG, 0.01, {NULL}, {0}},
    {"search-stg", E_STG, DLV_ORG, 0.008, {NULL}, {0}},
    {"shared-svcs", E_PROD, DLV_ORG, 0.007, {NULL}, {0}},
    {"dev-beta", E_SBX, DLV_ORG, 0.006, {NULL}, {0}},
    {"qa", E_STG, DLV_ORG, 0.005, {NULL}, {0}},
    {"backup", E_MGMT, DLV_ORG, 0.004, {NULL}, {0}},
    {"dev-gamma", E_SBX, DLV_ORG, 0.003, {NULL}, {0}},
};

#define NTPL_ACCT (int)(sizeof acct_tpls / sizeof acct_tpls[0])

static const char *const region_pool[] = {
    "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "us-east-2",
    "ap-northeast-1", "eu-west-2", "ca-central-1", "sa-east-1", "ap-south-1"};

/* ---- building --------------------------------------------------------- */

static void rand_str(char *out, size_t cap, gc_rng *r, const char *prefix,
                     const char *set, int n)
{
    gc_buf b = {0};
    gc_raw(&b, prefix);
    gc_chars(&b, r, set, n);
    gc_putc(&b, '\0');
    snprintf(out, cap, "%s", b.p);
    gc_buf_free(&b);
}

static uint32_t public_ip(gc_rng *r)
{
    for (;;) {
        uint32_t ip = (uint32_t)gc_next(r);
        uint32_t a = ip >> 24, b = (ip >> 16) & 255;
        if (a == 0 || a == 10 || a == 127 || a >= 224 || a == 100)
            continue;
        if ((a == 172 && b >= 16 && b < 32) || (a == 192 && b == 168) ||
            (a == 169 && b == 254) || (a == 198 && (b == 18 || b == 19)))
            continue;
        return ip;
    }
}

static void account_resources(gc_account *a, gc_rng *r)
{
    const char *e = a->env, *id = a->id;
    snprintf(a->buckets[0], 64, "acme-%s-payments-data-%s", e, id);
    snprintf(a->buckets[1], 64, "acme-%s-artifacts-%s", e, id);
    snprintf(a->buckets[2], 64, "acme-%s-exports", e);
    snprintf(a->buckets[3], 64, "acme-%s-cost-reports", e);
    snprintf(a->buckets[4], 64, "acme-%s-terraform-state", e);
    snprintf(a->tables[0], 48, "%s-payments-transactions", e);
    snprintf(a->tables[1], 48, "%s-orders", e);
    snprintf(a->tables[2], 48, "%s-idempotency-keys", e);
    snprintf(a->tables[3], 48, "terraform-locks");
    snprintf(a->funcs[0], 40, "%s-orders-worker", e);
    snprintf(a->funcs[1], 40, "%s-payments-webhook", e);
    snprintf(a->funcs[2], 40, "%s-image-resizer", e);
    snprintf(a->funcs[3], 40, "%s-nightly-report", e);
    snprintf(a->queues[0], 40, "%s-orders-events", e);
    snprintf(a->queues[1], 40, "%s-payments-dlq", e);
    snprintf(a->queues[2], 40, "%s-email-outbox.fifo", e);
    snprintf(a->secrets[0], 56, "%s/payments/db-credentials", e);
    snprintf(a->secrets[1], 56, "%s/payments/stripe-api-key", e);
    snprintf(a->secrets[2], 56, "%s/orders/rds-master", e);
    snprintf(a->params[0], 56, "/%s/payments/feature-flags", e);
    snprintf(a->params[1], 56, "/%s/orders/db-host", e);
    snprintf(a->params[2], 56, "/%s/shared/datadog-api-key", e);
    snprintf(a->repos[0], 32, "payments-api");
    snprintf(a->repos[1], 32, "orders-worker");
    snprintf(a->stacks[0], 40, "payments-api-%s", e);
    snprintf(a->stacks[1], 40, "orders-pipeline-%s", e);
    snprintf(a->stacks[2], 40, "network-baseline-%s", e);
    for (int i = 0; i < 6; i++)
        rand_str(a->instances[i], 24, r, "i-0", "0123456789abcdef", 16);
    gc_buf b = {0};
    gc_uuid_raw(&b, r);
    gc_putc(&b, '\0');
    snprintf(a->kms_key, sizeof a->kms_key, "%s", b.p);
    gc_buf_free(&b);
    rand_str(a->vpce, 24, r, "vpce-0", "0123456789abcdef", 16);
    rand_str(a->sso_idp, 32, r, "", GC_B64, 27);
    snprintf(a->sso_idp + 27, 5, "=");
    char hex[20];
    rand_str(hex, sizeof hex, r, "", "0123456789ABCDEF", 16);
    snprintf(a->saml_provider, 64, "AWSSSO_%s_DO_NOT_DELETE", hex);
    snprintf(a->oidc_provider, 96,
             "arn:aws:iam::%s:oidc-provider/token.actions.githubusercontent.com",
             id);
}

static int find_principal(const gc_world *w, int acct, const char *name)
{
    const gc_account *a = &w->acct[acct];
    for (int i = a->p0; i < a->p0 + a->np; i++)
        if (strcmp(w->p[i].name, name) == 0)
            return i;
    return -1;
}

/* Copies tpl to out with its one "%s" replaced by val. */
static void subst(char *out, size_t cap, const char *tpl, const char *val)
{
    const char *at = strstr(tpl, "%s");
    if (!at) {
        snprintf(out, cap, "%s", tpl);
        return;
    }
    snprintf(out, cap, "%.*s%s%s", (int)(at - tpl), tpl, val, at + 2);
}

static void principal_names(gc_principal *p, const gc_account *a,
                            const ptpl *t, const char *sso_hex)
{
    char id[16], nm[96]; /* local copies: p and a live in the same world */
    snprintf(id, sizeof id, "%s", a->id);
    subst(nm, sizeof nm, t->name, strstr(t->name, "AWSReservedSSO_") ? sso_hex : a->env);
    snprintf(p->name, sizeof p->name, "%s", nm);
    snprintf(p->sess_label, sizeof p->sess_label, "%s", t->label ? t->label : "");
    switch (p->type) {
    case PT_IAMUSER:
        snprintf(p->arn, sizeof p->arn, "arn:aws:iam::%s:user/%s", id, nm);
        break;
    case PT_ROLE:
        snprintf(p->arn, sizeof p->arn, "arn:aws:iam::%s:role/%s%s", id,
                 t->path ? t->path : "", nm);
        break;
    case PT_ROOT:
        snprintf(p->arn, sizeof p->arn, "arn:aws:iam::%s:root", id);
        snprintf(p->pid, sizeof p->pid, "%s", id);
        break;
    case PT_FEDERATED:
        snprintf(p->arn, sizeof p->arn, "arn:aws:sts::%s:federated-user/%s", id, nm);
        break;
    default:
        p->arn[0] = '\0';
    }
}


/* How a principal's credentials churn, from what it is: instance-profile
 * roles (one slot per instance, session name = instance id), Lambda
 * execution roles (one per container, name = function), ECS task roles,
 * CI runners, SSO permission sets (one per person, name = e-mail), and
 * one plain slot for everything else. */
static int churn_kind(const gc_principal *p)
{
    if (p->mint == MINT_NONE)
        return CH_PLAIN;
    if (p->svc && strcmp(p->svc, "ec2.amazonaws.com") == 0)
        return CH_INSTANCE;
    if (p->svc && strcmp(p->svc, "lambda.amazonaws.com") == 0)
        return CH_CONTAINER;
    if (p->svc && strcmp(p->svc, "ecs-tasks.amazonaws.com") == 0)
        return CH_TASK;
    if (p->mint == MINT_WEBID)
        return CH_RUNNER;
    if (p->mint == MINT_SAML)
        return CH_PERSON;
    return CH_PLAIN;
}

static void add_slots(gc_world *w, gc_principal *p, gc_rng *r)
{
    static const int nslots[] = {1, 8, 12, 4, 3, 3}; /* by gc_churn_kind */
    const gc_account *a = &w->acct[p->acct];
    p->churn = churn_kind(p);
    p->nslot = nslots[p->churn];
    if (w->nslot + p->nslot > GC_MAX_SLOTS)
        p->nslot = 1;
    p->slot0 = w->nslot;
    w->nslot += p->nslot;
    int human = p->mint == MINT_CONSOLE || p->mint == MINT_SESSION_TOKEN ||
                p->mint == MINT_SAML || p->mint == MINT_FEDTOKEN || p->mint == MINT_ASSUME_USER;
    p->life_mult = human ? 3.0 : p->invoked_by ? 2.0 : 1.0;
    for (int k = 0; k < p->nslot; k++) {
        gc_slot *sl = &w->slot[p->slot0 + k];
        memset(sl, 0, sizeof *sl);
        switch (p->churn) {
        case CH_INSTANCE:
            rand_str(sl->label, sizeof sl->label, r, "i-0", "0123456789abcdef", 16);
            sl->ip = public_ip(r);
            break;
        case CH_CONTAINER:
            memcpy(sl->label, a->funcs[k % 4], sizeof a->funcs[0]);
            break;
        case CH_PERSON: {
            int who = (int)((unsigned)(p - w->p) * 5u + (unsigned)k * 7u) % 16;
            snprintf(sl->label, sizeof sl->label, "%s@acme-corp.example", people[who]);
            sl->ip = public_ip(r);
            break;
        }
        default:
            memcpy(sl->label, p->sess_label, sizeof sl->label);
        }
    }
}

static void add_principal(gc_world *w, int ai, const ptpl *t, gc_rng *r,
                          const char *sso_hex)
{
    gc_account *a = &w->acct[ai];
    if (w->np == GC_MAX_PRINCIPALS)
        return;
    gc_principal *p = &w->p[w->np++];
    memset(p, 0, sizeof *p);
    p->type = t->type;
    p->mint = t->mint;
    p->ua = t->ua;
    p->acct = ai;
    p->job = &jobs[t->job];
    p->weight = t->w;
    p->err_mult = t->err;
    p->svc = t->svc;
    p->invoked_by = t->invoked_by;
    p->path = t->path;
    p->day_lo = t->day_lo;
    p->day_hi = t->day_hi;
    p->vpce = t->vpce;
    p->issuer = t->issuer ? find_principal(w, ai, t->issuer) : -1;
    principal_names(p, a, t, sso_hex);
    if (p->type == PT_IAMUSER)
        rand_str(p->pid, sizeof p->pid, r, "AIDA", GC_UPPER_NUM, 17);
    else if (p->type == PT_ROLE)
        rand_str(p->pid, sizeof p->pid, r, "AROA", GC_UPPER_NUM, 17);
    rand_str(p->akia, sizeof p->akia, r, "AKIA", GC_B32, 16);
    for (int i = 0; i < 3; i++)
        p->ip[i] = public_ip(r);
    add_slots(w, p, r);
    a->np++;
    a->p_total += p->weight;
}

/* us-east-1 and 1 to 3 distinct others, weights falling off. */
static void pool_regions(gc_account *a, gc_rng *r)
{
    static const double wt[4] = {0.6, 0.22, 0.12, 0.06};
    int n = 2 + (int)gc_below(r, 3);
    const int npool = (int)(sizeof region_pool / sizeof region_pool[0]);
    a->regions[0] = "us-east-1";
    a->region_w[0] = wt[0];
    a->nregions = 1;
    while (a->nregions < n) {
        const char *cand = region_pool[gc_below(r, (uint32_t)npool)];
        int dup = 0;
        for (int i = 0; i < a->nregions; i++)
            dup |= a->regions[i] == cand;
        if (dup)
            continue;
        a->region_w[a->nregions] = wt[a->nregions];
        a->regions[a->nregions++] = cand;
    }
}

static void add_account(gc_world *w, int ai, gc_rng *r)
{
    const acct_tpl *t = &acct_tpls[ai];
    gc_account *a = &w->acct[ai];
    memset(a, 0, sizeof *a);
    rand_str(a->id, sizeof a->id, r, "", "0123456789", 12);
    if (a->id[0] == '0')
        a->id[0] = '4';
    a->env = t->env;
    a->delivery = t->delivery;
    a->weight = t->weight;
    for (int i = 0; i < 4 && t->regions[i]; i++) {
        a->regions[i] = t->regions[i];
        a->region_w[i] = t->region_w[i];
        a->nregions++;
    }
    if (!a->nregions)
        pool_regions(a, r);
    account_resources(a, r);
    a->p0 = w->np;
    char sso_hex[20];
    rand_str(sso_hex, sizeof sso_hex, r, "", "0123456789abcdef", 16);
    for (size_t i = 0; i < sizeof tpls / sizeof tpls[0]; i++)
        if (tpls[i].envs & t->ebit)
            add_principal(w, ai, &tpls[i], r, sso_hex);
}

void gc_world_build(gc_world *w, gc_rng *r, int nacct)
{
    memset(w, 0, sizeof *w);
    for (int j = 0; j < J__N; j++) {
        jobs[j].total = 0;
        for (int i = 0; i < jobs[j].n; i++)
            jobs[j].total += jobs[j].a[i].w;
    }
    rand_str(w->org_id, sizeof w->org_id, r, "o-", GC_LOWER_NUM, 10);
    w->nacct = nacct < 4 ? 4 : nacct > NTPL_ACCT ? NTPL_ACCT : nacct;
    for (int i = 0; i < w->nacct; i++)
        add_account(w, i, r);
    snprintf(w->mgmt_id, sizeof w->mgmt_id, "%s", w->acct[2].id);
    snprintf(w->org_bucket, sizeof w->org_bucket, "acme-org-cloudtrail-%s",
             w->mgmt_id);
}

/* ---- picking who calls what ------------------------------------------- */

int gc_days_before_end(int64_t t)
{
    /* ages are kept on the 100-day scale whatever --days says, so that a
     * short period still has its share of old versions and clients */
    int64_t d = (gc_period_end - t) / 86400;
    return (int)(d * GC_SPAN_DAYS / (gc_period_days > 0 ? gc_period_days : 1));
}

static int pick_principal(gc_world *w, gc_rng *r, int ai, int days)
{
    const gc_account *a = &w->acct[ai];
    for (int tries = 0; tries < 32; tries++) {
        double x = gc_unit(r) * a->p_total;
        int i = a->p0;
        for (; i < a->p0 + a->np - 1; i++) {
            x -= w->p[i].weight;
            if (x < 0)
                break;
        }
        if (days >= w->p[i].day_lo && days < w->p[i].day_hi)
            return i;
    }
    return a->p0;
}

static const gc_action *pick_action(const gc_job *j, gc_rng *r)
{
    uint32_t x = gc_below(r, j->total);
    for (int i = 0; i < j->n; i++) {
        if (x < j->a[i].w)
            return &j->a[i];
        x -= j->a[i].w;
    }
    return &j->a[j->n - 1];
}

void gc_world_pick(gc_world *w, gc_rng *r, int ai, const char *region,
                   int64_t t, int *pi, const gc_action **act)
{
    int days = gc_days_before_end(t);
    int home = strcmp(region, "us-east-1") == 0;
    *pi = pick_principal(w, r, ai, days);
    const gc_job *j = w->p[*pi].job;
    for (int tries = 0; tries < 12; tries++) {
        *act = pick_action(j, r);
        if (home || !((*act)->flags & F_GLOBAL))
            return;
    }
    *act = &job_getcaller[0];
}
