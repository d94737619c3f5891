/*
 * repo_int.h - what the parts of gen_repo_* (repo.h) share, private to
 * generate/: the file as read (repo_load.c), one statement's rewrite
 * (repo_tighten.c) and rendering them as pretty JSON (repo_render.c).
 */
#ifndef TT_GEN_REPO_INT_H
#define TT_GEN_REPO_INT_H

#include "catalog.h"
#include "cimap.h"
#include "repo.h"

#include "json/jdom.h"

#include <stddef.h>
#include <stdint.h>

/* The cap on one rendered document or diff. */
#define REPO_TEXT_CAP (16u << 20)

/* ---- the file (repo_load.c) ---------------------------------------------------- */

/* A policy document: the node in the file, or a URL-encoded string decoded
 * and parsed into an owned tree. */
typedef struct rdoc {
    const json_dom_node *root;
    json_dom_node owned;
    int is_owned;
} rdoc;

typedef struct rmanaged {
    const char *arn, *name;
    const json_dom_node *doc; /* the default version's Document */
    size_t users;    /* direct attachments to users and roles */
    size_t shared;   /* attachments to groups, and uses as a boundary */
} rmanaged;

struct gen_repo {
    const gen_catalog *cat;
    size_t ncat;
    char *name;
    json_dom_node root;
    const json_dom_node **prs; /* users, then roles */
    int *is_user;
    size_t nprs;
    rmanaged *pols;
    size_t npols;
    gen_cimap by_arn;
    uint8_t *match; /* scratch: one pattern's actions */
};

/* Parses buf[0..len) into root: one value and nothing after it. */
tt_status gen_repo_parse_text(const char *buf, size_t len, json_dom_node *root, const char *name, tt_error *err);

/* Reads document node n (an object, or a URL-encoded string) into d. */
tt_status gen_repo_load_doc(const gen_repo *r, const json_dom_node *n, rdoc *d, tt_error *err);
void gen_repo_rdoc_free(rdoc *d);

/* ---- one statement's rewrite (repo_tighten.c) ----------------------------------- */

typedef enum { S_DENY, S_NOREPO, S_COND, S_SCOPED, S_SAME, S_NARROWED, S_DROPPED } sdecision;

/* Growing list of owned strings. */
typedef struct strs {
    char **v;
    size_t n, a;
} strs;

/* One statement's rewrite. */
typedef struct stmt_out {
    sdecision d;
    strs acts;     /* new Action list (S_NARROWED) */
    strs removed;  /* unused actions removed */
    strs expanded; /* wildcards expanded, as "pat -> n actions" */
    strs unknown;  /* names the catalog lacks, dropped */
    strs kept;     /* unused actions a statement kept as it is still grants */
    size_t noeffect; /* actions matched but not granted (denied, outside the boundary), not listed */
} stmt_out;

/* A piece of a document: statement si, actions [from, to) when narrowed. */
typedef struct piece {
    size_t si, from, to, part;
} piece;

/* ---- rendering (repo_render.c) -------------------------------------------------- */

void gen_repo_put(tt_buf *b, const char *s);
void gen_repo_indent(tt_buf *b, int depth);

/* A statement with its Action replaced by o->acts.v[from..to) when
 * narrowed (and its Sid given sid_suffix); else as it was. */
void gen_repo_render_statement(tt_buf *b, const json_dom_node *st, const stmt_out *o, size_t from, size_t to,
                               const char *sid_suffix, int depth);

/* A document of pieces (owned); top-level members other than Statement are
 * copied. *over is set when the text passed REPO_TEXT_CAP. */
char *gen_repo_render_doc(const json_dom_node *root, const json_dom_node *const *stmts, const stmt_out *outs,
                          const piece *pcs, size_t npcs, int *over);

/* IAM's count of one piece as a statement of a document, with its comma. */
size_t gen_repo_piece_size(const json_dom_node *const *stmts, const stmt_out *outs, const piece *pc, int *over);

#endif /* TT_GEN_REPO_INT_H */
