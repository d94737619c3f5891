/*
 * catalog.c - parses catalog.tsv (see scripts/refresh-iam-data.sh for the
 * format) into arrays and case-insensitive indexes. The text is copied
 * once and split in place: every string handed out points into that copy.
 */
#include "catalog.h"
#include "cimap.h"
#include "gen_data.h"

#include "common/mem.h"
#include "common/tsv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most fields a catalog line has, and a cap on the text we accept. */
#define CAT_MAX_FIELDS 6
#define CAT_MAX_BYTES (64u << 20)

typedef struct cat_service {
    const char *prefix, *name;
} cat_service;

typedef struct cat_resource {
    const char *prefix, *type, *arn;
} cat_resource;

struct gen_catalog {
    char *text;
    gen_action *acts;
    size_t nacts, aacts;
    cat_service *svcs;
    size_t nsvcs, asvcs;
    cat_resource *res;
    size_t nres, ares;
    gen_cimap by_action, by_service, by_resource;
    const char *package, *version, *date;
    char *full_names; /* "prefix:Name\0" for every action */
};

static void *grow(void *p, size_t *alloc, size_t n, size_t size)
{
    if (n < *alloc)
        return p;
    *alloc = *alloc ? *alloc * 2 : 256;
    return tt_xrealloc(p, *alloc * size);
}

static tt_status parse_line(gen_catalog *c, char *line, size_t lineno, tt_error *err)
{
    char *f[CAT_MAX_FIELDS];
    int n = tt_tsv_split(line, f, CAT_MAX_FIELDS);
    if (line[0] == '#' || line[0] == '\0')
        return TT_OK;
    if (strcmp(f[0], "V") == 0 && n >= 4) {
        c->package = f[1];
        c->version = f[2];
        c->date = f[3];
    } else if (strcmp(f[0], "P") == 0 && n >= 3) {
        c->svcs = grow(c->svcs, &c->asvcs, c->nsvcs, sizeof *c->svcs);
        c->svcs[c->nsvcs++] = (cat_service){f[1], f[2]};
    } else if (strcmp(f[0], "R") == 0 && n >= 4) {
        c->res = grow(c->res, &c->ares, c->nres, sizeof *c->res);
        c->res[c->nres++] = (cat_resource){f[1], f[2], f[3]};
    } else if (strcmp(f[0], "A") == 0 && n >= 4) {
        c->acts = grow(c->acts, &c->aacts, c->nacts, sizeof *c->acts);
        c->acts[c->nacts++] = (gen_action){f[1], f[2], NULL, f[3], n >= 5 ? f[4] : ""};
    } else {
        return tt_fail(err, TT_ERR_FORMAT, "IAM catalog line %zu: not a V, P, R or A record", lineno);
    }
    return TT_OK;
}

/* Builds the indexes once every array has stopped moving. */
static tt_status index_all(gen_catalog *c, tt_error *err)
{
    size_t bytes = 0;
    for (size_t i = 0; i < c->nacts; i++)
        bytes += strlen(c->acts[i].prefix) + strlen(c->acts[i].name) + 2;
    c->full_names = tt_xmalloc(bytes ? bytes : 1);
    char *p = c->full_names;
    gen_cimap_init(&c->by_action);
    gen_cimap_init(&c->by_service);
    gen_cimap_init(&c->by_resource);
    for (size_t i = 0; i < c->nsvcs; i++)
        gen_cimap_put(&c->by_service, c->svcs[i].prefix, "", &c->svcs[i]);
    for (size_t i = 0; i < c->nres; i++)
        gen_cimap_put(&c->by_resource, c->res[i].prefix, c->res[i].type, &c->res[i]);
    for (size_t i = 0; i < c->nacts; i++) {
        gen_action *a = &c->acts[i];
        size_t n = strlen(a->prefix) + strlen(a->name) + 2;
        snprintf(p, n, "%s:%s", a->prefix, a->name);
        a->full = p;
        p += n;
        if (!gen_cimap_get(&c->by_service, a->prefix, "", 0))
            return tt_fail(err, TT_ERR_FORMAT, "IAM catalog: action %s of an unknown service", a->full);
        if (gen_cimap_put(&c->by_action, a->prefix, a->name, a) != a)
            return tt_fail(err, TT_ERR_FORMAT, "IAM catalog: action %s twice", a->full);
    }
    if (!c->version || c->nacts == 0)
        return tt_fail(err, TT_ERR_FORMAT, "IAM catalog: no version line or no actions");
    return TT_OK;
}

tt_status gen_catalog_parse(gen_catalog **out, const char *text, size_t n, tt_error *err)
{
    *out = NULL;
    if (n > CAT_MAX_BYTES)
        return tt_fail(err, TT_ERR_LIMIT, "IAM catalog: %zu bytes, over the cap of %u", n, CAT_MAX_BYTES);
    gen_catalog *c = tt_xcalloc(1, sizeof *c);
    c->text = tt_xstrndup(text, n);
    tt_status st = TT_OK;
    size_t lineno = 0;
    char *cur = c->text, *line;
    while (st == TT_OK && (line = tt_tsv_line(&cur)) != NULL)
        st = parse_line(c, line, ++lineno, err);
    if (st == TT_OK)
        st = index_all(c, err);
    if (st != TT_OK) {
        gen_catalog_free(c);
        return st;
    }
    *out = c;
    return TT_OK;
}

tt_status gen_catalog_load(gen_catalog **out, tt_error *err)
{
    return gen_catalog_parse(out, (const char *)gen_data_catalog, gen_data_catalog_len, err);
}

void gen_catalog_free(gen_catalog *c)
{
    if (!c)
        return;
    gen_cimap_free(&c->by_action);
    gen_cimap_free(&c->by_service);
    gen_cimap_free(&c->by_resource);
    free(c->full_names);
    free(c->acts);
    free(c->svcs);
    free(c->res);
    free(c->text);
    free(c);
}

const gen_action *gen_catalog_find(const gen_catalog *c, const char *prefix, const char *name,
                                   size_t name_len)
{
    return gen_cimap_get(&c->by_action, prefix, name, name_len);
}

const gen_action *gen_catalog_find_full(const gen_catalog *c, const char *action)
{
    const char *colon = strchr(action, ':');
    char prefix[128];
    if (!colon || colon == action || (size_t)(colon - action) >= sizeof prefix)
        return NULL;
    memcpy(prefix, action, (size_t)(colon - action));
    prefix[colon - action] = '\0';
    return gen_catalog_find(c, prefix, colon + 1, strlen(colon + 1));
}

const char *gen_catalog_service(const gen_catalog *c, const char *prefix)
{
    const cat_service *s = gen_cimap_get(&c->by_service, prefix, "", 0);
    return s ? s->name : NULL;
}

const char *gen_catalog_arn(const gen_catalog *c, const char *prefix, const char *resource)
{
    const cat_resource *r = gen_cimap_get(&c->by_resource, prefix, resource, strlen(resource));
    return r ? r->arn : NULL;
}

size_t gen_catalog_count(const gen_catalog *c) { return c->nacts; }
const gen_action *gen_catalog_at(const gen_catalog *c, size_t i) { return i < c->nacts ? &c->acts[i] : NULL; }
size_t gen_catalog_services(const gen_catalog *c) { return c->nsvcs; }
const char *gen_catalog_package(const gen_catalog *c) { return c->package; }
const char *gen_catalog_version(const gen_catalog *c) { return c->version; }
const char *gen_catalog_date(const gen_catalog *c) { return c->date; }

const char *gen_levels_text(const char *letters, char *buf, size_t n)
{
    static const struct {
        char letter;
        const char *text;
    } names[] = {{'R', "Read"}, {'W', "Write"}, {'L', "List"}, {'T', "Tagging"}, {'P', "Permissions management"}};
    size_t used = 0;
    if (n)
        buf[0] = '\0';
    for (const char *p = letters; *p; p++)
        for (size_t i = 0; i < sizeof names / sizeof *names; i++)
            if (names[i].letter == *p) {
                int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", names[i].text);
                if (w > 0 && (size_t)w < n - used)
                    used += (size_t)w;
            }
    return buf;
}

const char *gen_catalog_data_version(char *buf, size_t n)
{
    const char *t = (const char *)gen_data_catalog;
    const char *v = strstr(t, "\nV\t");
    snprintf(buf, n, "unknown");
    if (!v)
        return buf;
    v += 3;
    size_t len = strcspn(v, "\n");
    char line[256];
    snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line ? len : sizeof line - 1), v);
    char *f[3] = {line, NULL, NULL};
    for (int i = 1; i < 3 && f[i - 1]; i++) {
        f[i] = strchr(f[i - 1], '\t');
        if (f[i])
            *f[i]++ = '\0';
    }
    if (f[1] && f[2]) {
        f[2][strcspn(f[2], "\t")] = '\0';
        snprintf(buf, n, "%s %s of %s", f[0], f[1], f[2]);
    }
    return buf;
}
