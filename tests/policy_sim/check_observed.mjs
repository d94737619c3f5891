// check_observed.mjs - an independent check of a policy trailtrim generated
// with --resources observed (test only): @cloud-copilot/iam-simulate, a
// separate IAM policy evaluator, must find each observed call Allowed on the
// ARN it touched (as the log named it, unescaped) and Denied on a different
// ARN of the same resource type (another bucket, table, queue...).
//   node check_observed.mjs CALLS.tsv POLICY.json [POLICY-2.json ...]
// TT_SIM_PRINCIPAL names the caller (default arn:aws:iam::111122223333:role/worker).
// CALLS.tsv: one call per line, "action<TAB>touched ARN<TAB>other ARN"; the
// touched ARN "*" is a call that names no resource, the other ARN "-" means
// no denial to check. iam-simulate reads a "*" in a request ARN as a
// wildcard (a request on many resources), so an ARN holding a literal "*"
// (bucket "data*") cannot be checked and is counted as skipped. KMS keys are
// given the default key policy, the one that lets IAM policies decide.
// Prints "N allowed, M denied as expected, K skipped" and exits 0, or lists
// failures and exits 1.
import fs from "node:fs";
import { runSimulation } from "@cloud-copilot/iam-simulate";

const [callsPath, ...policyPaths] = process.argv.slice(2);
if (!callsPath || policyPaths.length === 0) {
  console.error("usage: node check_observed.mjs CALLS.tsv POLICY.json [POLICY-2.json ...]");
  process.exit(2);
}
const policies = policyPaths.map((p, i) => ({ name: `p${i + 1}`, policy: JSON.parse(fs.readFileSync(p, "utf8")) }));
const calls = fs
  .readFileSync(callsPath, "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "" && !l.startsWith("#"))
  .map((l) => l.split("\t"));
// The caller: its own account, so that an ARN of that account is not a
// cross-account request (which needs the resource's own policy too).
const PRINCIPAL = process.env.TT_SIM_PRINCIPAL || "arn:aws:iam::111122223333:role/worker";
const keyPolicy = (account) => ({
  Version: "2012-10-17",
  Statement: [{ Sid: "EnableIamPolicies", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" }],
});

function accountOf(arn) {
  return (arn.split(":")[4] || "111122223333").padStart(12, "0");
}

// The evaluator's verdict: "Allowed", "ImplicitlyDenied" or "ExplicitlyDenied".
async function evaluate(action, resource) {
  const sim = {
    request: { principal: PRINCIPAL, action, resource: { resource, accountId: accountOf(resource) }, contextVariables: {} },
    identityPolicies: policies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  };
  if (action.toLowerCase().startsWith("kms:") && resource !== "*") sim.resourcePolicy = keyPolicy(accountOf(resource));
  const r = await runSimulation(sim, {});
  if (r.resultType === "error") throw new Error(`${action} on ${resource}: ${JSON.stringify(r.errors)}`);
  return r.overallResult;
}

const failures = [];
let nAllow = 0, nDeny = 0, nSkip = 0;
const checkable = (arn) => arn === "*" || !arn.includes("*");
for (const [action, touched, other] of calls) {
  if (!action || !touched || !other) {
    failures.push(`malformed line in ${callsPath}: ${[action, touched, other].join("\\t")}`);
    continue;
  }
  if (!checkable(touched)) nSkip++;
  else {
    const a = await evaluate(action, touched);
    if (a === "Allowed") nAllow++;
    else failures.push(`${action} on ${touched}: observed, but ${a}`);
  }
  if (other === "-") continue;
  if (!checkable(other)) {
    nSkip++;
    continue;
  }
  const d = await evaluate(action, other);
  if (d === "Allowed") failures.push(`${action} on ${other}: never touched, but Allowed`);
  else nDeny++;
}
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`${nAllow} allowed, ${nDeny} denied as expected, ${nSkip} skipped`);
