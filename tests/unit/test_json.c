/*
 * test_json.c - the strict JSON scanner: grammar corners, UTF-8 and escape
 * checks, unescaping, error positions, the depth cap, and N. Seriot's
 * JSONTestSuite (y_* accepted, n_* rejected, i_* only must not crash).
 * Inputs are copied into exactly-sized buffers so ASan sees any overread.
 */
#include "check.h"

#include "json/json.h"

#include <dirent.h>
#include <stdint.h>

/* Validates n bytes of txt from a private, exactly-sized copy. */
static tt_status validate_n(const char *txt, size_t n, json_scanner *out)
{
    char *b = malloc(n ? n : 1);
    json_scanner s;
    memcpy(b, txt, n);
    json_init(&s, b, n, 64);
    tt_status st = json_validate(&s);
    if (out) {
        *out = s;
        out->buf = out->end = out->p = NULL;
    }
    free(b);
    return st;
}

static tt_status validate(const char *txt)
{
    return validate_n(txt, strlen(txt), NULL);
}

static void test_accepts(void)
{
    static const char *ok[] = {
        "0", "-0", "1", "-1", "0.5", "1e5", "1E+5", "1e-5", "-0.0e0",
        "123456789012345678901234567890", "true", "false", "null", "\"\"",
        " \t\r\n[ ]\n", "{}", "[[],{}]", "{\"a\":1,\"b\":[true,false,null]}",
        "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00\"",
        "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xef\xbf\xbf\xf4\x8f\xbf\xbf\"",
        "\"\\ud800\"", /* lone surrogate escape: accepted while scanning */
        "\"0123456789abcdef0123456789abcdef0123456789\"", /* SIMD path */
        "{\"k\" : \"v\" , \"l\" :[ 1 , 2 ] }",
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        CHECK_MSG(validate(ok[i]) == TT_OK, "should accept %s", ok[i]);
}

static void test_rejects(void)
{
    static const char *bad[] = {
        "", " ", "01", "-01", "1.", ".5", "+1", "-", "1e", "1e+", "0x10",
        "NaN", "Infinity", "tru", "nul", "True", "[1,]", "{\"a\":1,}", "[,1]",
        "{\"a\"}", "{\"a\" 1}", "{1:2}", "{'a':1}", "[1 2]", "[", "]", "{",
        "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"", "\"a\tb\"", "\"a\nb\"",
        "\"\xc0\xaf\"",             /* overlong '/' */
        "\"\xe0\x80\xaf\"",         /* overlong 3-byte */
        "\"\xed\xa0\x80\"",         /* UTF-8-encoded surrogate */
        "\"\xf4\x90\x80\x80\"",     /* past U+10FFFF */
        "\"\xf5\x80\x80\x80\"", "\"\x80\"", "\"\xc3\"", "\"\xe2\x82\"",
        "\xef\xbb\xbf{}",           /* BOM */
        "[]]", "[] []", "{}x", "\f[]", "[1]\x0b", "/* c */ 1",
        "\"0123456789abcdef0123456789abcdef\x01\"",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CHECK_MSG(validate(bad[i]) == TT_ERR_FORMAT, "should reject case %zu", i);
}

static void test_depth(void)
{
    char deep[200];
    for (int d = 63; d <= 66; d++) {
        memset(deep, '[', (size_t)d);
        memset(deep + d, ']', (size_t)d);
        tt_status st = validate_n(deep, 2 * (size_t)d, NULL);
        CHECK_MSG(st == (d <= 64 ? TT_OK : TT_ERR_LIMIT), "depth %d -> %d", d, st);
    }
    /* An unclosed run far deeper than the cap stops at the cap. */
    char *many = malloc(100000);
    memset(many, '[', 100000);
    CHECK(validate_n(many, 100000, NULL) == TT_ERR_LIMIT);
    free(many);
}

static void test_errors(void)
{
    json_scanner s;
    tt_error err;
    const char *txt = "{\n  \"a\": 1,\n  \"b\" 2\n}";
    char b[64];
    memcpy(b, txt, strlen(txt));
    json_init(&s, b, strlen(txt), 64);
    CHECK(json_validate(&s) == TT_ERR_FORMAT);
    CHECK(s.err_off == 18);
    json_format_error(&s, &err);
    CHECK_STR(err.msg, "byte 18 (line 3, column 7): expected ':', found \"2\\x0A}\"");

    const char *ctl = "[\"a\x01\"]";
    memcpy(b, ctl, strlen(ctl));
    json_init(&s, b, strlen(ctl), 64);
    CHECK(json_validate(&s) == TT_ERR_FORMAT);
    json_format_error(&s, &err);
    CHECK_STR(err.msg, "byte 3 (line 1, column 4): control character in a string "
                       "(it must be escaped), found \"\\x01\\\"]\"");

    json_init(&s, b, 2, 64); /* "[\"" cut short */
    CHECK(json_validate(&s) == TT_ERR_FORMAT);
    json_format_error(&s, &err);
    CHECK_STR(err.msg, "byte 2 (line 1, column 3): unterminated string, found end of input");

    char q[64];
    json_quote(q, sizeof q, "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH", 44, 40);
    CHECK_STR(q, "\"abcdefghijklmnopqrstuvwxyz0123456789ABCD\"...");
}

static void test_unescape(void)
{
    static const struct { const char *raw, *want; } cases[] = {
        {"a\\\"b\\\\c\\/d", "a\"b\\c/d"},
        {"\\b\\f\\n\\r\\t", "\b\f\n\r\t"},
        {"caf\\u00e9", "caf\xc3\xa9"},
        {"\\u20AC", "\xe2\x82\xac"},
        {"x\\ud83d\\ude00y", "x\xf0\x9f\x98\x80y"},
        {"\\uDBFF\\uDFFF", "\xf4\x8f\xbf\xbf"},
    };
    char out[64];
    size_t bad = 0;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t n = json_unescape(cases[i].raw, strlen(cases[i].raw), out, &bad);
        CHECK_MSG(n == strlen(cases[i].want) && memcmp(out, cases[i].want, n) == 0,
                  "unescape case %zu", i);
    }
    CHECK(json_unescape("\\u0000", 6, out, &bad) == 1 && out[0] == '\0');
    static const char *lone[] = {"ab\\ud800", "\\ud800x", "\\udc00", "\\ud800\\u0041",
                                 "\\ud800\\n"};
    for (size_t i = 0; i < sizeof lone / sizeof *lone; i++)
        CHECK_MSG(json_unescape(lone[i], strlen(lone[i]), out, &bad) == (size_t)-1,
                  "lone surrogate case %zu", i);
    json_unescape("ab\\ud800", 8, out, &bad);
    CHECK(bad == 2);
}

static void test_walk(void)
{
    const char *txt = "{\"k\\u0041\": [1, \"x\"], \"z\": {}}";
    size_t n = strlen(txt);
    char *b = malloc(n);
    memcpy(b, txt, n);
    json_scanner s;
    json_str key;
    json_init(&s, b, n, 64);
    CHECK(json_peek(&s) == '{');
    CHECK(json_open(&s) == TT_OK && s.depth == 1);
    CHECK(json_obj_next(&s, &key, 1) == 1);
    CHECK(key.n == 7 && key.escaped && memcmp(key.p, "k\\u0041", 7) == 0);
    CHECK(*s.p == '[');
    CHECK(json_skip_value(&s) == TT_OK);
    CHECK(json_obj_next(&s, &key, 0) == 1 && key.n == 1 && !key.escaped);
    CHECK(json_open(&s) == TT_OK && s.depth == 2);
    CHECK(json_obj_next(&s, &key, 1) == 0 && s.depth == 1);
    CHECK(json_obj_next(&s, &key, 0) == 0 && s.depth == 0);
    CHECK(json_peek(&s) == -1);
    free(b);
}

/* Every prefix of a valid document is rejected, and none is overread. */
static void test_prefixes(void)
{
    const char *txt = "{\"a\":[1.5e3,-0,\"\\u00e9\xc3\xa9\",true,false,null],\"b\":{}}";
    size_t n = strlen(txt);
    CHECK(validate_n(txt, n, NULL) == TT_OK);
    int rejected = 0;
    for (size_t i = 0; i < n; i++)
        rejected += validate_n(txt, i, NULL) != TT_OK;
    CHECK_MSG(rejected == (int)n, "%d of %zu prefixes rejected", rejected, n);
}

/* Walks txt with json_obj_next/json_arr_next (skipping every value) and
 * returns the status; *off and *what tell where and why it stopped. */
static tt_status walk_n(const char *txt, size_t n, size_t *off, const char **what)
{
    char *b = malloc(n ? n : 1);
    json_scanner s;
    json_str key;
    int more = 1;
    memcpy(b, txt, n);
    json_init(&s, b, n, 64);
    int c = json_peek(&s);
    if (c == '{' && json_open(&s) == TT_OK)
        for (int first = 1; (more = json_obj_next(&s, &key, first)) > 0; first = 0)
            if (json_skip_value(&s) != TT_OK)
                break;
    if (c == '[' && json_open(&s) == TT_OK)
        for (int first = 1; (more = json_arr_next(&s, first)) > 0; first = 0)
            if (json_skip_value(&s) != TT_OK)
                break;
    *off = s.err_off;
    *what = s.err_what ? s.err_what : "";
    CHECK(more <= 0 || s.status != TT_OK);
    CHECK(more != 0 || s.depth == 0);
    free(b);
    return s.status;
}

/* The stepping functions: the same results on compact and spaced input,
 * and each failure at its byte with its message. */
static void test_steps(void)
{
    static const struct { const char *txt; size_t off; const char *what; } cases[] = {
        {"{\"a\":1,\"b\":[2,3],\"c\":{}}", 0, ""},
        {" { \"a\" : 1 ,\n\"b\"\t:[ 2 , 3 ] , \"c\" : { } } ", 0, ""},
        {"[]", 0, ""}, {"[ ]", 0, ""}, {"{}", 0, ""}, {"{ }", 0, ""},
        {"{,}", 1, "expected a string key or '}'"},
        {"{ 1:2}", 2, "expected a string key or '}'"},
        {"{\"a\":1 \"b\":2}", 7, "expected ',' or '}'"},
        {"{\"a\":1,}", 7, "expected a string key"},
        {"{\"a\":1, }", 8, "expected a string key"},
        {"{\"a\" :x}", 6, "expected a value"},
        {"{\"a\"}", 4, "expected ':'"},
        {"{\"a\":", 5, "expected a value"},
        {"{\"a\":1", 6, "expected ',' or '}'"},
        {"{\"a", 3, "unterminated string"},
        {"[1 2]", 3, "expected ',' or ']'"},
        {"[,1]", 1, "expected a value"},
        {"[1,]", 3, "expected a value"},
        {"[1, ", 4, "expected a value"},
        {"[", 1, "expected a value"},
        {"[1", 2, "expected ',' or ']'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t off;
        const char *what;
        tt_status st = walk_n(cases[i].txt, strlen(cases[i].txt), &off, &what);
        int ok = cases[i].what[0] ? st == TT_ERR_FORMAT && off == cases[i].off &&
                                        strcmp(what, cases[i].what) == 0
                                  : st == TT_OK;
        CHECK_MSG(ok, "step case %zu: status %d at %zu (%s)", i, st, off, what);
    }
}

/* For check_body(): rejected, at whatever byte the scan ran out. */
#define ANYWHERE (-2L)

/* Checks one string body both as a document and as an object key, from
 * exactly-sized buffers, so that it ends at the buffer's last byte. want_off
 * is the failure's offset in the body, -1 when the body is valid, or
 * ANYWHERE. */
static void check_body(const char *body, size_t n, long want_off)
{
    char doc[200], obj[220];
    json_scanner s;
    size_t off;
    const char *what;
    doc[0] = '"';
    memcpy(doc + 1, body, n);
    doc[n + 1] = '"';
    tt_status st = validate_n(doc, n + 2, &s);
    if (want_off == ANYWHERE)
        CHECK(st == TT_ERR_FORMAT);
    else if (want_off < 0)
        CHECK_MSG(st == TT_OK, "body of %zu bytes rejected at %zu", n, s.err_off);
    else
        CHECK_MSG(st == TT_ERR_FORMAT && s.err_off == (size_t)want_off + 1,
                  "body of %zu bytes: status %d at %zu, want %ld", n, st, s.err_off,
                  want_off + 1);
    /* Unterminated: the buffer ends inside the body. */
    CHECK(validate_n(doc, n + 1, NULL) == TT_ERR_FORMAT);
    obj[0] = '{';
    memcpy(obj + 1, doc, n + 2);
    memcpy(obj + n + 3, ":0}", 3);
    st = walk_n(obj, n + 6, &off, &what);
    if (want_off == ANYWHERE)
        CHECK(st == TT_ERR_FORMAT);
    else if (want_off < 0)
        CHECK_MSG(st == TT_OK, "key of %zu bytes rejected at %zu", n, off);
    else
        CHECK_MSG(st == TT_ERR_FORMAT && off == (size_t)want_off + 2,
                  "key of %zu bytes: status %d at %zu", n, st, off);
}

/* Strings of every length across the 16/32/64-byte steps of the scanner,
 * with each kind of stop byte at every position. */
static void test_string_edges(void)
{
    char body[160];
    for (size_t n = 0; n <= 130; n++) {
        memset(body, 'a', n);
        check_body(body, n, -1);
        for (size_t i = 0; i < n; i++) {
            memset(body, 'a', n);
            body[i] = 0x1f; /* a control */
            check_body(body, n, (long)i);
            body[i] = (char)0x80; /* a stray continuation byte */
            check_body(body, n, (long)i);
            body[i] = (char)0xff;
            check_body(body, n, (long)i);
            body[i] = '\\'; /* followed by 'a', or escaping the closing quote */
            check_body(body, n, i + 1 < n ? (long)i : ANYWHERE);
            if (i + 1 < n) {
                body[i + 1] = 'n';
                check_body(body, n, -1);
                body[i + 1] = '"';
                check_body(body, n, -1);
                body[i] = '\\';
                body[i + 1] = '\\';
                check_body(body, n, -1);
                body[i] = (char)0xc3; /* e-acute: valid two-byte UTF-8 */
                body[i + 1] = (char)0xa9;
                check_body(body, n, -1);
                body[i + 1] = 'a'; /* a lead byte without its continuation */
                check_body(body, n, (long)i);
            }
            if (i + 3 < n) {
                memcpy(body + i, "\xf0\x9f\x98\x80", 4); /* U+1F600 */
                check_body(body, n, -1);
                memcpy(body + i, "\xed\xa0\x80", 3); /* an encoded surrogate */
                check_body(body, n, (long)i);
            }
        }
    }
    /* Runs of backslashes across the steps: an even run stands for itself;
     * an odd one escapes what follows it ('n' here, or the closing quote). */
    for (size_t run = 1; run <= 70; run++) {
        memset(body, 'n', sizeof body);
        memset(body + 10, '\\', run);
        check_body(body, 10 + run + (run & 1), -1);
        check_body(body, 10 + run, run & 1 ? ANYWHERE : -1);
    }
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    char *b = NULL;
    long sz;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (sz = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        b = malloc(sz ? (size_t)sz : 1);
        if (b && fread(b, 1, (size_t)sz, f) != (size_t)sz) {
            free(b);
            b = NULL;
        }
        *n = (size_t)sz;
    }
    fclose(f);
    return b;
}

static void test_suite(void)
{
    const char *shared = check_shared_dir();
    char dir[4096], path[8192];
    int y = 0, n = 0, i_total = 0, i_ok = 0;
    if (!shared) {
        CHECK_SKIP("TT_SHARED_DIR is not set: JSONTestSuite not run");
        return;
    }
    snprintf(dir, sizeof dir, "%s/testdata/JSONTestSuite/test_parsing", shared);
    DIR *d = opendir(dir);
    if (!d) {
        CHECK_SKIP("no testdata/JSONTestSuite/test_parsing: JSONTestSuite not run");
        return;
    }
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        char kind = e->d_name[0];
        size_t len = 0;
        if (e->d_name[1] != '_' || (kind != 'y' && kind != 'n' && kind != 'i'))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        char *b = slurp(path, &len);
        CHECK_MSG(b != NULL, "cannot read %s", path);
        if (!b)
            continue;
        tt_status st = validate_n(b, len, NULL);
        free(b);
        if (kind == 'y') {
            CHECK_MSG(st == TT_OK, "%s rejected", e->d_name);
            y++;
        } else if (kind == 'n') {
            CHECK_MSG(st != TT_OK, "%s accepted", e->d_name);
            n++;
        } else {
            i_total++;
            i_ok += st == TT_OK;
        }
    }
    closedir(d);
    printf("JSONTestSuite: %d y_ and %d n_ checked; %d of %d i_ accepted\n", y, n,
           i_ok, i_total);
    CHECK(y > 90 && n > 180);
}

int main(void)
{
    test_accepts();
    test_rejects();
    test_depth();
    test_errors();
    test_unescape();
    test_walk();
    test_prefixes();
    test_steps();
    test_string_edges();
    test_suite();
    return check_done();
}
