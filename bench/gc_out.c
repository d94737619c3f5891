/*
 * gc_out.c - writes log objects in the exact S3 delivery layout (account
 * trail and organization trail prefixes), gzipped with libdeflate; keeps
 * SHA-256 hashes of the objects some hours cover and writes CloudTrail-Digest
 * chains for them; finally writes MANIFEST.txt.
 */
#define _POSIX_C_SOURCE 200809L
#include "gc_run.h"

#include <errno.h>
#include <libdeflate.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#define CHAIN_HOURS 3
#define MAX_CHAINS (GC_MAX_STREAMS * 2)

typedef struct logrec {
    int hour;
    char key[224];
    char hash[65];
    int64_t oldest, newest;
} logrec;

typedef struct chain {
    int org, acct;
    const char *region;
    int64_t start;
    logrec *recs;
    size_t nrec, cap;
} chain;

struct gc_out {
    const char *dir;
    gc_world *w;
    struct libdeflate_compressor *cmp;
    gc_buf gz, path, key;
    char lastdir[512];
    chain chains[MAX_CHAINS];
    int nchain;
    gc_stats st;
};

static void say_errno(const char *what, const char *path, int e)
{
    char buf[256] = "unknown error";
    if (strerror_r(e, buf, sizeof buf) != 0)
        snprintf(buf, sizeof buf, "error %d", e);
    fprintf(stderr, "trailtrim-gencorpus: %s %s: %s\n", what, path, buf);
}

/* mkdir -p of the directory part of path (path is NUL-terminated). */
static int mkdirs(gc_out *o, char *path)
{
    char *slash = strrchr(path, '/');
    if (!slash)
        return 0;
    *slash = '\0';
    int rc = 0;
    if (strcmp(path, o->lastdir) != 0) {
        for (char *s = path + 1; *s && rc == 0; s++) {
            if (*s != '/')
                continue;
            *s = '\0';
            if (mkdir(path, 0777) != 0 && errno != EEXIST)
                rc = -1;
            *s = '/';
        }
        if (rc == 0 && mkdir(path, 0777) != 0 && errno != EEXIST)
            rc = -1;
        if (rc != 0)
            say_errno("cannot create directory", path, errno);
        else
            snprintf(o->lastdir, sizeof o->lastdir, "%s", path);
    }
    *slash = '/';
    return rc;
}

static int write_gz(gc_out *o, const char *key, const char *data, size_t n, uint64_t *gzn)
{
    size_t bound = libdeflate_gzip_compress_bound(o->cmp, n);
    if (o->gz.cap < bound)
        gc_buf_grow(&o->gz, bound);
    size_t zn = libdeflate_gzip_compress(o->cmp, data, n, o->gz.p, o->gz.cap);
    o->path.n = 0;
    gc_raw(&o->path, o->dir);
    gc_putc(&o->path, '/');
    gc_raw(&o->path, key);
    gc_putc(&o->path, '\0');
    if (zn == 0 || mkdirs(o, o->path.p) != 0)
        return -1;
    FILE *f = fopen(o->path.p, "wb");
    int rc = -1;
    if (!f)
        say_errno("cannot create", o->path.p, errno);
    else if (fwrite(o->gz.p, 1, zn, f) != zn)
        say_errno("cannot write", o->path.p, errno);
    else
        rc = 0;
    if (f && fclose(f) != 0 && rc == 0) {
        say_errno("cannot close", o->path.p, errno);
        rc = -1;
    }
    *gzn = zn;
    return rc;
}

static void sha256_hex(const char *data, size_t n, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[32];
    unsigned int len = 0;
    EVP_Digest(data, n, md, &len, EVP_sha256(), NULL);
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
}

/* ---- keys ------------------------------------------------------------- */

static void two(gc_buf *b, int v)
{
    gc_putc(b, (char)('0' + v / 10));
    gc_putc(b, (char)('0' + v % 10));
}

static void prefix(gc_out *o, gc_buf *b, int org, int acct, const char *kind,
                   const char *region, int64_t t)
{
    gc_tm tm;
    gc_civil(t, &tm);
    GC_LIT(b, "AWSLogs/");
    if (org) {
        gc_raw(b, o->w->org_id);
        gc_putc(b, '/');
    }
    gc_raw(b, o->w->acct[acct].id);
    gc_putc(b, '/');
    gc_raw(b, kind);
    gc_putc(b, '/');
    gc_raw(b, region);
    gc_putc(b, '/');
    gc_u64(b, (uint64_t)tm.year);
    gc_putc(b, '/');
    two(b, tm.mon);
    gc_putc(b, '/');
    two(b, tm.day);
    gc_putc(b, '/');
    gc_raw(b, o->w->acct[acct].id);
    gc_putc(b, '_');
    gc_raw(b, kind);
    gc_putc(b, '_');
    gc_raw(b, region);
    gc_putc(b, '_');
}

static void stamp(gc_buf *b, int64_t t, int secs)
{
    gc_tm tm;
    gc_civil(t, &tm);
    gc_u64(b, (uint64_t)tm.year);
    two(b, tm.mon);
    two(b, tm.day);
    gc_putc(b, 'T');
    two(b, tm.hour);
    two(b, tm.min);
    if (secs)
        two(b, tm.sec);
    gc_putc(b, 'Z');
}

static const char *trail_name(const gc_out *o, int org, int acct)
{
    if (org)
        return "org-trail";
    return strcmp(o->w->acct[acct].env, "mgmt") == 0 ? "management-events" : "sandbox-audit";
}

static void bucket_name(const gc_out *o, int org, int acct, char *out, size_t cap)
{
    if (org)
        snprintf(out, cap, "%s", o->w->org_bucket);
    else
        snprintf(out, cap, "acme-cloudtrail-%s", o->w->acct[acct].id);
}

/* ---- digest chains ---------------------------------------------------- */

static void add_chain(gc_out *o, int org, int acct, const char *region, int64_t last, int salt)
{
    if (o->nchain == MAX_CHAINS)
        return;
    chain *c = &o->chains[o->nchain++];
    memset(c, 0, sizeof *c);
    c->org = org;
    c->acct = acct;
    c->region = region;
    c->start = last - last % 3600 - 3600 + 60 + (salt * 37) % 240;
}

static void plan_chains(gc_out *o, const gc_plan *pl)
{
    for (int s = 0; s < pl->nstream; s++) {
        int64_t last = -1;
        for (size_t i = 0; i < pl->nwin; i++)
            if (pl->win[i].stream == s && pl->win[i].deliver > last)
                last = pl->win[i].deliver;
        if (last < 0)
            continue;
        const gc_account *a = &o->w->acct[pl->sacct[s]];
        const char *region = a->regions[pl->sreg[s]];
        if (a->delivery & DLV_ACCOUNT)
            add_chain(o, 0, pl->sacct[s], region, last, s);
        if (a->delivery & DLV_ORG)
            add_chain(o, 1, pl->sacct[s], region, last + GC_ORG_LAG1, s);
    }
}

static void chain_note(gc_out *o, int org, int acct, const char *region, int64_t deliver,
                       const char *key, const char *data, size_t n, int64_t oldest,
                       int64_t newest)
{
    for (int i = 0; i < o->nchain; i++) {
        chain *c = &o->chains[i];
        if (c->org != org || c->acct != acct || c->region != region || deliver < c->start ||
            deliver >= c->start + CHAIN_HOURS * 3600)
            continue;
        if (c->nrec == c->cap) {
            c->cap = c->cap ? c->cap * 2 : 16;
            c->recs = realloc(c->recs, c->cap * sizeof *c->recs);
            if (!c->recs) {
                fprintf(stderr, "trailtrim-gencorpus: out of memory\n");
                abort();
            }
        }
        logrec *r = &c->recs[c->nrec++];
        r->hour = (int)((deliver - c->start) / 3600);
        snprintf(r->key, sizeof r->key, "%s", key);
        sha256_hex(data, n, r->hash);
        r->oldest = oldest;
        r->newest = newest;
    }
}

/* ---- public ----------------------------------------------------------- */

gc_out *gc_out_create(const char *dir, gc_world *w, const gc_plan *pl, int digests)
{
    gc_out *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->dir = dir;
    o->w = w;
    o->cmp = libdeflate_alloc_compressor(6);
    if (!o->cmp) {
        fprintf(stderr, "trailtrim-gencorpus: cannot allocate a compressor\n");
        free(o);
        return NULL;
    }
    o->st.first_t = INT64_MAX;
    o->st.last_t = INT64_MIN;
    if (digests)
        plan_chains(o, pl);
    return o;
}

void gc_out_free(gc_out *o)
{
    if (!o)
        return;
    for (int i = 0; i < o->nchain; i++)
        free(o->chains[i].recs);
    libdeflate_free_compressor(o->cmp);
    gc_buf_free(&o->gz);
    gc_buf_free(&o->path);
    gc_buf_free(&o->key);
    free(o);
}

gc_stats *gc_out_stats(gc_out *o)
{
    return &o->st;
}

int gc_out_log(gc_out *o, gc_rng *r, int org, int acct, const char *region, int64_t deliver,
               const char *data, size_t n, int64_t oldest, int64_t newest)
{
    gc_buf *k = &o->key;
    uint64_t zn = 0;
    k->n = 0;
    prefix(o, k, org, acct, "CloudTrail", region, deliver);
    stamp(k, deliver, 0);
    gc_putc(k, '_');
    gc_chars(k, r, GC_ALNUM, 16);
    GC_LIT(k, ".json.gz");
    gc_putc(k, '\0');
    chain_note(o, org, acct, region, deliver, k->p, data, n, oldest, newest);
    if (write_gz(o, k->p, data, n, &zn) != 0)
        return -1;
    o->st.objects++;
    o->st.bytes_raw += n;
    o->st.bytes_gz += zn;
    if (oldest < o->st.first_t)
        o->st.first_t = oldest;
    if (newest > o->st.last_t)
        o->st.last_t = newest;
    return 0;
}

static void opt_time(gc_buf *b, int64_t t)
{
    if (t < 0)
        GC_LIT(b, "null");
    else
        gc_time(b, t);
}

typedef struct prev_digest {
    char bucket[80];
    char key[256];
    char hash[65];
    char sig[513];
} prev_digest;

static void digest_prev(gc_buf *b, const prev_digest *pv)
{
    if (!pv->key[0]) {
        GC_LIT(b, ",\"previousDigestS3Bucket\":null,\"previousDigestS3Object\":null,"
                  "\"previousDigestHashValue\":null,\"previousDigestHashAlgorithm\":null,"
                  "\"previousDigestSignature\":null");
        return;
    }
    GC_LIT(b, ",\"previousDigestS3Bucket\":");
    gc_jstr(b, pv->bucket);
    GC_LIT(b, ",\"previousDigestS3Object\":");
    gc_jstr(b, pv->key);
    GC_LIT(b, ",\"previousDigestHashValue\":");
    gc_jstr(b, pv->hash);
    GC_LIT(b, ",\"previousDigestHashAlgorithm\":\"SHA-256\",\"previousDigestSignature\":");
    gc_jstr(b, pv->sig);
}

static void digest_logs(gc_buf *b, const chain *c, int k, const char *bucket)
{
    int first = 1;
    GC_LIT(b, ",\"logFiles\":[");
    for (size_t i = 0; i < c->nrec; i++) {
        const logrec *r = &c->recs[i];
        if (r->hour != k)
            continue;
        if (!first)
            gc_putc(b, ',');
        first = 0;
        GC_LIT(b, "{\"s3Bucket\":");
        gc_jstr(b, bucket);
        GC_LIT(b, ",\"s3Object\":");
        gc_jstr(b, r->key);
        GC_LIT(b, ",\"hashValue\":");
        gc_jstr(b, r->hash);
        GC_LIT(b, ",\"hashAlgorithm\":\"SHA-256\",\"newestEventTime\":");
        gc_time(b, r->newest);
        GC_LIT(b, ",\"oldestEventTime\":");
        gc_time(b, r->oldest);
        gc_putc(b, '}');
    }
    GC_LIT(b, "]}");
}

static void digest_span(const chain *c, int k, int64_t *newest, int64_t *oldest)
{
    *newest = *oldest = -1;
    for (size_t i = 0; i < c->nrec; i++) {
        const logrec *r = &c->recs[i];
        if (r->hour != k)
            continue;
        if (*newest < 0 || r->newest > *newest)
            *newest = r->newest;
        if (*oldest < 0 || r->oldest < *oldest)
            *oldest = r->oldest;
    }
}

static void digest_body(gc_out *o, gc_buf *b, const chain *c, int k, const char *dkey,
                        const char *bucket, const char *fpr, const prev_digest *pv)
{
    int64_t end = c->start + (int64_t)(k + 1) * 3600, newest, oldest;
    digest_span(c, k, &newest, &oldest);
    b->n = 0;
    GC_LIT(b, "{\"awsAccountId\":");
    gc_jstr(b, o->w->acct[c->acct].id);
    GC_LIT(b, ",\"digestStartTime\":");
    gc_time(b, end - 3600);
    GC_LIT(b, ",\"digestEndTime\":");
    gc_time(b, end);
    GC_LIT(b, ",\"digestS3Bucket\":");
    gc_jstr(b, bucket);
    GC_LIT(b, ",\"digestS3Object\":");
    gc_jstr(b, dkey);
    GC_LIT(b, ",\"digestPublicKeyFingerprint\":");
    gc_jstr(b, fpr);
    GC_LIT(b, ",\"digestSignatureAlgorithm\":\"SHA256withRSA\",\"newestEventTime\":");
    opt_time(b, newest);
    GC_LIT(b, ",\"oldestEventTime\":");
    opt_time(b, oldest);
    digest_prev(b, pv);
    digest_logs(b, c, k, bucket);
}

static void rand_hex(gc_rng *r, char *out, int n)
{
    gc_buf t = {0};
    gc_hex(&t, r, n);
    memcpy(out, t.p, (size_t)n);
    out[n] = '\0';
    gc_buf_free(&t);
}

static int chain_write(gc_out *o, gc_rng *r, const chain *c)
{
    prev_digest pv;
    char bucket[80], fpr[33], dkey[256];
    gc_buf body = {0}, kb = {0};
    int rc = 0;
    memset(&pv, 0, sizeof pv);
    bucket_name(o, c->org, c->acct, bucket, sizeof bucket);
    rand_hex(r, fpr, 32);
    for (int k = 0; k < CHAIN_HOURS && rc == 0; k++) {
        int64_t end = c->start + (int64_t)(k + 1) * 3600;
        uint64_t zn = 0;
        kb.n = 0;
        prefix(o, &kb, c->org, c->acct, "CloudTrail-Digest", c->region, end);
        gc_raw(&kb, trail_name(o, c->org, c->acct));
        gc_putc(&kb, '_');
        gc_raw(&kb, c->region);
        gc_putc(&kb, '_');
        stamp(&kb, end, 1);
        GC_LIT(&kb, ".json.gz");
        gc_putc(&kb, '\0');
        snprintf(dkey, sizeof dkey, "%s", kb.p);
        digest_body(o, &body, c, k, dkey, bucket, fpr, &pv);
        rc = write_gz(o, dkey, body.p, body.n, &zn);
        o->st.digests++;
        o->st.digest_bytes_gz += zn;
        snprintf(pv.bucket, sizeof pv.bucket, "%s", bucket);
        snprintf(pv.key, sizeof pv.key, "%s", dkey);
        sha256_hex(body.p, body.n, pv.hash);
        rand_hex(r, pv.sig, 512);
    }
    gc_buf_free(&body);
    gc_buf_free(&kb);
    return rc;
}

int gc_out_digests(gc_out *o, gc_rng *r)
{
    for (int i = 0; i < o->nchain; i++)
        if (chain_write(o, r, &o->chains[i]) != 0)
            return -1;
    return 0;
}
