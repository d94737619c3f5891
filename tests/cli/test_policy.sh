# test_policy.sh - `trailtrim policy` and `trailtrim mapping` on the real
# Stratus Red Team captures: the actions each technique's file shows, and
# nothing else; what is never granted; formats, atomic -o, --all; and the
# independent check by @cloud-copilot/iam-simulate (tests/policy_sim) when
# node and npm are there.
. "$(dirname "$0")/lib.sh"
STRATUS="${TT_SHARED_DIR:-}/testdata/cloudtrail/stratus-red-team"
if [ ! -d "$STRATUS" ]; then
    echo "SKIP: no Stratus captures under TT_SHARED_DIR" >&2
    exit 77
fi
have jq || { echo "SKIP: jq is needed" >&2; exit 77; }
W="--until 2025-01-01 --days 400"

tt mapping s3.amazonaws.com PutBucketReplication --format json
expect_rc 0 "mapping explain"
jq -e '.mapping.rule == "override" and ([.actions[].action] | sort) == ["iam:PassRole","s3:PutReplicationConfiguration"]' "$OUT" >/dev/null && ok || bad "PutBucketReplication explained"
tt mapping lambda.amazonaws.com UpdateFunctionCode20150331v2 --format json
jq -e '.mapping.date_suffix_stripped == "UpdateFunctionCode" and .actions[0].action == "lambda:UpdateFunctionCode"' "$OUT" >/dev/null && ok || bad "Lambda date suffix explained"
tt mapping
expect_rc 2 "mapping without arguments"

# techniques: file | the actions the policy must hold, exactly ("" = no policy)
while IFS='|' read -r tech want; do
    db="$WORK/$tech.db"
    tt --db "$db" ingest -q "$STRATUS/aws.$tech.json"
    tt --db "$db" policy --all -o "$WORK/$tech" $W
    expect_rc 0 "$tech: policy --all"
    got=$(find "$WORK/$tech" -name '*.json' ! -name '*.report.json' -exec jq -r '.Statement[].Action[]' {} + | sort -u | tr '\n' ' ' | sed 's/ $//')
    expect_eq "$got" "$want" "$tech: allowed actions"
    ls "$WORK/$tech" | grep -q '\.tmp\.' && bad "$tech: a temporary file was left" || ok
done <<'TECH'
persistence.iam-create-admin-user|iam:AttachUserPolicy iam:CreateAccessKey iam:CreateUser iam:TagUser
persistence.iam-create-backdoor-role|iam:AttachRolePolicy iam:CreateRole
persistence.lambda-overwrite-code|lambda:UpdateFunctionCode
persistence.lambda-backdoor-function|lambda:AddPermission
persistence.sts-federation-token|sts:GetFederationToken
defense-evasion.cloudtrail-stop|cloudtrail:StopLogging
credential-access.secretsmanager-retrieve-secrets|secretsmanager:GetSecretValue secretsmanager:ListSecrets
execution.ssm-start-session|ssm:DescribeInstanceInformation ssm:StartSession ssm:TerminateSession
initial-access.console-login-without-mfa|
TECH

# Denied attempts are reported, never granted; a role with only those gets no policy.
db="$WORK/denied.db"
tt --db "$db" ingest -q "$STRATUS/aws.credential-access.ec2-get-password-data.json"
tt --db "$db" policy stratus-red-team-ec2-get-password-data-role $W --report "$WORK/denied.json"
expect_rc 1 "a principal with only denied calls"
expect_err 'not granted: [0-9]+ denied attempts: ec2.amazonaws.com GetPasswordData' "denied attempts on stderr"
expect_err 'no policy to write' "says why nothing was written"
jq -e '.denied_attempts[0].event == "GetPasswordData" and (.granted | length) == 0' "$WORK/denied.json" >/dev/null && ok || bad "report lists the denied attempt"

# An AWS service event recorded under a role is never granted to it.
cat >"$WORK/svc.ndjson" <<'NDJSON'
{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROAX:s","arn":"arn:aws:sts::111122223333:assumed-role/app/s","accountId":"111122223333","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAX","arn":"arn:aws:iam::111122223333:role/app","accountId":"111122223333","userName":"app"}}},"eventTime":"2026-10-01T12:00:00Z","eventSource":"kms.amazonaws.com","eventName":"RotateKey","awsRegion":"us-east-1","sourceIPAddress":"kms.amazonaws.com","userAgent":"kms.amazonaws.com","eventID":"00000000-0000-0000-0000-000000000001","eventType":"AwsServiceEvent","recipientAccountId":"111122223333"}
{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROAX:s","arn":"arn:aws:sts::111122223333:assumed-role/app/s","accountId":"111122223333","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAX","arn":"arn:aws:iam::111122223333:role/app","accountId":"111122223333","userName":"app"}}},"eventTime":"2026-10-01T12:00:01Z","eventSource":"kms.amazonaws.com","eventName":"Decrypt","awsRegion":"us-east-1","sourceIPAddress":"1.2.3.4","userAgent":"x","eventID":"00000000-0000-0000-0000-000000000002","eventType":"AwsApiCall","recipientAccountId":"111122223333"}
NDJSON
tt --db "$WORK/svc.db" ingest -q "$WORK/svc.ndjson"
tt --db "$WORK/svc.db" policy role/app --until 2026-10-02
expect_rc 0 "policy with a service event"
expect_eq "$(jq -c '[.Statement[].Action[]]' "$OUT")" '["kms:Decrypt"]' "service event not granted"
expect_err 'not granted: 1 AWS service events: kms.amazonaws.com RotateKey' "service event reported"

# One store of every capture: formats, -o, usage errors, the lint, speed.
tt ingest -q "$STRATUS"
tt policy christophe $W
expect_rc 2 "an ambiguous short name"
arn=$(q "SELECT principal FROM principals WHERE principal LIKE '%:user/christophe' ORDER BY principal LIMIT 1")
tt policy "$arn" $W -o "$WORK/one.json" --report "$WORK/one.report.json"
expect_rc 0 "policy -o"
expect_empty "$OUT" "stdout with -o"
jq -e '.Version == "2012-10-17" and (.Statement | length) >= 1 and all(.Statement[]; .Effect == "Allow" and .Resource == "*" and (.Sid | test("^Allow[A-Za-z0-9]+$")))' "$WORK/one.json" >/dev/null && ok || bad "policy document shape"
jq -e '[.Statement[].Action[]] == ([.Statement[].Action[]] | sort) and ([.Statement[].Action[]] | all(. != "*"))' "$WORK/one.json" >/dev/null && ok || bad "sorted, no *"
tt policy "$arn" $W
cmp -s "$OUT" "$WORK/one.json" && ok || bad "stdout and -o give the same document (deterministic)"
tt policy "$arn" $W --format terraform
expect_out '^resource "aws_iam_policy" ' "terraform"
tt policy "$arn" $W --format cloudformation
jq -e '[.Resources[].Type] | all(. == "AWS::IAM::ManagedPolicy")' "$OUT" >/dev/null && ok || bad "cloudformation"
tt policy "$arn" $W --resources observed
expect_rc 0 "--resources observed (tests/cli/test_policy_observed.sh has the details)"
expect_err 'resources from [0-9]+ of [0-9]+ successful calls read back' "--resources observed says what it read"
tt policy "$arn" $W --resources everything
expect_rc 2 "--resources: star or observed"
tt policy --all $W
expect_rc 2 "--all without -o"
tt policy "$arn" $W --format yaml
expect_rc 2 "bad --format"
tt mapping --unmapped $W --format json
expect_rc 0 "mapping --unmapped"
expect_err 'unmapped source/name pairs' "--unmapped summary"
# (its speed is the benchmark's: bench/run.sh times policy --all at 1x and 4x)
tt policy --all -o "$WORK/all" $W -q
expect_rc 0 "policy --all"
n=$(find "$WORK/all" -name '*.report.json' | wc -l)
[ "$n" -gt 20 ] && ok || bad "--all wrote $n reports"

# The independent evaluator.
SIM="$TT_SOURCE_DIR/tests/policy_sim"
if have node && { [ -d "$SIM/node_modules/@cloud-copilot/iam-simulate" ] ||
    (cd "$SIM" && timeout 120 npm ci --no-audit --no-fund >/dev/null 2>&1); }; then
    for rep in "$WORK"/all/*.report.json; do
        pol="${rep%.report.json}.json"
        [ -f "$pol" ] || continue
        if node "$SIM/check.mjs" "$rep" "$pol" "${rep%.report.json}"-[0-9]*.json >"$WORK/sim.out" 2>&1 ||
            node "$SIM/check.mjs" "$rep" "$pol" >"$WORK/sim.out" 2>&1; then ok; else
            bad "iam-simulate on $(basename "$pol"): $(head -3 "$WORK/sim.out")"
        fi
    done
else
    skip "node or the @cloud-copilot/iam-simulate install is unavailable: independent check not run"
fi
finish
