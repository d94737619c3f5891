/*
 * ttime.h - CloudTrail timestamps: ISO 8601 UTC text <-> milliseconds since
 * the Unix epoch, and the day numbers used by the daily rollup.
 */
#ifndef TT_TTIME_H
#define TT_TTIME_H

#include <stddef.h>
#include <stdint.h>

/* Parses "YYYY-MM-DDTHH:MM:SS[.fff...]Z" (also "+00:00" and a lower-case
 * 't'/'z'). Returns 0 and sets *ms, or -1 when the text is not such a time
 * or names an impossible date. Never reads past s[n-1]. */
int tt_time_parse(const char *s, size_t n, int64_t *ms);

/* Parses the timestamps AWS tools and SDKs write, e.g. in the output of
 * `aws iam get-account-authorization-details` and the files made from it:
 * "2023-03-09T10:41:45Z", "2023-03-09 10:41:45+00:00" (Python's str() of
 * a datetime: boto3, cloudsplaining), fractional seconds of any length
 * (kept to the millisecond), and a zone "Z", "+HH:MM", "+HHMM" or "+HH"
 * (any offset, applied). A time without a zone is refused: it is no
 * instant. Returns 0 and sets *ms (UTC), or -1. Never reads past s[n-1]. */
int tt_time_parse_aws(const char *s, size_t n, int64_t *ms);

/* Parses what a user types for --until/--since: an ISO time as above, a
 * date "YYYY-MM-DD" (midnight UTC), "now", or a relative "-7d"/"-12h"
 * against now_ms. Returns 0 or -1. */
int tt_time_parse_user(const char *s, int64_t now_ms, int64_t *ms);

/* Writes "YYYY-MM-DDTHH:MM:SSZ" (20 chars + NUL) into out[21]. */
void tt_time_format(int64_t ms, char out[21]);

/* Writes "YYYY-MM-DD" into out[11]. */
void tt_day_format(int32_t day, char out[11]);

/* Days since 1970-01-01 of a time in ms (floor). */
static inline int32_t tt_day_of(int64_t ms)
{
    int64_t d = ms / 86400000;
    if (ms < 0 && d * 86400000 != ms)
        d--;
    return (int32_t)d;
}

/* The current time in ms. */
int64_t tt_now_ms(void);

#endif /* TT_TTIME_H */
