/*
 * known.h - lookups in the index of recorded objects (internal to ingest/).
 */
#ifndef TT_KNOWN_H
#define TT_KNOWN_H

#include "ingest.h"

/* 1 and fills out when (path, member) was recorded; 0 otherwise. */
int ingest_known_find(const ingest_known *k, const char *path, const char *member,
               ingest_known_info *out);

/* 1 when some loaded object had exactly this content (full SHA-256). */
int ingest_known_has_content(const ingest_known *k, const uint8_t sha256[32]);

#endif /* TT_KNOWN_H */
