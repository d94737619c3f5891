/*
 * mapping_render.c - mapping_render_explain (mapping_render.h): how the
 * mapping resolved one CloudTrail event, as key-values and a table.
 */
#include "mapping_render.h"

#include <stdio.h>

void mapping_render_explain(FILE *f, out_format fmt, const char *source, const char *name, const gen_map_result *r)
{
    out *w = out_open(f, fmt, 1);
    out_kv_section(w, "mapping");
    out_kv(w, "source", source, 0);
    out_kv(w, "event", name, 0);
    out_kv(w, "rule", gen_rule_name(r->rule), 0);
    out_kv(w, "reason", r->reason, 0);
    out_kv(w, "prefix", r->prefix[0] ? r->prefix : NULL, 0);
    out_kv(w, "prefix_from", !r->prefix[0] ? NULL : r->prefix_from_table ? "the eventSource table (iam-dataset)" : "the eventSource host name", 0);
    out_kv(w, "date_suffix_stripped", r->date_suffix ? r->name : NULL, 0);
    out_kv(w, "sdk_method", r->sdk_method, 0);
    static const char *cols[] = {"action", "access_level", "in_catalog", "granted", "only_with_parameter"};
    out_section(w, "actions", 5, cols);
    for (size_t i = 0; i < r->n; i++) {
        char lv[96], param[128];
        const gen_map_action *a = &r->acts[i];
        snprintf(param, sizeof param, "%.*s", (int)a->param_len, a->param ? a->param : "");
        const char *text[5] = {a->action->full, gen_levels_text(a->action->levels, lv, sizeof lv), "yes",
                               a->granted ? "yes" : "no", a->param ? param : NULL};
        static const int is_num[5] = {0};
        out_row(w, text, is_num);
    }
    out_close(w);
}
