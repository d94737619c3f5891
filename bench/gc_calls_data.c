/*
 * gc_calls_data.c - request/response shapes of the high-volume application
 * calls: S3 objects and buckets, DynamoDB, SQS, SNS, KMS, Secrets Manager,
 * SSM and Lambda. Shapes follow what CloudTrail records for each API
 * (secrets show as HIDDEN_DUE_TO_SECURITY_REASONS).
 */
#include "gc_params.h"

#include <stdio.h>

/* ---- S3 --------------------------------------------------------------- */

static int bucket_of(gc_cx *c)
{
    const char *n = c->p->name;
    uint32_t k = gc_below(c->r, 4);
    if (strstr(n, "payments"))
        return k ? 0 : 2;
    if (strstr(n, "orders"))
        return k ? 2 : 0;
    if (strstr(n, "deploy") || strstr(n, "jenkins"))
        return 1;
    if (strstr(n, "cost"))
        return 3;
    if (strstr(n, "terraform"))
        return 4;
    return (int)gc_below(c->r, 5);
}

static void two_digits(gc_buf *b, int v)
{
    gc_putc(b, (char)('0' + v / 10));
    gc_putc(b, (char)('0' + v % 10));
}

static void date_path(gc_buf *b, int64_t t, char sep)
{
    gc_tm tm;
    gc_civil(t, &tm);
    gc_u64(b, (uint64_t)tm.year);
    gc_putc(b, sep);
    two_digits(b, tm.mon);
    gc_putc(b, sep);
    two_digits(b, tm.day);
}

/* Writes an object key into pp->tmp, NUL-terminated. */
static void s3_key(gc_cx *c, int bk)
{
    gc_buf *k = &c->pp->tmp;
    k->n = 0;
    uint32_t odd = gc_below(c->r, 400);
    if (odd == 0) {
        gc_raw(k, "uploads/Zoë Müller/Rechnung März 2026 (final).pdf");
    } else if (odd == 1) {
        gc_raw(k, "tmp/O'Brien \"draft\" v2\\notes.txt");
    } else if (bk == 0) {
        GC_LIT(k, "transactions/");
        date_path(k, c->e->t, '/');
        GC_LIT(k, "/txn-");
        gc_uuid_raw(k, c->r);
        GC_LIT(k, ".json");
    } else if (bk == 1) {
        gc_raw(k, gc_below(c->r, 2) ? "payments-api/" : "lambda/orders-worker/");
        gc_hex(k, c->r, 40);
        GC_LIT(k, "/bundle.zip");
    } else if (bk == 2) {
        GC_LIT(k, "orders/dt=");
        date_path(k, c->e->t, '-');
        GC_LIT(k, "/part-000");
        two_digits(k, (int)gc_below(c->r, 64));
        gc_putc(k, '-');
        gc_uuid_raw(k, c->r);
        GC_LIT(k, "-c000.snappy.parquet");
    } else if (bk == 3) {
        GC_LIT(k, "cur/acme-cur/");
        date_path(k, c->e->t, '-');
        GC_LIT(k, "/acme-cur-0000");
        gc_u64(k, 1 + gc_below(c->r, 9));
        GC_LIT(k, ".csv.gz");
    } else {
        GC_LIT(k, "env:/");
        gc_raw(k, c->a->env);
        gc_raw(k, gc_below(c->r, 2) ? "/network/terraform.tfstate" : "/iam/terraform.tfstate");
    }
    gc_putc(k, '\0');
    k->n--;
}

static void s3_additional(gc_cx *c, uint64_t in, uint64_t out)
{
    gc_buf *b = &c->pp->add;
    GC_LIT(b, "{\"SignatureVersion\":\"SigV4\",\"CipherSuite\":\"TLS_AES_128_GCM_SHA256\","
              "\"bytesTransferredIn\":");
    gc_u64(b, in);
    GC_LIT(b, ",\"AuthenticationMethod\":\"AuthHeader\",\"x-amz-id-2\":\"");
    gc_chars(b, c->r, GC_B64, 75);
    GC_LIT(b, "=\",\"bytesTransferredOut\":");
    gc_u64(b, out);
    gc_putc(b, '}');
}

static void s3_bucket_host(gc_cx *c, const char *bucket)
{
    cx_host(c, bucket, ".s3.", c->region);
    cx_host(c, c->pp->host, ".amazonaws.com", NULL);
}

static void s3_object(gc_cx *c, const char *bucket, int bk)
{
    gc_buf *q = &c->pp->req;
    int put = c->name[0] == 'P';
    s3_key(c, bk);
    GC_LIT(q, "{\"bucketName\":");
    gc_jstr(q, bucket);
    GC_LIT(q, ",\"Host\":");
    gc_jstr(q, c->pp->host);
    GC_LIT(q, ",\"key\":");
    gc_jstr(q, c->pp->tmp.p);
    gc_putc(q, '}');
    if (put) {
        GC_LIT(&c->pp->resp, "{\"x-amz-server-side-encryption\":\"AES256\",\"x-amz-version-id\":\"");
        gc_chars(&c->pp->resp, c->r, GC_ALNUM, 32);
        GC_LIT(&c->pp->resp, "\"}");
    }
    uint64_t size = 200 + gc_below(c->r, 4000000);
    s3_additional(c, put ? size : 0, put ? 0 : size);
    gc_buf *rs = &c->pp->res;
    GC_LIT(rs, "[{\"type\":\"AWS::S3::Object\",\"ARN\":\"arn:aws:s3:::");
    gc_raw(rs, bucket);
    gc_putc(rs, '/');
    gc_jesc(rs, c->pp->tmp.p);
    GC_LIT(rs, "\"},{\"accountId\":");
    gc_jstr(rs, c->a->id);
    GC_LIT(rs, ",\"type\":\"AWS::S3::Bucket\",\"ARN\":\"arn:aws:s3:::");
    gc_raw(rs, bucket);
    GC_LIT(rs, "\"}");
}

void gc_call_s3(gc_cx *c)
{
    int bk = bucket_of(c);
    const char *bucket = c->a->buckets[bk];
    gc_buf *q = &c->pp->req;
    c->pp->request_id_style = 1;
    if (c->e->a->kind == K_S3_BUCKETS) {
        cx_host(c, "s3.", c->region, ".amazonaws.com");
        GC_LIT(q, "{\"Host\":");
        gc_jstr(q, c->pp->host);
        gc_putc(q, '}');
        s3_additional(c, 0, 1800 + gc_below(c->r, 900));
        return;
    }
    s3_bucket_host(c, bucket);
    if (c->e->a->kind == K_S3_OBJ) {
        s3_object(c, bucket, bk);
        c->pp->vpce = c->p->vpce;
        return;
    }
    GC_LIT(q, "{");
    if (c->e->a->kind == K_S3_LIST)
        GC_LIT(q, "\"list-type\":\"2\",");
    GC_LIT(q, "\"bucketName\":");
    gc_jstr(q, bucket);
    if (c->e->a->kind == K_S3_LIST) {
        GC_LIT(q, ",\"encoding-type\":\"url\",\"max-keys\":\"1000\",\"prefix\":\"payments-api/\","
                  "\"delimiter\":\"/\"");
    } else {
        const char *sub = c->name + 9; /* after "GetBucket" */
        GC_LIT(q, ",\"");
        gc_putc(q, (char)(sub[0] - 'A' + 'a'));
        gc_raw(q, sub + 1);
        GC_LIT(q, "\":\"\"");
    }
    GC_LIT(q, ",\"Host\":");
    gc_jstr(q, c->pp->host);
    gc_putc(q, '}');
    s3_additional(c, 0, 300 + gc_below(c->r, 20000));
    cx_res(c, "AWS::S3::Bucket", 1, "arn:aws:s3:::", bucket, NULL);
}

/* ---- DynamoDB --------------------------------------------------------- */

static const char *table_of(gc_cx *c)
{
    if (strstr(c->p->name, "terraform"))
        return c->a->tables[3];
    return c->a->tables[gc_below(c->r, 3)];
}

void gc_call_ddb(gc_cx *c)
{
    gc_buf *q = &c->pp->req;
    const char *t = table_of(c);
    c->pp->request_id_style = 2;
    c->pp->vpce = c->p->vpce;
    GC_LIT(q, "{\"tableName\":");
    gc_jstr(q, t);
    switch (c->e->a->kind) {
    case K_DDB_QUERY:
        GC_LIT(q, ",\"indexName\":\"gsi1\",\"limit\":100,\"keyConditionExpression\":" HIDDEN
                  ",\"expressionAttributeNames\":" HIDDEN ",\"expressionAttributeValues\":" HIDDEN);
        break;
    case K_DDB_ITEM:
        GC_LIT(q, ",\"key\":{\"pk\":" HIDDEN ",\"sk\":" HIDDEN "}");
        if (c->name[0] == 'G')
            GC_LIT(q, ",\"consistentRead\":false,\"projectionExpression\":" HIDDEN);
        else
            GC_LIT(q, ",\"conditionExpression\":" HIDDEN ",\"returnValues\":\"NONE\"");
        break;
    default:
        break;
    }
    gc_putc(q, '}');
    cx_res(c, "AWS::DynamoDB::Table", 1, cx_arn_s(c, "dynamodb", "table/", t), NULL, NULL);
}

/* ---- SQS and SNS ------------------------------------------------------ */

static void queue_url(gc_cx *c, gc_buf *b, const char *q)
{
    GC_LIT(b, "\"https://sqs.");
    gc_raw(b, c->region);
    GC_LIT(b, ".amazonaws.com/");
    gc_raw(b, c->a->id);
    gc_putc(b, '/');
    gc_raw(b, q);
    gc_putc(b, '"');
}

static void sqs(gc_cx *c)
{
    gc_buf *q = &c->pp->req, *o = &c->pp->resp;
    const char *qn = c->a->queues[gc_below(c->r, 3)];
    GC_LIT(q, "{\"queueUrl\":");
    queue_url(c, q, qn);
    if (c->e->a->kind == K_SQS_ATTR) {
        GC_LIT(q, ",\"attributeNames\":[\"All\"]}");
    } else if (c->name[0] == 'S') {
        GC_LIT(q, ",\"messageBody\":" HIDDEN ",\"messageAttributes\":" HIDDEN "}");
        GC_LIT(o, "{\"mD5OfMessageBody\":\"");
        gc_hex(o, c->r, 32);
        GC_LIT(o, "\",\"messageId\":");
        gc_uuid(o, c->r);
        gc_putc(o, '}');
    } else if (c->name[0] == 'R') {
        GC_LIT(q, ",\"maxNumberOfMessages\":10,\"waitTimeSeconds\":20,"
                  "\"messageSystemAttributeNames\":[\"All\"]}");
    } else {
        GC_LIT(q, ",\"receiptHandle\":" HIDDEN "}");
    }
    cx_res(c, "AWS::SQS::Queue", 1, cx_arn_s(c, "sqs", qn, NULL), NULL, NULL);
}

void gc_call_msg(gc_cx *c)
{
    if (c->e->a->kind != K_SNS) {
        sqs(c);
        return;
    }
    gc_buf *q = &c->pp->req;
    const char *arn = cx_arn_s(c, "sns", c->a->env, "-order-notifications");
    GC_LIT(q, "{\"topicArn\":");
    gc_jstr(q, arn);
    GC_LIT(q, ",\"message\":" HIDDEN ",\"messageAttributes\":" HIDDEN "}");
    GC_LIT(&c->pp->resp, "{\"messageId\":");
    gc_uuid(&c->pp->resp, c->r);
    gc_putc(&c->pp->resp, '}');
    cx_res(c, "AWS::SNS::Topic", 1, arn, NULL, NULL);
}

/* ---- KMS -------------------------------------------------------------- */

static void kms_ct_context(gc_cx *c, gc_buf *q)
{
    const gc_world *w = c->w;
    GC_LIT(q, "{\"keySpec\":\"AES_256\",\"encryptionContext\":{\"aws:cloudtrail:arn\":"
              "\"arn:aws:cloudtrail:us-east-1:");
    gc_raw(q, w->mgmt_id);
    GC_LIT(q, ":trail/org-trail\",\"aws:s3:arn\":\"arn:aws:s3:::");
    gc_raw(q, w->org_bucket);
    GC_LIT(q, "/AWSLogs/");
    gc_raw(q, w->org_id);
    gc_putc(q, '/');
    gc_raw(q, c->a->id);
    GC_LIT(q, "/CloudTrail/");
    gc_raw(q, c->region);
    gc_putc(q, '/');
    date_path(q, c->e->t, '/');
    gc_putc(q, '/');
    gc_raw(q, c->a->id);
    GC_LIT(q, "_CloudTrail_");
    gc_raw(q, c->region);
    gc_putc(q, '_');
    gc_tm tm;
    gc_civil(c->e->t, &tm);
    gc_u64(q, (uint64_t)tm.year);
    two_digits(q, tm.mon);
    two_digits(q, tm.day);
    gc_putc(q, 'T');
    two_digits(q, tm.hour);
    two_digits(q, tm.min / 5 * 5);
    GC_LIT(q, "Z_");
    gc_chars(q, c->r, GC_ALNUM, 16);
    GC_LIT(q, ".json.gz\"},\"keyId\":\"arn:aws:kms:us-east-1:");
    gc_raw(q, w->mgmt_id);
    GC_LIT(q, ":key/");
    gc_raw(q, w->acct[2].kms_key);
    GC_LIT(q, "\"}");
}

void gc_call_kms(gc_cx *c)
{
    gc_buf *q = &c->pp->req;
    const char *arn = cx_arn_s(c, "kms", "key/", c->a->kms_key);
    switch (c->e->a->kind) {
    case K_KMS_DECRYPT:
        GC_LIT(q, "{\"encryptionAlgorithm\":\"SYMMETRIC_DEFAULT\",\"encryptionContext\":"
                  "{\"SecretARN\":\"arn:aws:secretsmanager:");
        gc_raw(q, c->region);
        gc_putc(q, ':');
        gc_raw(q, c->a->id);
        GC_LIT(q, ":secret:");
        gc_raw(q, c->a->secrets[0]);
        GC_LIT(q, "-Xk2vQe\",\"SecretVersionId\":");
        gc_uuid(q, c->r);
        GC_LIT(q, "}}");
        break;
    case K_KMS_GDK:
        GC_LIT(q, "{\"keyId\":\"alias/");
        gc_raw(q, c->a->env);
        GC_LIT(q, "-payments\",\"encryptionContext\":{\"aws:dynamodb:tableName\":");
        gc_jstr(q, c->a->tables[0]);
        GC_LIT(q, ",\"aws:dynamodb:subscriberId\":");
        gc_jstr(q, c->a->id);
        GC_LIT(q, "},\"keySpec\":\"AES_256\"}");
        break;
    case K_KMS_CT:
        kms_ct_context(c, q);
        c->pp->shared_event_id = 0;
        break;
    default:
        GC_LIT(q, "{\"keyId\":");
        gc_jstr(q, arn);
        gc_putc(q, '}');
    }
    cx_res(c, "AWS::KMS::Key", 1, arn, NULL, NULL);
}

/* ---- Secrets Manager and SSM ------------------------------------------ */

static void ssm_session(gc_cx *c)
{
    gc_buf *q = &c->pp->req, *o = &c->pp->resp;
    const char *inst = c->a->instances[gc_below(c->r, 6)];
    GC_LIT(q, "{\"target\":");
    gc_jstr(q, inst);
    gc_putc(q, '}');
    GC_LIT(o, "{\"sessionId\":\"");
    gc_raw(o, c->p->name);
    gc_putc(o, '-');
    gc_hex(o, c->r, 17);
    GC_LIT(o, "\",\"tokenValue\":\"Value hidden due to security reasons.\","
              "\"streamUrl\":\"wss://ssmmessages.");
    gc_raw(o, c->region);
    GC_LIT(o, ".amazonaws.com/v1/data-channel/");
    gc_raw(o, c->p->name);
    GC_LIT(o, "-0a1b2c3d4e5f60718?role=publish_subscribe&cell-number=AAEAAQ\"}");
    cx_res(c, "AWS::EC2::Instance", 1, cx_arn_s(c, "ec2", "instance/", inst), NULL, NULL);
}

void gc_call_secret(gc_cx *c)
{
    gc_buf *q = &c->pp->req;
    switch (c->e->a->kind) {
    case K_SECRET:
        GC_LIT(q, "{\"secretId\":\"arn:aws:secretsmanager:");
        gc_raw(q, c->region);
        gc_putc(q, ':');
        gc_raw(q, c->a->id);
        GC_LIT(q, ":secret:");
        gc_raw(q, c->a->secrets[gc_below(c->r, 3)]);
        GC_LIT(q, "-Xk2vQe\"}");
        break;
    case K_SSM:
        GC_LIT(q, "{\"name\":");
        gc_jstr(q, c->a->params[gc_below(c->r, 3)]);
        GC_LIT(q, ",\"withDecryption\":true}");
        break;
    case K_SSM_DESC:
        GC_LIT(q, "{\"maxResults\":50,\"filters\":[{\"key\":\"PingStatus\",\"values\":[\"Online\"]}]}");
        break;
    default:
        ssm_session(c);
    }
}

/* ---- Lambda ----------------------------------------------------------- */

static void function_config(gc_cx *c, const char *fn, const char *fnarn)
{
    gc_buf *o = &c->pp->resp;
    GC_LIT(o, "{\"functionName\":");
    gc_jstr(o, fn);
    GC_LIT(o, ",\"functionArn\":");
    gc_jstr(o, fnarn);
    GC_LIT(o, ",\"runtime\":\"python3.12\",\"role\":\"arn:aws:iam::");
    gc_raw(o, c->a->id);
    GC_LIT(o, ":role/");
    gc_raw(o, c->a->env);
    GC_LIT(o, "-orders-worker-lambda\",\"handler\":\"app.handler\",\"codeSize\":");
    gc_u64(o, 40000 + gc_below(c->r, 9000000));
    GC_LIT(o, ",\"description\":\"\",\"timeout\":30,\"memorySize\":512,\"lastModified\":\"");
    gc_time_raw(o, c->e->t);
    o->n--;
    GC_LIT(o, ".000+0000\",\"codeSha256\":\"");
    gc_chars(o, c->r, GC_B64, 43);
    GC_LIT(o, "=\",\"version\":\"$LATEST\",\"tracingConfig\":{\"mode\":\"PassThrough\"},"
              "\"revisionId\":");
    gc_uuid(o, c->r);
    GC_LIT(o, ",\"state\":\"Active\",\"lastUpdateStatus\":\"InProgress\","
              "\"lastUpdateStatusReason\":\"The function is being created.\","
              "\"lastUpdateStatusReasonCode\":\"Creating\",\"packageType\":\"Zip\","
              "\"architectures\":[\"arm64\"],\"ephemeralStorage\":{\"size\":512},"
              "\"snapStart\":{\"applyOn\":\"None\",\"optimizationStatus\":\"Off\"},"
              "\"runtimeVersionConfig\":{\"runtimeVersionArn\":\"arn:aws:lambda:");
    gc_raw(o, c->region);
    GC_LIT(o, "::runtime:");
    gc_hex(o, c->r, 64);
    GC_LIT(o, "\"},\"loggingConfig\":{\"logFormat\":\"Text\",\"logGroup\":\"/aws/lambda/");
    gc_raw(o, fn);
    GC_LIT(o, "\"}}");
}

void gc_call_lambda(gc_cx *c)
{
    gc_buf *q = &c->pp->req;
    const char *fn = c->a->funcs[gc_below(c->r, 4)];
    const char *arn = cx_arn_s(c, "lambda", "function:", fn);
    if (c->e->a->kind == K_LAMBDA_INVOKE) {
        GC_LIT(q, "{\"functionName\":");
        gc_jstr(q, arn);
        GC_LIT(q, ",\"invocationType\":\"Event\",\"logType\":\"None\"}");
        GC_LIT(&c->pp->add, "{\"functionVersion\":\"");
        gc_raw(&c->pp->add, arn);
        GC_LIT(&c->pp->add, ":$LATEST\"}");
    } else if (c->e->a->kind == K_LAMBDA_UPD) {
        GC_LIT(q, "{\"functionName\":");
        gc_jstr(q, arn);
        GC_LIT(q, ",\"s3Bucket\":");
        gc_jstr(q, c->a->buckets[1]);
        GC_LIT(q, ",\"s3Key\":\"lambda/");
        gc_raw(q, fn);
        gc_putc(q, '/');
        gc_hex(q, c->r, 40);
        GC_LIT(q, ".zip\",\"publish\":true,\"dryRun\":false}");
        function_config(c, fn, arn);
    } else {
        GC_LIT(q, "{\"functionName\":");
        gc_jstr(q, fn);
        gc_putc(q, '}');
    }
    cx_res(c, "AWS::Lambda::Function", 1, arn, NULL, NULL);
}
