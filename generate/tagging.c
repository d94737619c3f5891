/*
 * tagging.c - gen_tagrules_* (tagging.h): the rows of data/tagging.tsv in
 * an array; a lookup compares the source, then each name pattern. The
 * table is a few dozen rows, so a scan costs less than a hash would.
 */
#include "tagging.h"

#include "common/mem.h"
#include "common/tsv.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TAG_MAX_BYTES (1u << 20)
#define TAG_FIELDS 5

struct gen_tagrules {
    char *text;
    gen_tagrule *rows;
    size_t n, a;
};

void gen_tagrules_free(gen_tagrules *t)
{
    if (!t)
        return;
    free(t->rows);
    free(t->text);
    free(t);
}

static tt_status parse_row(gen_tagrules *t, const gen_catalog *c, char *line, size_t lineno, tt_error *err)
{
    char *f[TAG_FIELDS];
    int n = tt_tsv_split(line, f, TAG_FIELDS);
    if (n < TAG_FIELDS || !f[0][0] || !f[1][0] || !f[2][0])
        return tt_fail(err, TT_ERR_FORMAT, "tagging line %zu: not a rule", lineno);
    const gen_action *a = gen_catalog_find_full(c, f[3]);
    if (!a)
        return tt_fail(err, TT_ERR_FORMAT, "tagging line %zu: %s is not in the IAM catalog", lineno, f[3]);
    if (!strstr(f[4], "https://"))
        return tt_fail(err, TT_ERR_FORMAT, "tagging line %zu: a rule needs its source (a URL)", lineno);
    if (t->n == t->a)
        t->rows = tt_xrealloc(t->rows, (t->a = t->a ? t->a * 2 : 32) * sizeof *t->rows);
    t->rows[t->n++] = (gen_tagrule){f[0], f[1], f[2], a, f[4]};
    return TT_OK;
}

tt_status gen_tagrules_parse(gen_tagrules **out, const gen_catalog *c, const char *text, size_t n, tt_error *err)
{
    *out = NULL;
    if (n > TAG_MAX_BYTES)
        return tt_fail(err, TT_ERR_LIMIT, "tagging: over the cap of %u bytes", TAG_MAX_BYTES);
    gen_tagrules *t = tt_xcalloc(1, sizeof *t);
    t->text = tt_xstrndup(text, n);
    tt_status st = TT_OK;
    size_t lineno = 0;
    char *cur = t->text, *line;
    while (st == TT_OK && (line = tt_tsv_line(&cur)) != NULL) {
        lineno++;
        if (line[0] != '#' && line[0] != '\0')
            st = parse_row(t, c, line, lineno, err);
    }
    if (st != TT_OK) {
        gen_tagrules_free(t);
        return st;
    }
    *out = t;
    return TT_OK;
}

/* Whether one of the space-separated patterns matches name[0..nlen). */
static int names_match(const char *names, const char *name, size_t nlen)
{
    for (const char *p = names; *p;) {
        size_t w = strcspn(p, " ");
        if (w && p[w - 1] == '*' ? nlen >= w - 1 && strncasecmp(p, name, w - 1) == 0
                                 : w == nlen && strncasecmp(p, name, w) == 0)
            return 1;
        p += w;
        while (*p == ' ')
            p++;
    }
    return 0;
}

const gen_tagrule *gen_tagrules_find(const gen_tagrules *t, const char *source, const char *name, size_t nlen)
{
    for (size_t i = 0; t && i < t->n; i++)
        if (strcasecmp(t->rows[i].source, source) == 0 && names_match(t->rows[i].names, name, nlen))
            return &t->rows[i];
    return NULL;
}

size_t gen_tagrules_count(const gen_tagrules *t)
{
    return t ? t->n : 0;
}
