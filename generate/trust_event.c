/*
 * trust_event.c - gen_trust_event_parse (trust.h): one assumption record
 * reduced to the principal a trust policy names. CloudTrail's shapes: the
 * caller in userIdentity (IAMUser, AssumedRole with its sessionIssuer,
 * Root, AWSAccount for a caller of another account, AWSService with
 * invokedBy, WebIdentityUser, SAMLUser), the role in requestParameters,
 * the web identity's provider, subject and audience in responseElements.
 */
#include "trust.h"

#include "common/ttime.h"
#include "ingest/recall.h"

#include <stdio.h>
#include <string.h>

typedef struct rec_ref {
    const char *p;
    size_t len;
    const char *cut; /* the first field a cap cut, or NULL */
} rec_ref;

/* Reads one field into out; "" and 0 when absent. Notes a cut value. */
static int field(rec_ref *r, const char *path, char *out, size_t cap)
{
    out[0] = '\0';
    if (!ingest_recall_field(r->p, r->len, path, out, cap))
        return 0;
    size_t n = strlen(out);
    if (n + 1 == cap && n >= 3 && strcmp(out + n - 3, "...") == 0 && !r->cut)
        r->cut = path;
    return 1;
}

/* "arn:aws:iam::A:role/R" from "arn:aws:sts::A:assumed-role/R/session". */
static void role_of_session(const char *arn, char *out, size_t cap)
{
    const char *acct = strstr(arn, "::"), *ar = strstr(arn, ":assumed-role/");
    out[0] = '\0';
    if (!acct || !ar || ar < acct)
        return;
    const char *name = ar + strlen(":assumed-role/");
    const char *slash = strchr(name, '/');
    int nlen = slash ? (int)(slash - name) : (int)strlen(name);
    snprintf(out, cap, "arn:aws:iam::%.*s:role/%.*s", (int)(ar - acct - 2), acct + 2, nlen, name);
}

static int is_public_idp(const char *p)
{
    static const char *const known[] = {"cognito-identity.amazonaws.com", "accounts.google.com",
                                        "graph.facebook.com", "www.amazon.com"};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (strcmp(p, known[i]) == 0)
            return 1;
    return 0;
}

/* The account of an ARN ("" when it has none). */
static void arn_account(const char *arn, char *out, size_t cap)
{
    const char *p = arn;
    out[0] = '\0';
    for (int colons = 0; *p && colons < 4; p++)
        colons += *p == ':';
    const char *end = strchr(p, ':');
    if (strncmp(arn, "arn:", 4) == 0 && end && end - p == 12)
        snprintf(out, cap, "%.12s", p);
}

static void parse_aws(rec_ref *r, gen_trust_event *ev)
{
    if (strcmp(ev->itype, "AssumedRole") == 0) {
        field(r, "userIdentity.sessionContext.sessionIssuer.arn", ev->principal, sizeof ev->principal);
        if (!ev->principal[0])
            role_of_session(ev->caller, ev->principal, sizeof ev->principal);
    } else if (ev->caller[0]) {
        snprintf(ev->principal, sizeof ev->principal, "%s", ev->caller);
    } else if (ev->account[0]) {
        snprintf(ev->principal, sizeof ev->principal, "arn:aws:iam::%s:root", ev->account);
    }
}

static void parse_oidc(rec_ref *r, gen_trust_event *ev)
{
    char p[GEN_TRUST_FIELD], acct[16];
    if (!field(r, "responseElements.provider", p, sizeof p))
        field(r, "userIdentity.identityProvider", p, sizeof p);
    arn_account(ev->role, acct, sizeof acct);
    if (p[0] && strncmp(p, "arn:", 4) != 0 && !is_public_idp(p) && acct[0] && strlen(p) > 400)
        r->cut = "userIdentity.identityProvider";
    else if (p[0] && strncmp(p, "arn:", 4) != 0 && !is_public_idp(p) && acct[0])
        snprintf(ev->principal, sizeof ev->principal, "arn:aws:iam::%.12s:oidc-provider/%.400s", acct, p);
    else
        snprintf(ev->principal, sizeof ev->principal, "%s", p);
    if (!field(r, "responseElements.subjectFromWebIdentityToken", ev->sub, sizeof ev->sub))
        field(r, "userIdentity.userName", ev->sub, sizeof ev->sub);
    field(r, "responseElements.audience", ev->aud, sizeof ev->aud);
}

static void parse_saml(rec_ref *r, gen_trust_event *ev)
{
    field(r, "requestParameters.principalArn", ev->principal, sizeof ev->principal);
    field(r, "responseElements.audience", ev->aud, sizeof ev->aud);
    field(r, "responseElements.subject", ev->sub, sizeof ev->sub);
}

/* MFA as the trust policy's aws:MultiFactorAuthPresent would see it. */
static int parse_mfa(rec_ref *r, const gen_trust_event *ev)
{
    char v[64];
    if (field(r, "userIdentity.sessionContext.attributes.mfaAuthenticated", v, sizeof v))
        return strcmp(v, "true") == 0 ? 2 : 1;
    if (field(r, "requestParameters.serialNumber", v, sizeof v))
        return 2;
    return strcmp(ev->itype, "IAMUser") == 0 || strcmp(ev->itype, "Root") == 0 ? 1 : 0;
}

static void parse_tags(rec_ref *r, gen_trust_event *ev)
{
    size_t used = 0;
    for (int i = 0; i < 50; i++) {
        char path[64], key[160];
        snprintf(path, sizeof path, "requestParameters.tags.%d.key", i);
        if (!field(r, path, key, sizeof key))
            break;
        int w = snprintf(ev->tag_keys + used, sizeof ev->tag_keys - used, "%s%s", used ? "," : "", key);
        if (w < 0 || (size_t)w >= sizeof ev->tag_keys - used) {
            r->cut = "requestParameters.tags";
            break;
        }
        used += (size_t)w;
    }
    char t[160];
    ev->transitive = field(r, "requestParameters.transitiveTagKeys.0", t, sizeof t);
}

static gen_trust_kind kind_of(rec_ref *r, gen_trust_event *ev)
{
    if (strcmp(ev->name, "AssumeRoleWithWebIdentity") == 0)
        return GEN_TRUST_OIDC;
    if (strcmp(ev->name, "AssumeRoleWithSAML") == 0)
        return GEN_TRUST_SAML;
    if (strcmp(ev->itype, "AWSService") == 0) {
        field(r, "userIdentity.invokedBy", ev->principal, sizeof ev->principal);
        if (!ev->principal[0])
            snprintf(ev->principal, sizeof ev->principal, "%s", ev->ip);
        return GEN_TRUST_SERVICE;
    }
    return GEN_TRUST_AWS;
}

tt_status gen_trust_event_parse(const char *rec, size_t len, gen_trust_event *ev, tt_error *err)
{
    rec_ref r = {rec, len, NULL};
    char v[GEN_TRUST_FIELD];
    memset(ev, 0, sizeof *ev);
    field(&r, "eventName", ev->name, sizeof ev->name);
    if (strcmp(ev->name, "AssumeRole") != 0 && strcmp(ev->name, "AssumeRoleWithWebIdentity") != 0 &&
        strcmp(ev->name, "AssumeRoleWithSAML") != 0)
        return tt_fail(err, TT_ERR_FORMAT, "not an assume-role record (eventName \"%s\")", ev->name);
    if (field(&r, "errorCode", v, sizeof v))
        return tt_fail(err, TT_ERR_FORMAT, "a failed %s (errorCode %s)", ev->name, v);
    if (field(&r, "eventTime", v, sizeof v) && tt_time_parse(v, strlen(v), &ev->t) != 0)
        return tt_fail(err, TT_ERR_FORMAT, "a bad eventTime \"%s\"", v);
    if (!field(&r, "requestParameters.roleArn", ev->role, sizeof ev->role))
        return tt_fail(err, TT_ERR_FORMAT, "%s without requestParameters.roleArn", ev->name);
    field(&r, "userIdentity.type", ev->itype, sizeof ev->itype);
    field(&r, "userIdentity.arn", ev->caller, sizeof ev->caller);
    field(&r, "userIdentity.accountId", ev->account, sizeof ev->account);
    field(&r, "sourceIPAddress", ev->ip, sizeof ev->ip);
    ev->kind = kind_of(&r, ev);
    if (ev->kind == GEN_TRUST_AWS)
        parse_aws(&r, ev);
    else if (ev->kind == GEN_TRUST_OIDC)
        parse_oidc(&r, ev);
    else if (ev->kind == GEN_TRUST_SAML)
        parse_saml(&r, ev);
    if (!ev->account[0])
        arn_account(ev->principal, ev->account, sizeof ev->account);
    ev->mfa = parse_mfa(&r, ev);
    ev->has_external_id = field(&r, "requestParameters.externalId", ev->external_id, sizeof ev->external_id);
    if (!field(&r, "requestParameters.sourceIdentity", ev->source_identity, sizeof ev->source_identity))
        field(&r, "responseElements.sourceIdentity", ev->source_identity, sizeof ev->source_identity);
    parse_tags(&r, ev);
    if (r.cut)
        return tt_fail(err, TT_ERR_FORMAT, "%s: %s is longer than %d bytes", ev->name, r.cut, GEN_TRUST_FIELD - 1);
    if (!ev->principal[0])
        return tt_fail(err, TT_ERR_FORMAT, "%s of %s: the record does not say who called it", ev->name, ev->role);
    return TT_OK;
}
