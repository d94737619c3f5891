# test_injection.sh - output injection, in one place. A capture built here
# puts hostile strings in every field a log controls (user names and ARNs,
# event sources and names, user agents, IPs, request parameters): IAM
# wildcards and policy variables (* ? ${aws:username}), spreadsheet formula
# prefixes (= + - @), HTML, and terminal escapes (ESC, BEL, C1 CSI). Then:
# no log string reaches a generated policy (only catalog action names and
# Resource "*"), no CSV cell starts a formula, no HTML report carries the
# markup, and no table output carries a control byte.
. "$(dirname "$0")/lib.sh"
have python3 || { skip "python3 (to build the capture) not installed"; finish; }
have jq || { skip "jq not installed"; finish; }
UNTIL="--until 2026-10-03 --days 30"
KEY=AKIAINJECT0000000001
python3 - "$WORK/cap.json" "$WORK/authz.json" <<'EOF'
import json, sys
A = '111122223333'
users = ["=cmd|' /C calc'!A0", "${aws:username}*?", "<img src=x onerror=alert(1)>",
         "\x1b]0;pwned\x07\u009b31m", "+SUM(1)", "@evil", "-1+2"]
recs, n = [], 0
def ev(ident, src, name, ua, ip='198.51.100.1', rp=None):
    global n
    n += 1
    recs.append({"eventVersion": "1.08", "userIdentity": ident,
                 "eventTime": "2026-10-02T%02d:%02d:00Z" % (n // 60, n % 60),
                 "eventSource": src, "eventName": name, "awsRegion": "us-east-1",
                 "sourceIPAddress": ip, "userAgent": ua,
                 "eventID": "00000000-0000-0000-0000-%012d" % n, "eventType": "AwsApiCall",
                 "recipientAccountId": A, "requestParameters": rp})
for i, u in enumerate(users):
    ident = {"type": "IAMUser", "principalId": "AIDAX%d" % i, "arn": "arn:aws:iam::%s:user/%s" % (A, u),
             "accountId": A, "userName": u, "accessKeyId": "AKIAINJECT000000000%d" % (i + 1)}
    ev(ident, "s3.amazonaws.com", "GetObject", "@SUM(1+1)",
       rp={"bucketName": "*", "key": "${aws:username}/?"})
    ev(ident, "s3.amazonaws.com", "Get*", "-2+3", ip="+1.2.3.4")
    ev(ident, "*", "*", '=HYPERLINK("http://evil")')
    ev(ident, "s3.amazonaws.com", "ListObjects?", "<script>alert(1)</script>\x1b[2J", ip="=1+1")
    ev(ident, "${aws:PrincipalTag/x}.amazonaws.com", "${aws:username}", "\u009b2J")
    ev(ident, "s3.amazonaws.com", "=SUM(A1)", "\x1b[31mred")
    ev(ident, "sqs.amazonaws.com", "SendMessage", "x", rp={"queueUrl": "https://q/${aws:username}"})
# A principal whose ARN and type are themselves formulas.
ev({"type": "@Type", "arn": "=HYPERLINK(\"http://evil\")", "accountId": A}, "s3.amazonaws.com",
   "GetObject", "x")
json.dump({"Records": recs}, open(sys.argv[1], 'w'))
pol = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "sqs:SendMessage", "s3:PutObject"], "Resource": "*"}]}
json.dump({"UserDetailList": [
    {"UserName": u, "UserId": "AIDAX%d" % i, "Arn": "arn:aws:iam::%s:user/%s" % (A, u), "Path": "/",
     "CreateDate": "2025-01-01T00:00:00Z", "GroupList": [], "AttachedManagedPolicies": [],
     "UserPolicyList": [{"PolicyName": "=p" if i == 0 else "<b>p</b>", "PolicyDocument": pol}]}
    for i, u in enumerate(users)] + [
    {"UserName": "@x", "UserId": "AIDAF", "Arn": '=HYPERLINK("http://evil")', "Path": "/",
     "CreateDate": "2025-01-01T00:00:00Z", "GroupList": [], "AttachedManagedPolicies": [],
     "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": pol}]}],
    "GroupDetailList": [], "RoleDetailList": [], "Policies": []},
    open(sys.argv[2], 'w'))
EOF
tt ingest --format json "$WORK/cap.json"
expect_rc 0 "ingest the hostile capture"
expect_eq "$(q 'SELECT count(*) FROM event')" 50 "every hostile event stored"

# ---- policies: only catalog names and Resource "*" -----------------------
for fmt in json terraform cloudformation; do
    tt policy --all -o "$WORK/pol-$fmt" --format "$fmt" $UNTIL
    expect_rc 0 "policy --all --format $fmt"
done
# Every log string that could widen a policy, and every marker of ours.
HOSTILE='\$\{|\*\?|\?"|"\*"[^}]|ListObjects|Get\*|HYPERLINK|cmd\||calc|onerror|<img|<script|SUM\(|PrincipalTag|queueUrl|https://q/|pwned|\\u001b|\\u009b'
# The policy document of each file: the file itself (json), the heredoc
# (terraform), PolicyDocument (cloudformation). The wrappers' descriptions
# name the principal, which is a log string: checked for escaping below.
doc() {
    case $1 in
    json) cat "$2" ;;
    terraform) sed -n '/<<-EOT/,/^ *EOT$/p' "$2" ;;
    cloudformation) jq '.Resources[].Properties.PolicyDocument' "$2" ;;
    esac
}
for fmt in json terraform cloudformation; do
    n=0 hits=""
    for f in "$WORK/pol-$fmt"/*; do
        case $f in *.report.json) continue ;; esac
        n=$((n + 1))
        doc "$fmt" "$f" | grep -qE "$HOSTILE" && hits="$hits $(basename "$f")"
        doc "$fmt" "$f" | grep -q '"Action"' || hits="$hits $(basename "$f"):no-document"
    done
    expect_eq "$n" 7 "$fmt: one policy per hostile user (the formula ARN is no IAM user)"
    expect_eq "$hits" "" "$fmt: no log string in any policy document"
done
# JSON documents: every Action a catalog name from the allowed set, every
# Resource exactly "*", no Condition and no NotAction.
for f in "$WORK"/pol-json/*.json; do
    case $f in *.report.json) continue ;; esac
    jq -e '[.Statement[] | (.Action[] | test("^(s3:GetObject|sqs:SendMessage)$")) and .Resource == "*"
        and (has("Condition") | not) and (has("NotAction") | not) and .Effect == "Allow"] | all' "$f" >/dev/null ||
        { bad "policy widened: $(basename "$f"): $(jq -c . "$f" | head -c 300)"; continue; }
    ok
done
expect_eq "$(find "$WORK" -name '*escape*' -o -name '*calc*' | grep -v "^$WORK/pol-" | head -1)" "" "no file named by a log string outside -o"
# Terraform interpolates "${...}" in any string: one from a log must come
# out escaped as "$${...}" (it does reach the description).
expect_eq "$(cat "$WORK"/pol-terraform/*.tf | grep -cE '(^|[^$])[$][{]')" 0 "terraform: no live interpolation from a log"
grep -q 'user/[$][$][{]aws:username[}]' "$WORK"/pol-terraform/*aws_username* && ok || bad "terraform: the name is kept, escaped"

# ---- CSV: no cell starts a formula --------------------------------------
# csvcheck FILE what : every cell that starts with = + - @ TAB CR is a
# number; and at least one defused cell ('= ...) shows the hostile string
# did reach the output.
csvcheck() {
    python3 - "$1" <<'EOF'
import csv, re, sys
bad, defused = [], 0
with open(sys.argv[1], newline='', encoding='utf-8', errors='replace') as f:
    for row in csv.reader(f):
        for c in row:
            if c[:1] in ('=', '+', '-', '@', '\t', '\r') and not re.fullmatch(r'-?\d+(\.\d+)?', c):
                bad.append(c)
            if c[:2] in ("'=", "'+", "'-", "'@"):
                defused += 1
if bad:
    print("formula cells: %r" % bad[:3]); sys.exit(1)
if not defused:
    print("no defused cell: the hostile strings never reached it"); sys.exit(2)
EOF
}
csvrun() { # csvrun what ARGS...
    local what=$1
    shift
    tt "$@" --format csv
    expect_rc 0 "$what csv"
    local msg
    if msg=$(csvcheck "$OUT"); then ok; else bad "$what csv: $msg"; fi
}
csvrun principals principals $UNTIL
csvrun usage usage "user/=cmd|' /C calc'!A0" $UNTIL
csvrun "usage (html user)" usage "user/<img src=x onerror=alert(1)>" $UNTIL
csvrun search search --since 2026-10-01 --until 2026-10-03
csvrun key key "$KEY" --since 2026-10-01 --until 2026-10-03 --section timeline
csvrun unused unused --authz "$WORK/authz.json" $UNTIL
expect_out "^\"'=HYPERLINK" "unused csv: a formula ARN from the authorization file defused"

# ---- HTML: markup from logs and the authorization file escaped ----------
htmlcheck() { # htmlcheck what
    expect_rc 0 "$1 html"
    expect_eq "$(grep -cE '<img|<script>alert|<b>p|onerror=alert\(1\)>' "$OUT")" 0 "$1 html: no injected markup"
    expect_out '&lt;img src=x onerror=alert\(1\)&gt;' "$1 html: the markup is shown as text"
    expect_eq "$(grep -c $'\x1b' "$OUT")" 0 "$1 html: no ESC byte"
}
tt key AKIAINJECT0000000003 --since 2026-10-01 --until 2026-10-03 --format html
htmlcheck key
expect_out '&lt;script&gt;alert\(1\)&lt;/script&gt;' "key html: user agent escaped"
tt unused --authz "$WORK/authz.json" $UNTIL --format html
htmlcheck unused

# ---- tables: no control byte reaches a terminal --------------------------
# ctlcheck what : no C0 control but newline, no DEL, no C1 (UTF-8 C2 80..9F).
ctlcheck() {
    if LC_ALL=C grep -qP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$OUT"; then
        bad "$1: a control byte reached the table: $(LC_ALL=C grep -naP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$OUT" | head -1 | od -c | head -2)"
    else
        ok
    fi
}
tablerun() { # tablerun what ARGS...
    local what=$1
    shift
    tt "$@" --format table
    expect_rc 0 "$what table"
    ctlcheck "$what table"
}
tablerun principals principals $UNTIL
expect_out 'user/\\x1b\]0;pwned\\x07\\xc2\\x9b31m|user/\\x1b\]0;pwned\\x07\\xc2\\x9b31m' "escapes shown as text"

tablerun "usage (esc user)" usage "arn:aws:iam::111122223333:user/$(printf '\033]0;pwned\007\302\23331m')" $UNTIL
expect_out '=SUM\(A1\)' "usage table shows the event name"
tablerun search search --since 2026-10-01 --until 2026-10-03
expect_out 'user/\\x1b\]0;pwned' "search table shows the escape as text"
tablerun status status
tablerun unused unused --authz "$WORK/authz.json" $UNTIL
tt key AKIAINJECT0000000004 --since 2026-10-01 --until 2026-10-03
expect_rc 0 "key text"
ctlcheck "key text"
finish
