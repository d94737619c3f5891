/*
 * test_judge.c - gen_judge (generate/judge.h), the rules `unused` and
 * `repo` share, on the real capture and authorization-details file of
 * tests/fixtures/authz (authz_fixture.h): the status of each granted
 * action (used, unused, kept by NOREPO, not observable as permission-only
 * or data event, not granted when denied), the verdict on each principal
 * (judged, too young, coverage gaps, no data) with its day counts, the
 * last use, the unused set, and a result struct reused across principals.
 */
#define _GNU_SOURCE
#include "authz_fixture.h"

static fixture X;

static uint8_t status_of(const gen_judged *r, const char *action)
{
    size_t k = fx_act(&X, action);
    return k == (size_t)-1 ? 0xff : r->status[k];
}

/* Actions of r with status st, "a,b,c" in catalog order. */
static char *with_status(const gen_judged *r, int st, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (size_t k = 0; k < gen_catalog_count(X.cat); k++)
        if (r->status[k] == st)
            n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s%s", n ? "," : "", gen_catalog_at(X.cat, k)->full);
    return out;
}

static void test_window(gen_judge *j, int32_t from, int32_t to)
{
    char b[4096];
    gen_judged r;
    memset(&r, 0, sizeof r);
    long alice = fx_principal(&X, "alice"), app = fx_principal(&X, "app"), bounded = fx_principal(&X, "bounded"),
         young = fx_principal(&X, "new-role"), gappy = fx_principal(&X, "gappy");
    CHECK(alice >= 0 && app >= 0 && bounded >= 0 && young >= 0 && gappy >= 0);
    if (alice < 0 || app < 0 || bounded < 0 || young < 0 || gappy < 0)
        return;

    /* alice: group policies count; her Deny NotAction leaves two actions. */
    gen_judge_principal(j, (size_t)alice, &r);
    CHECK(r.verdict == GEN_VERDICT_JUDGED);
    CHECK(r.days == to - from + 1 && r.missing == 0 && r.first_missing == -1);
    CHECK_STR(with_status(&r, GEN_JUDGE_USED, b, sizeof b), "ec2:DescribeInstances");
    CHECK_STR(with_status(&r, GEN_JUDGE_UNUSED, b, sizeof b), "ec2:DescribeVpcs");
    CHECK(status_of(&r, "sqs:DeleteMessage") == GEN_JUDGE_NOT_GRANTED); /* denied by NotAction */
    /* Her last use: 2026-10-05T12:00:00Z. */
    int64_t last = 0;
    tt_time_parse("2026-10-05T12:00:00Z", 20, &last);
    size_t di = fx_act(&X, "ec2:DescribeInstances");
    CHECK(di != (size_t)-1 && r.last_ms[di] == last);
    CHECK(r.count[GEN_JUDGE_USED] == 1 && r.count[GEN_JUDGE_UNUSED] == 1);

    /* app: every kind of status (the same result struct, reused). */
    gen_judge_principal(j, (size_t)app, &r);
    CHECK(r.verdict == GEN_VERDICT_JUDGED);
    CHECK_STR(with_status(&r, GEN_JUDGE_USED, b, sizeof b), "kms:Decrypt,logs:CreateLogStream,s3:GetObject,sqs:SendMessage");
    CHECK_STR(with_status(&r, GEN_JUDGE_UNUSED, b, sizeof b),
              "cloudwatch:PutMetricData,logs:DeleteLogGroup,s3:PutObject,sqs:DeleteMessage");
    CHECK_STR(with_status(&r, GEN_JUDGE_KEPT, b, sizeof b), "ssm:GetParameter");
    CHECK_STR(with_status(&r, GEN_JUDGE_NOT_OBS_PERMISSION, b, sizeof b), "iam:PassRole");
    CHECK_STR(with_status(&r, GEN_JUDGE_NOT_OBS_DATA, b, sizeof b), "dynamodb:GetItem");
    CHECK(status_of(&r, "sqs:DeleteQueue") == GEN_JUDGE_NOT_GRANTED); /* unconditional Deny */
    CHECK(status_of(&r, "iam:CreateUser") == GEN_JUDGE_NOT_GRANTED);  /* a non-default version */
    CHECK(status_of(&r, "sts:GetCallerIdentity") != GEN_JUDGE_UNUSED); /* used, and needs no permission */
    /* Counts agree with the array, and with the unused set. */
    size_t sum[GEN_JUDGE_NSTATUS] = {0};
    for (size_t k = 0; k < gen_catalog_count(X.cat); k++)
        if (r.status[k] < GEN_JUDGE_NSTATUS)
            sum[r.status[k]]++;
    for (int s = 1; s < GEN_JUDGE_NSTATUS; s++)
        CHECK_MSG(sum[s] == r.count[s], "status %d: %zu in the array, count %zu", s, sum[s], r.count[s]);
    uint8_t *remove = calloc(gen_catalog_count(X.cat), 1);
    CHECK(gen_judge_unused_set(j, &r, remove) == 4);
    size_t pu = fx_act(&X, "s3:PutObject"), gu = fx_act(&X, "s3:GetObject");
    CHECK(pu != (size_t)-1 && gu != (size_t)-1 && remove[pu] == 1 && remove[gu] == 0);

    /* bounded: Action "*" inside a three-action boundary. */
    gen_judge_principal(j, (size_t)bounded, &r);
    CHECK(r.verdict == GEN_VERDICT_JUDGED);
    CHECK_STR(with_status(&r, GEN_JUDGE_USED, b, sizeof b), "logs:CreateLogGroup");
    CHECK_STR(with_status(&r, GEN_JUDGE_UNUSED, b, sizeof b), "logs:CreateLogStream,s3:GetObject");
    CHECK(status_of(&r, "ec2:RunInstances") == GEN_JUDGE_NOT_GRANTED);

    /* new-role: created on 2026-10-03, inside the window: not judged. */
    gen_judge_principal(j, (size_t)young, &r);
    CHECK(r.verdict == GEN_VERDICT_YOUNG);
    CHECK(status_of(&r, "s3:ListAllMyBuckets") == GEN_JUDGE_USED); /* what it used is still said */
    CHECK(r.count[GEN_JUDGE_UNUSED] == 0);
    CHECK(gen_judge_unused_set(j, &r, remove) == 0);

    /* gappy: account 444455556666 has events on 2 of the 5 days. */
    gen_judge_principal(j, (size_t)gappy, &r);
    CHECK(r.verdict == GEN_VERDICT_GAPS);
    CHECK_MSG(r.days == 5 && r.missing == 3 && r.first_missing == fx_day("2026-10-02"), "days %d missing %d first %d",
              r.days, r.missing, r.first_missing);
    CHECK_STR(with_status(&r, GEN_JUDGE_NOT_JUDGED, b, sizeof b), "ec2:DescribeVpcs");
    CHECK(r.count[GEN_JUDGE_UNUSED] == 0);
    CHECK(gen_judge_unused_set(j, &r, remove) == 0);
    free(remove);
    gen_judged_free(&r);
}

int main(void)
{
    if (fx_open(&X) != 0) {
        fx_close(&X);
        return check_done();
    }
    tt_error err;
    gen_judge *j = NULL;
    int32_t from = fx_day("2026-10-01"), to = fx_day("2026-10-05");
    CHECK(gen_judge_create(&j, X.cat, X.map, X.az, X.st, from, to, &err) == TT_OK);
    if (j)
        test_window(j, from, to);
    gen_judge_free(j);

    /* One day more, before the data: a day without any event of the
     * account, so nobody there is judged (and the young one is young). */
    j = NULL;
    CHECK(gen_judge_create(&j, X.cat, X.map, X.az, X.st, fx_day("2026-09-30"), to, &err) == TT_OK);
    if (j) {
        gen_judged r;
        memset(&r, 0, sizeof r);
        for (size_t i = 0; i < gen_authz_count(X.az); i++) {
            gen_judge_principal(j, i, &r);
            const char *name = gen_authz_at(X.az, i)->name;
            if (strcmp(name, "new-role") == 0)
                CHECK(r.verdict == GEN_VERDICT_YOUNG);
            else
                CHECK_MSG(r.verdict == GEN_VERDICT_GAPS, "%s: verdict %d", name, (int)r.verdict);
            CHECK(r.count[GEN_JUDGE_UNUSED] == 0);
        }
        long alice = fx_principal(&X, "alice");
        if (alice >= 0) {
            gen_judge_principal(j, (size_t)alice, &r);
            CHECK(r.days == 6 && r.missing == 1 && r.first_missing == fx_day("2026-09-30"));
        }
        gen_judged_free(&r);
    }
    gen_judge_free(j);

    /* A window the store has nothing of: no data, nothing unused. */
    j = NULL;
    CHECK(gen_judge_create(&j, X.cat, X.map, X.az, X.st, fx_day("2025-01-01"), fx_day("2025-01-05"), &err) == TT_OK);
    if (j) {
        gen_judged r;
        memset(&r, 0, sizeof r);
        for (size_t i = 0; i < gen_authz_count(X.az); i++) {
            gen_judge_principal(j, i, &r);
            CHECK(r.verdict == GEN_VERDICT_NODATA || r.verdict == GEN_VERDICT_YOUNG);
            CHECK(r.count[GEN_JUDGE_UNUSED] == 0 && r.count[GEN_JUDGE_USED] == 0);
        }
        long alice = fx_principal(&X, "alice");
        if (alice >= 0) {
            gen_judge_principal(j, (size_t)alice, &r);
            CHECK(r.verdict == GEN_VERDICT_NODATA && r.missing == 5);
        }
        gen_judged_free(&r);
    }
    gen_judge_free(j);
    gen_judge_free(NULL);
    gen_judged free_zeroed;
    memset(&free_zeroed, 0, sizeof free_zeroed);
    gen_judged_free(&free_zeroed);
    fx_close(&X);
    return check_done();
}
