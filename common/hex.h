/*
 * hex.h - bytes as lowercase hex digits and back (SHA-256 sums in the
 * manifest, digest files and signatures).
 */
#ifndef TT_HEX_H
#define TT_HEX_H

#include <stddef.h>
#include <stdint.h>

/* Writes 2n lowercase hex digits of p[0..n) and a NUL to out (2n+1 bytes). */
void tt_hex_encode(const uint8_t *p, size_t n, char *out);

/* Reads exactly 2n hex digits (either case) from s into out[0..n), and
 * nothing after them. Returns 0, or -1 when s is anything else (out is then
 * undefined). */
int tt_hex_decode(const char *s, uint8_t *out, size_t n);

#endif /* TT_HEX_H */
