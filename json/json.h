/*
 * json.h - a zero-copy, validating JSON scanner (strict RFC 8259).
 *
 * The scanner walks a buffer that need not be NUL-terminated and is never
 * read past its end. It hands out strings as raw slices of the buffer and
 * skips (while fully validating) the values its caller does not want.
 */
#ifndef TT_JSON_H
#define TT_JSON_H

#include "common/tt.h"

#include <stddef.h>

/* The deepest nesting a scanner may be configured for. */
#define JSON_DEPTH_LIMIT 256

/*
 * What "strict" means here:
 *   - a document is one value of any type with only space, tab, LF and CR
 *     around it (no BOM, no comments, no trailing commas);
 *   - numbers follow the RFC grammar: no leading zeros, no "1.", ".5", "+1",
 *     "NaN" or "Infinity" (the value itself is not converted);
 *   - strings must be valid UTF-8: overlong forms, surrogates encoded in
 *     UTF-8 and code points past U+10FFFF are rejected, as are raw control
 *     characters (< 0x20) and escapes other than \" \\ \/ \b \f \n \r \t
 *     and \uXXXX;
 *   - an escaped lone surrogate (\ud800 without its pair) is accepted while
 *     scanning; json_unescape() reports it, so that a caller may reject it
 *     in the strings it keeps;
 *   - nesting deeper than the scanner's max_depth fails with TT_ERR_LIMIT.
 */

/* One scan of one buffer. Fields are read-only to callers, except that
 * p may be read to learn where the next value starts. */
typedef struct json_scanner {
    const char *buf; /* the input's first byte */
    const char *end; /* one past its last byte */
    const char *p;   /* the cursor */
    int depth;       /* arrays and objects opened with json_open() */
    int max_depth;   /* the cap on depth, including what skips nest */
    /* Set by the first failure; later calls are not meaningful. */
    tt_status status;
    size_t err_off;       /* byte offset of the failure */
    const char *err_what; /* static text, e.g. "expected ',' or '}'" */
} json_scanner;

/* A string as it appears between its quotes: raw bytes of the buffer, with
 * escapes still in place when `escaped` is set. */
typedef struct json_str {
    const char *p;
    size_t n;
    int escaped;
} json_str;

/* Starts a scan of buf[0..len). max_depth is clamped to JSON_DEPTH_LIMIT. */
void json_init(json_scanner *s, const char *buf, size_t len, int max_depth);

/* Skips whitespace from p; returns the first other byte or the end. */
const char *json_ws(const char *p, const char *end);

/* Skips whitespace; returns the next byte (0..255), or -1 at the end. */
static inline int json_peek(json_scanner *s)
{
    if (s->p < s->end && (unsigned char)*s->p > ' ')
        return (unsigned char)*s->p;
    s->p = json_ws(s->p, s->end);
    return s->p < s->end ? (unsigned char)*s->p : -1;
}

/* Whether byte c may start a JSON value: " { [ t f n - or a digit. */
static inline int json_value_start(int c)
{
    return c == '"' || c == '{' || c == '[' || c == 't' || c == 'f' ||
           c == 'n' || c == '-' || (c >= '0' && c <= '9');
}

/* Records a failure at `at` (a pointer into the buffer) and returns st. */
tt_status json_fail(json_scanner *s, const char *at, tt_status st,
                    const char *what);

/* Validates the whole buffer as one JSON document. */
tt_status json_validate(json_scanner *s);

/* Validates and skips one value; whitespace before it is skipped, the
 * whitespace after it is not. */
tt_status json_skip_value(json_scanner *s);

/* p must be at '"' (as json_peek() saw). Validates the string, sets *out to
 * its raw body and leaves p past the closing quote. */
tt_status json_string(json_scanner *s, json_str *out);

/* p must be at '{' or '['. Consumes it and counts one level of depth;
 * TT_ERR_LIMIT past max_depth. */
tt_status json_open(json_scanner *s);

/* Steps through an object opened with json_open(). `first` is 1 for the
 * first call after json_open(), 0 after. Returns 1 with *key set and p at
 * the member's value (whitespace skipped, p < end, and *p one of the bytes
 * that may start a value: " { [ t f n - 0-9), 0 when the closing
 * '}' was consumed (depth drops by one), or -1 on a syntax error. */
int json_obj_next(json_scanner *s, json_str *key, int first);

/* The same for arrays: 1 with p at the next element (as above), 0 when
 * ']' was consumed, -1 on error. */
int json_arr_next(json_scanner *s, int first);

/* Undoes the escapes of a string body that json_string() validated, into
 * dst (which needs n bytes: unescaping never grows a string). Returns the
 * unescaped length, or (size_t)-1 when the string holds an escaped lone
 * surrogate, with *bad set to its offset in raw. */
size_t json_unescape(const char *raw, size_t n, char *dst, size_t *bad);

/* Line and column (1-based, columns in bytes) of buf[off]. Scans buf[0..off). */
void json_position(const char *buf, size_t off, size_t *line, size_t *col);

/* Writes at most `max` bytes of p[0..n) into dst as a double-quoted string,
 * printable ASCII as is and every other byte as \xHH, with "..." after the
 * closing quote when cut short. Always NUL-terminates (cap > 0). */
void json_quote(char *dst, size_t cap, const char *p, size_t n, size_t max);

/* Formats the scanner's failure into err as
 * "byte N (line L, column C): <what>, found <text>". Returns s->status. */
tt_status json_format_error(const json_scanner *s, tt_error *err);

#endif /* TT_JSON_H */
