/*
 * ingest_render.c - ingest_render_* (ingest_render.h): the summary of an
 * ingest run and its line about rejected inputs.
 */
#include "ingest_render.h"

void ingest_render_summary(FILE *f, out_format fmt, const ingest_render_tally *t, int verify, long long megabytes,
                           double secs)
{
    out *w = out_open(f, fmt, 0);
    out_kv_section(w, "ingest");
    char v[64];
#define KV(k, val)                                                                                 \
    do {                                                                                           \
        snprintf(v, sizeof v, "%lld", (long long)(val));                                           \
        out_kv(w, k, v, 1);                                                                        \
    } while (0)
    KV("objects_loaded", t->loaded);
    KV("objects_skipped", t->skipped);
    KV("objects_same_content", t->same_content);
    KV("objects_rejected", t->rejected);
    KV("objects_partial", t->partial);
    KV("records_rejected", t->records_rejected);
    KV("objects_changed", t->changed);
    KV("digests", t->digests);
    KV("insights", t->insights);
    KV("archives", t->archives);
    KV("events_added", t->added);
    KV("duplicates_dropped", t->duplicates);
    KV("megabytes_parsed", megabytes);
    if (verify) {
        KV("objects_verified", t->verified);
        KV("verify_problems", t->verify_problems);
    }
#undef KV
    snprintf(v, sizeof v, "%.2f", secs);
    out_kv(w, "seconds", v, 1);
    snprintf(v, sizeof v, "%.0f", secs > 0 ? (double)(t->added + t->duplicates) / secs : 0.0);
    out_kv(w, "events_per_second", v, 1);
    out_close(w);
}

void ingest_render_problems(FILE *f, const ingest_render_tally *t)
{
    char rej[64] = "", part[128] = "";
    if (t->rejected)
        snprintf(rej, sizeof rej, "%lld input%s rejected", (long long)t->rejected,
                 t->rejected == 1 ? "" : "s");
    if (t->partial)
        snprintf(part, sizeof part, "%s%lld input%s partial (%lld record%s rejected, the rest stored)",
                 t->rejected ? ", " : "", (long long)t->partial, t->partial == 1 ? "" : "s",
                 (long long)t->records_rejected, t->records_rejected == 1 ? "" : "s");
    fprintf(f, "trailtrim: %s%s (see above and `trailtrim status`)\n", rej, part);
}
