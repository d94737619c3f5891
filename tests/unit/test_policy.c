/*
 * test_policy.c - policy documents: exactly the actions given, sorted,
 * one statement per service, within IAM's size limit (split when needed,
 * refused past 10 documents), every document passing the lint; and the
 * lint rejecting what it must (wildcards, "*", unknown actions, NotAction,
 * bad JSON, oversize).
 */
#include "check.h"

#include "generate/catalog.h"
#include "generate/policy.h"

#include <stdio.h>
#include <string.h>

static const gen_catalog *cat;

static int lint_ok(const char *doc, size_t max, size_t *n)
{
    tt_error err;
    tt_status st = gen_policy_lint(cat, doc, strlen(doc), max, n, &err);
    if (st != TT_OK)
        fprintf(stderr, "lint: %s\n", err.msg);
    return st == TT_OK;
}

static void test_small(void)
{
    const gen_action *acts[] = {gen_catalog_find_full(cat, "iam:CreateUser"), gen_catalog_find_full(cat, "s3:GetObject"),
                                gen_catalog_find_full(cat, "iam:AttachUserPolicy"),
                                gen_catalog_find_full(cat, "iam:CreateUser"),
                                gen_catalog_find_full(cat, "ec2-instance-connect:SendSSHPublicKey")};
    gen_policy_set *p = NULL;
    tt_error err;
    CHECK(gen_policy_build(acts, 5, NULL, &p, &err) == TT_OK);
    if (!p)
        return;
    CHECK(gen_policy_count(p) == 1);
    const char *doc = gen_policy_json(p, 0);
    size_t n = 0;
    CHECK(lint_ok(doc, 0, &n));
    CHECK(n == 4 && gen_policy_actions(p, 0) == 4);
    CHECK(strstr(doc, "\"Version\": \"2012-10-17\"") != NULL);
    /* Sorted: services by prefix, actions by name; readable Sids. */
    const char *e = strstr(doc, "\"Sid\": \"AllowEc2InstanceConnect\"");
    const char *i1 = strstr(doc, "\"iam:AttachUserPolicy\""), *i2 = strstr(doc, "\"iam:CreateUser\"");
    const char *s = strstr(doc, "\"Sid\": \"AllowS3\"");
    CHECK(e && i1 && i2 && s && e < i1 && i1 < i2 && i2 < s);
    CHECK(strstr(doc, "\"Sid\": \"AllowIam\"") != NULL);
    CHECK(strstr(i2 + 1, "\"iam:CreateUser\"") == NULL); /* merged */
    /* Deterministic: the same input in another order gives the same bytes. */
    const gen_action *rev[5];
    for (int i = 0; i < 5; i++)
        rev[i] = acts[4 - i];
    gen_policy_set *q = NULL;
    CHECK(gen_policy_build(rev, 5, NULL, &q, &err) == TT_OK && q && strcmp(gen_policy_json(q, 0), doc) == 0);
    gen_policy_free(q);
    /* Formats. */
    tt_buf b;
    tt_buf_init(&b, 1 << 20);
    CHECK(gen_policy_render(p, GEN_FORMAT_TERRAFORM, 0, "trailtrim-ci${x}", "a \"quoted\" ${var}", &b, &err) == TT_OK);
    CHECK(b.data && strstr(b.data, "resource \"aws_iam_policy\" \"trailtrim-ci--x-\"") != NULL);
    CHECK(b.data && strstr(b.data, "$${var}") != NULL && strstr(b.data, "\\\"quoted\\\"") != NULL);
    tt_buf_reset(&b);
    CHECK(gen_policy_render(p, GEN_FORMAT_CLOUDFORMATION, 0, "n", "d", &b, &err) == TT_OK);
    CHECK(b.data && strstr(b.data, "\"Type\": \"AWS::IAM::ManagedPolicy\"") != NULL);
    tt_buf_free(&b);
    gen_policy_free(p);
    CHECK(gen_policy_build(acts, 0, NULL, &p, &err) != TT_OK);
}

/* Every s3 and ec2 action: far over one document's size. */
static void test_split(void)
{
    size_t n = 0, total = gen_catalog_count(cat);
    const gen_action **acts = tt_xmalloc(total * sizeof *acts);
    for (size_t i = 0; i < total; i++) {
        const gen_action *a = gen_catalog_at(cat, i);
        if (strcmp(a->prefix, "s3") == 0 || strcmp(a->prefix, "iam") == 0)
            acts[n++] = a;
    }
    gen_policy_set *p = NULL;
    tt_error err;
    CHECK(gen_policy_build(acts, n, NULL, &p, &err) == TT_OK);
    size_t docs = 0;
    if (p) {
        size_t sum = 0;
        docs = gen_policy_count(p);
        CHECK(gen_policy_count(p) > 1);
        for (size_t i = 0; i < gen_policy_count(p); i++) {
            size_t k = 0;
            CHECK(lint_ok(gen_policy_json(p, i), 0, &k));
            CHECK(k == gen_policy_actions(p, i));
            CHECK(gen_policy_size(p, i) <= GEN_POLICY_MAX_CHARS);
            sum += k;
        }
        CHECK_MSG(sum == n, "split documents hold %zu of %zu actions", sum, n);
        gen_policy_free(p);
    }
    /* The same with one document fewer allowed is refused, saying why. */
    gen_policy_opts o = {0, docs - 1};
    CHECK(gen_policy_build(acts, n, &o, &p, &err) == TT_ERR_LIMIT && !p);
    CHECK(strstr(err.msg, "managed policies") != NULL);
    /* Small documents: every one within the limit, by the lint's own count. */
    gen_policy_opts tiny = {600, 100};
    CHECK(gen_policy_build(acts, n, &tiny, &p, &err) == TT_OK);
    for (size_t i = 0; p && i < gen_policy_count(p); i++)
        CHECK(lint_ok(gen_policy_json(p, i), 600, NULL));
    gen_policy_free(p);
    free(acts);
}

static void test_lint_rejects(void)
{
    static const char *const bad[] = {
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"*\"}]}",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:PutBucketReplication\",\"Resource\":\"*\"}]}",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"NotAction\":\"s3:GetObject\",\"Resource\":\"*\"}]}",
        "{\"Version\":\"2008-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\"}]}",
        "{\"Version\":\"2012-10-17\",\"Statement\":[]}",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"a-b\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]} x",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        tt_error err;
        CHECK_MSG(gen_policy_lint(cat, bad[i], strlen(bad[i]), 0, NULL, &err) != TT_OK, "accepted: %s", bad[i]);
    }
    const char *good = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"S3:getobject\",\"Resource\":\"*\"}}";
    size_t n = 0;
    CHECK(lint_ok(good, 0, &n) && n == 1);
    CHECK(!lint_ok(good, 40, NULL)); /* over a (test) size limit */
}

int main(void)
{
    tt_error err;
    gen_catalog *c = NULL;
    CHECK(gen_catalog_load(&c, &err) == TT_OK);
    if (!c)
        return check_done();
    cat = c;
    test_small();
    test_split();
    test_lint_rejects();
    gen_catalog_free(c);
    return check_done();
}
