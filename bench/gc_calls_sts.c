/*
 * gc_calls_sts.c - the calls that mint credentials (AssumeRole, ...WithSAML,
 * ...WithWebIdentity, GetSessionToken, GetFederationToken) and ConsoleLogin.
 * The session they create is already in the target principal's state; the
 * accessKeyId returned here is the one its later calls carry.
 */
#include "gc_params.h"

static void credentials(gc_cx *c, gc_buf *o)
{
    const gc_principal *tg = c->p;
    GC_LIT(o, "{\"credentials\":{\"accessKeyId\":");
    gc_jstr(o, tg->skey);
    GC_LIT(o, ",\"sessionToken\":");
    cx_session_token(c, o);
    GC_LIT(o, ",\"expiration\":");
    gc_expiration(o, tg->s_expires);
    gc_putc(o, '}');
}

static void assumed_role_user(gc_cx *c, gc_buf *o)
{
    const gc_principal *tg = c->p;
    GC_LIT(o, ",\"assumedRoleUser\":{\"assumedRoleId\":\"");
    gc_raw(o, tg->pid);
    gc_putc(o, ':');
    gc_raw(o, tg->sname);
    GC_LIT(o, "\",\"arn\":\"arn:aws:sts::");
    gc_raw(o, c->a->id);
    GC_LIT(o, ":assumed-role/");
    gc_raw(o, tg->name);
    gc_putc(o, '/');
    gc_raw(o, tg->sname);
    GC_LIT(o, "\"}");
}

static void role_request(gc_cx *c, gc_buf *q, int duration)
{
    GC_LIT(q, "{\"roleArn\":");
    gc_jstr(q, c->p->arn);
    GC_LIT(q, ",\"roleSessionName\":");
    gc_jstr(q, c->p->sname);
    if (duration) {
        GC_LIT(q, ",\"durationSeconds\":");
        gc_u64(q, (uint64_t)duration);
    }
}

static void assume_role(gc_cx *c)
{
    gc_buf *q = &c->pp->req, *o = &c->pp->resp;
    int by_service = c->p->mint == MINT_ASSUME_SERVICE;
    role_request(c, q, by_service ? 0 : 3600);
    if (!by_service) {
        GC_LIT(q, ",\"serialNumber\":\"arn:aws:iam::");
        gc_raw(q, c->a->id);
        GC_LIT(q, ":mfa/");
        gc_raw(q, c->w->p[c->p->issuer].name);
        gc_putc(q, '"');
    }
    gc_putc(q, '}');
    credentials(c, o);
    assumed_role_user(c, o);
    gc_putc(o, '}');
    cx_res(c, "AWS::IAM::Role", 1, c->p->arn, NULL, NULL);
    c->pp->shared_event_id = by_service;
}

static void assume_saml(gc_cx *c)
{
    gc_buf *q = &c->pp->req, *o = &c->pp->resp;
    const gc_account *a = c->a;
    GC_LIT(q, "{\"sAMLAssertionID\":\"_");
    gc_uuid_raw(q, c->r);
    GC_LIT(q, "\",\"roleSessionName\":");
    gc_jstr(q, c->p->sname);
    GC_LIT(q, ",\"durationSeconds\":43200,\"roleArn\":");
    gc_jstr(q, c->p->arn);
    GC_LIT(q, ",\"principalArn\":\"arn:aws:iam::");
    gc_raw(q, a->id);
    GC_LIT(q, ":saml-provider/");
    gc_raw(q, a->saml_provider);
    GC_LIT(q, "\"}");
    credentials(c, o);
    assumed_role_user(c, o);
    GC_LIT(o, ",\"packedPolicySize\":1,\"subject\":");
    gc_jstr(o, c->p->sess_label);
    GC_LIT(o, ",\"subjectType\":\"persistent\",\"issuer\":"
              "\"https://portal.sso.us-east-1.amazonaws.com/saml/assertion/");
    gc_chars(o, c->r, GC_ALNUM, 32);
    GC_LIT(o, "\",\"audience\":\"https://signin.aws.amazon.com/saml\",\"nameQualifier\":");
    gc_jstr(o, a->sso_idp);
    gc_putc(o, '}');
    cx_res(c, "AWS::IAM::Role", 1, c->p->arn, NULL, NULL);
    gc_buf *t = &c->pp->arnb;
    t->n = 0;
    GC_LIT(t, "arn:aws:iam::");
    gc_raw(t, a->id);
    GC_LIT(t, ":saml-provider/");
    gc_raw(t, a->saml_provider);
    gc_putc(t, '\0');
    cx_res(c, "AWS::IAM::SAMLProvider", 1, t->p, NULL, NULL);
}

static void assume_webid(gc_cx *c)
{
    gc_buf *q = &c->pp->req, *o = &c->pp->resp;
    role_request(c, q, 3600);
    gc_putc(q, '}');
    credentials(c, o);
    GC_LIT(o, ",\"subjectFromWebIdentityToken\":"
              "\"repo:acme-corp/payments-api:ref:refs/heads/main\"");
    assumed_role_user(c, o);
    GC_LIT(o, ",\"provider\":");
    gc_jstr(o, c->a->oidc_provider);
    GC_LIT(o, ",\"audience\":\"sts.amazonaws.com\"}");
    cx_res(c, "AWS::IAM::Role", 1, c->p->arn, NULL, NULL);
}

static const char *fed_policy =
    "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n"
    "      \"Effect\": \"Allow\",\n      \"Action\": [\"ce:Get*\", \"s3:GetObject\", "
    "\"s3:PutObject\", \"s3:ListBucket\"],\n      \"Resource\": \"*\"\n    }\n  ]\n}";

static void federation_token(gc_cx *c)
{
    gc_buf *q = &c->pp->req, *o = &c->pp->resp;
    GC_LIT(q, "{\"name\":");
    gc_jstr(q, c->p->name);
    GC_LIT(q, ",\"policy\":");
    gc_jstr(q, fed_policy);
    GC_LIT(q, ",\"durationSeconds\":43200}");
    credentials(c, o);
    GC_LIT(o, ",\"federatedUser\":{\"federatedUserId\":\"");
    gc_raw(o, c->a->id);
    gc_putc(o, ':');
    gc_raw(o, c->p->name);
    GC_LIT(o, "\",\"arn\":");
    gc_jstr(o, c->p->arn);
    GC_LIT(o, "},\"packedPolicySize\":9}");
}

static void session_token(gc_cx *c)
{
    gc_buf *q = &c->pp->req, *o = &c->pp->resp;
    GC_LIT(q, "{\"durationSeconds\":43200,\"serialNumber\":\"arn:aws:iam::");
    gc_raw(q, c->a->id);
    GC_LIT(q, ":mfa/");
    gc_raw(q, c->p->name);
    GC_LIT(q, "\"}");
    credentials(c, o);
    gc_putc(o, '}');
}

static void console_login(gc_cx *c)
{
    gc_buf *a = &c->pp->add;
    c->pp->no_request_id = 1;
    cx_host(c, "signin.aws.amazon.com", NULL, NULL);
    GC_LIT(&c->pp->resp, "{\"ConsoleLogin\":\"Success\"}");
    GC_LIT(a, "{\"LoginTo\":\"https://console.aws.amazon.com/console/home?hashArgs=%23&"
              "isauthcode=true&state=hashArgsFromTB_");
    gc_raw(a, c->region);
    gc_putc(a, '_');
    gc_hex(a, c->r, 16);
    GC_LIT(a, "\",\"MobileVersion\":\"No\",\"MFAIdentifier\":\"arn:aws:iam::");
    gc_raw(a, c->a->id);
    GC_LIT(a, ":mfa/");
    gc_raw(a, c->p->type == PT_ROOT ? "root-account-mfa-device" : c->p->name);
    GC_LIT(a, "\",\"MFAUsed\":\"Yes\"}");
}

void gc_call_sts(gc_cx *c)
{
    if (c->e->a->kind != K_CONSOLE_LOGIN)
        cx_host(c, "sts.", c->region, ".amazonaws.com");
    switch (c->e->a->kind) {
    case K_CONSOLE_LOGIN: console_login(c); break;
    case K_STS_ASSUME: assume_role(c); break;
    case K_STS_SAML: assume_saml(c); break;
    case K_STS_WEBID: assume_webid(c); break;
    case K_STS_SESSION: session_token(c); break;
    default: federation_token(c);
    }
}
