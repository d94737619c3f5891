/*
 * fuzz_authz.c - libFuzzer harness: the policy-document parser of
 * `trailtrim unused --authz` (gen_authz_parse: the authorization-details
 * file, URL-encoded policy documents inside it, wildcard and NotAction
 * expansion against the embedded catalog) on arbitrary bytes. A rejection
 * is a format or limit error that says why; an accepted file yields
 * principals whose per-action flags are consistent.
 */
#include "generate/authz.h"
#include "generate/catalog.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_principal(const gen_authz_principal *p, size_t nacts)
{
    if (!p->arn || !p->name || !p->kind || !p->account || !p->acts)
        abort();
    if (strcmp(p->kind, "user") != 0 && strcmp(p->kind, "role") != 0)
        abort();
    for (size_t i = 0; i < nacts; i++) {
        unsigned f = p->acts[i];
        unsigned fate = f & (GEN_AZ_GRANTED | GEN_AZ_DENIED | GEN_AZ_BOUNDARY);
        if (f > 127u)
            abort(); /* an undefined flag */
        if (fate & (fate - 1))
            abort(); /* granted, denied and outside the boundary exclude each other */
        if (!fate && (f & (GEN_AZ_CONDITIONAL | GEN_AZ_SCOPED | GEN_AZ_NOREPO)))
            abort(); /* how it is allowed, but not allowed */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static gen_catalog *cat;
    tt_error err;
    if (!cat && gen_catalog_load(&cat, &err) != TT_OK)
        abort();
    gen_authz *a = NULL;
    tt_error_clear(&err);
    tt_status st = gen_authz_parse(&a, cat, (const char *)data, size, "fuzz", &err);
    if (st != TT_OK) {
        if ((st != TT_ERR_FORMAT && st != TT_ERR_LIMIT) || a || !err.msg[0])
            abort(); /* a rejection is a format or limit error that says why */
        return 0;
    }
    size_t n = gen_authz_count(a), nacts = gen_catalog_count(cat);
    for (size_t i = 0; i < n; i++)
        check_principal(gen_authz_at(a, i), nacts);
    gen_authz_free(a);
    return 0;
}
