/*
 * test_trust.c - the trust model (generate/trust.h), its lint, the
 * credential-report reader and the key findings, on records and files
 * written here: every principal, condition value and finding is asserted.
 */
#include "check.h"

#include "common/mem.h"
#include "common/ttime.h"
#include "generate/credreport.h"
#include "generate/keys.h"
#include "generate/trust.h"

static const char web_rec[] =
    "{\"eventName\":\"AssumeRoleWithWebIdentity\",\"eventTime\":\"2026-10-02T10:00:00Z\","
    "\"userIdentity\":{\"type\":\"WebIdentityUser\",\"userName\":\"repo:o/a:ref:refs/heads/main\","
    "\"identityProvider\":\"token.actions.githubusercontent.com\"},\"sourceIPAddress\":\"20.1.0.1\","
    "\"requestParameters\":{\"roleArn\":\"arn:aws:iam::111122223333:role/ci\"},"
    "\"responseElements\":{\"subjectFromWebIdentityToken\":\"repo:o/a:ref:refs/heads/main\",\"audience\":\"sts.amazonaws.com\"}}";

static const char account_rec[] =
    "{\"eventName\":\"AssumeRole\",\"eventTime\":\"2026-10-03T10:00:00Z\","
    "\"userIdentity\":{\"type\":\"AWSAccount\",\"principalId\":\"AIDAX\",\"accountId\":\"999900001111\"},"
    "\"sourceIPAddress\":\"192.0.2.1\",\"requestParameters\":{\"roleArn\":\"arn:aws:iam::111122223333:role/v\","
    "\"externalId\":\"ext-1\"}}";

static const char service_rec[] =
    "{\"eventName\":\"AssumeRole\",\"eventTime\":\"2026-10-04T10:00:00Z\","
    "\"userIdentity\":{\"type\":\"AWSService\",\"invokedBy\":\"ec2.amazonaws.com\"},"
    "\"sourceIPAddress\":\"ec2.amazonaws.com\",\"requestParameters\":{\"roleArn\":\"arn:aws:iam::111122223333:role/v\"}}";

static const char failed_rec[] =
    "{\"eventName\":\"AssumeRole\",\"errorCode\":\"AccessDenied\",\"userIdentity\":{\"type\":\"IAMUser\"},"
    "\"requestParameters\":{\"roleArn\":\"arn:aws:iam::111122223333:role/v\"}}";

static void test_events(void)
{
    gen_trust_event ev;
    tt_error err;
    CHECK(gen_trust_event_parse(web_rec, sizeof web_rec - 1, &ev, &err) == TT_OK);
    CHECK(ev.kind == GEN_TRUST_OIDC);
    /* A provider named by its issuer becomes the role account's provider ARN. */
    CHECK_STR(ev.principal, "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com");
    CHECK_STR(ev.sub, "repo:o/a:ref:refs/heads/main");
    CHECK_STR(ev.aud, "sts.amazonaws.com");
    CHECK(gen_trust_event_parse(account_rec, sizeof account_rec - 1, &ev, &err) == TT_OK);
    CHECK(ev.kind == GEN_TRUST_AWS);
    CHECK_STR(ev.principal, "arn:aws:iam::999900001111:root");
    CHECK(ev.has_external_id);
    CHECK_STR(ev.external_id, "ext-1");
    CHECK(gen_trust_event_parse(service_rec, sizeof service_rec - 1, &ev, &err) == TT_OK);
    CHECK(ev.kind == GEN_TRUST_SERVICE);
    CHECK_STR(ev.principal, "ec2.amazonaws.com");
    CHECK(gen_trust_event_parse(failed_rec, sizeof failed_rec - 1, &ev, &err) == TT_ERR_FORMAT);
    CHECK(strstr(err.msg, "AccessDenied") != NULL);
    CHECK_STR(gen_trust_provider_label("arn:aws:iam::1:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/AB"),
              "EKS (IRSA)");
}

static void add(gen_trust *t, const char *rec)
{
    gen_trust_event ev;
    tt_error err;
    if (gen_trust_event_parse(rec, strlen(rec), &ev, &err) == TT_OK)
        gen_trust_add(t, &ev);
}

static void test_policy(void)
{
    gen_trust *t = gen_trust_create();
    add(t, account_rec);
    add(t, account_rec);
    add(t, service_rec);
    add(t, web_rec);
    gen_trust_finish(t);
    CHECK(gen_trust_count(t) == 2);
    int amb = 0;
    const gen_trust_role *r = gen_trust_find(t, "v", &amb);
    CHECK(r && !amb && r->count == 3 && r->n == 2);
    CHECK(gen_trust_find(t, "nosuch", &amb) == NULL);
    tt_buf b;
    tt_buf_init(&b, 1 << 20);
    tt_error err;
    CHECK(r && gen_trust_policy(r, &b, &err) == TT_OK);
    CHECK(b.data && strstr(b.data, "\"AWS\": [\"arn:aws:iam::999900001111:root\"]"));
    CHECK(b.data && strstr(b.data, "\"sts:ExternalId\": [\"ext-1\"]"));
    CHECK(b.data && strstr(b.data, "\"Service\": [\"ec2.amazonaws.com\"]"));
    CHECK(b.data && gen_trust_lint(b.data, b.len, 0, &err) == TT_OK);
    tt_buf_reset(&b);
    const gen_trust_role *ci = gen_trust_find(t, "arn:aws:iam::111122223333:role/ci", &amb);
    CHECK(ci && gen_trust_policy(ci, &b, &err) == TT_OK);
    CHECK(b.data && strstr(b.data, "\"token.actions.githubusercontent.com:sub\": [\"repo:o/a:ref:refs/heads/main\"]"));
    tt_buf_reset(&b);
    int over = 1;
    CHECK(gen_trust_document(ci, GEN_FORMAT_TERRAFORM, 19000, 19001, &b, &over, &err) == TT_OK);
    CHECK(over == 0);
    CHECK(b.data && strstr(b.data, "aws_iam_role") && strstr(b.data, "Who assumed arn:aws:iam::111122223333:role/ci"));
    tt_buf_free(&b);
    gen_trust_free(t);
    static const char wild[] = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                               "\"Principal\":{\"AWS\":\"*\"},\"Action\":\"sts:AssumeRole\"}]}";
    CHECK(gen_trust_lint(wild, sizeof wild - 1, 0, &err) == TT_ERR_FORMAT);
    static const char bad_act[] = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                  "\"Principal\":{\"AWS\":\"arn:aws:iam::1:root\"},\"Action\":\"s3:*\"}]}";
    CHECK(gen_trust_lint(bad_act, sizeof bad_act - 1, 0, &err) == TT_ERR_FORMAT);
}

#define HDR "user,arn,user_creation_time,password_enabled,password_last_used,mfa_active,access_key_1_active," \
            "access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,"          \
            "access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,"                 \
            "access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service\n"

static void test_credreport(void)
{
    gen_credreport rep;
    tt_error err;
    const char good[] = HDR "bob,arn:aws:iam::1:user/bob,2022-01-01T00:00:00+00:00,true,N/A,false,true,"
                            "2026-01-01T00:00:00+00:00,2026-08-01T00:00:00+00:00,eu-west-1,ec2,false,N/A,N/A,N/A,N/A\n";
    CHECK(gen_credreport_parse(good, sizeof good - 1, "r.csv", &rep, &err) == TT_OK);
    CHECK(rep.n == 1 && rep.users[0].password_enabled && !rep.users[0].mfa_active && rep.users[0].key[0].active);
    gen_keys k;
    memset(&k, 0, sizeof k);
    gen_key *g = gen_keys_get(&k, "AKIABOB");
    free(g->owner);
    g->owner = tt_xstrdup("arn:aws:iam::1:user/bob");
    g->seen = 1;
    tt_time_parse("2026-08-01T00:00:00Z", 20, &g->last);
    int64_t now;
    tt_time_parse("2026-11-01T00:00:00Z", 20, &now);
    gen_keys_judge(&k, &rep, now, 45, 90);
    CHECK(k.keys[0].slot == 1 && k.keys[0].days_since_use == 92 && k.keys[0].age_days == 304);
    CHECK_STR(k.keys[0].findings, "unused for 92 days (over 45); 304 days since its last rotation (over 90)");
    CHECK(k.nno_mfa == 1 && strcmp(k.no_mfa[0].user, "bob") == 0);
    gen_keys_free(&k);
    gen_credreport_free(&rep);
    const char bad_date[] = HDR "bob,arn:aws:iam::1:user/bob,yesterday,true,N/A,false,true,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A\n";
    CHECK(gen_credreport_parse(bad_date, sizeof bad_date - 1, "r.csv", &rep, &err) == TT_ERR_FORMAT);
    CHECK(strstr(err.msg, "r.csv: line 2: user_creation_time") != NULL);
    const char short_row[] = HDR "bob,arn:aws:iam::1:user/bob\n";
    CHECK(gen_credreport_parse(short_row, sizeof short_row - 1, "r.csv", &rep, &err) == TT_ERR_FORMAT);
    CHECK(strstr(err.msg, "line 2: 2 fields, the header has 16") != NULL);
    const char no_col[] = "user,arn\nbob,arn:aws:iam::1:user/bob\n";
    CHECK(gen_credreport_parse(no_col, sizeof no_col - 1, "r.csv", &rep, &err) == TT_ERR_FORMAT);
    CHECK(strstr(err.msg, "r.csv: line 1: no column user_creation_time") != NULL);
}

int main(void)
{
    test_events();
    test_policy();
    test_credreport();
    return check_done();
}
