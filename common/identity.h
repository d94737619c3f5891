/*
 * identity.h - who a CloudTrail record's caller is, for policy purposes.
 *
 * The *principal* is the IAM identity a policy would be written for: the
 * role behind an assumed-role session, the IAM user, the account root, the
 * user behind a federation token; AWS services and external (SAML, web
 * identity, Identity Center) users get a stable pseudo-name. The *session*
 * is kept apart: the session name of a role session or federated user.
 */
#ifndef TT_IDENTITY_H
#define TT_IDENTITY_H

#include "event.h"

#include <stddef.h>

#define TT_PRINCIPAL_MAX 2200 /* an ARN is at most 2048 characters */

typedef struct tt_identity {
    tt_str principal;      /* e.g. arn:aws:iam::123456789012:role/ci-deploy */
    tt_str principal_type; /* IAMUser, Role, Root, FederatedUser(user),
                              AWSService, AWSAccount, SAMLUser, ... */
    tt_str session;        /* the session name, or empty */
    char buf[TT_PRINCIPAL_MAX]; /* backs principal when it had to be built */
} tt_identity;

/* Derives the identity of ev's caller. Strings point into ev's strings, into
 * static text, or into id->buf: they live as long as both. */
void tt_identity_of(const tt_event *ev, tt_identity *id);

/* How a call ended, from its errorCode: 0 succeeded (no code), 1 access
 * denied (a code naming AccessDenied, Unauthorized, NotAuthorized or
 * Forbidden, as AWS's error codes spell a refused authorization), 2 any
 * other error. */
int tt_error_class(tt_str code);

#endif /* TT_IDENTITY_H */
