/*
 * gc_event.c - writes one CloudTrail record with the field order and
 * spelling AWS uses, and the fields each eventVersion carries (1.0 has no
 * eventID; tlsDetails, managementEvent and eventCategory arrive with 1.08).
 * The call-specific parts come from gc_params.c.
 */
#include "gc.h"

static const char *ver_text[] = {"1.0", "1.02", "1.05", "1.08", "1.09", "1.10"};

static int session_valid(const gc_principal *p, int64_t t)
{
    return p->skey[0] && t >= p->s_created && t < p->s_expires;
}

static int is_console(const gc_principal *p)
{
    return p->ua == UA_CONSOLE;
}

/* ---- userIdentity ----------------------------------------------------- */

/* Folds one part of the identity tuple into e->idh (FNV-1a, separated). */
static void idf(gc_ev *e, const char *s)
{
    uint64_t h = e->idh ? e->idh : 0xcbf29ce484222325ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    e->idh = (h ^ 0x1f) * 0x100000001b3ULL;
}

static void attributes(gc_buf *b, int ver, int64_t created, int mfa)
{
    if (ver >= V108) {
        GC_LIT(b, "\"attributes\":{\"creationDate\":");
        gc_time(b, created);
        gc_raw(b, mfa ? ",\"mfaAuthenticated\":\"true\"}" : ",\"mfaAuthenticated\":\"false\"}");
    } else {
        gc_raw(b, mfa ? "\"attributes\":{\"mfaAuthenticated\":\"true\",\"creationDate\":"
                      : "\"attributes\":{\"mfaAuthenticated\":\"false\",\"creationDate\":");
        gc_time(b, created);
        gc_putc(b, '}');
    }
}

static void issuer_obj(gc_buf *b, const char *type, const char *pid,
                       const char *arn, const char *acct, const char *name)
{
    GC_LIT(b, "\"sessionIssuer\":{\"type\":");
    gc_jstr(b, type);
    GC_LIT(b, ",\"principalId\":");
    gc_jstr(b, pid);
    GC_LIT(b, ",\"arn\":");
    gc_jstr(b, arn);
    GC_LIT(b, ",\"accountId\":");
    gc_jstr(b, acct);
    GC_LIT(b, ",\"userName\":");
    gc_jstr(b, name);
    gc_putc(b, '}');
}

/* sessionContext of a role session or federated user. */
static void session_context(gc_buf *b, gc_world *w, const gc_principal *p, int ver)
{
    const gc_account *a = &w->acct[p->acct];
    const gc_principal *iss = p;
    const char *itype = "Role";
    if (p->type == PT_FEDERATED && p->issuer >= 0) {
        iss = &w->p[p->issuer];
        itype = "IAMUser";
    }
    int mfa = p->mint == MINT_ASSUME_USER;
    GC_LIT(b, ",\"sessionContext\":{");
    if (ver < V108) {
        attributes(b, ver, p->s_created, mfa);
        gc_putc(b, ',');
        issuer_obj(b, itype, iss->pid, iss->arn, a->id, iss->name);
        gc_putc(b, '}');
        return;
    }
    issuer_obj(b, itype, iss->pid, iss->arn, a->id, iss->name);
    if (p->mint == MINT_WEBID) {
        GC_LIT(b, ",\"webIdFederationData\":{\"federatedProvider\":");
        gc_jstr(b, a->oidc_provider);
        GC_LIT(b, ",\"attributes\":{}},");
    } else {
        GC_LIT(b, ",\"webIdFederationData\":{},");
    }
    attributes(b, ver, p->s_created, mfa);
    if (p->svc && strcmp(p->svc, "ec2.amazonaws.com") == 0)
        GC_LIT(b, ",\"ec2RoleDelivery\":\"2.0\"");
    gc_putc(b, '}');
}

static void head_fields(gc_buf *b, gc_ev *e, const char *type, const char *pid,
                        const char *arn, const char *acct)
{
    idf(e, type);
    idf(e, pid);
    idf(e, arn);
    GC_LIT(b, "{\"type\":");
    gc_jstr(b, type);
    GC_LIT(b, ",\"principalId\":");
    gc_jstr(b, pid);
    GC_LIT(b, ",\"arn\":");
    gc_jstr(b, arn);
    GC_LIT(b, ",\"accountId\":");
    gc_jstr(b, acct);
}

/* key: 0 none (ConsoleLogin), 1 the session key if one is live, 2 the
 * long-term key (the call that mints a session token). */
static void id_iam_user(gc_buf *b, gc_world *w, const gc_principal *p,
                        gc_ev *e, int with_key)
{
    const gc_account *a = &w->acct[p->acct];
    int sess = with_key == 1 && p->mint != MINT_NONE && session_valid(p, e->t);
    head_fields(b, e, "IAMUser", p->pid, p->arn, a->id);
    if (with_key) {
        GC_LIT(b, ",\"accessKeyId\":");
        gc_jstr(b, sess ? p->skey : p->akia);
        idf(e, sess ? p->skey : p->akia);
        if (!sess)
            e->akia_pi = (int)(p - w->p);
    }
    GC_LIT(b, ",\"userName\":");
    gc_jstr(b, p->name);
    if (sess) {
        if (e->ver >= V108)
            GC_LIT(b, ",\"sessionContext\":{\"sessionIssuer\":{},\"webIdFederationData\":{},");
        else
            GC_LIT(b, ",\"sessionContext\":{");
        attributes(b, e->ver, p->s_created, 1);
        gc_putc(b, '}');
    }
}

static void id_role(gc_buf *b, gc_world *w, const gc_principal *p, gc_ev *e)
{
    const gc_account *a = &w->acct[p->acct];
    idf(e, "AssumedRole");
    idf(e, a->id);
    idf(e, p->pid);
    idf(e, p->name);
    idf(e, p->sname);
    idf(e, p->skey);
    GC_LIT(b, "{\"type\":\"AssumedRole\",\"principalId\":\"");
    gc_raw(b, p->pid);
    gc_putc(b, ':');
    gc_raw(b, p->sname);
    GC_LIT(b, "\",\"arn\":\"arn:aws:sts::");
    gc_raw(b, a->id);
    GC_LIT(b, ":assumed-role/");
    gc_raw(b, p->name);
    gc_putc(b, '/');
    gc_raw(b, p->sname);
    GC_LIT(b, "\",\"accountId\":");
    gc_jstr(b, a->id);
    GC_LIT(b, ",\"accessKeyId\":");
    gc_jstr(b, p->skey);
    session_context(b, w, p, e->ver);
}

static void id_root(gc_buf *b, gc_world *w, const gc_principal *p,
                    gc_ev *e, int with_key)
{
    const gc_account *a = &w->acct[p->acct];
    head_fields(b, e, "Root", a->id, p->arn, a->id);
    if (with_key && session_valid(p, e->t)) {
        GC_LIT(b, ",\"accessKeyId\":");
        gc_jstr(b, p->skey);
        idf(e, p->skey);
        if (e->ver >= V108)
            GC_LIT(b, ",\"sessionContext\":{\"sessionIssuer\":{},\"webIdFederationData\":{},");
        else
            GC_LIT(b, ",\"sessionContext\":{");
        attributes(b, e->ver, p->s_created, 1);
        gc_putc(b, '}');
    }
}

static void id_federated(gc_buf *b, gc_world *w, const gc_principal *p,
                         gc_ev *e)
{
    const gc_account *a = &w->acct[p->acct];
    idf(e, "FederatedUser");
    idf(e, p->arn);
    idf(e, p->skey);
    GC_LIT(b, "{\"type\":\"FederatedUser\",\"principalId\":\"");
    gc_raw(b, a->id);
    gc_putc(b, ':');
    gc_raw(b, p->name);
    GC_LIT(b, "\",\"arn\":");
    gc_jstr(b, p->arn);
    GC_LIT(b, ",\"accountId\":");
    gc_jstr(b, a->id);
    GC_LIT(b, ",\"accessKeyId\":");
    gc_jstr(b, p->skey);
    session_context(b, w, p, e->ver);
}

static void id_saml(gc_buf *b, gc_world *w, const gc_principal *target, gc_ev *e)
{
    const gc_account *a = &w->acct[target->acct];
    idf(e, "SAMLUser");
    idf(e, a->sso_idp);
    idf(e, target->sess_label);
    GC_LIT(b, "{\"type\":\"SAMLUser\",\"principalId\":\"");
    gc_raw(b, a->sso_idp);
    gc_putc(b, ':');
    gc_raw(b, target->sess_label);
    GC_LIT(b, "\",\"userName\":");
    gc_jstr(b, target->sess_label);
    GC_LIT(b, ",\"identityProvider\":");
    gc_jstr(b, a->sso_idp);
}

static void id_webid(gc_buf *b, gc_world *w, const gc_principal *target, gc_ev *e)
{
    const gc_account *a = &w->acct[target->acct];
    idf(e, "WebIdentityUser");
    idf(e, a->oidc_provider);
    static const char sub[] = "repo:acme-corp/payments-api:ref:refs/heads/main";
    GC_LIT(b, "{\"type\":\"WebIdentityUser\",\"principalId\":\"");
    gc_raw(b, a->oidc_provider);
    GC_LIT(b, ":sts.amazonaws.com:");
    gc_raw(b, sub);
    GC_LIT(b, "\",\"userName\":");
    gc_jstr(b, sub);
    GC_LIT(b, ",\"identityProvider\":");
    gc_jstr(b, a->oidc_provider);
}

static void id_service(gc_buf *b, gc_ev *e, const char *svc)
{
    idf(e, "AWSService");
    idf(e, svc);
    GC_LIT(b, "{\"type\":\"AWSService\",\"invokedBy\":");
    gc_jstr(b, svc);
}

/* The identity of a minting call, which is the caller's, not the target's. */
static const char *identity_mint(gc_buf *b, gc_world *w, gc_ev *e)
{
    const gc_principal *tg = &w->p[e->target];
    const gc_principal *c = &w->p[e->pi];
    switch (tg->mint) {
    case MINT_CONSOLE:
        if (tg->type == PT_ROOT)
            id_root(b, w, tg, e, 0);
        else
            id_iam_user(b, w, tg, e, 0);
        return tg->arn;
    case MINT_ASSUME_SERVICE:
        id_service(b, e, tg->svc);
        return "?";
    case MINT_SAML:
        id_saml(b, w, tg, e);
        return "?";
    case MINT_WEBID:
        id_webid(b, w, tg, e);
        return "?";
    default: /* session token, assume by user, federation token */
        id_iam_user(b, w, c, e, tg->mint == MINT_SESSION_TOKEN ? 2 : 1);
        return c->arn;
    }
}

/* Writes userIdentity; returns the key a jq user would group by. */
static const char *identity(gc_buf *b, gc_world *w, gc_ev *e)
{
    const gc_principal *p = &w->p[e->pi];
    const char *key;
    e->idh = 0;
    GC_LIT(b, ",\"userIdentity\":");
    if (e->is_mint) {
        key = identity_mint(b, w, e);
        gc_putc(b, '}');
        return key;
    }
    switch (p->type) {
    case PT_IAMUSER: id_iam_user(b, w, p, e, 1); key = p->arn; break;
    case PT_ROLE: id_role(b, w, p, e); key = p->arn; break;
    case PT_ROOT: id_root(b, w, p, e, 1); key = p->arn; break;
    case PT_FEDERATED: id_federated(b, w, p, e); key = w->p[p->issuer].arn; break;
    case PT_SERVICE: id_service(b, e, p->svc); key = "?"; break;
    default:
        idf(e, "AWS Internal");
        idf(e, w->acct[p->acct].id);
        GC_LIT(b, "{\"accountId\":");
        gc_jstr(b, w->acct[p->acct].id);
        GC_LIT(b, ",\"invokedBy\":");
        gc_jstr(b, p->svc);
        key = "?";
    }
    const char *inv = p->invoked_by;
    if (!inv && (e->a->flags & F_CFN))
        inv = "cloudformation.amazonaws.com";
    if (inv && p->type != PT_NOTYPE && p->type != PT_SERVICE) {
        GC_LIT(b, ",\"invokedBy\":");
        gc_jstr(b, inv);
    }
    gc_putc(b, '}');
    return key;
}

/* ---- address and user agent ------------------------------------------ */

static void ip4(gc_buf *b, uint32_t ip)
{
    gc_putc(b, '"');
    for (int i = 3; i >= 0; i--) {
        gc_u64(b, (ip >> (i * 8)) & 255);
        if (i)
            gc_putc(b, '.');
    }
    gc_putc(b, '"');
}

/* The service acting for the caller, if any (sets sourceIPAddress and
 * userAgent to its name). */
static const char *acting_service(gc_world *w, const gc_ev *e)
{
    const gc_principal *p = &w->p[e->pi];
    if (e->is_mint)
        return w->p[e->target].mint == MINT_ASSUME_SERVICE ? w->p[e->target].svc : NULL;
    if (p->type == PT_SERVICE || p->type == PT_NOTYPE)
        return p->svc;
    if (p->invoked_by)
        return p->invoked_by;
    if (e->a->flags & F_CFN)
        return "cloudformation.amazonaws.com";
    return NULL;
}

/* Whose network a call comes from: for a mint, the user or runner being
 * given credentials, unless an IAM user asks for them itself. */
static const gc_principal *origin(const gc_world *w, const gc_ev *e)
{
    if (!e->is_mint)
        return &w->p[e->pi];
    int m = w->p[e->target].mint;
    if (m == MINT_ASSUME_USER || m == MINT_FEDTOKEN || m == MINT_SESSION_TOKEN)
        return &w->p[e->pi];
    return &w->p[e->target];
}

static void source_ip(gc_buf *b, gc_rng *r, gc_world *w, const gc_ev *e,
                      const char *svc, int vpce)
{
    const gc_principal *p = origin(w, e);
    GC_LIT(b, ",\"sourceIPAddress\":");
    if (svc) {
        gc_jstr(b, svc);
    } else if (vpce) {
        uint32_t base = p->slot_ip ? p->slot_ip : p->ip[0];
        ip4(b, (10u << 24) | (uint32_t)((base & 0xffff) << 8) | (1 + gc_below(r, 250)));
    } else if (gc_chance(r, w->uniq_ip)) { /* a hotel, a phone, a scanner */
        ip4(b, (uint32_t)(gc_next(r) >> 32) | 0x01000000u);
    } else if (p->slot_ip) {
        ip4(b, p->slot_ip);
    } else if (is_console(p) && !e->is_mint && gc_chance(r, 0.12)) {
        GC_LIT(b, "\"AWS Internal\"");
    } else {
        uint32_t k = gc_below(r, 10);
        ip4(b, p->ip[k < 7 ? 0 : k < 9 ? 1 : 2]);
    }
}

/* ---- the record -------------------------------------------------------- */

static void error_fields(gc_buf *b, const gc_parts *pp)
{
    if (!pp->err_code)
        return;
    GC_LIT(b, ",\"errorCode\":");
    gc_jstr(b, pp->err_code);
    GC_LIT(b, ",\"errorMessage\":\"");
    gc_put(b, pp->err_msg.p, pp->err_msg.n);
    gc_putc(b, '"');
}

static void part(gc_buf *b, const char *key, size_t keyn, const gc_buf *v,
                 int null_if_empty)
{
    if (!v->n && !null_if_empty)
        return;
    gc_put(b, key, keyn);
    if (v->n)
        gc_put(b, v->p, v->n);
    else
        GC_LIT(b, "null");
}
#define PART(b, key, v, nul) part((b), "" key, sizeof(key) - 1, (v), (nul))

static void request_id(gc_buf *b, gc_rng *r, const gc_parts *pp)
{
    if (pp->no_request_id)
        return;
    GC_LIT(b, ",\"requestID\":");
    if (pp->request_id_style == 1) {
        gc_putc(b, '"');
        gc_chars(b, r, "0123456789ABCDEF", 16);
        gc_putc(b, '"');
    } else if (pp->request_id_style == 2) {
        gc_putc(b, '"');
        gc_chars(b, r, GC_UPPER_NUM, 52);
        gc_putc(b, '"');
    } else {
        gc_uuid(b, r);
    }
}

static const char *event_type(const gc_action *a)
{
    if (a->kind == K_CONSOLE_LOGIN)
        return "\"AwsConsoleSignIn\"";
    return a->flags & F_SVCEVENT ? "\"AwsServiceEvent\"" : "\"AwsApiCall\"";
}

static void tls_details(gc_buf *b, const gc_world *w, const gc_ev *e,
                        const gc_parts *pp)
{
    const gc_principal *p = &w->p[e->pi];
    GC_LIT(b, ",\"tlsDetails\":{\"tlsVersion\":");
    if (p->ua == UA_JAVA)
        GC_LIT(b, "\"TLSv1.2\",\"cipherSuite\":\"ECDHE-RSA-AES128-GCM-SHA256\"");
    else
        GC_LIT(b, "\"TLSv1.3\",\"cipherSuite\":\"TLS_AES_128_GCM_SHA256\"");
    GC_LIT(b, ",\"clientProvidedHostHeader\":");
    gc_jstr(b, pp->host);
    gc_putc(b, '}');
}

static void tail_fields(gc_buf *b, gc_rng *r, gc_world *w, const gc_ev *e,
                        const gc_parts *pp, const char *svc)
{
    const gc_action *a = e->a;
    if (e->ver >= V102) {
        GC_LIT(b, ",\"eventID\":");
        gc_uuid(b, r);
    }
    if (e->ver >= V105)
        gc_raw(b, (a->flags & F_RO) ? ",\"readOnly\":true" : ",\"readOnly\":false");
    if (e->ver >= V105)
        PART(b, ",\"resources\":", &pp->res, 0);
    if (e->ver >= V102) {
        GC_LIT(b, ",\"eventType\":");
        gc_raw(b, event_type(a));
    }
    if (e->ver >= V108)
        gc_raw(b, (a->flags & F_DATA) ? ",\"managementEvent\":false" : ",\"managementEvent\":true");
    if (e->ver >= V102) {
        GC_LIT(b, ",\"recipientAccountId\":");
        gc_jstr(b, w->acct[e->acct].id);
    }
    if (pp->shared_event_id && e->ver >= V102) {
        GC_LIT(b, ",\"sharedEventID\":");
        gc_uuid(b, r);
    }
    if (pp->vpce && e->ver >= V105) {
        GC_LIT(b, ",\"vpcEndpointId\":");
        gc_jstr(b, w->acct[e->acct].vpce);
    }
    PART(b, ",\"serviceEventDetails\":", &pp->svc, 0);
    if (e->ver >= V108)
        gc_raw(b, (a->flags & F_DATA) ? ",\"eventCategory\":\"Data\"" : ",\"eventCategory\":\"Management\"");
    if (e->ver >= V108 && !svc && pp->host[0])
        tls_details(b, w, e, pp);
    const gc_principal *p = &w->p[e->pi];
    if (e->ver >= V108 && !e->is_mint && is_console(p) && !svc)
        GC_LIT(b, ",\"sessionCredentialFromConsole\":\"true\"");
}

void gc_event_write(gc_world *w, gc_rng *r, gc_parts *pp, gc_buf *b, gc_ev *e)
{
    const char *svc = acting_service(w, e);
    gc_parts_reset(pp);
    GC_LIT(b, "{\"eventVersion\":\"");
    gc_raw(b, ver_text[e->ver]);
    gc_putc(b, '"');
    e->gkey = identity(b, w, e);
    gc_params_build(w, r, pp, e);
    GC_LIT(b, ",\"eventTime\":");
    gc_time(b, e->t);
    GC_LIT(b, ",\"eventSource\":");
    gc_jstr(b, e->a->src);
    GC_LIT(b, ",\"eventName\":");
    e->gname = gc_event_name(e);
    gc_jstr(b, e->gname);
    GC_LIT(b, ",\"awsRegion\":");
    gc_jstr(b, e->region);
    source_ip(b, r, w, e, svc, pp->vpce);
    gc_user_agent(b, r, w, e, svc);
    error_fields(b, pp);
    PART(b, ",\"requestParameters\":", &pp->req, 1);
    PART(b, ",\"responseElements\":", &pp->resp, 1);
    PART(b, ",\"additionalEventData\":", &pp->add, 0);
    request_id(b, r, pp);
    tail_fields(b, r, w, e, pp, svc);
    gc_putc(b, '}');
}
