/*
 * client.h - a ClickHouse client over its HTTP interface (libcurl), and
 * the store location it connects to. Only what both ClickHouse 18.16
 * (Debian 12's clickhouse-server) and current releases accept: the query
 * in the body or in ?query=, data in the body, TabSeparated formats,
 * HTTP basic authentication, and wait_end_of_query=1 so that an error
 * during a query is an HTTP error, not a 200 whose body ends in an
 * exception (the tail is checked too).
 *
 * The location:
 *   clickhouse://[USER@]HOST[:PORT]/DATABASE[?cluster=NAME]   (http, port 8123)
 *   https://[USER@]HOST[:PORT]/DATABASE[?cluster=NAME]        (port 8443)
 * The password comes from $TRAILTRIM_CLICKHOUSE_PASSWORD, or from the file
 * named by $TRAILTRIM_CLICKHOUSE_PASSWORD_FILE; never from the command line.
 * HTTPS checks the server's certificate against the system's CAs, or the
 * PEM file $TRAILTRIM_CLICKHOUSE_CACERT names (a private CA).
 * With a cluster, every node of it (system.clusters) is reached on the
 * location's port and scheme: a cluster's nodes serve HTTP on one port.
 */
#ifndef TT_CH_CLIENT_H
#define TT_CH_CLIENT_H

#include "common/mem.h"
#include "common/tt.h"

#include <stddef.h>
#include <stdint.h>

typedef struct ch_location {
    int https;
    int port;
    char user[128];
    char host[256];
    char database[128];
    char cluster[128];   /* "" without a cluster */
    char password[512];
} ch_location;

/* Parses a location; TT_ERR_USAGE naming what is wrong. Reads the
 * password from the environment (see above). */
tt_status ch_location_parse(const char *text, ch_location *out, tt_error *err);

typedef struct ch_client ch_client;

/* Connects lazily: nothing is sent until the first query. */
ch_client *ch_client_new(const ch_location *loc);
void ch_client_free(ch_client *c);

/* The hosts of the store's cluster: an error that a shard is unreachable
 * names those that do not answer. */
#define CH_NODES_MAX 16
void ch_client_set_nodes(ch_client *c, char (*hosts)[256], size_t n);

/* Reads with skip_unavailable_shards=1: an answer from the shards that are
 * up (`--allow-missing-shards`). */
void ch_client_allow_missing_shards(ch_client *c, int on);

/* One row of a TabSeparated answer, its fields unescaped and
 * NUL-terminated; null[i] is 1 for \N. Borrowed for the callback. */
typedef struct ch_row {
    size_t n;
    char **f;
    const int *null;
} ch_row;
typedef int (*ch_row_fn)(void *ctx, const ch_row *row); /* nonzero stops */

/* Runs sql on host (NULL: the location's host). With data (len bytes),
 * sql goes in the URL and data is the body (an INSERT ... FORMAT
 * TabSeparated); inserts into a Distributed table wait for every shard
 * (insert_distributed_sync=1). Each row of the answer goes to fn (may be
 * NULL). Errors name the server and carry ClickHouse's message: the
 * server unreachable, the login refused, a shard down. */
tt_status ch_query(ch_client *c, const char *host, const char *sql, const char *data,
                   size_t len, ch_row_fn fn, void *ctx, tt_error *err);

/* The one integer a query answers (0 when it answers no row). */
tt_status ch_scalar(ch_client *c, const char *sql, int64_t *out, tt_error *err);

/* Appends s as a TabSeparated field (escaped) to b. */
void ch_tsv_str(tt_buf *b, const char *s, size_t n);
/* Appends s as a quoted SQL string literal ('...', escaped) to b. */
void ch_sql_str(tt_buf *b, const char *s, size_t n);

#endif /* TT_CH_CLIENT_H */
