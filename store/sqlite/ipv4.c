/*
 * ipv4.c - the event table's source IP (see sqlite_int.h, "ip column"):
 * a canonical dotted-quad IPv4 address is kept in the row itself, and
 * every other value in dict.
 */
#include "sqlite_int.h"

#include <stdio.h>

/* One decimal octet at p[*i]: 0-255, no leading zero, at most 3 digits. */
static int octet(const char *p, size_t n, size_t *i, uint32_t *out)
{
    size_t start = *i;
    uint32_t v = 0;
    while (*i < n && *i - start < 4 && p[*i] >= '0' && p[*i] <= '9')
        v = v * 10 + (uint32_t)(p[(*i)++] - '0');
    size_t digits = *i - start;
    if (digits == 0 || digits > 3 || v > 255 || (digits > 1 && p[start] == '0'))
        return 0;
    *out = v;
    return 1;
}

int sq_ipv4_encode(const char *p, size_t n, int64_t *col)
{
    uint32_t addr = 0;
    size_t i = 0;
    for (int k = 0; k < 4; k++) {
        uint32_t o;
        if (k > 0 && (i >= n || p[i++] != '.'))
            return 0;
        if (!octet(p, n, &i, &o))
            return 0;
        addr = addr << 8 | o;
    }
    if (i != n)
        return 0;
    *col = -(int64_t)addr - 1;
    return 1;
}

void sq_ipv4_format(int64_t col, char buf[SQ_IPV4_TEXT])
{
    uint32_t a = (uint32_t)(-(col + 1));
    snprintf(buf, SQ_IPV4_TEXT, "%u.%u.%u.%u", a >> 24, a >> 16 & 255, a >> 8 & 255, a & 255);
}
