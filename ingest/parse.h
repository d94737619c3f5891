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
 * The whole input must be valid RFC 8259 JSON (strict: see json.h). Any
 * syntax error, a field of the wrong type (e.g. a number for eventName), a
 * missing or unparseable eventTime, or a string over the field cap rejects
 * the whole object: no event of it is handed out.
 * null counts as absent; unknown fields are ignored.
 */
#ifndef TT_PARSE_H
#define TT_PARSE_H

#include "event.h"

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

/* Parses buf[0..len). The buffer need not be NUL-terminated and is never
 * read past len. In one pass it validates the whole input and collects the
 * events into an array owned by the parser.
 * On success returns TT_OK, sets *kind, and points *events at *nevents
 * events (0 for digest and insight objects), valid until the next call on p.
 * On failure returns TT_ERR_FORMAT or TT_ERR_LIMIT, sets *nevents to 0, and
 * err->msg says where, e.g.
 *   "byte 1234 (line 5, column 17): expected ',' or ']'" or
 *   "record 17 (byte 5120): eventTime \"redacted\" is not an ISO 8601 time".
 */
tt_status ingest_parse_object(ingest_parser *p, const char *buf, size_t len,
                              ingest_kind *kind, const tt_event **events,
                              size_t *nevents, tt_error *err);

#endif /* TT_PARSE_H */
