/*
 * policy_from.h - `policy --from PATH`: CloudTrail files, folders or stdin
 * read into a temporary store (in $TMPDIR) through the normal ingest path,
 * for the normal policy generation to read; the store is removed after,
 * also when the run fails or is interrupted.
 */
#ifndef TT_POLICY_FROM_H
#define TT_POLICY_FROM_H

#include "cmd.h"

#include <stddef.h>

typedef struct policy_from policy_from;

/* Creates the temporary store and ingests paths (n of them; "-" is stdin)
 * into it with `trailtrim ingest -q`. *pfp is set (free it with
 * policy_from_free) whenever the store was created, even when ingest
 * failed. Returns ingest's exit code: 0, 3 (some inputs rejected, named on
 * stderr; the others are stored), or another failure. */
int policy_from_load(policy_from **pfp, const char *const *paths, size_t n);

/* The temporary store's path; lives as long as pf. */
const char *policy_from_db(const policy_from *pf);

/* Removes the temporary store and its folder, and frees pf. NULL is fine. */
void policy_from_free(policy_from *pf);

#endif /* TT_POLICY_FROM_H */
