/*
 * store_trust.h - the reads behind `trailtrim trust`, `keys` and the trust
 * part of `unused`/`repo`. Only SQL on the documented views (events,
 * objects; docs/schema.md), never the tables under them, so that the
 * store's internals may change without touching this module.
 */
#ifndef TT_STORE_TRUST_H
#define TT_STORE_TRUST_H

#include "store.h"

/* One successful AssumeRole, AssumeRoleWithWebIdentity or
 * AssumeRoleWithSAML event and where its record is. Strings are never
 * NULL ("" when absent) and borrowed for the callback. */
typedef struct store_trust_assume {
    int64_t t; /* ms since the epoch */
    const char *name, *principal, *identity_type, *ip;
    const char *path, *member; /* the source object */
    const uint8_t *sha256;     /* 32 bytes, or NULL when not recorded */
    int64_t off;               /* the record's byte offset in the object */
} store_trust_assume;

typedef int (*store_trust_assume_fn)(void *ctx, const store_trust_assume *a); /* nonzero stops */

/* Streams those events in [since_ms, until_ms) (0 = open), in time order. */
tt_status store_trust_each_assume(store *s, int64_t since_ms, int64_t until_ms, store_trust_assume_fn fn,
                                  void *ctx, tt_error *err);

/* The long-lived access keys (AKIA...) that made calls in [since_ms,
 * until_ms), one query per kind of row, through store_row:
 *  STORE_KEYS_SUMMARY: key, owner, type, first_ms, last_ms, calls, errors,
 *                      services, regions, ips, agents (distinct counts);
 *  STORE_KEYS_NEWEST:  key, ip, agent (of its last call; of calls in one
 *                      millisecond, the greatest ip, then agent);
 *  STORE_KEYS_SERVICES / _REGIONS: key, value, calls;
 *  STORE_KEYS_MINTED:  key, event, keys (calls that minted a key, per
 *                      event name, and how many distinct keys). */
typedef enum store_keys_kind {
    STORE_KEYS_SUMMARY = 0,
    STORE_KEYS_NEWEST,
    STORE_KEYS_SERVICES,
    STORE_KEYS_REGIONS,
    STORE_KEYS_MINTED
} store_keys_kind;

tt_status store_keys_rows(store *s, store_keys_kind kind, int64_t since_ms, int64_t until_ms, store_row_fn fn,
                          void *ctx, tt_error *err);

#endif /* TT_STORE_TRUST_H */
