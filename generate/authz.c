/*
 * authz.c - gen_authz_parse (authz.h): the authorization-details file is
 * read into a DOM (jdom.h, over the strict scanner of json/json.h;
 * capped in bytes, depth and values), then each policy document is turned into
 * per-action flags over the catalog, once per policy, and every principal
 * ORs the flags of the policies that apply to it.
 */
#include "authz.h"
#include "cimap.h"

#include "common/mem.h"
#include "common/ttime.h"
#include "json/json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* ---- documents --------------------------------------------------------------- */

/* One parsed document: the file, or a URL-encoded policy decoded. */
typedef struct doc {
    char *text; /* owned copy for decoded documents, else NULL */
    const char *buf;
    size_t len;
    json_dom_node root;
    char *place; /* where it sits in the file (decoded documents), or NULL */
    size_t file_off;
} doc;

const json_dom_caps gen_authz_caps = {GEN_AUTHZ_MAX_NODES, GEN_AUTHZ_MAX_DEPTH,
                                      "more JSON values than the cap (GEN_AUTHZ_MAX_NODES)"};

/* Parses d->buf into d->root; one value and nothing after it. */
static tt_status parse_doc(doc *d, const char *name, tt_error *err)
{
    tt_error e;
    tt_status st = json_dom_parse(&d->root, d->buf, d->len, &gen_authz_caps, &e);
    if (st != TT_OK && d->place)
        return tt_fail(err, st, "%s: %s (byte %zu of the file), the decoded policy document: %s", name, d->place,
                       d->file_off, e.msg);
    if (st != TT_OK)
        return tt_fail(err, st, "%s: %s", name, e.msg);
    return TT_OK;
}

/* ---- the model -------------------------------------------------------------- */

/* Per-policy flags of a catalog action (ORed over statements/policies). */
enum { P_ALLOW = 1, P_ALLOW_UNCOND = 2, P_ALLOW_STAR = 4, P_NOREPO = 8, P_DENY_FULL = 16, P_DENY_PART = 32 };

typedef struct mpolicy {
    const char *arn, *name;
    const json_dom_node *doc; /* the default version's document, or NULL */
    size_t doc_off;
    uint8_t *flags;  /* computed on first use */
    size_t unknown;
} mpolicy;

typedef struct group {
    const char *name;
    const json_dom_node *n;
    uint8_t *flags;
    size_t npol, unknown, missing;
} group;

static const char GONE_POLICY[] = "attached managed policy", GONE_GROUP[] = "group",
                  GONE_BOUNDARY[] = "permissions boundary";

/* A policy or group that principals refer to and the file lacks. */
typedef struct gone {
    const char *what; /* "attached managed policy", "group", "permissions boundary" */
    const char *name; /* its ARN or name, borrowed from the file */
    size_t refs;      /* principals and groups that refer to it */
} gone;

struct gen_authz {
    const gen_catalog *cat;
    size_t ncat;
    const char *name;
    doc file;
    doc **decoded;
    size_t ndecoded, adecoded;
    mpolicy *pols;
    size_t npols;
    gen_cimap by_arn;
    group *groups;
    size_t ngroups;
    gen_cimap by_group;
    gen_authz_principal *prs;
    char **owned; /* strings the principals point to */
    size_t nowned, aowned;
    size_t nprs;
    uint8_t *match; /* scratch: one statement's actions */
    tt_error *err;
    gone *gones;    /* what principals refer to and the file lacks */
    size_t ngones, agones;
    char **warnings; /* owned: what the user should know about the file */
    size_t nwarnings, awarnings;
};

static const char *own(gen_authz *a, char *s)
{
    if (a->nowned == a->aowned)
        a->owned = tt_xrealloc(a->owned, (a->aowned = a->aowned ? a->aowned * 2 : 32) * sizeof *a->owned);
    return a->owned[a->nowned++] = s;
}

static tt_status bad(gen_authz *a, const doc *d, size_t off, const char *place, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Notes that something referred to is missing from the file, once per
 * name (the warnings list each once, with how often it was referred to). */
static void note_gone(gen_authz *a, const char *what, const char *name)
{
    for (size_t i = 0; i < a->ngones; i++)
        if (a->gones[i].what == what && strcmp(a->gones[i].name, name) == 0) {
            a->gones[i].refs++;
            return;
        }
    if (a->ngones == a->agones)
        a->gones = tt_xrealloc(a->gones, (a->agones = a->agones ? a->agones * 2 : 16) * sizeof *a->gones);
    a->gones[a->ngones++] = (gone){what, name, 1};
}

static void warn(gen_authz *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(gen_authz *a, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (a->nwarnings == a->awarnings)
        a->warnings = tt_xrealloc(a->warnings,
                                  (a->awarnings = a->awarnings ? a->awarnings * 2 : 8) * sizeof *a->warnings);
    a->warnings[a->nwarnings++] = tt_xstrdup(text);
}

/* A structural error at byte off of document d, with the JSON path. */
static tt_status bad(gen_authz *a, const doc *d, size_t off, const char *place, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    size_t line, col;
    if (d->place) {
        json_position(d->buf, off, &line, &col);
        return tt_fail(a->err, TT_ERR_FORMAT, "%s: %s (byte %zu of the file), in the decoded document at byte %zu (line %zu): %s",
                       a->name, d->place, d->file_off, off, line, what);
    }
    json_position(d->buf, off, &line, &col);
    return tt_fail(a->err, TT_ERR_FORMAT, "%s: byte %zu (line %zu, column %zu): %s: %s", a->name, off, line, col,
                   place, what);
}

size_t gen_authz_index(const gen_catalog *c, const gen_action *act)
{
    const gen_action *base = gen_catalog_at(c, 0);
    size_t i = (size_t)(act - base);
    return i < gen_catalog_count(c) && gen_catalog_at(c, i) == act ? i : (size_t)-1;
}

int gen_authz_glob(const char *p, const char *t)
{
    const char *star = NULL, *back = NULL;
    while (*t) {
        if (*p == '*') {
            star = ++p;
            back = t;
        } else if (*p && (*p == '?' || lower((unsigned char)*p) == lower((unsigned char)*t))) {
            p++;
            t++;
        } else if (star) {
            p = star;
            t = ++back;
        } else {
            return 0;
        }
    }
    while (*p == '*')
        p++;
    return *p == '\0';
}

/* ---- what CloudTrail can show ----------------------------------------------- */

/* Actions with no API call of their own: CloudTrail never records them
 * (iam:PassRole is checked when another call hands a role over), or
 * records only the connection, not the permission; and
 * sts:GetCallerIdentity, which needs no permission at all (a Deny cannot
 * stop it), so removing it changes nothing. Patterns, as in IAM. */
static const char *const permission_only[] = {
    "iam:PassRole", "sts:TagSession", "sts:SetSourceIdentity", "sts:SetContext",
    "execute-api:Invoke", "execute-api:ManageConnections", "rds-db:connect", "dsql:DbConnect*",
    "elasticfilesystem:Client*", "es:ESHttp*", "ssmmessages:*", "ec2messages:*",
    "neptune-db:*", "kafka-cluster:*", "cloudshell:*", "aws-portal:*", "ecr:GetAuthorizationToken",
    "iam:CreateServiceLinkedRole", "sts:GetCallerIdentity"};

/* Actions CloudTrail records only as data events, which a trail logs only
 * when configured to. S3 object-level actions are found by resource type. */
static const char *const data_events[] = {
    "s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads", "s3-object-lambda:*",
    "lambda:InvokeFunction", "lambda:InvokeFunctionUrl", "lambda:InvokeAsync",
    "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
    "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:Query", "dynamodb:Scan",
    "dynamodb:ConditionCheckItem", "dynamodb:PartiQL*", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
    "sns:Publish", "sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
    "kinesis:PutRecord", "kinesis:PutRecords", "kinesis:GetRecords", "kinesis:GetShardIterator",
    "kinesis:SubscribeToShard", "secretsmanager:BatchGetSecretValue"};

static int in_list(const char *const *list, size_t n, const char *full)
{
    for (size_t i = 0; i < n; i++)
        if (gen_authz_glob(list[i], full))
            return 1;
    return 0;
}

/* Whether a catalog resource list ("object*,bucket") names the type. */
static int has_resource(const char *list, const char *type)
{
    size_t tn = strlen(type);
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n && p[n - 1] == '*')
            n--;
        if (n == tn && strncmp(p, type, tn) == 0)
            return 1;
        if (!e)
            break;
        p = e + 1;
    }
    return 0;
}

gen_obs gen_authz_observability(const gen_action *a)
{
    if (in_list(permission_only, sizeof permission_only / sizeof *permission_only, a->full))
        return GEN_OBS_PERMISSION_ONLY;
    if (in_list(data_events, sizeof data_events / sizeof *data_events, a->full))
        return GEN_OBS_DATA_EVENT;
    if (strcmp(a->prefix, "s3") == 0 && has_resource(a->resources, "object"))
        return GEN_OBS_DATA_EVENT;
    return GEN_OBS_RECORDED;
}

/* ---- policy documents -------------------------------------------------------- */

/* Marks in a->match the catalog actions one pattern names. */
static void match_pattern(gen_authz *a, const char *pat, size_t *unknown)
{
    if (!strpbrk(pat, "*?")) {
        const gen_action *act = gen_catalog_find_full(a->cat, pat);
        if (act)
            a->match[gen_authz_index(a->cat, act)] = 1;
        else
            (*unknown)++;
        return;
    }
    const char *colon = strchr(pat, ':');
    size_t plen = colon ? (size_t)(colon - pat) : 0;
    int fixed = colon && !memchr(pat, '*', plen) && !memchr(pat, '?', plen);
    int any = 0;
    for (size_t i = 0; i < a->ncat; i++) {
        const gen_action *act = gen_catalog_at(a->cat, i);
        if (fixed && (strlen(act->prefix) != plen || strncasecmp(act->prefix, pat, plen) != 0))
            continue;
        if (gen_authz_glob(pat, act->full))
            a->match[i] = any = 1;
    }
    if (!any)
        (*unknown)++;
}

static tt_status eval_statement(gen_authz *a, const doc *d, const json_dom_node *st, const char *place, uint8_t *fl,
                                size_t *unknown)
{
    if (st->t != JSON_DOM_OBJ)
        return bad(a, d, st->off, place, "a statement must be an object");
    const char *effect = json_dom_get_str(st, "Effect");
    if (!effect || (strcmp(effect, "Allow") != 0 && strcmp(effect, "Deny") != 0))
        return bad(a, d, st->off, place, "a statement's Effect must be \"Allow\" or \"Deny\"");
    const json_dom_node *act = json_dom_get(st, "Action"), *nact = json_dom_get(st, "NotAction");
    if (!act == !nact)
        return bad(a, d, st->off, place, "a statement needs exactly one of Action and NotAction");
    const json_dom_node *pats = act ? act : nact;
    if (pats->t != JSON_DOM_STR && pats->t != JSON_DOM_ARR)
        return bad(a, d, pats->off, place, "Action must be a string or an array of strings");
    memset(a->match, 0, a->ncat);
    if (pats->t == JSON_DOM_STR)
        match_pattern(a, pats->s, unknown);
    for (size_t i = 0; pats->t == JSON_DOM_ARR && i < pats->nk; i++) {
        if (pats->kids[i].t != JSON_DOM_STR)
            return bad(a, d, pats->kids[i].off, place, "Action must be a string or an array of strings");
        match_pattern(a, pats->kids[i].s, unknown);
    }
    if (nact)
        for (size_t i = 0; i < a->ncat; i++)
            a->match[i] = !a->match[i];
    const json_dom_node *cond = json_dom_get(st, "Condition");
    int conditional = cond && !(cond->t == JSON_DOM_OBJ && cond->nk == 0) && cond->t != JSON_DOM_NULL;
    const json_dom_node *res = json_dom_get(st, "Resource");
    int star = !res && !json_dom_get(st, "NotResource");
    if (res && res->t == JSON_DOM_STR)
        star = strcmp(res->s, "*") == 0;
    else if (res && res->t == JSON_DOM_ARR)
        for (size_t i = 0; i < res->nk; i++)
            star |= res->kids[i].t == JSON_DOM_STR && strcmp(res->kids[i].s, "*") == 0;
    else if (res)
        return bad(a, d, res->off, place, "Resource must be a string or an array of strings");
    const char *sid = json_dom_get_str(st, "Sid");
    uint8_t add;
    if (effect[0] == 'A')
        add = P_ALLOW | (conditional ? 0 : P_ALLOW_UNCOND) | (star ? P_ALLOW_STAR : 0) |
              (sid && strncmp(sid, "NOREPO", 6) == 0 ? P_NOREPO : 0);
    else
        add = !conditional && star ? P_DENY_FULL : P_DENY_PART;
    for (size_t i = 0; i < a->ncat; i++)
        if (a->match[i])
            fl[i] |= add;
    return TT_OK;
}

static tt_status eval_doc(gen_authz *a, const doc *d, const json_dom_node *root, const char *place, uint8_t *fl,
                          size_t *unknown)
{
    if (root->t != JSON_DOM_OBJ)
        return bad(a, d, root->off, place, "a policy document must be an object");
    const json_dom_node *stmts = json_dom_get(root, "Statement");
    if (!stmts)
        return bad(a, d, root->off, place, "a policy document needs a Statement");
    if (stmts->t == JSON_DOM_OBJ)
        return eval_statement(a, d, stmts, place, fl, unknown);
    if (stmts->t != JSON_DOM_ARR)
        return bad(a, d, stmts->off, place, "Statement must be an object or an array");
    for (size_t i = 0; i < stmts->nk; i++) {
        tt_status st = eval_statement(a, d, &stmts->kids[i], place, fl, unknown);
        if (st != TT_OK)
            return st;
    }
    return TT_OK;
}

/* The document of a PolicyDocument member: an object as is, or a string
 * (URL-encoded JSON, as the CLI's older output and the raw API give it)
 * decoded and parsed. */
static tt_status policy_doc(gen_authz *a, const json_dom_node *n, const char *place, const doc **dout, const json_dom_node **rout)
{
    if (n->t == JSON_DOM_OBJ) {
        *dout = &a->file;
        *rout = n;
        return TT_OK;
    }
    if (n->t != JSON_DOM_STR)
        return bad(a, &a->file, n->off, place, "a policy document must be an object or a URL-encoded string");
    doc *d = tt_xcalloc(1, sizeof *d);
    if (a->ndecoded == a->adecoded)
        a->decoded = tt_xrealloc(a->decoded, (a->adecoded = a->adecoded ? a->adecoded * 2 : 8) * sizeof *a->decoded);
    a->decoded[a->ndecoded++] = d;
    size_t len = 0, at = 0;
    d->place = tt_xstrdup(place);
    d->file_off = n->off;
    d->text = json_dom_url_decode(n->s, &len, &at);
    if (!d->text)
        return bad(a, &a->file, n->off, place, "a bad %%-escape at character %zu of the URL-encoded policy document",
                   at);
    d->buf = d->text;
    d->len = len;
    tt_status st = parse_doc(d, a->name, a->err);
    *dout = d;
    *rout = &d->root;
    return st;
}

/* ---- the file ---------------------------------------------------------------- */

static tt_status mpolicy_flags(gen_authz *a, mpolicy *m, const uint8_t **out)
{
    *out = m->flags;
    if (m->flags)
        return TT_OK;
    m->flags = tt_xcalloc(a->ncat, 1);
    *out = m->flags;
    char place[600];
    snprintf(place, sizeof place, "Policies[] %.500s, its default version's Document", m->arn);
    const doc *d;
    const json_dom_node *r;
    tt_status st = policy_doc(a, m->doc, place, &d, &r);
    return st == TT_OK ? eval_doc(a, d, r, place, m->flags, &m->unknown) : st;
}

static void or_into(uint8_t *acc, const uint8_t *fl, size_t n)
{
    for (size_t i = 0; i < n; i++)
        acc[i] |= fl[i];
}

typedef struct tally {
    size_t npol, unknown, missing;
} tally;

/* Inline policies: list of {PolicyName, PolicyDocument}. */
static tt_status apply_inline(gen_authz *a, const json_dom_node *owner, const char *key, const char *who, uint8_t *acc,
                              tally *t)
{
    const json_dom_node *l = json_dom_get(owner, key);
    if (!l || l->t == JSON_DOM_NULL)
        return TT_OK;
    char place[700];
    snprintf(place, sizeof place, "%.500s.%s", who, key);
    if (l->t != JSON_DOM_ARR)
        return bad(a, &a->file, l->off, place, "must be an array");
    for (size_t i = 0; i < l->nk; i++) {
        const json_dom_node *pd = json_dom_get(&l->kids[i], "PolicyDocument");
        snprintf(place, sizeof place, "%.500s.%s[%zu]", who, key, i);
        if (!pd)
            return bad(a, &a->file, l->kids[i].off, place, "an inline policy needs a PolicyDocument");
        const doc *d;
        const json_dom_node *r;
        tt_status st = policy_doc(a, pd, place, &d, &r);
        if (st == TT_OK)
            st = eval_doc(a, d, r, place, acc, &t->unknown);
        if (st != TT_OK)
            return st;
        t->npol++;
    }
    return TT_OK;
}

static tt_status apply_attached(gen_authz *a, const json_dom_node *owner, const char *who, uint8_t *acc, tally *t)
{
    const json_dom_node *l = json_dom_get(owner, "AttachedManagedPolicies");
    if (!l || l->t == JSON_DOM_NULL)
        return TT_OK;
    if (l->t != JSON_DOM_ARR)
        return bad(a, &a->file, l->off, who, "AttachedManagedPolicies must be an array");
    for (size_t i = 0; i < l->nk; i++) {
        const char *arn = json_dom_get_str(&l->kids[i], "PolicyArn");
        if (!arn)
            return bad(a, &a->file, l->kids[i].off, who, "an attached policy needs a PolicyArn");
        mpolicy *m = gen_cimap_get(&a->by_arn, arn, "", 0);
        if (!m || !m->doc) {
            t->missing++;
            note_gone(a, GONE_POLICY, arn);
            continue;
        }
        const uint8_t *fl;
        tt_status st = mpolicy_flags(a, m, &fl);
        if (st != TT_OK)
            return st;
        or_into(acc, fl, a->ncat);
        t->npol++;
        t->unknown += m->unknown;
    }
    return TT_OK;
}

static tt_status group_flags(gen_authz *a, group *g, tally *t)
{
    if (!g->flags) {
        g->flags = tt_xcalloc(a->ncat, 1);
        char who[600];
        snprintf(who, sizeof who, "GroupDetailList[] %.500s", g->name);
        tally gt = {0, 0, 0};
        tt_status st = apply_inline(a, g->n, "GroupPolicyList", who, g->flags, &gt);
        if (st == TT_OK)
            st = apply_attached(a, g->n, who, g->flags, &gt);
        if (st != TT_OK)
            return st;
        g->npol = gt.npol;
        g->unknown = gt.unknown;
        g->missing = gt.missing;
    }
    t->npol += g->npol;
    t->unknown += g->unknown;
    t->missing += g->missing;
    return TT_OK;
}

/* The account field of an ARN, as an owned string ("" when absent). */
static char *arn_account(const char *arn)
{
    const char *p = arn;
    for (int i = 0; i < 4 && p; i++) {
        p = strchr(p, ':');
        p = p ? p + 1 : NULL;
    }
    const char *e = p ? strchr(p, ':') : NULL;
    return e ? tt_xstrndup(p, (size_t)(e - p)) : tt_xstrdup("");
}

static void finish_flags(uint8_t *acc, const uint8_t *bnd, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t f = acc[i], out = 0;
        if (f & P_ALLOW) {
            int inside = !bnd || ((bnd[i] & P_ALLOW) && !(bnd[i] & P_DENY_FULL));
            if (f & P_DENY_FULL)
                out |= GEN_AZ_DENIED;
            else if (!inside)
                out |= GEN_AZ_BOUNDARY;
            else
                out |= GEN_AZ_GRANTED;
            out |= (f & P_ALLOW_UNCOND) ? 0 : GEN_AZ_CONDITIONAL;
            out |= (f & P_ALLOW_STAR) ? 0 : GEN_AZ_SCOPED;
            out |= (f & P_NOREPO) ? GEN_AZ_NOREPO : 0;
        }
        out |= (f & P_DENY_PART) ? GEN_AZ_PARTIAL_DENY : 0;
        acc[i] = out;
    }
}

static tt_status add_principal(gen_authz *a, const json_dom_node *n, int user, size_t idx)
{
    const char *list = user ? "UserDetailList" : "RoleDetailList";
    char who[700];
    snprintf(who, sizeof who, "%s[%zu]", list, idx);
    if (n->t != JSON_DOM_OBJ)
        return bad(a, &a->file, n->off, who, "must be an object");
    const char *name = json_dom_get_str(n, user ? "UserName" : "RoleName"), *arn = json_dom_get_str(n, "Arn");
    if (!name || !arn)
        return bad(a, &a->file, n->off, who, "needs %s and Arn strings", user ? "UserName" : "RoleName");
    snprintf(who, sizeof who, "%s[%zu] (%.500s)", list, idx, name);
    gen_authz_principal *p = &a->prs[a->nprs];
    memset(p, 0, sizeof *p);
    p->arn = arn;
    p->name = name;
    p->kind = user ? "user" : "role";
    p->account = own(a, arn_account(arn));
    const json_dom_node *cd = json_dom_get(n, "CreateDate");
    if (cd && cd->t == JSON_DOM_STR && tt_time_parse_aws(cd->s, strlen(cd->s), &p->created_ms) != 0)
        return bad(a, &a->file, cd->off, who,
                   "CreateDate \"%.40s\" is not a time with a zone (e.g. 2023-03-09T10:41:45Z or "
                   "2023-03-09 10:41:45+00:00)", cd->s);
    uint8_t *acc = tt_xcalloc(a->ncat, 1);
    own(a, (char *)acc);
    p->acts = acc;
    a->nprs++;
    tally t = {0, 0, 0};
    tt_status st = apply_inline(a, n, user ? "UserPolicyList" : "RolePolicyList", who, acc, &t);
    if (st == TT_OK)
        st = apply_attached(a, n, who, acc, &t);
    const json_dom_node *gl = user ? json_dom_get(n, "GroupList") : NULL;
    if (st == TT_OK && gl && gl->t != JSON_DOM_ARR && gl->t != JSON_DOM_NULL)
        st = bad(a, &a->file, gl->off, who, "GroupList must be an array of group names");
    for (size_t i = 0; st == TT_OK && gl && gl->t == JSON_DOM_ARR && i < gl->nk; i++) {
        if (gl->kids[i].t != JSON_DOM_STR) {
            st = bad(a, &a->file, gl->kids[i].off, who, "GroupList must be an array of group names");
            break;
        }
        group *g = gen_cimap_get(&a->by_group, gl->kids[i].s, "", 0);
        if (!g) {
            t.missing++;
            note_gone(a, GONE_GROUP, gl->kids[i].s);
            continue;
        }
        st = group_flags(a, g, &t);
        if (st == TT_OK)
            or_into(acc, g->flags, a->ncat);
    }
    const uint8_t *bnd = NULL;
    const char *barn = json_dom_get_str(json_dom_get(n, "PermissionsBoundary"), "PermissionsBoundaryArn");
    if (st == TT_OK && barn) {
        p->boundary = barn;
        mpolicy *m = gen_cimap_get(&a->by_arn, barn, "", 0);
        if (m && m->doc) {
            st = mpolicy_flags(a, m, &bnd);
        } else {
            t.missing++;
            note_gone(a, GONE_BOUNDARY, barn);
        }
    }
    if (st != TT_OK)
        return st;
    finish_flags(acc, bnd, a->ncat);
    p->npolicies = t.npol;
    p->unknown = t.unknown;
    p->missing = t.missing;
    return TT_OK;
}

static tt_status load_policies(gen_authz *a, const json_dom_node *root)
{
    const json_dom_node *pl = json_dom_get(root, "Policies");
    if (!pl || pl->t == JSON_DOM_NULL)
        return TT_OK;
    if (pl->t != JSON_DOM_ARR)
        return bad(a, &a->file, pl->off, "Policies", "must be an array");
    a->pols = tt_xcalloc(pl->nk ? pl->nk : 1, sizeof *a->pols);
    for (size_t i = 0; i < pl->nk; i++) {
        const json_dom_node *p = &pl->kids[i];
        char place[64];
        snprintf(place, sizeof place, "Policies[%zu]", i);
        const char *arn = json_dom_get_str(p, "Arn");
        if (!arn)
            return bad(a, &a->file, p->off, place, "a managed policy needs an Arn");
        mpolicy *m = &a->pols[a->npols++];
        m->arn = arn;
        m->name = json_dom_get_str(p, "PolicyName");
        const json_dom_node *vl = json_dom_get(p, "PolicyVersionList");
        if (vl && vl->t != JSON_DOM_ARR && vl->t != JSON_DOM_NULL)
            return bad(a, &a->file, vl->off, place, "PolicyVersionList must be an array");
        for (size_t v = 0; vl && vl->t == JSON_DOM_ARR && v < vl->nk; v++) {
            const json_dom_node *def = json_dom_get(&vl->kids[v], "IsDefaultVersion");
            if (def && def->t == JSON_DOM_TRUE) {
                m->doc = json_dom_get(&vl->kids[v], "Document");
                if (!m->doc)
                    return bad(a, &a->file, vl->kids[v].off, place, "the default version has no Document");
                break;
            }
        }
        gen_cimap_put(&a->by_arn, arn, "", m);
    }
    return TT_OK;
}

static tt_status load_groups(gen_authz *a, const json_dom_node *root)
{
    const json_dom_node *gl = json_dom_get(root, "GroupDetailList");
    if (!gl || gl->t == JSON_DOM_NULL)
        return TT_OK;
    if (gl->t != JSON_DOM_ARR)
        return bad(a, &a->file, gl->off, "GroupDetailList", "must be an array");
    a->groups = tt_xcalloc(gl->nk ? gl->nk : 1, sizeof *a->groups);
    for (size_t i = 0; i < gl->nk; i++) {
        const char *name = json_dom_get_str(&gl->kids[i], "GroupName");
        if (!name) {
            char place[64];
            snprintf(place, sizeof place, "GroupDetailList[%zu]", i);
            return bad(a, &a->file, gl->kids[i].off, place, "a group needs a GroupName");
        }
        group *g = &a->groups[a->ngroups++];
        g->name = name;
        g->n = &gl->kids[i];
        gen_cimap_put(&a->by_group, name, "", g);
    }
    return TT_OK;
}

static tt_status load_principals(gen_authz *a, const json_dom_node *root)
{
    const json_dom_node *ul = json_dom_get(root, "UserDetailList"), *rl = json_dom_get(root, "RoleDetailList");
    if (ul && ul->t != JSON_DOM_ARR && ul->t != JSON_DOM_NULL)
        return bad(a, &a->file, ul->off, "UserDetailList", "must be an array");
    if (rl && rl->t != JSON_DOM_ARR && rl->t != JSON_DOM_NULL)
        return bad(a, &a->file, rl->off, "RoleDetailList", "must be an array");
    size_t nu = ul && ul->t == JSON_DOM_ARR ? ul->nk : 0, nr = rl && rl->t == JSON_DOM_ARR ? rl->nk : 0;
    a->prs = tt_xcalloc(nu + nr + 1, sizeof *a->prs);
    for (size_t i = 0; i < nu + nr; i++) {
        tt_status st = add_principal(a, i < nu ? &ul->kids[i] : &rl->kids[i - nu], i < nu, i < nu ? i : i - nu);
        if (st != TT_OK)
            return st;
    }
    return TT_OK;
}

/* How many missing names are listed one by one; the rest are counted. */
#define GONE_LISTED 10

/* The warnings about the file as a whole: one page of a paginated output,
 * policies and groups the principals refer to that it lacks. */
static void file_warnings(gen_authz *a)
{
    const json_dom_node *tr = json_dom_get(&a->file.root, "IsTruncated");
    if (tr && tr->t == JSON_DOM_TRUE) {
        const char *marker = json_dom_get_str(&a->file.root, "Marker");
        warn(a, "%s: \"IsTruncated\": true: the file is one page of the API's output%s%.80s%s; the users, "
                "roles, groups and policies of the other pages are not in it and not judged (the AWS CLI "
                "fetches every page unless --max-items or --no-paginate is given)",
             a->name, marker ? " (next Marker \"" : "", marker ? marker : "", marker ? "\")" : "");
    }
    size_t listed = 0, rest = 0;
    for (size_t i = 0; i < a->ngones; i++) {
        const gone *g = &a->gones[i];
        if (listed++ >= GONE_LISTED) {
            rest++;
            continue;
        }
        const char *effect = g->what == GONE_BOUNDARY
            ? "the boundary is not applied: actions it would block may be called unused"
            : "what it grants is not counted (nothing of it is called unused)";
        warn(a, "%s: %s %.300s (referred to by %zu principal%s or group%s) is not in the file: %s", a->name,
             g->what, g->name, g->refs, g->refs == 1 ? "" : "s", g->refs == 1 ? "" : "s", effect);
    }
    if (rest)
        warn(a, "%s: and %zu more policies, groups or boundaries the principals refer to are not in the file",
             a->name, rest);
}

size_t gen_authz_warnings(const gen_authz *a, const char *const **out)
{
    *out = (const char *const *)a->warnings;
    return a->nwarnings;
}

tt_status gen_authz_parse(gen_authz **out, const gen_catalog *c, const char *json, size_t len, const char *name,
                          tt_error *err)
{
    *out = NULL;
    if (len > GEN_AUTHZ_MAX_BYTES)
        return tt_fail(err, TT_ERR_LIMIT, "%s: %zu bytes, more than the cap of %u (GEN_AUTHZ_MAX_BYTES)", name, len,
                       GEN_AUTHZ_MAX_BYTES);
    gen_authz *a = tt_xcalloc(1, sizeof *a);
    a->cat = c;
    a->ncat = gen_catalog_count(c);
    a->name = own(a, tt_xstrdup(name));
    a->err = err;
    a->match = tt_xmalloc(a->ncat ? a->ncat : 1);
    gen_cimap_init(&a->by_arn);
    gen_cimap_init(&a->by_group);
    a->file.buf = json;
    a->file.len = len;
    tt_status st = parse_doc(&a->file, name, err);
    if (st == TT_OK && a->file.root.t != JSON_DOM_OBJ)
        st = bad(a, &a->file, a->file.root.off, "the document",
                 "not the output of aws iam get-account-authorization-details (an object)");
    if (st == TT_OK && !json_dom_get(&a->file.root, "UserDetailList") && !json_dom_get(&a->file.root, "RoleDetailList"))
        st = bad(a, &a->file, 0, "the document",
                 "has neither UserDetailList nor RoleDetailList: not the output of aws iam get-account-authorization-details");
    if (st == TT_OK)
        st = load_policies(a, &a->file.root);
    if (st == TT_OK)
        st = load_groups(a, &a->file.root);
    if (st == TT_OK)
        st = load_principals(a, &a->file.root);
    if (st == TT_OK)
        file_warnings(a);
    a->err = NULL;
    if (st != TT_OK) {
        gen_authz_free(a);
        return st;
    }
    *out = a;
    return TT_OK;
}

void gen_authz_free(gen_authz *a)
{
    if (!a)
        return;
    json_dom_free(&a->file.root);
    for (size_t i = 0; i < a->ndecoded; i++) {
        json_dom_free(&a->decoded[i]->root);
        free(a->decoded[i]->text);
        free(a->decoded[i]->place);
        free(a->decoded[i]);
    }
    free(a->decoded);
    for (size_t i = 0; i < a->npols; i++)
        free(a->pols[i].flags);
    free(a->pols);
    for (size_t i = 0; i < a->ngroups; i++)
        free(a->groups[i].flags);
    free(a->groups);
    gen_cimap_free(&a->by_arn);
    gen_cimap_free(&a->by_group);
    free(a->gones);
    for (size_t i = 0; i < a->nwarnings; i++)
        free(a->warnings[i]);
    free(a->warnings);
    for (size_t i = 0; i < a->nowned; i++)
        free(a->owned[i]);
    free(a->owned);
    free(a->prs);
    free(a->match);
    free(a);
}

size_t gen_authz_count(const gen_authz *a)
{
    return a->nprs;
}

const gen_authz_principal *gen_authz_at(const gen_authz *a, size_t i)
{
    return &a->prs[i];
}
