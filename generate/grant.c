/*
 * grant.c - the `policy` rule (grant.h): a rollup row resolved through the
 * mapping and sorted into granted actions and calls never granted.
 */
#include "grant.h"

#include "common/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[GEN_GRANT_NKINDS] = {
    "granted", "denied_attempts", "failed", "via_service", "service_events", "no_permission_needed", "unmapped"};
static const char *const kind_text[GEN_GRANT_NKINDS] = {
    "granted", "denied attempts", "failed calls (other errors)", "calls made by an AWS service on its behalf",
    "AWS service events", "calls that need no permission", "unmapped calls"};

const char *gen_grant_kind_name(gen_grant_kind k)
{
    return kind_names[k];
}

const char *gen_grant_kind_text(gen_grant_kind k)
{
    return kind_text[k];
}

static void item_add(gen_grant *a, gen_grant_kind k, const char *source, const char *event, int64_t calls,
                     const char *detail)
{
    if (a->nitems == a->aitems)
        a->items = tt_xrealloc(a->items, (a->aitems = a->aitems ? a->aitems * 2 : 32) * sizeof *a->items);
    a->items[a->nitems++] = (gen_grant_item){k, tt_xstrdup(source), tt_xstrdup(event), tt_xstrdup(detail), calls};
    a->calls[k] += calls;
}

void gen_grant_reset(gen_grant *a)
{
    for (size_t i = 0; i < a->nitems; i++) {
        free(a->items[i].source);
        free(a->items[i].event);
        free(a->items[i].detail);
    }
    a->nitems = 0;
    a->nacts = 0;
    memset(a->calls, 0, sizeof a->calls);
}

void gen_grant_free(gen_grant *a)
{
    gen_grant_reset(a);
    free(a->items);
    free(a->acts);
}

/* The actions of a mapping result as text, granted ones only or all. */
static void actions_text(const gen_map_result *r, int granted_only, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->n; i++) {
        if (granted_only && !r->acts[i].granted)
            continue;
        int w = snprintf(buf + used, n - used, "%s%s", used ? " " : "", r->acts[i].action->full);
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
}

tt_status gen_grant_classify(gen_grant *a, const gen_map *map, const store_gen_usage *u, gen_grant_decide_fn decide,
                             void *ctx, tt_error *err)
{
    gen_map_result r;
    gen_map_resolve(map, u->source, u->event, &r);
    int64_t ok = u->calls - u->errors - u->via_service - u->service_events;
    if (ok > 0 && r.conditional && decide) {
        tt_status st = decide(ctx, u, &r, err);
        if (st != TT_OK)
            return st;
    }
    char acts[1024];
    actions_text(&r, 1, acts, sizeof acts);
    int64_t failed = u->errors - u->denied;
    if (u->denied > 0)
        item_add(a, GEN_GRANT_DENIED, u->source, u->event, u->denied, acts[0] ? acts : gen_rule_name(r.rule));
    if (failed > 0)
        item_add(a, GEN_GRANT_FAILED, u->source, u->event, failed, acts[0] ? acts : gen_rule_name(r.rule));
    if (u->via_service > 0)
        item_add(a, GEN_GRANT_VIA, u->source, u->event, u->via_service, acts[0] ? acts : gen_rule_name(r.rule));
    if (u->service_events > 0)
        item_add(a, GEN_GRANT_SERVICE_EVENT, u->source, u->event, u->service_events, "never granted");
    if (ok <= 0)
        return TT_OK;
    if (r.rule == GEN_RULE_UNMAPPED) {
        item_add(a, GEN_GRANT_UNMAPPED, u->source, u->event, ok, r.reason);
        return TT_OK;
    }
    if (!acts[0]) {
        item_add(a, GEN_GRANT_NO_PERMISSION, u->source, u->event, ok, r.reason);
        return TT_OK;
    }
    item_add(a, GEN_GRANT_GRANTED, u->source, u->event, ok, acts);
    for (size_t i = 0; i < r.n; i++) {
        if (!r.acts[i].granted)
            continue;
        if (a->nacts == a->aacts)
            a->acts = tt_xrealloc(a->acts, (a->aacts = a->aacts ? a->aacts * 2 : 64) * sizeof *a->acts);
        a->acts[a->nacts++] = r.acts[i].action;
    }
    return TT_OK;
}
