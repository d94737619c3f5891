/*
 * keys_load.c - gen_keys_load (keys_load.h): the store's per-key rows
 * (store_trust.h), kind by kind, into the keys model.
 */
#include "keys_load.h"

#include "common/mem.h"

#include <stdlib.h>

typedef struct fill_ctx {
    gen_keys *k;
    store_keys_kind kind;
} fill_ctx;

static const char *cell(const store_row *row, int i)
{
    return i < row->ncols && row->text[i] ? row->text[i] : "";
}

static void fill_summary(gen_key *g, const store_row *row)
{
    free(g->owner);
    g->owner = tt_xstrdup(cell(row, 1));
    g->seen = 1;
    g->first = row->num[3];
    g->last = row->num[4];
    g->calls = row->num[5];
    g->errors = row->num[6];
    g->services = row->num[7];
    g->regions = row->num[8];
    g->ips = row->num[9];
    g->agents = row->num[10];
}

static int on_row(void *ctx, const store_row *row)
{
    fill_ctx *c = ctx;
    gen_key *g = gen_keys_get(c->k, cell(row, 0));
    switch (c->kind) {
    case STORE_KEYS_SUMMARY: fill_summary(g, row); break;
    case STORE_KEYS_NEWEST:
        free(g->newest_ip);
        free(g->newest_agent);
        g->newest_ip = tt_xstrdup(cell(row, 1));
        g->newest_agent = tt_xstrdup(cell(row, 2));
        break;
    case STORE_KEYS_SERVICES: gen_keys_list_add(&g->service_list, cell(row, 1), row->num[2]); break;
    case STORE_KEYS_REGIONS: gen_keys_list_add(&g->region_list, cell(row, 1), row->num[2]); break;
    case STORE_KEYS_MINTED: gen_keys_list_add(&g->minted, cell(row, 1), row->num[2]); break;
    }
    return 0;
}

tt_status gen_keys_load(gen_keys *k, store *st, int64_t since, int64_t until, tt_error *err)
{
    tt_status s = TT_OK;
    for (int kind = STORE_KEYS_SUMMARY; s == TT_OK && kind <= STORE_KEYS_MINTED; kind++) {
        fill_ctx c = {k, (store_keys_kind)kind};
        s = store_keys_rows(st, (store_keys_kind)kind, since, until, on_row, &c, err);
    }
    return s;
}
