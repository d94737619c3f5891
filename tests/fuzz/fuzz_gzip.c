/*
 * fuzz_gzip.c - libFuzzer harness: the gzip path (ingest_gunzip with its
 * decompression cap, then the parser) on arbitrary bytes.
 */
#include "ingest/gz.h"
#include "ingest/parse.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define FUZZ_CAP (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ingest_gz *gz;
    static ingest_parser *p;
    static tt_buf out;
    if (!gz) {
        gz = ingest_gz_create();
        p = ingest_parser_create();
        tt_buf_init(&out, FUZZ_CAP);
    }
    tt_error err;
    tt_status st = ingest_gunzip(gz, data, size, &out, "fuzz", &err);
    if (st == TT_OK) {
        if (out.len > FUZZ_CAP)
            abort(); /* the cap held */
        ingest_kind kind;
        const tt_event *ev;
        size_t n;
        ingest_parse_object(p, out.data, out.len, &kind, &ev, &n, &err);
    } else if (st != TT_ERR_FORMAT && st != TT_ERR_LIMIT) {
        abort();
    }
    return 0;
}
