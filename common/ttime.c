/*
 * ttime.c - fixed-format UTC time parsing and formatting, free of the
 * locale and of the thread-unsafe libc time functions.
 */
#define _POSIX_C_SOURCE 200809L
#include "ttime.h"

#include <string.h>
#include <time.h>

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

static int parse_date(const char *s, int *y, int *mo, int *d)
{
    if (s[4] != '-' || s[7] != '-')
        return -1;
    if (digits(s, 4, y) || digits(s + 5, 2, mo) || digits(s + 8, 2, d))
        return -1;
    if (*mo < 1 || *mo > 12 || *d < 1 || *d > days_in_month(*y, *mo))
        return -1;
    return 0;
}

/* The part both parsers share: "YYYY-MM-DD", sep, "HH:MM:SS" and an
 * optional fraction, into *ms (UTC, no zone applied); *end is where the
 * zone starts. space: a space may stand for the T. */
static int parse_clock(const char *s, size_t n, int space, int64_t *ms, size_t *end)
{
    int y, mo, d, h, mi, sec, frac = 0;
    if (n < 20 || (s[10] != 'T' && s[10] != 't' && !(space && s[10] == ' ')))
        return -1;
    if (parse_date(s, &y, &mo, &d) || s[13] != ':' || s[16] != ':')
        return -1;
    if (digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &sec))
        return -1;
    if (h > 23 || mi > 59 || sec > 60)
        return -1;
    size_t i = 19;
    if (s[i] == '.') {
        int scale = 100, nd = 0;
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, nd++) {
            frac += (s[i] - '0') * scale;
            scale /= 10;
        }
        if (nd == 0)
            return -1;
    }
    int64_t days = days_from_civil(y, (unsigned)mo, (unsigned)d);
    *ms = ((days * 24 + h) * 60 + mi) * 60000LL + sec * 1000LL + frac;
    *end = i;
    return 0;
}

int tt_time_parse(const char *s, size_t n, int64_t *ms)
{
    size_t i;
    if (parse_clock(s, n, 0, ms, &i) != 0)
        return -1;
    if (i + 1 == n && (s[i] == 'Z' || s[i] == 'z'))
        return 0;
    if (i + 6 == n && (s[i] == '+' || s[i] == '-') && memcmp(s + i + 1, "00:00", 5) == 0)
        return 0; /* an explicit zero offset */
    return -1;
}

/* The zone at z[0..n): "Z"/"z", or +/-HH:MM, +/-HHMM, +/-HH. Sets the
 * offset east of UTC in minutes. */
static int zone_offset(const char *z, size_t n, int *minutes)
{
    int h = 0, m = 0;
    *minutes = 0;
    if (n == 1 && (z[0] == 'Z' || z[0] == 'z'))
        return 0;
    if (n < 3 || (z[0] != '+' && z[0] != '-'))
        return -1;
    if (n == 3 ? digits(z + 1, 2, &h)
        : n == 5 ? digits(z + 1, 2, &h) || digits(z + 3, 2, &m)
        : n == 6 && z[3] == ':' ? digits(z + 1, 2, &h) || digits(z + 4, 2, &m)
        : -1)
        return -1;
    if (h > 23 || m > 59)
        return -1;
    *minutes = (z[0] == '-' ? -1 : 1) * (h * 60 + m);
    return 0;
}

int tt_time_parse_aws(const char *s, size_t n, int64_t *ms)
{
    size_t i;
    int off;
    if (parse_clock(s, n, 1, ms, &i) != 0 || zone_offset(s + i, n - i, &off) != 0)
        return -1;
    *ms -= off * 60000LL;
    return 0;
}

int tt_time_parse_user(const char *s, int64_t now_ms, int64_t *ms)
{
    size_t n = strlen(s);
    if (strcmp(s, "now") == 0) {
        *ms = now_ms;
        return 0;
    }
    if (n >= 3 && (s[0] == '-') && (s[n - 1] == 'd' || s[n - 1] == 'h')) {
        int v;
        if ((int)(n - 2) > 6 || digits(s + 1, (int)(n - 2), &v))
            return -1;
        *ms = now_ms - (int64_t)v * (s[n - 1] == 'd' ? 86400000LL : 3600000LL);
        return 0;
    }
    if (n == 10) {
        int y, mo, d;
        if (parse_date(s, &y, &mo, &d))
            return -1;
        *ms = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400000LL;
        return 0;
    }
    return tt_time_parse(s, n, ms);
}

void tt_time_format(int64_t ms, char out[21])
{
    int64_t secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    int64_t rem = secs - days * 86400;
    int y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    unsigned hh = (unsigned)(rem / 3600), mm = (unsigned)(rem / 60 % 60),
             ss = (unsigned)(rem % 60);
    /* y is clamped so the output always fits. */
    if (y < 0)
        y = 0;
    if (y > 9999)
        y = 9999;
    char *p = out;
    p[0] = (char)('0' + y / 1000);
    p[1] = (char)('0' + y / 100 % 10);
    p[2] = (char)('0' + y / 10 % 10);
    p[3] = (char)('0' + y % 10);
    p[4] = '-';
    p[5] = (char)('0' + m / 10);
    p[6] = (char)('0' + m % 10);
    p[7] = '-';
    p[8] = (char)('0' + d / 10);
    p[9] = (char)('0' + d % 10);
    p[10] = 'T';
    p[11] = (char)('0' + hh / 10);
    p[12] = (char)('0' + hh % 10);
    p[13] = ':';
    p[14] = (char)('0' + mm / 10);
    p[15] = (char)('0' + mm % 10);
    p[16] = ':';
    p[17] = (char)('0' + ss / 10);
    p[18] = (char)('0' + ss % 10);
    p[19] = 'Z';
    p[20] = '\0';
}

void tt_day_format(int32_t day, char out[11])
{
    char full[21];
    tt_time_format((int64_t)day * 86400000LL, full);
    memcpy(out, full, 10);
    out[10] = '\0';
}

int64_t tt_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
