# test_readable.sh - text meant for people shows no literal \x0a: a
# short-name that names several principals lists them one a line (the
# store's message has newlines; cmd_error prints them as lines), and a
# pretty-printed policy document in the key report is folded onto one line
# in the text, CSV, JSON and HTML timeline. A capture made here, in Python.
. "$(dirname "$0")/lib.sh"
have python3 || { skip "python3 not installed"; finish; }
KEY=AKIAQPOLICYKEY000001
python3 - "$WORK/cap.json.gz" "$KEY" <<'PY'
import gzip, json, sys
out, key = sys.argv[1], sys.argv[2]
def rec(i, acct, name, event, src="iam.amazonaws.com", rp=None, k=None):
    return {"eventVersion": "1.09", "eventTime": "2026-10-05T10:%02d:00Z" % i,
            "eventSource": src, "eventName": event, "awsRegion": "us-east-1",
            "sourceIPAddress": "198.51.100.9", "userAgent": "aws-cli/2.15.0",
            "userIdentity": {"type": "IAMUser", "principalId": "AIDA" + acct + name.upper(),
                             "arn": "arn:aws:iam::%s:user/%s" % (acct, name), "accountId": acct,
                             "accessKeyId": k or ("AKIAQ" + acct[:4] + name.upper()).ljust(20, "0")[:20],
                             "userName": name},
            "requestParameters": rp, "responseElements": None, "eventID": "ev-%d" % i,
            "readOnly": False, "eventType": "AwsApiCall", "recipientAccountId": acct}
doc = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::999988887777:root"}, "Action": "sts:AssumeRole"}]}, indent=4)
recs = [rec(1, "111111111111", "dev", "ListUsers"), rec(2, "222222222222", "dev", "ListUsers"),
        rec(3, "111111111111", "ops", "UpdateAssumeRolePolicy", k=key,
            rp={"roleName": "deploy", "policyDocument": doc})]
with gzip.open(out, "wt") as f:
    json.dump({"Records": recs}, f)
PY
tt ingest -q "$WORK/cap.json.gz"
expect_rc 0 "ingest the capture"

# A short name that names two principals: one candidate a line, no \x0a.
tt usage dev --until 2026-10-06
expect_rc 2 "usage dev: ambiguous"
expect_eq "$(grep -c 'x0a' "$ERR")" 0 "no literal \\x0a in the message"
expect_err '^trailtrim: "dev" names more than one principal; give the full ARN:$' "the message ends its first line"
expect_err '^  arn:aws:iam::111111111111:user/dev$' "first candidate on its own indented line"
expect_err '^  arn:aws:iam::222222222222:user/dev$' "second candidate on its own indented line"
tt search --principal dev
expect_rc 2 "search --principal dev: ambiguous"
expect_err '^  arn:aws:iam::222222222222:user/dev$' "search lists the candidates one a line"

# A policy document in the key report: folded onto one line.
fold='policyDocument=\{"Version": "2012-10-17", "Statement": \[\{"Effect": "Allow", "Principal": \{"AWS": "arn:aws:iam::999988887777:root"\}, "Action": "sts:AssumeRole"\}\]\}'
tt key "$KEY"
expect_rc 0 "key text"
expect_eq "$(grep -c 'x0a' "$OUT")" 0 "key text: no literal \\x0a"
expect_out "roleName=deploy $fold" "key text: the policy document on one line"
tt key "$KEY" --format csv --section timeline
expect_eq "$(python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1], newline=""))); print(r[0]["details"])' "$OUT" | grep -cE "$fold")" 1 "key csv: folded"
expect_eq "$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline=""))))' "$OUT")" 2 "key csv: one record, one line"
tt key "$KEY" --format html
expect_eq "$(grep -c 'x0a' "$OUT")" 0 "key html: no literal \\x0a"
expect_out 'policyDocument=\{&quot;Version&quot;: &quot;2012-10-17&quot;' "key html: the document, escaped, on one line"
# A single-line value keeps its own spaces.
tt key "$KEY" --format json --section findings
expect_eq "$(jq -r '.[0].details' "$OUT" | grep -c '  ')" 0 "no doubled spaces from the indentation"
finish
