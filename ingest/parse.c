/*
 * parse.c - CloudTrail objects to tt_events on top of the JSON scanner, in
 * one pass: event objects are walked key by key (keys matched by length,
 * then bytes), wanted fields become slices of the input, everything else is
 * validated and skipped. Problems with a record's content are noted while
 * its syntax is still being checked and reported when the record ends.
 */
#include "parse.h"

#include "common/mem.h"
#include "common/ttime.h"
#include "json/json.h"
#include "skeleton.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the scratch arena: blocks that never move, reused across calls ---- */

#define ARENA_BLOCK 65536

typedef struct ablock {
    struct ablock *next;
    size_t size, used;
    char data[];
} ablock;

struct ingest_parser {
    tt_event *ev;
    size_t nev, cap;
    size_t max_ev_bytes;             /* ingest_parser_set_limit; 0: none */
    ablock *head, *cur;
    ingest_bad bad[INGEST_BAD_KEPT]; /* the first records left out */
    size_t nbad;                     /* records left out, all told */
    size_t ndocs;                    /* {"Records":...} documents read */
};

static ablock *block_new(size_t size, ablock *next)
{
    ablock *b = tt_xmalloc(sizeof *b + size);
    b->next = next;
    b->size = size;
    b->used = 0;
    return b;
}

static char *arena_alloc(ingest_parser *P, size_t n)
{
    ablock *b = P->cur;
    if (b->size - b->used < n) {
        ablock *nx = b->next;
        if (!nx || nx->size < n) {
            nx = block_new(n > ARENA_BLOCK ? n : ARENA_BLOCK, b->next);
            b->next = nx;
        }
        nx->used = 0;
        P->cur = b = nx;
    }
    char *r = b->data + b->used;
    b->used += n;
    return r;
}

ingest_parser *ingest_parser_create(void)
{
    ingest_parser *P = tt_xcalloc(1, sizeof *P);
    P->head = P->cur = block_new(ARENA_BLOCK, NULL);
    return P;
}

void ingest_parser_free(ingest_parser *P)
{
    if (!P)
        return;
    for (ablock *b = P->head, *nx; b; b = nx) {
        nx = b->next;
        free(b);
    }
    free(P->ev);
    free(P);
}

size_t ingest_parser_bytes(const ingest_parser *P)
{
    size_t n = P->cap * sizeof *P->ev;
    for (const ablock *b = P->head; b; b = b->next)
        n += sizeof *b + b->size;
    return n;
}

tt_event *ingest_parser_events(ingest_parser *P)
{
    return P->ev;
}

void ingest_parser_trim(ingest_parser *P, size_t keep)
{
    if (ingest_parser_bytes(P) <= keep)
        return;
    free(P->ev);
    P->ev = NULL;
    P->nev = P->cap = 0;
    for (ablock *b = P->head->next, *nx; b; b = nx) {
        nx = b->next;
        free(b);
    }
    P->head->next = NULL;
    P->head->used = 0;
    P->cur = P->head;
}

void ingest_parser_set_limit(ingest_parser *P, size_t bytes)
{
    P->max_ev_bytes = bytes;
}

/* Appends ev; -1 when that would take the array past its limit. */
static int push_event(ingest_parser *P, const tt_event *ev)
{
    size_t most = P->max_ev_bytes ? P->max_ev_bytes / sizeof *P->ev : SIZE_MAX;
    if (P->nev >= most)
        return -1;
    if (P->nev == P->cap) {
        size_t cap = P->cap ? P->cap * 2 : 256;
        P->cap = cap < most ? cap : most;
        P->ev = tt_xrealloc_big(P->ev, P->cap * sizeof *P->ev);
    }
    P->ev[P->nev++] = *ev;
    return 0;
}

/* ---- records and the problems found in them ---- */

enum { REC_TIME = 1, REC_INSIGHT = 2, REC_RECORDS = 4, REC_DIGEST = 8,
       REC_WRAPPED = 16, REC_STAMP = 32 };

enum { P_TYPE = 1, P_LONG, P_TIME, P_SURROGATE, P_BOOL, P_NOTIME, P_NOTOBJ,
       P_HUGE };

/* The first thing wrong with a record's content; st is TT_OK when none. */
typedef struct problem {
    tt_status st;
    int what;
    const char *path;   /* the field, e.g. "userIdentity.arn" */
    const char *expect; /* for P_TYPE: "a string", "an object", ... */
    size_t off;         /* where the offending value starts */
    size_t qoff, qlen;  /* the bytes to quote in the message */
} problem;

typedef struct rec {
    tt_event ev;
    tt_str ui_source_identity; /* userIdentity.sourceIdentity, the fallback */
    int64_t stamp_ms;          /* Logstash's @timestamp, when eventTime is gone */
    size_t no;                 /* 1-based record number */
    size_t off, len;           /* the record's bytes, braces included */
    unsigned flags;            /* REC_* */
    problem pb;
    struct rec *inner; /* top-level objects only: where {"event":{}} goes */
} rec;

typedef struct pctx {
    json_scanner s;
    ingest_parser *P;
    tt_error *err;
    int insight;    /* a delivery object held an insight record */
    size_t doc;     /* the {"Records":...} document being read, from 1 */
    size_t doc_off; /* where it starts */
} pctx;

static void rec_init(rec *r, size_t no, size_t off, rec *inner)
{
    memset(r, 0, sizeof *r);
    r->no = no;
    r->off = off;
    r->inner = inner;
}

static size_t off_of(const pctx *c, const char *at)
{
    return (size_t)(at - c->s.buf);
}

/* Keeps only the first problem of a record. Cold: problems are rare, and
 * out of line they cost the hot take_* functions no registers. */
static __attribute__((cold, noinline)) void note(rec *r, tt_status st, int what,
                                                 const char *path, size_t off)
{
    if (r->pb.st != TT_OK)
        return;
    r->pb = (problem){.st = st, .what = what, .path = path, .off = off};
}

static __attribute__((cold, noinline)) void note_type(rec *r, const char *path,
                                                      const char *expect, size_t off)
{
    if (r->pb.st != TT_OK)
        return;
    note(r, TT_ERR_FORMAT, P_TYPE, path, off);
    r->pb.expect = expect;
}

/* A string problem that quotes the string's raw body. */
static __attribute__((cold, noinline)) void note_str(rec *r, tt_status st, int what,
                                                     const char *path, size_t off,
                                                     size_t n)
{
    if (r->pb.st != TT_OK)
        return;
    note(r, st, what, path, off);
    r->pb.qoff = off + 1;
    r->pb.qlen = n;
}

static const char *type_name(char first)
{
    switch (first) {
    case '"': return "a string";
    case '{': return "an object";
    case '[': return "an array";
    case 't': case 'f': return "a boolean";
    case 'n': return "null";
    default: return "a number";
    }
}

/* What is wrong with the record, in words, into what[0..n). */
static void describe(const pctx *c, const rec *r, char *what, size_t n)
{
    const problem *pb = &r->pb;
    char q[200];
    json_quote(q, sizeof q, c->s.buf + pb->qoff, pb->qlen, 40);
    switch (pb->what) {
    case P_TYPE:
        snprintf(what, n, "%s is %s, expected %s", pb->path,
                 type_name(c->s.buf[pb->off]), pb->expect);
        break;
    case P_LONG:
        snprintf(what, n, "%s is longer than the %d-byte cap", pb->path,
                 INGEST_MAX_FIELD_BYTES);
        break;
    case P_TIME:
        snprintf(what, n, "%s %s is not an ISO 8601 time", pb->path, q);
        break;
    case P_SURROGATE:
        snprintf(what, n, "%s holds an escaped lone UTF-16 surrogate", pb->path);
        break;
    case P_BOOL:
        snprintf(what, n, "%s %s is not \"true\" or \"false\"", pb->path, q);
        break;
    case P_NOTIME:
        snprintf(what, n, "eventTime is missing");
        break;
    case P_HUGE:
        snprintf(what, n, "the record is over 4 GiB");
        break;
    default:
        snprintf(what, n, "the record is %s, expected an object",
                 type_name(c->s.buf[pb->off]));
        break;
    }
}

/* Leaves the record out: counts it and keeps the first few with their
 * reason. Its syntax was checked; the records after it are still read. */
static __attribute__((cold, noinline)) tt_status leave_out(pctx *c, const rec *r)
{
    ingest_parser *P = c->P;
    if (P->nbad < INGEST_BAD_KEPT) {
        ingest_bad *b = &P->bad[P->nbad];
        b->st = r->pb.st;
        b->doc = c->doc;
        b->no = r->no;
        b->off = r->pb.off;
        describe(c, r, b->what, sizeof b->what);
    }
    P->nbad++;
    return TT_OK;
}

/* ---- the fields we extract ---- */

enum fkind { F_STR, F_TIME, F_TRI, F_OBJ, F_RECORDS, F_DIGEST, F_WRAP, F_INSIGHT,
             F_STAMP, F_REQ };

typedef struct objspec objspec;

typedef struct field {
    const char *path; /* as named in messages */
    uint8_t kind;     /* F_* */
    uint8_t lenient;  /* a value of another type is skipped, not an error */
    uint16_t off;     /* of the tt_str or uint8_t in rec */
    const objspec *sub; /* F_OBJ: the object's own fields */
} field;

struct objspec {
    int (*match)(const char *k, size_t n); /* key -> index in fields, or -1 */
    const field *fields;
};

#define IS(k, lit) (memcmp((k), (lit), sizeof(lit) - 1) == 0)
#define EV(m) ((uint16_t)offsetof(rec, ev.m))

/* responseElements.credentials: service-defined, so lenient throughout. */
static int match_credentials(const char *k, size_t n)
{
    return n == 11 && IS(k, "accessKeyId") ? 0 : -1;
}
static const field CREDENTIALS_FIELDS[] = {
    {"responseElements.credentials.accessKeyId", F_STR, 1, EV(minted_key), NULL},
};
static const objspec CREDENTIALS = {match_credentials, CREDENTIALS_FIELDS};

static int match_response(const char *k, size_t n)
{
    return n == 11 && IS(k, "credentials") ? 0 : -1;
}
static const field RESPONSE_FIELDS[] = {
    {"responseElements.credentials", F_OBJ, 1, 0, &CREDENTIALS},
};
static const objspec RESPONSE = {match_response, RESPONSE_FIELDS};

static int match_issuer(const char *k, size_t n)
{
    switch (n) {
    case 4: return IS(k, "type") ? 0 : -1;
    case 3: return IS(k, "arn") ? 1 : -1;
    case 8: return IS(k, "userName") ? 2 : -1;
    }
    return -1;
}
static const field ISSUER_FIELDS[] = {
    {"userIdentity.sessionContext.sessionIssuer.type", F_STR, 0, EV(issuer_type), NULL},
    {"userIdentity.sessionContext.sessionIssuer.arn", F_STR, 0, EV(issuer_arn), NULL},
    {"userIdentity.sessionContext.sessionIssuer.userName", F_STR, 0, EV(issuer_user), NULL},
};
static const objspec ISSUER = {match_issuer, ISSUER_FIELDS};

static int match_attributes(const char *k, size_t n)
{
    return n == 16 && IS(k, "mfaAuthenticated") ? 0 : -1;
}
static const field ATTRIBUTES_FIELDS[] = {
    {"userIdentity.sessionContext.attributes.mfaAuthenticated", F_TRI, 0, EV(mfa), NULL},
};
static const objspec ATTRIBUTES = {match_attributes, ATTRIBUTES_FIELDS};

static int match_session(const char *k, size_t n)
{
    switch (n) {
    case 14: return IS(k, "sourceIdentity") ? 0 : -1;
    case 10: return IS(k, "attributes") ? 1 : -1;
    case 13: return IS(k, "sessionIssuer") ? 2 : -1;
    }
    return -1;
}
static const field SESSION_FIELDS[] = {
    {"userIdentity.sessionContext.sourceIdentity", F_STR, 0, EV(source_identity), NULL},
    {"userIdentity.sessionContext.attributes", F_OBJ, 0, 0, &ATTRIBUTES},
    {"userIdentity.sessionContext.sessionIssuer", F_OBJ, 0, 0, &ISSUER},
};
static const objspec SESSION = {match_session, SESSION_FIELDS};

enum { U_TYPE, U_ARN, U_ACCOUNT, U_PRINCIPAL, U_KEY, U_USER, U_INVOKED, U_SRCID,
       U_SESSION };

static int match_identity(const char *k, size_t n)
{
    switch (n) {
    case 3: return IS(k, "arn") ? U_ARN : -1;
    case 4: return IS(k, "type") ? U_TYPE : -1;
    case 8: return IS(k, "userName") ? U_USER : -1;
    case 9:
        if (IS(k, "accountId"))
            return U_ACCOUNT;
        return IS(k, "invokedBy") ? U_INVOKED : -1;
    case 11:
        if (IS(k, "principalId"))
            return U_PRINCIPAL;
        return IS(k, "accessKeyId") ? U_KEY : -1;
    case 14:
        if (IS(k, "sessionContext"))
            return U_SESSION;
        return IS(k, "sourceIdentity") ? U_SRCID : -1;
    }
    return -1;
}
static const field IDENTITY_FIELDS[] = {
    [U_TYPE] = {"userIdentity.type", F_STR, 0, EV(id_type), NULL},
    [U_ARN] = {"userIdentity.arn", F_STR, 0, EV(id_arn), NULL},
    [U_ACCOUNT] = {"userIdentity.accountId", F_STR, 0, EV(id_account), NULL},
    [U_PRINCIPAL] = {"userIdentity.principalId", F_STR, 0, EV(id_principal), NULL},
    [U_KEY] = {"userIdentity.accessKeyId", F_STR, 0, EV(id_access_key), NULL},
    [U_USER] = {"userIdentity.userName", F_STR, 0, EV(id_user_name), NULL},
    [U_INVOKED] = {"userIdentity.invokedBy", F_STR, 0, EV(id_invoked_by), NULL},
    [U_SRCID] = {"userIdentity.sourceIdentity", F_STR, 0,
                 (uint16_t)offsetof(rec, ui_source_identity), NULL},
    [U_SESSION] = {"userIdentity.sessionContext", F_OBJ, 0, 0, &SESSION},
};
static const objspec IDENTITY = {match_identity, IDENTITY_FIELDS};

enum { E_TIME, E_ID, E_VERSION, E_SOURCE, E_NAME, E_REGION, E_IP, E_UA, E_ERR,
       E_TYPE, E_CAT, E_RECIP, E_RO, E_MGMT, E_IDENT, E_RESP, E_INSIGHT,
       E_RECORDS, E_DIGEST, E_WRAP, E_STAMP, E_REQ };

static int match_event9(const char *k)
{
    if (IS(k, "eventName"))
        return E_NAME;
    if (IS(k, "eventTime"))
        return E_TIME;
    if (IS(k, "awsRegion"))
        return E_REGION;
    if (IS(k, "userAgent"))
        return E_UA;
    if (IS(k, "eventType"))
        return E_TYPE;
    return IS(k, "errorCode") ? E_ERR : -1;
}

static int match_event15(const char *k)
{
    if (IS(k, "sourceIPAddress"))
        return E_IP;
    if (IS(k, "managementEvent"))
        return E_MGMT;
    return IS(k, "digestStartTime") ? E_DIGEST : -1;
}

static int match_event(const char *k, size_t n)
{
    switch (n) {
    case 5: return IS(k, "event") ? E_WRAP : -1;
    case 7:
        if (IS(k, "eventID"))
            return E_ID;
        return IS(k, "Records") ? E_RECORDS : -1;
    case 8: return IS(k, "readOnly") ? E_RO : -1;
    case 9: return match_event9(k);
    case 10: return IS(k, "@timestamp") ? E_STAMP : -1;
    case 11: return IS(k, "eventSource") ? E_SOURCE : -1;
    case 12:
        if (IS(k, "eventVersion"))
            return E_VERSION;
        return IS(k, "userIdentity") ? E_IDENT : -1;
    case 13: return IS(k, "eventCategory") ? E_CAT : -1;
    case 14: return IS(k, "insightDetails") ? E_INSIGHT : -1;
    case 15: return match_event15(k);
    case 16: return IS(k, "responseElements") ? E_RESP : -1;
    case 17: return IS(k, "requestParameters") ? E_REQ : -1;
    case 18: return IS(k, "recipientAccountId") ? E_RECIP : -1;
    }
    return -1;
}
static const field EVENT_FIELDS[] = {
    [E_TIME] = {"eventTime", F_TIME, 0, 0, NULL},
    [E_ID] = {"eventID", F_STR, 0, EV(event_id), NULL},
    [E_VERSION] = {"eventVersion", F_STR, 0, EV(event_version), NULL},
    [E_SOURCE] = {"eventSource", F_STR, 0, EV(event_source), NULL},
    [E_NAME] = {"eventName", F_STR, 0, EV(event_name), NULL},
    [E_REGION] = {"awsRegion", F_STR, 0, EV(region), NULL},
    [E_IP] = {"sourceIPAddress", F_STR, 0, EV(source_ip), NULL},
    [E_UA] = {"userAgent", F_STR, 0, EV(user_agent), NULL},
    [E_ERR] = {"errorCode", F_STR, 0, EV(error_code), NULL},
    [E_TYPE] = {"eventType", F_STR, 0, EV(event_type), NULL},
    [E_CAT] = {"eventCategory", F_STR, 0, EV(event_category), NULL},
    [E_RECIP] = {"recipientAccountId", F_STR, 0, EV(recipient_account), NULL},
    [E_RO] = {"readOnly", F_TRI, 0, EV(read_only), NULL},
    [E_MGMT] = {"managementEvent", F_TRI, 0, EV(management), NULL},
    [E_IDENT] = {"userIdentity", F_OBJ, 0, 0, &IDENTITY},
    [E_RESP] = {"responseElements", F_OBJ, 1, 0, &RESPONSE},
    [E_INSIGHT] = {"insightDetails", F_INSIGHT, 0, 0, NULL},
    [E_RECORDS] = {"Records", F_RECORDS, 0, 0, NULL},
    [E_DIGEST] = {"digestStartTime", F_DIGEST, 0, 0, NULL},
    [E_WRAP] = {"event", F_WRAP, 0, 0, NULL},
    [E_STAMP] = {"@timestamp", F_STAMP, 1, 0, NULL},
    [E_REQ] = {"requestParameters", F_REQ, 1, EV(request_shape), NULL},
};
static const objspec EVENT = {match_event, EVENT_FIELDS};

/* ---- taking values ---- */

/* keep_str() for a string with escapes: undoes them into the arena. Out
 * of line so that the common case needs no stack frame of its own. */
static __attribute__((noinline)) void keep_escaped(pctx *c, rec *r, const field *f,
                                                   const json_str *js, tt_str *out)
{
    size_t off = off_of(c, js->p) - 1, cap = INGEST_MAX_FIELD_BYTES, bad;
    if (js->n / 6 > cap) {
        note_str(r, TT_ERR_LIMIT, P_LONG, f->path, off, js->n);
        return;
    }
    char *d = arena_alloc(c->P, js->n);
    size_t n = json_unescape(js->p, js->n, d, &bad);
    if (n == (size_t)-1)
        note_str(r, TT_ERR_FORMAT, P_SURROGATE, f->path, off, js->n);
    else if (n > cap)
        note_str(r, TT_ERR_LIMIT, P_LONG, f->path, off, js->n);
    else
        *out = (tt_str){d, (uint32_t)n};
}

/* Makes *out a slice of the input, or of the arena when escapes had to be
 * undone. Over-long strings and lone surrogates are noted, not kept. */
static inline void keep_str(pctx *c, rec *r, const field *f, const json_str *js,
                            tt_str *out)
{
    if (js->escaped)
        keep_escaped(c, r, f, js, out);
    else if (js->n > INGEST_MAX_FIELD_BYTES)
        note_str(r, TT_ERR_LIMIT, P_LONG, f->path, off_of(c, js->p) - 1, js->n);
    else
        *out = (tt_str){js->p, (uint32_t)js->n};
}

static tt_status take_str(pctx *c, rec *r, const field *f, tt_str *out)
{
    json_scanner *s = &c->s;
    json_str js;
    if (*s->p == '"') {
        if (json_string(s, &js) != TT_OK)
            return s->status;
        keep_str(c, r, f, &js, out);
        return TT_OK;
    }
    if (*s->p == 'n')
        *out = TT_STR_NULL;
    else if (!f->lenient)
        note_type(r, f->path, "a string", off_of(c, s->p));
    return json_skip_value(s);
}

static tt_status take_time(pctx *c, rec *r, const field *f)
{
    json_scanner *s = &c->s;
    const char *at = s->p;
    tt_str t = TT_STR_NULL;
    if (*at == 'n') {
        r->flags &= ~(unsigned)REC_TIME;
        return json_skip_value(s);
    }
    r->flags |= REC_TIME;
    if (*at != '"') {
        note_type(r, f->path, "a string", off_of(c, at));
        return json_skip_value(s);
    }
    if (take_str(c, r, f, &t) != TT_OK)
        return s->status;
    if (t.p && tt_time_parse(t.p, t.n, &r->ev.time_ms) != 0)
        note_str(r, TT_ERR_FORMAT, P_TIME, f->path, off_of(c, at),
                 (size_t)(s->p - at) - 2);
    return TT_OK;
}

/* Logstash and other shippers rename eventTime to @timestamp; it stands in
 * for eventTime only when the record has none, and only if it parses. */
static tt_status take_stamp(pctx *c, rec *r, const field *f)
{
    json_scanner *s = &c->s;
    tt_str t = TT_STR_NULL;
    if (*s->p != '"')
        return json_skip_value(s);
    if (take_str(c, r, f, &t) != TT_OK)
        return s->status;
    if (t.p && tt_time_parse(t.p, t.n, &r->stamp_ms) == 0)
        r->flags |= REC_STAMP;
    return TT_OK;
}

/* Whether js is the lower-case word w in any case (no escapes). */
static int eq_nocase(const json_str *js, const char *w)
{
    size_t i;
    for (i = 0; i < js->n && w[i]; i++)
        if ((js->p[i] | 0x20) != w[i])
            return 0;
    return i == js->n && w[i] == '\0';
}

/* A tri-state boolean: true/false/null, or the text "true"/"false" in any
 * case (Python-made logs write "True"). */
static tt_status take_tri(pctx *c, rec *r, const field *f, uint8_t *out)
{
    json_scanner *s = &c->s;
    const char *at = s->p;
    json_str js;
    switch (*at) {
    case 't': *out = TT_TRI_TRUE; return json_skip_value(s);
    case 'f': *out = TT_TRI_FALSE; return json_skip_value(s);
    case 'n': *out = TT_TRI_UNSET; return json_skip_value(s);
    case '"': break;
    default:
        note_type(r, f->path, "a boolean", off_of(c, at));
        return json_skip_value(s);
    }
    if (json_string(s, &js) != TT_OK)
        return s->status;
    if (eq_nocase(&js, "true"))
        *out = TT_TRI_TRUE;
    else if (eq_nocase(&js, "false"))
        *out = TT_TRI_FALSE;
    else
        note_str(r, TT_ERR_FORMAT, P_BOOL, f->path, off_of(c, at), js.n);
    return TT_OK;
}

static tt_status walk(pctx *c, rec *r, const objspec *spec);
static tt_status take_records(pctx *c, rec *r);
static tt_status walk_record(pctx *c, rec *r);

/* requestParameters: validated as ever, and its skeleton (skeleton.h)
 * kept in the arena. */
static tt_status take_request(pctx *c, rec *r, const field *f)
{
    char buf[INGEST_SKELETON_MAX + 1];
    size_t n = ingest_skeleton(&c->s, buf, sizeof buf);
    if (n == 0)
        return c->s.status;
    char *kept = arena_alloc(c->P, n);
    memcpy(kept, buf, n);
    *(tt_str *)((char *)r + f->off) = (tt_str){kept, (uint32_t)n};
    return TT_OK;
}

static tt_status take_field(pctx *c, rec *r, const field *f)
{
    json_scanner *s = &c->s;
    char first = *s->p;
    switch ((enum fkind)f->kind) {
    case F_STR: return take_str(c, r, f, (tt_str *)((char *)r + f->off));
    case F_TIME: return take_time(c, r, f);
    case F_STAMP: return take_stamp(c, r, f);
    case F_REQ: return take_request(c, r, f);
    case F_TRI: return take_tri(c, r, f, (uint8_t *)r + f->off);
    case F_OBJ:
        if (first == '{')
            return walk(c, r, f->sub);
        if (first != 'n' && !f->lenient)
            note_type(r, f->path, "an object", off_of(c, s->p));
        break;
    case F_INSIGHT:
        r->flags |= REC_INSIGHT;
        break;
    case F_RECORDS:
        if (r->inner)
            return take_records(c, r);
        break;
    case F_DIGEST:
        if (r->inner)
            r->flags |= REC_DIGEST;
        break;
    case F_WRAP:
        if (r->inner && first == '{') {
            rec_init(r->inner, r->no, off_of(c, s->p), NULL);
            r->flags |= REC_WRAPPED;
            return walk_record(c, r->inner);
        }
        break;
    }
    return json_skip_value(s);
}

/* The index of key in spec's fields, or -1. Escaped keys are unescaped. */
static int match_key(const objspec *spec, const json_str *k)
{
    char tmp[128];
    size_t bad, n;
    if (!k->escaped)
        return spec->match(k->p, k->n);
    if (k->n > sizeof tmp)
        return -1;
    n = json_unescape(k->p, k->n, tmp, &bad);
    return n == (size_t)-1 ? -1 : spec->match(tmp, n);
}

/* Walks the object at p, taking spec's fields into r. Recursion is bounded
 * by the nesting of the specs (four levels). */
static tt_status walk(pctx *c, rec *r, const objspec *spec)
{
    json_scanner *s = &c->s;
    json_str key;
    int more;
    if (json_open(s) != TT_OK)
        return s->status;
    for (int first = 1; (more = json_obj_next(s, &key, first)) > 0; first = 0) {
        int i = match_key(spec, &key);
        tt_status st = i < 0 ? json_skip_value(s) : take_field(c, r, &spec->fields[i]);
        if (st != TT_OK)
            return st;
    }
    return more < 0 ? s->status : TT_OK;
}

/* Walks an event object at p and records where its bytes are. */
static tt_status walk_record(pctx *c, rec *r)
{
    tt_status st = walk(c, r, &EVENT);
    if (st != TT_OK)
        return st;
    size_t len = off_of(c, c->s.p) - r->off;
    if (len > UINT32_MAX)
        note(r, TT_ERR_LIMIT, P_HUGE, "", r->off);
    r->len = len;
    return TT_OK;
}

/* Hands out r's event, or reports what is wrong with it. */
static tt_status finish(pctx *c, rec *r)
{
    if (!(r->flags & REC_TIME) && (r->flags & REC_STAMP)) {
        r->ev.time_ms = r->stamp_ms;
        r->flags |= REC_TIME;
    }
    if (r->pb.st == TT_OK && !(r->flags & REC_TIME))
        note(r, TT_ERR_FORMAT, P_NOTIME, "eventTime", r->off);
    if (r->pb.st != TT_OK)
        return leave_out(c, r);
    if (!r->ev.source_identity.p)
        r->ev.source_identity = r->ui_source_identity;
    if (!r->ev.request_shape.n)
        r->ev.request_shape = (tt_str){"{}", 2};
    r->ev.raw_off = r->off;
    r->ev.raw_len = (uint32_t)r->len;
    if (push_event(c->P, &r->ev) != 0)
        return tt_fail(c->err, TT_ERR_LIMIT,
                       "record %zu (byte %zu): past %zu records, whose parsed events would take"
                       " more than the %zu MiB this object may hold (records of %zu bytes"
                       " on average)",
                       r->no, r->off, c->P->nev, c->P->max_ev_bytes >> 20,
                       r->off / (c->P->nev ? c->P->nev : 1));
    return TT_OK;
}

/* One element of a Records array or of a top-level array. */
static tt_status parse_record(pctx *c, size_t no, int in_delivery)
{
    rec r;
    rec_init(&r, no, off_of(c, c->s.p), NULL);
    if (*c->s.p != '{') {
        note(&r, TT_ERR_FORMAT, P_NOTOBJ, "", r.off);
        tt_status st = json_skip_value(&c->s);
        return st != TT_OK ? st : leave_out(c, &r);
    }
    tt_status st = walk_record(c, &r);
    if (st != TT_OK)
        return st;
    if (in_delivery && (r.flags & REC_INSIGHT)) {
        c->insight = 1;
        return TT_OK;
    }
    return finish(c, &r);
}

/* The elements of an array at p, each an event object. */
static tt_status parse_array(pctx *c, int in_delivery)
{
    json_scanner *s = &c->s;
    size_t no = 0;
    int more;
    if (json_open(s) != TT_OK)
        return s->status;
    for (int first = 1; (more = json_arr_next(s, first)) > 0; first = 0) {
        tt_status st = parse_record(c, ++no, in_delivery);
        if (st != TT_OK)
            return st;
    }
    return more < 0 ? s->status : TT_OK;
}

/* The value of a top-level "Records" key. */
static tt_status take_records(pctx *c, rec *r)
{
    json_scanner *s = &c->s;
    size_t line, col, off = off_of(c, s->p);
    if (*s->p != '[') {
        json_position(s->buf, off, &line, &col);
        return tt_fail(c->err, TT_ERR_FORMAT,
                       "byte %zu (line %zu, column %zu): Records is not an array "
                       "(it is %s)", off, line, col, type_name(*s->p));
    }
    r->flags |= REC_RECORDS;
    return parse_array(c, 1);
}

/* ---- top-level shapes ---- */

enum { TOP_EVENT, TOP_DELIVERY, TOP_DIGEST };

/* A top-level object: a delivery or digest object, an event, or an
 * {"event":{...}} wrapper (when it has no eventTime of its own). */
static tt_status parse_top_object(pctx *c, size_t no, int *cls)
{
    rec outer, inner;
    rec_init(&outer, no, off_of(c, c->s.p), &inner);
    tt_status st = walk_record(c, &outer);
    if (st != TT_OK)
        return st;
    if (outer.flags & REC_RECORDS) {
        *cls = TOP_DELIVERY;
        return TT_OK;
    }
    if (outer.flags & REC_DIGEST) {
        *cls = TOP_DIGEST;
        return TT_OK;
    }
    *cls = TOP_EVENT;
    if (!(outer.flags & REC_TIME) && (outer.flags & REC_WRAPPED))
        return finish(c, &inner);
    return finish(c, &outer);
}

static tt_status expect_end(pctx *c)
{
    if (json_peek(&c->s) >= 0)
        return json_fail(&c->s, c->s.p, TT_ERR_FORMAT, "expected end of input");
    return TT_OK;
}

/* After a first event object: more values make the input NDJSON, one
 * event (or wrapper) per line. */
static tt_status parse_ndjson_rest(pctx *c)
{
    json_scanner *s = &c->s;
    int cls;
    for (size_t no = 2;; no++) {
        const char *prev = s->p;
        if (json_peek(s) < 0)
            return TT_OK;
        if (!memchr(prev, '\n', (size_t)(s->p - prev)))
            return json_fail(s, s->p, TT_ERR_FORMAT,
                             "expected end of input or a newline before the "
                             "next NDJSON record");
        if (!json_value_start((unsigned char)*s->p))
            return json_fail(s, s->p, TT_ERR_FORMAT, "expected a value");
        tt_status st;
        if (*s->p != '{') { /* left out as "not an object" */
            if ((st = parse_record(c, no, 0)) != TT_OK)
                return st;
            continue;
        }
        st = parse_top_object(c, no, &cls);
        if (st != TT_OK)
            return st;
        if (cls != TOP_EVENT)
            return tt_fail(c->err, TT_ERR_FORMAT,
                           "record %zu: a Records or digest object inside NDJSON",
                           no);
    }
}

/* After a first {"Records":...} or digest object: more objects may follow,
 * one after another with or without whitespace between them (`zcat *.gz`
 * concatenates delivery objects). Each must be a delivery or digest
 * object. A document of insight records keeps none of its records; the
 * input is an insight (digest) object when every document is one. */
static tt_status parse_documents(pctx *c, int cls, ingest_kind *kind)
{
    json_scanner *s = &c->s;
    size_t ndigest = 0, ninsight = 0, start = 0;
    tt_status st;
    for (;;) {
        c->P->ndocs++;
        if (cls == TOP_DIGEST) {
            ndigest++;
        } else if (c->insight) {
            ninsight++;
            c->P->nev = start;
        }
        c->insight = 0;
        if (json_peek(s) < 0)
            break;
        if (*s->p != '{')
            return json_fail(s, s->p, TT_ERR_FORMAT,
                             "expected end of input or another {\"Records\":[...]} object");
        c->doc++;
        c->doc_off = off_of(c, s->p);
        start = c->P->nev;
        if ((st = parse_top_object(c, 1, &cls)) != TT_OK)
            return st;
        if (cls == TOP_EVENT)
            return tt_fail(c->err, TT_ERR_FORMAT,
                           "an event object after a {\"Records\":[...]} object (expected "
                           "another {\"Records\":[...]} object or end of input)");
    }
    if (ndigest == c->P->ndocs)
        *kind = INGEST_KIND_DIGEST;
    else if (ndigest + ninsight == c->P->ndocs)
        *kind = INGEST_KIND_INSIGHT;
    if (*kind != INGEST_KIND_EVENTS)
        c->P->nev = c->P->nbad = 0;
    return TT_OK;
}

static tt_status parse_top(pctx *c, ingest_kind *kind)
{
    json_scanner *s = &c->s;
    int cls, ch = json_peek(s);
    tt_status st;
    if (ch < 0)
        return tt_fail(c->err, TT_ERR_FORMAT, "empty object");
    if (ch == '[') {
        st = parse_array(c, 0);
        return st != TT_OK ? st : expect_end(c);
    }
    if (ch != '{')
        return json_fail(s, s->p, TT_ERR_FORMAT,
                         "expected an object or an array of CloudTrail events");
    st = parse_top_object(c, 1, &cls);
    if (st != TT_OK)
        return st;
    if (cls == TOP_EVENT)
        return parse_ndjson_rest(c);
    return parse_documents(c, cls, kind);
}

/* The position of a record for messages: "record 17 (byte 5120)", with
 * its document first when the input held several. */
static void bad_where(const ingest_parser *p, const ingest_bad *b, char *out, size_t n)
{
    if (p->ndocs > 1)
        snprintf(out, n, "document %zu, record %zu (byte %zu)", b->doc, b->no, b->off);
    else
        snprintf(out, n, "record %zu (byte %zu)", b->no, b->off);
}

size_t ingest_parser_left_out(const ingest_parser *p)
{
    return p->nbad;
}

int ingest_parser_left_out_text(const ingest_parser *p, size_t i, int why, char *out, size_t n)
{
    char where[96];
    if (i >= p->nbad || i >= INGEST_BAD_KEPT)
        return -1;
    bad_where(p, &p->bad[i], where, sizeof where);
    if (why)
        snprintf(out, n, "%s: %s", where, p->bad[i].what);
    else
        snprintf(out, n, "%s", where);
    return 0;
}

/* Every record was left out: the object is rejected with the first one's
 * reason (and how many more there were). */
static tt_status all_left_out(ingest_parser *p, tt_error *err)
{
    char first[INGEST_BAD_WHAT + 128];
    ingest_parser_left_out_text(p, 0, 1, first, sizeof first);
    if (p->nbad == 1)
        return tt_fail(err, p->bad[0].st, "%s", first);
    return tt_fail(err, p->bad[0].st, "%s; and %zu more records with problems: no record is "
                   "usable", first, p->nbad - 1);
}

tt_status ingest_parse_object(ingest_parser *p, const char *buf, size_t len,
                              ingest_kind *kind, const tt_event **events,
                              size_t *nevents, tt_error *err)
{
    pctx c = {.P = p, .err = err, .doc = 1};
    tt_status st;
    p->nev = p->nbad = p->ndocs = 0;
    p->cur = p->head;
    p->head->used = 0;
    *kind = INGEST_KIND_EVENTS;
    *events = NULL;
    *nevents = 0;
    if (len == 0) /* buf may then be NULL: no pointer arithmetic on it */
        return tt_fail(err, TT_ERR_FORMAT, "empty object");
    json_init(&c.s, buf, len, INGEST_MAX_DEPTH);
    st = parse_top(&c, kind);
    if (st == TT_OK && p->nev == 0 && p->nbad > 0) {
        st = all_left_out(p, err);
        p->nbad = 0;
        return st;
    }
    if (st != TT_OK) {
        if (c.s.status != TT_OK)
            json_format_error(&c.s, err);
        if (c.doc > 1) {
            char msg[TT_ERRMSG_MAX];
            snprintf(msg, sizeof msg, "%s", err->msg);
            tt_fail(err, st, "document %zu (from byte %zu): %s", c.doc, c.doc_off, msg);
        }
        p->nev = p->nbad = 0;
        return st;
    }
    *events = p->ev;
    *nevents = p->nev;
    return TT_OK;
}
