// check_repo_trust.mjs - an independent check of the trust policies `repo`
// narrows (test only): @cloud-copilot/iam-simulate evaluates a trust policy
// as the role's resource policy against listed requests, as check_trust.mjs
// does, each with the answer expected from the original document ("before")
// and from the narrowed one ("after"): the observed assumers are allowed by
// both, the principals and subjects repo dropped are allowed before and
// denied after.
//   node check_repo_trust.mjs CASES.json POLICY.json before|after
// CASES.json: {"role": ARN, "issuers": [OIDC issuers], "cases": [{"what",
// "principal", "action", "ctx", "before": bool, "after": bool}]}. An AWS
// principal is given an identity policy allowing sts:* (an account trusted
// as a whole delegates to it). OIDC keys are renamed to accounts.google.com
// as in check_trust.mjs (iam-data lacks the per-provider keys).
// Prints "N cases as expected" and exits 0, or lists failures and exits 1.
import fs from "node:fs";
import { runSimulation } from "@cloud-copilot/iam-simulate";

const [casesPath, policyPath, which] = process.argv.slice(2);
if (which !== "before" && which !== "after") {
  console.error("usage: node check_repo_trust.mjs CASES.json POLICY.json before|after");
  process.exit(2);
}
const spec = JSON.parse(fs.readFileSync(casesPath, "utf8"));
let text = fs.readFileSync(policyPath, "utf8");
const rename = (s, iss) =>
  s.split(`"${iss}:sub"`).join('"accounts.google.com:sub"').split(`"${iss}:aud"`).join('"accounts.google.com:aud"');
for (const iss of spec.issuers || []) text = rename(text, iss);
const trust = JSON.parse(text);
const account = spec.role.split(":")[4];
const anySts = { name: "caller", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:*", Resource: "*" }] } };

const failures = [];
for (const c of spec.cases) {
  const aws = c.principal.startsWith("arn:aws:iam::") && !c.principal.includes(":oidc-provider/") && !c.principal.includes(":saml-provider/");
  const r = await runSimulation(
    {
      request: { principal: c.principal, action: c.action, resource: { resource: spec.role, accountId: account }, contextVariables: c.ctx || {} },
      identityPolicies: aws ? [anySts] : [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: trust,
    },
    {},
  );
  if (r.resultType === "error") {
    failures.push(`${c.what}: ${JSON.stringify(r.errors)}`);
    continue;
  }
  const got = r.overallResult === "Allowed";
  if (got !== c[which]) failures.push(`${c.what} (${which}): ${c.principal} ${c.action} ${JSON.stringify(c.ctx || {})}: ${got ? "Allowed" : "not Allowed"}, expected ${c[which] ? "Allowed" : "denied"}`);
}
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`${spec.cases.length} cases as expected`);
