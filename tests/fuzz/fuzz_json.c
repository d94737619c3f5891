/*
 * fuzz_json.c - libFuzzer harness: the JSON scanner and the CloudTrail
 * parser (ingest_parse_object) on arbitrary bytes. Every input must end in
 * TT_OK or a format/limit error, never a crash, leak or undefined behaviour.
 */
#include "ingest/parse.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static ingest_parser *p;
    if (!p)
        p = ingest_parser_create();
    ingest_kind kind;
    const tt_event *ev = NULL;
    size_t n = 0;
    tt_error err;
    tt_status st = ingest_parse_object(p, (const char *)data, size, &kind, &ev, &n, &err);
    if (st != TT_OK && st != TT_ERR_FORMAT && st != TT_ERR_LIMIT)
        abort();
    if (st != TT_OK && n != 0)
        abort(); /* a rejected object hands out no event */
    return 0;
}
