/*
 * fuzz_bundle.c - libFuzzer harness: the archive path. The input is written
 * to a private temporary file (ingest_archive_each reads a path), and every
 * entry is gunzipped when it is gzip and parsed, as ingest does.
 */
#define _GNU_SOURCE
#include "ingest/bundle.h"
#include "ingest/gz.h"
#include "ingest/parse.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define FUZZ_CAP (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct fctx {
    ingest_gz *gz;
    ingest_parser *p;
    tt_buf out;
    size_t entries;
} fctx;

static tt_status on_entry(void *arg, const char *name, const uint8_t *d, size_t len,
                          const char *why, tt_error *err)
{
    fctx *c = arg;
    (void)name;
    (void)err;
    c->entries++;
    if (!d)
        return why ? TT_OK : (abort(), TT_OK); /* a non-regular entry says why */
    ingest_kind kind;
    const tt_event *ev;
    size_t n;
    tt_error e;
    if (ingest_gz_is_gzip(d, len)) {
        if (ingest_gunzip(c->gz, d, len, &c->out, "entry", &e) == TT_OK)
            ingest_parse_object(c->p, c->out.data, c->out.len, &kind, &ev, &n, &e);
    } else {
        ingest_parse_object(c->p, (const char *)d, len, &kind, &ev, &n, &e);
    }
    return TT_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fctx c;
    static tt_buf entry;
    static char path[64];
    if (!c.gz) {
        c.gz = ingest_gz_create();
        c.p = ingest_parser_create();
        tt_buf_init(&c.out, FUZZ_CAP);
        tt_buf_init(&entry, FUZZ_CAP);
        snprintf(path, sizeof path, "/tmp/tt-fuzz-bundle.%ld", (long)getpid());
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
    uint8_t sha[32];
    int64_t got = 0;
    tt_error err;
    c.entries = 0;
    tt_status st = ingest_archive_each(path, 1000, &entry, on_entry, &c, sha, &got, &err);
    if (st == TT_OK && c.entries > 1000)
        abort(); /* the entry cap held */
    unlink(path);
    return 0;
}
