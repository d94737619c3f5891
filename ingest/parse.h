/*
 * parse.h - turning one decompressed CloudTrail object into tt_events.
 *
 * Accepted shapes (detected from the content, not the name):
 *   - the S3 delivery object  {"Records":[ event, ... ]}  (other top-level
 *     keys are validated and ignored);
 *   - a JSON array of events  [ event, ... ];
 *   - NDJSON: one event object per line, blank lines allowed; a line that is
 *     {"event": { ... }} (with other keys beside it) is unwrapped;
 *   - a single event object.
 * CloudTrail digest and insight objects are recognised by their top-level
 * keys ("digestStartTime", or "Records" holding "insightDetails") and are
 * reported as such, not parsed as API calls.
 *
 * Several delivery objects may follow one another, with or without
 * whitespace between them (`zcat *.gz | trailtrim ingest -`): each is a
 * "document", its records numbered from 1 again, and messages name it
 * ("document 3, record 17 (byte 5120): ..."); each must be a delivery or
 * digest object. Digest documents among delivery documents hold no events.
 *
 * The whole input must be valid RFC 8259 JSON (strict: see json.h): a
 * syntax error anywhere rejects the whole object, no event of it handed
 * out. A problem with one record's content (a field of the wrong type,
 * e.g. a number for eventName; a missing or unparseable eventTime; a
 * string over the field cap; an element that is not an object) leaves
 * that record out and the others are handed out: ingest_parser_left_out()
 * counts them and ingest_parser_left_out_text() says where and why. When
 * every record is left out the object is rejected with the first one's
 * reason.
 * null counts as absent; unknown fields are ignored. A record without
 * eventTime but with Logstash's "@timestamp" (ELK exports) takes its time
 * from that.
 *
 * The finer rules:
 *   - NDJSON is recognised when a first event object is followed by more
 *     than whitespace; each further value must start on a new line and be
 *     an event object or an {"event":{...}} wrapper. A wrapper is an object
 *     with no eventTime of its own whose "event" value is an object; its
 *     inner object is the record (raw_off/raw_len point at it).
 *   - Records are numbered from 1 in messages: the elements of "Records"
 *     or of the array, or the values of NDJSON. "byte N" is a 0-based
 *     offset; lines and columns are 1-based, columns counted in bytes.
 *   - An absent or null string field is {NULL, 0}; "" is a non-NULL empty
 *     slice. Duplicate keys: the last one wins.
 *   - readOnly, managementEvent and mfaAuthenticated take a JSON boolean or
 *     the text "true"/"false" (in any case); other text is an error.
 *   - responseElements and its "credentials" are service-defined: a value of
 *     another type there is skipped, not an error. Every other extracted
 *     field (userIdentity and its sessionContext, sessionIssuer and
 *     attributes included) must have its documented type or be null.
 *   - sessionContext.sourceIdentity wins over userIdentity.sourceIdentity.
 *   - An extracted string holding an escaped lone surrogate (\ud800 without
 *     its pair) is an error; in the fields that are only validated it is
 *     accepted. INGEST_MAX_FIELD_BYTES applies to the unescaped length of
 *     extracted strings only.
 *   - Insight records are recognised only inside a "Records" delivery
 *     object (by an "insightDetails" key); in an array or NDJSON they are
 *     ordinary events.
 *   - A type or value problem in a record is reported once that record's
 *     syntax has been checked; a syntax error inside the same record wins.
 */
#ifndef TT_PARSE_H
#define TT_PARSE_H

#include "common/event.h"

#include <stddef.h>

typedef struct ingest_parser ingest_parser;

/* What kind of object the input was. */
typedef enum ingest_kind {
    INGEST_KIND_EVENTS = 0, /* API/console/service events */
    INGEST_KIND_DIGEST,     /* a CloudTrail-Digest object */
    INGEST_KIND_INSIGHT     /* a CloudTrail-Insight object */
} ingest_kind;

/* Caps that bound what one object may make us hold. */
#define INGEST_MAX_DEPTH 64          /* nesting of arrays and objects */
#define INGEST_MAX_FIELD_BYTES 65536 /* one stored string field */

/* Creates a parser with its scratch arena. Never NULL (aborts on OOM). One
 * parser per thread; a parser is not safe to share. */
ingest_parser *ingest_parser_create(void);

/* Frees p. Accepts NULL. */
void ingest_parser_free(ingest_parser *p);

/* Bytes the parser holds (its event array and scratch blocks). */
size_t ingest_parser_bytes(const ingest_parser *p);

/* The most the event array of later parses may take, in bytes (0: no
 * limit). A parse whose records need more fails with TT_ERR_LIMIT at the
 * record past it: a crafted object of tiny records would otherwise make
 * ten times its own size in parsed events. */
void ingest_parser_set_limit(ingest_parser *p, size_t bytes);

/* Frees what it holds beyond keep bytes, between objects. */
void ingest_parser_trim(ingest_parser *p, size_t keep);

/* The events of the last ingest_parse_object(), for their owner to
 * change in place (ingest/pack.h points their strings elsewhere); valid
 * as the const array that call returned. */
tt_event *ingest_parser_events(ingest_parser *p);

/* The records of the last ingest_parse_object() left out for a problem
 * with their content (0 when it failed). */
size_t ingest_parser_left_out(const ingest_parser *p);

/* The first INGEST_BAD_KEPT of them: the i-th's position and, with why,
 * its reason, e.g. "record 17 (byte 5120): eventTime \"x\" is not an ISO
 * 8601 time", into out[0..n). Returns -1 (out untouched) past the kept
 * ones. */
#define INGEST_BAD_KEPT 5
int ingest_parser_left_out_text(const ingest_parser *p, size_t i, int why, char *out,
                                size_t n);

/* One record left out (internal to the parser; in the header for its
 * size). */
#define INGEST_BAD_WHAT 256
typedef struct ingest_bad {
    tt_status st;
    size_t doc, no, off; /* document and record (from 1), byte */
    char what[INGEST_BAD_WHAT];
} ingest_bad;

/* Parses buf[0..len). The buffer need not be NUL-terminated and is never
 * read past len. In one pass it validates the whole input and collects the
 * events into an array owned by the parser.
 * On success returns TT_OK, sets *kind, and points *events at *nevents
 * events (0 for digest and insight objects), valid until the next call on p;
 * records left out for their content are counted apart (above).
 * On failure returns TT_ERR_FORMAT or TT_ERR_LIMIT, sets *nevents to 0, and
 * err->msg says where, e.g.
 *   "byte 1234 (line 5, column 17): expected ',' or ']'" or
 *   "record 17 (byte 5120): eventTime \"redacted\" is not an ISO 8601 time".
 */
tt_status ingest_parse_object(ingest_parser *p, const char *buf, size_t len,
                              ingest_kind *kind, const tt_event **events,
                              size_t *nevents, tt_error *err);

#endif /* TT_PARSE_H */
