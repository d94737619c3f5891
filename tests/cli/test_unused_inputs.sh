# test_unused_inputs.sh - `unused --authz` on the files users have (issue
# 13): CreateDate as AWS SDKs and cloudsplaining write it, and the warnings
# (stderr and the JSON's "warnings") on one page of the API's output, on
# attached policies the file lacks, and on a window too short to judge;
# sts:GetCallerIdentity is never unused.
. "$(dirname "$0")/lib.sh"
have jq || { echo "SKIP: jq is needed" >&2; exit 77; }
FX="$TT_SOURCE_DIR/tests/fixtures/authz"

N=0
ev() { # ev TIME user|role NAME SOURCE EVENT
    N=$((N + 1))
    if [ "$2" = user ]; then
        id="{\"type\":\"IAMUser\",\"principalId\":\"AIDA$N\",\"arn\":\"arn:aws:iam::111122223333:user/$3\",\"accountId\":\"111122223333\",\"userName\":\"$3\"}"
    else
        id="{\"type\":\"AssumedRole\",\"principalId\":\"AROA$3:s\",\"arn\":\"arn:aws:sts::111122223333:assumed-role/$3/s\",\"accountId\":\"111122223333\",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"principalId\":\"AROA$3\",\"arn\":\"arn:aws:iam::111122223333:role/$3\",\"accountId\":\"111122223333\",\"userName\":\"$3\"}}}"
    fi
    printf '{"eventVersion":"1.08","userIdentity":%s,"eventTime":"%s","eventSource":"%s","eventName":"%s","awsRegion":"us-east-1","sourceIPAddress":"1.2.3.4","userAgent":"x","eventID":"00000000-0000-0000-0000-%012d","eventType":"AwsApiCall","recipientAccountId":"111122223333"}\n' "$id" "$1" "$4" "$5" "$N"
}
{
    for d in 01 02 03 04 05 06 07 08 09 10; do ev "2026-10-${d}T12:00:00Z" user alice ec2.amazonaws.com DescribeInstances; done
    ev 2026-10-08T10:00:00Z role app sqs.amazonaws.com SendMessage
} >"$WORK/cap.ndjson"
tt ingest -q "$WORK/cap.ndjson"
expect_rc 0 "ingest the capture"

F="$FX/sdk-dates-page.json"
tt unused --authz "$F" --until 2026-10-10 --days 5 --format json
expect_rc 0 "CreateDate as SDKs write it is accepted"
J="$WORK/u.json"
cp "$OUT" "$J"
expect_eq "$(jq -r '[.principals[].created] | join(" ")' "$J")" "2023-03-09T10:41:45Z 2023-03-09T10:41:45Z" "both CreateDate forms read as the same instant"
expect_eq "$(jq -r '[.principals[].status] | join(" ")' "$J")" "judged judged" "both principals judged"
expect_err 'warning: .*sdk-dates-page.json: "IsTruncated": true: the file is one page of the API.s output \(next Marker "AAEXAMPLEMARKER"\)' "truncated page warned on stderr"
expect_err 'warning: .*attached managed policy arn:aws:iam::aws:policy/ReadOnlyAccess \(referred to by 2 principals or groups\) is not in the file' "missing attached policy warned once"
expect_err 'warning: the window is 5 days, shorter than the 90 days .*Repokid.s rule.*the store holds 10 days \(2026-10-01..2026-10-10\): --until 2026-10-10 --days 10 would judge on all of them' "short window warned, with what the store holds"
expect_eq "$(jq '.warnings | length' "$J")" 3 "the JSON holds the three warnings"
expect_eq "$(jq -r '.warnings[0] | test("IsTruncated")' "$J")" true "JSON: the truncated page"
expect_eq "$(jq -r '.warnings[1] | test("ReadOnlyAccess")' "$J")" true "JSON: the missing policy"
expect_eq "$(jq -r '.warnings[2] | test("shorter than the 90 days")' "$J")" true "JSON: the short window"
expect_eq "$(jq -r '.authz | test("sdk-dates-page.json$")' "$J")" true "the rest of the report is as before"
expect_eq "$(jq -c '[.principals[] | select(.name == "app") | .actions[] | select(.action == "sts:GetCallerIdentity") | .status]' "$J")" \
    '["not_observable_permission_only"]' "sts:GetCallerIdentity is never unused"
expect_eq "$(jq -c '[.principals[] | select(.name == "app") | .actions[] | select(.status == "unused") | .action]' "$J")" \
    '["sqs:DeleteMessage"]' "app's unused set (sts:GetCallerIdentity never called)"

# Table and -q: the warnings still go to stderr, never into the table.
tt unused --authz "$F" --until 2026-10-10 --days 5 --format table -q
expect_rc 0 "table"
expect_err 'warning: .*IsTruncated' "warnings with -q too"
if grep -q 'IsTruncated' "$OUT"; then bad "warning in the table on stdout"; else ok; fi

# A window of 90 days or more: no window warning; a complete file: none.
tt unused --authz "$F" --until 2026-10-10 --days 90 --format json
expect_no_err 'shorter than the 90 days' "90 days: no window warning"
expect_eq "$(jq '.warnings | length' "$OUT")" 2 "90 days: the file's two warnings"
tt unused --authz "$FX/account.json" --until 2026-10-10 --days 120 --format json
expect_rc 0 "account.json"
expect_no_err 'warning' "a complete file and a long window: no warnings"
expect_eq "$(jq -c '.warnings' "$OUT")" '[]' "JSON: an empty warnings array"

# A CreateDate that is no time is still refused, quoting it.
sed 's/"2023-03-09 10:41:45+00:00"/"2023-03-09 10:41:45"/' "$F" >"$WORK/nozone.json"
tt unused --authz "$WORK/nozone.json" --until 2026-10-10 --days 5
expect_rc 1 "a CreateDate without a zone"
expect_err 'nozone.json: byte [0-9]+ \(line [0-9]+, column [0-9]+\): UserDetailList\[0\] \(alice\): CreateDate "2023-03-09 10:41:45" is not a time with a zone' "refused with the place"
finish
