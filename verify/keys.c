/*
 * keys.c - CloudTrail's public keys as the user supplies them, found by the
 * fingerprint a digest names, and RSA-SHA256 (PKCS#1 v1.5) signature checks
 * with OpenSSL's EVP interface.
 */
#define _GNU_SOURCE
#include "verify_int.h"

#include "common/hex.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_FILE_MAX (256 * 1024)
#define SIG_MAX_BYTES 2048

typedef struct key_ent {
    char fpr[33];
    EVP_PKEY *pkey; /* one reference per entry */
} key_ent;

struct verify_keys {
    key_ent *e;
    size_t n, alloc;
    size_t nkeys;
};

static void add_ent(verify_keys *k, const char *fpr, EVP_PKEY *pkey)
{
    if (k->n == k->alloc) {
        k->alloc = k->alloc ? 2 * k->alloc : 8;
        k->e = tt_xrealloc(k->e, k->alloc * sizeof *k->e);
    }
    snprintf(k->e[k->n].fpr, sizeof k->e[k->n].fpr, "%s", fpr);
    EVP_PKEY_up_ref(pkey);
    k->e[k->n++].pkey = pkey;
}

/* Hex MD5 of a DER encoding made by i2d (PKCS#1 or SPKI). */
static int md5_hex(const unsigned char *der, int len, char out[33])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (len <= 0 || EVP_Digest(der, (size_t)len, md, &mdlen, EVP_md5(), NULL) != 1 || mdlen != 16)
        return -1;
    tt_hex_encode(md, 16, out);
    return 0;
}

static void add_key(verify_keys *k, EVP_PKEY *pkey, const char *stem)
{
    unsigned char *der = NULL;
    char fpr[33];
    int len = i2d_PublicKey(pkey, &der);
    if (md5_hex(der, len, fpr) == 0)
        add_ent(k, fpr, pkey);
    OPENSSL_free(der);
    der = NULL;
    len = i2d_PUBKEY(pkey, &der);
    if (md5_hex(der, len, fpr) == 0)
        add_ent(k, fpr, pkey);
    OPENSSL_free(der);
    size_t sl = strlen(stem), hex = 0;
    while (hex < sl && isxdigit((unsigned char)stem[hex]))
        hex++;
    if (sl >= 32 && hex == 32 && (stem[32] == '\0' || stem[32] == '.')) {
        char low[33];
        for (int i = 0; i < 32; i++)
            low[i] = (char)tolower((unsigned char)stem[i]);
        low[32] = '\0';
        add_ent(k, low, pkey);
    }
    k->nkeys++;
}

/* A DER public key: PKCS#1 RSAPublicKey (what the CloudTrail API hands out)
 * or SubjectPublicKeyInfo. */
static EVP_PKEY *from_der(const unsigned char *der, long len)
{
    const unsigned char *p = der;
    EVP_PKEY *pkey = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, len);
    if (!pkey) {
        p = der;
        pkey = d2i_PUBKEY(NULL, &p, len);
    }
    return pkey;
}

/* Every PEM public key in text; returns how many were added. */
static int load_pem(verify_keys *k, const char *text, size_t n, const char *stem)
{
    int added = 0;
    BIO *bio = BIO_new_mem_buf(text, (int)n);
    char *name = NULL, *header = NULL;
    unsigned char *data = NULL;
    long len = 0;
    while (bio && PEM_read_bio(bio, &name, &header, &data, &len) == 1) {
        if (strcmp(name, "PUBLIC KEY") == 0 || strcmp(name, "RSA PUBLIC KEY") == 0) {
            EVP_PKEY *pkey = from_der(data, len);
            if (pkey) {
                add_key(k, pkey, stem);
                EVP_PKEY_free(pkey);
                added++;
            }
        }
        OPENSSL_free(name);
        OPENSSL_free(header);
        OPENSSL_free(data);
    }
    BIO_free(bio);
    return added;
}

/* The bare base64 DER of `aws cloudtrail list-public-keys` (.Value). */
static int load_base64(verify_keys *k, const char *text, size_t n, const char *stem)
{
    char *b64 = tt_xmalloc(n + 1);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)text[i]))
            b64[m++] = text[i];
    int added = 0;
    unsigned char *der = tt_xmalloc(m + 4);
    int len = m && m % 4 == 0 ? EVP_DecodeBlock(der, (unsigned char *)b64, (int)m) : -1;
    if (len > 0) {
        while (m > 0 && b64[m - 1] == '=') { /* DecodeBlock counts padding */
            m--;
            len--;
        }
        EVP_PKEY *pkey = from_der(der, len);
        if (pkey) {
            add_key(k, pkey, stem);
            EVP_PKEY_free(pkey);
            added = 1;
        }
    }
    free(der);
    free(b64);
    return added;
}

static void load_file(verify_keys *k, const char *path, const char *stem)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    char *text = tt_xmalloc(KEY_FILE_MAX);
    size_t n = fread(text, 1, KEY_FILE_MAX, f);
    fclose(f);
    if (n > 0 && n < KEY_FILE_MAX && load_pem(k, text, n, stem) == 0)
        load_base64(k, text, n, stem);
    free(text);
}

tt_status verify_keys_load(const char *dir, verify_keys **out, tt_error *err)
{
    char eb[128];
    *out = NULL;
    DIR *d = opendir(dir);
    if (!d)
        return tt_fail(err, TT_ERR_IO, "%s: %s", dir, tt_errno_text(errno, eb, sizeof eb));
    verify_keys *k = tt_xcalloc(1, sizeof *k);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        size_t len = strlen(dir) + strlen(de->d_name) + 2;
        char *path = tt_xmalloc(len);
        snprintf(path, len, "%s/%s", dir, de->d_name);
        load_file(k, path, de->d_name);
        free(path);
    }
    closedir(d);
    if (k->nkeys == 0) {
        verify_keys_free(k);
        return tt_fail(err, TT_ERR_FORMAT, "%s: no public key found (PEM or base64 DER)", dir);
    }
    *out = k;
    return TT_OK;
}

void verify_keys_free(verify_keys *k)
{
    if (!k)
        return;
    for (size_t i = 0; i < k->n; i++)
        EVP_PKEY_free(k->e[i].pkey);
    free(k->e);
    free(k);
}

size_t verify_keys_count(const verify_keys *k)
{
    return k ? k->nkeys : 0;
}

static int unhex(const char *s, unsigned char *out, size_t cap, size_t *n)
{
    size_t len = strlen(s);
    if (len == 0 || len % 2 || len / 2 > cap)
        return -1;
    *n = len / 2;
    return tt_hex_decode(s, out, *n);
}

int verify_keys_check(const verify_keys *k, const char *fingerprint, const char *msg,
                      size_t msglen, const char *sig_hex)
{
    EVP_PKEY *pkey = NULL;
    for (size_t i = 0; fingerprint && i < k->n && !pkey; i++)
        if (strcasecmp(k->e[i].fpr, fingerprint) == 0)
            pkey = k->e[i].pkey;
    if (!pkey)
        return -1;
    unsigned char sig[SIG_MAX_BYTES];
    size_t siglen = 0;
    if (unhex(sig_hex, sig, sizeof sig, &siglen) != 0)
        return -2;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int good = ctx && EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, pkey) == 1 &&
               EVP_DigestVerify(ctx, sig, siglen, (const unsigned char *)msg, msglen) == 1;
    EVP_MD_CTX_free(ctx);
    return good ? 1 : 0;
}
