/*
 * identity.c - principal and session from a record's userIdentity. The
 * rules follow the CloudTrail userIdentity element's documented types.
 */
#define _GNU_SOURCE
#include "identity.h"

#include <stdio.h>
#include <string.h>

#define LIT(s) ((tt_str){(s), (uint32_t)(sizeof(s) - 1)})

/* The part of s after the last '/', or empty. */
static tt_str after_last_slash(tt_str s)
{
    for (uint32_t i = s.n; i > 0; i--)
        if (s.p[i - 1] == '/')
            return (tt_str){s.p + i, s.n - i};
    return TT_STR_NULL;
}

static int starts_with(tt_str s, const char *lit)
{
    size_t n = strlen(lit);
    return s.n >= n && memcmp(s.p, lit, n) == 0;
}

static tt_str build(tt_identity *id, const char *fmt_prefix, tt_str a, const char *mid, tt_str b)
{
    int n = snprintf(id->buf, sizeof id->buf, "%s%.*s%s%.*s", fmt_prefix, (int)a.n,
                     a.p ? a.p : "", mid, (int)b.n, b.p ? b.p : "");
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof id->buf)
        n = (int)sizeof id->buf - 1;
    return (tt_str){id->buf, (uint32_t)n};
}

/* arn:PART:sts::ACCT:assumed-role/ROLE/SESSION -> arn:PART:iam::ACCT:role/ROLE
 * (the role's path is not in the session ARN; sessionIssuer has it). */
static tt_str role_from_session_arn(tt_identity *id, tt_str arn)
{
    /* Split on the first five colons: arn, partition, service, region,
     * account, resource. */
    uint32_t colon[5], nc = 0;
    for (uint32_t i = 0; i < arn.n && nc < 5; i++)
        if (arn.p[i] == ':')
            colon[nc++] = i;
    if (nc < 5 || !starts_with(arn, "arn:"))
        return arn;
    tt_str part = {arn.p + colon[0] + 1, colon[1] - colon[0] - 1};
    tt_str acct = {arn.p + colon[3] + 1, colon[4] - colon[3] - 1};
    tt_str res = {arn.p + colon[4] + 1, arn.n - colon[4] - 1};
    if (!starts_with(res, "assumed-role/"))
        return arn;
    tt_str rest = {res.p + 13, res.n - 13};
    uint32_t r = 0;
    while (r < rest.n && rest.p[r] != '/')
        r++;
    int n = snprintf(id->buf, sizeof id->buf, "arn:%.*s:iam::%.*s:role/%.*s", (int)part.n, part.p,
                     (int)acct.n, acct.p, (int)r, rest.p);
    if (n <= 0 || (size_t)n >= sizeof id->buf)
        return arn;
    return (tt_str){id->buf, (uint32_t)n};
}

static void assumed_role(const tt_event *ev, tt_identity *id)
{
    id->principal_type = LIT("Role");
    id->session = after_last_slash(ev->id_arn);
    if (ev->issuer_arn.n)
        id->principal = ev->issuer_arn;
    else if (ev->id_arn.n)
        id->principal = role_from_session_arn(id, ev->id_arn);
    else
        id->principal = build(id, "role-session:", ev->id_principal, "", TT_STR_NULL);
}

static void federated(const tt_event *ev, tt_identity *id)
{
    id->principal_type = LIT("FederatedUser");
    id->session = after_last_slash(ev->id_arn);
    if (ev->issuer_arn.n) {
        id->principal = ev->issuer_arn;
        id->principal_type = TT_STR_IS(ev->issuer_type, "Root") ? LIT("Root") : LIT("IAMUser");
    } else {
        id->principal = ev->id_arn.n ? ev->id_arn : ev->id_principal;
    }
}

static void external(const tt_event *ev, tt_identity *id, tt_str type)
{
    /* SAML, web identity and Identity Center users: no IAM entity of
     * their own; name them by type and user. */
    id->principal_type = type;
    tt_str who = ev->id_user_name.n ? ev->id_user_name : ev->id_principal;
    id->principal = build(id, "", type, ":", who);
}

static void fallback(const tt_event *ev, tt_identity *id)
{
    id->principal_type = ev->id_type.n ? ev->id_type : LIT("Unknown");
    if (ev->id_arn.n)
        id->principal = ev->id_arn;
    else if (ev->id_principal.n)
        id->principal = build(id, "principal:", ev->id_principal, "", TT_STR_NULL);
    else if (ev->id_invoked_by.n)
        id->principal = ev->id_invoked_by;
    else if (ev->id_account.n)
        id->principal = build(id, "account:", ev->id_account, "", TT_STR_NULL);
    else
        id->principal = LIT("unknown");
}

void tt_identity_of(const tt_event *ev, tt_identity *id)
{
    tt_str t = ev->id_type;
    id->session = TT_STR_NULL;
    if (TT_STR_IS(t, "IAMUser")) {
        id->principal_type = LIT("IAMUser");
        id->principal = ev->id_arn.n ? ev->id_arn
                                     : build(id, "user:", ev->id_user_name, "", TT_STR_NULL);
    } else if (TT_STR_IS(t, "AssumedRole") || TT_STR_IS(t, "Role")) {
        assumed_role(ev, id);
    } else if (TT_STR_IS(t, "Root")) {
        id->principal_type = LIT("Root");
        id->principal = ev->id_arn.n ? ev->id_arn
                                     : build(id, "arn:aws:iam::", ev->id_account, ":root", TT_STR_NULL);
    } else if (TT_STR_IS(t, "FederatedUser")) {
        federated(ev, id);
    } else if (TT_STR_IS(t, "AWSService")) {
        id->principal_type = LIT("AWSService");
        id->principal = ev->id_invoked_by.n
                             ? ev->id_invoked_by
                             : build(id, "AWSService:", ev->id_principal.n ? ev->id_principal : LIT("unknown"),
                                     "", TT_STR_NULL);
    } else if (TT_STR_IS(t, "AWSAccount")) {
        id->principal_type = LIT("AWSAccount");
        id->principal = build(id, "account:", ev->id_account.n ? ev->id_account : ev->id_principal, "",
                              TT_STR_NULL);
    } else if (TT_STR_IS(t, "SAMLUser") || TT_STR_IS(t, "WebIdentityUser") ||
               TT_STR_IS(t, "IdentityCenterUser")) {
        external(ev, id, t);
    } else {
        fallback(ev, id);
    }
}

int tt_error_class(tt_str e)
{
    if (e.n == 0)
        return 0;
    static const char *const denied[] = {"AccessDenied", "Unauthorized", "NotAuthorized",
                                         "Forbidden"};
    for (size_t i = 0; i < sizeof denied / sizeof *denied; i++)
        if (memmem(e.p, e.n, denied[i], strlen(denied[i])))
            return 1;
    return 2;
}
