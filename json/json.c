/*
 * json.c - the strict JSON scanner: string bodies are skipped 16 bytes at a
 * time with SSE2 (scalar fallback), non-ASCII bytes take a UTF-8 check, and
 * skipped values are walked by an iterative state machine whose explicit
 * stack is bounded by the depth cap. Nothing is read past the buffer.
 */
#include "json.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

typedef const uint8_t *bp;

/* Where and why a hot-path helper failed; written only on failure. */
typedef struct fail {
    bp at;
    const char *what;
    tt_status st;
} fail;

static const char E_VALUE[] = "expected a value";
static const char E_KEY[] = "expected a string key";
static const char E_KEY_OR_END[] = "expected a string key or '}'";
static const char E_COLON[] = "expected ':'";
static const char E_OBJ_NEXT[] = "expected ',' or '}'";
static const char E_ARR_NEXT[] = "expected ',' or ']'";
static const char E_UNTERMINATED[] = "unterminated string";
static const char E_CONTROL[] = "control character in a string (it must be escaped)";
static const char E_ESCAPE[] = "invalid escape in a string";
static const char E_UTF8[] = "invalid UTF-8 in a string";
static const char E_DIGIT[] = "expected a digit";
static const char E_LITERAL[] = "expected true, false or null";
static const char E_DEPTH[] = "nesting deeper than the cap";
static const char E_TRAILING[] = "expected end of input";

static __attribute__((noinline, cold)) bp set_fail(fail *f, bp at, tt_status st,
                                                   const char *what)
{
    f->at = at;
    f->st = st;
    f->what = what;
    return NULL;
}

/* Bytes that end a run of plain string bytes: '"', '\\', controls, non-ASCII. */
static const uint8_t STR_STOP[256] = {
    [0 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1, [0x80 ... 0xff] = 1,
};

static inline int is_ws(uint8_t c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

static bp ws_run(bp p, bp end)
{
#ifdef __SSE2__
    const __m128i sp = _mm_set1_epi8(' '), nl = _mm_set1_epi8('\n');
    const __m128i cr = _mm_set1_epi8('\r'), tab = _mm_set1_epi8('\t');
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)p);
        __m128i m = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(v, nl)),
            _mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, tab)));
        unsigned other = (unsigned)_mm_movemask_epi8(m) ^ 0xffffu;
        if (other)
            return p + __builtin_ctz(other);
        p += 16;
    }
#endif
    while (p < end && is_ws(*p))
        p++;
    return p;
}

static inline bp ws(bp p, bp end)
{
    if (p < end && *p > ' ')
        return p;
    return ws_run(p, end);
}

const char *json_ws(const char *p, const char *end)
{
    return (const char *)ws((bp)p, (bp)end);
}

/* Asks for the input a little ahead of the cursor, once per object member:
 * on the machines measured, the hardware prefetcher alone left the scan
 * stalled on memory for objects larger than the cache (+10-15%). */
#define PREFETCH_DISTANCE 1536
static inline void ahead(bp p, bp end)
{
    if (end - p > PREFETCH_DISTANCE)
        __builtin_prefetch(p + PREFETCH_DISTANCE);
}

static inline int hexval(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* p at '\\'. Returns the byte after the escape. */
static inline bp scan_escape(bp p, bp end, fail *f)
{
    if (end - p < 2)
        return set_fail(f, p, TT_ERR_FORMAT, E_UNTERMINATED);
    switch (p[1]) {
    case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
        return p + 2;
    case 'u':
        if (end - p < 6)
            return set_fail(f, p, TT_ERR_FORMAT, E_ESCAPE);
        if ((hexval(p[2]) | hexval(p[3]) | hexval(p[4]) | hexval(p[5])) < 0)
            return set_fail(f, p, TT_ERR_FORMAT, E_ESCAPE);
        return p + 6;
    default:
        return set_fail(f, p, TT_ERR_FORMAT, E_ESCAPE);
    }
}

/* p at a byte >= 0x80. Returns the byte after one well-formed UTF-8
 * sequence (RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF). */
static inline bp scan_utf8(bp p, bp end, fail *f)
{
    uint8_t c = p[0];
    ptrdiff_t left = end - p;
    if (c >= 0xc2 && c <= 0xdf) {
        if (left >= 2 && (p[1] & 0xc0) == 0x80)
            return p + 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        uint8_t lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
        if (left >= 3 && p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80)
            return p + 3;
    } else if (c >= 0xf0 && c <= 0xf4) {
        uint8_t lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
        if (left >= 4 && p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80 &&
            (p[3] & 0xc0) == 0x80)
            return p + 4;
    }
    return set_fail(f, p, TT_ERR_FORMAT, E_UTF8);
}

/* The byte after the closing quote of the string whose body starts at p,
 * when no escape, control or non-ASCII byte comes first; otherwise NULL
 * with *stop at the first such byte (or at end). The quote is told apart
 * from the other stops by its own mask, so that the hot path never has to
 * reload the byte it found. */
static inline __attribute__((always_inline)) bp str_fast(bp p, bp end, bp *stop)
{
#ifdef __SSE2__
    const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(' ');
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)p);
        unsigned q = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote));
        /* Signed compare: controls and bytes >= 0x80 are both "< ' '". */
        unsigned o = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_cmpeq_epi8(v, bslash), _mm_cmplt_epi8(v, space)));
        if (q | o) {
            if (q && (((q & -q) - 1) & o) == 0)
                return p + __builtin_ctz(q) + 1;
            *stop = p + __builtin_ctz(o);
            return NULL;
        }
        p += 16;
    }
#endif
    while (p < end && !STR_STOP[*p])
        p++;
    if (p < end && *p == '"')
        return p + 1;
    *stop = p;
    return NULL;
}

/* p just past an opening quote. Returns the byte past the closing quote;
 * *esc is set when the body holds a backslash. */
static inline __attribute__((always_inline)) bp scan_str(bp p, bp end, int *esc, fail *f)
{
    bp done;
    while ((done = str_fast(p, end, &p)) == NULL) {
        if (p == end)
            return set_fail(f, p, TT_ERR_FORMAT, E_UNTERMINATED);
        uint8_t c = *p;
        if (c == '\\') {
            *esc = 1;
            p = scan_escape(p, end, f);
        } else if (c < 0x20) {
            return set_fail(f, p, TT_ERR_FORMAT, E_CONTROL);
        } else {
            p = scan_utf8(p, end, f);
        }
        if (!p)
            return NULL;
    }
    return done;
}

static inline int is_digit(uint8_t c)
{
    return (uint8_t)(c - '0') < 10;
}

static inline bp digits(bp p, bp end)
{
    while (p < end && is_digit(*p))
        p++;
    return p;
}

/* p at '-' or a digit. */
static inline bp scan_num(bp p, bp end, fail *f)
{
    if (*p == '-')
        p++;
    if (p == end || !is_digit(*p))
        return set_fail(f, p, TT_ERR_FORMAT, E_DIGIT);
    p = *p == '0' ? p + 1 : digits(p + 1, end);
    if (p < end && *p == '.') {
        p++;
        if (p == end || !is_digit(*p))
            return set_fail(f, p, TT_ERR_FORMAT, E_DIGIT);
        p = digits(p, end);
    }
    if (p < end && (*p | 0x20) == 'e') {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p == end || !is_digit(*p))
            return set_fail(f, p, TT_ERR_FORMAT, E_DIGIT);
        p = digits(p, end);
    }
    return p;
}

static inline bp scan_lit(bp p, bp end, const char *word, size_t n, fail *f)
{
    if ((size_t)(end - p) >= n && memcmp(p, word, n) == 0)
        return p + n;
    return set_fail(f, p, TT_ERR_FORMAT, E_LITERAL);
}

/*
 * Skips one value at p (after whitespace). room is how many containers may
 * still be opened. The stack holds the closing byte of each open container.
 */
static bp skip_any(bp p, bp end, int room, fail *f)
{
    uint8_t stk[JSON_DEPTH_LIMIT];
    int sp = 0, esc = 0;

value:
    p = ws(p, end);
    if (p == end)
        return set_fail(f, p, TT_ERR_FORMAT, E_VALUE);
    /* Strings are most values: tested before the switch's jump table. */
    if (*p == '"') {
        p = scan_str(p + 1, end, &esc, f);
        goto ended;
    }
    switch (*p) {
    case '{':
        if (sp >= room)
            return set_fail(f, p, TT_ERR_LIMIT, E_DEPTH);
        stk[sp++] = '}';
        p = ws(p + 1, end);
        if (p < end && *p == '}') {
            sp--;
            p++;
            break;
        }
        if (p == end || *p != '"')
            return set_fail(f, p, TT_ERR_FORMAT, E_KEY_OR_END);
        goto key;
    case '[':
        if (sp >= room)
            return set_fail(f, p, TT_ERR_LIMIT, E_DEPTH);
        stk[sp++] = ']';
        p = ws(p + 1, end);
        if (p < end && *p == ']') {
            sp--;
            p++;
            break;
        }
        goto value;
    case 't':
        p = scan_lit(p, end, "true", 4, f);
        break;
    case 'f':
        p = scan_lit(p, end, "false", 5, f);
        break;
    case 'n':
        p = scan_lit(p, end, "null", 4, f);
        break;
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        p = scan_num(p, end, f);
        break;
    default:
        return set_fail(f, p, TT_ERR_FORMAT, E_VALUE);
    }
ended:
    if (!p)
        return NULL;

next: /* a value just ended */
    if (sp == 0)
        return p;
    p = ws(p, end);
    if (p < end && *p == ',') {
        p = ws(p + 1, end);
        if (stk[sp - 1] == ']')
            goto value;
        if (p == end || *p != '"')
            return set_fail(f, p, TT_ERR_FORMAT, E_KEY);
        goto key;
    }
    if (p < end && *p == stk[sp - 1]) {
        sp--;
        p++;
        goto next;
    }
    return set_fail(f, p, TT_ERR_FORMAT,
                    stk[sp - 1] == '}' ? E_OBJ_NEXT : E_ARR_NEXT);

key: /* p at the opening quote of a member name */
    ahead(p, end);
    p = scan_str(p + 1, end, &esc, f);
    if (!p)
        return NULL;
    p = ws(p, end);
    if (p == end || *p != ':')
        return set_fail(f, p, TT_ERR_FORMAT, E_COLON);
    p++;
    goto value;
}

void json_init(json_scanner *s, const char *buf, size_t len, int max_depth)
{
    s->buf = buf;
    s->end = buf + len;
    s->p = buf;
    s->depth = 0;
    s->max_depth = max_depth < JSON_DEPTH_LIMIT ? max_depth : JSON_DEPTH_LIMIT;
    s->status = TT_OK;
    s->err_off = 0;
    s->err_what = NULL;
}

tt_status json_fail(json_scanner *s, const char *at, tt_status st,
                    const char *what)
{
    s->status = st;
    s->err_off = (size_t)(at - s->buf);
    s->err_what = what;
    return st;
}

static tt_status from_fail(json_scanner *s, const fail *f)
{
    return json_fail(s, (const char *)f->at, f->st, f->what);
}

tt_status json_skip_value(json_scanner *s)
{
    fail f;
    bp p = skip_any((bp)s->p, (bp)s->end, s->max_depth - s->depth, &f);
    if (!p)
        return from_fail(s, &f);
    s->p = (const char *)p;
    return TT_OK;
}

tt_status json_validate(json_scanner *s)
{
    if (json_skip_value(s) != TT_OK)
        return s->status;
    if (json_peek(s) >= 0)
        return json_fail(s, s->p, TT_ERR_FORMAT, E_TRAILING);
    return TT_OK;
}

tt_status json_string(json_scanner *s, json_str *out)
{
    fail f;
    int esc = 0;
    bp body = (bp)s->p + 1;
    bp p = scan_str(body, (bp)s->end, &esc, &f);
    if (!p)
        return from_fail(s, &f);
    out->p = (const char *)body;
    out->n = (size_t)(p - 1 - body);
    out->escaped = esc;
    s->p = (const char *)p;
    return TT_OK;
}

tt_status json_open(json_scanner *s)
{
    if (s->depth >= s->max_depth)
        return json_fail(s, s->p, TT_ERR_LIMIT, E_DEPTH);
    s->depth++;
    s->p++;
    return TT_OK;
}

/* The bytes that may start a value: " { [ t f n - and the digits. */
static const uint8_t VALUE_START[256] = {
    ['"'] = 1, ['{'] = 1, ['['] = 1, ['t'] = 1, ['f'] = 1, ['n'] = 1, ['-'] = 1,
    ['0' ... '9'] = 1,
};

/* Records a failure of the stepping functions; returns -1 for them. */
static __attribute__((noinline, cold)) int step_fail(json_scanner *s, bp at,
                                                     const char *what)
{
    json_fail(s, (const char *)at, TT_ERR_FORMAT, what);
    return -1;
}

/* p after a ',' or '[' or ':'. Leaves s->p at a byte that can start a
 * value (p < end) or fails, so that callers may name a value's type from
 * its first byte. */
static inline int at_value(json_scanner *s, bp p, bp end)
{
    p = ws(p, end);
    if (p == end || !VALUE_START[*p])
        return step_fail(s, p, E_VALUE);
    s->p = (const char *)p;
    return 1;
}

/* The cursor is kept in a local from start to end, and each step tests
 * the byte that compact input (what AWS writes) has there before falling
 * back to skipping whitespace. */
int json_obj_next(json_scanner *s, json_str *key, int first)
{
    bp p = ws((bp)s->p, (bp)s->end), end = (bp)s->end, body;
    fail f;
    int esc = 0;
    if (p < end && *p == ',' && !first) {
        p = ws(p + 1, end);
    } else if (p < end && *p == '}') {
        s->p = (const char *)p + 1;
        s->depth--;
        return 0;
    } else if (!first) {
        return step_fail(s, p, E_OBJ_NEXT);
    }
    if (p == end || *p != '"')
        return step_fail(s, p, first ? E_KEY_OR_END : E_KEY);
    ahead(p, end);
    body = p + 1;
    p = scan_str(body, end, &esc, &f);
    if (!p) {
        from_fail(s, &f);
        return -1;
    }
    key->p = (const char *)body;
    key->n = (size_t)(p - 1 - body);
    key->escaped = esc;
    p = ws(p, end);
    if (p == end || *p != ':')
        return step_fail(s, p, E_COLON);
    return at_value(s, p + 1, end);
}

int json_arr_next(json_scanner *s, int first)
{
    bp p = ws((bp)s->p, (bp)s->end), end = (bp)s->end;
    if (p < end && *p == ',' && !first)
        return at_value(s, p + 1, end);
    if (p < end && *p == ']') {
        s->p = (const char *)p + 1;
        s->depth--;
        return 0;
    }
    if (!first)
        return step_fail(s, p, E_ARR_NEXT);
    return at_value(s, p, end);
}

/* Writes code point cp as UTF-8; returns the bytes written. */
static size_t put_utf8(char *d, uint32_t cp)
{
    if (cp < 0x80) {
        d[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        d[0] = (char)(0xc0 | cp >> 6);
        d[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        d[0] = (char)(0xe0 | cp >> 12);
        d[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        d[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    d[0] = (char)(0xf0 | cp >> 18);
    d[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    d[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    d[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

static uint32_t hex4(const char *p)
{
    return (uint32_t)(hexval((uint8_t)p[0]) << 12 | hexval((uint8_t)p[1]) << 8 |
                      hexval((uint8_t)p[2]) << 4 | hexval((uint8_t)p[3]));
}

/* raw[i] is 'u' of a validated \u escape. Returns the code point and sets
 * *used to the bytes consumed after the backslash, or -1 for a lone
 * surrogate. */
static int64_t unescape_u(const char *raw, size_t n, size_t i, size_t *used)
{
    uint32_t cp = hex4(raw + i + 1);
    *used = 5;
    if (cp >= 0xdc00 && cp <= 0xdfff)
        return -1;
    if (cp < 0xd800 || cp > 0xdbff)
        return cp;
    if (n - i < 11 || raw[i + 5] != '\\' || raw[i + 6] != 'u')
        return -1;
    uint32_t lo = hex4(raw + i + 7);
    if (lo < 0xdc00 || lo > 0xdfff)
        return -1;
    *used = 11;
    return 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
}

static char simple_escape(char c)
{
    switch (c) {
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    default: return c; /* '"', '\\', '/' */
    }
}

size_t json_unescape(const char *raw, size_t n, char *dst, size_t *bad)
{
    size_t i = 0, o = 0;
    while (i < n) {
        const char *bs = memchr(raw + i, '\\', n - i);
        size_t run = bs ? (size_t)(bs - raw) - i : n - i;
        memmove(dst + o, raw + i, run);
        o += run;
        i += run;
        if (i == n)
            break;
        if (raw[i + 1] != 'u') {
            dst[o++] = simple_escape(raw[i + 1]);
            i += 2;
            continue;
        }
        size_t used;
        int64_t cp = unescape_u(raw, n, i + 1, &used);
        if (cp < 0) {
            *bad = i;
            return (size_t)-1;
        }
        o += put_utf8(dst + o, (uint32_t)cp);
        i += 1 + used;
    }
    return o;
}

void json_position(const char *buf, size_t off, size_t *line, size_t *col)
{
    size_t ln = 1, start = 0;
    const char *p = buf, *end = buf + off, *nl;
    while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        ln++;
        start = (size_t)(nl - buf) + 1;
        p = nl + 1;
    }
    *line = ln;
    *col = off - start + 1;
}

void json_quote(char *dst, size_t cap, const char *p, size_t n, size_t max)
{
    size_t o = 0, i;
    if (cap == 0)
        return;
    dst[o++] = '"';
    for (i = 0; i < n && i < max && o + 8 < cap; i++) {
        uint8_t c = (uint8_t)p[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
            dst[o++] = (char)c;
        else if (c == '"' || c == '\\')
            o += (size_t)snprintf(dst + o, cap - o, "\\%c", c);
        else
            o += (size_t)snprintf(dst + o, cap - o, "\\x%02X", c);
    }
    if (o + 1 < cap)
        dst[o++] = '"';
    if (i < n && o + 3 < cap) {
        memcpy(dst + o, "...", 3);
        o += 3;
    }
    dst[o < cap ? o : cap - 1] = '\0';
}

tt_status json_format_error(const json_scanner *s, tt_error *err)
{
    size_t line, col, len = (size_t)(s->end - s->buf);
    char found[200] = "end of input";
    json_position(s->buf, s->err_off, &line, &col);
    if (s->err_off < len)
        json_quote(found, sizeof found, s->buf + s->err_off,
                   len - s->err_off, 40);
    if (s->status == TT_ERR_LIMIT)
        return tt_fail(err, s->status, "byte %zu (line %zu, column %zu): %s (%d levels)",
                       s->err_off, line, col, s->err_what, s->max_depth);
    return tt_fail(err, s->status, "byte %zu (line %zu, column %zu): %s, found %s",
                   s->err_off, line, col, s->err_what, found);
}
