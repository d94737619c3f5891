/*
 * test_recall.c - reading a record back from its source object by path and
 * offset (SHA-256 checked; gone, changed and misplaced evidence refused with
 * a message) and pulling fields out of it.
 */
#define _GNU_SOURCE
#include "check.h"

#include "ingest/recall.h"

#include <libdeflate.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const doc =
    "{\"Records\":[{\"eventName\":\"ListBuckets\",\"requestParameters\":null},\n"
    " {\"eventName\":\"CreateAccessKey\",\"requestParameters\":{\"userName\":\"svc\\u002dbackup\"},"
    "\"responseElements\":{\"accessKey\":{\"accessKeyId\":\"AKIAEXAMPLE0000001\",\"tags\":[1, 2 "
    ",{\"a\" : \"b c\"}]}},"
    "\"items\":[{\"t\":\"m5.large\"},{\"t\":\"p4d.24xlarge\"}],\"esc\":\"a\\\"b\\\\c\"}]}";

static void write_gz(const char *path, uint8_t sha[32])
{
    uint8_t out[4096];
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(6);
    size_t n = libdeflate_gzip_compress(c, doc, strlen(doc), out, sizeof out);
    libdeflate_free_compressor(c);
    FILE *f = fopen(path, "wb");
    fwrite(out, 1, n, f);
    fclose(f);
    unsigned int len = 32;
    EVP_Digest(out, n, sha, &len, EVP_sha256(), NULL);
}

static void test_record(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/obj.json.gz", dir);
    uint8_t sha[32];
    write_gz(path, sha);
    uint64_t off = (uint64_t)(strstr(doc, "{\"eventName\":\"CreateAccessKey\"") - doc);
    size_t want = strlen(doc) - off - 2; /* less "]}" */
    ingest_recall *r = ingest_recall_create(1 << 20, dir);
    const char *rec;
    size_t len;
    tt_error err;
    CHECK(ingest_recall_record(r, path, "", off, sha, &rec, &len, &err) == TT_OK);
    CHECK(len == want && memcmp(rec, doc + off, want) == 0);
    /* The same object again comes from the cache; the first record too. */
    uint64_t off0 = (uint64_t)(strstr(doc, "{\"eventName\":\"ListBuckets\"") - doc);
    CHECK(ingest_recall_record(r, path, "", off0, sha, &rec, &len, &err) == TT_OK);
    CHECK(len == strlen("{\"eventName\":\"ListBuckets\",\"requestParameters\":null}"));
    /* A relative path is tried in base_dir. */
    CHECK(ingest_recall_record(r, "obj.json.gz", "", off, sha, &rec, &len, &err) == TT_OK);
    /* Not at a record. */
    CHECK(ingest_recall_record(r, path, "", off + 1, sha, &rec, &len, &err) == TT_ERR_FORMAT);
    CHECK(strstr(err.msg, "no record starts at byte") != NULL);
    CHECK(ingest_recall_record(r, path, "", 1u << 30, sha, &rec, &len, &err) == TT_ERR_FORMAT);
    /* Changed content: another hash recorded. */
    uint8_t other[32];
    memcpy(other, sha, 32);
    other[0] ^= 1;
    CHECK(ingest_recall_record(r, path, "", off, other, &rec, &len, &err) == TT_ERR_FORMAT);
    CHECK_MSG(strstr(err.msg, "changed since it was ingested") != NULL, "%s", err.msg);
    CHECK(rec == NULL);
    /* Gone. */
    char gone[600];
    snprintf(gone, sizeof gone, "%s/missing.json.gz", dir);
    CHECK(ingest_recall_record(r, gone, "", off, sha, &rec, &len, &err) == TT_ERR_IO);
    CHECK_MSG(strstr(err.msg, "is gone") != NULL, "%s", err.msg);
    CHECK(ingest_recall_record(r, "-", "", off, sha, &rec, &len, &err) == TT_ERR_IO);
    CHECK(strstr(err.msg, "stdin") != NULL);
    /* An archive that is not there. */
    CHECK(ingest_recall_record(r, gone, "a.json", off, sha, &rec, &len, &err) == TT_ERR_IO);
    /* Cache survives more objects than slots: the first is read again. */
    for (int i = 0; i < 6; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s/o%d.json.gz", dir, i);
        uint8_t s2[32];
        write_gz(p, s2);
        CHECK(ingest_recall_record(r, p, "", off, s2, &rec, &len, &err) == TT_OK);
        unlink(p);
    }
    CHECK(ingest_recall_record(r, path, "", off, sha, &rec, &len, &err) == TT_OK && len == want);
    ingest_recall_free(r);
    ingest_recall_free(NULL);
    unlink(path);
}

static void test_fields(void)
{
    const char *rec = strstr(doc, "{\"eventName\":\"CreateAccessKey\"");
    size_t len = strlen(rec) - 2;
    char v[64];
    CHECK(ingest_recall_field(rec, len, "requestParameters.userName", v, sizeof v) == 1);
    CHECK_STR(v, "svc-backup"); /* \u002d unescaped */
    CHECK(ingest_recall_field(rec, len, "responseElements.accessKey.accessKeyId", v, sizeof v) ==
          1);
    CHECK_STR(v, "AKIAEXAMPLE0000001");
    CHECK(ingest_recall_field(rec, len, "responseElements.accessKey.tags", v, sizeof v) == 1);
    CHECK_STR(v, "[1,2,{\"a\":\"b c\"}]"); /* compact, spaces in strings kept */
    CHECK(ingest_recall_field(rec, len, "items.1.t", v, sizeof v) == 1);
    CHECK_STR(v, "p4d.24xlarge");
    CHECK(ingest_recall_field(rec, len, "items.2.t", v, sizeof v) == 0);
    CHECK(ingest_recall_field(rec, len, "items.x", v, sizeof v) == 0);
    CHECK(ingest_recall_field(rec, len, "esc", v, sizeof v) == 1);
    CHECK_STR(v, "a\"b\\c");
    CHECK(ingest_recall_field(rec, len, "requestParameters.roleName", v, sizeof v) == 0);
    CHECK(ingest_recall_field(rec, len, "nothing.at.all", v, sizeof v) == 0);
    const char *first = "{\"eventName\":\"ListBuckets\",\"requestParameters\":null}";
    CHECK(ingest_recall_field(first, strlen(first), "requestParameters", v, sizeof v) == 0);
    CHECK(ingest_recall_field(first, strlen(first), "eventName", v, sizeof v) == 1);
    /* Cut to the buffer, marked. */
    char small[8];
    CHECK(ingest_recall_field(rec, len, "responseElements.accessKey.accessKeyId", small,
                              sizeof small) == 1);
    CHECK(strlen(small) == 7 && strcmp(small + 4, "...") == 0);
    CHECK(ingest_recall_field(rec, len, "responseElements", small, sizeof small) == 1);
    CHECK(strlen(small) == 7 && strcmp(small + 4, "...") == 0);
    /* Not JSON: nothing. */
    CHECK(ingest_recall_field("{\"a\":", 5, "a", v, sizeof v) == 0);
    CHECK(ingest_recall_field("", 0, "a", v, sizeof v) == 0 && v[0] == '\0');
}

int main(void)
{
    char dir[] = "/tmp/tt-recall.XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK_SKIP("mkdtemp failed");
        return check_done();
    }
    test_record(dir);
    test_fields();
    rmdir(dir);
    return check_done();
}
