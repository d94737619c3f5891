/*
 * client.c - the HTTP client of the ClickHouse backend (client.h): one
 * curl easy handle, reused (keep-alive), answers streamed row by row.
 */
#include "client.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ERR_BODY_MAX (64 << 10)
#define LINE_MAX_BYTES ((size_t)256 << 20)
#define MAX_FIELDS 64

struct ch_client {
    ch_location loc;
    CURL *curl;
    int skip_missing;
    int busy; /* a query is streaming its answer (a caller may query again
                 from its row callback: that one gets a handle of its own) */
    char nodes[CH_NODES_MAX][256]; /* the cluster's hosts, to name the one down */
    size_t nnodes;
};

/* ---- the location -------------------------------------------------------- */

static int copy_part(char *dst, size_t cap, const char *p, size_t n)
{
    if (n == 0 || n >= cap)
        return -1;
    memcpy(dst, p, n);
    dst[n] = '\0';
    return 0;
}

static tt_status read_password(ch_location *l, tt_error *err)
{
    const char *pw = getenv("TRAILTRIM_CLICKHOUSE_PASSWORD");
    const char *file = getenv("TRAILTRIM_CLICKHOUSE_PASSWORD_FILE");
    l->password[0] = '\0';
    if (pw) {
        snprintf(l->password, sizeof l->password, "%s", pw);
        return TT_OK;
    }
    if (!file || !*file)
        return TT_OK;
    FILE *f = fopen(file, "r");
    if (!f)
        return tt_fail(err, TT_ERR_IO, "%s: cannot read the ClickHouse password file", file);
    size_t n = fread(l->password, 1, sizeof l->password - 1, f);
    fclose(f);
    l->password[n] = '\0';
    while (n && (l->password[n - 1] == '\n' || l->password[n - 1] == '\r'))
        l->password[--n] = '\0';
    return TT_OK;
}

/* cluster=NAME from the query part; nothing else is accepted. */
static tt_status parse_query(const char *text, const char *q, ch_location *l, tt_error *err)
{
    while (q && *q) {
        const char *amp = strchr(q, '&');
        size_t n = amp ? (size_t)(amp - q) : strlen(q);
        if (n > 8 && strncmp(q, "cluster=", 8) == 0) {
            if (copy_part(l->cluster, sizeof l->cluster, q + 8, n - 8) != 0)
                return tt_fail(err, TT_ERR_USAGE, "%s: the cluster name is too long", text);
        } else if (n) {
            return tt_fail(err, TT_ERR_USAGE, "%s: unknown parameter \"%.*s\" (only cluster=NAME)",
                           text, (int)n, q);
        }
        q = amp ? amp + 1 : NULL;
    }
    return TT_OK;
}

static int name_ok(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return 0;
    return 1;
}

tt_status ch_location_parse(const char *text, ch_location *l, tt_error *err)
{
    memset(l, 0, sizeof *l);
    const char *p;
    if (strncmp(text, "clickhouse://", 13) == 0) {
        p = text + 13;
        l->port = 8123;
    } else if (strncmp(text, "https://", 8) == 0) {
        p = text + 8;
        l->https = 1;
        l->port = 8443;
    } else {
        return tt_fail(err, TT_ERR_USAGE, "%s: not a ClickHouse location", text);
    }
    const char *slash = strchr(p, '/');
    if (!slash)
        return tt_fail(err, TT_ERR_USAGE,
                       "%s: give the database: clickhouse://[USER@]HOST[:PORT]/DATABASE", text);
    const char *at = memchr(p, '@', (size_t)(slash - p));
    snprintf(l->user, sizeof l->user, "default");
    if (at) {
        if (memchr(p, ':', (size_t)(at - p)))
            return tt_fail(err, TT_ERR_USAGE,
                           "%s: no password in the location; set TRAILTRIM_CLICKHOUSE_PASSWORD"
                           " or TRAILTRIM_CLICKHOUSE_PASSWORD_FILE", text);
        if (copy_part(l->user, sizeof l->user, p, (size_t)(at - p)) != 0)
            return tt_fail(err, TT_ERR_USAGE, "%s: bad user name", text);
        p = at + 1;
    }
    const char *colon = memchr(p, ':', (size_t)(slash - p));
    const char *host_end = colon ? colon : slash;
    if (copy_part(l->host, sizeof l->host, p, (size_t)(host_end - p)) != 0)
        return tt_fail(err, TT_ERR_USAGE, "%s: bad host", text);
    if (colon) {
        char *end;
        long port = strtol(colon + 1, &end, 10);
        if (end != slash || port <= 0 || port > 65535)
            return tt_fail(err, TT_ERR_USAGE, "%s: bad port", text);
        l->port = (int)port;
    }
    const char *qm = strchr(slash + 1, '?');
    size_t dbn = qm ? (size_t)(qm - slash - 1) : strlen(slash + 1);
    if (copy_part(l->database, sizeof l->database, slash + 1, dbn) != 0 || !name_ok(l->database))
        return tt_fail(err, TT_ERR_USAGE,
                       "%s: the database must be a name of letters, digits and _", text);
    tt_status st = parse_query(text, qm ? qm + 1 : NULL, l, err);
    if (st == TT_OK && !name_ok(l->cluster))
        st = tt_fail(err, TT_ERR_USAGE, "%s: bad cluster name", text);
    return st == TT_OK ? read_password(l, err) : st;
}

/* ---- escaping ------------------------------------------------------------ */

void ch_tsv_str(tt_buf *b, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i], e = 0;
        switch (c) {
        case '\t': e = 't'; break;
        case '\n': e = 'n'; break;
        case '\r': e = 'r'; break;
        case '\\': e = '\\'; break;
        case '\0': e = '0'; break;
        case '\b': e = 'b'; break;
        case '\f': e = 'f'; break;
        default: continue;
        }
        tt_buf_append(b, s + run, i - run);
        char esc[2] = {'\\', e};
        tt_buf_append(b, esc, 2);
        run = i + 1;
    }
    tt_buf_append(b, s + run, n - run);
}

void ch_sql_str(tt_buf *b, const char *s, size_t n)
{
    tt_buf_append(b, "'", 1);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'' || s[i] == '\\')
            tt_buf_append(b, "\\", 1);
        if (s[i] == '\0') {
            tt_buf_append(b, "\\0", 2);
            continue;
        }
        tt_buf_append(b, s + i, 1);
    }
    tt_buf_append(b, "'", 1);
}

/* Unescapes a TabSeparated field in place. */
static void unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (*r != '\\' || !r[1]) {
            *w++ = *r;
            continue;
        }
        r++;
        switch (*r) {
        case 't': *w++ = '\t'; break;
        case 'n': *w++ = '\n'; break;
        case 'r': *w++ = '\r'; break;
        case '0': *w++ = '\0'; break;
        case 'b': *w++ = '\b'; break;
        case 'f': *w++ = '\f'; break;
        default: *w++ = *r; break;
        }
    }
    *w = '\0';
}

/* ---- a query ------------------------------------------------------------- */

typedef struct answer {
    CURL *curl;
    ch_row_fn fn;
    void *ctx;
    tt_buf line;   /* the partial line carried between chunks */
    tt_buf body;   /* an error's body */
    long code;
    int stopped, failed_tail;
} answer;

static int is_exception(const char *line)
{
    return strncmp(line, "Code: ", 6) == 0 && strstr(line, "e.displayText() = ") != NULL;
}

static int deliver(answer *a, char *line)
{
    if (is_exception(line)) {
        a->failed_tail = 1;
        tt_buf_append(&a->body, line, strlen(line));
        return 1;
    }
    if (!a->fn)
        return 0;
    char *f[MAX_FIELDS];
    int null[MAX_FIELDS];
    size_t n = 0;
    for (char *p = line;; ) {
        char *tab = strchr(p, '\t');
        if (tab)
            *tab = '\0';
        if (n < MAX_FIELDS) {
            null[n] = strcmp(p, "\\N") == 0;
            unescape(p);
            f[n++] = p;
        }
        if (!tab)
            break;
        p = tab + 1;
    }
    ch_row row = {n, f, null};
    if (a->fn(a->ctx, &row)) {
        a->stopped = 1;
        return 1;
    }
    return 0;
}

static size_t discard(char *p, size_t size, size_t nmemb, void *user)
{
    (void)p;
    (void)user;
    return size * nmemb;
}

static size_t on_data(char *p, size_t size, size_t nmemb, void *user)
{
    answer *a = user;
    size_t n = size * nmemb;
    if (a->code == 0)
        curl_easy_getinfo(a->curl, CURLINFO_RESPONSE_CODE, &a->code);
    if (a->code != 200) {
        if (a->body.len < ERR_BODY_MAX)
            tt_buf_append(&a->body, p, n < ERR_BODY_MAX ? n : ERR_BODY_MAX);
        return n;
    }
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] != '\n')
            continue;
        if (tt_buf_append(&a->line, p + start, i - start) != 0)
            return 0;
        start = i + 1;
        int stop = deliver(a, a->line.data ? a->line.data : (char *)"");
        tt_buf_reset(&a->line);
        if (stop)
            return 0;
    }
    if (start < n && tt_buf_append(&a->line, p + start, n - start) != 0)
        return 0;
    return n;
}

static void url_for(ch_client *c, const char *host, const char *sql, int insert, tt_buf *u)
{
    char head[600];
    snprintf(head, sizeof head, "%s://%s:%d/?wait_end_of_query=1%s%s",
             c->loc.https ? "https" : "http", host ? host : c->loc.host, c->loc.port,
             insert ? "&insert_distributed_sync=1" : "",
             c->skip_missing && !insert ? "&skip_unavailable_shards=1" : "");
    tt_buf_append(u, head, strlen(head));
    if (!sql)
        return;
    char *esc = curl_easy_escape(c->curl, sql, 0);
    tt_buf_append(u, "&query=", 7);
    tt_buf_append(u, esc, strlen(esc));
    curl_free(esc);
}

void ch_client_set_nodes(ch_client *c, char (*hosts)[256], size_t n)
{
    c->nnodes = n < CH_NODES_MAX ? n : CH_NODES_MAX;
    for (size_t i = 0; i < c->nnodes; i++)
        snprintf(c->nodes[i], sizeof c->nodes[i], "%s", hosts[i]);
}

/* The cluster's nodes that do not answer now, as "host:port, ...". */
static void nodes_down(ch_client *c, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < c->nnodes; i++) {
        CURL *h = curl_easy_init();
        if (!h)
            continue;
        char url[600];
        snprintf(url, sizeof url, "%s://%s:%d/?query=SELECT%%201", c->loc.https ? "https" : "http",
                 c->nodes[i], c->loc.port);
        curl_easy_setopt(h, CURLOPT_URL, url);
        curl_easy_setopt(h, CURLOPT_USERNAME, c->loc.user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, c->loc.password);
        curl_easy_setopt(h, CURLOPT_TIMEOUT, 3L);
        curl_easy_setopt(h, CURLOPT_NOBODY, 0L);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
        long code = 0;
        if (curl_easy_perform(h) == CURLE_OK)
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
        curl_easy_cleanup(h);
        if (code == 200)
            continue;
        int w = snprintf(out + used, cap - used, "%s%s:%d", used ? ", " : "", c->nodes[i],
                         c->loc.port);
        if (w > 0 && (size_t)w < cap - used)
            used += (size_t)w;
    }
}

/* ClickHouse's message, first line, without its "e.what()" tail. */
static void clean_message(char *m)
{
    char *w = strstr(m, ", e.what() = ");
    if (w)
        *w = '\0';
    size_t n = strlen(m);
    while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
        m[--n] = '\0';
}

static tt_status server_error(ch_client *c, const char *host, answer *a, tt_error *err)
{
    char *m = a->body.data ? a->body.data : (char *)"";
    clean_message(m);
    const char *h = host ? host : c->loc.host;
    long code = strncmp(m, "Code: ", 6) == 0 ? strtol(m + 6, NULL, 10) : 0;
    if (a->code == 401 || a->code == 403 || code == 192 || code == 193 || code == 516)
        return tt_fail(err, TT_ERR_STORE, "ClickHouse at %s:%d refused the login of user \"%s\": %s",
                       h, c->loc.port, c->loc.user, m);
    /* ALL_CONNECTION_TRIES_FAILED, NETWORK_ERROR, SOCKET_TIMEOUT, and a
     * peer gone in the middle of a packet (ATTEMPT_TO_READ_AFTER_EOF). */
    if (code == 279 || code == 210 || code == 209 ||
        (code == 32 && strstr(m, "while receiving packet from"))) {
        char down[1024];
        nodes_down(c, down, sizeof down);
        return tt_fail(err, TT_ERR_STORE,
                       "ClickHouse at %s:%d: a shard is unreachable (%s: %s); reads can skip"
                       " missing shards with --allow-missing-shards, writes cannot", h,
                       c->loc.port, down[0] ? "down now" : "ClickHouse says",
                       down[0] ? down : m);
    }
    if (a->failed_tail)
        return tt_fail(err, TT_ERR_STORE, "ClickHouse at %s:%d ended its answer with an error: %s",
                       h, c->loc.port, m);
    return tt_fail(err, TT_ERR_STORE, "ClickHouse at %s:%d (HTTP %ld): %s", h, c->loc.port,
                   a->code, m);
}

ch_client *ch_client_new(const ch_location *loc)
{
    static int inited;
    if (!inited) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        inited = 1;
    }
    ch_client *c = tt_xcalloc(1, sizeof *c);
    c->loc = *loc;
    c->curl = curl_easy_init();
    return c;
}

void ch_client_free(ch_client *c)
{
    if (!c)
        return;
    if (c->curl)
        curl_easy_cleanup(c->curl);
    memset(c->loc.password, 0, sizeof c->loc.password);
    free(c);
}

void ch_client_allow_missing_shards(ch_client *c, int on)
{
    c->skip_missing = on;
}

tt_status ch_query(ch_client *c, const char *host, const char *sql, const char *data, size_t len,
                   ch_row_fn fn, void *ctx, tt_error *err)
{
    if (!c->curl)
        return tt_fail(err, TT_ERR_STORE, "ClickHouse: cannot start libcurl");
    tt_buf url;
    tt_buf_init(&url, (size_t)64 << 20);
    int insert = data != NULL || strncmp(sql, "INSERT", 6) == 0;
    url_for(c, host, data ? sql : NULL, insert, &url);
    CURL *h = c->busy ? curl_easy_init() : c->curl;
    if (!h) {
        tt_buf_free(&url);
        return tt_fail(err, TT_ERR_STORE, "ClickHouse: cannot start libcurl");
    }
    answer a = {h, fn, ctx, {0}, {0}, 0, 0, 0};
    tt_buf_init(&a.line, LINE_MAX_BYTES);
    tt_buf_init(&a.body, ERR_BODY_MAX * 2);
    int nested = c->busy;
    c->busy = 1;
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url.data);
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, data ? data : sql);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(data ? len : strlen(sql)));
    curl_easy_setopt(h, CURLOPT_USERNAME, c->loc.user);
    curl_easy_setopt(h, CURLOPT_PASSWORD, c->loc.password);
    curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &a);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    const char *ca = getenv("TRAILTRIM_CLICKHOUSE_CACERT");
    if (ca && *ca)
        curl_easy_setopt(h, CURLOPT_CAINFO, ca);
    CURLcode rc = curl_easy_perform(h);
    if (a.code == 0)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &a.code);
    if (nested)
        curl_easy_cleanup(h);
    else
        c->busy = 0;
    tt_status st = TT_OK;
    if (rc == CURLE_WRITE_ERROR && a.stopped)
        rc = CURLE_OK;
    if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CONNECT_ERROR ||
        rc == CURLE_SSL_CACERT_BADFILE)
        st = tt_fail(err, TT_ERR_STORE,
                     "ClickHouse at https://%s:%d: TLS failed: %s (a server whose certificate a"
                     " private CA signed: give its PEM in TRAILTRIM_CLICKHOUSE_CACERT)",
                     host ? host : c->loc.host, c->loc.port, curl_easy_strerror(rc));
    else if (rc != CURLE_OK && !a.failed_tail)
        st = tt_fail(err, TT_ERR_STORE, "ClickHouse at %s://%s:%d is unreachable: %s",
                     c->loc.https ? "https" : "http", host ? host : c->loc.host, c->loc.port,
                     curl_easy_strerror(rc));
    else if (a.code != 200 || a.failed_tail)
        st = server_error(c, host, &a, err);
    else if (a.line.len && !a.stopped)
        st = tt_fail(err, TT_ERR_STORE, "ClickHouse at %s:%d: the answer ended inside a row",
                     host ? host : c->loc.host, c->loc.port);
    tt_buf_free(&a.line);
    tt_buf_free(&a.body);
    tt_buf_free(&url);
    return st;
}

static int take_scalar(void *ctx, const ch_row *row)
{
    *(int64_t *)ctx = row->n ? strtoll(row->f[0], NULL, 10) : 0;
    return 1;
}

tt_status ch_scalar(ch_client *c, const char *sql, int64_t *out, tt_error *err)
{
    *out = 0;
    return ch_query(c, NULL, sql, NULL, 0, take_scalar, out, err);
}
