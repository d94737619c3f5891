/*
 * fingerprint.h - the keys under which the store's writer files an event's
 * strings, computed wherever there is CPU to spare (the ingest workers), so
 * that the single writer only probes its tables.
 *
 * An event's fields fall into groups that repeat together:
 *   identity - who called (userIdentity and its session), with the key;
 *   shape    - what was called and how it ended: source, name, region,
 *              error code, event type and category, recipient account,
 *              event version, readOnly and managementEvent;
 *   and three fields on their own: source IP, user agent, and the
 *   request's skeleton (ingest/skeleton.h).
 * key is the event's de-duplication key: a hash of its eventID, or of its
 * bytes when it has none (eventVersion 1.0).
 */
#ifndef TT_FINGERPRINT_H
#define TT_FINGERPRINT_H

#include "event.h"
#include "hash.h"

typedef struct tt_event_fp {
    tt_fp identity, shape, ip, ua, request; /* {0,0} for an empty string */
    int64_t key;
    /* first.x: the index, in the same object, of the first event whose x
     * has this fingerprint, so that the writer looks each distinct value
     * up once per object and copies it to the rest; TT_FP_UNLINKED until
     * tt_event_fp_link() has run. */
    struct {
        uint32_t identity, shape, ip, ua, request;
    } first;
} tt_event_fp;

#define TT_FP_UNLINKED UINT32_MAX

/* The fingerprint of one string field ({0,0} when empty). */
tt_fp tt_fp_str(tt_str s);

/* The same under an explicit secret (a store's, read from its file). */
tt_fp tt_fp_str_keyed(tt_str s, uint64_t secret);

/* The identity and shape fields in their fixed order, for whoever must
 * rebuild a fingerprint from stored strings. */
#define TT_IDENTITY_FIELDS 10
#define TT_SHAPE_FIELDS 8
void tt_identity_fields(const tt_event *ev, tt_str f[TT_IDENTITY_FIELDS]);
void tt_shape_fields(const tt_event *ev, tt_str f[TT_SHAPE_FIELDS]);

/* Fingerprints of field tuples (plus the small integer parts). */
tt_fp tt_fp_identity(const tt_str f[TT_IDENTITY_FIELDS], int mfa);
tt_fp tt_fp_shape(const tt_str f[TT_SHAPE_FIELDS], int flags);

/* readOnly and managementEvent packed as the store keeps them. */
static inline int tt_event_flags(const tt_event *ev)
{
    return ev->read_only | ev->management << 2;
}

/* Everything for one event. data is the decompressed object the event's
 * raw_off points into (may be NULL: then an event without an eventID gets
 * key 0). */
void tt_event_fingerprint(const tt_event *ev, const char *data, tt_event_fp *out);

/* Fills fps[i].first for the n events of one object (n < UINT32_MAX).
 * *table (of *cap slots; NULL and 0 at first) is scratch, grown as needed,
 * reused across calls and freed by the caller; it holds at most
 * tt_event_fp_link_bytes(n) bytes. */
void tt_event_fp_link(tt_event_fp *fps, size_t n, uint32_t **table, size_t *cap);
size_t tt_event_fp_link_bytes(size_t n);

#endif /* TT_FINGERPRINT_H */
