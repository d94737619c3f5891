/*
 * fuzz_digest.c - libFuzzer harness: the CloudTrail digest-file reader of
 * `trailtrim verify` (verify_digest_parse) on arbitrary bytes.
 */
#include "verify/verify_int.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    verify_digest d;
    char why[256];
    if (verify_digest_parse((const char *)data, size, &d, why, sizeof why) != 0 && !why[0])
        __builtin_trap(); /* a rejection always says why */
    verify_digest_clear(&d);
    return 0;
}
