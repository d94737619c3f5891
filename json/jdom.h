/*
 * jdom.h - a small JSON DOM over the strict scanner of ingest/json.h, for
 * the untrusted documents of generate/ (the authorization-details file and
 * the policies in it). Every value is a node; caps on values and nesting
 * are the caller's, and a failure carries the scanner's positioned message.
 */
#ifndef GEN_JDOM_H
#define GEN_JDOM_H

#include "../common/tt.h"

#include <stddef.h>

typedef enum {
    GEN_JDOM_OBJ,
    GEN_JDOM_ARR,
    GEN_JDOM_STR,
    GEN_JDOM_TRUE,
    GEN_JDOM_FALSE,
    GEN_JDOM_NULL,
    GEN_JDOM_NUM
} gen_jdom_type;

typedef struct gen_jdom_node {
    gen_jdom_type t;
    size_t off;                 /* byte offset of the value in its document */
    char *key;                  /* member name, in an object; else NULL */
    char *s;                    /* GEN_JDOM_STR: unescaped, NUL-terminated (NUL never inside);
                                 * a literal (true, false, null, a number): its raw text */
    struct gen_jdom_node *kids; /* members or elements, in document order */
    size_t nk, ak;
} gen_jdom_node;

/* The caps of one parse. nodes_what is static text naming the node cap,
 * the message when there are more than max_nodes values; it is not copied. */
typedef struct gen_jdom_caps {
    size_t max_nodes;
    int max_depth;
    const char *nodes_what;
} gen_jdom_caps;

/* Parses buf[0..len) into *root: one value and nothing after it. Fails with
 * TT_ERR_FORMAT or TT_ERR_LIMIT and the scanner's message ("byte N (line L,
 * column C): ..."), without a file name: callers prefix their own. The
 * strings of the tree are owned copies; *root is overwritten, and must be
 * released with gen_jdom_free() whether or not the parse succeeded. */
tt_status gen_jdom_parse(gen_jdom_node *root, const char *buf, size_t len,
                         const gen_jdom_caps *caps, tt_error *err);

/* Frees what n owns (not n itself). Accepts NULL. */
void gen_jdom_free(gen_jdom_node *n);

/* The member key of obj, or NULL when obj is NULL or not an object, or has
 * no such member. Borrowed from obj. */
const gen_jdom_node *gen_jdom_get(const gen_jdom_node *obj, const char *key);

/* The member key of obj when it is a string, else NULL. Borrowed from obj. */
const char *gen_jdom_get_str(const gen_jdom_node *obj, const char *key);

/* Decodes a URL-encoded document (%XX escapes; text that starts with '{'
 * after whitespace is taken as it is). Returns an allocated copy, NUL-
 * terminated, with its length in *len; or NULL for a bad %-escape, with
 * its character index in s in *bad. */
char *gen_jdom_url_decode(const char *s, size_t *len, size_t *bad);

#endif /* GEN_JDOM_H */
