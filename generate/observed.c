/*
 * observed.c - gen_observed_* (observed.h). Every string copied from a
 * record is escaped (gen_arn_escape) before it becomes part of an ARN, so
 * the only wildcards in a Resource are the ones this file adds: the
 * collapse's trailing "*" and the "-??????" of a secret's name.
 */
#include "observed.h"
#include "authz.h"
#include "policy.h"

#include "ingest/recall.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OBS_FIELD 2048 /* one field of a record, as ingest_recall_field gives it */
#define OBS_MAX_ARNS 64 /* ARNs taken from one record */
#define OBS_DOC_CAP (4u << 20)
#define PUTS(b, s) tt_buf_append((b), (s), strlen(s))

typedef struct obs_act {
    char **arns; /* escaped, distinct */
    size_t n, a;
    int star;    /* a call gave no fitting ARN, or its record was unreadable */
    int unread;  /* ... because its record was unreadable */
} obs_act;

struct gen_observed {
    const gen_catalog *cat;
    size_t ncat, collapse_at;
    obs_act *acts;
};

gen_observed *gen_observed_create(const gen_catalog *c, size_t collapse_at)
{
    gen_observed *o = tt_xcalloc(1, sizeof *o);
    o->cat = c;
    o->ncat = gen_catalog_count(c);
    o->collapse_at = collapse_at ? collapse_at : GEN_OBSERVED_COLLAPSE;
    o->acts = tt_xcalloc(o->ncat + 1, sizeof *o->acts);
    return o;
}

void gen_observed_free(gen_observed *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->ncat; i++) {
        for (size_t k = 0; k < o->acts[i].n; k++)
            free(o->acts[i].arns[k]);
        free(o->acts[i].arns);
    }
    free(o->acts);
    free(o);
}

int gen_arn_escape(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = in; *p; p++) {
        const char *rep = NULL;
        char one[2] = {*p, '\0'};
        if (*p == '*')
            rep = "${*}";
        else if (*p == '?')
            rep = "${?}";
        else if (*p == '$')
            rep = "${$}";
        else
            rep = one;
        size_t rn = strlen(rep);
        if (n + rn + 1 > cap) {
            out[0] = '\0';
            return -1;
        }
        memcpy(out + n, rep, rn);
        n += rn;
    }
    out[n] = '\0';
    return 0;
}

/* ---- ARNs of one record -------------------------------------------------------- */

typedef struct arnlist {
    char *v[OBS_MAX_ARNS];
    size_t n;
} arnlist;

static void arn_add(arnlist *l, const char *s)
{
    if (l->n < OBS_MAX_ARNS && s[0])
        l->v[l->n++] = tt_xstrdup(s);
}

static int field(const char *rec, size_t len, const char *path, char *out)
{
    return ingest_recall_field(rec, len, path, out, OBS_FIELD) && out[0] &&
           !(strlen(out) >= 3 && strcmp(out + strlen(out) - 3, "...") == 0 && strlen(out) == OBS_FIELD - 1);
}

/* arn:PART:SERVICE:REGION:ACCOUNT:REST with REST escaped. */
static void build(arnlist *l, const char *part, const char *svc, const char *region, const char *acct,
                  const char *rest_prefix, const char *raw)
{
    char esc[OBS_FIELD * 4 + 8], arn[OBS_FIELD * 5];
    if (gen_arn_escape(raw, esc, sizeof esc) != 0)
        return;
    snprintf(arn, sizeof arn, "arn:%s:%s:%s:%s:%s%s", part, svc, region, acct, rest_prefix, esc);
    arn_add(l, arn);
}

/* An ARN given whole in a parameter: escaped too (it is copied text). */
static void whole(arnlist *l, const char *raw)
{
    char esc[OBS_FIELD * 4 + 8];
    if (strncmp(raw, "arn:", 4) == 0 && gen_arn_escape(raw, esc, sizeof esc) == 0)
        arn_add(l, esc);
}

/* Request fields that name a role a call passes (iam:PassRole scopes to
 * them), and the response fields where a create call returns the ARN it
 * made. Every service names them alike. */
static const char *const role_fields[] = {
    "requestParameters.roleArn",          "requestParameters.role",
    "requestParameters.executionRoleArn", "requestParameters.serviceRoleArn",
    "requestParameters.deliverLogsPermissionArn", "requestParameters.cloudWatchLogsRoleArn",
    "requestParameters.monitoringRoleArn", "requestParameters.taskRoleArn",
    "responseElements.role.arn",          "responseElements.user.arn",
    "responseElements.policy.arn",        "responseElements.instanceProfile.arn",
    "responseElements.group.arn",         "responseElements.aRN",
    "responseElements.arn",
};

static void named_arns(const char *rec, size_t len, arnlist *l)
{
    char a[OBS_FIELD], path[64];
    for (size_t i = 0; i < sizeof role_fields / sizeof *role_fields; i++)
        if (field(rec, len, role_fields[i], a))
            whole(l, a);
    for (int i = 0; i < OBS_MAX_ARNS; i++) {
        snprintf(path, sizeof path, "requestParameters.roleArns.%d", i);
        if (!field(rec, len, path, a))
            break;
        whole(l, a);
    }
}

static void record_arns(const char *rec, size_t len, arnlist *l)
{
    char src[256], region[128], acct[64], part[16] = "aws", a[OBS_FIELD], b[OBS_FIELD], path[64];
    if (!field(rec, len, "eventSource", src))
        return;
    if (!field(rec, len, "awsRegion", region))
        snprintf(region, sizeof region, "us-east-1");
    if (!field(rec, len, "recipientAccountId", acct) && !field(rec, len, "userIdentity.accountId", acct))
        acct[0] = '\0';
    if (strncmp(region, "cn-", 3) == 0)
        snprintf(part, sizeof part, "aws-cn");
    else if (strncmp(region, "us-gov-", 7) == 0)
        snprintf(part, sizeof part, "aws-us-gov");
    /* Region and account come from the log too: escaped like the rest. */
    char er[512], ea[256];
    if (gen_arn_escape(region, er, sizeof er) != 0 || gen_arn_escape(acct, ea, sizeof ea) != 0)
        return;
    for (int i = 0; i < OBS_MAX_ARNS; i++) {
        snprintf(path, sizeof path, "resources.%d.ARN", i);
        if (!field(rec, len, path, a))
            break;
        whole(l, a);
    }
    named_arns(rec, len, l);
    const char *svc = src;
    if (strcmp(svc, "s3.amazonaws.com") == 0 && field(rec, len, "requestParameters.bucketName", a)) {
        char esc[OBS_FIELD * 4 + 8], arn[OBS_FIELD * 9];
        if (gen_arn_escape(a, esc, sizeof esc) == 0) {
            snprintf(arn, sizeof arn, "arn:%s:s3:::%s", part, esc);
            arn_add(l, arn);
            char ek[OBS_FIELD * 4 + 8];
            if (field(rec, len, "requestParameters.key", b) && gen_arn_escape(b, ek, sizeof ek) == 0) {
                snprintf(arn, sizeof arn, "arn:%s:s3:::%s/%s", part, esc, ek);
                arn_add(l, arn);
            }
        }
    } else if (strcmp(svc, "dynamodb.amazonaws.com") == 0 && field(rec, len, "requestParameters.tableName", a)) {
        if (strncmp(a, "arn:", 4) == 0)
            whole(l, a);
        else
            build(l, part, "dynamodb", er, ea, "table/", a);
    } else if (strcmp(svc, "lambda.amazonaws.com") == 0 && field(rec, len, "requestParameters.functionName", a)) {
        if (strncmp(a, "arn:", 4) == 0)
            whole(l, a);
        else
            build(l, part, "lambda", er, ea, "function:", a);
    } else if (strcmp(svc, "sqs.amazonaws.com") == 0 && field(rec, len, "requestParameters.queueUrl", a)) {
        /* https://sqs.REGION.amazonaws.com/ACCOUNT/NAME */
        const char *p = strstr(a, "://");
        p = p ? strchr(p + 3, '/') : NULL;
        const char *q = p ? strchr(p + 1, '/') : NULL;
        if (p && q && q[1] && !strchr(q + 1, '/')) {
            char acc[64], eacc[256];
            snprintf(acc, sizeof acc, "%.*s", (int)(q - p - 1) < 63 ? (int)(q - p - 1) : 63, p + 1);
            if (gen_arn_escape(acc, eacc, sizeof eacc) == 0)
                build(l, part, "sqs", er, eacc, "", q + 1);
        }
    } else if (strcmp(svc, "sns.amazonaws.com") == 0 && field(rec, len, "requestParameters.topicArn", a)) {
        whole(l, a);
    } else if (strcmp(svc, "secretsmanager.amazonaws.com") == 0 &&
               (field(rec, len, "requestParameters.secretId", a) || field(rec, len, "requestParameters.name", a))) {
        if (strncmp(a, "arn:", 4) == 0) {
            whole(l, a);
        } else { /* a name: AWS appends "-" and 6 random characters */
            char esc[OBS_FIELD * 4 + 8], arn[OBS_FIELD * 5];
            if (gen_arn_escape(a, esc, sizeof esc) == 0) {
                snprintf(arn, sizeof arn, "arn:%s:secretsmanager:%s:%s:secret:%s-??????", part, er, ea, esc);
                arn_add(l, arn);
            }
        }
    } else if (strcmp(svc, "ssm.amazonaws.com") == 0) {
        if (field(rec, len, "requestParameters.name", a))
            build(l, part, "ssm", er, ea, "parameter/", a[0] == '/' ? a + 1 : a);
        if (field(rec, len, "requestParameters.resourceType", b) && strcmp(b, "Parameter") == 0 &&
            field(rec, len, "requestParameters.resourceId", a))
            build(l, part, "ssm", er, ea, "parameter/", a[0] == '/' ? a + 1 : a);
        for (int i = 0; i < OBS_MAX_ARNS; i++) {
            snprintf(path, sizeof path, "requestParameters.names.%d", i);
            if (!field(rec, len, path, a))
                break;
            build(l, part, "ssm", er, ea, "parameter/", a[0] == '/' ? a + 1 : a);
        }
    } else if (strcmp(svc, "kms.amazonaws.com") == 0 && field(rec, len, "requestParameters.keyId", a)) {
        if (strncmp(a, "arn:", 4) == 0)
            whole(l, a);
        else if (strncmp(a, "alias/", 6) == 0)
            build(l, part, "kms", er, ea, "alias/", a + 6);
        else
            build(l, part, "kms", er, ea, "key/", a);
    }
}

/* ---- which resource type an ARN is -------------------------------------------- */

/* Whether arn fits an ARN format of the catalog: literal text exactly,
 * each ${Placeholder} a non-empty run without ':' (and without '/' unless
 * it is the format's last placeholder and not a bucket name). */
static int fits(const char *fmt, const char *arn)
{
    if (!*fmt)
        return !*arn;
    if (fmt[0] == '$' && fmt[1] == '{') {
        const char *close = strchr(fmt, '}');
        if (!close)
            return 0;
        const char *rest = close + 1;
        int last = strstr(rest, "${") == NULL;
        int bucket = strstr(fmt, "Bucket") && strstr(fmt, "Bucket") < close;
        int slash_ok = last && !bucket;
        for (size_t n = 1; arn[n - 1]; n++) {
            char c = arn[n - 1];
            if (c == ':' && !(last && !*rest))
                break;
            if (c == '/' && !slash_ok)
                break;
            if (fits(rest, arn + n))
                return 1;
        }
        return 0;
    }
    return *fmt == *arn && fits(fmt + 1, arn + 1);
}

static int action_fits(const gen_observed *o, const gen_action *a, const char *arn)
{
    for (const char *p = a->resources; *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char type[128];
        snprintf(type, sizeof type, "%.*s", (int)(n < 127 ? n : 127), p);
        size_t tn = strlen(type);
        if (tn && type[tn - 1] == '*')
            type[tn - 1] = '\0';
        const char *fmt = gen_catalog_arn(o->cat, a->prefix, type);
        if (fmt && fits(fmt, arn))
            return 1;
        if (!e)
            break;
        p = e + 1;
    }
    return 0;
}

static void act_add(obs_act *x, const char *arn)
{
    for (size_t i = 0; i < x->n; i++)
        if (strcmp(x->arns[i], arn) == 0)
            return;
    if (x->n == x->a)
        x->arns = tt_xrealloc(x->arns, (x->a = x->a ? x->a * 2 : 8) * sizeof *x->arns);
    x->arns[x->n++] = tt_xstrdup(arn);
}

void gen_observed_add(gen_observed *o, const gen_action *const *acts, size_t n, const char *rec, size_t len)
{
    arnlist l;
    memset(&l, 0, sizeof l);
    record_arns(rec, len, &l);
    for (size_t i = 0; i < n; i++) {
        size_t k = gen_authz_index(o->cat, acts[i]);
        if (k >= o->ncat || !acts[i]->resources[0])
            continue;
        int any = 0;
        for (size_t j = 0; j < l.n; j++)
            if (action_fits(o, acts[i], l.v[j])) {
                act_add(&o->acts[k], l.v[j]);
                any = 1;
            }
        if (!any)
            o->acts[k].star = 1;
    }
    for (size_t j = 0; j < l.n; j++)
        free(l.v[j]);
}

void gen_observed_fallback(gen_observed *o, const gen_action *const *acts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t k = gen_authz_index(o->cat, acts[i]);
        if (k < o->ncat && acts[i]->resources[0])
            o->acts[k].star = o->acts[k].unread = 1;
    }
}

/* ---- resource lists ------------------------------------------------------------- */

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The resource list of action k as one string of "\n"-separated entries
 * ("*" alone when unscoped). Owned. */
static char *resource_key(gen_observed *o, const gen_action *a, int *collapsed)
{
    size_t k = gen_authz_index(o->cat, a);
    obs_act *x = k < o->ncat ? &o->acts[k] : NULL;
    *collapsed = 0;
    if (!x || !a->resources[0] || x->star || x->n == 0)
        return tt_xstrdup("*");
    if (x->n > 1)
        qsort(x->arns, x->n, sizeof *x->arns, cmp_str);
    tt_buf b;
    tt_buf_init(&b, OBS_DOC_CAP);
    if (x->n > o->collapse_at) {
        size_t p = strlen(x->arns[0]);
        for (size_t i = 1; i < x->n; i++) { /* sorted: first and last bound the prefix */
            size_t j = 0;
            while (j < p && x->arns[i][j] == x->arns[0][j])
                j++;
            p = j;
        }
        /* never cut an escape ${*} in two */
        for (size_t j = 0; j < p; j++)
            if (x->arns[0][j] == '$' && j + 1 < p + 1 && x->arns[0][j + 1] == '{') {
                const char *close = strchr(x->arns[0] + j, '}');
                if (!close || (size_t)(close - x->arns[0]) >= p) {
                    p = j;
                    break;
                }
            }
        tt_buf_append(&b, x->arns[0], p);
        PUTS(&b, "*");
        *collapsed = 1;
    } else {
        for (size_t i = 0; i < x->n; i++) {
            if (i)
                PUTS(&b, "\n");
            tt_buf_append(&b, x->arns[i], strlen(x->arns[i]));
        }
    }
    return b.data;
}

void gen_observed_counts(const gen_observed *o, size_t *fallback, size_t *collapsed)
{
    *fallback = *collapsed = 0;
    for (size_t k = 0; k < o->ncat; k++) {
        *fallback += o->acts[k].star;
        *collapsed += !o->acts[k].star && o->acts[k].n > o->collapse_at;
    }
}

void gen_observed_describe(gen_observed *o, const gen_action *const *acts, size_t n, tt_buf *out)
{
    PUTS(out, "action\tresources\tnote\n");
    for (size_t i = 0; i < n; i++) {
        int dup = 0;
        for (size_t j = 0; j < i && !dup; j++)
            dup = acts[j] == acts[i];
        if (dup)
            continue;
        int col;
        char *key = resource_key(o, acts[i], &col);
        size_t k = gen_authz_index(o->cat, acts[i]);
        const obs_act *x = k < o->ncat ? &o->acts[k] : NULL;
        const char *note = !acts[i]->resources[0] ? "no resource-level permissions (the catalog lists no resource type)"
                           : x && x->unread ? "a source object is gone or changed: \"*\" kept"
                           : x && x->star   ? "a call named no resource this action can scope to: \"*\" kept"
                           : col            ? "more distinct ARNs than the threshold: collapsed to their common prefix"
                                            : "observed ARNs";
        for (char *p = key; *p; p++)
            if (*p == '\n')
                *p = ' ';
        char line[512];
        snprintf(line, sizeof line, "%s\t", acts[i]->full);
        tt_buf_append(out, line, strlen(line));
        tt_buf_append(out, key, strlen(key));
        PUTS(out, "\t");
        tt_buf_append(out, note, strlen(note));
        PUTS(out, "\n");
        free(key);
    }
}

/* ---- documents ------------------------------------------------------------------- */

typedef struct group {
    const char *prefix;
    char *key;
    const gen_action **acts;
    size_t n;
} group;

static int cmp_act(const void *x, const void *y)
{
    const gen_action *a = *(const gen_action *const *)x, *b = *(const gen_action *const *)y;
    return strcmp(a->full, b->full);
}

static void render_stmt(tt_buf *b, const group *g, size_t nth)
{
    char sid[160];
    size_t n = 0;
    sid[n++] = 'A', sid[n++] = 'l', sid[n++] = 'l', sid[n++] = 'o', sid[n++] = 'w';
    int up = 1;
    for (const char *p = g->prefix; *p && n < 120; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
            up = 1;
            continue;
        }
        sid[n++] = up && c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
        up = 0;
    }
    sid[n] = '\0';
    if (nth > 1)
        snprintf(sid + n, sizeof sid - n, "%zu", nth);
    PUTS(b, "    {\n      \"Sid\": ");
    gen_json_put_str(b, sid);
    PUTS(b, ",\n      \"Effect\": \"Allow\",\n      \"Action\": [");
    for (size_t i = 0; i < g->n; i++) {
        PUTS(b, i ? ",\n        " : "\n        ");
        gen_json_put_str(b, g->acts[i]->full);
    }
    PUTS(b, "\n      ],\n      \"Resource\": ");
    if (strcmp(g->key, "*") == 0) {
        gen_json_put_str(b, "*");
    } else {
        PUTS(b, "[");
        int first = 1;
        for (const char *p = g->key; *p;) {
            const char *e = strchr(p, '\n');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            char *one = tt_xstrndup(p, len);
            PUTS(b, first ? "\n        " : ",\n        ");
            gen_json_put_str(b, one);
            free(one);
            first = 0;
            p += len + (e ? 1 : 0);
        }
        PUTS(b, "\n      ]");
    }
    PUTS(b, "\n    }");
}

tt_status gen_observed_build(gen_observed *o, const gen_action *const *in, size_t n, char ***docs, size_t *ndocs,
                             tt_error *err)
{
    *docs = NULL;
    *ndocs = 0;
    tt_status st = TT_OK;
    const gen_action **acts = tt_xcalloc(n + 1, sizeof *acts);
    size_t na = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < na && acts[j] != in[i])
            j++;
        if (j == na)
            acts[na++] = in[i];
    }
    if (na > 1)
        qsort(acts, na, sizeof *acts, cmp_act);
    /* groups: consecutive actions of one prefix with the same resources */
    group *gs = tt_xcalloc(na + 1, sizeof *gs);
    size_t ng = 0;
    for (size_t i = 0; i < na; i++) {
        int col;
        char *key = resource_key(o, acts[i], &col);
        size_t g = ng;
        for (size_t k = 0; k < ng; k++)
            if (strcmp(gs[k].prefix, acts[i]->prefix) == 0 && strcmp(gs[k].key, key) == 0)
                g = k;
        if (g == ng) {
            gs[ng].prefix = acts[i]->prefix;
            gs[ng].key = key;
            gs[ng].acts = tt_xcalloc(na + 1, sizeof *gs[ng].acts);
            ng++;
        } else {
            free(key);
        }
        gs[g].acts[gs[g].n++] = acts[i];
    }
    char **out = tt_xcalloc(GEN_POLICY_MAX_DOCS + 1, sizeof *out);
    size_t nout = 0;
    tt_buf b;
    tt_buf_init(&b, OBS_DOC_CAP);
    static const char head[] = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n";
    static const char tail[] = "\n  ]\n}\n";
    size_t base = gen_policy_iam_size(head, sizeof head - 1) + gen_policy_iam_size(tail, sizeof tail - 1), cur = 0, in_doc = 0;
    for (size_t g = 0; g < ng && st == TT_OK; g++) {
        size_t nth = 1;
        for (size_t k = 0; k < g; k++)
            nth += strcmp(gs[k].prefix, gs[g].prefix) == 0;
        tt_buf s;
        tt_buf_init(&s, OBS_DOC_CAP);
        render_stmt(&s, &gs[g], nth);
        size_t z = gen_policy_iam_size(s.data, s.len) + 1;
        if (base + z > GEN_POLICY_MAX_CHARS)
            st = tt_fail(err, TT_ERR_LIMIT, "the statement for %s on its observed resources is %zu characters, "
                                            "over IAM's %d for a whole policy", gs[g].prefix, z, GEN_POLICY_MAX_CHARS);
        if (st == TT_OK && in_doc && base + cur + z > GEN_POLICY_MAX_CHARS) {
            tt_buf_append(&b, tail, sizeof tail - 1);
            out[nout++] = b.data;
            tt_buf_init(&b, OBS_DOC_CAP);
            in_doc = 0;
            cur = 0;
        }
        if (st == TT_OK && nout >= GEN_POLICY_MAX_DOCS)
            st = tt_fail(err, TT_ERR_LIMIT, "more than %d managed policies would be needed", GEN_POLICY_MAX_DOCS);
        if (st == TT_OK) {
            if (!in_doc)
                tt_buf_append(&b, head, sizeof head - 1);
            else
                PUTS(&b, ",\n");
            tt_buf_append(&b, s.data, s.len);
            in_doc = 1;
            cur += z;
        }
        tt_buf_free(&s);
    }
    if (st == TT_OK && in_doc) {
        tt_buf_append(&b, tail, sizeof tail - 1);
        out[nout++] = b.data;
    } else {
        tt_buf_free(&b);
    }
    for (size_t g = 0; g < ng; g++) {
        free(gs[g].key);
        free(gs[g].acts);
    }
    free(gs);
    free(acts);
    if (st != TT_OK) {
        for (size_t i = 0; i < nout; i++)
            free(out[i]);
        free(out);
        return st;
    }
    *docs = out;
    *ndocs = nout;
    return TT_OK;
}
