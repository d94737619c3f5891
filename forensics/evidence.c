/*
 * evidence.c - the evidence cursor (forensics.h): one walk over the store's
 * events of a filter that reads each wanted record back from its source
 * object (ingest/recall.h checks the object's SHA-256 against the store's).
 */
#include "forensics.h"

#include "common/mem.h"
#include "ingest/recall.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct forensics_evidence {
    store *st;
    ingest_recall *rc;
};

void forensics_store_dir(const char *db, char *dst, size_t n)
{
    const char *slash = strrchr(db, '/');
    if (!slash)
        snprintf(dst, n, ".");
    else
        snprintf(dst, n, "%.*s", (int)(slash == db ? 1 : slash - db), db);
}

typedef struct walk {
    forensics_evidence *c;
    forensics_want_fn want;
    forensics_item_fn fn;
    void *ctx;
} walk;

forensics_evidence *forensics_evidence_create(store *st, const char *base_dir, size_t max_object_bytes)
{
    forensics_evidence *c = tt_xcalloc(1, sizeof *c);
    c->st = st;
    c->rc = ingest_recall_create(max_object_bytes, base_dir);
    return c;
}

void forensics_evidence_free(forensics_evidence *c)
{
    if (!c)
        return;
    ingest_recall_free(c->rc);
    free(c);
}

tt_status forensics_evidence_record(forensics_evidence *c, const char *path, const char *member, int64_t off,
                                    const uint8_t *sha256, const char **rec, size_t *len, tt_error *err)
{
    return ingest_recall_record(c->rc, path, member, (uint64_t)off, sha256, rec, len, err);
}

int forensics_record_via_service(const char *rec, size_t len)
{
    char v[64];
    return ingest_recall_field(rec, len, "userIdentity.invokedBy", v, sizeof v) ||
           (ingest_recall_field(rec, len, "eventType", v, sizeof v) && strcmp(v, "AwsServiceEvent") == 0);
}

static int on_event(void *ctx, const store_fevent *ev)
{
    walk *w = ctx;
    forensics_want want = w->want ? w->want(w->ctx, ev) : FORENSICS_RECORD;
    if (want == FORENSICS_SKIP)
        return 0;
    forensics_item it = {ev, NULL, 0, NULL};
    tt_error problem;
    tt_error_clear(&problem);
    tt_status s = TT_OK;
    if (want == FORENSICS_RECORD)
        s = forensics_evidence_record(w->c, ev->path, ev->member, ev->off, ev->sha256, &it.rec, &it.len, &problem);
    if (s != TT_OK) {
        problem.status = s;
        it.rec = NULL;
        it.len = 0;
        it.problem = &problem;
    }
    return w->fn(w->ctx, &it);
}

tt_status forensics_evidence_each(forensics_evidence *c, const store_filter *f, forensics_want_fn want,
                                  forensics_item_fn fn, void *ctx, tt_error *err)
{
    walk w = {c, want, fn, ctx};
    return store_each_event(c->st, f, on_event, &w, err);
}
