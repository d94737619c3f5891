/*
 * gc_calls_ctl.c - request/response shapes of control-plane calls: EC2,
 * IAM, ECR, CloudFormation, CloudWatch and Logs, Cost Explorer, CloudTrail
 * itself, and the AwsServiceEvent records AWS writes on its own.
 */
#include "gc_params.h"

static void hex_id(gc_buf *b, gc_rng *r, const char *prefix)
{
    gc_raw(b, prefix);
    gc_hex(b, r, 17);
}

/* ---- EC2 -------------------------------------------------------------- */

typedef struct ec2_desc {
    const char *name, *params;
} ec2_desc;

static const ec2_desc ec2_descs[] = {
    {"DescribeInstances", "{\"instancesSet\":{},\"filterSet\":{\"items\":[{\"name\":"
                          "\"instance-state-name\",\"valueSet\":{\"items\":[{\"value\":"
                          "\"running\"}]}}]}}"},
    {"DescribeSecurityGroups", "{\"securityGroupSet\":{},\"securityGroupIdSet\":{},\"filterSet\":{}}"},
    {"DescribeVpcs", "{\"vpcSet\":{},\"filterSet\":{}}"},
    {"DescribeSubnets", "{\"subnetSet\":{},\"filterSet\":{}}"},
    {"DescribeVolumes", "{\"volumeSet\":{},\"filterSet\":{},\"maxResults\":500}"},
    {"DescribeNetworkInterfaces", "{\"networkInterfaceIdSet\":{},\"filterSet\":{}}"},
    {"DescribeRegions", "{\"regionSet\":{},\"allRegions\":false}"},
    {"DescribeImages", "{\"executableBySet\":{},\"imagesSet\":{},\"ownersSet\":{\"items\":"
                       "[{\"owner\":\"self\"}]},\"filterSet\":{}}"},
    {"DescribeSnapshots", "{\"snapshotSet\":{},\"ownersSet\":{\"items\":[{\"owner\":\"self\"}]},"
                          "\"sharedUsersSet\":{},\"filterSet\":{}}"},
    {"DescribeFlowLogs", "{\"DescribeFlowLogsRequest\":{}}"},
};

static void ec2_describe(gc_cx *c)
{
    gc_buf *q = &c->pp->req;
    if (strcmp(c->name, "DescribeInstanceStatus") == 0) {
        GC_LIT(q, "{\"instancesSet\":{\"items\":[{\"instanceId\":");
        gc_jstr(q, c->a->instances[gc_below(c->r, 6)]);
        GC_LIT(q, "}]},\"filterSet\":{},\"includeAllInstances\":false}");
        return;
    }
    for (size_t i = 0; i < sizeof ec2_descs / sizeof ec2_descs[0]; i++)
        if (strcmp(c->name, ec2_descs[i].name) == 0) {
            gc_raw(q, ec2_descs[i].params);
            return;
        }
    GC_LIT(q, "{\"filterSet\":{}}");
}

static void ec2_run_instance_item(gc_cx *c, gc_buf *o, const char *inst)
{
    GC_LIT(o, "{\"instanceId\":");
    gc_jstr(o, inst);
    GC_LIT(o, ",\"imageId\":\"ami-0");
    gc_hex(o, c->r, 16);
    GC_LIT(o, "\",\"currentInstanceBootMode\":\"uefi\",\"instanceState\":{\"code\":0,"
              "\"name\":\"pending\"},\"privateDnsName\":\"ip-10-0-");
    uint32_t x = gc_below(c->r, 250), y = gc_below(c->r, 250);
    gc_u64(o, x);
    gc_putc(o, '-');
    gc_u64(o, y);
    GC_LIT(o, ".ec2.internal\",\"amiLaunchIndex\":0,\"productCodes\":{},\"instanceType\":"
              "\"m6i.large\",\"launchTime\":");
    gc_u64(o, (uint64_t)c->e->t * 1000);
    GC_LIT(o, ",\"placement\":{\"availabilityZone\":\"");
    gc_raw(o, c->region);
    GC_LIT(o, "a\",\"tenancy\":\"default\"},\"monitoring\":{\"state\":\"disabled\"},"
              "\"subnetId\":\"subnet-0");
    gc_hex(o, c->r, 16);
    GC_LIT(o, "\",\"vpcId\":\"vpc-0");
    gc_hex(o, c->r, 16);
    GC_LIT(o, "\",\"privateIpAddress\":\"10.0.");
    gc_u64(o, x);
    gc_putc(o, '.');
    gc_u64(o, y);
    GC_LIT(o, "\",\"stateReason\":{\"code\":\"pending\",\"message\":\"pending\"},"
              "\"architecture\":\"x86_64\",\"rootDeviceType\":\"ebs\",\"rootDeviceName\":"
              "\"/dev/xvda\",\"blockDeviceMapping\":{},\"virtualizationType\":\"hvm\","
              "\"hypervisor\":\"xen\",\"tagSet\":{\"items\":[{\"key\":"
              "\"aws:autoscaling:groupName\",\"value\":\"payments-asg\"}]},"
              "\"groupSet\":{\"items\":[{\"groupId\":\"sg-0");
    gc_hex(o, c->r, 16);
    GC_LIT(o, "\",\"groupName\":\"payments-app\"}]},\"sourceDestCheck\":true,"
              "\"ebsOptimized\":true,\"enaSupport\":true,\"cpuOptions\":{\"coreCount\":1,"
              "\"threadsPerCore\":2},\"capacityReservationSpecification\":"
              "{\"capacityReservationPreference\":\"open\"},\"enclaveOptions\":"
              "{\"enabled\":false},\"metadataOptions\":{\"state\":\"pending\","
              "\"httpTokens\":\"required\",\"httpPutResponseHopLimit\":2,"
              "\"httpEndpoint\":\"enabled\",\"httpProtocolIpv4\":\"enabled\","
              "\"httpProtocolIpv6\":\"disabled\",\"instanceMetadataTags\":\"disabled\"},"
              "\"maintenanceOptions\":{\"autoRecovery\":\"default\"}}");
}

static void ec2_run(gc_cx *c)
{
    gc_buf *q = &c->pp->req, *o = &c->pp->resp;
    GC_LIT(q, "{\"instancesSet\":{\"items\":[{\"minCount\":1,\"maxCount\":1}]},"
              "\"blockDeviceMapping\":{},\"monitoring\":{\"enabled\":false},"
              "\"disableApiTermination\":false,\"disableApiStop\":false,\"clientToken\":");
    gc_uuid(q, c->r);
    GC_LIT(q, ",\"launchTemplate\":{\"launchTemplateId\":\"lt-0");
    gc_hex(q, c->r, 16);
    GC_LIT(q, "\",\"version\":\"$Latest\"}}");
    GC_LIT(o, "{\"requestId\":");
    gc_uuid(o, c->r);
    GC_LIT(o, ",\"reservationId\":\"r-0");
    gc_hex(o, c->r, 16);
    GC_LIT(o, "\",\"ownerId\":");
    gc_jstr(o, c->a->id);
    GC_LIT(o, ",\"groupSet\":{},\"instancesSet\":{\"items\":[");
    ec2_run_instance_item(c, o, c->a->instances[gc_below(c->r, 6)]);
    GC_LIT(o, "]}}");
}

static void ec2_state(gc_cx *c)
{
    gc_buf *q = &c->pp->req, *o = &c->pp->resp;
    const char *inst = c->a->instances[gc_below(c->r, 6)];
    const char *cur = "{\"code\":64,\"name\":\"stopping\"}";
    const char *prev = "{\"code\":16,\"name\":\"running\"}";
    if (c->name[1] == 't' && c->name[2] == 'a') { /* StartInstances */
        cur = "{\"code\":0,\"name\":\"pending\"}";
        prev = "{\"code\":80,\"name\":\"stopped\"}";
    } else if (c->name[0] == 'T') {
        cur = "{\"code\":32,\"name\":\"shutting-down\"}";
    }
    GC_LIT(q, "{\"instancesSet\":{\"items\":[{\"instanceId\":");
    gc_jstr(q, inst);
    GC_LIT(q, "}]}");
    if (c->name[1] == 't' && c->name[2] == 'o')
        GC_LIT(q, ",\"force\":false");
    gc_putc(q, '}');
    GC_LIT(o, "{\"requestId\":");
    gc_uuid(o, c->r);
    GC_LIT(o, ",\"instancesSet\":{\"items\":[{\"instanceId\":");
    gc_jstr(o, inst);
    GC_LIT(o, ",\"currentState\":");
    gc_raw(o, cur);
    GC_LIT(o, ",\"previousState\":");
    gc_raw(o, prev);
    GC_LIT(o, "}]}}");
    cx_res(c, "AWS::EC2::Instance", 1, cx_arn_s(c, "ec2", "instance/", inst), NULL, NULL);
}

static void ec2_sg(gc_cx *c)
{
    gc_buf *q = &c->pp->req, *o = &c->pp->resp, sg = {0};
    hex_id(&sg, c->r, "sg-0");
    gc_putc(&sg, '\0');
    GC_LIT(q, "{\"groupId\":");
    gc_jstr(q, sg.p);
    GC_LIT(q, ",\"ipPermissions\":{\"items\":[{\"ipProtocol\":\"tcp\",\"fromPort\":443,"
              "\"toPort\":443,\"groups\":{},\"ipRanges\":{\"items\":[{\"cidrIp\":"
              "\"10.20.0.0/16\",\"description\":\"corp vpn\"}]},\"ipv6Ranges\":{},"
              "\"prefixListIds\":{}}]}}");
    GC_LIT(o, "{\"requestId\":");
    gc_uuid(o, c->r);
    GC_LIT(o, ",\"_return\":true,\"securityGroupRuleSet\":{\"items\":[{\"groupOwnerId\":");
    gc_jstr(o, c->a->id);
    GC_LIT(o, ",\"groupId\":");
    gc_jstr(o, sg.p);
    GC_LIT(o, ",\"securityGroupRuleId\":\"sgr-0");
    gc_hex(o, c->r, 16);
    GC_LIT(o, "\",\"isEgress\":false,\"ipProtocol\":\"tcp\",\"fromPort\":443,\"toPort\":443,"
              "\"cidrIpv4\":\"10.20.0.0/16\",\"description\":\"corp vpn\"}]}}");
    gc_buf_free(&sg);
}

void gc_call_ec2(gc_cx *c)
{
    gc_buf *q = &c->pp->req;
    switch (c->e->a->kind) {
    case K_EC2_DESC: ec2_describe(c); break;
    case K_EC2_RUN: ec2_run(c); break;
    case K_EC2_STATE: ec2_state(c); break;
    case K_EC2_SG: ec2_sg(c); break;
    default: /* CreateTags */
        GC_LIT(q, "{\"resourcesSet\":{\"items\":[{\"resourceId\":");
        gc_jstr(q, c->a->instances[gc_below(c->r, 6)]);
        GC_LIT(q, "}]},\"tagSet\":{\"items\":[{\"key\":\"Name\",\"value\":\"payments-app\"},"
                  "{\"key\":\"aws:autoscaling:groupName\",\"value\":\"payments-asg\"}]}}");
        GC_LIT(&c->pp->resp, "{\"requestId\":");
        gc_uuid(&c->pp->resp, c->r);
        GC_LIT(&c->pp->resp, ",\"_return\":true}");
    }
}

/* ---- IAM -------------------------------------------------------------- */

static const char *some_role(gc_cx *c)
{
    static const char *roles[] = {"payments-app", "orders-worker-lambda", "ops-admin",
                                  "github-actions-deploy", "security-audit"};
    return roles[gc_below(c->r, 5)];
}

static const char *policy_doc =
    "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n"
    "      \"Effect\": \"Allow\",\n      \"Action\": [\"s3:GetObject\", \"s3:PutObject\"],\n"
    "      \"Resource\": \"arn:aws:s3:::acme-*-exports/*\"\n    }\n  ]\n}";

void gc_call_iam(gc_cx *c)
{
    gc_buf *q = &c->pp->req;
    static const char *managed[] = {"ReadOnlyAccess", "AmazonS3ReadOnlyAccess",
                                    "AmazonEC2FullAccess", "CloudWatchLogsFullAccess"};
    switch (c->e->a->kind) {
    case K_IAM_USER:
        GC_LIT(q, "{\"userName\":");
        gc_jstr(q, gc_below(c->r, 2) ? "bob.ops" : "alice.ops");
        gc_putc(q, '}');
        break;
    case K_IAM_ROLE:
        GC_LIT(q, "{\"roleName\":");
        gc_jstr(q, some_role(c));
        gc_putc(q, '}');
        break;
    case K_IAM_ATTACH:
        GC_LIT(q, "{\"roleName\":");
        gc_jstr(q, some_role(c));
        GC_LIT(q, ",\"policyArn\":\"arn:aws:iam::aws:policy/");
        gc_raw(q, PICK(c, managed));
        GC_LIT(q, "\"}");
        break;
    case K_IAM_PUTPOL:
        GC_LIT(q, "{\"roleName\":");
        gc_jstr(q, some_role(c));
        GC_LIT(q, ",\"policyName\":\"inline-exports-access\",\"policyDocument\":");
        gc_jstr(q, policy_doc);
        gc_putc(q, '}');
        break;
    default: /* GetPolicy, GetPolicyVersion */
        GC_LIT(q, "{\"policyArn\":\"arn:aws:iam::aws:policy/");
        gc_raw(q, PICK(c, managed));
        gc_raw(q, c->name[9] == 'V' ? "\",\"versionId\":\"v3\"}" : "\"}");
    }
}

/* ---- ECR and CloudFormation ------------------------------------------- */

static const char *manifest =
    "{\n   \"schemaVersion\": 2,\n   \"mediaType\": "
    "\"application/vnd.docker.distribution.manifest.v2+json\",\n   \"config\": {\n"
    "      \"mediaType\": \"application/vnd.docker.container.image.v1+json\",\n"
    "      \"size\": 7023,\n      \"digest\": \"sha256:"
    "b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7\"\n   },\n"
    "   \"layers\": [\n      {\n         \"mediaType\": "
    "\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\n         \"size\": 32654,\n"
    "         \"digest\": \"sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f\"\n"
    "      }\n   ]\n}";

void gc_call_ecr(gc_cx *c)
{
    gc_buf *q = &c->pp->req, *o = &c->pp->resp;
    const char *repo = c->a->repos[gc_below(c->r, 2)];
    if (c->e->a->kind == K_ECR_AUTH)
        return;
    GC_LIT(q, "{\"repositoryName\":");
    gc_jstr(q, repo);
    GC_LIT(q, ",\"registryId\":");
    gc_jstr(q, c->a->id);
    if (c->e->a->kind == K_ECR_PUT) {
        GC_LIT(q, ",\"imageTag\":\"");
        gc_hex(q, c->r, 7);
        GC_LIT(q, "\",\"imageManifest\":");
        gc_jstr(q, manifest);
        GC_LIT(o, "{\"image\":{\"registryId\":");
        gc_jstr(o, c->a->id);
        GC_LIT(o, ",\"repositoryName\":");
        gc_jstr(o, repo);
        GC_LIT(o, ",\"imageId\":{\"imageDigest\":\"sha256:");
        gc_hex(o, c->r, 64);
        GC_LIT(o, "\"},\"imageManifestMediaType\":"
                  "\"application/vnd.docker.distribution.manifest.v2+json\"}}");
    } else if (c->name[0] == 'B') {
        GC_LIT(q, ",\"layerDigests\":[\"sha256:");
        gc_hex(q, c->r, 64);
        GC_LIT(q, "\"]");
    } else {
        GC_LIT(o, "{\"uploadId\":");
        gc_uuid(o, c->r);
        GC_LIT(o, ",\"partSize\":20971520}");
    }
    gc_putc(q, '}');
    cx_res(c, "AWS::ECR::Repository", 1, cx_arn_s(c, "ecr", "repository/", repo), NULL, NULL);
}

static void stack_id(gc_cx *c, gc_buf *b, const char *stack)
{
    gc_putc(b, '"');
    cx_arn(c, b, "cloudformation", "stack/", stack);
    gc_putc(b, '/');
    gc_uuid_raw(b, c->r);
    gc_putc(b, '"');
}

void gc_call_cfn(gc_cx *c)
{
    gc_buf *q = &c->pp->req, *o = &c->pp->resp;
    const char *stack = c->a->stacks[gc_below(c->r, 3)];
    int write = c->name[0] == 'U' || c->name[0] == 'C';
    GC_LIT(q, "{\"stackName\":");
    gc_jstr(q, stack);
    if (write) {
        GC_LIT(q, ",\"templateURL\":\"https://s3.amazonaws.com/");
        gc_raw(q, c->a->buckets[1]);
        GC_LIT(q, "/cfn/");
        gc_raw(q, stack);
        GC_LIT(q, ".yaml\",\"capabilities\":[\"CAPABILITY_NAMED_IAM\"],\"parameters\":"
                  "[{\"parameterKey\":\"ImageTag\",\"parameterValue\":\"");
        gc_hex(q, c->r, 7);
        GC_LIT(q, "\"}]");
    }
    if (c->name[0] == 'C') {
        GC_LIT(q, ",\"changeSetName\":\"gha-");
        gc_hex(q, c->r, 7);
        GC_LIT(q, "\",\"changeSetType\":\"UPDATE\"");
    } else if (c->name[0] == 'E') {
        GC_LIT(q, ",\"changeSetName\":\"gha-");
        gc_hex(q, c->r, 7);
        gc_putc(q, '"');
    }
    gc_putc(q, '}');
    if (write) {
        GC_LIT(o, "{\"stackId\":");
        stack_id(c, o, stack);
        gc_putc(o, '}');
    }
}

/* ---- observability, billing, CloudTrail ------------------------------- */

static void cw_metric(gc_cx *c, gc_buf *q)
{
    GC_LIT(q, "{\"metricDataQueries\":[{\"id\":\"m1\",\"metricStat\":{\"metric\":"
              "{\"namespace\":\"AWS/EC2\",\"metricName\":\"CPUUtilization\",\"dimensions\":"
              "[{\"name\":\"InstanceId\",\"value\":");
    gc_jstr(q, c->a->instances[gc_below(c->r, 6)]);
    GC_LIT(q, "}]},\"period\":300,\"stat\":\"Average\"},\"returnData\":true}],\"startTime\":");
    gc_expiration(q, c->e->t - 10800 - c->e->t % 300);
    GC_LIT(q, ",\"endTime\":");
    gc_expiration(q, c->e->t - c->e->t % 300);
    gc_putc(q, '}');
}

void gc_call_obs(gc_cx *c)
{
    gc_buf *q = &c->pp->req;
    switch (c->e->a->kind) {
    case K_CW_METRIC: cw_metric(c, q); break;
    case K_CW_ALARMS:
        GC_LIT(q, "{\"maxRecords\":100,\"alarmTypes\":[\"CompositeAlarm\",\"MetricAlarm\"]}");
        break;
    case K_LOGS:
        GC_LIT(q, "{\"limit\":50,\"logGroupNamePrefix\":\"/aws/lambda/\"}");
        break;
    case K_LOGS_FILTER:
        GC_LIT(q, "{\"logGroupName\":\"/aws/lambda/");
        gc_raw(q, c->a->funcs[gc_below(c->r, 4)]);
        GC_LIT(q, "\",\"startTime\":");
        gc_u64(q, (uint64_t)(c->e->t - 3600) * 1000);
        GC_LIT(q, ",\"endTime\":");
        gc_u64(q, (uint64_t)c->e->t * 1000);
        GC_LIT(q, ",\"filterPattern\":\"?ERROR ?Exception\",\"interleaved\":true}");
        break;
    case K_CE:
        cx_host(c, "ce.us-east-1.amazonaws.com", NULL, NULL);
        GC_LIT(q, "{\"timePeriod\":{\"start\":\"2026-11-01\",\"end\":\"2026-11-19\"},"
                  "\"granularity\":\"DAILY\",\"metrics\":[\"UnblendedCost\"],\"groupBy\":"
                  "[{\"type\":\"DIMENSION\",\"key\":\"SERVICE\"}]}");
        break;
    default: /* CloudTrail DescribeTrails / GetTrailStatus */
        if (c->name[0] == 'D') {
            GC_LIT(q, "{\"trailNameList\":[],\"includeShadowTrails\":true}");
        } else {
            GC_LIT(q, "{\"name\":\"arn:aws:cloudtrail:us-east-1:");
            gc_raw(q, c->w->mgmt_id);
            GC_LIT(q, ":trail/org-trail\"}");
        }
    }
}

/* ---- AwsServiceEvent -------------------------------------------------- */

void gc_call_svc_event(gc_cx *c)
{
    gc_buf *s = &c->pp->svc;
    c->pp->no_request_id = 1;
    c->pp->host[0] = '\0';
    if (c->e->a->kind == K_SVC_ROTATE) {
        const char *arn = cx_arn_s(c, "kms", "key/", c->a->kms_key);
        GC_LIT(s, "{\"keyId\":");
        gc_jstr(s, c->a->kms_key);
        gc_putc(s, '}');
        cx_res(c, "AWS::KMS::Key", 1, arn, NULL, NULL);
        return;
    }
    GC_LIT(s, "{\"backupJobId\":\"");
    gc_uuid_raw(s, c->r);
    GC_LIT(s, "\",\"backupVaultName\":\"Default\",\"resourceArn\":\"");
    gc_raw(s, cx_arn_s(c, "dynamodb", "table/", c->a->tables[0]));
    GC_LIT(s, "\",\"resourceType\":\"DynamoDB\",\"state\":\"COMPLETED\",\"creationDate\":");
    gc_time(s, c->e->t - 900);
    GC_LIT(s, ",\"completionDate\":");
    gc_time(s, c->e->t);
    GC_LIT(s, ",\"backupSizeInBytes\":");
    gc_u64(s, 1000000 + gc_below(c->r, 900000000));
    GC_LIT(s, ",\"iamRoleArn\":\"arn:aws:iam::");
    gc_raw(s, c->a->id);
    GC_LIT(s, ":role/service-role/AWSBackupDefaultServiceRole\"}");
    cx_res(c, "AWS::Backup::BackupVault", 1,
           cx_arn_s(c, "backup", "backup-vault:", "Default"), NULL, NULL);
}
