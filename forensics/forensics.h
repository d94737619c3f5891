/*
 * forensics.h - what the store and the source logs say about a key or a
 * filter of events: the evidence cursor (events of a filter with their
 * source records read back and hash-checked, in one pass: `key`, `search
 * --raw`, `policy --resources observed`) and the key report's builder. The
 * model it builds is key_model.h; report/ renders it.
 */
#ifndef TT_FORENSICS_H
#define TT_FORENSICS_H

#include "key_model.h"

#include "common/tt.h"
#include "store/store.h"
#include "store/store_forensics.h"

#include <stddef.h>
#include <stdint.h>

/* ---- the evidence cursor ------------------------------------------------ */

typedef struct forensics_evidence forensics_evidence;

/* The folder of the store file db into dst[0..n) ("." for a bare name):
 * where relative source paths recorded in the manifest are tried when
 * records are read back. */
void forensics_store_dir(const char *db, char *dst, size_t n);

/* A cursor over the events of store st (borrowed; it must outlive the
 * cursor) that reads records back from their source objects: a relative
 * object path is tried from here, then from base_dir (the store's folder).
 * An object is decompressed up to max_object_bytes, and the last few are
 * kept, so that neighbouring records cost one read. */
forensics_evidence *forensics_evidence_create(store *st, const char *base_dir, size_t max_object_bytes);
void forensics_evidence_free(forensics_evidence *c); /* accepts NULL */

/* What the cursor does with one event: skip it, hand it on without its
 * record, or read its record back first. */
typedef enum forensics_want { FORENSICS_SKIP = 0, FORENSICS_EVENT, FORENSICS_RECORD } forensics_want;

/* One event, and its record when FORENSICS_RECORD was asked: rec[0..len)
 * is the record as logged, its object's SHA-256 checked against the one
 * recorded at ingest; when it cannot be read, rec is NULL and problem says
 * why (TT_ERR_FORMAT: the object changed since). Everything is borrowed for
 * the callback. */
typedef struct forensics_item {
    const store_fevent *ev;
    const char *rec;
    size_t len;
    const tt_error *problem; /* NULL when the record was read or not asked for */
} forensics_item;

/* Decides per event (NULL: FORENSICS_RECORD for every event). */
typedef forensics_want (*forensics_want_fn)(void *ctx, const store_fevent *ev);
/* Gets each event not skipped; return non-zero to stop. */
typedef int (*forensics_item_fn)(void *ctx, const forensics_item *it);

/* Streams the events matching f in time order (store_each_event), each
 * through want and then, unless skipped, fn. A record that cannot be read
 * is not an error of the walk: fn sees its problem. */
tt_status forensics_evidence_each(forensics_evidence *c, const store_filter *f, forensics_want_fn want,
                                  forensics_item_fn fn, void *ctx, tt_error *err);

/* Reads one record back later (by the place an earlier item named): the
 * same checks as the walk. *rec is valid until the next read. */
tt_status forensics_evidence_record(forensics_evidence *c, const char *path, const char *member, int64_t off,
                                    const uint8_t *sha256, const char **rec, size_t *len, tt_error *err);

/* Whether a record is a call an AWS service made on the principal's behalf
 * (userIdentity.invokedBy) or an AWS service event: never granted to the
 * principal (the `policy` rule). */
int forensics_record_via_service(const char *rec, size_t len);

/* ---- the key report ----------------------------------------------------- */

/* Builds the report for key over [since, until) (0 = open) from the
 * events of store st. details_cap bounds how many flagged calls get their
 * request details read back from the source objects; base_dir is where
 * relative object paths are tried when they are not found from here.
 * TT_ERR_NOTFOUND when the key is in no event. Free it with
 * key_report_free (key_model.h). */
tt_status key_report_build(key_report *r, store *st, const key_data *d, const char *key,
                           int64_t since, int64_t until, size_t details_cap, const char *base_dir,
                           tt_error *err);

#endif /* TT_FORENSICS_H */
