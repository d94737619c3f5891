/*
 * fingerprint.c - field-group fingerprints of events (see the header). The
 * order of fields and the seeds are part of the store's format: stored
 * dictionaries are re-fingerprinted with these same functions on reopen.
 */
#include "fingerprint.h"

#include <string.h>

tt_fp tt_fp_str(tt_str s)
{
    if (s.n == 0)
        return (tt_fp){0, 0};
    return tt_fp_of(s.p, s.n, 0x5bd1e995u);
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

/* Chains the fields: each field's hash seeds the next, with its position
 * and length folded in, so ("ab","c") and ("a","bc") differ. */
static tt_fp chain(const tt_str *f, int n, uint64_t seed)
{
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
    return chain(f, TT_IDENTITY_FIELDS, 0x243f6a8885a308d3ULL + (uint64_t)mfa);
}

tt_fp tt_fp_shape(const tt_str f[TT_SHAPE_FIELDS], int flags)
{
    return chain(f, TT_SHAPE_FIELDS, 0x13198a2e03707344ULL + (uint64_t)flags);
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
    out->minted = tt_fp_str(ev->minted_key);
    if (ev->event_id.n)
        out->key = (int64_t)tt_hash64(ev->event_id.p, ev->event_id.n, 0x6576656e74ULL);
    else if (data && ev->raw_len)
        out->key = (int64_t)(tt_hash64(data + ev->raw_off, ev->raw_len, 0x726177ULL) | 1);
    else
        out->key = 0;
}
