/*
 * event.h - one CloudTrail record as the parser hands it out: the fields
 * trailtrim stores, as borrowed slices of the decompressed object (or of the
 * parser's scratch arena when a string had escapes to undo).
 *
 * Lifetime: every tt_str in a tt_event stays valid until the next call to
 * ingest_parse_object() on the same parser, or until the parser is freed,
 * and as long as the input buffer passed to that call is alive.
 */
#ifndef TT_EVENT_H
#define TT_EVENT_H

#include "tt.h"

#include <stdint.h>

/* Tri-state booleans for fields that may be absent or null. */
enum { TT_TRI_UNSET = 0, TT_TRI_FALSE = 1, TT_TRI_TRUE = 2 };

typedef struct tt_event {
    int64_t time_ms;       /* eventTime, ms since the epoch (required) */
    tt_str event_id;       /* eventID; empty for eventVersion 1.0 */
    tt_str event_version;  /* eventVersion, e.g. "1.08" */
    tt_str event_source;   /* eventSource, e.g. "s3.amazonaws.com" */
    tt_str event_name;     /* eventName */
    tt_str region;         /* awsRegion (kept whatever its spelling) */
    tt_str source_ip;      /* sourceIPAddress (kept as text: may be a
                              service name or carry leading zeros) */
    tt_str user_agent;     /* userAgent */
    tt_str error_code;     /* errorCode; empty when the call succeeded */
    tt_str event_type;     /* eventType: AwsApiCall, AwsConsoleSignIn, ... */
    tt_str event_category; /* eventCategory: Management, Data, Insight */
    tt_str recipient_account; /* recipientAccountId */
    uint8_t read_only;     /* readOnly (TT_TRI_*; also from "true"/"false" text) */
    uint8_t management;    /* managementEvent (TT_TRI_*) */
    uint8_t mfa;           /* sessionContext.attributes.mfaAuthenticated */

    /* userIdentity */
    tt_str id_type;        /* type: IAMUser, AssumedRole, Root, AWSService, ... */
    tt_str id_arn;         /* arn */
    tt_str id_account;     /* accountId */
    tt_str id_principal;   /* principalId */
    tt_str id_access_key;  /* accessKeyId */
    tt_str id_user_name;   /* userName */
    tt_str id_invoked_by;  /* invokedBy */
    tt_str issuer_type;    /* sessionContext.sessionIssuer.type */
    tt_str issuer_arn;     /* sessionContext.sessionIssuer.arn */
    tt_str issuer_user;    /* sessionContext.sessionIssuer.userName */
    tt_str source_identity; /* sessionContext.sourceIdentity, or
                               userIdentity.sourceIdentity */

    /* responseElements.credentials.accessKeyId: a key this call minted */
    tt_str minted_key;

    /* The skeleton of requestParameters (ingest/skeleton.h): which fields
     * the call gave, without their data; "{}" when none, "?" when past the
     * caps. */
    tt_str request_shape;

    /* The record's own bytes in the decompressed object: offset and length.
     * Used to hash records without an eventID and to read a record back. */
    uint64_t raw_off;
    uint32_t raw_len;
} tt_event;

#endif /* TT_EVENT_H */
