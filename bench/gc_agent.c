/*
 * gc_agent.c - userAgent strings (SDK, CLI, console, Terraform, services),
 * which age with the corpus: older days carry older client versions. Also
 * the eventName of a record and the CLI command derived from it.
 */
#include "gc.h"

/* Index 0 is the newest; one step per 20 days back. */
static const char *cli_ver[] = {"2.22.4 md/awscrt#0.22.0", "2.19.1 md/awscrt#0.21.2",
                                "2.18.10 md/awscrt#0.21.2", "2.17.52 md/awscrt#0.20.11",
                                "2.17.20 md/awscrt#0.20.11"};
static const char *boto_ver[] = {"1.35.63", "1.35.45", "1.35.24", "1.35.10", "1.34.162"};
static const char *go_ver[] = {"1.32.4", "1.32.2", "1.31.0", "1.30.5", "1.30.3"};
static const char *tf_ver[] = {"1.9.8", "1.9.8", "1.9.7", "1.9.5", "1.9.2"};

static int age_band(int64_t t)
{
    int d = gc_days_before_end(t) / 20;
    return d < 0 ? 0 : d > 4 ? 4 : d;
}

/* "s3.amazonaws.com" -> "s3"; sets *n. */
static const char *svc_prefix(const char *src, size_t *n)
{
    const char *dot = strchr(src, '.');
    *n = dot ? (size_t)(dot - src) : strlen(src);
    return src;
}

void gc_kebab(gc_buf *b, const char *camel)
{
    for (const char *s = camel; *s; s++) {
        char c = *s;
        if (c >= '0' && c <= '9')
            break;
        if (c >= 'A' && c <= 'Z') {
            if (s != camel)
                gc_putc(b, '-');
            c = (char)(c - 'A' + 'a');
        }
        gc_putc(b, c);
    }
}

const char *gc_event_name(const gc_ev *e)
{
    if ((e->a->flags & F_RENAMED) && gc_days_before_end(e->t) < 30)
        return "UpdateFunctionCode";
    return e->a->name;
}

static void cli_command(gc_buf *b, const gc_ev *e)
{
    size_t n;
    const char *src = svc_prefix(e->a->src, &n);
    if (n == 2 && memcmp(src, "s3", 2) == 0) {
        const char *nm = e->a->name;
        gc_raw(b, strstr(nm, "List") ? "s3.ls" : strstr(nm, "Object") ? "s3.cp" : "s3api.");
        if (!strstr(nm, "List") && !strstr(nm, "Object"))
            gc_kebab(b, nm);
        return;
    }
    if (n == 10 && memcmp(src, "monitoring", 10) == 0)
        gc_raw(b, "cloudwatch");
    else
        gc_put(b, src, n);
    gc_putc(b, '.');
    gc_kebab(b, gc_event_name(e));
}

static void ua_cli(gc_buf *b, const gc_ev *e, int github)
{
    GC_LIT(b, "aws-cli/");
    gc_raw(b, cli_ver[age_band(e->t)]);
    if (github)
        GC_LIT(b, " ua/2.0 os/linux#6.5.0-1025-azure md/arch#x86_64 lang/python#3.12.6 "
                  "md/pyimpl#CPython exec-env/GitHubActions cfg/retry-mode#standard "
                  "md/installer#exe md/distrib#ubuntu.22 md/prompt#off md/command#");
    else
        GC_LIT(b, " ua/2.0 os/linux#6.1.0-26-amd64 md/arch#x86_64 lang/python#3.12.6 "
                  "md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe "
                  "md/distrib#debian.12 md/prompt#off md/command#");
    cli_command(b, e);
}

static void ua_boto(gc_buf *b, const gc_ev *e)
{
    const char *v = boto_ver[age_band(e->t)];
    GC_LIT(b, "Boto3/");
    gc_raw(b, v);
    GC_LIT(b, " md/Botocore#");
    gc_raw(b, v);
    GC_LIT(b, " ua/2.0 os/linux#5.10.227-219.884.amzn2.x86_64 md/arch#x86_64 "
              "lang/python#3.12.7 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/");
    gc_raw(b, v);
}

static void ua_go(gc_buf *b, const gc_ev *e, int terraform)
{
    size_t n;
    const char *src = svc_prefix(e->a->src, &n);
    if (terraform) {
        GC_LIT(b, "APN/1.0 HashiCorp/1.0 Terraform/");
        gc_raw(b, tf_ver[age_band(e->t)]);
        GC_LIT(b, " (+https://www.terraform.io) terraform-provider-aws/5.76.0 "
                  "(+https://registry.terraform.io/providers/hashicorp/aws) ");
    }
    GC_LIT(b, "aws-sdk-go-v2/");
    gc_raw(b, go_ver[age_band(e->t)]);
    GC_LIT(b, " ua/2.1 os/linux lang/go#1.23.3 md/GOOS#linux ");
    if (terraform)
        GC_LIT(b, "md/GOARCH#amd64 api/");
    else
        GC_LIT(b, "md/GOARCH#arm64 exec-env/AWS_Lambda_provided.al2023 api/");
    gc_put(b, src, n);
    GC_LIT(b, "#1.37.1");
}

static void ua_console(gc_buf *b, gc_rng *r, const gc_principal *p, const gc_ev *e)
{
    uint32_t k = gc_below(r, 100);
    if (!e->is_mint && k < 12) {
        GC_LIT(b, "AWS Internal");
    } else if (!e->is_mint && k < 18 && strcmp(e->a->src, "s3.amazonaws.com") == 0) {
        GC_LIT(b, "[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.750 "
                  "Linux/5.10.227-198.884.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.412-b09 "
                  "java/1.8.0_412 vendor/Oracle_Corporation cfg/retry-mode/standard]");
    } else if (!e->is_mint && k < 22) {
        GC_LIT(b, "console.amazonaws.com");
    } else if ((p->pid[5] & 1) == 0) {
        GC_LIT(b, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 "
                  "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36");
    } else {
        GC_LIT(b, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 "
                  "Firefox/132.0");
    }
}

static void ua_java(gc_buf *b)
{
    GC_LIT(b, "aws-sdk-java/2.28.16 Linux/5.15.0-1071-aws OpenJDK_64-Bit_Server_VM/"
              "17.0.12+7-LTS Java/17.0.12 vendor/Eclipse_Adoptium io/sync http/Apache "
              "cfg/retry-mode/legacy");
}

static void ua_for(gc_buf *b, gc_rng *r, const gc_principal *p, const gc_ev *e)
{
    switch (p->ua) {
    case UA_BOTO: ua_boto(b, e); break;
    case UA_GO: ua_go(b, e, 0); break;
    case UA_TERRAFORM: ua_go(b, e, 1); break;
    case UA_JAVA: ua_java(b); break;
    case UA_CONSOLE: ua_console(b, r, p, e); break;
    case UA_GITHUB:
        if (strcmp(e->a->src, "ecr.amazonaws.com") == 0)
            GC_LIT(b, "aws-sdk-js/3.687.0 ua/2.1 os/linux#6.5.0-1025-azure lang/js "
                      "md/nodejs#20.18.0 api/ecr#3.687.0");
        else
            ua_cli(b, e, 1);
        break;
    default: ua_cli(b, e, 0);
    }
}

void gc_user_agent(gc_buf *b, gc_rng *r, gc_world *w, const gc_ev *e, const char *svc)
{
    GC_LIT(b, ",\"userAgent\":\"");
    const gc_principal *p = &w->p[e->pi];
    const gc_principal *tg = e->is_mint ? &w->p[e->target] : p;
    int s3 = strcmp(e->a->src, "s3.amazonaws.com") == 0;
    if (svc) {
        gc_raw(b, svc);
    } else if (e->is_mint && tg->mint == MINT_SAML) {
        GC_LIT(b, "aws-internal/3 aws-sdk-java/1.12.772 Linux/5.10.228-198.882.amzn2int.x86_64 "
                  "OpenJDK_64-Bit_Server_VM/17.0.13+11-LTS java/17.0.13 "
                  "vendor/Amazon.com_Inc. cfg/retry-mode/standard");
    } else if (e->is_mint && tg->mint == MINT_WEBID) {
        GC_LIT(b, "configure-aws-credentials-for-github-actions");
    } else if (e->is_mint && tg->mint == MINT_CONSOLE) {
        ua_console(b, r, tg, e);
    } else {
        int wrap = s3 && p->ua != UA_CONSOLE;
        if (wrap)
            gc_putc(b, '[');
        ua_for(b, r, p, e);
        if (gc_chance(r, w->uniq_ua)) { /* a one-off build or wrapper */
            GC_LIT(b, " app/");
            gc_chars(b, r, GC_LOWER_NUM, 10);
        }
        if (wrap)
            gc_putc(b, ']');
    }
    gc_putc(b, '"');
}
