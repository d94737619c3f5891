import { runSimulation } from "@cloud-copilot/iam-simulate";
const trust = {Version:"2012-10-17",Statement:[{Effect:"Allow",Principal:{Federated:"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},Action:"sts:AssumeRoleWithWebIdentity",Condition:{StringEquals:{"token.actions.githubusercontent.com:sub":["repo:a/b"]}}},
{Effect:"Allow",Principal:{Service:["ec2.amazonaws.com"]},Action:"sts:AssumeRole"}]};
for (const [p, a, ctx] of [["arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com","sts:AssumeRoleWithWebIdentity",{"token.actions.githubusercontent.com:sub":"repo:a/b"}],
 ["arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com","sts:AssumeRoleWithWebIdentity",{"token.actions.githubusercontent.com:sub":"repo:x/y"}],
 ["ec2.amazonaws.com","sts:AssumeRole",{}],["ecs-tasks.amazonaws.com","sts:AssumeRole",{}]]) {
const r = await runSimulation({request:{principal:p,action:a,resource:{resource:"arn:aws:iam::111122223333:role/x",accountId:"111122223333"},contextVariables:ctx},identityPolicies:[],serviceControlPolicies:[],resourceControlPolicies:[],resourcePolicy:trust},{});
console.log(p, r.overallResult, JSON.stringify(r.result?.analysis?.resourceAnalysis).slice(0,1500));
}
