# test_policy_output.sh - machine output is one value: a policy split over
# several documents goes to stdout as one JSON array (a single document as
# itself), -o FILE writes FILE, FILE-2..., and a later, shorter run removes
# the parts it no longer writes; --all -o DIR says what it replaced.
. "$(dirname "$0")/lib.sh"
have python3 || { echo "SKIP: python3 is needed" >&2; exit 77; }
CAT="$TT_SOURCE_DIR/generate/data/catalog.tsv"
# 600 distinct EC2 actions called by "big", one by "small": big's policy
# needs several managed policies.
awk -F'\t' '$1 == "A" && $2 == "ec2" { print $3 }' "$CAT" | head -600 | awk '
function ev(user, name, i) {
    printf "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\",\"principalId\":\"AIDA%s\",\"arn\":\"arn:aws:iam::111122223333:user/%s\",\"accountId\":\"111122223333\",\"userName\":\"%s\"},\"eventTime\":\"2026-10-01T12:%02d:%02dZ\",\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":\"%s\",\"awsRegion\":\"us-east-1\",\"sourceIPAddress\":\"1.2.3.4\",\"userAgent\":\"x\",\"requestParameters\":{},\"eventID\":\"%08d-0000-0000-0000-000000000000\",\"eventType\":\"AwsApiCall\",\"recipientAccountId\":\"111122223333\"}\n", toupper(user), user, user, int(i / 60) % 60, i % 60, name, i
}
{ ev("big", $0, NR) }
END { ev("small", "DescribeRegions", NR + 1) }' >"$WORK/ev.ndjson"
tt ingest -q "$WORK/ev.ndjson"
expect_rc 0 "ingest"
W="--until 2026-10-02 --days 3"

tt policy user/big $W
expect_rc 0 "split policy to stdout"
python3 -m json.tool "$OUT" >/dev/null && ok || bad "stdout is one JSON value"
n=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d) if isinstance(d, list) else 0)' "$OUT")
[ "$n" -ge 2 ] && ok || bad "a split policy is an array of documents (got $n)"
awk -F'\t' '$1 == "A" && $2 == "ec2" { print "ec2:" $3 }' "$CAT" | head -600 >"$WORK/called"
missing=$(python3 -c 'import json,sys; got={a for d in json.load(open(sys.argv[1])) for s in d["Statement"] for a in s["Action"]}; print(sum(1 for l in open(sys.argv[2]) if l.strip() not in got))' "$OUT" "$WORK/called")
expect_eq "$missing" "0" "every called action in one of the documents"
cp "$OUT" "$WORK/stdout.json"

tt policy user/small $W
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert isinstance(d, dict) and d["Version"] == "2012-10-17"' "$OUT" && ok || bad "one document is the document itself"

tt policy user/big $W -o "$WORK/p.json"
expect_rc 0 "split policy -o"
[ -f "$WORK/p.json" ] && [ -f "$WORK/p-2.json" ] && ok || bad "-o FILE writes FILE and FILE-2"
tt repo --lint "$WORK"/p*.json
expect_rc 0 "every part passes repo --lint"
python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=[json.load(open(f)) for f in sys.argv[2:]]; assert a == b' "$WORK/stdout.json" "$WORK/p.json" $(cd "$WORK" && ls p-*.json | sort -t- -k2 -n | sed "s|^|$WORK/|") && ok || bad "the parts are the array's documents, in order"
tt policy user/small $W -o "$WORK/p.json"
expect_rc 0 "a shorter policy over the same -o"
expect_eq "$(cd "$WORK" && ls p*.json | tr '\n' ' ')" "p.json " "the stale parts of the earlier run are removed"

mkdir -p "$WORK/all"
tt policy --all -o "$WORK/all" $W
expect_rc 0 "--all"
tt policy --all -o "$WORK/all" $W
expect_err 'replacing [1-9][0-9]* files of an earlier run' "--all says what it replaced"
ls "$WORK/all" | grep -q -- '-2\.json$' && ok || bad "--all names split parts NAME-2.json"
finish
