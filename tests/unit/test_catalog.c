/*
 * test_catalog.c - the compiled-in IAM catalog: it loads, lookups ignore
 * case and give the catalog's spelling, and it agrees action for action
 * with the flattened copy of the same package in ../shared (an independent
 * derivation), when that is present.
 */
#define _POSIX_C_SOURCE 200809L
#include "check.h"

#include "generate/catalog.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static void test_lookups(const gen_catalog *c)
{
    const gen_action *a = gen_catalog_find_full(c, "S3:getobject");
    CHECK(a != NULL);
    if (a) {
        CHECK_STR(a->full, "s3:GetObject");
        CHECK_STR(a->levels, "R");
        CHECK(strstr(a->resources, "object") != NULL);
    }
    CHECK(gen_catalog_find_full(c, "s3:PutBucketReplication") == NULL); /* a published tool's mistake */
    CHECK(gen_catalog_find_full(c, "s3:PutReplicationConfiguration") != NULL);
    CHECK(gen_catalog_find_full(c, "rds:RestoreDBInstanceFromS3") != NULL);
    CHECK(gen_catalog_find_full(c, "rds:RestoreDBInstanceFromS") == NULL);
    CHECK(gen_catalog_find_full(c, "s3:*") == NULL);
    CHECK(gen_catalog_find_full(c, "nocolon") == NULL);
    CHECK(gen_catalog_find(c, "LAMBDA", "invokefunction", 14) != NULL);
    CHECK(gen_catalog_service(c, "monitoring") == NULL);
    CHECK(gen_catalog_service(c, "cloudwatch") != NULL);
    const char *arn = gen_catalog_arn(c, "s3", "bucket");
    CHECK(arn && strcmp(arn, "arn:${Partition}:s3:::${BucketName}") == 0);
    char buf[96];
    CHECK_STR(gen_levels_text("TW", buf, sizeof buf), "Tagging, Write");
    CHECK_STR(gen_catalog_version(c), "0.21.202609261");
    CHECK_STR(gen_catalog_date(c), "2026-09-26");
    CHECK(strstr(gen_catalog_data_version(buf, sizeof buf), "0.21.202609261 of 2026-09-26") != NULL);
    /* Iteration is sorted by prefix, then name, and every item finds itself. */
    int sorted = 1, found = 1;
    for (size_t i = 0; i < gen_catalog_count(c); i++) {
        const gen_action *x = gen_catalog_at(c, i);
        if (gen_catalog_find_full(c, x->full) != x)
            found = 0;
        if (i > 0) {
            const gen_action *p = gen_catalog_at(c, i - 1);
            int k = strcmp(p->prefix, x->prefix);
            if (k > 0 || (k == 0 && strcasecmp(p->name, x->name) >= 0))
                sorted = 0;
        }
    }
    CHECK(sorted);
    CHECK(found);
}

static void test_bad_text(void)
{
    tt_error err;
    gen_catalog *c = NULL;
    const char *bad = "V\tp\t1\t2026-01-01\nX\tnonsense\n";
    CHECK(gen_catalog_parse(&c, bad, strlen(bad), &err) == TT_ERR_FORMAT && c == NULL);
    const char *orphan = "V\tp\t1\t2026-01-01\nA\tnosvc\tDo\tW\t\n";
    CHECK(gen_catalog_parse(&c, orphan, strlen(orphan), &err) == TT_ERR_FORMAT);
    const char *twice = "V\tp\t1\td\nP\tx\tX\nA\tx\tDo\tW\t\nA\tx\tDO\tR\t\n";
    CHECK(gen_catalog_parse(&c, twice, strlen(twice), &err) == TT_ERR_FORMAT);
    CHECK(strstr(err.msg, "twice") != NULL);
}

/* Every row of ../shared's flattened catalog (same package and version)
 * is in ours with the same access level, and the counts agree. */
static void test_against_flat_csv(const gen_catalog *c)
{
    const char *shared = check_shared_dir();
    if (!shared) {
        CHECK_SKIP("TT_SHARED_DIR unset: not comparing with the flattened catalog");
        return;
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/data/iam/iam_actions_flat.derived.csv", shared);
    FILE *f = fopen(path, "r");
    if (!f) {
        CHECK_SKIP("no iam_actions_flat.derived.csv in ../shared");
        return;
    }
    char line[8192];
    size_t rows = 0, missing = 0, level_diff = 0;
    if (!fgets(line, sizeof line, f)) /* header */
        line[0] = '\0';
    while (fgets(line, sizeof line, f)) {
        char *p1 = strchr(line, ',');
        char *p2 = p1 ? strchr(p1 + 1, ',') : NULL;
        if (!p1 || !p2 || line[0] == ' ' || line[0] == '"')
            continue;
        char full[512];
        snprintf(full, sizeof full, "%.*s:%.*s", (int)(p1 - line), line, (int)(p2 - p1 - 1), p1 + 1);
        rows++;
        const gen_action *a = gen_catalog_find_full(c, full);
        if (!a) {
            if (missing++ < 5)
                fprintf(stderr, "missing: %s\n", full);
            continue;
        }
        char lv[96];
        gen_levels_text(a->levels, lv, sizeof lv);
        const char *want = p2 + 1;
        if (!(want[0] == '"' ? strncmp(want + 1, lv, strlen(lv)) == 0 : strncmp(want, lv, strlen(lv)) == 0))
            level_diff++;
    }
    fclose(f);
    CHECK_MSG(rows == gen_catalog_count(c), "flat CSV has %zu actions, catalog %zu", rows, gen_catalog_count(c));
    CHECK_MSG(missing == 0, "%zu actions of the flat CSV missing", missing);
    CHECK_MSG(level_diff == 0, "%zu access levels differ", level_diff);
}

int main(void)
{
    tt_error err;
    gen_catalog *c = NULL;
    CHECK(gen_catalog_load(&c, &err) == TT_OK);
    if (!c) {
        fprintf(stderr, "%s\n", err.msg);
        return check_done();
    }
    test_lookups(c);
    test_bad_text();
    test_against_flat_csv(c);
    gen_catalog_free(c);
    return check_done();
}
