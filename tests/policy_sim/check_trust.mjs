// check_trust.mjs - an independent check of trailtrim's trust policies (test
// only): @cloud-copilot/iam-simulate evaluates the trust policy as the role's
// resource policy. Every principal the report says assumed the role must be
// Allowed sts:AssumeRole* with what its calls carried (external ID, MFA,
// session tags, each OIDC sub x aud, SAML:aud); another account, another
// repository or service account, a wrong external ID or audience, another
// provider or service must not be.
//   node check_trust.mjs REPORT.json TRUST.json
// Prints "N allowed, M denied as expected" and exits 0, or lists failures and exits 1.
//
// iam-data lacks the keys of IAM OIDC providers (token.actions.
// githubusercontent.com:sub, oidc.eks...:aud): the simulator would drop them
// from the request. So each provider's ISSUER:sub/aud keys are renamed to
// accounts.google.com:sub/aud in the policy and in the request alike: the
// same StringEquals evaluation under a key the simulator knows.
import fs from "node:fs";
import { runSimulation } from "@cloud-copilot/iam-simulate";

const [reportPath, policyPath] = process.argv.slice(2);
const report = JSON.parse(fs.readFileSync(reportPath, "utf8"));
const policyText = fs.readFileSync(policyPath, "utf8");
const roleArn = report.role;
const account = roleArn.split(":")[4];
const OTHER = "210987654321";

function renameOidc(text, issuer) {
  return text.split(`"${issuer}:sub"`).join('"accounts.google.com:sub"').split(`"${issuer}:aud"`).join('"accounts.google.com:aud"');
}
let renamed = policyText;
for (const p of report.principals) if (p.kind === "oidc") renamed = renameOidc(renamed, p.issuer);
const trust = JSON.parse(renamed);
const anySts = { name: "caller", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:*", Resource: "*" }] } };

async function decide(principal, action, ctx, withIdentity) {
  const r = await runSimulation(
    {
      request: { principal, action, resource: { resource: roleArn, accountId: account }, contextVariables: ctx },
      identityPolicies: withIdentity ? [anySts] : [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: trust,
    },
    {},
  );
  if (r.resultType === "error") throw new Error(`${principal} ${action}: ${JSON.stringify(r.errors)}`);
  return r.overallResult === "Allowed";
}

const failures = [];
let nAllow = 0, nDeny = 0;
async function expect(allowed, what, principal, action, ctx, withIdentity = true) {
  const got = await decide(principal, action, ctx, withIdentity);
  if (got === allowed) allowed ? nAllow++ : nDeny++;
  else failures.push(`${what}: ${principal} ${action} ${JSON.stringify(ctx)}: ${got ? "Allowed" : "not Allowed"}, expected ${allowed ? "Allowed" : "denied"}`);
}

// An AWS principal as a caller: an account trusted as a whole is any role of it.
function caller(p) {
  return p.principal.endsWith(":root") ? `arn:aws:iam::${p.account}:role/any-role-of-the-account` : p.principal;
}
function elsewhere(arn) {
  return arn.replace(/^(arn:aws:[a-z]+::)\d{12}/, `$1${OTHER}`);
}

for (const p of report.principals) {
  if (p.kind === "aws") {
    const ctx = {};
    if (p.mfa.yes === p.assumptions) ctx["aws:MultiFactorAuthPresent"] = "true";
    if (p.session_tags.calls > 0) ctx["aws:TagKeys"] = p.session_tags.keys;
    const ids = p.external_id.with === p.assumptions ? p.external_id.values : [null];
    for (const id of ids) {
      const c = id ? { ...ctx, "sts:ExternalId": id } : ctx;
      await expect(true, "observed assumer", caller(p), "sts:AssumeRole", c);
      await expect(false, "the same name in another account", elsewhere(caller(p)), "sts:AssumeRole", c);
      if (id) await expect(false, "a wrong external ID", caller(p), "sts:AssumeRole", { ...ctx, "sts:ExternalId": id + "-wrong" });
    }
    if (p.mfa.yes === p.assumptions) await expect(false, "without MFA", caller(p), "sts:AssumeRole", { ...ctx, "aws:MultiFactorAuthPresent": "false", ...(ids[0] ? { "sts:ExternalId": ids[0] } : {}) });
  } else if (p.kind === "oidc") {
    for (const sub of p.subjects)
      for (const aud of p.audiences.length ? p.audiences : [undefined]) {
        const ctx = { "accounts.google.com:sub": sub, ...(aud ? { "accounts.google.com:aud": aud } : {}) };
        await expect(true, "observed web identity", p.principal, "sts:AssumeRoleWithWebIdentity", ctx, false);
        await expect(false, "another audience", p.principal, "sts:AssumeRoleWithWebIdentity", { ...ctx, "accounts.google.com:aud": "evil-client" }, false);
      }
    const aud = p.audiences[0];
    const base = aud ? { "accounts.google.com:aud": aud } : {};
    const intruder = p.provider === "GitHub Actions" ? "repo:evil/fork:ref:refs/heads/main" : p.provider === "EKS (IRSA)" ? "system:serviceaccount:evil:default" : "intruder";
    await expect(false, "another subject", p.principal, "sts:AssumeRoleWithWebIdentity", { ...base, "accounts.google.com:sub": intruder }, false);
    await expect(false, "another provider", elsewhere(p.principal), "sts:AssumeRoleWithWebIdentity", { ...base, "accounts.google.com:sub": p.subjects[0] }, false);
  } else if (p.kind === "saml") {
    for (const aud of p.audiences) await expect(true, "observed SAML", p.principal, "sts:AssumeRoleWithSAML", { "saml:aud": aud }, false);
    await expect(false, "another SAML:aud", p.principal, "sts:AssumeRoleWithSAML", { "saml:aud": "https://evil.example/saml" }, false);
    await expect(false, "another SAML provider", p.principal.replace(/saml-provider\/.*/, "saml-provider/Evil"), "sts:AssumeRoleWithSAML", { "saml:aud": p.audiences[0] }, false);
  } else if (p.kind === "service") {
    await expect(true, "observed service", p.principal, "sts:AssumeRole", {}, false);
  }
}
const services = report.principals.filter((p) => p.kind === "service").map((p) => p.principal);
if (!services.includes("ecs-tasks.amazonaws.com")) await expect(false, "another service", "ecs-tasks.amazonaws.com", "sts:AssumeRole", {}, false);
await expect(false, "an unrelated role", `arn:aws:iam::${OTHER}:role/intruder`, "sts:AssumeRole", {});
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`${nAllow} allowed, ${nDeny} denied as expected`);
