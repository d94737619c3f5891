/*
 * test_repo.c - gen_repo (generate/repo.h), Repokid's repo step, on the
 * real capture and authorization-details file of tests/fixtures/authz
 * (authz_fixture.h), the answers derived by hand in its README: which
 * actions leave which statement (patterns, unknown actions, spelling and
 * order of what stays), what is never touched (Deny, NOREPO, conditional,
 * resource-scoped, group policies), a policy left empty, the diff, the
 * lint on every output; then IAM's limits: a user's 2,048 inline
 * characters refused, a managed policy split in parts, and the 87 KB file
 * of 1,200 `ec2:*` statements a refusal, not an abort.
 */
#define _GNU_SOURCE
#include "authz_fixture.h"

#include "json/jdom.h"
#include "generate/policy.h"
#include "generate/repo.h"
#include "generate/repo_principal.h"

static fixture X;

static const gen_repo_doc *doc_named(const gen_repo_result *r, const char *policy)
{
    for (size_t i = 0; i < r->ndocs; i++)
        if (strcmp(r->docs[i].policy, policy) == 0)
            return &r->docs[i];
    return NULL;
}

/* Positions of needles in hay, in order; 0 when one is missing or out of order. */
static int in_order(const char *hay, const char *const *needles, size_t n)
{
    const char *p = hay;
    for (size_t i = 0; i < n; i++) {
        const char *q = p ? strstr(p, needles[i]) : NULL;
        if (!q)
            return 0;
        p = q + strlen(needles[i]);
    }
    return 1;
}

static void lint_all(const gen_repo_result *r, const char *who)
{
    for (size_t i = 0; i < r->ndocs; i++) {
        const gen_repo_doc *d = &r->docs[i];
        if (!d->json)
            continue;
        tt_error err;
        size_t unk = 0;
        tt_status st = gen_repo_lint(X.cat, d->json, strlen(d->json), 0, &unk, &err);
        CHECK_MSG(st == TT_OK, "%s/%s: %s", who, d->policy, err.msg);
        CHECK_MSG(d->after == gen_policy_iam_size(d->json, strlen(d->json)), "%s/%s: after %zu", who, d->policy,
                  d->after);
    }
}

/* Judges principal name over 2026-10-01..05 and tightens it. */
static int tighten(gen_repo *rp, gen_judge *j, const char *name, gen_repo_result *res)
{
    long i = fx_principal(&X, name);
    if (i < 0)
        return -1;
    gen_judged jd;
    memset(&jd, 0, sizeof jd);
    gen_judge_principal(j, (size_t)i, &jd);
    uint8_t *remove = calloc(gen_catalog_count(X.cat), 1);
    gen_judge_unused_set(j, &jd, remove);
    tt_error err;
    tt_status st = gen_repo_tighten(rp, (size_t)i, gen_authz_at(X.az, (size_t)i)->acts, remove, "# header\n", res, &err);
    CHECK_MSG(st == TT_OK, "%s: %s", name, err.msg);
    free(remove);
    gen_judged_free(&jd);
    return st == TT_OK ? 0 : -1;
}

static void test_fixture(void)
{
    gen_repo *rp = NULL;
    gen_judge *j = NULL;
    tt_error err;
    CHECK(gen_repo_open(&rp, X.cat, X.authz_json, X.authz_len, "account.json", &err) == TT_OK);
    CHECK(gen_judge_create(&j, X.cat, X.map, X.az, X.st, fx_day("2026-10-01"), fx_day("2026-10-05"), &err) == TT_OK);
    if (!rp || !j)
        goto out;
    gen_repo_result r;

    /* role/app */
    if (tighten(rp, j, "app", &r) == 0) {
        CHECK(r.refused == NULL && r.own == 3);
        CHECK_MSG(r.removed == 2, "removed %zu", r.removed);
        CHECK(strncmp(r.changes, "# header\n", 9) == 0);
        const gen_repo_doc *in = doc_named(&r, "app-inline"), *enc = doc_named(&r, "app-encoded"),
                           *man = doc_named(&r, "AppManaged");
        CHECK(in && enc && man);
        if (in && in->json) {
            CHECK(in->changed && !in->managed);
            CHECK_MSG(in->before == 563 && in->after == 518, "app-inline %zu -> %zu", in->before, in->after);
            CHECK(strstr(in->json, "s3:PutObject") == NULL);
            CHECK(strstr(in->json, "sqs:Delete*") == NULL);
            CHECK(strstr(in->json, "nosuch:Action") == NULL);
            static const char *const kept[] = {"\"KMS:decrypt\"", "\"dynamodb:GetItem\"", "\"iam:PassRole\""};
            CHECK(in_order(in->json, kept, 3)); /* in their order and spelling */
            CHECK(strstr(in->json, "\"NOREPOParams\"") && strstr(in->json, "\"NoQueueDelete\""));
            CHECK(strstr(in->json, "\"sqs:DeleteQueue\"") != NULL); /* the Deny is copied unchanged */
        }
        if (enc)
            CHECK(!enc->changed && enc->json && enc->before == enc->after);
        if (man)
            CHECK(man->managed && !man->changed);
        /* The diff names the unused actions the untouched documents still grant. */
        CHECK(strstr(r.changes, "logs:DeleteLogGroup") != NULL);
        CHECK(strstr(r.changes, "cloudwatch:PutMetricData") != NULL);
        lint_all(&r, "app");
        gen_repo_result_free(&r);
    }

    /* role/bounded: Action "*" narrowed to what the boundary lets it use. */
    if (tighten(rp, j, "bounded", &r) == 0) {
        const gen_repo_doc *d = doc_named(&r, "admin");
        CHECK(d && d->changed && d->json);
        if (d && d->json) {
            CHECK(strstr(d->json, "\"logs:CreateLogGroup\"") != NULL);
            CHECK(strstr(d->json, "\"*\"") == NULL || strstr(d->json, "\"Resource\": \"*\"") != NULL);
            CHECK(strstr(d->json, "\"Action\": \"*\"") == NULL);
            CHECK(strstr(d->json, "s3:GetObject") == NULL && strstr(d->json, "logs:CreateLogStream") == NULL);
        }
        CHECK(r.removed == 2);
        lint_all(&r, "bounded");
        gen_repo_result_free(&r);
    }

    /* user/alice: her own Deny NotAction is left; group policies are not hers. */
    if (tighten(rp, j, "alice", &r) == 0) {
        CHECK(r.own == 1 && r.removed == 0);
        const gen_repo_doc *d = doc_named(&r, "only-describe");
        CHECK(d && !d->changed && d->json);
        CHECK(doc_named(&r, "devs-inline") == NULL);
        gen_repo_result_free(&r);
    }

    /* user/mallory...: its only statement is unused: nothing left, delete it. */
    long m = -1;
    for (size_t i = 0; i < gen_authz_count(X.az); i++)
        if (strncmp(gen_authz_at(X.az, i)->name, "mallory", 7) == 0)
            m = (long)i;
    CHECK(m >= 0);
    if (m >= 0 && tighten(rp, j, gen_authz_at(X.az, (size_t)m)->name, &r) == 0) {
        CHECK(r.ndocs == 1 && r.docs[0].json == NULL && r.docs[0].changed && r.removed == 1);
        CHECK(r.docs[0].file && strchr(r.docs[0].file, '<') == NULL && strchr(r.docs[0].file, '/') == NULL);
        gen_repo_result_free(&r);
    }

    /* The trust policy: a role's, never a user's. */
    long app = fx_principal(&X, "app"), alice = fx_principal(&X, "alice");
    if (app >= 0 && alice >= 0) {
        CHECK(gen_repo_trust_doc(rp, (size_t)alice) == NULL);
        const json_dom_node *t = gen_repo_trust_doc(rp, (size_t)app);
        CHECK(t != NULL && json_dom_get(t, "Statement") != NULL);
    }
out:
    gen_judge_free(j);
    gen_repo_free(rp);
    gen_repo_free(NULL);
}

static void test_render(void)
{
    const char *in = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"A\",\"Effect\":\"Allow\","
                     "\"Action\":[\"s3:GetObject\"],\"Resource\":\"arn:aws:s3:::b/\\\"q\\\"\",\"N\":1.50,\"E\":[],\"O\":{}}]}";
    json_dom_node root;
    tt_error err;
    CHECK(json_dom_parse(&root, in, strlen(in), &gen_authz_caps, &err) == TT_OK);
    tt_buf b;
    tt_buf_init(&b, 1 << 20);
    gen_repo_render_json(&b, &root, 0);
    tt_buf_append(&b, "", 1);
    const char *want = "{\n"
                       "  \"Version\": \"2012-10-17\",\n"
                       "  \"Statement\": [\n"
                       "    {\n"
                       "      \"Sid\": \"A\",\n"
                       "      \"Effect\": \"Allow\",\n"
                       "      \"Action\": [\n"
                       "        \"s3:GetObject\"\n"
                       "      ],\n"
                       "      \"Resource\": \"arn:aws:s3:::b/\\\"q\\\"\",\n"
                       "      \"N\": 1.50,\n"
                       "      \"E\": [],\n"
                       "      \"O\": {}\n"
                       "    }\n"
                       "  ]\n"
                       "}";
    CHECK_MSG(strcmp(b.data, want) == 0, "rendered:\n%s", b.data);
    /* Its rendering parses back to the same size IAM counts. */
    CHECK(gen_policy_iam_size(b.data, strlen(b.data)) == gen_policy_iam_size(in, strlen(in)));
    tt_buf_free(&b);
    json_dom_free(&root);
}

/* An authz file of one user (and a managed policy of its own) in account
 * 111122223333, from a statements text. */
static char *one_user(const char *inline_stmts, const char *managed_stmts)
{
    size_t cap = strlen(inline_stmts) + (managed_stmts ? strlen(managed_stmts) : 0) + 4096;
    char *s = malloc(cap);
    snprintf(s, cap,
             "{\"UserDetailList\":[{\"Path\":\"/\",\"UserName\":\"alice\",\"UserId\":\"AIDAALICE\","
             "\"Arn\":\"arn:aws:iam::111122223333:user/alice\",\"CreateDate\":\"2020-01-01T00:00:00Z\","
             "\"UserPolicyList\":[{\"PolicyName\":\"wide\",\"PolicyDocument\":{\"Version\":\"2012-10-17\","
             "\"Statement\":[%s]}}],\"GroupList\":[],\"AttachedManagedPolicies\":[%s],\"Tags\":[]}],"
             "\"GroupDetailList\":[],\"RoleDetailList\":[],\"Policies\":[%s%s%s]}",
             inline_stmts,
             managed_stmts ? "{\"PolicyName\":\"BigEc2\",\"PolicyArn\":\"arn:aws:iam::111122223333:policy/BigEc2\"}" : "",
             managed_stmts ? "{\"PolicyName\":\"BigEc2\",\"PolicyId\":\"ANPABIG\",\"Arn\":\"arn:aws:iam::111122223333:policy/BigEc2\","
                             "\"Path\":\"/\",\"DefaultVersionId\":\"v1\",\"AttachmentCount\":1,\"IsAttachable\":true,"
                             "\"PolicyVersionList\":[{\"VersionId\":\"v1\",\"IsDefaultVersion\":true,\"Document\":{"
                             "\"Version\":\"2012-10-17\",\"Statement\":["
                           : "",
             managed_stmts ? managed_stmts : "", managed_stmts ? "]}}]}" : "");
    return s;
}

/* Tightens user alice of json, removing one granted action (all = 0), or
 * every granted action of its service but that one (all = 1); *res filled. */
static tt_status tighten_json(const char *json, const char *action, int all, gen_repo *(*rpo),
                              gen_authz **azo, gen_repo_result *res)
{
    tt_error err;
    gen_authz *az = NULL;
    gen_repo *rp = NULL;
    tt_status st = gen_authz_parse(&az, X.cat, json, strlen(json), "t.json", &err);
    if (st == TT_OK)
        st = gen_repo_open(&rp, X.cat, json, strlen(json), "t.json", &err);
    if (st != TT_OK) {
        fprintf(stderr, "  %s\n", err.msg);
        gen_authz_free(az);
        gen_repo_free(rp);
        return st;
    }
    const uint8_t *acts = gen_authz_at(az, 0)->acts;
    uint8_t *remove = calloc(gen_catalog_count(X.cat), 1);
    for (size_t k = 0; k < gen_catalog_count(X.cat); k++) {
        const gen_action *a = gen_catalog_at(X.cat, k);
        int same = strcmp(a->full, action) == 0;
        remove[k] = (acts[k] & GEN_AZ_GRANTED) && (all ? !same && strncmp(a->full, action, strlen(a->prefix) + 1) == 0
                                                       : same);
    }
    st = gen_repo_tighten(rp, 0, acts, remove, "# t\n", res, &err);
    free(remove);
    *rpo = rp;
    *azo = az;
    return st;
}

static void test_limits(void)
{
    gen_repo *rp;
    gen_authz *az;
    gen_repo_result r;

    /* ec2:Describe* must be expanded to drop one action: far over a user's
     * 2,048 inline characters, so refused, with the limit named. */
    char *js = one_user("{\"Sid\":\"D\",\"Effect\":\"Allow\",\"Action\":\"ec2:Describe*\",\"Resource\":\"*\"}", NULL);
    if (tighten_json(js, "ec2:DescribeVpcs", 0, &rp, &az, &r) == TT_OK) {
        CHECK_MSG(r.refused != NULL, "a user's inline expansion past 2,048 characters is refused");
        if (r.refused)
            CHECK(strstr(r.refused, "2048") || strstr(r.refused, "2,048"));
        gen_repo_result_free(&r);
    } else {
        CHECK_MSG(0, "tighten Describe*");
    }
    gen_repo_free(rp);
    gen_authz_free(az);
    free(js);

    /* A customer-managed policy of its own with ec2:*: the narrowed list
     * is split into parts, each within 6,144 and linted. */
    js = one_user("{\"Sid\":\"S\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}",
                  "{\"Sid\":\"All\",\"Effect\":\"Allow\",\"Action\":\"ec2:Describe*\",\"Resource\":\"*\"}");
    if (tighten_json(js, "ec2:DescribeVpcs", 0, &rp, &az, &r) == TT_OK) {
        /* Describe* minus one: still hundreds of actions, so more than one part. */
        size_t parts = 0;
        for (size_t i = 0; i < r.ndocs; i++)
            if (r.docs[i].managed && r.docs[i].json) {
                parts++;
                CHECK(r.docs[i].after <= GEN_POLICY_MAX_CHARS);
                CHECK(strstr(r.docs[i].json, "\"ec2:DescribeVpcs\"") == NULL);
            }
        if (r.refused) {
            CHECK_MSG(strstr(r.refused, "10") != NULL, "refused: %s", r.refused);
        } else {
            CHECK_MSG(parts >= 2, "BigEc2 in %zu parts", parts);
            /* NAME-2 (docs/policy.md; repo.h's example says "BigEc2-part2"). */
            const gen_repo_doc *p2 = doc_named(&r, "BigEc2-2");
            CHECK(p2 && p2->managed && p2->file && strcmp(p2->file, "BigEc2-2.json") == 0);
            CHECK(p2 && p2->json && strstr(p2->json, "Part2\"") != NULL);
            lint_all(&r, "BigEc2");
        }
        gen_repo_result_free(&r);
    } else {
        CHECK_MSG(0, "tighten BigEc2");
    }
    gen_repo_free(rp);
    gen_authz_free(az);
    free(js);

    /* 1,200 ec2:* statements (87 KB): each expanded would pass the 16 MiB
     * text cap; a refusal naming why, never an abort. */
    size_t cap = 1200 * 80 + 64, k = 0;
    char *stmts = malloc(cap);
    for (int i = 0; i < 1200; i++)
        k += (size_t)snprintf(stmts + k, cap - k, "%s{\"Sid\":\"S%d\",\"Effect\":\"Allow\",\"Action\":\"ec2:*\",\"Resource\":\"*\"}",
                              i ? "," : "", i);
    js = one_user(stmts, NULL);
    CHECK(strlen(js) > 75000);
    if (tighten_json(js, "ec2:DescribeInstances", 1, &rp, &az, &r) == TT_OK) {
        CHECK(r.refused != NULL && r.refused[0]);
        gen_repo_result_free(&r);
    } else {
        CHECK_MSG(0, "tighten the 1,200 statements");
    }
    gen_repo_free(rp);
    gen_authz_free(az);
    free(js);
    free(stmts);

    /* A document that does not parse: gen_repo_open says where. */
    tt_error err;
    gen_repo *bad = NULL;
    const char *cut = "{\"UserDetailList\":[{\"UserName\":";
    CHECK(gen_repo_open(&bad, X.cat, cut, strlen(cut), "cut.json", &err) != TT_OK && err.msg[0] && bad == NULL);
}

/* repo's words for one principal: the verdict's reason, the trust
 * policy's file name and the trust part of the summary line. */
static void test_principal_texts(void)
{
    gen_authz_principal p = {.arn = "arn:aws:iam::111122223333:role/app", .name = "app", .kind = "role",
                             .account = "111122223333", .created_ms = 0};
    gen_judged jd = {.verdict = GEN_VERDICT_GAPS, .days = 90, .missing = 3};
    char why[500];
    gen_repo_verdict_text(&jd, &p, 19000, why, sizeof why);
    CHECK_STR(why, "not judged: coverage gaps in account 111122223333 (no events on 3 of the window's 90 days)");
    jd.verdict = GEN_VERDICT_JUDGED;
    gen_repo_verdict_text(&jd, &p, 19000, why, sizeof why);
    CHECK_STR(why, "judged on 90 days of complete coverage");
    p.account = "";
    jd.verdict = GEN_VERDICT_NODATA;
    gen_repo_verdict_text(&jd, &p, 19000, why, sizeof why);
    CHECK_STR(why, "not judged: the store holds no events of account (none) in the window");

    gen_repo_doc docs[1] = {{.file = (char *)"app.trust.json"}};
    gen_repo_result res = {.docs = docs, .ndocs = 1};
    char file[300];
    gen_repo_trust_file(&res, "app", file, sizeof file);
    CHECK_STR(file, "app.assume-role-policy.json");
    res.ndocs = 0;
    gen_repo_trust_file(&res, "app", file, sizeof file);
    CHECK_STR(file, "app.trust.json");

    char text[900];
    gen_trust_tightened tt = {.json = (char *)"{}", .removed = 1};
    gen_repo_trust_text(&tt, "app.trust.json", text, sizeof text);
    CHECK_STR(text, "; trust policy narrowed (1 trusted principal or subject removed) in app.trust.json");
    tt.json = NULL;
    tt.why_not = (char *)"no assumption in the window";
    gen_repo_trust_text(&tt, "app.trust.json", text, sizeof text);
    CHECK_STR(text, "; trust policy not rewritten: no assumption in the window");
    tt.why_not = NULL;
    gen_repo_trust_text(&tt, "app.trust.json", text, sizeof text);
    CHECK_STR(text, "");
}

int main(void)
{
    if (fx_open(&X) != 0) {
        fx_close(&X);
        return check_done();
    }
    test_principal_texts();
    test_fixture();
    test_render();
    test_limits();
    fx_close(&X);
    return check_done();
}
