/*
 * pack.h - the strings of an object's events copied out of its
 * decompressed bytes into one small block, so that the worker lets the
 * object's buffer go (and the memory budget gets it back) before the
 * object waits for the writer.
 *
 * A value is copied once per object: an event whose identity, shape,
 * source IP, user agent or request skeleton is linked to an earlier
 * event's (tt_event_fp.first, common/fingerprint.h) points at that
 * event's copy, which holds the same bytes. Internal to ingest/.
 */
#ifndef TT_PACK_H
#define TT_PACK_H

#include "common/event.h"
#include "common/fingerprint.h"

#include <stddef.h>

/* The bytes ingest_pack() copies for these events (linked with
 * tt_event_fp_link). */
size_t ingest_pack_bytes(const tt_event *evs, const tt_event_fp *fps, size_t n);

/* Copies the events' strings into block (ingest_pack_bytes() of them) and
 * points the events at the copies; afterwards nothing in evs points into
 * the buffer they were parsed from. An empty string stays empty; its
 * pointer, NULL for an absent field, is its group's first occurrence's
 * when linked (the fingerprints do not tell absent from ""). event_id is
 * emptied (NULL) instead of copied: the fingerprints hold its hash
 * (tt_event_fp.key), which is all the store keeps of it. */
void ingest_pack(tt_event *evs, const tt_event_fp *fps, size_t n, char *block);

#endif /* TT_PACK_H */
