/*
 * key_data.c - the compiled-in tables of cmd/data/forensics-*.tsv: which
 * calls matter (category, details to show, source of the entry) and which
 * user agents belong to attack tools.
 */
#define _GNU_SOURCE
#include "key_model.h"

#include "common/mem.h"
#include "common/tsv.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const unsigned char key_data_calls[];
extern const unsigned char key_data_agents[];

/* Splits text (modified in place) into lines of ncols TAB-separated fields,
 * skipping comments and blank lines; calls fn per line. */
static void each_line(char *text, int ncols, void (*fn)(key_data *, char **), key_data *d,
                      const char *what)
{
    char *cur = text, *line;
    while ((line = tt_tsv_line(&cur)) != NULL) {
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *f[8] = {0};
        int n = tt_tsv_split(line, f, ncols < 8 ? ncols + 1 : 8);
        if (n != ncols) {
            fprintf(stderr, "trailtrim: %s: a line has %d fields, not %d\n", what, n, ncols);
            abort();
        }
        fn(d, f);
    }
}

static void add_rule(key_data *d, char **f)
{
    d->rules = tt_xrealloc(d->rules, (d->nrules + 1) * sizeof *d->rules);
    d->rules[d->nrules++] = (key_rule){f[0], f[1], f[2], f[3], f[4]};
    for (size_t i = 0; i < d->ncats; i++)
        if (strcmp(d->cats[i], f[0]) == 0)
            return;
    d->cats = tt_xrealloc(d->cats, (d->ncats + 1) * sizeof *d->cats);
    d->cats[d->ncats++] = f[0];
}

static void add_agent(key_data *d, char **f)
{
    d->agents = tt_xrealloc(d->agents, (d->nagents + 1) * sizeof *d->agents);
    d->agents[d->nagents++] = (key_agent){f[0], f[1], f[2]};
}

void key_data_load(key_data *d)
{
    memset(d, 0, sizeof *d);
    size_t a = strlen((const char *)key_data_calls), b = strlen((const char *)key_data_agents);
    d->text = tt_xmalloc(a + b + 2);
    memcpy(d->text, key_data_calls, a + 1);
    memcpy(d->text + a + 1, key_data_agents, b + 1);
    each_line(d->text, 5, add_rule, d, "forensics-calls.tsv");
    each_line(d->text + a + 1, 3, add_agent, d, "forensics-agents.tsv");
}

void key_data_free(key_data *d)
{
    free(d->text);
    free(d->rules);
    free(d->agents);
    free(d->cats);
    memset(d, 0, sizeof *d);
}

const key_rule *key_data_rule(const key_data *d, const char *source, const char *name)
{
    for (size_t i = 0; i < d->nrules; i++)
        if (strcmp(d->rules[i].source, source) == 0 &&
            fnmatch(d->rules[i].event_glob, name, 0) == 0)
            return &d->rules[i];
    return NULL;
}

const key_agent *key_data_agent(const key_data *d, const char *ua)
{
    for (size_t i = 0; i < d->nagents; i++)
        if (strcasestr(ua, d->agents[i].substr))
            return &d->agents[i];
    return NULL;
}

int key_is_denied(const char *e)
{
    static const char *const denied[] = {"AccessDenied", "Unauthorized", "NotAuthorized",
                                         "Forbidden"};
    for (size_t i = 0; e[0] && i < sizeof denied / sizeof *denied; i++)
        if (strstr(e, denied[i]))
            return 1;
    return 0;
}
