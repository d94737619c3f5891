/*
 * gc.h - internals of trailtrim-gencorpus, the synthetic CloudTrail corpus
 * generator behind bench/ and sample-logs/. Nothing outside bench/ includes
 * it. Modules: gc_buf (bytes, JSON text, time), gc_world (accounts,
 * principals, jobs), gc_event/gc_params (one record), gc_plan (objects in
 * time), gc_out (files, gzip, digests, manifest).
 */
#ifndef GC_H
#define GC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* ---- PRNG: xoshiro256** seeded through splitmix64 ---------------------- */

typedef struct gc_rng {
    uint64_t s[4];
} gc_rng;

void gc_rng_seed(gc_rng *r, uint64_t seed);

static inline uint64_t gc_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t gc_next(gc_rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = gc_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = gc_rotl(s[3], 45);
    return out;
}

/* Uniform in [0, n); n > 0. */
static inline uint32_t gc_below(gc_rng *r, uint32_t n)
{
    return (uint32_t)(((gc_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [0, 1). */
static inline double gc_unit(gc_rng *r)
{
    return (double)(gc_next(r) >> 11) * 0x1.0p-53;
}

static inline int gc_chance(gc_rng *r, double p)
{
    return gc_unit(r) < p;
}

/* ---- growable byte buffer and JSON text ------------------------------- */

typedef struct gc_buf {
    char *p;
    size_t n, cap;
} gc_buf;

/* Makes room for `need` more bytes; aborts with a message when out of
 * memory. */
void gc_buf_grow(gc_buf *b, size_t need);
void gc_buf_free(gc_buf *b);

static inline void gc_put(gc_buf *b, const char *s, size_t n)
{
    if (n == 0)
        return;
    if (b->cap - b->n < n)
        gc_buf_grow(b, n);
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static inline void gc_putc(gc_buf *b, char c)
{
    if (b->cap == b->n)
        gc_buf_grow(b, 1);
    b->p[b->n++] = c;
}

/* Appends a string literal without its NUL. */
#define GC_LIT(b, s) gc_put((b), "" s, sizeof(s) - 1)

void gc_raw(gc_buf *b, const char *s);             /* text as is */
void gc_jstr(gc_buf *b, const char *s);            /* "quoted", escaped */
void gc_jesc(gc_buf *b, const char *s);            /* escaped, no quotes */
void gc_u64(gc_buf *b, uint64_t v);                /* decimal */
void gc_chars(gc_buf *b, gc_rng *r, const char *set, int n);
void gc_hex(gc_buf *b, gc_rng *r, int n);          /* n lowercase hex */
void gc_uuid_raw(gc_buf *b, gc_rng *r);            /* v4, unquoted */
void gc_uuid(gc_buf *b, gc_rng *r);                /* v4, quoted */
void gc_time_raw(gc_buf *b, int64_t t);            /* YYYY-MM-DDTHH:MM:SSZ */
void gc_time(gc_buf *b, int64_t t);                /* same, quoted */
void gc_expiration(gc_buf *b, int64_t t);          /* "Nov 20, 2026, 8:43:17 PM" */

/* Character sets for gc_chars. */
extern const char GC_UPPER_NUM[];  /* A-Z0-9 */
extern const char GC_B32[];        /* A-Z2-7, access key bodies */
extern const char GC_ALNUM[];      /* A-Za-z0-9 */
extern const char GC_LOWER_NUM[];  /* a-z0-9 */
extern const char GC_B64[];        /* A-Za-z0-9+/ */

/* ---- calendar (no gmtime) --------------------------------------------- */

typedef struct gc_tm {
    int year, mon, day, hour, min, sec, wday; /* mon 1-12, wday 0=Sunday */
} gc_tm;

void gc_civil(int64_t t, gc_tm *out);
int64_t gc_epoch(int year, int mon, int day);

/* By default the corpus ends here (2026-11-20T00:00:00Z) and spans this many
 * days; --start and --days move it (gc_period_set, once, before anything
 * else runs: every age band and burst is measured from gc_period_end). */
#define GC_END_YEAR 2026
#define GC_END_MON 11
#define GC_END_DAY 20
#define GC_SPAN_DAYS 100

extern int64_t gc_period_end;  /* epoch seconds of the corpus end */
extern int gc_period_days;     /* days the corpus spans */
void gc_period_set(int64_t end, int days);

/* ---- the world: accounts, principals, what each one does -------------- */

enum gc_kind {
    K_NULL, K_S3_OBJ, K_S3_LIST, K_S3_BUCKETS, K_S3_BUCKET, K_DDB_ITEM,
    K_DDB_QUERY, K_DDB_TABLE, K_SQS, K_SQS_ATTR, K_SNS, K_KMS_DECRYPT,
    K_KMS_GDK, K_KMS_KEY, K_KMS_CT, K_SECRET, K_SSM, K_SSM_DESC,
    K_SSM_SESSION, K_LAMBDA_UPD, K_LAMBDA_FN, K_LAMBDA_INVOKE, K_ECR_AUTH,
    K_ECR_REPO, K_ECR_PUT, K_CFN_STACK, K_CFN_CS, K_EC2_DESC, K_EC2_RUN,
    K_EC2_STATE, K_EC2_TAGS, K_EC2_SG, K_IAM_USER, K_IAM_ROLE,
    K_IAM_ATTACH, K_IAM_PUTPOL, K_IAM_POLVER, K_CW_METRIC, K_CW_ALARMS,
    K_LOGS, K_LOGS_FILTER, K_CE, K_CT_DESC, K_SVC_ROTATE, K_SVC_BACKUP,
    K_GETCALLER, K_CONSOLE_LOGIN, K_STS_ASSUME, K_STS_SAML, K_STS_WEBID,
    K_STS_SESSION, K_STS_FED,
    K__COUNT
};

enum gc_aflag {
    F_RO = 1,       /* readOnly true */
    F_DATA = 2,     /* data event: managementEvent false, category Data */
    F_GLOBAL = 4,   /* global service: recorded in us-east-1 only */
    F_CFN = 8,      /* made by CloudFormation on the caller's behalf */
    F_RENAMED = 16, /* Lambda's 20150331v2 names lose the suffix lately */
    F_SVCEVENT = 32 /* AwsServiceEvent */
};

typedef struct gc_action {
    const char *src;  /* eventSource */
    const char *name; /* eventName */
    uint8_t kind;
    uint8_t flags;
    uint16_t w;
} gc_action;

typedef struct gc_job {
    const gc_action *a;
    int n;
    uint32_t total;
} gc_job;

enum gc_ptype { PT_IAMUSER, PT_ROLE, PT_ROOT, PT_FEDERATED, PT_SERVICE, PT_NOTYPE };

/* How a principal's temporary credentials come to be. */
enum gc_mint {
    MINT_NONE,          /* long-term AKIA key, no session */
    MINT_CONSOLE,       /* ConsoleLogin, then console calls */
    MINT_SESSION_TOKEN, /* sts GetSessionToken with MFA */
    MINT_ASSUME_USER,   /* sts AssumeRole by an IAM user (issuer) */
    MINT_ASSUME_SERVICE,/* sts AssumeRole by an AWS service */
    MINT_SAML,          /* sts AssumeRoleWithSAML (IAM Identity Center) */
    MINT_WEBID,         /* sts AssumeRoleWithWebIdentity (GitHub OIDC) */
    MINT_FEDTOKEN       /* sts GetFederationToken by an IAM user (issuer) */
};

enum gc_ua { UA_CLI, UA_BOTO, UA_GO, UA_JAVA, UA_JS, UA_CONSOLE, UA_TERRAFORM,
             UA_SERVICE, UA_GITHUB };

/* One concurrent credential holder of a principal: an EC2 instance, a
 * Lambda container, an SSO user, a CI runner. Each has its own temporary
 * key, session name and life; the principal's session fields below are a
 * copy of the slot in use (gc_gen.c loads and stores them). */
typedef struct gc_slot {
    char skey[24];
    char sname[64];
    char label[64];        /* instance id, function name, e-mail ... */
    int64_t s_created, s_expires;
    int32_t budget;        /* calls left before the credentials are replaced */
    uint32_t ip;           /* the holder's own address (0: the principal's) */
} gc_slot;

/* How a principal's sessions are named and replaced (gc_gen.c). */
enum gc_churn_kind { CH_PLAIN, CH_INSTANCE, CH_CONTAINER, CH_PERSON, CH_RUNNER, CH_TASK };

typedef struct gc_principal {
    int type, mint, ua, acct;
    int churn;             /* gc_churn_kind */
    int slot0, nslot;      /* its slots in gc_world.slot */
    double life_mult;      /* calls per session relative to the churn mean */
    const gc_job *job;
    double weight, err_mult;
    int issuer;            /* principal index of the IAM user that mints */
    const char *svc;       /* service that assumes the role / AWSService */
    const char *invoked_by;/* set on calls a service makes for this role */
    const char *path;      /* IAM path of a role, e.g. "aws-reserved/..." */
    int day_lo, day_hi;    /* active while days-before-end in [lo, hi) */
    int vpce;              /* calls to s3/dynamodb go through a VPC endpoint */
    uint32_t ip[3];        /* public addresses it calls from */
    char name[96];         /* userName, role name, federated name, service */
    char sess_label[64];   /* session name (email, user name ...) */
    char arn[192];
    char pid[24];          /* AIDA.../AROA... */
    char akia[24];
    /* session state, changed while generating */
    char skey[24];
    char sname[64];
    int64_t s_created, s_expires;
    uint32_t slot_ip;      /* the slot's own address, 0 if none */
} gc_principal;

enum gc_delivery { DLV_ACCOUNT = 1, DLV_ORG = 2, DLV_BOTH = 3 };

typedef struct gc_account {
    char id[16];
    const char *env;
    int delivery;
    int nregions;
    const char *regions[4];
    double region_w[4];
    double weight;
    int p0, np;            /* principals [p0, p0+np) */
    double p_total;
    char buckets[5][64];
    char tables[4][48];
    char funcs[4][40];
    char queues[3][40];
    char secrets[3][56];
    char params[3][56];
    char repos[2][32];
    char stacks[3][40];
    char instances[6][24];
    char kms_key[40];
    char vpce[24];
    char saml_provider[64];
    char oidc_provider[96];
    char sso_idp[32];
} gc_account;

#define GC_MAX_ACCOUNTS 32
#define GC_MAX_PRINCIPALS 1024
#define GC_MAX_SLOTS 8192

typedef struct gc_world {
    gc_account acct[GC_MAX_ACCOUNTS];
    int nacct;
    gc_principal p[GC_MAX_PRINCIPALS];
    int np;
    gc_slot slot[GC_MAX_SLOTS];
    int nslot;
    char org_id[16];
    char org_bucket[64];
    char mgmt_id[16];
    /* the churn knob, set by the CLI after gc_world_build */
    double churn_mean;     /* mean calls per temporary session */
    double uniq_ip;        /* share of calls from a one-off address */
    double uniq_ua;        /* share of calls with a one-off user agent */
} gc_world;

/* Builds the accounts and principals for a seed: nacct accounts
 * (1..GC_MAX_ACCOUNTS; the first four are prod, staging, mgmt, sandbox).
 * Deterministic. */
void gc_world_build(gc_world *w, gc_rng *r, int nacct);

/* Picks a principal of account a active at t, and an action of its job
 * allowed in region; sets *pi and *act. */
void gc_world_pick(gc_world *w, gc_rng *r, int a, const char *region,
                   int64_t t, int *pi, const gc_action **act);

/* The action a minting principal performs (ConsoleLogin, AssumeRole ...). */
const gc_action *gc_mint_action(int mint);

/* ---- one event --------------------------------------------------------- */

enum { V10, V102, V105, V108, V109, V110 };

typedef struct gc_ev {
    int64_t t;
    int acct;
    const char *region;
    int pi;                /* principal index; caller for a mint */
    int target;            /* for a mint: the principal that gets the key */
    const gc_action *a;
    int ver;
    int is_mint;
    const char *gkey;      /* out: the principal key used to group */
    const char *gname;     /* out: the eventName written */
    uint64_t idh;          /* out: hash of the identity tuple (type, arn,
                              principalId, accessKeyId, session name) */
    int akia_pi;           /* out: principal whose long-term key was used, or -1 */
} gc_ev;

typedef struct gc_gen gc_gen;

/* Scratch parts of a record, filled by gc_params_build. */
typedef struct gc_parts {
    gc_buf req, resp, add, res, svc, tmp, arnb;
    const char *err_code;
    gc_buf err_msg;
    char host[128];
    int no_request_id;
    int request_id_style;  /* 0 uuid, 1 S3 16 hex, 2 DynamoDB 52 */
    int shared_event_id;
    int vpce;
} gc_parts;

void gc_parts_reset(gc_parts *pp);
void gc_parts_free(gc_parts *pp);

/* Writes one record (no separators) to b. */
void gc_event_write(gc_world *w, gc_rng *r, gc_parts *pp, gc_buf *b, gc_ev *e);

/* Fills requestParameters, responseElements, additionalEventData,
 * resources for e into pp. */
void gc_params_build(gc_world *w, gc_rng *r, gc_parts *pp, gc_ev *e);

/* Writes ,"userAgent":"..." for e; svc is the acting service or NULL. */
void gc_user_agent(gc_buf *b, gc_rng *r, gc_world *w, const gc_ev *e,
                   const char *svc);

/* Name helpers shared by gc_event and gc_params. */
int gc_days_before_end(int64_t t);
const char *gc_event_name(const gc_ev *e);
void gc_kebab(gc_buf *b, const char *camel);

#endif /* GC_H */
