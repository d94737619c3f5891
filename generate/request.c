/*
 * request.c - gen_request_* (request.h): a DOM of one record and a
 * case-blind walk along a field path, fanning out over arrays.
 */
#include "request.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A record is one event: bounded by the ingest caps already; these only
 * keep a hostile record from costing more than a few milliseconds. */
#define REQ_MAX_NODES 200000
#define REQ_MAX_DEPTH 64

int gen_request_parse(gen_request *q, const char *rec, size_t len)
{
    static const json_dom_caps caps = {REQ_MAX_NODES, REQ_MAX_DEPTH, "values in one record"};
    tt_error err;
    memset(q, 0, sizeof *q);
    if (json_dom_parse(&q->root, rec, len, &caps, &err) != TT_OK || q->root.t != JSON_DOM_OBJ)
        return -1;
    q->params = json_dom_get(&q->root, "requestParameters");
    q->response = json_dom_get(&q->root, "responseElements");
    return 0;
}

void gen_request_free(gen_request *q)
{
    if (q)
        json_dom_free(&q->root);
}

static int given(const json_dom_node *n)
{
    switch (n->t) {
    case JSON_DOM_NULL:
    case JSON_DOM_FALSE: return 0;
    case JSON_DOM_STR: return n->s[0] != '\0';
    case JSON_DOM_OBJ:
    case JSON_DOM_ARR: return n->nk > 0;
    default: return 1;
    }
}

/* The member of obj named seg[0..n) without case, or its EC2 spelling
 * ("SecurityGroupIds" -> "securityGroupIdSet"). */
static const json_dom_node *member(const json_dom_node *obj, const char *seg, size_t n)
{
    for (size_t i = 0; i < obj->nk; i++) {
        const char *k = obj->kids[i].key;
        if (strlen(k) == n && strncasecmp(k, seg, n) == 0)
            return &obj->kids[i];
    }
    if (n < 2 || (seg[n - 1] != 's' && seg[n - 1] != 'S'))
        return NULL;
    for (size_t i = 0; i < obj->nk; i++) {
        const char *k = obj->kids[i].key;
        if (strlen(k) == n + 2 && strncasecmp(k, seg, n - 1) == 0 && strcasecmp(k + n - 1, "Set") == 0)
            return &obj->kids[i];
    }
    return NULL;
}

typedef int (*leaf_fn)(const json_dom_node *n, void *ctx);

/* Calls fn on every node the path p[0..len) reaches from n; stops at the
 * first nonzero and returns it. */
static int walk(const json_dom_node *n, const char *p, size_t len, leaf_fn fn, void *ctx)
{
    if (n->t == JSON_DOM_ARR) {
        for (size_t i = 0; i < n->nk; i++) {
            int r = walk(&n->kids[i], p, len, fn, ctx);
            if (r)
                return r;
        }
        return 0;
    }
    if (len == 0)
        return fn(n, ctx);
    if (n->t != JSON_DOM_OBJ)
        return 0;
    size_t seg = 0;
    while (seg < len && p[seg] != '.')
        seg++;
    size_t name = seg;
    if (name >= 2 && p[name - 2] == '[' && p[name - 1] == ']')
        name -= 2;
    size_t rest = seg < len ? seg + 1 : seg;
    const json_dom_node *k = member(n, p, name);
    if (k)
        return walk(k, p + rest, len - rest, fn, ctx);
    const json_dom_node *items = json_dom_get(n, "items");
    if (items && items->t == JSON_DOM_ARR)
        return walk(items, p, len, fn, ctx);
    return 0;
}

static int is_given(const json_dom_node *n, void *ctx)
{
    (void)ctx;
    return given(n);
}

typedef struct want_value {
    const char *v;
    size_t n;
} want_value;

static int is_value(const json_dom_node *n, void *ctx)
{
    const want_value *w = ctx;
    return n->t == JSON_DOM_STR && strlen(n->s) == w->n && strncasecmp(n->s, w->v, w->n) == 0;
}

/* One alternative, "Path" or "Path=value". */
static int alternative(const json_dom_node *params, const char *a, size_t n)
{
    const char *eq = memchr(a, '=', n);
    if (!eq)
        return walk(params, a, n, is_given, NULL);
    want_value w = {eq + 1, n - (size_t)(eq - a) - 1};
    return walk(params, a, (size_t)(eq - a), is_value, &w);
}

int gen_request_has(const gen_request *q, const char *cond, size_t len)
{
    if (!q || !q->params)
        return 0;
    size_t i = 0;
    while (i < len) {
        size_t e = i;
        while (e < len && cond[e] != '|')
            e++;
        if (e > i && alternative(q->params, cond + i, e - i))
            return 1;
        i = e + 1;
    }
    return 0;
}

static int first_str(const json_dom_node *n, void *ctx)
{
    if (n->t != JSON_DOM_STR || !n->s[0])
        return 0;
    *(const char **)ctx = n->s;
    return 1;
}

const char *gen_request_str(const json_dom_node *node, const char *path)
{
    const char *s = NULL;
    if (node)
        walk(node, path, strlen(path), first_str, &s);
    return s;
}
