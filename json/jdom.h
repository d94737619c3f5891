/*
 * jdom.h - a small JSON DOM over the strict scanner of json/json.h, for
 * the untrusted documents of generate/ (the authorization-details file and
 * the policies in it). Every value is a node; caps on values and nesting
 * are the caller's, and a failure carries the scanner's positioned message.
 */
#ifndef JSON_DOM_H
#define JSON_DOM_H

#include "common/tt.h"

#include <stddef.h>

typedef enum {
    JSON_DOM_OBJ,
    JSON_DOM_ARR,
    JSON_DOM_STR,
    JSON_DOM_TRUE,
    JSON_DOM_FALSE,
    JSON_DOM_NULL,
    JSON_DOM_NUM
} json_dom_type;

typedef struct json_dom_node {
    json_dom_type t;
    size_t off;                 /* byte offset of the value in its document */
    char *key;                  /* member name, in an object; else NULL */
    char *s;                    /* JSON_DOM_STR: unescaped, NUL-terminated (NUL never inside);
                                 * a literal (true, false, null, a number): its raw text */
    struct json_dom_node *kids; /* members or elements, in document order */
    size_t nk, ak;
} json_dom_node;

/* The caps of one parse. nodes_what is static text naming the node cap,
 * the message when there are more than max_nodes values; it is not copied. */
typedef struct json_dom_caps {
    size_t max_nodes;
    int max_depth;
    const char *nodes_what;
} json_dom_caps;

/* Parses buf[0..len) into *root: one value and nothing after it. Fails with
 * TT_ERR_FORMAT or TT_ERR_LIMIT and the scanner's message ("byte N (line L,
 * column C): ..."), without a file name: callers prefix their own. The
 * strings of the tree are owned copies; *root is overwritten, and must be
 * released with json_dom_free() whether or not the parse succeeded. */
tt_status json_dom_parse(json_dom_node *root, const char *buf, size_t len,
                         const json_dom_caps *caps, tt_error *err);

/* Frees what n owns (not n itself). Accepts NULL. */
void json_dom_free(json_dom_node *n);

/* The member key of obj, or NULL when obj is NULL or not an object, or has
 * no such member. Borrowed from obj. */
const json_dom_node *json_dom_get(const json_dom_node *obj, const char *key);

/* The member key of obj when it is a string, else NULL. Borrowed from obj. */
const char *json_dom_get_str(const json_dom_node *obj, const char *key);

/* Decodes a URL-encoded document (%XX escapes; text that starts with '{'
 * after whitespace is taken as it is). Returns an allocated copy, NUL-
 * terminated, with its length in *len; or NULL for a bad %-escape, with
 * its character index in s in *bad. */
char *json_dom_url_decode(const char *s, size_t *len, size_t *bad);

#endif /* JSON_DOM_H */
