# test_unused.sh - `trailtrim unused --authz FILE` on tests/fixtures/authz/
# against a tiny capture made here (full coverage of account 111122223333
# over 2026-10-01..05, gaps in 444455556666): the exact unused sets derived
# by hand (tests/fixtures/authz/README.md), each safety rule, bad input,
# and the formats; then the coverage rule on the gappy sample-logs store.
. "$(dirname "$0")/lib.sh"
have jq || { echo "SKIP: jq is needed" >&2; exit 77; }
FX="$TT_SOURCE_DIR/tests/fixtures/authz"
W="--until 2026-10-05 --days 5"

N=0
ev() { # ev TIME ACCOUNT user|role NAME SOURCE EVENT
    N=$((N + 1))
    if [ "$3" = user ]; then
        id="{\"type\":\"IAMUser\",\"principalId\":\"AIDA$N\",\"arn\":\"arn:aws:iam::$2:user/$4\",\"accountId\":\"$2\",\"userName\":\"$4\"}"
    else
        id="{\"type\":\"AssumedRole\",\"principalId\":\"AROA$4:s\",\"arn\":\"arn:aws:sts::$2:assumed-role/$4/s\",\"accountId\":\"$2\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":\"AROA$4\",\"arn\":\"arn:aws:iam::$2:role/$4\",\"accountId\":\"$2\",\"userName\":\"$4\"}}}"
    fi
    printf '{"eventVersion":"1.08","userIdentity":%s,"eventTime":"%s","eventSource":"%s","eventName":"%s","awsRegion":"us-east-1","sourceIPAddress":"1.2.3.4","userAgent":"x","eventID":"00000000-0000-0000-0000-%012d","eventType":"AwsApiCall","recipientAccountId":"%s"}\n' "$id" "$1" "$5" "$6" "$N" "$2"
}
A=111122223333
G=444455556666
{
    for d in 01 02 03 04 05; do ev "2026-10-${d}T12:00:00Z" $A user alice ec2.amazonaws.com DescribeInstances; done
    ev 2026-10-02T10:00:00Z $A role app s3.amazonaws.com GetObject
    ev 2026-10-02T10:01:00Z $A role app sqs.amazonaws.com SendMessage
    ev 2026-10-03T10:02:00Z $A role app kms.amazonaws.com Decrypt
    ev 2026-10-03T10:03:00Z $A role app logs.amazonaws.com CreateLogStream
    ev 2026-10-03T10:04:00Z $A role app sts.amazonaws.com GetCallerIdentity
    ev 2026-10-04T10:00:00Z $A role bounded logs.amazonaws.com CreateLogGroup
    ev 2026-10-04T11:00:00Z $A role new-role s3.amazonaws.com ListBuckets
    ev 2026-10-01T10:00:00Z $G role gappy ec2.amazonaws.com DescribeInstances
    ev 2026-10-05T10:00:00Z $G role gappy ec2.amazonaws.com DescribeInstances
} >"$WORK/cap.ndjson"
tt ingest -q "$WORK/cap.ndjson"
expect_rc 0 "ingest the capture"

tt unused --authz "$FX/account.json" $W --format json
expect_rc 0 "unused json"
J="$WORK/u.json"
cp "$OUT" "$J"
expect_err '6 principals: 4 judged, 1 too young, 1 with coverage gaps' "summary on stderr"
# p NAME FILTER : a jq value for the principal named NAME
p() { jq -c --arg n "$1" ".principals[] | select(.name == \$n) | $2" "$J"; }
acts() { p "$1" "[.actions[] | select(.status == \"$2\") | .action]"; }

# sts:GetCallerIdentity needs no permission: granted by sts:*, never unused.
cat >"$WORK/whoami.json" <<'JSON'
{"UserDetailList": [{"Path": "/", "UserName": "alice", "UserId": "AIDAALICE",
  "Arn": "arn:aws:iam::111122223333:user/alice", "CreateDate": "2025-01-01T00:00:00Z",
  "UserPolicyList": [{"PolicyName": "sts", "PolicyDocument": {"Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "sts:*", "Resource": "*"}]}}],
  "GroupList": [], "AttachedManagedPolicies": [], "Tags": []}],
 "GroupDetailList": [], "RoleDetailList": [], "Policies": []}
JSON
tt unused --authz "$WORK/whoami.json" $W --format json -q
expect_rc 0 "unused with sts:*"
expect_eq "$(jq -c '[.principals[0].actions[] | select(.action == "sts:GetCallerIdentity") | .status]' "$OUT")" \
    '["not_observable_permission_only"]' "sts:GetCallerIdentity is never unused"
expect_eq "$(jq '[.principals[0].actions[] | select(.status == "unused")] | length > 3' "$OUT")" true "other sts actions are judged"

# alice: group policies included; Deny NotAction ec2:Describe* removes the rest.
expect_eq "$(acts alice used)" '["ec2:DescribeInstances"]' "alice used"
expect_eq "$(acts alice unused)" '["ec2:DescribeVpcs"]' "alice unused (group managed policy, NotAction deny)"
expect_eq "$(p alice .removed_by_deny)" 3 "alice: RunInstances, sqs:DeleteMessage, sqs:DeleteQueue denied"
expect_eq "$(p alice '.actions[0].last_used')" '"2026-10-05T12:00:00Z"' "alice last use"

# app: wildcards, case, URL-encoded inline, default managed version only.
expect_eq "$(acts app used)" '["kms:Decrypt","logs:CreateLogStream","s3:GetObject","sqs:SendMessage"]' "app used"
expect_eq "$(acts app unused)" '["cloudwatch:PutMetricData","logs:DeleteLogGroup","s3:PutObject","sqs:DeleteMessage"]' "app unused"
expect_eq "$(acts app kept_norepo)" '["ssm:GetParameter"]' "NOREPO statement kept"
expect_eq "$(acts app not_observable_permission_only)" '["iam:PassRole"]' "iam:PassRole not observable"
expect_eq "$(acts app not_observable_data_events)" '["dynamodb:GetItem"]' "no DynamoDB data events: not observable"
expect_eq "$(p app '[.actions[].action | select(startswith("iam:") and . != "iam:PassRole")] | length')" 0 "non-default version not granted"
expect_eq "$(p app '[.actions[] | select(.action == "sqs:DeleteQueue")] | length')" 0 "unconditional Deny subtracts"
expect_eq "$(p app '.actions[] | select(.action == "kms:Decrypt") | .partial_deny')" true "conditional Deny kept, noted"
expect_eq "$(p app '.actions[] | select(.action == "cloudwatch:PutMetricData") | .conditional')" true "conditional Allow noted"
expect_eq "$(p app '.actions[] | select(.action == "ssm:GetParameter") | .resource_scoped')" true "resource-scoped Allow noted"
expect_eq "$(p app .unknown_actions)" 1 "unknown action counted"
expect_eq "$(p app .unused_services)" '["cloudwatch"]' "repoable services"

# bounded: Action "*" intersected with its boundary.
expect_eq "$(p bounded .granted)" 3 "boundary intersects"
expect_eq "$(acts bounded unused)" '["logs:CreateLogStream","s3:GetObject"]' "bounded unused"

# Safety: young principals and coverage gaps are not judged.
expect_eq "$(p new-role .status)" '"too_young"' "created inside the window"
expect_eq "$(acts new-role unused)" '[]' "too young: nothing unused"
expect_eq "$(p gappy .status)" '"coverage_gaps"' "coverage gaps"
expect_eq "$(acts gappy not_judged)" '["ec2:DescribeVpcs"]' "gaps: unused becomes not judged"
p gappy .reason | grep -q 'on 3 of the window.s 5 days' && ok || bad "gap reason counts days"
# A wider window starts before the account's data: nobody there is judged.
tt unused --authz "$FX/account.json" --until 2026-10-05 --days 6 --format json
expect_eq "$(jq -c '[.principals[] | select(.account == "111122223333") | .status] | unique' "$OUT")" '["coverage_gaps","too_young"]' "a day without data in the window"

# Formats.
tt unused --authz "$FX/account.json" $W --format csv
expect_rc 0 "csv"
expect_out '^principal,type,account,principal_status,service,action,status,last_used' "csv header"
expect_eq "$(grep -c ',role/app\|:role/app,' "$OUT")" 11 "csv: one row per granted action of app"
tt unused --authz "$FX/account.json" $W --format table
expect_out 'role/app +judged +11 +4 +4 +2 +1 +cloudwatch' "table row"
tt unused --authz "$FX/account.json" $W --format html -q
expect_rc 0 "html"
expect_out '^<!DOCTYPE html>' "html page"
expect_out 'mallory&lt;script&gt;alert\(1\)&lt;/script&gt;' "names escaped"
grep -q '<script>alert' "$OUT" && bad "html: injected tag unescaped" || ok
grep -qiE '(src|href)="?(https?:)?//' "$OUT" && bad "html: a network reference" || ok
expect_eq "$(grep -o '<script>' "$OUT" | wc -l | tr -d ' ')" 1 "html: only our own script"
expect_eq "$(grep -c 'class="bar"' "$OUT")" 14 "html: a bar per principal and service (1+1+8+2+1+1)"
cp "$OUT" "$WORK/unused.html"
# A wildcard grant: an administrator's hundreds of services are summarised.
jq '.UserDetailList += [{"Path":"/","UserName":"root-ish","UserId":"AIDAROOTISH","Arn":"arn:aws:iam::111122223333:user/root-ish","CreateDate":"2025-01-01T00:00:00+00:00","UserPolicyList":[{"PolicyName":"all","PolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}}],"GroupList":[],"AttachedManagedPolicies":[],"Tags":[]}]' "$FX/account.json" >"$WORK/admin.json"
tt unused --authz "$WORK/admin.json" $W --format html -q
expect_rc 0 "html with a wildcard grant"
cp "$OUT" "$WORK/admin.html"
expect_out 'and [0-9]+ more services granted and wholly unused \([0-9]+ actions: a wildcard grant\)' "html: the wildcard's services summarised"
expect_out '<span class="id">s3:\*</span> \(all [0-9]+\)' "html: a wholly unused service as svc:*"
[ "$(grep -c 'class="bar"' "$OUT")" -lt 100 ] && ok || bad "html: no bar per service of a wildcard grant ($(grep -c 'class="bar"' "$OUT"))"
[ "$(grep -o 's3:[A-Za-z]*' "$OUT" | sort -u | wc -l)" -lt 5 ] && ok || bad "html: s3's actions are not listed one by one"
. "$TT_SOURCE_DIR/tests/cli/html_layout.sh"
if have_chromium; then
    for page in unused admin; do
        for w in 1280 390; do
            res=$(layout "$WORK/$page.html" "$w" "$WORK/$page-$w.png")
            case "$res" in
            *" overflow=0 wide=0 "*) ok ;;
            *) bad "unused html $page at $w px: $res" ;;
            esac
            [ -n "${TT_KEEP_SHOT:-}" ] && cp "$WORK/$page-$w.png" "$TT_KEEP_SHOT-$page-$w.png"
        done
    done
else
    skip "chromium is not installed and cannot be: the page is not rendered"
fi

# Bad input: clear errors naming the file and the place.
tt unused --authz "$FX/truncated.json" $W
expect_rc 1 "truncated file"
expect_err 'truncated.json: byte 2000 \(line 81' "truncated: byte and line"
tt unused --authz "$FX/bad-effect.json" $W
expect_rc 1 "bad Effect"
expect_err 'RoleDetailList\[0\] \(app\)\.RolePolicyList\[0\]: a statement.s Effect' "bad Effect: the place"
tt unused --authz "$FX/bad-urlencoding.json" $W
expect_err 'RolePolicyList\[1\]: a bad %-escape' "bad URL encoding"
tt unused --authz "$FX/deep.json" $W
expect_rc 1 "nesting past the cap"
expect_err 'nesting deeper than the cap' "depth cap"
printf '{"Policies": []}' >"$WORK/notauthz.json"
tt unused --authz "$WORK/notauthz.json" $W
expect_err 'not the output of aws iam get-account-authorization-details' "not an authz file"
tt unused --authz "$WORK/missing.json" $W
expect_rc 1 "missing file"
tt unused $W
expect_rc 2 "--authz required"
tt unused --authz "$FX/account.json" --format xml
expect_rc 2 "bad format"

# The sample bucket has gaps in every account: nothing is called unused.
if [ -d "$TT_SOURCE_DIR/sample-logs/AWSLogs" ]; then
    tt --db "$WORK/sample.db" ingest -q "$TT_SOURCE_DIR/sample-logs"
    cat >"$WORK/prod.json" <<'JSON'
{"UserDetailList": [], "GroupDetailList": [], "Policies": [],
 "RoleDetailList": [{"RoleName": "prod-payments-app", "Arn": "arn:aws:iam::878140772802:role/prod-payments-app",
   "CreateDate": "2024-01-01T00:00:00Z", "AttachedManagedPolicies": [],
   "RolePolicyList": [{"PolicyName": "app", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
     {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:DeleteTable", "s3:GetObject", "kms:Decrypt", "kms:ScheduleKeyDeletion"], "Resource": "*"}]}}]}]}
JSON
    tt --db "$WORK/sample.db" unused --authz "$WORK/prod.json" --until 2026-11-20 --days 90 --format json
    expect_rc 0 "sample store"
    expect_eq "$(jq -c '.principals[0] | [.status, .unused, ([.actions[] | select(.status == "used") | .action])]' "$OUT")" \
        '["coverage_gaps",0,["dynamodb:GetItem","kms:Decrypt","s3:GetObject"]]' "sample: gaps, used from the real logs"
    expect_eq "$(jq -c '[.principals[0].actions[] | select(.status == "not_judged") | .action]' "$OUT")" \
        '["dynamodb:DeleteTable","kms:ScheduleKeyDeletion"]' "sample: the rest not judged"
fi
finish
