/*
 * trust_explain.c - trust_explain.h: per principal, the counts, first and
 * last use, source IPs, MFA, external IDs, source identities, session
 * tags, and for providers the subjects and audiences seen.
 */
#include "trust_explain.h"
#include "out.h"

#include "common/ttime.h"

#include <string.h>

static const char *const kind_names[GEN_TRUST_NKINDS] = {"aws", "oidc", "saml", "service"};

const char *trust_aws_label(const char *arn)
{
    size_t n = strlen(arn);
    if (n > 5 && strcmp(arn + n - 5, ":root") == 0)
        return "account";
    if (strstr(arn, ":user/"))
        return "user";
    if (strstr(arn, ":role/"))
        return "role";
    if (strstr(arn, ":federated-user/"))
        return "federated user";
    return "principal";
}

static void jkey(FILE *f, const char *k)
{
    out_json_str(f, k);
    fputs(": ", f);
}

static void jtime(FILE *f, const char *k, int64_t ms)
{
    char t[21];
    tt_time_format(ms, t);
    jkey(f, k);
    out_json_str(f, t);
    fputs(", ", f);
}

static void jnum(FILE *f, const char *k, int64_t v, const char *after)
{
    jkey(f, k);
    fprintf(f, "%lld%s", (long long)v, after);
}

static void jset(FILE *f, const char *k, const gen_trust_set *s, const char *after)
{
    jkey(f, k);
    fputc('[', f);
    for (size_t i = 0; i < s->kept; i++) {
        fputs(i ? ", " : "", f);
        out_json_str(f, s->v[i]);
    }
    fprintf(f, "]%s", after);
}

static void aws_details(FILE *f, const gen_trust *t, const gen_trust_role *r, const gen_trust_assumer *a)
{
    jkey(f, "type");
    out_json_str(f, trust_aws_label(a->principal));
    fprintf(f, ", \"same_account\": %s, ", strcmp(a->account, r->account) == 0 ? "true" : "false");
    fputs("\"mfa\": {", f);
    jnum(f, "yes", a->mfa_yes, ", ");
    jnum(f, "no", a->mfa_no, "}, ");
    fputs("\"external_id\": {", f);
    jnum(f, "with", a->with_external_id, ", ");
    jnum(f, "without", a->count - a->with_external_id, ", ");
    jset(f, "values", &a->external_ids, "}, ");
    jnum(f, "with_source_identity", a->with_source_identity, ", ");
    jset(f, "source_identities", &a->source_identities, ", ");
    fputs("\"session_tags\": {", f);
    jnum(f, "calls", a->with_tags, ", ");
    jnum(f, "transitive", a->transitive, ", ");
    jset(f, "keys", &a->tag_keys, "}, ");
    jset(f, "sessions", &a->callers, ", ");
    /* A role chain: who assumed the role that assumed this one. */
    const gen_trust_role *up = gen_trust_role_of(t, a->principal);
    fputs("\"assumed_by\": [", f);
    for (size_t i = 0; up && i < up->n; i++) {
        fputs(i ? ", " : "", f);
        out_json_str(f, up->as[i].principal);
    }
    fputs("], ", f);
}

static void provider_details(FILE *f, const gen_trust_assumer *a)
{
    jkey(f, "provider");
    out_json_str(f, gen_trust_provider_label(a->principal));
    fputs(", ", f);
    if (a->kind == GEN_TRUST_OIDC) {
        jkey(f, "issuer");
        out_json_str(f, gen_trust_issuer(a->principal));
        fputs(", ", f);
    }
    jset(f, "subjects", &a->subs, ", ");
    jset(f, "audiences", &a->auds, ", ");
}

static void assumer_json(FILE *f, const gen_trust *t, const gen_trust_role *r, const gen_trust_assumer *a)
{
    fputs("    {", f);
    jkey(f, "kind");
    out_json_str(f, kind_names[a->kind]);
    fputs(", ", f);
    jkey(f, "principal");
    out_json_str(f, a->principal);
    fputs(", ", f);
    jkey(f, "account");
    out_json_str(f, a->account);
    fputs(", ", f);
    if (a->kind == GEN_TRUST_AWS)
        aws_details(f, t, r, a);
    else if (a->kind != GEN_TRUST_SERVICE)
        provider_details(f, a);
    jnum(f, "assumptions", a->count, ", ");
    jtime(f, "first", a->first);
    jtime(f, "last", a->last);
    jset(f, "events", &a->names, ", ");
    fputs("\"source_ips\": {", f);
    jnum(f, "count", (int64_t)a->ips.n, ", ");
    jset(f, "values", &a->ips, "}}");
}

void trust_explain_json(FILE *f, const gen_trust *t, const gen_trust_role *r, int32_t from_day, int32_t to_day)
{
    char from[11], to[11];
    tt_day_format(from_day, from);
    tt_day_format(to_day, to);
    fputs("{\n  ", f);
    jkey(f, "role");
    out_json_str(f, r->arn);
    fprintf(f, ",\n  \"from\": \"%s\", \"to\": \"%s\",\n  ", from, to);
    jnum(f, "assumptions", r->count, ",\n  ");
    if (r->count) {
        jtime(f, "first", r->first);
        jtime(f, "last", r->last);
    }
    fputs("\"principals\": [\n", f);
    for (size_t i = 0; i < r->n; i++) {
        assumer_json(f, t, r, &r->as[i]);
        fputs(i + 1 < r->n ? ",\n" : "\n", f);
    }
    fputs("  ]\n}\n", f);
}

static void text_values(FILE *f, const char *what, const gen_trust_set *s)
{
    if (!s->kept)
        return;
    fprintf(f, "; %s:", what);
    for (size_t i = 0; i < s->kept && i < 5; i++) {
        fputc(' ', f);
        out_safe(f, s->v[i]);
    }
    if (s->n > 5)
        fprintf(f, " (+%zu)", s->n - 5);
}

void trust_explain_text(FILE *f, const gen_trust *t, const gen_trust_role *r)
{
    (void)t;
    fputs("trailtrim trust: ", f);
    out_safe(f, r->arn);
    fprintf(f, ": %lld assumptions by %zu principals\n", (long long)r->count, r->n);
    for (size_t i = 0; i < r->n; i++) {
        const gen_trust_assumer *a = &r->as[i];
        char first[21], last[21];
        tt_time_format(a->first, first);
        tt_time_format(a->last, last);
        fprintf(f, "  %s ", kind_names[a->kind]);
        out_safe(f, a->principal);
        fprintf(f, ": %lld times, %s .. %s, %zu source IPs", (long long)a->count, first, last, a->ips.n);
        if (a->kind == GEN_TRUST_AWS)
            fprintf(f, "; MFA %lld of %lld; external ID %lld of %lld", (long long)a->mfa_yes, (long long)a->count,
                    (long long)a->with_external_id, (long long)a->count);
        if (a->kind == GEN_TRUST_OIDC || a->kind == GEN_TRUST_SAML)
            fprintf(f, " (%s)", gen_trust_provider_label(a->principal));
        text_values(f, "sub", &a->subs);
        text_values(f, "aud", &a->auds);
        text_values(f, "source identity", &a->source_identities);
        text_values(f, "session tags", &a->tag_keys);
        fputc('\n', f);
    }
}

void trust_review_json(FILE *f, const gen_trust_review *v)
{
    fprintf(f, "{\"assumptions\": %lld, \"unseen\": [", (long long)v->assumptions);
    for (size_t i = 0; i < v->nunseen; i++) {
        fputs(i ? ", " : "", f);
        out_json_str(f, v->unseen[i]);
    }
    fputs("], \"findings\": [", f);
    for (size_t i = 0; i < v->n; i++) {
        fputs(i ? ",\n       " : "\n       ", f);
        fprintf(f, "{\"severity\": \"%s\", \"what\": ", gen_trust_sev_name(v->f[i].sev));
        out_json_str(f, v->f[i].what);
        fputs(", \"reason\": ", f);
        out_json_str(f, v->f[i].reason);
        fputc('}', f);
    }
    fputs("]}", f);
}

void trust_review_table(out *o, const un_result *res, size_t n)
{
    static const char *const cols[] = {"role", "severity", "about", "finding"};
    out_section(o, "trust findings", 4, cols);
    for (size_t i = 0; i < n; i++) {
        const gen_trust_review *v = res[i].trust;
        for (size_t k = 0; v && k < v->n; k++) {
            const char *text[4] = {res[i].p->arn, gen_trust_sev_name(v->f[k].sev), v->f[k].what, v->f[k].reason};
            out_row(o, text, NULL);
        }
    }
}
