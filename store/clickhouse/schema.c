/*
 * schema.c - the ClickHouse backend's tables (ch_int.h), created on first
 * use on every node of the cluster: without ZooKeeper `ON CLUSTER` is not
 * there, so the DDL goes to each node in turn, each statement
 * idempotent (IF NOT EXISTS). The column order and types of events are
 * those of writer.c's RowBinary rows: change both together.
 */
#include "ch_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQL_MAX 4096

static const char *const events_cols =
    "access_key String, t Int64, eid Int64, day Int32, pid Int64, principal String,"
    " ptype String, session String, id_type String, arn String, id_account String,"
    " principal_id String, user_name String, invoked_by String, issuer_type String,"
    " issuer_arn String, issuer_user String, source_identity String, mfa UInt8,"
    " source String, name String, region String, ip String, ua String, error String,"
    " errclass UInt8, event_type String, category String, recipient String, version String,"
    " read_only UInt8, management UInt8, via UInt8, svc UInt8, minted String, req String,"
    " cov_account String, path String, member String, sha256 String, off Int64, ver UInt64";

static const struct table {
    const char *name, *cols, *engine, *shard;
} tables[] = {
    {"events", NULL,
     "ReplacingMergeTree(ver) PARTITION BY intDiv(day, 32) ORDER BY (access_key, t, eid)",
     "intHash64(eid)"},
    {"minted", "minted String, t Int64, eid Int64, access_key String, ver UInt64",
     "ReplacingMergeTree(ver) PARTITION BY intDiv(t, 2764800000) ORDER BY (minted, t, eid)",
     "intHash64(eid)"},
    {"objects",
     "path String, member String, container String, kind String, size Int64, mtime_ns Int64,"
     " sha256 String, status String, reason String, has_reason UInt8, ingested_ms Int64,"
     " account String, events Int64, first_ms Int64, last_ms Int64, verify String,"
     " has_verify UInt8, verified_ms Int64, ver UInt64",
     "ReplacingMergeTree(ver) ORDER BY (path, member)", "sipHash64(path)"},
    {"usage",
     "day Int32, pid Int64, principal String, ptype String, source String, name String,"
     " req String, errclass UInt8, via UInt8, calls UInt64, svc UInt64, first_ms Int64,"
     " last_ms Int64, acct String, acct_path String, acct_member String, acct_off Int64,"
     " ver UInt64",
     "ReplacingMergeTree(ver) PARTITION BY intDiv(day, 32)"
     " ORDER BY (day, pid, source, name, req, errclass, via)",
     "intHash64(day)"},
    {"changes",
     "path String, member String, old_sha256 String, new_sha256 String, old_size Int64,"
     " new_size Int64, seen_ms Int64, ver UInt64",
     "ReplacingMergeTree(ver) ORDER BY (path, member, new_sha256)", "sipHash64(path)"},
};

typedef struct nodes {
    char host[CH_NODES_MAX][256];
    size_t n;
} nodes;

static int take_node(void *ctx, const ch_row *row)
{
    nodes *ns = ctx;
    if (row->n && ns->n < CH_NODES_MAX)
        snprintf(ns->host[ns->n++], sizeof ns->host[0], "%s", row->f[0]);
    return 0;
}

static tt_status cluster_nodes(ch_store *s, nodes *ns, tt_error *err)
{
    ns->n = 0;
    if (!s->loc.cluster[0]) {
        snprintf(ns->host[0], sizeof ns->host[0], "%s", s->loc.host);
        ns->n = 1;
        return TT_OK;
    }
    char sql[SQL_MAX];
    snprintf(sql, sizeof sql,
             "SELECT DISTINCT host_name FROM system.clusters WHERE cluster = '%s'"
             " ORDER BY host_name FORMAT TabSeparated", s->loc.cluster);
    tt_status st = ch_query(s->cl, NULL, sql, NULL, 0, take_node, ns, err);
    if (st == TT_OK && ns->n == 0)
        st = tt_fail(err, TT_ERR_USAGE, "ClickHouse at %s: no cluster \"%s\" in its remote_servers",
                     s->loc.host, s->loc.cluster);
    if (st == TT_OK)
        ch_client_set_nodes(s->cl, ns->host, ns->n);
    return st;
}

tt_status ch_each_node(ch_store *s, const char *sql, tt_error *err)
{
    nodes ns;
    tt_status st = cluster_nodes(s, &ns, err);
    for (size_t i = 0; i < ns.n && st == TT_OK; i++)
        st = ch_query(s->cl, ns.host[i], sql, NULL, 0, NULL, NULL, err);
    return st;
}

/* One idempotent DDL statement: a concurrent creator's "already exists"
 * (two hosts' first ingest at once) is success. */
static tt_status ddl(ch_store *s, const char *host, const char *sql, tt_error *err)
{
    tt_error e = {0};
    tt_status st = ch_query(s->cl, host, sql, NULL, 0, NULL, NULL, &e);
    if (st != TT_OK && strstr(e.msg, "already exists"))
        return TT_OK;
    if (st != TT_OK && err)
        *err = e;
    return st;
}

/* The database and the local tables on one node. */
static tt_status create_local(ch_store *s, const char *host, tt_error *err)
{
    const char *db = s->loc.database;
    char sql[SQL_MAX];
    snprintf(sql, sizeof sql, "CREATE DATABASE IF NOT EXISTS %s", db);
    tt_status st = ddl(s, host, sql, err);
    for (size_t i = 0; i < sizeof tables / sizeof *tables && st == TT_OK; i++) {
        const struct table *t = &tables[i];
        snprintf(sql, sizeof sql, "CREATE TABLE IF NOT EXISTS %s.%s_local (%s) ENGINE = %s", db,
                 t->name, t->cols ? t->cols : events_cols, t->engine);
        st = ddl(s, host, sql, err);
    }
    return st;
}

/* The Distributed tables over the cluster's local tables, on one node. */
static tt_status create_distributed(ch_store *s, const char *host, tt_error *err)
{
    const char *db = s->loc.database;
    char sql[SQL_MAX];
    tt_status st = TT_OK;
    for (size_t i = 0; i < sizeof tables / sizeof *tables && st == TT_OK; i++) {
        const struct table *t = &tables[i];
        snprintf(sql, sizeof sql,
                 "CREATE TABLE IF NOT EXISTS %s.%s AS %s.%s_local"
                 " ENGINE = Distributed(%s, %s, %s_local, %s)",
                 db, t->name, db, t->name, s->loc.cluster, db, t->name, t->shard);
        st = ddl(s, host, sql, err);
    }
    return st;
}

/* How many of the store's tables the entry node has. */
static tt_status tables_here(ch_store *s, int64_t *n, tt_error *err)
{
    char sql[SQL_MAX];
    snprintf(sql, sizeof sql,
             "SELECT count() FROM system.tables WHERE database = '%s' AND name IN ('events_local',"
             " 'minted_local', 'objects_local', 'usage_local', 'changes_local'%s)",
             s->loc.database,
             s->loc.cluster[0] ? ", 'events', 'minted', 'objects', 'usage', 'changes'" : "");
    return ch_scalar(s->cl, sql, n, err);
}

/* Local tables on every node first, then the Distributed tables, the
 * entry node's last: an entry node with all its tables means a complete
 * schema everywhere, and later runs check only that. */
tt_status ch_schema_ensure(ch_store *s, tt_error *err)
{
    nodes ns;
    int64_t have = 0;
    tt_status st = cluster_nodes(s, &ns, err);
    if (st == TT_OK)
        st = tables_here(s, &have, err);
    if (st != TT_OK || have == (s->loc.cluster[0] ? 10 : 5))
        return st;
    int entry_listed = 0;
    for (size_t i = 0; i < ns.n && st == TT_OK; i++) {
        st = create_local(s, ns.host[i], err);
        entry_listed |= strcmp(ns.host[i], s->loc.host) == 0;
    }
    if (st == TT_OK && s->loc.cluster[0] && !entry_listed)
        st = create_local(s, NULL, err);
    for (size_t i = 0; i < ns.n && st == TT_OK && s->loc.cluster[0]; i++)
        if (strcmp(ns.host[i], s->loc.host) != 0)
            st = create_distributed(s, ns.host[i], err);
    if (st == TT_OK && s->loc.cluster[0])
        st = create_distributed(s, NULL, err);
    return st;
}

tt_status ch_schema_check(ch_store *s, tt_error *err)
{
    nodes ns;
    tt_status st0 = cluster_nodes(s, &ns, err);
    if (st0 != TT_OK)
        return st0;
    char sql[SQL_MAX];
    snprintf(sql, sizeof sql,
             "SELECT count() FROM system.tables WHERE database = '%s' AND name = '%s'",
             s->loc.database, s->loc.cluster[0] ? "events" : "events_local");
    int64_t n = 0;
    tt_status st = ch_scalar(s->cl, sql, &n, err);
    if (st == TT_OK && n == 0)
        st = tt_fail(err, TT_ERR_NOTFOUND,
                     "ClickHouse at %s: no trailtrim store in database \"%s\" (run `trailtrim"
                     " --db ... ingest` first)", s->loc.host, s->loc.database);
    return st;
}

static int add_bytes(void *ctx, const ch_row *row)
{
    if (row->n && !row->null[0])
        *(int64_t *)ctx += strtoll(row->f[0], NULL, 10);
    return 0;
}

tt_status ch_bytes(ch_store *s, int64_t *out, tt_error *err)
{
    nodes ns;
    *out = 0;
    tt_status st = cluster_nodes(s, &ns, err);
    char sql[SQL_MAX];
    snprintf(sql, sizeof sql,
             "SELECT sum(bytes) FROM system.parts WHERE active AND database = '%s'",
             s->loc.database);
    for (size_t i = 0; i < ns.n && st == TT_OK; i++)
        st = ch_query(s->cl, ns.host[i], sql, NULL, 0, add_bytes, out, err);
    return st;
}
