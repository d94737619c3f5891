/*
 * fingerprint.c - field-group fingerprints of events (see the header). The
 * store keeps them beside the rows they stand for, under its own secret
 * (hash.h), so that a later run finds a row by its fingerprint.
 */
#include "fingerprint.h"

#include "mem.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

tt_fp tt_fp_str(tt_str s)
{
    if (s.n == 0)
        return (tt_fp){0, 0};
    return tt_fp_of(s.p, s.n, 0x5bd1e995u);
}

tt_fp tt_fp_str_keyed(tt_str s, uint64_t secret)
{
    if (s.n == 0)
        return (tt_fp){0, 0};
    return tt_fp_of_keyed(s.p, s.n, 0x5bd1e995u, secret);
}

void tt_identity_fields(const tt_event *ev, tt_str f[TT_IDENTITY_FIELDS])
{
    f[0] = ev->id_type;
    f[1] = ev->id_arn;
    f[2] = ev->id_account;
    f[3] = ev->id_principal;
    f[4] = ev->id_user_name;
    f[5] = ev->id_invoked_by;
    f[6] = ev->issuer_type;
    f[7] = ev->issuer_arn;
    f[8] = ev->source_identity;
    f[9] = ev->id_access_key;
}

void tt_shape_fields(const tt_event *ev, tt_str f[TT_SHAPE_FIELDS])
{
    f[0] = ev->event_source;
    f[1] = ev->event_name;
    f[2] = ev->region;
    f[3] = ev->error_code;
    f[4] = ev->event_type;
    f[5] = ev->event_category;
    f[6] = ev->recipient_account;
    f[7] = ev->event_version;
}

/* Lays the fields end to end, each behind its length (so ("ab","c") and
 * ("a","bc") differ), and hashes the lot in one pass: one call instead of
 * one per field. Tuples too long for the stack buffer are hashed field by
 * field into a running seed instead, with the same length framing. */
#define TUPLE_BUF 2048

static tt_fp tuple(const tt_str *f, int n, uint64_t seed)
{
    unsigned char buf[TUPLE_BUF];
    size_t used = 0;
    for (int i = 0; i < n; i++) {
        uint32_t len = f[i].n;
        if (used + 4 + len > sizeof buf) {
            used = SIZE_MAX;
            break;
        }
        memcpy(buf + used, &len, 4);
        if (len)
            memcpy(buf + used + 4, f[i].p, len);
        used += 4 + len;
    }
    if (used != SIZE_MAX)
        return tt_fp_of(buf, used, seed);
    tt_fp acc = {seed, ~seed};
    for (int i = 0; i < n; i++) {
        tt_fp h = tt_fp_of(f[i].p ? f[i].p : "", f[i].n, acc.a ^ (acc.b << 1) ^ (uint64_t)i);
        acc.a ^= h.a + (uint64_t)f[i].n;
        acc.b ^= h.b;
    }
    if (!acc.a && !acc.b)
        acc.b = 1;
    return acc;
}

tt_fp tt_fp_identity(const tt_str f[TT_IDENTITY_FIELDS], int mfa)
{
    return tuple(f, TT_IDENTITY_FIELDS, 0x243f6a8885a308d3ULL + (uint64_t)mfa);
}

tt_fp tt_fp_shape(const tt_str f[TT_SHAPE_FIELDS], int flags)
{
    return tuple(f, TT_SHAPE_FIELDS, 0x13198a2e03707344ULL + (uint64_t)flags);
}

void tt_event_fingerprint(const tt_event *ev, const char *data, tt_event_fp *out)
{
    tt_str f[TT_IDENTITY_FIELDS];
    tt_identity_fields(ev, f);
    out->identity = tt_fp_identity(f, ev->mfa);
    tt_shape_fields(ev, f);
    out->shape = tt_fp_shape(f, tt_event_flags(ev));
    out->ip = tt_fp_str(ev->source_ip);
    out->ua = tt_fp_str(ev->user_agent);
    out->request = tt_fp_str(ev->request_shape);
    if (ev->event_id.n)
        out->key = (int64_t)tt_hash64(ev->event_id.p, ev->event_id.n, 0x6576656e74ULL);
    else if (data && ev->raw_len)
        out->key = (int64_t)(tt_hash64(data + ev->raw_off, ev->raw_len, 0x726177ULL) | 1);
    else
        out->key = 0;
    out->first.identity = out->first.shape = out->first.ip = out->first.ua =
        out->first.request = TT_FP_UNLINKED;
}

/* ---- linking repeats within an object ----------------------------------- */

static size_t link_slots(size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    return cap;
}

size_t tt_event_fp_link_bytes(size_t n)
{
    return link_slots(n) * sizeof(uint32_t);
}

/* One group: an open-addressing table of event index + 1 (0: empty), keyed
 * by the group's fingerprint at offset fp_off, writes first at first_off. */
static void link_group(tt_event_fp *fps, size_t n, size_t fp_off, size_t first_off,
                       uint32_t *table, size_t cap)
{
    memset(table, 0, cap * sizeof *table);
    size_t mask = cap - 1;
    for (size_t i = 0; i < n; i++) {
        tt_fp f;
        memcpy(&f, (const char *)&fps[i] + fp_off, sizeof f);
        size_t at = (size_t)(f.a ^ f.b) & mask;
        uint32_t first = (uint32_t)i;
        for (;; at = (at + 1) & mask) {
            uint32_t v = table[at];
            if (v == 0) {
                table[at] = (uint32_t)i + 1;
                break;
            }
            tt_fp g;
            memcpy(&g, (const char *)&fps[v - 1] + fp_off, sizeof g);
            if (g.a == f.a && g.b == f.b) {
                first = v - 1;
                break;
            }
        }
        memcpy((char *)&fps[i] + first_off, &first, sizeof first);
    }
}

void tt_event_fp_link(tt_event_fp *fps, size_t n, uint32_t **table, size_t *cap)
{
    size_t need = link_slots(n);
    if (*cap < need) {
        free(*table);
        *table = tt_xmalloc(need * sizeof **table);
        *cap = need;
    }
#define LINK(g) link_group(fps, n, offsetof(tt_event_fp, g), offsetof(tt_event_fp, first.g), *table, need)
    LINK(identity);
    LINK(shape);
    LINK(ip);
    LINK(ua);
    LINK(request);
#undef LINK
}
