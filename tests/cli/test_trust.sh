# test_trust.sh - `trailtrim trust`, `keys`, and the trust part of `unused`
# and `repo`, on tests/fixtures/trust/ (CloudTrail's delivery format, built
# by tests/fixtures/make-trust-fixtures.py): every principal, condition
# value and finding is asserted; each trust policy is checked by
# @cloud-copilot/iam-simulate (tests/policy_sim/check_trust.mjs) when node
# and npm are there.
. "$(dirname "$0")/lib.sh"
have jq || { echo "SKIP: jq is needed" >&2; exit 77; }
FIX="$TT_SOURCE_DIR/tests/fixtures/trust"
W="--until 2026-11-01 --days 90"
A=111122223333

tt ingest -q "$FIX/logs"
expect_rc 0 "ingest the trust fixtures"

# tj ROLE JQ what : the trust policy of ROLE on stdout satisfies JQ.
tj() {
    tt trust "$1" $W --report "$WORK/$1.report.json"
    expect_rc 0 "trust $1"
    jq -e "$2" "$OUT" >/dev/null && ok || bad "$3: $(tr -d '\n ' <"$OUT" | head -c 400)"
}
# rj ROLE JQ what : its --report satisfies JQ.
rj() { jq -e "$2" "$WORK/$1.report.json" >/dev/null && ok || bad "$3: $(head -c 600 "$WORK/$1.report.json")"; }

# GitHub Actions: exactly the two repositories' main branch; the fork's failed try is not trusted.
tj gha-deploy '.Statement | length == 1 and .[0].Principal.Federated == ["arn:aws:iam::'$A':oidc-provider/token.actions.githubusercontent.com"]
  and .[0].Action == ["sts:AssumeRoleWithWebIdentity"]
  and .[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] == ["repo:acme/app:ref:refs/heads/main","repo:acme/infra:ref:refs/heads/main"]
  and .[0].Condition.StringEquals["token.actions.githubusercontent.com:aud"] == ["sts.amazonaws.com"]
  and (.[0].Condition | keys) == ["StringEquals"]' "GitHub OIDC sub and aud"
rj gha-deploy '.assumptions == 5 and (.principals | length) == 1 and .principals[0].provider == "GitHub Actions"
  and .principals[0].issuer == "token.actions.githubusercontent.com" and .principals[0].assumptions == 5
  and .principals[0].first == "2026-10-02T10:00:00Z" and .principals[0].last == "2026-10-21T10:04:00Z"
  and .principals[0].source_ips.count == 5' "GitHub explanation"
grep -q 'evil/fork' "$OUT" && bad "the fork's failed attempt is trusted" || ok
expect_err 'oidc arn:aws:iam::'$A':oidc-provider/token.actions.githubusercontent.com: 5 times' "stderr explains the provider"

# EKS IRSA.
EKS_ISS=oidc.eks.eu-west-1.amazonaws.com/id/5E1D7A0C4B9A4F1E8C3D2B1A0F9E8D7C
tj eks-app '.Statement[0].Principal.Federated == ["arn:aws:iam::'$A':oidc-provider/'$EKS_ISS'"]
  and .Statement[0].Condition.StringEquals["'$EKS_ISS':sub"] == ["system:serviceaccount:payments:api"]
  and .Statement[0].Condition.StringEquals["'$EKS_ISS':aud"] == ["sts.amazonaws.com"]' "EKS IRSA service account"
rj eks-app '.principals[0].provider == "EKS (IRSA)" and .principals[0].assumptions == 2' "EKS explanation"

# SAML.
tj saml-admins '.Statement == [{"Sid":"TrustSaml1","Effect":"Allow","Principal":{"Federated":["arn:aws:iam::'$A':saml-provider/Okta"]},
  "Action":["sts:AssumeRoleWithSAML"],"Condition":{"StringEquals":{"SAML:aud":["https://signin.aws.amazon.com/saml"]}}}]' "SAML:aud"
rj saml-admins '.principals[0].subjects == ["alice@example.com","bob@example.com"] and .principals[0].source_ips.count == 2' "SAML subjects"

# Cross-account: the caller's role ARN with its external ID; an account without one.
tj partner-read '.Statement == [{"Sid":"TrustAws1","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::444455556666:role/partner-etl"]},
  "Action":["sts:AssumeRole"],"Condition":{"StringEquals":{"sts:ExternalId":["acme-7f3c"]}}}]' "external ID condition"
rj partner-read '.principals[0].type == "role" and .principals[0].same_account == false and .principals[0].external_id == {"with":2,"without":0,"values":["acme-7f3c"]}
  and .principals[0].sessions == ["arn:aws:sts::444455556666:assumed-role/partner-etl/etl-run"]' "cross-account explanation"
tj vendor-ro '.Statement == [{"Sid":"TrustAws1","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::999900001111:root"]},"Action":["sts:AssumeRole"]}]' "an account without external ID"
rj vendor-ro '.principals[0].type == "account" and .principals[0].external_id.without == 1' "account explanation"

# The chain user -> ops-a -> ops-b; MFA, source identity and session tags.
tj ops-a '.Statement[0].Principal.AWS == ["arn:aws:iam::'$A':user/alice"]
  and .Statement[0].Action == ["sts:AssumeRole","sts:SetSourceIdentity","sts:TagSession"]
  and .Statement[0].Condition == {"Bool":{"aws:MultiFactorAuthPresent":"true"},"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}' "MFA, source identity, tags"
rj ops-a '.principals[0].mfa == {"yes":1,"no":0} and .principals[0].source_identities == ["alice"]
  and .principals[0].session_tags == {"calls":1,"transitive":1,"keys":["team"]}' "ops-a explanation"
tj ops-b '.Statement[0].Principal.AWS == ["arn:aws:iam::'$A':role/ops-a"] and .Statement[0].Action == ["sts:AssumeRole","sts:SetSourceIdentity"]' "role chain"
rj ops-b '.principals[0].assumed_by == ["arn:aws:iam::'$A':user/alice"] and .principals[0].sessions == ["arn:aws:sts::'$A':assumed-role/ops-a/alice"]' "the chain explained"

# Services.
tj ec2-app '.Statement == [{"Sid":"TrustServices","Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com"]},"Action":["sts:AssumeRole"]}]' "EC2 service principal"
tj lambda-fn '.Statement[0].Principal.Service == ["lambda.amazonaws.com"]' "Lambda service principal"

# Names, formats, -o, --all, usage errors.
tt trust arn:aws:iam::$A:role/ops-b $W -q
expect_rc 0 "a full ARN"
expect_empty "$ERR" "-q"
tt trust role/ops-b $W -q -o "$WORK/ops-b.json"
expect_rc 0 "-o"
expect_empty "$OUT" "stdout with -o"
jq -e '.Version == "2012-10-17"' "$WORK/ops-b.json" >/dev/null && ok || bad "-o wrote the document"
tt trust gha-deploy $W -q --format terraform
expect_out '^resource "aws_iam_role" "gha-deploy" \{' "terraform resource"
expect_out 'assume_role_policy = <<-EOT' "terraform assume_role_policy"
tt trust gha-deploy $W -q --format cloudformation
jq -e '.Resources.TrailtrimRole.Type == "AWS::IAM::Role" and (.Resources.TrailtrimRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] | length) == 2' "$OUT" >/dev/null && ok || bad "cloudformation AssumeRolePolicyDocument"
tt trust legacy-partner $W
expect_rc 1 "a role no one assumed"
expect_err 'no one assumed a role "legacy-partner"' "says why"
tt trust $W
expect_rc 2 "no ROLE"
tt trust --all $W
expect_rc 2 "--all without -o"
tt trust gha-deploy $W --format yaml
expect_rc 2 "bad --format"
tt trust --all -o "$WORK/all" $W
expect_rc 0 "trust --all"
expect_eq "$(ls "$WORK/all" | grep -c '\.trust\.json$')" 9 "--all: one trust policy per assumed role"
expect_err 'wrote 9 trust policies' "--all summary"

# ---- keys ------------------------------------------------------------------
CR="$FIX/credential-report.csv"
tt keys $W --format json
expect_rc 0 "keys without a credential report"
jq -e '[.keys[].key] == ["AKIAQALICEKEY0000001","AKIAQBOBKEY000000001","AKIAQCIBOTKEY0000001"]
  and (.keys[1].findings == "unused for 73 days (over 45)") and .keys[0].findings == "" and .keys[2].findings == ""
  and (has("users_without_mfa") | not)' "$OUT" >/dev/null && ok || bad "keys seen in the logs: $(head -c 300 "$OUT")"
jq -e '.keys[0] | .owner == "arn:aws:iam::'$A':user/alice" and .first_used == "2026-10-08T07:55:00Z"
  and .last_used == "2026-10-25T12:00:00Z" and .days_since_use == 7 and .calls == 4
  and .services == "sts.amazonaws.com (2), iam.amazonaws.com (1), s3.amazonaws.com (1)"
  and .regions == "eu-west-1 (2), us-east-1 (2)" and .source_ips == 2 and .newest_ip == "198.51.100.9"
  and .user_agents == 2 and .newest_agent == "Boto3/1.34.0" and .minted == "AssumeRole (1), GetSessionToken (1)"' "$OUT" >/dev/null && ok || bad "alice's key in full"
jq -e '.keys[2] | .calls == 11 and .newest_ip == "20.50.0.2" and .newest_agent == "aws-sdk-go/1.50.1" and .regions == "eu-west-1 (10), eu-central-1 (1)"' "$OUT" >/dev/null && ok || bad "ci-bot's newest IP and agent"
tt keys $W --format json --credential-report "$CR"
expect_rc 0 "keys with findings still exits 0"
jq -e '[.keys[] | [.key, .report_slot, .age_days, .findings]] == [
  ["AKIAQALICEKEY0000001", 1, 61, ""],
  ["AKIAQBOBKEY000000001", 1, 245, "unused for 73 days (over 45); 245 days since its last rotation (over 90)"],
  ["AKIAQCIBOTKEY0000001", 1, 153, "153 days since its last rotation (over 90)"],
  ["(key 1 of <root_account>)", 1, 660, "an access key of the root user; never used; 660 days since its last rotation (over 90); active, and not in the logs in the window"],
  ["(key 2 of ci-bot)", 2, 12, "active, and not in the logs in the window"],
  ["(key 1 of carol)", 1, 335, "unused for 123 days (over 45); 335 days since its last rotation (over 90); active, and not in the logs in the window"]]' "$OUT" >/dev/null && ok || bad "credential-report findings: $(jq -c '[.keys[] | [.key, .report_slot, .age_days, .findings]]' "$OUT")"
jq -e '[.users_without_mfa[].user] == ["bob","carol"]' "$OUT" >/dev/null && ok || bad "users with a password and no MFA"
grep -q dave "$OUT" && bad "dave's inactive, unseen key is reported" || ok
expect_err '6 long-lived keys, 13 findings' "keys summary"
tt keys $W --credential-report "$CR" --unused-days 200 --max-age-days 400 --format json
jq -e '[.keys[] | select(.findings != "") | .key] == ["(key 1 of <root_account>)","(key 2 of ci-bot)","(key 1 of carol)"]' "$OUT" >/dev/null && ok || bad "--unused-days/--max-age-days"
tt keys $W --credential-report "$CR" --format csv
expect_out '^key,owner,first_used,' "CSV header"
expect_eq "$(grep -c 'AKIA' "$OUT")" 3 "CSV rows"
tt keys $W --credential-report "$CR" --format html
expect_out '^<!DOCTYPE html>' "HTML page"
expect_out '&lt;root_account&gt;' "HTML escapes"
tt keys $W --credential-report "$FIX/bad-credential-report.csv"
expect_rc 1 "a bad credential report"
expect_err 'bad-credential-report.csv: line 3: password_enabled must be true or false, not "yes"' "names the file and line"
tt keys $W --credential-report "$FIX/credential-report.csv.missing"
expect_rc 1 "a missing credential report"
tt keys $W --unused-days 0
expect_rc 2 "--unused-days 0"
tt keys $W --format yaml
expect_rc 2 "keys --format yaml"

# ---- unused --authz: trust findings ------------------------------------------
AZ="$FIX/authz-trust.json"
tt unused --authz "$AZ" $W --format json -q
expect_rc 0 "unused --authz with trust documents"
# uf NAME JQ what : the trust review of role NAME satisfies JQ.
uf() { jq -e --arg n "$1" '.principals[] | select(.name == $n) | .trust | '"$2" "$OUT" >/dev/null && ok || bad "$3: $(jq -c --arg n "$1" '.principals[] | select(.name == $n) | .trust' "$OUT" | head -c 600)"; }
uf gha-deploy '.assumptions == 5 and [.findings[] | [.severity, .what]] == [["medium","token.actions.githubusercontent.com:sub repo:acme/*"],["low","token.actions.githubusercontent.com:sub repo:acme-old/legacy:*"]]
  and (.findings[0].reason | test("only 2 subjects assumed the role")) and .unseen == ["token.actions.githubusercontent.com:sub repo:acme-old/legacy:*"]' "a sub wildcard wider than used"
uf gha-open '[.findings[].severity] == ["critical","low","info"] and (.findings[0].reason | test("without a token.actions.githubusercontent.com:sub condition.*any repository"))
  and (.findings[2].reason | test("no one assumed the role in the window; but no data is not no usage"))' "OIDC without sub"
uf eks-app '[.findings[] | [.severity, (.reason | test(":aud condition"))]] == [["medium", true]] and .unseen == []' "EKS without aud (URL-encoded document)"
uf partner-read '.unseen == ["arn:aws:iam::444455556666:role/old-etl"] and [.findings[].severity] == ["low"]' "a trusted role never seen"
uf vendor-ro '[.findings[] | [.severity, .what]] == [["medium","999900001111"]] and (.findings[0].reason | test("no sts:ExternalId or aws:PrincipalOrgID"))' "a whole account without external ID"
uf legacy-partner '.assumptions == 0 and .unseen == ["arn:aws:iam::777788889999:root"] and [.findings[].severity] == ["medium","low","info"]' "an account that never used it"
uf wide-open '.findings[0] == {"severity":"critical","what":"AWS: *","reason":"any AWS principal of any account may assume the role: no sts:ExternalId, aws:PrincipalOrgID or aws:PrincipalAccount condition"}' "AWS: *"
uf ec2-app '.unseen == ["ssm.amazonaws.com"] and [.findings[].severity] == ["info"]' "a trusted service never seen"
tt unused --authz "$AZ" $W --format table -q
expect_out '^== trust findings ==' "table has the trust findings"
expect_out 'role/wide-open +critical +AWS: \*' "table row"

# The independent evaluator.
SIM="$TT_SOURCE_DIR/tests/policy_sim"
if have node && { [ -d "$SIM/node_modules/@cloud-copilot/iam-simulate" ] ||
    (cd "$SIM" && timeout 120 npm ci --no-audit --no-fund >/dev/null 2>&1); }; then
    for rep in "$WORK"/all/*.trust-report.json; do
        pol="${rep%.trust-report.json}.trust.json"
        if node "$SIM/check_trust.mjs" "$rep" "$pol" >"$WORK/sim.out" 2>&1; then ok; else
            bad "iam-simulate on $(basename "$pol"): $(head -3 "$WORK/sim.out")"
        fi
    done
else
    skip "node or the @cloud-copilot/iam-simulate install is unavailable: independent check not run"
fi
finish
