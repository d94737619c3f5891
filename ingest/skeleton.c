/*
 * skeleton.c - ingest_skeleton (skeleton.h): one recursive walk over the
 * value with the scanner, writing into a bounded buffer. Overflow of the
 * buffer or of an array's distinct shapes turns the whole result into "?".
 */
#include "skeleton.h"

#include <string.h>

typedef struct skel {
    json_scanner *s;
    char *out;
    size_t len, cap;
    int over; /* past a cap: the result is "?" */
} skel;

static void put(skel *k, const char *p, size_t n)
{
    if (k->len + n > k->cap) {
        k->over = 1;
        return;
    }
    memcpy(k->out + k->len, p, n);
    k->len += n;
}

static tt_status value(skel *k, const json_str *key);

/* Whether a key ends in "type", case aside: its short strings are kept. */
static int enum_key(const json_str *key)
{
    if (!key || key->escaped || key->n < 4)
        return 0;
    const char *t = key->p + key->n - 4;
    return (t[0] | 32) == 't' && (t[1] | 32) == 'y' && (t[2] | 32) == 'p' && (t[3] | 32) == 'e';
}

static tt_status string(skel *k, const json_str *key)
{
    json_str v;
    if (json_string(k->s, &v) != TT_OK)
        return k->s->status;
    if (v.n == 0)
        return TT_OK;
    if (enum_key(key) && !v.escaped && v.n <= 32) {
        put(k, "\"", 1);
        put(k, v.p, v.n);
        put(k, "\"", 1);
    } else {
        put(k, "1", 1);
    }
    return TT_OK;
}

static tt_status object(skel *k)
{
    json_str key;
    int more;
    size_t start = k->len;
    if (json_open(k->s) != TT_OK)
        return k->s->status;
    put(k, "{", 1);
    int members = 0;
    for (int first = 1; (more = json_obj_next(k->s, &key, first)) > 0; first = 0) {
        size_t mark = k->len;
        put(k, members ? ",\"" : "\"", members ? 2 : 1);
        put(k, key.p, key.n);
        put(k, "\":", 2);
        size_t at = k->len;
        tt_status st = value(k, &key);
        if (st != TT_OK)
            return st;
        if (k->len == at)
            k->len = mark; /* not given: drop the member */
        else
            members++;
    }
    if (more < 0)
        return k->s->status;
    if (members)
        put(k, "}", 1);
    else
        k->len = start;
    return TT_OK;
}

/* Whether the element skeleton at out[at..len) is one of those before it
 * in the array (each recorded by its offset and length). */
static int seen(const skel *k, const size_t *offs, const size_t *lens, int n, size_t at)
{
    size_t len = k->len - at;
    for (int i = 0; i < n; i++)
        if (lens[i] == len && memcmp(k->out + offs[i], k->out + at, len) == 0)
            return 1;
    return 0;
}

static tt_status array(skel *k)
{
    size_t offs[INGEST_SKELETON_ITEMS], lens[INGEST_SKELETON_ITEMS];
    int n = 0, more;
    size_t start = k->len;
    if (json_open(k->s) != TT_OK)
        return k->s->status;
    put(k, "[", 1);
    for (int first = 1; (more = json_arr_next(k->s, first)) > 0; first = 0) {
        size_t mark = k->len;
        if (n)
            put(k, ",", 1);
        size_t at = k->len;
        tt_status st = value(k, NULL);
        if (st != TT_OK)
            return st;
        if (k->len == at || seen(k, offs, lens, n, at)) {
            k->len = mark;
            continue;
        }
        if (n == INGEST_SKELETON_ITEMS) {
            k->over = 1;
            k->len = mark;
            continue;
        }
        offs[n] = at;
        lens[n++] = k->len - at;
    }
    if (more < 0)
        return k->s->status;
    if (n)
        put(k, "]", 1);
    else
        k->len = start;
    return TT_OK;
}

static tt_status value(skel *k, const json_str *key)
{
    switch (json_peek(k->s)) {
    case '{': return object(k);
    case '[': return array(k);
    case '"': return string(k, key);
    case 'n':
    case 'f': return json_skip_value(k->s);
    default:
        put(k, "1", 1);
        return json_skip_value(k->s);
    }
}

size_t ingest_skeleton(json_scanner *s, char *out, size_t cap)
{
    skel k = {s, out, 0, cap < INGEST_SKELETON_MAX ? cap : INGEST_SKELETON_MAX, 0};
    if (value(&k, NULL) != TT_OK)
        return 0;
    if (k.over) {
        memcpy(out, "?", 1);
        return 1;
    }
    if (k.len == 0 || out[0] != '{') {
        memcpy(out, "{}", 2); /* nothing given (or not an object: nothing to name) */
        return 2;
    }
    return k.len;
}
