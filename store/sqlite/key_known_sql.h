/*
 * key_known_sql.h - the statement behind sq_key_known(), in a header of its
 * own so that a test can check its plan on a store file.
 */
#ifndef TT_KEY_KNOWN_SQL_H
#define TT_KEY_KNOWN_SQL_H

/* Whether ?1 is a key the store has seen used (identity_key) or minted
 * (event_minted, probed once for each day on which some call minted a key:
 * d walks those days through the index itself, one seek a day, so that a
 * crafted eventTime of year 1 or 9999 adds one day, not millions). Each
 * day is probed by a subquery of its own, not by a join: as a join, SQLite
 * 3.53 turned the probe into a skip-scan from the events' side, and 3.40
 * (Debian 12's, a -DTT_SQLITE=system build) put a Bloom filter on the
 * expression index that missed keys that are there (test_migrate caught
 * it). tt_kh is the SQL function of fpsql.c. */
#define SQ_KEY_KNOWN_SQL                                                                           \
    "WITH RECURSIVE d(x) AS ("                                                                     \
    " SELECT (SELECT t / 86400000 FROM event WHERE mh IS NOT NULL ORDER BY t / 86400000 LIMIT 1)"  \
    " UNION ALL SELECT (SELECT t / 86400000 FROM event WHERE mh IS NOT NULL"                       \
    "  AND t / 86400000 > d.x ORDER BY t / 86400000 LIMIT 1) FROM d WHERE d.x IS NOT NULL)"        \
    " SELECT EXISTS(SELECT 1 FROM identity WHERE kh = tt_kh(?1) AND access_key = ?1)"              \
    " OR EXISTS(SELECT 1 FROM d WHERE EXISTS(SELECT 1 FROM event e WHERE e.t / 86400000 = d.x"    \
    "  AND e.mh = tt_kh(?1) AND e.minted = ?1))"

#endif /* TT_KEY_KNOWN_SQL_H */
