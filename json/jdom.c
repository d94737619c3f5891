/*
 * jdom.c - json_dom_* (jdom.h): a recursive descent over the scanner of
 * json/json.h that builds owned nodes; the scanner keeps the depth cap
 * and the first failure, this file the cap on values.
 */
#include "jdom.h"

#include "common/mem.h"
#include "json.h"

#include <stdlib.h>
#include <string.h>

typedef struct parser {
    json_scanner s;
    size_t nodes;
    const json_dom_caps *caps;
} parser;

void json_dom_free(json_dom_node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nk; i++)
        json_dom_free(&n->kids[i]);
    free(n->kids);
    free(n->key);
    free(n->s);
}

static char *unescape(parser *p, const json_str *js)
{
    char *out = tt_xmalloc(js->n + 1);
    size_t n = js->n, bad = 0;
    if (js->escaped) {
        n = json_unescape(js->p, js->n, out, &bad);
        if (n == (size_t)-1) {
            json_fail(&p->s, js->p + bad, TT_ERR_FORMAT, "an escaped lone surrogate in a string");
            free(out);
            return NULL;
        }
    } else if (js->n) {
        memcpy(out, js->p, js->n);
    }
    out[n] = '\0';
    if (strlen(out) != n) {
        json_fail(&p->s, js->p, TT_ERR_FORMAT, "a NUL character in a string");
        free(out);
        return NULL;
    }
    return out;
}

static json_dom_node *add_kid(json_dom_node *n)
{
    if (n->nk == n->ak)
        n->kids = tt_xrealloc(n->kids, (n->ak = n->ak ? n->ak * 2 : 4) * sizeof *n->kids);
    json_dom_node *k = &n->kids[n->nk++];
    memset(k, 0, sizeof *k);
    return k;
}

static tt_status parse_value(parser *p, json_dom_node *out)
{
    json_scanner *s = &p->s;
    int c = json_peek(s);
    out->off = (size_t)(s->p - s->buf);
    if (++p->nodes > p->caps->max_nodes)
        return json_fail(s, s->p, TT_ERR_LIMIT, p->caps->nodes_what);
    if (c == '{' || c == '[') {
        out->t = c == '{' ? JSON_DOM_OBJ : JSON_DOM_ARR;
        if (json_open(s) != TT_OK)
            return s->status;
        for (int first = 1;; first = 0) {
            json_str key;
            int r =
                out->t == JSON_DOM_OBJ ? json_obj_next(s, &key, first) : json_arr_next(s, first);
            if (r < 0)
                return s->status ? s->status
                                 : json_fail(s, s->p, TT_ERR_FORMAT, "bad object or array");
            if (r == 0)
                return TT_OK;
            json_dom_node *k = add_kid(out);
            if (out->t == JSON_DOM_OBJ && !(k->key = unescape(p, &key)))
                return s->status;
            tt_status st = parse_value(p, k);
            if (st != TT_OK)
                return st;
        }
    }
    if (c == '"') {
        json_str js;
        out->t = JSON_DOM_STR;
        if (json_string(s, &js) != TT_OK)
            return s->status;
        out->s = unescape(p, &js);
        return out->s ? TT_OK : s->status;
    }
    if (c < 0 || !json_value_start(c))
        return json_fail(s, s->p, TT_ERR_FORMAT, "expected a value");
    out->t = c == 't'   ? JSON_DOM_TRUE
             : c == 'f' ? JSON_DOM_FALSE
             : c == 'n' ? JSON_DOM_NULL
                        : JSON_DOM_NUM;
    const char *start = s->p;
    tt_status st = json_skip_value(s);
    if (st == TT_OK)
        out->s = tt_xstrndup(start, (size_t)(s->p - start));
    return st;
}

tt_status json_dom_parse(json_dom_node *root, const char *buf, size_t len,
                         const json_dom_caps *caps, tt_error *err)
{
    parser p;
    memset(&p, 0, sizeof p);
    memset(root, 0, sizeof *root);
    p.caps = caps;
    json_init(&p.s, buf, len, caps->max_depth);
    tt_status st = parse_value(&p, root);
    if (st == TT_OK && json_peek(&p.s) != -1)
        st = json_fail(&p.s, p.s.p, TT_ERR_FORMAT, "text after the JSON document");
    if (st != TT_OK) {
        tt_error e;
        json_format_error(&p.s, &e);
        return tt_fail(err, p.s.status ? p.s.status : st, "%s", e.msg);
    }
    return TT_OK;
}

const json_dom_node *json_dom_get(const json_dom_node *obj, const char *key)
{
    if (!obj || obj->t != JSON_DOM_OBJ)
        return NULL;
    for (size_t i = 0; i < obj->nk; i++)
        if (strcmp(obj->kids[i].key, key) == 0)
            return &obj->kids[i];
    return NULL;
}

const char *json_dom_get_str(const json_dom_node *obj, const char *key)
{
    const json_dom_node *n = json_dom_get(obj, key);
    return n && n->t == JSON_DOM_STR ? n->s : NULL;
}

static int hexv(int c)
{
    return c >= '0' && c <= '9'                 ? c - '0'
           : (c | 32) >= 'a' && (c | 32) <= 'f' ? (c | 32) - 'a' + 10
                                                : -1;
}

char *json_dom_url_decode(const char *s, size_t *len, size_t *bad)
{
    size_t n = 0;
    char *text = tt_xmalloc(strlen(s) + 1);
    const char *q = s;
    while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
        q++;
    int raw = *q == '{';
    for (const char *p = s; *p; p++) {
        if (raw || *p != '%') {
            text[n++] = *p;
            continue;
        }
        int hi = hexv((unsigned char)p[1]), lo = hi < 0 ? -1 : hexv((unsigned char)p[2]);
        if (hi < 0 || lo < 0) {
            *bad = (size_t)(p - s);
            free(text);
            return NULL;
        }
        text[n++] = (char)(hi * 16 + lo);
        p += 2;
    }
    text[n] = '\0';
    *len = n;
    return text;
}
