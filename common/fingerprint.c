/*
 * fingerprint.c - field-group fingerprints of events (see the header). The
 * store keeps them beside the rows they stand for, under its own secret
 * (hash.h), so that a later run finds a row by its fingerprint.
 */
#include "fingerprint.h"

#include <stdint.h>
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
}
