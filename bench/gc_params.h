/*
 * gc_params.h - shared by the call builders (gc_params.c, gc_calls_data.c,
 * gc_calls_ctl.c): the context of the record being built and helpers that
 * append ARNs, resources and common JSON pieces to its parts.
 */
#ifndef GC_PARAMS_H
#define GC_PARAMS_H

#include "gc.h"

typedef struct gc_cx {
    gc_world *w;
    gc_rng *r;
    gc_parts *pp;
    gc_ev *e;
    const gc_account *a;
    const gc_principal *p; /* the caller, or the target of a mint */
    const char *region;
    const char *name;      /* eventName */
} gc_cx;

#define PICK(c, arr) ((arr)[gc_below((c)->r, (uint32_t)(sizeof(arr) / sizeof((arr)[0])))])
#define HIDDEN "\"HIDDEN_DUE_TO_SECURITY_REASONS\""

/* Appends one item to the resources array (accountId omitted when
 * with_acct is 0). The ARN is written by the arn callback-free form: the
 * caller passes pieces joined without separators. */
void cx_res(gc_cx *c, const char *type, int with_acct, const char *a1,
            const char *a2, const char *a3);
/* Standard ARN of a regional resource: arn:aws:<svc>:<region>:<acct>:<rest> */
void cx_arn(gc_cx *c, gc_buf *b, const char *svc, const char *rest1,
            const char *rest2);
/* The same ARN in a scratch buffer, valid until the next call. */
const char *cx_arn_s(gc_cx *c, const char *svc, const char *rest1,
                     const char *rest2);
/* Host header <prefix>.<region>.amazonaws.com from the eventSource. */
void cx_host_default(gc_cx *c);
void cx_host(gc_cx *c, const char *a1, const char *a2, const char *a3);
/* Long random session token as STS returns it (quoted). */
void cx_session_token(gc_cx *c, gc_buf *b);
/* The caller's ARN as an error message names it. */
void cx_caller_arn(gc_cx *c, gc_buf *b);

/* Builders, one per family; dispatch by kind in gc_params.c. */
void gc_call_s3(gc_cx *c);
void gc_call_ddb(gc_cx *c);
void gc_call_msg(gc_cx *c);      /* sqs, sns */
void gc_call_kms(gc_cx *c);
void gc_call_secret(gc_cx *c);   /* secretsmanager, ssm */
void gc_call_lambda(gc_cx *c);
void gc_call_ecr(gc_cx *c);
void gc_call_cfn(gc_cx *c);
void gc_call_ec2(gc_cx *c);
void gc_call_iam(gc_cx *c);
void gc_call_obs(gc_cx *c);      /* cloudwatch, logs, ce, cloudtrail */
void gc_call_svc_event(gc_cx *c);
void gc_call_sts(gc_cx *c);      /* minting calls and ConsoleLogin */

#endif /* GC_PARAMS_H */
