/*
 * policy_render.c - policy_render_* (policy_render.h): `policy`'s JSON
 * report and its summary on stderr, from the grant model.
 */
#include "policy_render.h"
#include "out.h"

#include "common/ttime.h"

#include <stdio.h>

void policy_render_report(FILE *f, const gen_grant *a, const gen_policy_set *set, int32_t from_day, int32_t to_day)
{
    out *w = out_open(f, OUT_JSON, 1);
    char from[11], to[11], num[32];
    tt_day_format(from_day, from);
    tt_day_format(to_day, to);
    out_kv_section(w, "summary");
    out_kv(w, "principal", a->arn, 0);
    out_kv(w, "type", a->type, 0);
    out_kv(w, "from", from, 0);
    out_kv(w, "to", to, 0);
    snprintf(num, sizeof num, "%zu", set ? gen_policy_count(set) : 0);
    out_kv(w, "policies", num, 1);
    size_t nacts = 0;
    for (size_t i = 0; set && i < gen_policy_count(set); i++)
        nacts += gen_policy_actions(set, i);
    snprintf(num, sizeof num, "%zu", nacts);
    out_kv(w, "actions", num, 1);
    for (int k = 0; k < GEN_GRANT_NKINDS; k++) {
        char key[64];
        snprintf(key, sizeof key, "%s_calls", gen_grant_kind_name(k));
        snprintf(num, sizeof num, "%lld", (long long)a->calls[k]);
        out_kv(w, key, num, 1);
    }
    static const char *cols[] = {"source", "event", "calls", "detail"};
    static const int is_num[] = {0, 0, 1, 0};
    for (int k = 0; k < GEN_GRANT_NKINDS; k++) {
        out_section(w, gen_grant_kind_name(k), 4, cols);
        for (size_t i = 0; i < a->nitems; i++) {
            if (a->items[i].kind != (gen_grant_kind)k)
                continue;
            snprintf(num, sizeof num, "%lld", (long long)a->items[i].calls);
            const char *text[4] = {a->items[i].source, a->items[i].event, num, a->items[i].detail};
            out_row(w, text, is_num);
        }
    }
    out_close(w);
    fputc('\n', f);
}

void policy_render_summary(FILE *f, const gen_grant *a, const gen_policy_set *set)
{
    size_t nacts = 0, ndocs = set ? gen_policy_count(set) : 0;
    for (size_t i = 0; i < ndocs; i++)
        nacts += gen_policy_actions(set, i);
    fprintf(f, "trailtrim policy: ");
    out_safe(f, a->arn);
    fprintf(f, ": %zu actions from %lld successful calls", nacts, (long long)a->calls[GEN_GRANT_GRANTED]);
    if (ndocs > 1)
        fprintf(f, "; split into %zu managed policies (IAM allows %d characters each)", ndocs,
                GEN_POLICY_MAX_CHARS);
    fputc('\n', f);
    for (int k = 1; k < GEN_GRANT_NKINDS; k++) {
        if (!a->calls[k])
            continue;
        fprintf(f, "  not granted: %lld %s:", (long long)a->calls[k], gen_grant_kind_text(k));
        int named = 0;
        for (size_t i = 0; i < a->nitems; i++) {
            if (a->items[i].kind != (gen_grant_kind)k)
                continue;
            if (named++ == POLICY_RENDER_NAMED) {
                fputs(" ...", f);
                break;
            }
            fputs(" ", f);
            out_safe(f, a->items[i].source);
            fputs(" ", f);
            out_safe(f, a->items[i].event);
            fprintf(f, " (%lld)", (long long)a->items[i].calls);
        }
        fputc('\n', f);
    }
}
