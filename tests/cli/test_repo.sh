# test_repo.sh - `trailtrim repo --authz FILE --out DIR` on tests/fixtures/authz/
# against the tiny capture test_unused.sh builds (full coverage of account
# 111122223333 over 2026-10-01..05, gaps in 444455556666): the exact tightened
# documents derived by hand (tests/fixtures/authz/README.md, "repo"), Deny and
# NOREPO kept, the lint on every output, atomic writes, and IAM's limits.
. "$(dirname "$0")/lib.sh"
have jq || { echo "SKIP: jq is needed" >&2; exit 77; }
FX="$TT_SOURCE_DIR/tests/fixtures/authz"
W="--until 2026-10-05 --days 5"

N=0
ev() { # ev TIME ACCOUNT user|role NAME SOURCE EVENT  (as test_unused.sh)
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
# 220 ec2 Describe actions of the catalog, called by the "big" principals.
DESCRIBE=$(sed -n 's/^A\tec2\t\(Describe[A-Za-z0-9]*\)\t.*/\1/p' "$TT_SOURCE_DIR/generate/data/catalog.tsv" | head -n 220)
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
    for a in $DESCRIBE; do
        ev 2026-10-04T09:00:00Z $A role big ec2.amazonaws.com "$a"
        ev 2026-10-04T09:00:00Z $A role biginline ec2.amazonaws.com "$a"
        ev 2026-10-04T09:00:00Z $A user bigu ec2.amazonaws.com "$a"
    done
} >"$WORK/cap.ndjson"
tt ingest -q "$WORK/cap.ndjson"
expect_rc 0 "ingest the capture"

O="$WORK/out"
tt repo --authz "$FX/account.json" $W --out "$O"
expect_rc 0 "repo"
expect_err 'role/new-role: not judged: created 2026-10-03' "young principal named on stderr"
expect_err 'role/gappy: not judged: coverage gaps in account 444455556666' "gaps named on stderr"
grep -q '^role/new-role .*too young' "$O/SUMMARY.txt" && ok || bad "SUMMARY lists the young role"
grep -q '^role/gappy .*coverage gaps' "$O/SUMMARY.txt" && ok || bad "SUMMARY lists the gappy role"
[ ! -e "$O/role-new-role" ] && [ ! -e "$O/role-gappy" ] && ok || bad "principals not judged get no files"
expect_eq "$(cd "$O" && find . -type f | sort | tr '\n' ' ')" \
    "./SUMMARY.txt ./role-app/AppManaged.json ./role-app/CHANGES.md ./role-app/app-encoded.json ./role-app/app-inline.json ./role-bounded/CHANGES.md ./role-bounded/admin.json ./user-alice/CHANGES.md ./user-alice/only-describe.json ./user-mallory-script-alert-1---script-/CHANGES.md " \
    "exactly these files (no temporary files left)"

# role/app, app-inline (README): Main loses s3:PutObject, sqs:Delete* (its only
# granted match, DeleteMessage, is unused; DeleteQueue is denied) and the
# unknown nosuch:Action; the rest keeps its spelling and order.
expect_eq "$(jq -c . "$O/role-app/app-inline.json")" \
'{"Version":"2012-10-17","Statement":[{"Sid":"Main","Effect":"Allow","Action":["s3:GetObject","sqs:SendMessage","KMS:decrypt","dynamodb:GetItem","iam:PassRole"],"Resource":"*"},{"Sid":"NOREPOParams","Effect":"Allow","Action":"ssm:GetParameter","Resource":"arn:aws:ssm:us-east-1:111122223333:parameter/app/*"},{"Sid":"NoQueueDelete","Effect":"Deny","Action":"sqs:DeleteQueue","Resource":"*"},{"Sid":"MaybeDeny","Effect":"Deny","Action":"kms:Decrypt","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}' \
    "app-inline tightened exactly"
expect_eq "$(jq -c '.Statement[] | select(.Effect == "Deny")' "$O/role-app/app-inline.json" | tr -d '\n')" \
    "$(jq -c '.RoleDetailList[0].RolePolicyList[0].PolicyDocument.Statement[] | select(.Effect == "Deny")' "$FX/account.json" | tr -d '\n')" \
    "Deny statements untouched"
expect_eq "$(jq -c '.Statement[] | select(.Sid == "NOREPOParams")' "$O/role-app/app-inline.json")" \
    '{"Sid":"NOREPOParams","Effect":"Allow","Action":"ssm:GetParameter","Resource":"arn:aws:ssm:us-east-1:111122223333:parameter/app/*"}' "NOREPO kept"
# The URL-encoded policy is resource-scoped, the managed one conditional: kept, and said so.
expect_eq "$(jq -c . "$O/role-app/app-encoded.json")" \
    '{"Version":"2012-10-17","Statement":[{"Sid":"Logs","Effect":"Allow","Action":["logs:CreateLogStream","logs:DeleteLogGroup"],"Resource":"arn:aws:logs:us-east-1:111122223333:log-group:/app:*"}]}' \
    "URL-encoded inline policy decoded, scoped statement kept"
C="$O/role-app/CHANGES.md"
grep -q 'Statement 1 `Main` (Allow): narrowed; removed 2 unused: `s3:PutObject`, `sqs:DeleteMessage`' "$C" && ok || bad "CHANGES: actions removed"
grep -q 'resource-scoped Allow: kept as it is.*still grants these unused actions: `logs:DeleteLogGroup`' "$C" && ok || bad "CHANGES: scoped statement kept, said so"
grep -q 'conditional Allow: kept as it is.*still grants these unused actions: `cloudwatch:PutMetricData`' "$C" && ok || bad "CHANGES: conditional statement kept, said so"
grep -q 'Deny: untouched' "$C" && ok || bad "CHANGES: Deny untouched"
grep -q 'Written as `app-inline.json`: 563 -> 518 characters' "$C" && ok || bad "CHANGES: sizes before and after"

# role/bounded: Action "*" must be narrowed: only what is granted and not unused.
expect_eq "$(jq -c . "$O/role-bounded/admin.json")" \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogGroup"],"Resource":"*"}]}' "bounded: * narrowed"
grep -q '`\* -> 1 action`' "$O/role-bounded/CHANGES.md" && ok || bad "CHANGES: the wildcard expansion"
# alice: only her Deny is her own; the group's policies are not.
expect_eq "$(jq -c . "$O/user-alice/only-describe.json")" \
    "$(jq -c '.UserDetailList[0].UserPolicyList[0].PolicyDocument' "$FX/account.json")" "alice: the Deny NotAction untouched"
grep -q 'group `devs`: its policies belong to the group' "$O/user-alice/CHANGES.md" && ok || bad "alice: group policies not tightened, said so"
# mallory's only statement is unused: nothing left, no file, and the advice to delete.
grep -q 'Every statement was removed.*Delete the policy' "$O"/user-mallory*/CHANGES.md && ok || bad "empty policy: delete it"

# The lint passes on every output, and catches a broken document.
tt repo --lint $(find "$O" -name '*.json')
expect_rc 0 "every output lints"
printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}' >"$WORK/nores.json"
printf '{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"s3:*","Resource":"*"}]}' >"$WORK/dupsid.json"
tt repo --lint "$WORK/nores.json" "$WORK/dupsid.json"
expect_rc 1 "lint failures"
expect_err 'nores.json: policy: a statement needs exactly one of Resource and NotResource' "lint: no Resource"
expect_err 'dupsid.json: policy: Sid "A" twice' "lint: duplicate Sid"

# Running again replaces the files atomically and leaves no temporary file.
chmod 0444 "$O/role-app/app-inline.json"
tt repo --authz "$FX/account.json" $W --out "$O" -q
expect_rc 0 "second run"
expect_empty "$ERR" "-q: quiet"
expect_eq "$(find "$O" -name '*.tmp.*' | wc -l | tr -d ' ')" 0 "no temporary files"
expect_eq "$(stat -c %a "$O/role-app/app-inline.json")" 644 "the file was replaced by rename"

# Limits: 220 used ec2 actions behind "ec2:*". A managed policy is split
# (6,144 each), a role's inline fits its 10,240, a user's 2,048 is refused.
USED_JSON=$(printf '%s\n' $DESCRIBE | sed 's/^/ec2:/' | jq -R . | jq -sc 'sort')
role() { # role NAME INLINE-STATEMENTS ATTACHED
    printf '{"RoleName":"%s","Arn":"arn:aws:iam::%s:role/%s","CreateDate":"2025-01-01T00:00:00Z","RolePolicyList":[%s],"AttachedManagedPolicies":[%s]}' "$1" $A "$1" "$2" "$3"
}
ALLEC2='{"Version":"2012-10-17","Statement":[{"Sid":"Ec2","Effect":"Allow","Action":"ec2:*","Resource":"*"}]}'
cat >"$WORK/limits.json" <<JSON
{"UserDetailList":[{"UserName":"bigu","Arn":"arn:aws:iam::$A:user/bigu","CreateDate":"2025-01-01T00:00:00Z",
   "UserPolicyList":[{"PolicyName":"ec2","PolicyDocument":$ALLEC2}],"GroupList":[],"AttachedManagedPolicies":[]}],
 "GroupDetailList":[],
 "RoleDetailList":[$(role big '' '{"PolicyName":"BigEc2","PolicyArn":"arn:aws:iam::'$A':policy/BigEc2"},{"PolicyName":"Shared","PolicyArn":"arn:aws:iam::'$A':policy/Shared"}'),
   $(role biginline '{"PolicyName":"ec2","PolicyDocument":'"$ALLEC2"'}' '{"PolicyName":"Shared","PolicyArn":"arn:aws:iam::'$A':policy/Shared"}')],
 "Policies":[
  {"PolicyName":"BigEc2","Arn":"arn:aws:iam::$A:policy/BigEc2","PolicyVersionList":[{"Document":$ALLEC2,"IsDefaultVersion":true}]},
  {"PolicyName":"Shared","Arn":"arn:aws:iam::$A:policy/Shared","PolicyVersionList":[{"Document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]},"IsDefaultVersion":true}]}]}
JSON
L="$WORK/limits"
tt repo --authz "$WORK/limits.json" $W --out "$L"
expect_rc 3 "a refusal is a partial result: exit 3, the others written"
expect_err "user/bigu: refused, no files written: its inline policies total [0-9]+ characters after tightening, over IAM's 2048 for a user's" "user inline limit: clear refusal"
[ ! -e "$L/user-bigu" ] && ok || bad "refused: no files for the user"
grep -q '^user/bigu .*refused' "$L/SUMMARY.txt" && ok || bad "SUMMARY names the refusal"
expect_eq "$(cd "$L/role-big" && ls | tr '\n' ' ')" "BigEc2-2.json BigEc2.json CHANGES.md " "managed policy split in two; the shared one untouched"
expect_eq "$(jq -s -c '[.[].Statement[].Action[]] | sort' "$L/role-big/BigEc2.json" "$L/role-big/BigEc2-2.json")" "$USED_JSON" \
    "the split parts allow exactly the used actions"
expect_eq "$(jq -c '[.Statement[].Sid]' "$L/role-big/BigEc2-2.json")" '["Ec2Part2"]' "the continued statement's Sid"
tt repo --lint --max-chars 6144 "$L/role-big/BigEc2.json" "$L/role-big/BigEc2-2.json"
expect_rc 0 "each part within 6,144"
tt repo --lint --max-chars 6144 "$L/role-biginline/ec2.json"
expect_rc 1 "the role's inline document is over 6,144 ..."
tt repo --lint --max-chars 10240 "$L/role-biginline/ec2.json"
expect_rc 0 "... and within a role's 10,240"
expect_eq "$(jq -c '.Statement[0].Action | sort' "$L/role-biginline/ec2.json")" "$USED_JSON" "inline: exactly the used actions"
grep -q 'Shared`: also used by 1 other principal' "$L/role-big/CHANGES.md" && ok || bad "a shared managed policy is not tightened, said so"
grep -q 'Split into 2 managed policies' "$L/role-big/CHANGES.md" && ok || bad "CHANGES says it was split"

# Usage errors.
tt repo --authz "$FX/account.json"
expect_rc 2 "--out required"
tt repo --out "$WORK/x"
expect_rc 2 "--authz required"
tt repo --authz "$FX/bad-effect.json" --out "$WORK/x" $W
expect_rc 1 "a malformed authz file"
expect_err 'a statement.s Effect' "malformed: the unused parser's message"

# An 87 KB file (one user, 1,200 ec2:* statements) once filled repo's 16 MiB
# of text and aborted (SIGABRT, no message): input decides how far a
# document expands, so this is a refusal naming the principal, exit 3.
python3 - "$A" >"$WORK/wide.json" <<'PY'
import json, sys
a = sys.argv[1]
doc = {"Version": "2012-10-17",
       "Statement": [{"Sid": "S%d" % i, "Effect": "Allow", "Action": "ec2:*", "Resource": "*"} for i in range(1200)]}
user = {"Path": "/", "UserName": "alice", "UserId": "AIDAALICE", "Arn": "arn:aws:iam::%s:user/alice" % a,
        "CreateDate": "2020-01-01T00:00:00Z", "UserPolicyList": [{"PolicyName": "wide", "PolicyDocument": doc}],
        "GroupList": [], "AttachedManagedPolicies": [], "Tags": []}
json.dump({"UserDetailList": [user], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}, sys.stdout)
PY
tt repo --authz "$WORK/wide.json" $W --out "$WORK/wide"
expect_rc 3 "1,200 ec2:* statements: a refusal, not an abort"
expect_err 'user/alice: refused, no files written' "the refusal names the principal"
finish
