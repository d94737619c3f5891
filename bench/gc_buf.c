/*
 * gc_buf.c - the generator's byte buffer, JSON text appenders, PRNG seeding
 * and calendar arithmetic (days from civil and back, so no gmtime).
 * Everything here is on the hot path: no printf-family calls.
 */
#include "gc.h"

#include <stdio.h>
#include <stdlib.h>

const char GC_UPPER_NUM[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const char GC_B32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const char GC_ALNUM[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const char GC_LOWER_NUM[] = "abcdefghijklmnopqrstuvwxyz0123456789";
const char GC_B64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void gc_rng_seed(gc_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

void gc_buf_grow(gc_buf *b, size_t need)
{
    size_t cap = b->cap ? b->cap : 4096;
    while (cap - b->n < need)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        fprintf(stderr, "trailtrim-gencorpus: out of memory (%zu bytes)\n", cap);
        abort();
    }
    b->p = p;
    b->cap = cap;
}

void gc_buf_free(gc_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

void gc_raw(gc_buf *b, const char *s)
{
    gc_put(b, s, strlen(s));
}

/* JSON string body: quote, backslash and control characters escaped; UTF-8
 * and everything else passes through (our inputs are valid UTF-8). */
void gc_jesc(gc_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = strlen(s);
    if (b->cap - b->n < n * 6)
        gc_buf_grow(b, n * 6);
    char *o = b->p + b->n;
    for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
        unsigned char c = *u;
        if (c == '"' || c == '\\') {
            *o++ = '\\';
            *o++ = (char)c;
        } else if (c == '\n') {
            *o++ = '\\';
            *o++ = 'n';
        } else if (c == '\t') {
            *o++ = '\\';
            *o++ = 't';
        } else if (c < 0x20) {
            memcpy(o, "\\u00", 4);
            o[4] = hex[c >> 4];
            o[5] = hex[c & 15];
            o += 6;
        } else {
            *o++ = (char)c;
        }
    }
    b->n = (size_t)(o - b->p);
}

void gc_jstr(gc_buf *b, const char *s)
{
    gc_putc(b, '"');
    gc_jesc(b, s);
    gc_putc(b, '"');
}

void gc_u64(gc_buf *b, uint64_t v)
{
    char tmp[24];
    int i = 24;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    gc_put(b, tmp + i, (size_t)(24 - i));
}

void gc_chars(gc_buf *b, gc_rng *r, const char *set, int n)
{
    uint32_t m = (uint32_t)strlen(set);
    if (b->cap - b->n < (size_t)n)
        gc_buf_grow(b, (size_t)n);
    for (int i = 0; i < n; i++)
        b->p[b->n++] = set[gc_below(r, m)];
}

void gc_hex(gc_buf *b, gc_rng *r, int n)
{
    static const char hex[] = "0123456789abcdef";
    if (b->cap - b->n < (size_t)n)
        gc_buf_grow(b, (size_t)n);
    uint64_t x = 0;
    for (int i = 0; i < n; i++) {
        if ((i & 15) == 0)
            x = gc_next(r);
        b->p[b->n++] = hex[x & 15];
        x >>= 4;
    }
}

void gc_uuid_raw(gc_buf *b, gc_rng *r)
{
    static const char hex[] = "0123456789abcdef";
    char u[36];
    uint64_t hi = gc_next(r), lo = gc_next(r);
    int k = 0;
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            u[i] = '-';
            continue;
        }
        uint64_t *src = k < 16 ? &hi : &lo;
        u[i] = hex[*src & 15];
        *src >>= 4;
        k++;
    }
    u[14] = '4';
    u[19] = hex[8 + (lo & 3)];
    gc_put(b, u, 36);
}

void gc_uuid(gc_buf *b, gc_rng *r)
{
    gc_putc(b, '"');
    gc_uuid_raw(b, r);
    gc_putc(b, '"');
}

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int64_t gc_epoch(int year, int mon, int day)
{
    return days_from_civil(year, mon, day) * 86400;
}

/* Set once by the CLI before generation starts; read everywhere after. */
int64_t gc_period_end = 20777 * 86400LL; /* 2026-11-20, GC_END_* */
int gc_period_days = GC_SPAN_DAYS;

void gc_period_set(int64_t end, int days)
{
    gc_period_end = end;
    gc_period_days = days;
}

void gc_civil(int64_t t, gc_tm *o)
{
    int64_t days = t / 86400, secs = t % 86400;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    o->wday = (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday */
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    o->day = (int)(doy - (153 * mp + 2) / 5 + 1);
    o->mon = (int)(mp < 10 ? mp + 3 : mp - 9);
    o->year = (int)(yoe + era * 400 + (o->mon <= 2));
    o->hour = (int)(secs / 3600);
    o->min = (int)(secs / 60 % 60);
    o->sec = (int)(secs % 60);
}

static void two(char *o, int v)
{
    o[0] = (char)('0' + v / 10);
    o[1] = (char)('0' + v % 10);
}

void gc_time_raw(gc_buf *b, int64_t t)
{
    gc_tm tm;
    char s[20];
    gc_civil(t, &tm);
    two(s, tm.year / 100);
    two(s + 2, tm.year % 100);
    s[4] = '-';
    two(s + 5, tm.mon);
    s[7] = '-';
    two(s + 8, tm.day);
    s[10] = 'T';
    two(s + 11, tm.hour);
    s[13] = ':';
    two(s + 14, tm.min);
    s[16] = ':';
    two(s + 17, tm.sec);
    s[19] = 'Z';
    gc_put(b, s, 20);
}

void gc_time(gc_buf *b, int64_t t)
{
    gc_putc(b, '"');
    gc_time_raw(b, t);
    gc_putc(b, '"');
}

void gc_expiration(gc_buf *b, int64_t t)
{
    static const char *mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    gc_tm tm;
    char s[4];
    gc_civil(t, &tm);
    int h12 = tm.hour % 12 ? tm.hour % 12 : 12;
    gc_putc(b, '"');
    gc_raw(b, mon[tm.mon - 1]);
    gc_putc(b, ' ');
    gc_u64(b, (uint64_t)tm.day);
    GC_LIT(b, ", ");
    gc_u64(b, (uint64_t)tm.year);
    GC_LIT(b, ", ");
    gc_u64(b, (uint64_t)h12);
    s[0] = ':';
    two(s + 1, tm.min);
    gc_put(b, s, 3);
    two(s + 1, tm.sec);
    gc_put(b, s, 3);
    gc_raw(b, tm.hour < 12 ? " AM\"" : " PM\"");
}
