/*
 * test_report.c - report/ without a store: the one HTML escaper (markup,
 * UTF-8 kept, C1 and C0 controls and bytes that are not UTF-8 shown as
 * \xHH), the terminal and JSON escapers beside it, and the key report's
 * renderers on a small model built by hand.
 */
#define _GNU_SOURCE
#include "check.h"

#include "report/key_render.h"
#include "report/out.h"
#include "report/ingest_render.h"
#include "report/policy_render.h"
#include "report/search_render.h"
#include "report/unused_render.h"

#include <stdio.h>
#include <stdlib.h>

/* What fn writes for s, as a malloc'd string. */
static char *render(void (*fn)(FILE *, const char *), const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fn(f, s);
    fclose(f);
    return buf;
}

static void check_esc(void (*fn)(FILE *, const char *), const char *in, const char *want)
{
    char *got = render(fn, in);
    CHECK_STR(got, want);
    free(got);
}

static void test_html(void)
{
    check_esc(out_html, "<a href=\"x\" title='y'>&</a>",
              "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
    check_esc(out_html, "plain text 123", "plain text 123");
    check_esc(out_html, NULL, "");
    /* UTF-8 is kept: 2, 3 and 4 bytes. */
    check_esc(out_html, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
    check_esc(out_html, "\xc2\xa0nbsp", "\xc2\xa0nbsp"); /* U+00A0 is the first after C1 */
    /* C1 controls (U+0085, U+009B: a terminal's CSI) and C0 ones. */
    check_esc(out_html, "a\xc2\x85z", "a\\xc2\\x85z");
    check_esc(out_html, "\xc2\x9b" "31m", "\\xc2\\x9b31m");
    check_esc(out_html, "\x1b[31mred\n\t\x7f", "\\x1b[31mred\\x0a\\x09\\x7f");
    /* Not UTF-8: a lone continuation, an overlong, a cut sequence, 0xff. */
    check_esc(out_html, "\x80", "\\x80");
    check_esc(out_html, "\xc0\xaf", "\\xc0\\xaf");
    check_esc(out_html, "\xe2\x82", "\\xe2\\x82");
    check_esc(out_html, "\xe2\x82<", "\\xe2\\x82&lt;");
    check_esc(out_html, "\xf5\x80\x80\x80", "\\xf5\\x80\\x80\\x80");
    check_esc(out_html, "\xff", "\\xff");
}

static void test_terminal_and_json(void)
{
    /* The same rule for the terminal, without markup escapes. */
    check_esc(out_safe, "<b>'&'</b>", "<b>'&'</b>");
    check_esc(out_safe, "\x1b]0;x\x07 caf\xc3\xa9 \xc2\x85 \xff", "\\x1b]0;x\\x07 caf\xc3\xa9 \\xc2\\x85 \\xff");
    check_esc(out_json_str, "a\"b\\c\n<\x01", "\"a\\\"b\\\\c\\n\\u003c\\u0001\"");
    check_esc(out_json_str, NULL, "\"\"");
    /* out_is_safe: whether out_safe would write the text unchanged (the
     * tables copy such cells as they are). */
    CHECK(out_is_safe("plain <b>'&'</b> caf\xc3\xa9 \xf0\x9f\x98\x80"));
    CHECK(out_is_safe("") && out_is_safe(NULL));
    CHECK(!out_is_safe("tab\there"));
    CHECK(!out_is_safe("end\x7f"));
    CHECK(!out_is_safe("a\xc2\x85z"));
    CHECK(!out_is_safe("cut \xe2\x82"));
}

/* A report of one key with one flagged call whose strings are hostile. */
static void small_model(key_report *r, key_node *node, key_event *ev, const key_rule *rule, const char *const *cats)
{
    memset(r, 0, sizeof *r);
    memset(node, 0, sizeof *node);
    memset(ev, 0, sizeof *ev);
    node->key = "AKIATESTKEY000000001";
    node->parent = -1;
    node->how = "";
    node->principal = "arn:aws:iam::111122223333:user/<img src=x onerror=alert(1)>";
    node->account = "111122223333";
    node->itype = "IAMUser";
    node->first = node->last = 1790000000000LL;
    node->calls = node->flagged = 1;
    ev->t = 1790000000000LL;
    ev->src = "iam.amazonaws.com";
    ev->name = "CreateUser";
    ev->region = "us-east-1";
    ev->ip = "203.0.113.7";
    ev->ua = "<script>alert(1)</script>\x1b[2J";
    ev->err = ev->minted = "";
    ev->principal = node->principal;
    ev->account = node->account;
    ev->itype = node->itype;
    ev->path = "/logs/a.json.gz";
    ev->member = "";
    ev->rule = rule;
    r->key = node->key;
    r->nodes = node;
    r->nnodes = 1;
    r->evs = ev;
    r->nevs = 1;
    r->first_suspicious = ev->t;
    r->cats = cats;
    r->ncats = 1;
}

static char *page(const key_report *r, int html, out_format fmt, int only)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (html)
        key_report_html(r, f);
    else
        key_report_write(r, fmt, only, f);
    fclose(f);
    return buf;
}

static void test_key_renderers(void)
{
    static const char *const cats[] = {"persistence"};
    key_rule rule = {"persistence", "iam.amazonaws.com", "CreateUser", "", "T1136"};
    key_report r;
    key_node node;
    key_event ev;
    small_model(&r, &node, &ev, &rule, cats);

    char label[64];
    key_event_label(&ev, label, sizeof label);
    CHECK_STR(label, "iam:CreateUser");
    CHECK_STR(key_node_key(&r, 0), "AKIATESTKEY000000001");
    CHECK_STR(key_node_key(&r, 5), "");
    CHECK(key_report_section("key") == 0);
    CHECK(key_report_section("no-such-section") == -1);

    char *html = page(&r, 1, OUT_JSON, -1);
    CHECK(strncmp(html, "<!DOCTYPE html>", 15) == 0);
    CHECK(strstr(html, "AKIATESTKEY000000001") != NULL);
    CHECK(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;\\x1b[2J") != NULL);
    CHECK(strstr(html, "<script>alert") == NULL);
    CHECK(strstr(html, "&lt;img src=x onerror=alert(1)&gt;") != NULL);
    CHECK(strstr(html, "<img") == NULL);
    CHECK(strchr(html, 0x1b) == NULL);
    free(html);

    char *json = page(&r, 0, OUT_JSON, key_report_section("key"));
    CHECK(json[0] == '{');
    CHECK(strstr(json, "\"access_key\":\"AKIATESTKEY000000001\"") != NULL ||
          strstr(json, "\"access_key\": \"AKIATESTKEY000000001\"") != NULL);
    CHECK(strstr(json, "\\u003cimg") != NULL); /* '<' never raw in JSON */
    free(json);

    char *csv = page(&r, 0, OUT_CSV, key_report_section("timeline"));
    CHECK(strstr(csv, "CreateUser") != NULL);
    size_t lines = 0;
    for (const char *p = csv; *p; p++)
        lines += *p == '\n';
    CHECK_MSG(lines == 2, "%zu lines", lines); /* one header, one row */
    free(csv);
}

/* search's rows: keys once per column, an empty value as null; a record
 * compacted to one line with the bytes of its strings kept. */
static void test_search_rows(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    const char *v[SEARCH_NCOLS + 1] = {"2024-01-01T00:00:00Z", "AKIA1", "", "s\"x", "", "", "", "", "", "", "", "", "id-1"};
    search_render_json_row(f, v, 4);
    search_render_json_row(f, v, SEARCH_NCOLS + 1);
    static const char rec[] = "{ \"a\" : 1,\n\t\"b\": \"x  y\\\" z\" }";
    search_render_compact(f, rec, sizeof rec - 1);
    fclose(f);
    CHECK_STR(buf, "{\"time\":\"2024-01-01T00:00:00Z\",\"access_key\":\"AKIA1\",\"principal\":null,\"session\":\"s\\\"x\"}\n"
                   "{\"time\":\"2024-01-01T00:00:00Z\",\"access_key\":\"AKIA1\",\"principal\":null,\"session\":\"s\\\"x\","
                   "\"account\":null,\"event_source\":null,\"event_name\":null,\"region\":null,\"source_ip\":null,"
                   "\"error\":null,\"user_agent\":null,\"minted_key\":null,\"event_id\":\"id-1\"}\n"
                   "{\"a\":1,\"b\":\"x  y\\\" z\"}\n");
    free(buf);
}

/* ingest's closing words: the counts as JSON, the rejected inputs line. */
static void test_ingest_summary(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ingest_render_tally t = {.loaded = 3, .rejected = 1, .partial = 2, .records_rejected = 1, .added = 40,
                             .duplicates = 10, .verified = 5};
    ingest_render_summary(f, OUT_JSON, &t, 0, 7, 2.0);
    fclose(f);
    CHECK(strstr(buf, "\"objects_loaded\": 3,\n") != NULL);
    CHECK(strstr(buf, "\"megabytes_parsed\": 7,\n") != NULL);
    CHECK(strstr(buf, "objects_verified") == NULL); /* only with --verify */
    CHECK(strstr(buf, "\"seconds\": 2.00,\n  \"events_per_second\": 25\n}") != NULL); /* 50 events in 2 s */
    free(buf);
    buf = NULL;
    f = open_memstream(&buf, &len);
    ingest_render_problems(f, &t);
    fclose(f);
    CHECK_STR(buf, "trailtrim: 1 input rejected, 2 inputs partial (1 record rejected, the rest stored) "
                   "(see above and `trailtrim status`)\n");
    free(buf);
}

/* policy's summary names the calls not granted, POLICY_RENDER_NAMED at most
 * of a kind; the report holds every one. */
static void test_policy_summary(void)
{
    gen_grant_item items[POLICY_RENDER_NAMED + 2];
    char ev[POLICY_RENDER_NAMED + 2][16];
    gen_grant a;
    memset(&a, 0, sizeof a);
    snprintf(a.arn, sizeof a.arn, "arn:aws:iam::1:user/bob");
    snprintf(a.type, sizeof a.type, "IAMUser");
    for (size_t i = 0; i < POLICY_RENDER_NAMED + 2; i++) {
        snprintf(ev[i], sizeof ev[i], "Get%zu", i);
        items[i] = (gen_grant_item){GEN_GRANT_DENIED, (char *)"s3.amazonaws.com", ev[i], (char *)"AccessDenied", 1};
    }
    a.items = items;
    a.nitems = POLICY_RENDER_NAMED + 2;
    a.calls[GEN_GRANT_GRANTED] = 5;
    a.calls[GEN_GRANT_DENIED] = POLICY_RENDER_NAMED + 2;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    policy_render_summary(f, &a, NULL);
    fclose(f);
    CHECK(strncmp(buf, "trailtrim policy: arn:aws:iam::1:user/bob: 0 actions from 5 successful calls\n",
                  strlen("trailtrim policy: arn:aws:iam::1:user/bob: 0 actions from 5 successful calls\n")) == 0);
    CHECK(strstr(buf, "\n  not granted: 10 ") != NULL);
    CHECK(strstr(buf, "s3.amazonaws.com Get7 (1) ...\n") != NULL);
    CHECK(strstr(buf, "Get8") == NULL);
    free(buf);
    buf = NULL;
    f = open_memstream(&buf, &len);
    policy_render_report(f, &a, NULL, 19000, 19001);
    fclose(f);
    CHECK(strstr(buf, "Get9") != NULL);
    CHECK(strstr(buf, "\"denied_attempts_calls\": 10") != NULL || strstr(buf, "_calls\": 10") != NULL);
    free(buf);
}

/* unused's summary line sums verdicts and statuses; the warned JSON puts
 * "warnings" first in the report's one object. */
static void test_unused_extras(void)
{
    un_result res[2];
    memset(res, 0, sizeof res);
    res[0].verdict = UN_JUDGED;
    res[0].count[UN_UNUSED] = 3;
    res[0].count[UN_USED] = 2;
    res[1].verdict = UN_GAPS;
    res[1].count[UN_NOT_JUDGED] = 4;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    un_render_summary(f, res, 2);
    fclose(f);
    CHECK_STR(buf, "trailtrim unused: 2 principals: 1 judged, 0 too young, 1 with coverage gaps, 0 without data; "
                   "3 unused actions, 2 used, 0 not observable, 0 kept (NOREPO), 4 not judged\n");
    free(buf);
    buf = NULL;
    un_report rep = {"authz.json", 19000, 19089, NULL, 0};
    const char *warns[] = {"a \"gap\"", "b"};
    f = open_memstream(&buf, &len);
    un_render_json_warned(f, &rep, warns, 2);
    fclose(f);
    CHECK(strncmp(buf, "{\"warnings\": [\"a \\\"gap\\\"\", \"b\"],\n ", 33) == 0);
    free(buf);
}

int main(void)
{
    test_html();
    test_terminal_and_json();
    test_key_renderers();
    test_search_rows();
    test_ingest_summary();
    test_policy_summary();
    test_unused_extras();
    return check_done();
}
