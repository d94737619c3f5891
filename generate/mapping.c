/*
 * mapping.c - the CloudTrail -> IAM rules of mapping.h over the tables of
 * data/mapping.tsv and data/overrides.tsv. The tables are parsed once;
 * resolving a pair is a few hash lookups and allocates nothing.
 */
#include "mapping.h"
#include "cimap.h"
#include "gen_data.h"
#include "tagging.h"

#include "common/mem.h"
#include "common/tsv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAP_MAX_BYTES (16u << 20)
#define MAP_MAX_FIELDS 6

typedef struct map_row {
    char kind;           /* 'M' actions, 'N' no permission, 'O' override */
    const char *actions; /* space-separated, "-" or "" for none */
    const char *note;    /* sdk method (M, N) or reason (O) */
} map_row;

struct gen_map {
    const gen_catalog *cat;
    char *text, *otext;
    map_row *rows;
    size_t nrows, arows;
    gen_cimap sources;   /* (eventSource, "") -> prefix */
    gen_cimap methods;   /* (prefix, eventName) -> map_row */
    gen_cimap overrides; /* (eventSource, eventName or "*") -> map_row */
    gen_tagrules *tags;  /* tag-on-create rules, or NULL */
    size_t nsources, nmethods, noverrides;
};

/* Checks that every action of a row's list is in the catalog. */
static tt_status check_actions(const gen_map *m, const char *list, const char *what, tt_error *err)
{
    const char *p = list;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p || (*p == '-' && (p[1] == '\0' || p[1] == ' ')))
            break;
        size_t n = strcspn(p, " ?+");
        const char *colon = memchr(p, ':', n);
        char prefix[64];
        if (!colon || (size_t)(colon - p) >= sizeof prefix)
            return tt_fail(err, TT_ERR_FORMAT, "%s: \"%.*s\" is not prefix:Action", what, (int)n, p);
        memcpy(prefix, p, (size_t)(colon - p));
        prefix[colon - p] = '\0';
        if (!gen_catalog_find(m->cat, prefix, colon + 1, n - (size_t)(colon - p) - 1))
            return tt_fail(err, TT_ERR_FORMAT, "%s: %.*s is not in the IAM catalog", what, (int)n, p);
        p += strcspn(p, " ");
    }
    return TT_OK;
}

static map_row *add_row(gen_map *m, char kind, const char *actions, const char *note)
{
    if (m->nrows == m->arows) {
        m->arows = m->arows ? m->arows * 2 : 1024;
        m->rows = tt_xrealloc(m->rows, m->arows * sizeof *m->rows);
    }
    m->rows[m->nrows] = (map_row){kind, actions, note};
    return &m->rows[m->nrows++];
}

/* Rows are added to the maps only after every row is read: the array
 * moves while it grows. Here we store row indexes, cast, then fix up. */
typedef struct pending {
    gen_cimap *map;
    const char *a, *b;
    size_t row;
} pending;

static tt_status parse_tables(gen_map *m, tt_error *err)
{
    pending *pend = NULL;
    size_t npend = 0, apend = 0;
    tt_status st = TT_OK;
    char *texts[2] = {m->text, m->otext};
    for (int t = 0; t < 2 && st == TT_OK; t++) {
        size_t lineno = 0;
        char *cur = texts[t], *line;
        while (st == TT_OK && (line = tt_tsv_line(&cur)) != NULL) {
            lineno++;
            char *f[MAP_MAX_FIELDS];
            int n = tt_tsv_split(line, f, MAP_MAX_FIELDS);
            const char *what = t == 0 ? "mapping" : "overrides";
            if (line[0] == '#' || line[0] == '\0' || (t == 0 && strcmp(f[0], "V") == 0)) {
                /* comment or version */
            } else if (t == 0 && strcmp(f[0], "S") == 0 && n >= 3) {
                gen_cimap_put(&m->sources, f[1], "", f[2]);
                m->nsources++;
            } else if (t == 0 && (strcmp(f[0], "M") == 0 || strcmp(f[0], "N") == 0) && n >= 5) {
                char place[64];
                snprintf(place, sizeof place, "%s line %zu", what, lineno);
                st = check_actions(m, f[3], place, err);
                if (apend == npend)
                    pend = tt_xrealloc(pend, (apend = apend ? apend * 2 : 1024) * sizeof *pend);
                add_row(m, f[0][0], f[3], f[4]);
                pend[npend++] = (pending){&m->methods, f[1], f[2], m->nrows - 1};
                m->nmethods++;
            } else if (t == 1 && n >= 4) {
                char place[64];
                snprintf(place, sizeof place, "%s line %zu", what, lineno);
                st = check_actions(m, f[2], place, err);
                if (apend == npend)
                    pend = tt_xrealloc(pend, (apend = apend ? apend * 2 : 1024) * sizeof *pend);
                add_row(m, 'O', f[2], f[3]);
                pend[npend++] = (pending){&m->overrides, f[0], f[1], m->nrows - 1};
                m->noverrides++;
            } else {
                st = tt_fail(err, TT_ERR_FORMAT, "%s line %zu: not a record", what, lineno);
            }
        }
    }
    for (size_t i = 0; i < npend && st == TT_OK; i++)
        if (gen_cimap_put(pend[i].map, pend[i].a, pend[i].b, &m->rows[pend[i].row]) != &m->rows[pend[i].row])
            st = tt_fail(err, TT_ERR_FORMAT, "mapping: %s %s listed twice", pend[i].a, pend[i].b);
    free(pend);
    return st;
}

tt_status gen_map_parse(gen_map **out, const gen_catalog *c, const char *mapping, size_t mn,
                        const char *overrides, size_t on, tt_error *err)
{
    *out = NULL;
    if (mn > MAP_MAX_BYTES || on > MAP_MAX_BYTES)
        return tt_fail(err, TT_ERR_LIMIT, "mapping: over the cap of %u bytes", MAP_MAX_BYTES);
    gen_map *m = tt_xcalloc(1, sizeof *m);
    m->cat = c;
    m->text = tt_xstrndup(mapping, mn);
    m->otext = tt_xstrndup(overrides, on);
    gen_cimap_init(&m->sources);
    gen_cimap_init(&m->methods);
    gen_cimap_init(&m->overrides);
    tt_status st = parse_tables(m, err);
    if (st != TT_OK) {
        gen_map_free(m);
        return st;
    }
    *out = m;
    return TT_OK;
}

tt_status gen_map_create(gen_map **out, const gen_catalog *c, tt_error *err)
{
    tt_status st = gen_map_parse(out, c, (const char *)gen_data_mapping, gen_data_mapping_len,
                                 (const char *)gen_data_overrides, gen_data_overrides_len, err);
    if (st == TT_OK)
        st = gen_tagrules_parse(&(*out)->tags, c, (const char *)gen_data_tagging, gen_data_tagging_len, err);
    if (st != TT_OK) {
        gen_map_free(*out);
        *out = NULL;
    }
    return st;
}

size_t gen_map_tag_rules(const gen_map *m)
{
    return gen_tagrules_count(m->tags);
}

void gen_map_free(gen_map *m)
{
    if (!m)
        return;
    gen_cimap_free(&m->sources);
    gen_cimap_free(&m->methods);
    gen_cimap_free(&m->overrides);
    gen_tagrules_free(m->tags);
    free(m->rows);
    free(m->text);
    free(m->otext);
    free(m);
}

void gen_map_counts(const gen_map *m, size_t *sources, size_t *exceptions, size_t *overrides)
{
    *sources = m->nsources;
    *exceptions = m->nmethods;
    *overrides = m->noverrides;
}

const char *gen_rule_name(gen_rule r)
{
    switch (r) {
    case GEN_RULE_OVERRIDE: return "override";
    case GEN_RULE_NO_PERMISSION: return "no permission needed";
    case GEN_RULE_EXCEPTION: return "iam-dataset exception";
    case GEN_RULE_DEFAULT: return "default";
    default: return "unmapped";
    }
}

/* Decides granted for the request unknown: a plain action always; one
 * that hangs on the request when marked "+"; and when the list has no plain
 * action at all (PartiQL, whose action depends on the statement), every
 * candidate. r->conditional counts what a request can still change. */
static void decide_unknown(gen_map_result *r)
{
    int any_plain = 0;
    for (size_t i = 0; i < r->n; i++)
        any_plain |= !r->acts[i].param;
    r->conditional = 0;
    for (size_t i = 0; i < r->n; i++) {
        gen_map_action *a = &r->acts[i];
        a->granted = !any_plain || !a->param || a->assume;
        r->conditional += any_plain && a->param;
    }
}

void gen_map_apply_request(gen_map_result *r, const gen_request *q)
{
    decide_unknown(r);
    if (!q || !r->conditional)
        return;
    for (size_t i = 0; i < r->n; i++)
        if (r->acts[i].param)
            r->acts[i].granted = gen_request_has(q, r->acts[i].param, r->acts[i].param_len);
}

/* Fills r's actions from a row's list ("a:B a:C?Field a:D+F1|F2"). */
static void fill(const gen_map *m, const char *list, gen_map_result *r)
{
    r->n = 0;
    for (const char *p = list; *p && r->n < GEN_MAP_MAX_ACTIONS;) {
        while (*p == ' ')
            p++;
        if (!*p || *p == '-')
            break;
        size_t n = strcspn(p, " ?+");
        const char *colon = memchr(p, ':', n);
        char prefix[64];
        size_t pn = (size_t)(colon - p);
        memcpy(prefix, p, pn);
        prefix[pn] = '\0';
        gen_map_action *a = &r->acts[r->n];
        a->action = gen_catalog_find(m->cat, prefix, colon + 1, n - pn - 1);
        a->param = NULL;
        a->param_len = 0;
        a->assume = 0;
        p += n;
        if (*p == '?' || *p == '+') {
            a->assume = *p == '+';
            a->param = p + 1;
            a->param_len = strcspn(p + 1, " ");
            p += 1 + a->param_len;
        }
        if (a->action) /* checked at load; defensive against a stale catalog */
            r->n++;
    }
    decide_unknown(r);
}

/* The tag-on-create rule for the pair: its action is needed only when the
 * request carries tags (also when the mapping listed it unconditionally). */
static void add_tag_rule(const gen_map *m, const char *source, gen_map_result *r)
{
    const gen_tagrule *t = gen_tagrules_find(m->tags, source, r->name, strlen(r->name));
    if (!t || r->n == 0)
        return;
    size_t i = 0;
    while (i < r->n && r->acts[i].action != t->action)
        i++;
    if (i == r->n && r->n == GEN_MAP_MAX_ACTIONS)
        return;
    if (i == r->n)
        r->n++;
    r->acts[i] = (gen_map_action){t->action, t->fields, strlen(t->fields), 0, 0};
    r->tag_rule = t->why;
    decide_unknown(r);
}

/* Lambda's API names carry its version until late 2021
 * (UpdateFunctionCode20150331v2): the length without a trailing
 * 20YYMMDD[vN], or 0 when there is none. */
static size_t strip_date_suffix(const char *name)
{
    size_t n = strlen(name);
    size_t e = n;
    while (e > 0 && name[e - 1] >= '0' && name[e - 1] <= '9')
        e--;
    if (e < n && e > 0 && name[e - 1] == 'v')
        n = e - 1; /* "v2" */
    if (n < 9)
        return 0;
    for (size_t i = n - 8; i < n; i++)
        if (name[i] < '0' || name[i] > '9')
            return 0;
    if (name[n - 8] != '2' || name[n - 7] != '0')
        return 0;
    return n - 8;
}

/* Rules 2 and 3 for a name (of length n) under r->prefix. */
static int by_prefix(const gen_map *m, const char *name, size_t n, gen_map_result *r)
{
    const map_row *row = gen_cimap_get(&m->methods, r->prefix, name, n);
    if (row) {
        r->rule = row->kind == 'N' ? GEN_RULE_NO_PERMISSION : GEN_RULE_EXCEPTION;
        r->sdk_method = row->note;
        r->reason = row->kind == 'N' ? "needs no permission (iam-dataset's permissionless calls)"
                                     : "the SDK method's IAM actions differ from prefix:eventName (iam-dataset)";
        fill(m, row->actions, r);
        return 1;
    }
    const gen_action *a = gen_catalog_find(m->cat, r->prefix, name, n);
    if (a) {
        r->rule = GEN_RULE_DEFAULT;
        r->reason = "prefix:eventName is an action of the catalog";
        r->n = 1;
        r->acts[0] = (gen_map_action){a, NULL, 0, 0, 1};
        return 1;
    }
    return 0;
}

/* The override for name[0..n) of source, or for every name of source. */
static const map_row *find_override(const gen_map *m, const char *source, const char *name, size_t n)
{
    const map_row *o = gen_cimap_get(&m->overrides, source, name, n);
    return o ? o : gen_cimap_get(&m->overrides, source, "*", 1);
}

static void set_prefix(const gen_map *m, const char *source, gen_map_result *r)
{
    const char *prefix = gen_cimap_get(&m->sources, source, "", 0);
    r->prefix_from_table = prefix != NULL;
    if (prefix) {
        snprintf(r->prefix, sizeof r->prefix, "%s", prefix);
    } else {
        const char *dot = strstr(source, ".amazonaws.com");
        if (dot && dot[14] == '\0' && (size_t)(dot - source) < sizeof r->prefix)
            snprintf(r->prefix, sizeof r->prefix, "%.*s", (int)(dot - source), source);
    }
}

/* Rules 1 to 3 for name[0..n); 1 when one of them maps it. */
static int by_rules(const gen_map *m, const char *source, const char *name, size_t n, gen_map_result *r)
{
    const map_row *o = find_override(m, source, name, n);
    if (o) {
        r->rule = GEN_RULE_OVERRIDE;
        r->reason = o->note;
        fill(m, o->actions, r);
        return 1;
    }
    return r->prefix[0] && gen_catalog_service(m->cat, r->prefix) && by_prefix(m, name, n, r);
}

void gen_map_resolve(const gen_map *m, const char *source, const char *name, gen_map_result *r)
{
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name);
    set_prefix(m, source, r);
    size_t len = strlen(name), base = strip_date_suffix(name);
    if (by_rules(m, source, name, len, r)) {
        add_tag_rule(m, source, r);
        return;
    }
    if (base && base < sizeof r->name && by_rules(m, source, name, base, r)) {
        r->date_suffix = 1;
        snprintf(r->name, sizeof r->name, "%.*s", (int)base, name);
        add_tag_rule(m, source, r);
        return;
    }
    r->rule = GEN_RULE_UNMAPPED;
    if (!r->prefix[0])
        r->reason = "the eventSource is not an AWS service endpoint (...amazonaws.com) we know";
    else if (!gen_catalog_service(m->cat, r->prefix))
        r->reason = "no IAM service prefix of the catalog matches the eventSource";
    else
        r->reason = "prefix:eventName is not in the catalog and no rule maps it";
}
