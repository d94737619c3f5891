# test_policy_observed.sh - `trailtrim policy --resources observed` on a
# capture made here: exact Resource lists per service, escaping of "*", "?"
# and "${" copied from logs, the collapse threshold, actions without
# resource-level permissions, the fallback to "*" when a source object is
# deleted, and the even sampling under --max-records.
. "$(dirname "$0")/lib.sh"
have jq || { echo "SKIP: jq is needed" >&2; exit 77; }
W="--until 2026-10-05 --days 5"
N=0
ev() { # ev SOURCE NAME REQUEST-PARAMETERS
    N=$((N + 1))
    printf '{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROAW:s","arn":"arn:aws:sts::111122223333:assumed-role/worker/s","accountId":"111122223333","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAW","arn":"arn:aws:iam::111122223333:role/worker","accountId":"111122223333","userName":"worker"}}},"eventTime":"2026-10-03T10:%02d:%02dZ","eventSource":"%s","eventName":"%s","awsRegion":"us-east-1","sourceIPAddress":"1.2.3.4","userAgent":"x","requestParameters":%s,"eventID":"00000000-0000-0000-0000-%012d","eventType":"AwsApiCall","recipientAccountId":"111122223333"}\n' $((N / 60)) $((N % 60)) "$1" "$2" "$3" "$N"
}
{
    ev s3.amazonaws.com GetObject '{"bucketName":"data*","key":"a?b/${aws:username}.txt"}'
    ev s3.amazonaws.com ListBuckets '{}'
    ev dynamodb.amazonaws.com DescribeTable '{"tableName":"orders"}'
    ev sqs.amazonaws.com GetQueueAttributes '{"queueUrl":"https://sqs.us-east-1.amazonaws.com/111122223333/jobs"}'
    ev secretsmanager.amazonaws.com GetSecretValue '{"secretId":"prod/db"}'
    ev ssm.amazonaws.com GetParameters '{"names":["/app/a","/app/b"]}'
    ev kms.amazonaws.com Decrypt '{"keyId":"1234abcd-12ab-34cd-56ef-1234567890ab"}'
    ev lambda.amazonaws.com GetFunction '{"functionName":"fn1"}'
    ev sns.amazonaws.com GetTopicAttributes '{"topicArn":"arn:aws:sns:us-east-1:111122223333:t1"}'
    for i in 1 2 3 4 5 6 7 8 9 10; do ev dynamodb.amazonaws.com DescribeContinuousBackups "{\"tableName\":\"ten-$i\"}"; done
    for i in 1 2 3 4 5 6 7 8 9 10 11; do ev dynamodb.amazonaws.com DescribeTimeToLive "{\"tableName\":\"logs-$i\"}"; done
} >"$WORK/cap.ndjson"
ev iam.amazonaws.com ListRoles '{}' >"$WORK/other.ndjson"
tt ingest -q "$WORK/cap.ndjson" "$WORK/other.ndjson"
expect_rc 0 "ingest"

tt policy role/worker $W --resources observed -o "$WORK/p.json" --resources-report "$WORK/res.tsv"
expect_rc 0 "observed policy"
P="$WORK/p.json"
r() { jq -c --arg a "$1" '[.Statement[] | select(.Action | index($a))][0].Resource' "$P"; }
expect_eq "$(r s3:GetObject)" '["arn:aws:s3:::data${*}/a${?}b/${$}{aws:username}.txt"]' "S3: *, ? and \${ escaped"
expect_eq "$(r s3:ListAllMyBuckets)" '"*"' "no resource-level permission: *"
expect_eq "$(r iam:ListRoles)" '"*"' "no resource type: *"
expect_eq "$(r dynamodb:DescribeTable)" '["arn:aws:dynamodb:us-east-1:111122223333:table/orders"]' "DynamoDB table"
expect_eq "$(r sqs:GetQueueAttributes)" '["arn:aws:sqs:us-east-1:111122223333:jobs"]' "SQS queue URL to ARN"
expect_eq "$(r secretsmanager:GetSecretValue)" '["arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-??????"]' "secret name"
expect_eq "$(r ssm:GetParameters)" '["arn:aws:ssm:us-east-1:111122223333:parameter/app/a","arn:aws:ssm:us-east-1:111122223333:parameter/app/b"]' "SSM parameter names"
expect_eq "$(r kms:Decrypt)" '["arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"]' "KMS key id"
expect_eq "$(r lambda:GetFunction)" '["arn:aws:lambda:us-east-1:111122223333:function:fn1"]' "Lambda function"
expect_eq "$(r sns:GetTopicAttributes)" '["arn:aws:sns:us-east-1:111122223333:t1"]' "SNS topic"
expect_eq "$(r dynamodb:DescribeContinuousBackups | jq length)" 10 "10 distinct ARNs: kept (threshold)"
expect_eq "$(r dynamodb:DescribeTimeToLive)" '["arn:aws:dynamodb:us-east-1:111122223333:table/logs-*"]' "11: collapsed to prefix*"
grep -q $'^dynamodb:DescribeTimeToLive\t.*collapsed' "$WORK/res.tsv" && ok || bad "report: collapse said"
expect_err 'resources from 31 of 31 successful calls' "stderr: records read"
tt repo --lint "$P"
expect_rc 0 "the observed policy lints"

# The independent evaluator: each call Allowed on the ARN it touched (as the
# log names it) and Denied on another of the same type; "data*" and "a?b" are
# literal, so bucket "dataX" and key "aZb" are not granted. (iam-simulate
# reads a "*" in a request ARN as a wildcard: the 3 Allowed checks on
# "data*/..." are skipped by check_observed.mjs, the denials still run.)
A=arn:aws
{
    printf '%s\t%s\t%s\n' \
        s3:GetObject "$A:s3:::data*/a?b/\${aws:username}.txt" "$A:s3:::other/a?b/\${aws:username}.txt" \
        s3:GetObject "$A:s3:::data*/a?b/\${aws:username}.txt" "$A:s3:::dataX/aZb/\${aws:username}.txt" \
        s3:GetObject "$A:s3:::data*/a?b/\${aws:username}.txt" "$A:s3:::dataX/a?b/\${aws:username}.txt" \
        s3:ListAllMyBuckets '*' - \
        iam:ListRoles '*' - \
        dynamodb:DescribeTable "$A:dynamodb:us-east-1:111122223333:table/orders" "$A:dynamodb:us-east-1:111122223333:table/payments" \
        sqs:GetQueueAttributes "$A:sqs:us-east-1:111122223333:jobs" "$A:sqs:us-east-1:111122223333:other-jobs" \
        secretsmanager:GetSecretValue "$A:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf" "$A:secretsmanager:us-east-1:111122223333:secret:prod/api-AbCdEf" \
        ssm:GetParameters "$A:ssm:us-east-1:111122223333:parameter/app/a" "$A:ssm:us-east-1:111122223333:parameter/app/c" \
        ssm:GetParameters "$A:ssm:us-east-1:111122223333:parameter/app/b" "$A:ssm:us-east-1:111122223333:parameter/other/b" \
        kms:Decrypt "$A:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" "$A:kms:us-east-1:111122223333:key/ffffffff-12ab-34cd-56ef-1234567890ab" \
        lambda:GetFunction "$A:lambda:us-east-1:111122223333:function:fn1" "$A:lambda:us-east-1:111122223333:function:fn2" \
        sns:GetTopicAttributes "$A:sns:us-east-1:111122223333:t1" "$A:sns:us-east-1:111122223333:t2"
    for i in 1 2 3 4 5 6 7 8 9 10; do
        printf '%s\t%s\t%s\n' dynamodb:DescribeContinuousBackups \
            "$A:dynamodb:us-east-1:111122223333:table/ten-$i" "$A:dynamodb:us-east-1:111122223333:table/ten-11"
    done
    for i in 1 2 3 4 5 6 7 8 9 10 11; do
        printf '%s\t%s\t%s\n' dynamodb:DescribeTimeToLive \
            "$A:dynamodb:us-east-1:111122223333:table/logs-$i" "$A:dynamodb:us-east-1:111122223333:table/orders"
    done
} >"$WORK/calls.tsv"
SIM="$TT_SOURCE_DIR/tests/policy_sim"
sim_ready() {
    have node && { [ -d "$SIM/node_modules/@cloud-copilot/iam-simulate" ] ||
        (cd "$SIM" && timeout 120 npm ci --no-audit --no-fund >/dev/null 2>&1); }
}
# sim_check CALLS POLICY... : the evaluator on the documents.
sim_check() {
    if node "$SIM/check_observed.mjs" "$@" >"$WORK/sim.out" 2>&1; then ok; else
        bad "iam-simulate on $(basename "$2"): $(head -5 "$WORK/sim.out")"
    fi
}
if sim_ready; then
    sim_check "$WORK/calls.tsv" "$P"
    expect_eq "$(cat "$WORK/sim.out")" "31 allowed, 32 denied as expected, 3 skipped" "iam-simulate: every call checked"
else
    skip "node or the @cloud-copilot/iam-simulate install is unavailable: independent check not run"
fi

# Sampling: at most 5 records, evenly, and said so.
tt policy role/worker $W --resources observed --max-records 5 -q -o "$WORK/s.json"
expect_rc 0 "sampled"
tt policy role/worker $W --resources observed --max-records 5 -o "$WORK/s.json"
expect_err 'resources from 5 of 31 successful calls.*sampled evenly: --max-records 5' "sampling said"

# --all: the same document per principal, the resources report beside it.
tt policy --all -o "$WORK/all" $W --resources observed
expect_rc 0 "observed --all"
set -- "$WORK"/all/*.report.json
AP="${1%.report.json}.json"
expect_eq "$(ls "$WORK/all" | wc -l | tr -d ' ')" 3 "--all: policy, report and resources report"
cmp -s "$AP" "$P" && ok || bad "--all: the same document as for the principal alone"
grep -q $'^dynamodb:DescribeTimeToLive\t.*collapsed' "${1%.report.json}.resources.tsv" && ok ||
    bad "--all: resources report beside the policy"
tt policy --all -o "$WORK/all2" $W --resources observed --resources-report "$WORK/x.tsv"
expect_rc 2 "--all takes no --resources-report"

# The source object is gone: every scoped action falls back to "*", and says so.
rm "$WORK/cap.ndjson"
tt policy role/worker $W --resources observed -o "$WORK/gone.json" --resources-report "$WORK/gone.tsv"
expect_rc 0 "source gone"
expect_eq "$(jq -c '[.Statement[].Resource] | unique' "$WORK/gone.json")" '["*"]' "fallback to * everywhere"
expect_err 'could not be read back, their actions keep "\*"' "fallback said"
grep -q $'^s3:GetObject\t\\*\ta source object is gone or changed' "$WORK/gone.tsv" && ok || bad "report: fallback per action"

# Terraform and CloudFormation render a gen_policy_set (Resource "*") only.
tt policy role/worker $W --resources observed --format terraform
expect_rc 2 "observed: not terraform"
tt policy role/worker $W --resources observed --format cloudformation
expect_rc 2 "observed: not cloudformation"

# iam:PassRole scoped to the role the request names (Stratus: Roles Anywhere
# CreateProfile with roleArns); the resources report has a header and one
# row per action; iam-simulate as the principal itself, in its own account:
# the named role allowed, a neighbour denied.
STRATUS="${TT_SHARED_DIR:-}/testdata/cloudtrail/stratus-red-team"
if [ -d "$STRATUS" ]; then
    tt --db "$WORK/ra.db" ingest -q "$STRATUS/aws.persistence.rolesanywhere-create-trust-anchor.json"
    tt --db "$WORK/ra.db" policy --all -q -o "$WORK/ra" --until 2025-01-01 --days 400 --resources observed
    expect_rc 0 "rolesanywhere: observed --all"
    RP=$(grep -l 'iam:PassRole' "$WORK"/ra/*.json | grep -v report | head -1)
    ROLE=arn:aws:iam::791182566784:role/stratus-red-team-trust-anchor-role
    expect_eq "$(jq -c '[.Statement[] | select(.Action | index("iam:PassRole")) | .Resource] | flatten' "$RP")" "[\"$ROLE\"]" \
        "iam:PassRole scoped to the role CreateProfile names"
    RT="${RP%.json}.resources.tsv"
    expect_eq "$(head -1 "$RT")" "$(printf 'action\tresources\tnote')" "resources report header"
    expect_eq "$(cut -f1 "$RT" | sort | uniq -d | wc -l | tr -d ' ')" 0 "resources report: no duplicate rows"
    if sim_ready; then
        RPRIN=$(jq -r '.summary.principal' "${RP%.json}.report.json")
        printf '%s\t%s\t%s\n' iam:PassRole "$ROLE" "arn:aws:iam::791182566784:role/another-role" >"$WORK/ra.tsv"
        TT_SIM_PRINCIPAL="$RPRIN" sim_check "$WORK/ra.tsv" "$RP"
        expect_eq "$(cat "$WORK/sim.out")" "1 allowed, 1 denied as expected, 0 skipped" "iam-simulate in the principal's account"
    fi
fi
finish
