/*
 * hash.c - a 64-bit multiply-mix hash in the style of wyhash: reads 8 bytes
 * at a time with memcpy (no unaligned access), mixes with 128-bit products.
 */
#define _GNU_SOURCE
#include "hash.h"

#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

static inline uint64_t mix(uint64_t a, uint64_t b)
{
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t rd64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline uint64_t rd_tail(const unsigned char *p, size_t n)
{
    uint64_t v = 0;
    memcpy(&v, p, n);
    return v;
}

uint64_t tt_hash64(const void *data, size_t n, uint64_t seed)
{
    static const uint64_t k0 = 0xa0761d6478bd642fULL, k1 = 0xe7037ed1a0b428dbULL,
                          k2 = 0x8ebc6af09c88c6e3ULL;
    const unsigned char *p = data;
    uint64_t h = seed ^ mix(seed ^ k0, k1) ^ (uint64_t)n;
    size_t i = 0;
    for (; i + 16 <= n; i += 16)
        h = mix(rd64(p + i) ^ k1 ^ h, rd64(p + i + 8) ^ k2);
    if (i + 8 <= n) {
        h = mix(rd64(p + i) ^ k1, h ^ k2);
        i += 8;
    }
    if (i < n)
        h = mix(rd_tail(p + i, n - i) ^ k2, h ^ k0);
    return mix(h ^ k0, h ^ k1 ^ (uint64_t)n);
}

/* The fingerprints' secret, drawn once per process before main(). Every
 * store replaces it with its own (see hash.h); without one, it
 * keeps whoever writes log records from aiming two different ARNs at one
 * fingerprint: with public constants alone that is a matter of arithmetic.
 * Without getrandom() the clock and the pid stand in. */
static uint64_t fp_secret;

__attribute__((constructor)) static void draw_fp_secret(void)
{
    uint64_t v = 0;
    if (getrandom(&v, sizeof v, GRND_NONBLOCK) != (ssize_t)sizeof v) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        v = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32) ^ ((uint64_t)getpid() << 16);
    }
    fp_secret = tt_hash64(&v, sizeof v, 0x9e3779b97f4a7c15ULL);
}

void tt_fp_set_secret(uint64_t secret)
{
    fp_secret = secret;
}

uint64_t tt_fp_secret(void)
{
    return fp_secret;
}

tt_fp tt_fp_of(const void *data, size_t n, uint64_t seed)
{
    return tt_fp_of_keyed(data, n, seed, fp_secret);
}

tt_fp tt_fp_of_keyed(const void *data, size_t n, uint64_t seed, uint64_t secret)
{
    static const uint64_t k0 = 0xa0761d6478bd642fULL, k1 = 0xe7037ed1a0b428dbULL,
                          k2 = 0x8ebc6af09c88c6e3ULL, k3 = 0x589965cc75374cc3ULL,
                          k4 = 0x1d8e4e27c47d124fULL;
    const unsigned char *p = data;
    seed ^= secret;
    uint64_t a = seed ^ mix(seed ^ k0, k1) ^ (uint64_t)n;
    uint64_t b = seed ^ mix(seed ^ k3, k4) ^ ((uint64_t)n << 1);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        uint64_t x = rd64(p + i), y = rd64(p + i + 8);
        a = mix(x ^ k1 ^ a, y ^ k2);
        b = mix(y ^ k3 ^ b, x ^ k4);
    }
    uint64_t x = 0, y = 0;
    if (i + 8 <= n) {
        x = rd64(p + i);
        i += 8;
    }
    if (i < n)
        y = rd_tail(p + i, n - i);
    a = mix(a ^ x ^ k2, a ^ y ^ k0);
    b = mix(b ^ y ^ k4, b ^ x ^ k3);
    tt_fp f = {mix(a ^ k0, a ^ k1 ^ (uint64_t)n), mix(b ^ k3, b ^ k4 ^ (uint64_t)n)};
    if (!f.a && !f.b)
        f.b = 1;
    return f;
}
