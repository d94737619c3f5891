/*
 * parsebench.c - parse-only throughput on real objects: gunzips every
 * *.json.gz under a directory into memory once, then times
 * ingest_parse_object (and json_validate) over all of them, best of N.
 * A developer tool for the JSON scanner.
 *
 *   trailtrim-parsebench DIR [REPS]
 */
#define _XOPEN_SOURCE 700
#include "ingest/gz.h"
#include "json/json.h"
#include "ingest/parse.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct obj {
    char *p;
    size_t n;
} obj;

static obj *objs;
static size_t nobj, capobj, total;
static ingest_gz *gz;
static tt_buf in, out;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int slurp(const char *path, tt_buf *b)
{
    FILE *f = fopen(path, "rb");
    char chunk[65536];
    size_t k;
    if (!f)
        return -1;
    tt_buf_reset(b);
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (tt_buf_append(b, chunk, k) != 0)
            break;
    fclose(f);
    return 0;
}

/* Keeps each object in an exactly-sized block, as the reader hands it. */
static int add(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    size_t len = strlen(path);
    tt_error err;
    (void)st;
    (void)ftw;
    if (type != FTW_F || len < 8 || strcmp(path + len - 8, ".json.gz") != 0)
        return 0;
    if (slurp(path, &in) != 0 ||
        ingest_gunzip(gz, (const uint8_t *)in.data, in.len, &out, path, &err) != TT_OK) {
        fprintf(stderr, "parsebench: cannot read %s\n", path);
        return 0;
    }
    if (nobj == capobj) {
        capobj = capobj ? capobj * 2 : 256;
        objs = tt_xrealloc(objs, capobj * sizeof *objs);
    }
    objs[nobj].p = tt_xmalloc(out.len);
    memcpy(objs[nobj].p, out.data, out.len);
    objs[nobj++].n = out.len;
    total += out.len;
    return 0;
}

int main(int argc, char **argv)
{
    int reps = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 7;
    double best_p = 1e9, best_v = 1e9;
    size_t nev_total = 0;
    ingest_parser *P = ingest_parser_create();
    if (argc < 2) {
        fprintf(stderr, "usage: trailtrim-parsebench DIR [REPS]\n");
        return 2;
    }
    gz = ingest_gz_create();
    tt_buf_init(&in, (size_t)1 << 30);
    tt_buf_init(&out, (size_t)1 << 30);
    nftw(argv[1], add, 16, FTW_PHYS);
    for (int r = 0; r < reps; r++) {
        double t0 = now_s();
        nev_total = 0;
        for (size_t i = 0; i < nobj; i++) {
            ingest_kind kind;
            const tt_event *ev;
            size_t nev;
            tt_error err;
            if (ingest_parse_object(P, objs[i].p, objs[i].n, &kind, &ev, &nev,
                                    &err) != TT_OK)
                fprintf(stderr, "parsebench: object %zu: %s\n", i, err.msg);
            nev_total += nev;
        }
        double t1 = now_s();
        for (size_t i = 0; i < nobj; i++) {
            json_scanner s;
            json_init(&s, objs[i].p, objs[i].n, JSON_DEPTH_LIMIT);
            if (json_validate(&s) != TT_OK)
                fprintf(stderr, "parsebench: object %zu does not validate\n", i);
        }
        double t2 = now_s();
        best_p = t1 - t0 < best_p ? t1 - t0 : best_p;
        best_v = t2 - t1 < best_v ? t2 - t1 : best_v;
    }
    printf("%zu objects, %.1f MB, %zu events: parse %.0f MB/s, validate %.0f MB/s\n",
           nobj, (double)total / 1e6, nev_total, (double)total / 1e6 / best_p,
           (double)total / 1e6 / best_v);
    for (size_t i = 0; i < nobj; i++)
        free(objs[i].p);
    free(objs);
    tt_buf_free(&in);
    tt_buf_free(&out);
    ingest_gz_free(gz);
    ingest_parser_free(P);
    return 0;
}
