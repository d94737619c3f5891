/*
 * event_strings.h - the strings behind an event row's ids (identity,
 * shape, IP, user agent, object), looked up once per search and kept
 * (event_strings.c). Private to store/sqlite/.
 */
#ifndef TT_EVENT_STRINGS_H
#define TT_EVENT_STRINGS_H

#include "store_forensics.h"
#include "sqlite_int.h"

typedef struct sq_ev_strings sq_ev_strings;

/* The ids of one event row, in this order. */
enum { EVS_IDENT, EVS_SHAPE, EVS_IP, EVS_UA, EVS_OBJ, EVS_IDS };

tt_status sq_ev_strings_open(sq_ev_strings **out, sq_store *s, tt_error *err);
void sq_ev_strings_close(sq_ev_strings *c); /* accepts NULL */

/* Sets every string of ev (and read_only, path, member, sha256) from the
 * ids; they stay valid until the next call. A row that is gone reads as
 * "". */
tt_status sq_ev_strings_fill(sq_ev_strings *c, const int64_t ids[EVS_IDS], store_fevent *ev,
                          tt_error *err);

#endif /* TT_EVENT_STRINGS_H */
