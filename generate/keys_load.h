/*
 * keys_load.h - the keys model (keys.h) of a window, from the store: the
 * per-key summary, the newest source IP and user agent, and the services,
 * regions and minted keys of each key (store_trust.h's store_keys_rows).
 * Apart from keys.h, which report/ reads and which names no store type.
 */
#ifndef TT_GEN_KEYS_LOAD_H
#define TT_GEN_KEYS_LOAD_H

#include "keys.h"

#include "common/tt.h"
#include "store/store.h"
#include "store/store_trust.h"

#include <stdint.h>

/* Adds to k (gen_keys_get creates a key when first named) every key the
 * store saw in [since, until) (ms), with what it did. */
tt_status gen_keys_load(gen_keys *k, store *st, int64_t since, int64_t until, tt_error *err);

#endif /* TT_GEN_KEYS_LOAD_H */
