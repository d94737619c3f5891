/*
 * judging.h - what `unused` and `repo` read before they judge: the IAM
 * catalog and mapping (also `policy`'s), the authorization-details file
 * (its text kept: repo and the trust review read it again), the store, and
 * the judge of the window (generate/judge.h).
 */
#ifndef TT_CMD_JUDGING_H
#define TT_CMD_JUDGING_H

#include "common/tt.h"
#include "generate/authz.h"
#include "generate/catalog.h"
#include "generate/judge.h"
#include "generate/mapping.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

/* Loads the compiled-in catalog and the mapping over it. On failure both
 * are NULL. */
tt_status cmd_load_iam(gen_catalog **cat, gen_map **map, tt_error *err);

typedef struct cmd_judging {
    gen_catalog *cat;
    gen_map *map;
    char *data; /* the file's text */
    size_t len;
    gen_authz *az;
    store *st;
    gen_judge *jg;
} cmd_judging;

/* Reads everything, in that order, for the days [from_day, to_day]; the
 * first failure stops it (what was read stays in j, for cmd_judging_close).
 * cap_name names the file's cap in the message of a file too big (NULL:
 * not named). */
tt_status cmd_judging_open(cmd_judging *j, const char *authz, const char *cap_name, const char *db_path,
                           int32_t from_day, int32_t to_day, tt_error *err);

/* Frees what j holds and zeroes it. Accepts a zeroed one. */
void cmd_judging_close(cmd_judging *j);

#endif /* TT_CMD_JUDGING_H */
