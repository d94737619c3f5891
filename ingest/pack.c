/*
 * pack.c - copying the events' strings out of the decompressed object
 * (pack.h): a table of tt_event's string fields, each with the group whose
 * link says whether an earlier event already holds its value.
 */
#include "pack.h"

#include <stdint.h>
#include <string.h>

enum group { DROP, OWN, IDENTITY, SHAPE, IP, UA, REQUEST };

/* Every string field of tt_event. The groups are those fingerprint.c hashes
 * together: a field whose group matched an earlier event's holds the same
 * bytes as that event's. Fields outside every group are copied for each
 * event; DROP fields are emptied instead: the eventID is read only into its
 * hash (tt_event_fp.key, the event's key in the store), never by a sink. */
static const struct {
    size_t off;
    unsigned char group;
} fields[] = {
    {offsetof(tt_event, event_id), DROP},
    {offsetof(tt_event, issuer_user), OWN},
    {offsetof(tt_event, minted_key), OWN},
    {offsetof(tt_event, id_type), IDENTITY},
    {offsetof(tt_event, id_arn), IDENTITY},
    {offsetof(tt_event, id_account), IDENTITY},
    {offsetof(tt_event, id_principal), IDENTITY},
    {offsetof(tt_event, id_user_name), IDENTITY},
    {offsetof(tt_event, id_invoked_by), IDENTITY},
    {offsetof(tt_event, issuer_type), IDENTITY},
    {offsetof(tt_event, issuer_arn), IDENTITY},
    {offsetof(tt_event, source_identity), IDENTITY},
    {offsetof(tt_event, id_access_key), IDENTITY},
    {offsetof(tt_event, event_source), SHAPE},
    {offsetof(tt_event, event_name), SHAPE},
    {offsetof(tt_event, region), SHAPE},
    {offsetof(tt_event, error_code), SHAPE},
    {offsetof(tt_event, event_type), SHAPE},
    {offsetof(tt_event, event_category), SHAPE},
    {offsetof(tt_event, recipient_account), SHAPE},
    {offsetof(tt_event, event_version), SHAPE},
    {offsetof(tt_event, source_ip), IP},
    {offsetof(tt_event, user_agent), UA},
    {offsetof(tt_event, request_shape), REQUEST},
};
#define NFIELDS (sizeof fields / sizeof *fields)

/* tt_event is its time, the string fields above, three one-byte flags and
 * the record's place: a string field added to it must be added to the
 * table, and this fails until it is. */
_Static_assert(sizeof(tt_event) == sizeof(int64_t) + NFIELDS * sizeof(tt_str) + 8 +
                                       sizeof(uint64_t) + 8,
               "a string field of tt_event is missing from pack.c's table");

/* The event whose copy of a group's values event i may share: an earlier
 * one, or i itself. */
static size_t source_of(const tt_event_fp *fp, size_t i, unsigned group)
{
    uint32_t first = TT_FP_UNLINKED;
    switch (group) {
    case IDENTITY: first = fp->first.identity; break;
    case SHAPE: first = fp->first.shape; break;
    case IP: first = fp->first.ip; break;
    case UA: first = fp->first.ua; break;
    case REQUEST: first = fp->first.request; break;
    default: break;
    }
    return first < i ? first : i;
}

/* Field k of ev (as strchr does, mutable when ev is). */
static tt_str *field(const tt_event *ev, size_t k)
{
    return (tt_str *)((const char *)ev + fields[k].off);
}

size_t ingest_pack_bytes(const tt_event *evs, const tt_event_fp *fps, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < NFIELDS; k++)
            if (fields[k].group != DROP && source_of(&fps[i], i, fields[k].group) == i)
                total += field(&evs[i], k)->n;
    return total;
}

void ingest_pack(tt_event *evs, const tt_event_fp *fps, size_t n, char *block)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < NFIELDS; k++) {
            tt_str *s = field(&evs[i], k);
            if (fields[k].group == DROP) {
                *s = (tt_str){NULL, 0};
                continue;
            }
            size_t from = source_of(&fps[i], i, fields[k].group);
            if (from < i) {
                *s = *field(&evs[from], k);
            } else if (s->n > 0) {
                memcpy(block, s->p, s->n);
                s->p = block;
                block += s->n;
            } else if (s->p) {
                s->p = "";
            }
        }
    }
}
