/*
 * lint.c - gen_policy_lint (policy.h): a strict little JSON reader that
 * keeps only what a policy check needs, and the checks themselves. It
 * trusts nothing about how the document was made: the CLI lints every
 * document it writes, and tests lint documents made to be wrong.
 */
#include "policy.h"
#include "cimap.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINT_MAX_DEPTH 32
#define LINT_MAX_STRING 4096

typedef struct lint {
    const char *p, *end;
    const gen_catalog *cat;
    tt_error *err;
    tt_status st;
    size_t size;         /* characters IAM counts */
    gen_cimap seen;      /* distinct actions allowed */
    gen_cimap sids;
    char **owned;        /* strings the maps borrow */
    size_t nowned, aowned;
} lint;

typedef enum { J_NONE, J_STR, J_OBJ, J_ARR, J_OTHER } jtype;

static int fail(lint *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(lint *l, const char *fmt, ...)
{
    if (l->st == TT_OK) {
        char msg[TT_ERRMSG_MAX];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        l->st = tt_fail(l->err, TT_ERR_FORMAT, "%s", msg);
    }
    return -1;
}

static void ws(lint *l)
{
    while (l->p < l->end && (*l->p == ' ' || *l->p == '\t' || *l->p == '\n' || *l->p == '\r'))
        l->p++;
}

/* After a member or an element: consumes ',' (1: more follow) or close
 * (0: the container ended); anything else fails, naming what was expected
 * besides ',' (-1). */
static int next_or_close(lint *l, char close, const char *expected)
{
    ws(l);
    if (l->p < l->end && *l->p == ',') {
        l->p++;
        return 1;
    }
    if (l->p < l->end && *l->p == close) {
        l->p++;
        return 0;
    }
    return fail(l, "policy: expected ',' or %s", expected);
}

/* Reads a string into buf (decoded; \u escapes of the BMP as UTF-8). */
static int read_string(lint *l, char *buf, size_t n)
{
    size_t used = 0;
    if (l->p >= l->end || *l->p != '"')
        return fail(l, "policy: expected a string%s", "");
    l->p++;
    while (l->p < l->end && *l->p != '"') {
        unsigned char c = (unsigned char)*l->p++;
        unsigned cp = c;
        if (c < 0x20)
            return fail(l, "policy: a control character in a string%s", "");
        if (c == '\\') {
            if (l->p >= l->end)
                break;
            char e = *l->p++;
            const char *map = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
            const char *k = strchr(map, e);
            if (e == 'u') {
                if (l->end - l->p < 4)
                    return fail(l, "policy: a bad \\u escape%s", "");
                char hex[5] = {l->p[0], l->p[1], l->p[2], l->p[3], 0};
                char *endp;
                cp = (unsigned)strtoul(hex, &endp, 16);
                if (*endp)
                    return fail(l, "policy: a bad \\u escape%s", "");
                l->p += 4;
            } else if (k && e) {
                cp = (unsigned char)to[k - map];
            } else {
                return fail(l, "policy: a bad escape in a string%s", "");
            }
        }
        char u[3];
        size_t un = 0;
        if (cp < 0x80 || c != '\\') {
            u[un++] = (char)cp;
        } else if (cp < 0x800) {
            u[un++] = (char)(0xc0 | (cp >> 6));
            u[un++] = (char)(0x80 | (cp & 0x3f));
        } else {
            u[un++] = (char)(0xe0 | (cp >> 12));
            u[un++] = (char)(0x80 | ((cp >> 6) & 0x3f));
            u[un++] = (char)(0x80 | (cp & 0x3f));
        }
        if (used + un + 1 > n)
            return fail(l, "policy: a string over the lint's cap%s", "");
        memcpy(buf + used, u, un);
        used += un;
    }
    if (l->p >= l->end)
        return fail(l, "policy: an unterminated string%s", "");
    l->p++;
    buf[used] = '\0';
    return 0;
}

static int skip_value(lint *l, int depth);

static int skip_literal(lint *l)
{
    static const char *const lits[] = {"true", "false", "null"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(lits[i]);
        if ((size_t)(l->end - l->p) >= n && memcmp(l->p, lits[i], n) == 0) {
            l->p += n;
            return 0;
        }
    }
    const char *s = l->p;
    if (l->p < l->end && *l->p == '-')
        l->p++;
    while (l->p < l->end && strchr("0123456789.eE+-", *l->p))
        l->p++;
    return l->p > s ? 0 : fail(l, "policy: not JSON%s", "");
}

/* Skips any value (for Condition and the like), checking its syntax. */
static int skip_value(lint *l, int depth)
{
    char tmp[LINT_MAX_STRING];
    if (depth > LINT_MAX_DEPTH)
        return fail(l, "policy: nested too deep%s", "");
    ws(l);
    if (l->p >= l->end)
        return fail(l, "policy: truncated%s", "");
    if (*l->p == '"')
        return read_string(l, tmp, sizeof tmp);
    if (*l->p != '{' && *l->p != '[')
        return skip_literal(l);
    char close = *l->p == '{' ? '}' : ']';
    int obj = close == '}';
    l->p++;
    ws(l);
    if (l->p < l->end && *l->p == close) {
        l->p++;
        return 0;
    }
    for (;;) {
        if (obj) {
            ws(l);
            if (read_string(l, tmp, sizeof tmp) < 0)
                return -1;
            ws(l);
            if (l->p >= l->end || *l->p++ != ':')
                return fail(l, "policy: expected ':'%s", "");
        }
        if (skip_value(l, depth + 1) < 0)
            return -1;
        int more = next_or_close(l, close, "a closing bracket");
        if (more <= 0)
            return more;
    }
}

static const char *keep(lint *l, const char *s)
{
    if (l->nowned == l->aowned) {
        l->aowned = l->aowned ? l->aowned * 2 : 64;
        l->owned = tt_xrealloc(l->owned, l->aowned * sizeof *l->owned);
    }
    return l->owned[l->nowned++] = tt_xstrdup(s);
}

static int check_action(lint *l, const char *a)
{
    if (strcmp(a, "*") == 0)
        return fail(l, "policy: the action \"*\" allows everything%s", "");
    if (strpbrk(a, "*?"))
        return fail(l, "policy: the wildcard action \"%s\" is not an exact action", a);
    const gen_action *g = gen_catalog_find_full(l->cat, a);
    if (!g)
        return fail(l, "policy: \"%s\" is not an action of the IAM catalog", a);
    gen_cimap_put(&l->seen, g->prefix, g->name, (void *)g);
    return 0;
}

/* Action: a string or a non-empty array of strings. */
static int read_actions(lint *l, int allow)
{
    char s[LINT_MAX_STRING];
    ws(l);
    if (l->p < l->end && *l->p == '"')
        return read_string(l, s, sizeof s) < 0 ? -1 : (allow ? check_action(l, s) : 0);
    if (l->p >= l->end || *l->p != '[')
        return fail(l, "policy: Action must be a string or an array of strings%s", "");
    l->p++;
    int n = 0;
    for (;;) {
        ws(l);
        if (l->p < l->end && *l->p == ']' && n == 0)
            return fail(l, "policy: an empty Action list%s", "");
        if (read_string(l, s, sizeof s) < 0 || (allow && check_action(l, s) < 0))
            return -1;
        n++;
        int more = next_or_close(l, ']', "']' in Action");
        if (more <= 0)
            return more;
    }
}

static int read_statement(lint *l)
{
    char key[LINT_MAX_STRING], val[LINT_MAX_STRING];
    int has_effect = 0, allow = 0, has_action = 0, has_resource = 0;
    const char *action_at = NULL;
    ws(l);
    if (l->p >= l->end || *l->p != '{')
        return fail(l, "policy: a Statement must be an object%s", "");
    l->p++;
    ws(l);
    if (l->p < l->end && *l->p == '}')
        return fail(l, "policy: an empty statement%s", "");
    for (;;) {
        ws(l);
        if (read_string(l, key, sizeof key) < 0)
            return -1;
        ws(l);
        if (l->p >= l->end || *l->p++ != ':')
            return fail(l, "policy: expected ':'%s", "");
        ws(l);
        if (strcmp(key, "Effect") == 0) {
            if (has_effect++ || read_string(l, val, sizeof val) < 0)
                return fail(l, "policy: a bad or repeated Effect%s", "");
            if (strcmp(val, "Allow") != 0 && strcmp(val, "Deny") != 0)
                return fail(l, "policy: Effect \"%s\" is neither Allow nor Deny", val);
            allow = strcmp(val, "Allow") == 0;
        } else if (strcmp(key, "Sid") == 0) {
            if (read_string(l, val, sizeof val) < 0)
                return -1;
            for (const char *c = val; *c; c++)
                if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
                    return fail(l, "policy: Sid \"%s\" is not alphanumeric", val);
            const char *k = keep(l, val);
            if (gen_cimap_put(&l->sids, k, "", (void *)k) != k)
                return fail(l, "policy: Sid \"%s\" twice", val);
        } else if (strcmp(key, "Action") == 0) {
            if (has_action++)
                return fail(l, "policy: Action twice in a statement%s", "");
            action_at = l->p; /* checked once Effect is known */
            if (skip_value(l, 2) < 0)
                return -1;
        } else if (strcmp(key, "NotAction") == 0) {
            return fail(l, "policy: NotAction allows every action it does not name%s", "");
        } else if (strcmp(key, "Resource") == 0 || strcmp(key, "NotResource") == 0) {
            has_resource++;
            if (skip_value(l, 2) < 0)
                return -1;
        } else if (strcmp(key, "Condition") == 0 || strcmp(key, "Principal") == 0 ||
                   strcmp(key, "NotPrincipal") == 0) {
            if (skip_value(l, 2) < 0)
                return -1;
        } else {
            return fail(l, "policy: unknown statement element \"%s\"", key);
        }
        int more = next_or_close(l, '}', "'}' in a statement");
        if (more < 0)
            return -1;
        if (!more)
            break;
    }
    if (!has_effect || !has_action || !has_resource)
        return fail(l, "policy: a statement lacks Effect, Action or Resource%s", "");
    const char *resume = l->p;
    l->p = action_at;
    int r = read_actions(l, allow);
    l->p = resume;
    return r;
}

static int read_document(lint *l)
{
    char key[LINT_MAX_STRING], val[LINT_MAX_STRING];
    int version = 0, statements = 0;
    ws(l);
    if (l->p >= l->end || *l->p++ != '{')
        return fail(l, "policy: the document is not a JSON object%s", "");
    for (;;) {
        ws(l);
        if (read_string(l, key, sizeof key) < 0)
            return -1;
        ws(l);
        if (l->p >= l->end || *l->p++ != ':')
            return fail(l, "policy: expected ':'%s", "");
        ws(l);
        if (strcmp(key, "Version") == 0) {
            if (version++ || read_string(l, val, sizeof val) < 0 || strcmp(val, "2012-10-17") != 0)
                return fail(l, "policy: Version must be \"2012-10-17\", once%s", "");
        } else if (strcmp(key, "Id") == 0) {
            if (read_string(l, val, sizeof val) < 0)
                return -1;
        } else if (strcmp(key, "Statement") == 0) {
            if (statements)
                return fail(l, "policy: Statement twice%s", "");
            if (l->p < l->end && *l->p == '[') {
                l->p++;
                ws(l);
                if (l->p < l->end && *l->p == ']')
                    return fail(l, "policy: an empty Statement list%s", "");
                for (;;) {
                    if (read_statement(l) < 0)
                        return -1;
                    statements++;
                    int more = next_or_close(l, ']', "']' in Statement");
                    if (more < 0)
                        return -1;
                    if (!more)
                        break;
                }
            } else {
                if (read_statement(l) < 0)
                    return -1;
                statements++;
            }
        } else {
            return fail(l, "policy: unknown top-level element \"%s\"", key);
        }
        int more = next_or_close(l, '}', "'}'");
        if (more < 0)
            return -1;
        if (!more)
            break;
    }
    ws(l);
    if (l->p != l->end)
        return fail(l, "policy: data after the document%s", "");
    if (!version || !statements)
        return fail(l, "policy: no Version or no Statement%s", "");
    return 0;
}

size_t gen_policy_iam_size(const char *s, size_t n)
{
    size_t z = 0;
    int in = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (in) {
            z++;
            if (c == '\\' && i + 1 < n) {
                z++;
                i++;
            } else if (c == '"') {
                in = 0;
            }
        } else if (c == '"') {
            in = 1;
            z++;
        } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
            z++;
        }
    }
    return z;
}

tt_status gen_policy_lint(const gen_catalog *c, const char *json, size_t len, size_t max_chars,
                          size_t *nactions, tt_error *err)
{
    lint l = {json, json + len, c, err, TT_OK, 0, {0}, {0}, NULL, 0, 0};
    gen_cimap_init(&l.seen);
    gen_cimap_init(&l.sids);
    if (max_chars == 0)
        max_chars = GEN_POLICY_MAX_CHARS;
    l.size = gen_policy_iam_size(json, len);
    if (read_document(&l) == 0 && l.size > max_chars) {
        char n[64];
        snprintf(n, sizeof n, "%zu > %zu", l.size, max_chars);
        fail(&l, "policy: %s characters without whitespace, over IAM's limit", n);
    }
    if (l.st == TT_OK && nactions)
        *nactions = l.seen.count;
    gen_cimap_free(&l.seen);
    gen_cimap_free(&l.sids);
    for (size_t i = 0; i < l.nowned; i++)
        free(l.owned[i]);
    free(l.owned);
    return l.st;
}
