/*
 * gc_params.c - builds the call-specific parts of a record (request
 * parameters, response elements, additional data, resources, TLS host) by
 * dispatching on the action's kind, then decides whether the call failed
 * (~3-5% do) and with which errorCode/errorMessage. STS minting is here too.
 */
#include "gc_params.h"

void gc_parts_reset(gc_parts *pp)
{
    pp->req.n = pp->resp.n = pp->add.n = pp->res.n = pp->svc.n = 0;
    pp->tmp.n = pp->err_msg.n = 0;
    pp->err_code = NULL;
    pp->host[0] = '\0';
    pp->no_request_id = 0;
    pp->request_id_style = 0;
    pp->shared_event_id = 0;
    pp->vpce = 0;
}

void gc_parts_free(gc_parts *pp)
{
    gc_buf_free(&pp->req);
    gc_buf_free(&pp->resp);
    gc_buf_free(&pp->add);
    gc_buf_free(&pp->res);
    gc_buf_free(&pp->svc);
    gc_buf_free(&pp->tmp);
    gc_buf_free(&pp->err_msg);
    gc_buf_free(&pp->arnb);
}

/* ---- helpers ---------------------------------------------------------- */

void cx_res(gc_cx *c, const char *type, int with_acct, const char *a1,
            const char *a2, const char *a3)
{
    gc_buf *b = &c->pp->res;
    gc_putc(b, b->n ? ',' : '[');
    gc_putc(b, '{');
    if (with_acct) {
        GC_LIT(b, "\"accountId\":");
        gc_jstr(b, c->a->id);
        gc_putc(b, ',');
    }
    GC_LIT(b, "\"type\":");
    gc_jstr(b, type);
    GC_LIT(b, ",\"ARN\":\"");
    gc_raw(b, a1);
    if (a2)
        gc_raw(b, a2);
    if (a3)
        gc_raw(b, a3);
    GC_LIT(b, "\"}");
}

void cx_arn(gc_cx *c, gc_buf *b, const char *svc, const char *rest1,
            const char *rest2)
{
    GC_LIT(b, "arn:aws:");
    gc_raw(b, svc);
    gc_putc(b, ':');
    gc_raw(b, c->region);
    gc_putc(b, ':');
    gc_raw(b, c->a->id);
    gc_putc(b, ':');
    gc_raw(b, rest1);
    if (rest2)
        gc_raw(b, rest2);
}

const char *cx_arn_s(gc_cx *c, const char *svc, const char *rest1,
                     const char *rest2)
{
    gc_buf *b = &c->pp->arnb;
    b->n = 0;
    cx_arn(c, b, svc, rest1, rest2);
    gc_putc(b, '\0');
    b->n--;
    return b->p;
}

void cx_host(gc_cx *c, const char *a1, const char *a2, const char *a3)
{
    char *h = c->pp->host;
    size_t cap = sizeof c->pp->host, n = 0;
    const char *parts[3] = {a1, a2, a3};
    for (int i = 0; i < 3; i++)
        for (const char *s = parts[i]; s && *s && n + 1 < cap; s++)
            h[n++] = *s;
    h[n] = '\0';
}

void cx_host_default(gc_cx *c)
{
    const char *src = c->e->a->src;
    const char *dot = strchr(src, '.');
    size_t n = dot ? (size_t)(dot - src) : strlen(src);
    char pre[40];
    if (n >= sizeof pre)
        n = sizeof pre - 1;
    memcpy(pre, src, n);
    pre[n] = '\0';
    if (c->e->a->flags & F_GLOBAL) {
        cx_host(c, pre, ".amazonaws.com", NULL);
        return;
    }
    if (strcmp(pre, "ecr") == 0) {
        cx_host(c, "api.ecr.", c->region, ".amazonaws.com");
        return;
    }
    cx_host(c, pre, ".", c->region);
    cx_host(c, c->pp->host, ".amazonaws.com", NULL);
}

void cx_session_token(gc_cx *c, gc_buf *b)
{
    GC_LIT(b, "\"IQoJb3JpZ2luX2VjE");
    gc_chars(b, c->r, GC_B64, 380 + (int)gc_below(c->r, 200));
    GC_LIT(b, "==\"");
}

void cx_caller_arn(gc_cx *c, gc_buf *b)
{
    const gc_principal *p = c->p;
    if (p->type == PT_ROLE) {
        GC_LIT(b, "arn:aws:sts::");
        gc_raw(b, c->a->id);
        GC_LIT(b, ":assumed-role/");
        gc_raw(b, p->name);
        gc_putc(b, '/');
        gc_raw(b, p->sname);
    } else {
        gc_raw(b, p->arn[0] ? p->arn : p->name);
    }
}

/* ---- errors ----------------------------------------------------------- */

static void iam_prefix(gc_buf *b, const char *src)
{
    const char *dot = strchr(src, '.');
    size_t n = dot ? (size_t)(dot - src) : strlen(src);
    if (n == 10 && memcmp(src, "monitoring", 10) == 0)
        gc_raw(b, "cloudwatch");
    else
        gc_put(b, src, n);
}

static void not_authorized(gc_cx *c, const char *lead)
{
    gc_buf *m = &c->pp->err_msg;
    gc_raw(m, lead);
    GC_LIT(m, "User: ");
    cx_caller_arn(c, m);
    GC_LIT(m, " is not authorized to perform: ");
    iam_prefix(m, c->e->a->src);
    gc_putc(m, ':');
    gc_raw(m, c->name);
    GC_LIT(m, " because no identity-based policy allows the ");
    iam_prefix(m, c->e->a->src);
    gc_putc(m, ':');
    gc_raw(m, c->name);
    GC_LIT(m, " action");
}

static void set_error(gc_cx *c)
{
    gc_parts *pp = c->pp;
    const char *src = c->e->a->src;
    uint32_t k = gc_below(c->r, 100);
    if (strcmp(src, "s3.amazonaws.com") == 0) {
        int nokey = strcmp(c->name, "GetObject") == 0 && k < 60;
        pp->err_code = nokey ? "NoSuchKey" : "AccessDenied";
        gc_raw(&pp->err_msg, nokey ? "The specified key does not exist." : "Access Denied");
    } else if (strcmp(src, "ec2.amazonaws.com") == 0 && k < 85) {
        pp->err_code = "Client.UnauthorizedOperation";
        not_authorized(c, "You are not authorized to perform this operation. ");
    } else if (strcmp(src, "ec2.amazonaws.com") == 0) {
        pp->err_code = "Client.RequestLimitExceeded";
        gc_raw(&pp->err_msg, "Request limit exceeded.");
    } else if (strcmp(src, "secretsmanager.amazonaws.com") == 0 && k < 40) {
        pp->err_code = "ResourceNotFoundException";
        gc_raw(&pp->err_msg, "Secrets Manager can't find the specified secret.");
    } else if (k < 25) {
        pp->err_code = "ThrottlingException";
        gc_raw(&pp->err_msg, "Rate exceeded");
    } else {
        pp->err_code = "AccessDenied";
        not_authorized(c, "");
    }
    pp->resp.n = 0;
}

static int may_fail(const gc_cx *c)
{
    const gc_action *a = c->e->a;
    return !c->e->is_mint && !(a->flags & F_SVCEVENT) &&
           c->p->type != PT_SERVICE && c->p->type != PT_NOTYPE;
}

/* ---- dispatch --------------------------------------------------------- */

static void by_kind(gc_cx *c)
{
    switch (c->e->a->kind) {
    case K_S3_OBJ: case K_S3_LIST: case K_S3_BUCKETS: case K_S3_BUCKET:
        gc_call_s3(c); break;
    case K_DDB_ITEM: case K_DDB_QUERY: case K_DDB_TABLE:
        gc_call_ddb(c); break;
    case K_SQS: case K_SQS_ATTR: case K_SNS:
        gc_call_msg(c); break;
    case K_KMS_DECRYPT: case K_KMS_GDK: case K_KMS_KEY: case K_KMS_CT:
        gc_call_kms(c); break;
    case K_SECRET: case K_SSM: case K_SSM_DESC: case K_SSM_SESSION:
        gc_call_secret(c); break;
    case K_LAMBDA_UPD: case K_LAMBDA_FN: case K_LAMBDA_INVOKE:
        gc_call_lambda(c); break;
    case K_ECR_AUTH: case K_ECR_REPO: case K_ECR_PUT:
        gc_call_ecr(c); break;
    case K_CFN_STACK: case K_CFN_CS:
        gc_call_cfn(c); break;
    case K_EC2_DESC: case K_EC2_RUN: case K_EC2_STATE: case K_EC2_TAGS: case K_EC2_SG:
        gc_call_ec2(c); break;
    case K_IAM_USER: case K_IAM_ROLE: case K_IAM_ATTACH: case K_IAM_PUTPOL: case K_IAM_POLVER:
        gc_call_iam(c); break;
    case K_CW_METRIC: case K_CW_ALARMS: case K_LOGS: case K_LOGS_FILTER: case K_CE: case K_CT_DESC:
        gc_call_obs(c); break;
    case K_SVC_ROTATE: case K_SVC_BACKUP:
        gc_call_svc_event(c); break;
    case K_CONSOLE_LOGIN: case K_STS_ASSUME: case K_STS_SAML: case K_STS_WEBID:
    case K_STS_SESSION: case K_STS_FED:
        gc_call_sts(c); break;
    default:
        break; /* K_NULL, K_GETCALLER: null parameters */
    }
}

void gc_params_build(gc_world *w, gc_rng *r, gc_parts *pp, gc_ev *e)
{
    gc_cx c = {w, r, pp, e, &w->acct[e->acct],
               &w->p[e->is_mint ? e->target : e->pi], e->region,
               gc_event_name(e)};
    cx_host_default(&c);
    by_kind(&c);
    if (pp->res.n)
        gc_putc(&pp->res, ']');
    if (may_fail(&c) && gc_chance(r, 0.05 * c.p->err_mult))
        set_error(&c);
}
