/*
 * judging.c - cmd_load_iam and cmd_judging_* (judging.h).
 */
#include "judging.h"
#include "files.h"

#include <stdlib.h>
#include <string.h>

tt_status cmd_load_iam(gen_catalog **cat, gen_map **map, tt_error *err)
{
    *map = NULL;
    tt_status s = gen_catalog_load(cat, err);
    if (s == TT_OK)
        s = gen_map_create(map, *cat, err);
    if (s != TT_OK) {
        gen_catalog_free(*cat);
        *cat = NULL;
    }
    return s;
}

tt_status cmd_judging_open(cmd_judging *j, const char *authz, const char *cap_name, const char *db_path,
                           int32_t from_day, int32_t to_day, tt_error *err)
{
    memset(j, 0, sizeof *j);
    tt_status s = cmd_load_iam(&j->cat, &j->map, err);
    if (s == TT_OK)
        s = cmd_read_file(authz, GEN_AUTHZ_MAX_BYTES, cap_name, &j->data, &j->len, err);
    if (s == TT_OK)
        s = gen_authz_parse(&j->az, j->cat, j->data, j->len, authz, err);
    if (s == TT_OK)
        s = store_open(&j->st, db_path, STORE_READ, err);
    if (s == TT_OK)
        s = gen_judge_create(&j->jg, j->cat, j->map, j->az, j->st, from_day, to_day, err);
    return s;
}

void cmd_judging_close(cmd_judging *j)
{
    gen_judge_free(j->jg);
    store_close(j->st, NULL);
    gen_authz_free(j->az);
    free(j->data);
    gen_map_free(j->map);
    gen_catalog_free(j->cat);
    memset(j, 0, sizeof *j);
}
