/*
 * check.c - verify_run(): find the digest and log objects under the paths,
 * read every digest, walk each trail's chain of digests in time order, check
 * every log object a digest names, and list what no digest covers.
 *
 * An S3 key is found locally as a path suffix ("…/KEY"), through an index
 * of the local files by base name (CloudTrail's names are unique).
 */
#define _GNU_SOURCE
#include "verify_int.h"

#include "common/hash.h"
#include "common/hex.h"
#include "common/ttime.h"
#include "ingest/walk.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE ((size_t)-1)
#define SIDECAR_MAX 8192

enum { F_LOG = 1, F_DIGEST };

typedef struct lfile {
    char *path;
    const char *base;
    int kind;
    char account[13], region[48];
    int64_t name_ms; /* from the timestamp in the name; INT64_MIN: none */
    size_t next;     /* next file with the same base-name hash */
    size_t dg;       /* F_DIGEST: its entry in ctx.d */
    int hashed, hash_err, covered, bad;
    int verdict;     /* the gravest finding about it (verdict_rank), or -1 */
    uint8_t sha[32];
    int64_t trailing;
} lfile;

typedef struct dg {
    size_t file;
    verify_digest d;
    int parsed, backfill, bad;
    char hex[65];
    char *sig;   /* the sidecar's hex signature, or NULL */
    char *chain; /* trail identity: key prefix and name without the time */
} dg;

typedef struct dayslot {
    size_t idx; /* into r->days, NONE when empty */
} dayslot;

typedef struct ctx {
    const verify_options *o;
    verify_report *r;
    verify_keys *keys;
    lfile *f;
    size_t nf, af;
    size_t *heads, nheads;
    dg *d;
    size_t nd;
    size_t adays, adayslots, afind, alogs;
    dayslot *dayslots;
    tt_buf keep;
} ctx;

static const char *const kind_names[VERIFY_KIND_COUNT] = {
    "log-modified",  "log-missing",    "log-uncovered", "trailing-data", "unreadable",
    "digest-missing", "digest-invalid", "digest-moved",  "chain-break",   "chain-gap",
    "bad-signature", "no-signature",   "unknown-key",   "no-digests",    "chain-start",
    "pending"};

const char *verify_kind_name(verify_kind k)
{
    return k < VERIFY_KIND_COUNT ? kind_names[k] : "?";
}

int verify_kind_is_problem(verify_kind k)
{
    return k != VERIFY_NOTE_CHAIN_START && k != VERIFY_NOTE_PENDING;
}

void verify_options_init(verify_options *o)
{
    o->keys_dir = NULL;
    o->max_digest_bytes = (size_t)64 << 20;
    o->gap_slack_ms = 5 * 60 * 1000;
}

/* A log's verdict is its gravest finding: a changed hash outranks an
 * unreadable file, which outranks hidden data, then not being covered. */
static const verify_kind verdict_order[] = {VERIFY_LOG_MODIFIED, VERIFY_LOG_UNREADABLE,
                                            VERIFY_LOG_TRAILING, VERIFY_LOG_UNCOVERED,
                                            VERIFY_NOTE_PENDING};
#define NVERDICTS (sizeof verdict_order / sizeof verdict_order[0])

static void mark(lfile *f, verify_kind k)
{
    int rank = 0;
    while ((size_t)rank < NVERDICTS && verdict_order[rank] != k)
        rank++;
    if ((size_t)rank < NVERDICTS && (f->verdict < 0 || rank < f->verdict))
        f->verdict = rank;
}

/* ---- names and places --------------------------------------------------- */

/* Account and region from ".../ACCOUNT/<dir>/REGION/..."; "" when absent. */
static void place(const char *path, const char *dir, char acct[13], char region[48])
{
    acct[0] = region[0] = '\0';
    const char *p = strstr(path, dir);
    if (!p)
        return;
    if (p - path >= 12 && (p - path == 12 || p[-13] == '/')) {
        int digits = 1;
        for (int i = 1; i <= 12; i++)
            digits &= isdigit((unsigned char)p[-i]) != 0;
        if (digits) {
            memcpy(acct, p - 12, 12);
            acct[12] = '\0';
        }
    }
    p += strlen(dir);
    size_t n = strcspn(p, "/");
    if (p[n] == '/' && n < 48) {
        memcpy(region, p, n);
        region[n] = '\0';
    }
}

/* The "_YYYYMMDDTHHMM[SS]Z" in a CloudTrail object name: its time, and the
 * offset of its '_' (or NONE). */
static size_t name_time(const char *base, int64_t *ms)
{
    *ms = INT64_MIN;
    for (const char *p = strchr(base, '_'); p; p = strchr(p + 1, '_')) {
        const char *q = p + 1;
        size_t d1 = 0, d2 = 0;
        while (isdigit((unsigned char)q[d1]))
            d1++;
        if (d1 != 8 || q[8] != 'T')
            continue;
        while (isdigit((unsigned char)q[9 + d2]))
            d2++;
        if ((d2 != 4 && d2 != 6) || q[9 + d2] != 'Z')
            continue;
        char iso[32];
        snprintf(iso, sizeof iso, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", q, q + 4, q + 6, q + 9, q + 11,
                 d2 == 6 ? q + 13 : "00");
        if (tt_time_parse(iso, strlen(iso), ms) == 0)
            return (size_t)(p - base);
    }
    return NONE;
}

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

/* Whether the local path is the S3 key: equal, or ending in "/KEY". */
static int path_is_key(const char *path, const char *key)
{
    size_t n = strlen(path), m = strlen(key);
    if (m == 0 || n < m || strcmp(path + n - m, key) != 0)
        return 0;
    return n == m || path[n - m - 1] == '/' || key[0] == '/';
}

static const char *base_of(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* ---- findings and day rows ---------------------------------------------- */

static verify_day *day_row(ctx *c, const char *acct, const char *region, int32_t day)
{
    verify_report *r = c->r;
    if (c->adayslots == 0 || 2 * (r->ndays + 1) > c->adayslots) {
        size_t n = c->adayslots ? 2 * c->adayslots : 256;
        free(c->dayslots);
        c->dayslots = tt_xmalloc(n * sizeof *c->dayslots);
        for (size_t i = 0; i < n; i++)
            c->dayslots[i].idx = NONE;
        c->adayslots = n;
        for (size_t i = 0; i < r->ndays; i++) { /* rehash */
            verify_day *d = &r->days[i];
            char k[96];
            int kl = snprintf(k, sizeof k, "%s|%s|%ld", d->account, d->region, (long)d->day);
            size_t h = tt_hash64(k, (size_t)kl, 7) & (n - 1);
            while (c->dayslots[h].idx != NONE)
                h = (h + 1) & (n - 1);
            c->dayslots[h].idx = i;
        }
    }
    char k[96];
    int kl = snprintf(k, sizeof k, "%s|%s|%ld", acct, region, (long)day);
    size_t h = tt_hash64(k, (size_t)kl, 7) & (c->adayslots - 1);
    for (; c->dayslots[h].idx != NONE; h = (h + 1) & (c->adayslots - 1)) {
        verify_day *d = &r->days[c->dayslots[h].idx];
        if (d->day == day && strcmp(d->account, acct) == 0 && strcmp(d->region, region) == 0)
            return d;
    }
    if (r->ndays == c->adays) {
        c->adays = c->adays ? 2 * c->adays : 64;
        r->days = tt_xrealloc(r->days, c->adays * sizeof *r->days);
    }
    verify_day *d = &r->days[r->ndays];
    memset(d, 0, sizeof *d);
    d->account = tt_xstrdup(acct);
    d->region = tt_xstrdup(region);
    d->day = day;
    c->dayslots[h].idx = r->ndays++;
    return d;
}

static int32_t day_of(int64_t ms)
{
    return ms == INT64_MIN ? INT32_MIN : tt_day_of(ms);
}

__attribute__((format(printf, 7, 8))) static void
add_finding(ctx *c, verify_kind kind, const char *acct, const char *region, int32_t day,
            const char *object, const char *fmt, ...)
{
    verify_report *r = c->r;
    if (r->nfindings == c->afind) {
        c->afind = c->afind ? 2 * c->afind : 16;
        r->findings = tt_xrealloc(r->findings, c->afind * sizeof *r->findings);
    }
    verify_finding *f = &r->findings[r->nfindings++];
    char detail[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    f->kind = kind;
    f->account = tt_xstrdup(acct ? acct : "");
    f->region = tt_xstrdup(region ? region : "");
    f->day = day;
    f->object = tt_xstrdup(object ? object : "");
    f->detail = tt_xstrdup(detail);
    if (verify_kind_is_problem(kind)) {
        r->problems++;
        day_row(c, f->account, f->region, day)->problems++;
    } else {
        r->notes++;
    }
}

/* ---- the local files ---------------------------------------------------- */

static int on_item(void *arg, ingest_walk_item *it)
{
    ctx *c = arg;
    if (it->problem) {
        add_finding(c, VERIFY_LOG_UNREADABLE, "", "", INT32_MIN, it->path, "%s", it->problem);
        ingest_walk_item_free(it);
        return 0;
    }
    int kind = !ends_with(it->path, ".json.gz")              ? 0
               : strstr(it->path, "/CloudTrail-Digest/") ? F_DIGEST
               : strstr(it->path, "/CloudTrail/")        ? F_LOG
                                                         : 0;
    if (kind && !it->is_stdin) {
        if (c->nf == c->af) {
            c->af = c->af ? 2 * c->af : 1024;
            c->f = tt_xrealloc(c->f, c->af * sizeof *c->f);
        }
        lfile *f = &c->f[c->nf++];
        memset(f, 0, sizeof *f);
        f->path = it->path;
        it->path = NULL;
        f->base = base_of(f->path);
        f->kind = kind;
        f->dg = NONE;
        f->verdict = -1;
        place(f->path, kind == F_DIGEST ? "/CloudTrail-Digest/" : "/CloudTrail/", f->account,
              f->region);
        name_time(f->base, &f->name_ms);
    }
    ingest_walk_item_free(it);
    return 0;
}

static size_t base_hash(ctx *c, const char *base)
{
    return tt_hash64(base, strlen(base), 11) % c->nheads;
}

static void index_files(ctx *c)
{
    c->nheads = c->nf * 2 + 1;
    c->heads = tt_xmalloc(c->nheads * sizeof *c->heads);
    for (size_t i = 0; i < c->nheads; i++)
        c->heads[i] = NONE;
    for (size_t i = 0; i < c->nf; i++) {
        size_t h = base_hash(c, c->f[i].base);
        c->f[i].next = c->heads[h];
        c->heads[h] = i;
    }
}

/* The local file holding S3 key `key`, or NONE. */
static size_t find_key(ctx *c, const char *key)
{
    if (!key || c->nheads == 0)
        return NONE;
    const char *b = base_of(key);
    for (size_t i = c->heads[base_hash(c, b)]; i != NONE; i = c->f[i].next)
        if (strcmp(c->f[i].base, b) == 0 && path_is_key(c->f[i].path, key))
            return i;
    return NONE;
}

/* ---- digests ------------------------------------------------------------ */

static char *read_sidecar(const char *path)
{
    size_t n = strlen(path) + 5;
    char *sp = tt_xmalloc(n);
    snprintf(sp, n, "%s.sig", path);
    FILE *f = fopen(sp, "rb");
    free(sp);
    if (!f)
        return NULL;
    char *s = tt_xmalloc(SIDECAR_MAX + 1);
    size_t got = fread(s, 1, SIDECAR_MAX, f);
    fclose(f);
    size_t a = 0, b = got;
    while (a < b && isspace((unsigned char)s[a]))
        a++;
    while (b > a && isspace((unsigned char)s[b - 1]))
        b--;
    memmove(s, s + a, b - a);
    s[b - a] = '\0';
    return s;
}

/* The trail a digest belongs to: its path up to the region folder and its
 * name up to the timestamp. */
static char *chain_id(const lfile *f)
{
    const char *p = strstr(f->path, "/CloudTrail-Digest/");
    size_t pre = p ? (size_t)(p - f->path) + strlen("/CloudTrail-Digest/") + strlen(f->region)
                   : 0;
    int64_t ms;
    size_t cut = name_time(f->base, &ms);
    if (cut == NONE)
        cut = strlen(f->base);
    size_t n = pre + cut + 2;
    char *id = tt_xmalloc(n);
    snprintf(id, n, "%.*s|%.*s", (int)pre, f->path, (int)cut, f->base);
    return id;
}

static void check_signature(ctx *c, dg *g, const lfile *f, int32_t day)
{
    const verify_digest *d = &g->d;
    const char *obj = d->object;
    if (!d->algorithm || strcmp(d->algorithm, "SHA256withRSA") != 0) {
        add_finding(c, VERIFY_SIG_BAD, f->account, f->region, day, obj,
                    "digestSignatureAlgorithm is %s, not SHA256withRSA",
                    d->algorithm ? d->algorithm : "null");
        g->bad = 1;
        return;
    }
    if (!g->sig) {
        add_finding(c, VERIFY_SIG_MISSING, f->account, f->region, day, obj,
                    "no signature: put x-amz-meta-signature (hex) in %s.sig", f->base);
        g->bad = 1;
        return;
    }
    size_t n = strlen(d->end) + strlen(d->bucket) + strlen(d->object) + 64 +
               strlen(d->prev_sig ? d->prev_sig : "null") + 8;
    char *msg = tt_xmalloc(n);
    int len = snprintf(msg, n, "%s\n%s/%s\n%s\n%s", d->end, d->bucket, d->object, g->hex,
                       d->prev_sig ? d->prev_sig : "null");
    int rc = verify_keys_check(c->keys, d->fingerprint, msg, (size_t)len, g->sig);
    free(msg);
    c->r->signatures_checked++;
    if (rc == 1)
        return;
    g->bad = 1;
    if (rc == -1)
        add_finding(c, VERIFY_KEY_UNKNOWN, f->account, f->region, day, obj,
                    "no supplied public key has fingerprint %s",
                    d->fingerprint ? d->fingerprint : "null");
    else
        add_finding(c, VERIFY_SIG_BAD, f->account, f->region, day, obj,
                    rc == -2 ? "the signature in %s.sig is not hex"
                             : "signature does not verify (%s.sig): the digest or its signature "
                               "was altered",
                    f->base);
}

static void load_digest(ctx *c, size_t fi)
{
    lfile *f = &c->f[fi];
    dg *g = &c->d[c->nd];
    memset(g, 0, sizeof *g);
    g->file = fi;
    f->dg = c->nd++;
    g->backfill = strstr(f->base, "_backfill") != NULL;
    g->chain = chain_id(f);
    int32_t day = day_of(f->name_ms);
    char why[512];
    uint8_t sha[32];
    int64_t trailing = 0;
    c->r->digests++;
    if (verify_gz_hash(f->path, &c->keep, sha, &trailing, why, sizeof why) != 0 ||
        verify_digest_parse(c->keep.data, c->keep.len, &g->d, why, sizeof why) != 0) {
        add_finding(c, VERIFY_DIGEST_INVALID, f->account, f->region, day, f->path, "%s", why);
        day_row(c, f->account, f->region, day)->digests++;
        g->bad = 1;
        return;
    }
    g->parsed = 1;
    tt_hex_encode(sha, 32, g->hex);
    day = day_of(g->d.end_ms);
    day_row(c, f->account, f->region, day)->digests++;
    if (trailing > 0) {
        add_finding(c, VERIFY_LOG_TRAILING, f->account, f->region, day, g->d.object,
                    "%lld bytes after the first gzip member (not covered by the signature)",
                    (long long)trailing);
        g->bad = 1;
    }
    if (!path_is_key(f->path, g->d.object)) {
        add_finding(c, VERIFY_DIGEST_MOVED, f->account, f->region, day, f->path,
                    "its digestS3Object is %s: moved from its original location", g->d.object);
        g->bad = 1;
    }
    g->sig = read_sidecar(f->path);
    if (c->keys)
        check_signature(c, g, f, day);
}

/* ---- the chain ---------------------------------------------------------- */

static int cmp_chain(const void *a, const void *b, void *arg)
{
    const dg *d = arg;
    const dg *x = &d[*(const size_t *)a], *y = &d[*(const size_t *)b];
    int k = strcmp(x->chain, y->chain);
    if (k)
        return k;
    if (x->d.end_ms != y->d.end_ms)
        return x->d.end_ms < y->d.end_ms ? -1 : 1;
    return strcmp(x->d.object ? x->d.object : "", y->d.object ? y->d.object : "");
}

static void fmt_time(int64_t ms, char out[21])
{
    tt_time_format(ms, out);
}

static void check_link(ctx *c, dg *prev, dg *cur)
{
    const lfile *f = &c->f[cur->file];
    const verify_digest *d = &cur->d;
    int32_t day = day_of(d->end_ms);
    char pe[21], cs[21];
    fmt_time(prev->d.end_ms, pe);
    fmt_time(d->start_ms, cs);
    if (!d->prev_object) {
        add_finding(c, VERIFY_CHAIN_GAP, f->account, f->region, day, d->object,
                    "the chain restarts here (no previous digest named; was logging stopped?): "
                    "no digest covers %s to %s", pe, cs);
        cur->bad = 1;
        return;
    }
    size_t fi = find_key(c, d->prev_object);
    if (fi == NONE || c->f[fi].dg == NONE) {
        add_finding(c, VERIFY_DIGEST_MISSING, f->account, f->region, day, d->prev_object,
                    "named as the previous digest by %s, but not in the tree (deleted?): no "
                    "digest covers %s to %s", base_of(d->object), pe, cs);
        cur->bad = 1;
        return;
    }
    if (&c->d[c->f[fi].dg] != prev) {
        add_finding(c, VERIFY_CHAIN_BREAK, f->account, f->region, day, d->object,
                    "names %s as its previous digest, but the digest before it is %s",
                    base_of(d->prev_object), base_of(prev->d.object));
        cur->bad = 1;
        return;
    }
    if (!d->prev_hash || strcasecmp(d->prev_hash, prev->hex) != 0) {
        add_finding(c, VERIFY_CHAIN_BREAK, f->account, f->region, day, d->object,
                    "previousDigestHashValue %s is not the hash of %s (%s): one of the two was "
                    "altered or replaced", d->prev_hash ? d->prev_hash : "null",
                    base_of(prev->d.object), prev->hex);
        cur->bad = 1;
    }
    if (prev->sig && (!d->prev_sig || strcasecmp(d->prev_sig, prev->sig) != 0)) {
        add_finding(c, VERIFY_CHAIN_BREAK, f->account, f->region, day, d->object,
                    "previousDigestSignature differs from the signature of %s",
                    base_of(prev->d.object));
        cur->bad = 1;
    }
    if (d->start_ms > prev->d.end_ms + c->o->gap_slack_ms) {
        add_finding(c, VERIFY_CHAIN_GAP, f->account, f->region, day, d->object,
                    "no digest covers %s to %s", pe, cs);
        cur->bad = 1;
    }
}

static void walk_chains(ctx *c)
{
    size_t *ord = tt_xmalloc((c->nd + 1) * sizeof *ord), n = 0;
    for (size_t i = 0; i < c->nd; i++)
        if (c->d[i].parsed && !c->d[i].backfill)
            ord[n++] = i;
    qsort_r(ord, n, sizeof *ord, cmp_chain, c->d);
    dg *prev = NULL;
    for (size_t i = 0; i < n; i++) {
        dg *cur = &c->d[ord[i]];
        if (prev && strcmp(prev->chain, cur->chain) != 0)
            prev = NULL;
        if (prev) {
            check_link(c, prev, cur);
        } else if (cur->d.prev_object && find_key(c, cur->d.prev_object) == NONE) {
            const lfile *f = &c->f[cur->file];
            add_finding(c, VERIFY_NOTE_CHAIN_START, f->account, f->region, day_of(cur->d.end_ms),
                        cur->d.object, "first digest of this trail here; its previous digest %s "
                        "is outside the tree", base_of(cur->d.prev_object));
        }
        prev = cur;
    }
    free(ord);
}

/* ---- logs --------------------------------------------------------------- */

static void hash_log(ctx *c, lfile *f)
{
    char why[512];
    if (f->hashed)
        return;
    f->hashed = 1;
    if (verify_gz_hash(f->path, NULL, f->sha, &f->trailing, why, sizeof why) != 0) {
        f->hash_err = 1;
        f->bad = 1;
        mark(f, VERIFY_LOG_UNREADABLE);
        add_finding(c, VERIFY_LOG_UNREADABLE, f->account, f->region, day_of(f->name_ms), f->path,
                    "%s", why);
        return;
    }
    if (f->trailing > 0) {
        f->bad = 1;
        mark(f, VERIFY_LOG_TRAILING);
        add_finding(c, VERIFY_LOG_TRAILING, f->account, f->region, day_of(f->name_ms), f->path,
                    "%lld bytes after the first gzip member: hidden from the digest's hash "
                    "(AWS's validator passes this file)", (long long)f->trailing);
    }
}

static void check_logref(ctx *c, const dg *g, const verify_logref *l)
{
    const lfile *df = &c->f[g->file];
    size_t fi = find_key(c, l->object);
    if (fi == NONE || c->f[fi].kind != F_LOG) {
        char acct[13], region[48];
        int64_t ms;
        place(l->object, "/CloudTrail/", acct, region);
        name_time(base_of(l->object), &ms);
        if (ms == INT64_MIN)
            ms = g->d.end_ms;
        c->r->logs++;
        day_row(c, acct[0] ? acct : df->account, region, day_of(ms))->logs++;
        add_finding(c, VERIFY_LOG_MISSING, acct[0] ? acct : df->account, region, day_of(ms),
                    l->object, "named by digest %s, not in the tree (deleted?)",
                    base_of(g->d.object));
        return;
    }
    lfile *f = &c->f[fi];
    f->covered = 1;
    hash_log(c, f);
    char hex[65];
    tt_hex_encode(f->sha, 32, hex);
    if (!f->hash_err && strcasecmp(hex, l->hash) != 0) {
        f->bad = 1;
        mark(f, VERIFY_LOG_MODIFIED);
        add_finding(c, VERIFY_LOG_MODIFIED, f->account, f->region, day_of(f->name_ms), f->path,
                    "SHA-256 of its content is %s, digest %s says %s: modified", hex,
                    base_of(g->d.object), l->hash);
    }
}

static void record_log(ctx *c, const lfile *f)
{
    verify_report *r = c->r;
    if (r->nverdicts == c->alogs) {
        c->alogs = c->alogs ? 2 * c->alogs : 256;
        r->verdicts = tt_xrealloc(r->verdicts, c->alogs * sizeof *r->verdicts);
    }
    verify_log *l = &r->verdicts[r->nverdicts++];
    l->path = tt_xstrdup(f->path);
    l->verdict = f->verdict >= 0 ? kind_names[verdict_order[f->verdict]] : "intact";
}

static void check_logs(ctx *c)
{
    /* The newest digest end per account and region, for "pending" logs. */
    for (size_t i = 0; i < c->nd; i++)
        if (c->d[i].parsed)
            for (size_t j = 0; j < c->d[i].d.nlogs; j++)
                check_logref(c, &c->d[i], &c->d[i].d.logs[j]);
    for (size_t i = 0; i < c->nf; i++) {
        lfile *f = &c->f[i];
        if (f->kind != F_LOG)
            continue;
        if (!f->covered) {
            /* Not covered by a digest (yet) is no pass for hidden data or
             * an unreadable object: hashed as covered ones are. */
            hash_log(c, f);
            int64_t newest = INT64_MIN;
            for (size_t j = 0; j < c->nd; j++) {
                const lfile *df = &c->f[c->d[j].file];
                if (c->d[j].parsed && strcmp(df->account, f->account) == 0 &&
                    strcmp(df->region, f->region) == 0 && c->d[j].d.end_ms > newest)
                    newest = c->d[j].d.end_ms;
            }
            if (newest != INT64_MIN && f->name_ms != INT64_MIN && f->name_ms >= newest) {
                mark(f, VERIFY_NOTE_PENDING);
                add_finding(c, VERIFY_NOTE_PENDING, f->account, f->region, day_of(f->name_ms),
                            f->path, "delivered after the newest digest here: not yet covered");
            } else {
                f->bad = 1;
                mark(f, VERIFY_LOG_UNCOVERED);
                add_finding(c, VERIFY_LOG_UNCOVERED, f->account, f->region, day_of(f->name_ms),
                            f->path, "no digest names this log object (added?)");
            }
        }
        verify_day *d = day_row(c, f->account, f->region, day_of(f->name_ms));
        d->logs++;
        c->r->logs++;
        if (!f->bad && f->covered) {
            d->logs_ok++;
            c->r->logs_ok++;
        }
        record_log(c, f);
    }
}

/* ---- the run ------------------------------------------------------------ */

static int cmp_day(const void *a, const void *b)
{
    const verify_day *x = a, *y = b;
    int k = strcmp(x->account, y->account);
    if (!k)
        k = strcmp(x->region, y->region);
    if (!k)
        k = (x->day > y->day) - (x->day < y->day);
    return k;
}

static void finish_digests(ctx *c)
{
    for (size_t i = 0; i < c->nd; i++) {
        const dg *g = &c->d[i];
        if (!g->parsed || g->bad)
            continue;
        const lfile *f = &c->f[g->file];
        day_row(c, f->account, f->region, day_of(g->d.end_ms))->digests_ok++;
        c->r->digests_ok++;
    }
}

tt_status verify_run(const char *const *paths, size_t n, const verify_options *o,
                     verify_report **out, tt_error *err)
{
    ctx c;
    memset(&c, 0, sizeof c);
    c.o = o;
    *out = NULL;
    if (o->keys_dir) {
        tt_status st = verify_keys_load(o->keys_dir, &c.keys, err);
        if (st != TT_OK)
            return st;
    }
    c.r = tt_xcalloc(1, sizeof *c.r);
    c.r->keys_loaded = (long)verify_keys_count(c.keys);
    tt_buf_init(&c.keep, o->max_digest_bytes);
    ingest_walk(paths, (int)n, on_item, &c);
    index_files(&c);
    c.d = tt_xcalloc(c.nf + 1, sizeof *c.d);
    for (size_t i = 0; i < c.nf; i++)
        if (c.f[i].kind == F_DIGEST)
            load_digest(&c, i);
    walk_chains(&c);
    check_logs(&c);
    finish_digests(&c);
    if (c.nd == 0)
        add_finding(&c, VERIFY_NO_DIGESTS, "", "", INT32_MIN, "",
                    "no CloudTrail-Digest/ objects found: nothing to verify against");
    qsort(c.r->days, c.r->ndays, sizeof *c.r->days, cmp_day);
    *out = c.r;
    for (size_t i = 0; i < c.nd; i++) {
        verify_digest_clear(&c.d[i].d);
        free(c.d[i].sig);
        free(c.d[i].chain);
    }
    for (size_t i = 0; i < c.nf; i++)
        free(c.f[i].path);
    free(c.d);
    free(c.f);
    free(c.heads);
    free(c.dayslots);
    tt_buf_free(&c.keep);
    verify_keys_free(c.keys);
    return TT_OK;
}

void verify_report_free(verify_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nfindings; i++) {
        free(r->findings[i].account);
        free(r->findings[i].region);
        free(r->findings[i].object);
        free(r->findings[i].detail);
    }
    for (size_t i = 0; i < r->ndays; i++) {
        free(r->days[i].account);
        free(r->days[i].region);
    }
    for (size_t i = 0; i < r->nverdicts; i++)
        free(r->verdicts[i].path);
    free(r->verdicts);
    free(r->findings);
    free(r->days);
    free(r);
}
