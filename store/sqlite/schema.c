/*
 * schema.c - the store's tables and views (documented in docs/schema.md).
 * Events are integer rows keyed by (time, event-id hash) in a WITHOUT ROWID
 * table: the key is the dedup, and it grows in time order, so inserts stay
 * near the right edge of the b-tree instead of landing at random.
 */
#include "sqlite_int.h"

#include <stdio.h>

/* The rollup's columns, for its table and for the migration's copy. The
 * key's columns come first: SQLite 3.40's integrity_check misreads a
 * WITHOUT ROWID table whose key column follows the others. */
#define USAGE_COLUMNS                                                                              \
    "  principal INTEGER NOT NULL, day INTEGER NOT NULL, src INTEGER NOT NULL,"                    \
    "  name INTEGER NOT NULL, errclass INTEGER NOT NULL, via INTEGER NOT NULL,"                    \
    "  req INTEGER NOT NULL DEFAULT 0,"                                                            \
    "  calls INTEGER NOT NULL, first_ms INTEGER NOT NULL, last_ms INTEGER NOT NULL,"               \
    "  svc INTEGER NOT NULL DEFAULT 0,"                                                            \
    "  PRIMARY KEY(principal, day, src, name, errclass, via, req)) WITHOUT ROWID;"

/* event_ident's rows: (t, eid) an event of the identity's, `more` the
 * others of the same object packed (ident_groups.c). */
#define EVENT_IDENT_TABLE                                                                          \
    "CREATE TABLE IF NOT EXISTS event_ident(ident INTEGER NOT NULL, t INTEGER NOT NULL,"         \
    "  eid INTEGER NOT NULL, more BLOB, PRIMARY KEY(ident, t, eid)) WITHOUT ROWID;"

static const char *const schema_sql =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
    /* h, h2: the string's fingerprint under the store's secret; a string is
     * found through dict_h and confirmed by h2. */
    "CREATE TABLE IF NOT EXISTS dict(id INTEGER PRIMARY KEY, v TEXT NOT NULL,"
    "  h INTEGER NOT NULL DEFAULT 0, h2 INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS dict_h ON dict(h);"
    "CREATE TABLE IF NOT EXISTS principal("
    "  id INTEGER PRIMARY KEY, arn INTEGER NOT NULL UNIQUE, type INTEGER NOT NULL);"
    /* The strings that are new with almost every session (its ARN, the
     * principalId, the session name and the access key) are kept in the
     * row; those that repeat across sessions are dict ids. */
    "CREATE TABLE IF NOT EXISTS identity("
    "  id INTEGER PRIMARY KEY, h INTEGER NOT NULL, h2 INTEGER NOT NULL,"
    "  principal INTEGER NOT NULL, type INTEGER, arn TEXT, account INTEGER,"
    "  principal_id TEXT, user_name INTEGER, invoked_by INTEGER, issuer_type INTEGER,"
    "  issuer_arn INTEGER, session_name TEXT, source_identity INTEGER, access_key TEXT,"
    "  mfa INTEGER, kh INTEGER NOT NULL DEFAULT 0,"
    "  arn_head INTEGER NOT NULL DEFAULT 0, pid_head INTEGER NOT NULL DEFAULT 0);"
    /* By key (kh: sq_key_hash of the access key, confirmed against the
     * row): the forensics' way in, and (with h) the writer's lookup. */
    "CREATE INDEX IF NOT EXISTS identity_key ON identity(kh);"
    "CREATE INDEX IF NOT EXISTS identity_principal ON identity(principal);"
    "CREATE TABLE IF NOT EXISTS object("
    "  id INTEGER PRIMARY KEY, path TEXT NOT NULL, member TEXT NOT NULL DEFAULT '',"
    "  container TEXT NOT NULL, kind TEXT NOT NULL, size INTEGER, mtime_ns INTEGER,"
    "  sha256 BLOB, status TEXT NOT NULL, reason TEXT, events INTEGER NOT NULL DEFAULT 0,"
    "  duplicates INTEGER NOT NULL DEFAULT 0, first_ms INTEGER, last_ms INTEGER,"
    "  ingested_ms INTEGER NOT NULL, verify TEXT, verified_ms INTEGER, UNIQUE(path, member));"
    "CREATE INDEX IF NOT EXISTS object_sha ON object(sha256);"
    "CREATE TABLE IF NOT EXISTS object_change("
    "  id INTEGER PRIMARY KEY, path TEXT NOT NULL, member TEXT NOT NULL,"
    "  old_sha256 BLOB, new_sha256 BLOB NOT NULL, old_size INTEGER, new_size INTEGER,"
    "  seen_ms INTEGER NOT NULL, UNIQUE(path, member, new_sha256));"
    "CREATE TABLE IF NOT EXISTS shape("
    "  id INTEGER PRIMARY KEY, src INTEGER NOT NULL, name INTEGER NOT NULL,"
    "  region INTEGER NOT NULL, err INTEGER NOT NULL, type INTEGER NOT NULL,"
    "  category INTEGER NOT NULL, recipient INTEGER NOT NULL, version INTEGER NOT NULL,"
    "  flags INTEGER NOT NULL, h INTEGER NOT NULL DEFAULT 0, h2 INTEGER NOT NULL DEFAULT 0,"
    "  errclass INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS shape_h ON shape(h);"
    "CREATE TABLE IF NOT EXISTS event("
    "  t INTEGER NOT NULL, eid INTEGER NOT NULL, ident INTEGER NOT NULL,"
    "  shape INTEGER NOT NULL, ip INTEGER NOT NULL, ua INTEGER NOT NULL,"
    "  minted TEXT, obj INTEGER NOT NULL, off INTEGER NOT NULL, mh INTEGER,"
    "  PRIMARY KEY(t, eid)) WITHOUT ROWID;"
    /* Forensics: the events of an identity (so of a key, a principal, a
     * session), a row per identity per object (ident_groups.c), and the
     * call that minted a key: by day first, so that a day's minted keys,
     * which arrive at random, land in that day's few pages and not all
     * over the index (SQ_KEY_KNOWN_SQL walks the days that have minted
     * keys and probes each). */
    EVENT_IDENT_TABLE
    "CREATE INDEX IF NOT EXISTS event_minted ON event(t / 86400000, mh) WHERE mh IS NOT NULL;"
    "CREATE TABLE IF NOT EXISTS usage_daily("
    USAGE_COLUMNS
    "CREATE TABLE IF NOT EXISTS coverage("
    "  account INTEGER NOT NULL, region INTEGER NOT NULL, day INTEGER NOT NULL,"
    "  events INTEGER NOT NULL, PRIMARY KEY(account, region, day)) WITHOUT ROWID;"
    /* Views that read naturally: strings instead of ids, ISO times. */
    "CREATE VIEW IF NOT EXISTS events AS SELECT"
    "  strftime('%Y-%m-%dT%H:%M:%fZ', e.t / 1000.0, 'unixepoch') AS time,"
    "  e.t AS time_ms, pa.v AS principal, it.v AS identity_type, " SQ_ARN_SQL("i", "ah") " AS arn,"
    "  i.session_name AS session_name, i.access_key AS access_key, s.v AS event_source,"
    "  n.v AS event_name, r.v AS region,"
    "  CASE WHEN e.ip < 0 THEN " SQ_IPV4_SQL("e.ip") " ELSE ip.v END AS source_ip,"
    "  ua.v AS user_agent,"
    "  NULLIF(er.v, '') AS error_code, ty.v AS event_type, ca.v AS event_category,"
    "  CASE sh.flags & 3 WHEN 1 THEN 0 WHEN 2 THEN 1 END AS read_only,"
    "  CASE (sh.flags >> 2) & 3 WHEN 1 THEN 0 WHEN 2 THEN 1 END AS management,"
    "  rc.v AS recipient_account, ve.v AS event_version, e.minted AS minted_key,"
    "  ib.v AS invoked_by, e.obj AS object_id, e.off AS object_offset"
    "  FROM event e JOIN identity i ON i.id = e.ident JOIN shape sh ON sh.id = e.shape"
    "  JOIN principal p ON p.id = i.principal JOIN dict pa ON pa.id = p.arn"
    "  LEFT JOIN dict it ON it.id = i.type LEFT JOIN dict ib ON ib.id = i.invoked_by"
    "  LEFT JOIN dict ah ON ah.id = i.arn_head"
    "  LEFT JOIN dict s ON s.id = sh.src LEFT JOIN dict n ON n.id = sh.name"
    "  LEFT JOIN dict r ON r.id = sh.region LEFT JOIN dict ip ON ip.id = e.ip"
    "  LEFT JOIN dict ua ON ua.id = e.ua LEFT JOIN dict er ON er.id = sh.err"
    "  LEFT JOIN dict ty ON ty.id = sh.type LEFT JOIN dict ca ON ca.id = sh.category"
    "  LEFT JOIN dict rc ON rc.id = sh.recipient LEFT JOIN dict ve ON ve.id = sh.version;"
    "CREATE VIEW IF NOT EXISTS principals AS SELECT p.id AS id, a.v AS principal,"
    "  t.v AS type FROM principal p JOIN dict a ON a.id = p.arn JOIN dict t ON t.id = p.type;"
    "CREATE VIEW IF NOT EXISTS usage AS SELECT pa.v AS principal,"
    "  date(u.day * 86400, 'unixepoch') AS day, s.v AS event_source, n.v AS event_name,"
    "  CASE u.errclass WHEN 0 THEN 'ok' WHEN 1 THEN 'denied' ELSE 'error' END AS outcome,"
    "  u.via AS via_service, sum(u.calls) AS calls, sum(u.svc) AS service_events,"
    "  min(u.first_ms) AS first_ms, max(u.last_ms) AS last_ms"
    "  FROM usage_daily u JOIN principal p ON p.id = u.principal JOIN dict pa ON pa.id = p.arn"
    "  JOIN dict s ON s.id = u.src JOIN dict n ON n.id = u.name"
    "  GROUP BY u.principal, u.day, u.src, u.name, u.errclass, u.via;"
    "CREATE VIEW IF NOT EXISTS objects AS SELECT id, path, member, container, kind, size,"
    "  hex(sha256) AS sha256, status, reason, events, duplicates,"
    "  strftime('%Y-%m-%dT%H:%M:%SZ', ingested_ms / 1000, 'unixepoch') AS ingested,"
    "  verify, strftime('%Y-%m-%dT%H:%M:%SZ', verified_ms / 1000, 'unixepoch') AS verified"
    "  FROM object;";

/* Version 1 to 2: the integrity verdict of `ingest --verify`. The view is
 * dropped so that schema_sql recreates it with the new columns. */
static const char *const migrate_v1_sql =
    "ALTER TABLE object ADD COLUMN verify TEXT;"
    "ALTER TABLE object ADD COLUMN verified_ms INTEGER;"
    "DROP VIEW IF EXISTS objects;";

/* Version 2 to 3 (docs/schema.md, "Versions"): fingerprints kept beside
 * the strings, identities and shapes they stand for (so that a writer
 * finds them through an index instead of loading them all); the strings new
 * with every session kept in the identity row; the minted key kept in the
 * event row; the AWS service events counted in the rollup; the forensics
 * indexes; the rollup keyed by the request's skeleton too (0 for the rows
 * migrated: not known). The views are dropped first and recreated by
 * schema_sql. The
 * strings that only identities and minted keys used stay in dict, unused. */
#define DV(col) "(SELECT v FROM dict WHERE id = " col ")"
#define ID_FIELDS                                                                                  \
    DV("i.type") "," DV("i.arn") "," DV("i.account") "," DV("i.principal_id") ","                 \
    DV("i.user_name") "," DV("i.invoked_by") "," DV("i.issuer_type") "," DV("i.issuer_arn") ","    \
    DV("i.source_identity") "," DV("i.access_key")
#define SH_FIELDS                                                                                  \
    DV("src") "," DV("name") "," DV("region") "," DV("err") "," DV("type") "," DV("category") "," \
    DV("recipient") "," DV("version")
static const char *const migrate_v2_sql =
    "DROP VIEW IF EXISTS events; DROP VIEW IF EXISTS principals;"
    "DROP VIEW IF EXISTS usage; DROP VIEW IF EXISTS objects;"
    "DROP INDEX IF EXISTS dict_v;"
    "ALTER TABLE dict ADD COLUMN h INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE dict ADD COLUMN h2 INTEGER NOT NULL DEFAULT 0;"
    "UPDATE dict SET h = tt_h(v), h2 = tt_h2(v) WHERE id > 0;"
    "CREATE TABLE identity_v3("
    "  id INTEGER PRIMARY KEY, h INTEGER NOT NULL, h2 INTEGER NOT NULL,"
    "  principal INTEGER NOT NULL, type INTEGER, arn TEXT, account INTEGER,"
    "  principal_id TEXT, user_name INTEGER, invoked_by INTEGER, issuer_type INTEGER,"
    "  issuer_arn INTEGER, session_name TEXT, source_identity INTEGER, access_key TEXT,"
    "  mfa INTEGER);"
    "INSERT INTO identity_v3 SELECT i.id, tt_identity_fp(0, i.mfa, " ID_FIELDS "),"
    "  tt_identity_fp(1, i.mfa, " ID_FIELDS "), i.principal, i.type, " DV("i.arn") ","
    "  i.account, " DV("i.principal_id") ", i.user_name, i.invoked_by, i.issuer_type,"
    "  i.issuer_arn, " DV("i.session_name") ", i.source_identity, " DV("i.access_key") ","
    "  i.mfa FROM identity i;"
    "DROP TABLE identity; ALTER TABLE identity_v3 RENAME TO identity;"
    "ALTER TABLE shape ADD COLUMN h INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE shape ADD COLUMN h2 INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE shape ADD COLUMN errclass INTEGER NOT NULL DEFAULT 0;"
    "UPDATE shape SET h = tt_shape_fp(0, flags, " SH_FIELDS "),"
    "  h2 = tt_shape_fp(1, flags, " SH_FIELDS "), errclass = tt_errclass(" DV("err") ");"
    "CREATE TABLE event_v3("
    "  t INTEGER NOT NULL, eid INTEGER NOT NULL, ident INTEGER NOT NULL,"
    "  shape INTEGER NOT NULL, ip INTEGER NOT NULL, ua INTEGER NOT NULL,"
    "  minted TEXT, obj INTEGER NOT NULL, off INTEGER NOT NULL,"
    "  PRIMARY KEY(t, eid)) WITHOUT ROWID;"
    "INSERT INTO event_v3 SELECT t, eid, ident, shape, ip, ua,"
    "  CASE WHEN minted = 0 THEN NULL ELSE " DV("minted") " END, obj, off FROM event ORDER BY t, eid;"
    "DROP TABLE event; ALTER TABLE event_v3 RENAME TO event;"
    "ALTER TABLE usage_daily ADD COLUMN svc INTEGER NOT NULL DEFAULT 0;"
    "UPDATE usage_daily AS u SET svc = x.n FROM (SELECT i.principal AS p, e.t / 86400000 AS day,"
    "   sh.src AS src, sh.name AS name, sh.errclass AS ec, i.invoked_by != 0 AS via, count(*) AS n"
    "   FROM event e JOIN shape sh ON sh.id = e.shape JOIN identity i ON i.id = e.ident"
    "   WHERE sh.type = (SELECT id FROM dict WHERE v = 'AwsServiceEvent')"
    "   GROUP BY 1, 2, 3, 4, 5, 6) x"
    " WHERE u.principal = x.p AND u.day = x.day AND u.src = x.src AND u.name = x.name"
    "  AND u.errclass = x.ec AND u.via = x.via;"
    /* The request skeletons were not kept: req 0, "not known". */
    "CREATE TABLE usage_v3("
    USAGE_COLUMNS
    "INSERT INTO usage_v3 SELECT principal, day, src, name, errclass, via, 0, calls, first_ms,"
    "  last_ms, svc FROM usage_daily;"
    "DROP TABLE usage_daily; ALTER TABLE usage_v3 RENAME TO usage_daily;";

/* Version 3 to 4: the two indexes on access keys (identity_key,
 * event_minted) are keyed by 31 bits of the key's fingerprint under the
 * store's secret (sq_key_hash) instead of the key's text: a third and a
 * half of their size, which is what a store of months reads at random. */
static const char *const migrate_v3_sql =
    "DROP INDEX IF EXISTS identity_key; DROP INDEX IF EXISTS event_minted;"
    "ALTER TABLE identity ADD COLUMN kh INTEGER NOT NULL DEFAULT 0;"
    "UPDATE identity SET kh = CASE WHEN coalesce(access_key, '') = ''"
    "  THEN (h >> 33) & 2147483647 ELSE tt_kh(access_key) END;"
    "ALTER TABLE event ADD COLUMN mh INTEGER;"
    "UPDATE event SET mh = tt_kh(minted) WHERE minted IS NOT NULL;";

/* Version 4 to 5: event_minted by day, then key hash (schema_sql makes
 * it again). By key hash alone, a store of months took every minted key at
 * a random place in the index: the fourth 1M-event period at high churn
 * read twice the pages and took 15-20% longer than with no such index
 * (bench/README.md). */
static const char *const migrate_v4_sql = "DROP INDEX IF EXISTS event_minted;";

/* Version 5 to 6: new rows keep a canonical IPv4 source in event.ip itself
 * (sqlite_int.h, "ip column"); the rows before keep their dict ids, which
 * read as they did. Only the view that reads the column changes (schema_sql
 * makes it again). */
static const char *const migrate_v5_sql = "DROP VIEW IF EXISTS events;";

/* Version 6 to 7: new identity rows keep an assumed role's ARN and
 * principalId as the part before the session name (sqlite_int.h,
 * "identity heads"); the rows before keep their text, which reads as it
 * did. The view that reads the ARN changes (schema_sql makes it again). */
static const char *const migrate_v6_sql =
    "DROP VIEW IF EXISTS events;"
    "ALTER TABLE identity ADD COLUMN arn_head INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE identity ADD COLUMN pid_head INTEGER NOT NULL DEFAULT 0;";

/* Version 7 to 8: event_ident, an index entry per event, becomes a table
 * of a row per identity per object (ident_groups.c: a fourth of the
 * writer's inserts). The rows before become groups of one event each,
 * which read the same. */
static const char *const migrate_v7_sql =
    "DROP INDEX IF EXISTS event_ident;"
    EVENT_IDENT_TABLE
    "INSERT INTO event_ident(ident, t, eid) SELECT ident, t, eid FROM event ORDER BY ident, t, eid;";

static int schema_version(sq_store *s)
{
    sqlite3_stmt *st = NULL;
    int v = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key='schema_version'", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int has_meta(sq_store *s)
{
    sqlite3_stmt *st = NULL;
    int found = sqlite3_prepare_v2(s->db, "SELECT 1 FROM sqlite_master WHERE name='meta'", -1, &st,
                                   NULL) == SQLITE_OK &&
                sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

/* Creates the schema, or migrates version v to the current one, in one
 * transaction. */
static tt_status create_or_migrate(sq_store *s, int v, tt_error *err)
{
    tt_status rc = sq_exec(s, "BEGIN IMMEDIATE", "schema", err);
    if (rc == TT_OK && v >= 1)
        rc = sq_secret_load(s, 1, err);
    if (rc == TT_OK && v == 1)
        rc = sq_exec(s, migrate_v1_sql, "migrating the schema from version 1", err);
    if (rc == TT_OK && v >= 1 && v <= 2)
        rc = sq_exec(s, migrate_v2_sql, "migrating the schema from version 2", err);
    if (rc == TT_OK && v >= 1 && v <= 3)
        rc = sq_exec(s, migrate_v3_sql, "migrating the schema from version 3", err);
    if (rc == TT_OK && v >= 1 && v <= 4)
        rc = sq_exec(s, migrate_v4_sql, "migrating the schema from version 4", err);
    if (rc == TT_OK && v >= 1 && v <= 5)
        rc = sq_exec(s, migrate_v5_sql, "migrating the schema from version 5", err);
    if (rc == TT_OK && v >= 1 && v <= 6)
        rc = sq_exec(s, migrate_v6_sql, "migrating the schema from version 6", err);
    if (rc == TT_OK && v >= 1 && v <= 7)
        rc = sq_exec(s, migrate_v7_sql, "migrating the schema from version 7", err);
    if (rc == TT_OK)
        rc = sq_exec(s, schema_sql, "schema", err);
    if (rc == TT_OK && v == 0)
        rc = sq_secret_load(s, 1, err);
    if (rc == TT_OK) {
        char sql[160];
        snprintf(sql, sizeof sql,
                 "INSERT OR REPLACE INTO meta VALUES('schema_version','%d');"
                 "INSERT OR IGNORE INTO dict(id, v) VALUES(0,'');",
                 STORE_SCHEMA_VERSION);
        rc = sq_exec(s, sql, "schema", err);
    }
    if (rc == TT_OK)
        rc = sq_exec(s, "COMMIT", "schema", err);
    else
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

tt_status sq_schema_apply(sq_store *s, tt_error *err)
{
    int v = has_meta(s) ? schema_version(s) : 0;
    if (v > STORE_SCHEMA_VERSION)
        return tt_fail(err, TT_ERR_STORE,
                       "%s: store schema version %d is newer than this trailtrim (%d); upgrade trailtrim",
                       s->path, v, STORE_SCHEMA_VERSION);
    if (v == STORE_SCHEMA_VERSION)
        return sq_secret_load(s, 0, err);
    if (s->lock_fd < 0 && v >= 1) {
        s->old_schema = v; /* store_open migrates it as a writer, then reads */
        return TT_OK;
    }
    if (s->lock_fd < 0)
        return tt_fail(err, TT_ERR_STORE, "%s: not a trailtrim store (run ingest first)", s->path);
    return create_or_migrate(s, v, err);
}
