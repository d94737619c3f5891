/*
 * repo_render.c - the tightened documents as pretty JSON (repo_int.h): the
 * DOM is written back as it was read (numbers keep their raw text, so
 * Conditions are copied exactly), a narrowed statement with its new Action
 * list, a document from its pieces.
 */
#include "repo_int.h"
#include "policy.h"

#include "common/mem.h"

#include <stdio.h>
#include <string.h>

/* Past REPO_TEXT_CAP the buffer's sticky `over` says so, and the
 * principal is refused (gen_repo_tighten): input decides how much text a
 * document expands to, so running out of room is an answer, not a crash. */
void gen_repo_put(tt_buf *b, const char *s)
{
    (void)tt_buf_append(b, s, strlen(s));
}

void gen_repo_indent(tt_buf *b, int depth)
{
    gen_repo_put(b, "\n");
    for (int i = 0; i < depth; i++)
        gen_repo_put(b, "  ");
}

static void render(tt_buf *b, const json_dom_node *n, int depth)
{
    if (n->t == JSON_DOM_STR) {
        gen_json_put_str(b, n->s);
        return;
    }
    if (n->t != JSON_DOM_OBJ && n->t != JSON_DOM_ARR) { /* a literal: its raw text */
        gen_repo_put(b, n->s);
        return;
    }
    int obj = n->t == JSON_DOM_OBJ;
    gen_repo_put(b, obj ? "{" : "[");
    for (size_t i = 0; i < n->nk; i++) {
        gen_repo_indent(b, depth + 1);
        if (obj) {
            gen_json_put_str(b, n->kids[i].key);
            gen_repo_put(b, ": ");
        }
        render(b, &n->kids[i], depth + 1);
        if (i + 1 < n->nk)
            gen_repo_put(b, ",");
    }
    if (n->nk)
        gen_repo_indent(b, depth);
    gen_repo_put(b, obj ? "}" : "]");
}

void gen_repo_render_json(tt_buf *b, const json_dom_node *n, int depth)
{
    render(b, n, depth);
}

void gen_repo_render_statement(tt_buf *b, const json_dom_node *st, const stmt_out *o, size_t from, size_t to,
                             const char *sid_suffix, int depth)
{
    if (o->d != S_NARROWED) {
        render(b, st, depth);
        return;
    }
    gen_repo_put(b, "{");
    int first = 1, sid_done = 0;
    for (size_t i = 0; i < st->nk; i++) {
        const json_dom_node *k = &st->kids[i];
        if (!first)
            gen_repo_put(b, ",");
        first = 0;
        gen_repo_indent(b, depth + 1);
        if (strcmp(k->key, "Action") == 0 || strcmp(k->key, "NotAction") == 0) {
            gen_repo_put(b, "\"Action\": [");
            for (size_t a = from; a < to; a++) {
                gen_repo_indent(b, depth + 2);
                gen_json_put_str(b, o->acts.v[a]);
                if (a + 1 < to)
                    gen_repo_put(b, ",");
            }
            gen_repo_indent(b, depth + 1);
            gen_repo_put(b, "]");
            continue;
        }
        gen_json_put_str(b, k->key);
        gen_repo_put(b, ": ");
        if (strcmp(k->key, "Sid") == 0 && k->t == JSON_DOM_STR && sid_suffix[0]) {
            char sid[600];
            snprintf(sid, sizeof sid, "%.500s%s", k->s, sid_suffix);
            gen_json_put_str(b, sid);
            sid_done = 1;
        } else {
            render(b, k, depth + 1);
        }
    }
    if (sid_suffix[0] && !sid_done) {
        char sid[64];
        snprintf(sid, sizeof sid, "Repo%s", sid_suffix);
        gen_repo_put(b, ",");
        gen_repo_indent(b, depth + 1);
        gen_repo_put(b, "\"Sid\": ");
        gen_json_put_str(b, sid);
    }
    gen_repo_indent(b, depth);
    gen_repo_put(b, "}");
}

char *gen_repo_render_doc(const json_dom_node *root, const json_dom_node *const *stmts, const stmt_out *outs, const piece *pcs,
                        size_t npcs, int *over)
{
    tt_buf b;
    tt_buf_init(&b, REPO_TEXT_CAP);
    gen_repo_put(&b, "{");
    int first = 1;
    for (size_t i = 0; i < root->nk; i++) {
        const json_dom_node *k = &root->kids[i];
        if (!first)
            gen_repo_put(&b, ",");
        first = 0;
        gen_repo_indent(&b, 1);
        gen_json_put_str(&b, k->key);
        gen_repo_put(&b, ": ");
        if (strcmp(k->key, "Statement") != 0) {
            render(&b, k, 1);
            continue;
        }
        gen_repo_put(&b, "[");
        for (size_t p = 0; p < npcs; p++) {
            gen_repo_indent(&b, 2);
            char suffix[32] = "";
            if (pcs[p].part > 1)
                snprintf(suffix, sizeof suffix, "Part%zu", pcs[p].part);
            gen_repo_render_statement(&b, stmts[pcs[p].si], &outs[pcs[p].si], pcs[p].from, pcs[p].to, suffix, 2);
            if (p + 1 < npcs)
                gen_repo_put(&b, ",");
        }
        gen_repo_indent(&b, 1);
        gen_repo_put(&b, "]");
    }
    gen_repo_indent(&b, 0);
    gen_repo_put(&b, "}\n");
    *over |= b.over;
    return b.data ? b.data : tt_xstrdup("");
}

size_t gen_repo_piece_size(const json_dom_node *const *stmts, const stmt_out *outs, const piece *pc, int *over)
{
    tt_buf b;
    tt_buf_init(&b, REPO_TEXT_CAP);
    char suffix[32] = "";
    if (pc->part > 1)
        snprintf(suffix, sizeof suffix, "Part%zu", pc->part);
    gen_repo_render_statement(&b, stmts[pc->si], &outs[pc->si], pc->from, pc->to, suffix, 2);
    size_t z = b.data ? gen_policy_iam_size(b.data, b.len) : 0;
    *over |= b.over;
    tt_buf_free(&b);
    return z + 1; /* the comma */
}
