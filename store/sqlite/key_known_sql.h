/*
 * key_known_sql.h - the statement behind sq_key_known(), in a header of its
 * own so that a test can check its plan on a store file.
 */
#ifndef TT_KEY_KNOWN_SQL_H
#define TT_KEY_KNOWN_SQL_H

/* Whether ?1 is a key the store has seen used (identity_key) or minted
 * (event_minted, probed once for each day from the first event's to the
 * last's: a few hundred probes for a store of a year). tt_kh is the SQL
 * function of fpsql.c. */
#define SQ_KEY_KNOWN_SQL                                                                           \
    "WITH RECURSIVE d(x) AS (SELECT (SELECT min(t) FROM event) / 86400000"                         \
    "  UNION ALL SELECT x + 1 FROM d WHERE x < (SELECT max(t) FROM event) / 86400000)"             \
    " SELECT EXISTS(SELECT 1 FROM identity WHERE kh = tt_kh(?1) AND access_key = ?1)"              \
    " OR EXISTS(SELECT 1 FROM d JOIN event e ON e.t / 86400000 = d.x"                              \
    "  AND e.mh = tt_kh(?1) AND e.minted = ?1)"

#endif /* TT_KEY_KNOWN_SQL_H */
