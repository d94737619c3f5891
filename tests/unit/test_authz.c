/*
 * test_authz.c - gen_authz (generate/authz.h) on small documents over the
 * real catalog: wildcard expansion (case-insensitive), NotAction, Deny
 * (unconditional on "*" subtracts; conditional or resource-scoped does
 * not), permission boundaries, groups, NOREPO, URL-encoded documents, and
 * malformed input rejected with the place.
 */
#include "check.h"

#include "generate/authz.h"

#include <string.h>

static const gen_catalog *cat;

/* A role with one inline policy of these statements; its flags of act. */
static gen_authz *role(const char *stmts, const char *extra)
{
    static char buf[8192];
    snprintf(buf, sizeof buf,
             "{\"RoleDetailList\":[{\"RoleName\":\"r\",\"Arn\":\"arn:aws:iam::123456789012:role/r\"%s,"
             "\"RolePolicyList\":[{\"PolicyName\":\"p\",\"PolicyDocument\":{\"Version\":\"2012-10-17\","
             "\"Statement\":[%s]}}]}],"
             "\"Policies\":[{\"Arn\":\"arn:aws:iam::123456789012:policy/B\",\"PolicyVersionList\":[{\"IsDefaultVersion\":true,"
             "\"Document\":{\"Statement\":{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"*\"}}}]}]}",
             extra, stmts);
    gen_authz *a = NULL;
    tt_error err;
    if (gen_authz_parse(&a, cat, buf, strlen(buf), "t.json", &err) != TT_OK)
        fprintf(stderr, "parse: %s\n", err.msg);
    return a;
}

static uint8_t flags(const gen_authz *a, const char *act)
{
    const gen_action *x = gen_catalog_find_full(cat, act);
    return a && x ? gen_authz_at(a, 0)->acts[gen_authz_index(cat, x)] : 0xff;
}

static size_t granted(const gen_authz *a)
{
    size_t n = 0;
    for (size_t i = 0; a && i < gen_catalog_count(cat); i++)
        n += (gen_authz_at(a, 0)->acts[i] & GEN_AZ_GRANTED) != 0;
    return n;
}

static size_t count_prefix(const char *prefix, const char *name_start)
{
    size_t n = 0;
    for (size_t i = 0; i < gen_catalog_count(cat); i++) {
        const gen_action *x = gen_catalog_at(cat, i);
        n += strcmp(x->prefix, prefix) == 0 && strncmp(x->name, name_start, strlen(name_start)) == 0;
    }
    return n;
}

static void test_glob(void)
{
    CHECK(gen_authz_glob("s3:Get*", "s3:GetObject"));
    CHECK(gen_authz_glob("S3:get*", "s3:GetObject"));
    CHECK(gen_authz_glob("*", "iam:PassRole"));
    CHECK(gen_authz_glob("s3:Get?bject", "s3:GetObject"));
    CHECK(!gen_authz_glob("s3:Get*", "s3:PutObject"));
    CHECK(!gen_authz_glob("s3:Get", "s3:GetObject"));
    CHECK(gen_authz_glob("*Object*", "s3:PutObjectAcl"));
}

static void test_wildcards(void)
{
    gen_authz *a = role("{\"Effect\":\"Allow\",\"Action\":\"S3:get*\",\"Resource\":\"*\"}", "");
    CHECK(a != NULL);
    size_t want = count_prefix("s3", "Get");
    CHECK_MSG(granted(a) == want && want > 20, "%zu granted, %zu s3:Get*", granted(a), want);
    CHECK(flags(a, "s3:GetObject") == GEN_AZ_GRANTED);
    CHECK(flags(a, "s3:PutObject") == 0);
    gen_authz_free(a);
    a = role("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}", "");
    CHECK(granted(a) == gen_catalog_count(cat));
    gen_authz_free(a);
}

static void test_notaction_and_deny(void)
{
    /* Allow NotAction iam:*: everything but IAM. */
    gen_authz *a = role("{\"Effect\":\"Allow\",\"NotAction\":\"iam:*\",\"Resource\":\"*\"}", "");
    CHECK(granted(a) == gen_catalog_count(cat) - count_prefix("iam", ""));
    CHECK(!(flags(a, "iam:PassRole") & GEN_AZ_GRANTED) && (flags(a, "s3:GetObject") & GEN_AZ_GRANTED));
    gen_authz_free(a);
    /* Unconditional Deny on * subtracts; conditional or scoped does not. */
    a = role("{\"Effect\":\"Allow\",\"Action\":[\"kms:Decrypt\",\"kms:Encrypt\",\"kms:Sign\"],\"Resource\":\"*\"},"
             "{\"Effect\":\"Deny\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"},"
             "{\"Effect\":\"Deny\",\"Action\":\"kms:Encrypt\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:MultiFactorAuthPresent\":\"false\"}}},"
             "{\"Effect\":\"Deny\",\"Action\":\"kms:Sign\",\"Resource\":\"arn:aws:kms:us-east-1:123456789012:key/x\"}",
             "");
    CHECK(flags(a, "kms:Decrypt") == GEN_AZ_DENIED);
    CHECK(flags(a, "kms:Encrypt") == (GEN_AZ_GRANTED | GEN_AZ_PARTIAL_DENY));
    CHECK(flags(a, "kms:Sign") == (GEN_AZ_GRANTED | GEN_AZ_PARTIAL_DENY));
    CHECK(granted(a) == 2);
    gen_authz_free(a);
    /* Deny NotAction: denies everything else. */
    a = role("{\"Effect\":\"Allow\",\"Action\":[\"ec2:DescribeVpcs\",\"ec2:RunInstances\"],\"Resource\":\"*\"},"
             "{\"Effect\":\"Deny\",\"NotAction\":[\"ec2:Describe*\"],\"Resource\":\"*\"}",
             "");
    CHECK(granted(a) == 1 && (flags(a, "ec2:DescribeVpcs") & GEN_AZ_GRANTED));
    gen_authz_free(a);
}

static void test_notes_and_boundary(void)
{
    gen_authz *a = role("{\"Sid\":\"NOREPOKeep\",\"Effect\":\"Allow\",\"Action\":\"ssm:GetParameter\",\"Resource\":\"arn:aws:ssm:::parameter/x\"},"
                        "{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:ListBucket\"],\"Resource\":\"*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}}",
                        ",\"PermissionsBoundary\":{\"PermissionsBoundaryArn\":\"arn:aws:iam::123456789012:policy/B\"}");
    CHECK(flags(a, "ssm:GetParameter") == (GEN_AZ_BOUNDARY | GEN_AZ_SCOPED | GEN_AZ_NOREPO | GEN_AZ_CONDITIONAL) - GEN_AZ_CONDITIONAL);
    CHECK(flags(a, "s3:GetObject") == (GEN_AZ_GRANTED | GEN_AZ_CONDITIONAL));
    CHECK(flags(a, "s3:ListBucket") == (GEN_AZ_BOUNDARY | GEN_AZ_CONDITIONAL));
    CHECK(granted(a) == 1);
    CHECK(a && strcmp(gen_authz_at(a, 0)->boundary, "arn:aws:iam::123456789012:policy/B") == 0);
    gen_authz_free(a);
}

static void test_groups_and_encoded(void)
{
    const char *doc =
        "{\"UserDetailList\":[{\"UserName\":\"u\",\"Arn\":\"arn:aws:iam::123456789012:user/u\",\"GroupList\":[\"g\",\"gone\"],"
        "\"UserPolicyList\":[{\"PolicyName\":\"e\",\"PolicyDocument\":\"%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22sqs%3ASendMessage%22%2C%22Resource%22%3A%22%2A%22%7D%7D\"}]}],"
        "\"GroupDetailList\":[{\"GroupName\":\"g\",\"GroupPolicyList\":[{\"PolicyName\":\"p\",\"PolicyDocument\":"
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sns:Publish\",\"Resource\":\"*\"}]}}]}]}";
    gen_authz *a = NULL;
    tt_error err;
    CHECK(gen_authz_parse(&a, cat, doc, strlen(doc), "g.json", &err) == TT_OK);
    CHECK(a && gen_authz_count(a) == 1);
    CHECK(flags(a, "sqs:SendMessage") == GEN_AZ_GRANTED);
    CHECK(flags(a, "sns:Publish") == GEN_AZ_GRANTED);
    CHECK(granted(a) == 2);
    CHECK(a && gen_authz_at(a, 0)->missing == 1 && gen_authz_at(a, 0)->created_ms == 0);
    gen_authz_free(a);
}

static void test_bad(void)
{
    static const struct {
        const char *doc, *want;
    } cases[] = {
        {"{\"RoleDetailList\":[{\"RoleName\":\"r\",\"Arn\":\"a\",\"RolePolicyList\":[{\"PolicyDocument\":{\"Statement\":{\"Effect\":\"Allow\"}}}]}]}",
         "exactly one of Action and NotAction"},
        {"{\"RoleDetailList\":[{\"RoleName\":\"r\",\"Arn\":\"a\",\"CreateDate\":\"yesterday\"}]}", "CreateDate \"yesterday\" is not a time with a zone"},
        {"{\"RoleDetailList\":[{\"RoleName\":\"r\"}]}", "needs RoleName and Arn"},
        {"{\"RoleDetailList\":[]} x", "text after the JSON document"},
        {"{\"RoleDetailList\":[{\"RoleName\":\"r\\u0000\",\"Arn\":\"a\"}]}", "NUL character"},
        {"[1,2]", "an object"},
        {"{\"RoleDetailList\":[{\"RoleName\":\"r\",\"Arn\":\"a\",\"RolePolicyList\":[{\"PolicyDocument\":\"%7B%22Statement%22%3A\"}]}]}",
         "the decoded policy document"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        gen_authz *a = NULL;
        tt_error err;
        tt_status st = gen_authz_parse(&a, cat, cases[i].doc, strlen(cases[i].doc), "bad.json", &err);
        CHECK_MSG(st != TT_OK && a == NULL && strstr(err.msg, cases[i].want) && strstr(err.msg, "bad.json"),
                  "case %zu: %s", i, st == TT_OK ? "accepted" : err.msg);
    }
}

/* cloudsplaining's published example writes CreateDate as Python prints a
 * datetime; a page of a paginated output and policies the file lacks are
 * warned about, each missing name once. */
static void test_inputs_and_warnings(void)
{
    const char *doc =
        "{\"UserDetailList\":[{\"UserName\":\"u\",\"Arn\":\"arn:aws:iam::123456789012:user/u\","
        "\"CreateDate\":\"2023-03-09 10:41:45+00:00\",\"GroupList\":[\"gone\"],"
        "\"AttachedManagedPolicies\":[{\"PolicyName\":\"ReadOnlyAccess\",\"PolicyArn\":\"arn:aws:iam::aws:policy/ReadOnlyAccess\"}]}],"
        "\"RoleDetailList\":[{\"RoleName\":\"r\",\"Arn\":\"arn:aws:iam::123456789012:role/r\","
        "\"CreateDate\":\"2023-03-09T12:41:45.250+0200\","
        "\"AttachedManagedPolicies\":[{\"PolicyArn\":\"arn:aws:iam::aws:policy/ReadOnlyAccess\"}]}],"
        "\"IsTruncated\":true,\"Marker\":\"AAEXAMPLE\"}";
    gen_authz *a = NULL;
    tt_error err;
    const char *const *w = NULL;
    CHECK_MSG(gen_authz_parse(&a, cat, doc, strlen(doc), "page.json", &err) == TT_OK, "%s", err.msg);
    if (!a)
        return;
    CHECK(gen_authz_at(a, 0)->created_ms == 1678358505000LL);
    CHECK(gen_authz_at(a, 1)->created_ms == 1678358505250LL);
    size_t n = gen_authz_warnings(a, &w);
    CHECK_MSG(n == 3, "%zu warnings", n);
    CHECK(n > 0 && strstr(w[0], "page.json: \"IsTruncated\": true: the file is one page of the API's output "
                                "(next Marker \"AAEXAMPLE\")"));
    CHECK(n > 1 && strstr(w[1], "attached managed policy arn:aws:iam::aws:policy/ReadOnlyAccess (referred to by "
                                "2 principals or groups) is not in the file"));
    CHECK(n > 2 && strstr(w[2], "group gone (referred to by 1 principal or group) is not in the file"));
    gen_authz_free(a);
    /* A complete file: no warnings. */
    a = role("{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}", ",\"IsTruncated\":false");
    CHECK(a && gen_authz_warnings(a, &w) == 0);
    gen_authz_free(a);
}

static void test_observability(void)
{
    CHECK(gen_authz_observability(gen_catalog_find_full(cat, "iam:PassRole")) == GEN_OBS_PERMISSION_ONLY);
    CHECK(gen_authz_observability(gen_catalog_find_full(cat, "s3:GetObject")) == GEN_OBS_DATA_EVENT);
    CHECK(gen_authz_observability(gen_catalog_find_full(cat, "s3:ListBucket")) == GEN_OBS_DATA_EVENT);
    CHECK(gen_authz_observability(gen_catalog_find_full(cat, "s3:CreateBucket")) == GEN_OBS_RECORDED);
    CHECK(gen_authz_observability(gen_catalog_find_full(cat, "lambda:InvokeFunction")) == GEN_OBS_DATA_EVENT);
    CHECK(gen_authz_observability(gen_catalog_find_full(cat, "kms:Decrypt")) == GEN_OBS_RECORDED);
}

int main(void)
{
    gen_catalog *c = NULL;
    tt_error err;
    if (gen_catalog_load(&c, &err) != TT_OK) {
        fprintf(stderr, "catalog: %s\n", err.msg);
        return 1;
    }
    cat = c;
    test_glob();
    test_wildcards();
    test_notaction_and_deny();
    test_notes_and_boundary();
    test_groups_and_encoded();
    test_bad();
    test_observability();
    test_inputs_and_warnings();
    gen_catalog_free(c);
    return check_done();
}
