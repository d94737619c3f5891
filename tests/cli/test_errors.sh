# test_errors.sh - errors that fit: options after operands, one message per
# bad option, a missing path is a usage error, search filters that cannot
# match are refused, verify without digests is one finding, and
# sts:GetCallerIdentity (no permission needed) is never unused.
. "$(dirname "$0")/lib.sh"
FX="$TT_SOURCE_DIR/tests/fixtures"
LOGS="$TT_SOURCE_DIR/sample-logs"
# A tree of logs in the S3 layout without its CloudTrail-Digest/ folder.
mkdir -p "$WORK/nodigest"
n=0
for f in $(find "$LOGS" -name '*.json.gz' -path '*/CloudTrail/*' | sort | head -4); do
    mkdir -p "$WORK/nodigest/$(dirname "${f#$LOGS/}")"
    cp "$f" "$WORK/nodigest/${f#$LOGS/}"
    n=$((n + 1))
done
tt verify "$WORK/nodigest" --format json
expect_rc 7 "verify PATH --format json: options after the path"
expect_no_err 'cannot stat' "--format and json are not files"
expect_eq "$(jq '.problems | length' "$OUT")" 1 "no digests: one finding"
expect_eq "$(jq -r '.problems[0].kind' "$OUT")" "no-digests" "the finding says digests are missing"
expect_eq "$(jq '.summary.problems' "$OUT")" 1 "the count agrees"
jq -e ".problems[0].detail | test(\"the $n log objects cannot be checked\")" "$OUT" >/dev/null && ok || bad "the finding counts the logs"
# One error per bad option, naming it.
for c in principals search key verify ingest trust keys unused mapping status; do
    tt "$c" --bogus-option x
    expect_rc 2 "$c --bogus-option"
    expect_eq "$(grep -c . "$ERR")" 2 "$c: one error and one hint"
    expect_err "unknown option \"--bogus-option\"" "$c names the option"
done
tt search --limit
expect_err 'option "--limit" needs a value' "a missing value is named"
# A path that is not there is a usage error, before any work.
tt ingest /nonexistent/trail
expect_rc 2 "ingest /nonexistent"
expect_err '^trailtrim ingest: /nonexistent/trail: No such file or directory' "ingest names the path"
[ ! -e "$TRAILTRIM_DB" ] && ok || bad "ingest of a missing path creates no store"
tt ingest -q "$FX/bad/good.json.gz"
expect_rc 0 "ingest a good file"
tt search --ip 999.1.1.1
expect_rc 2 "search --ip 999.1.1.1"
expect_err '--ip takes an IP address' "bad IP refused"
tt search --ip 2001:db8:::1
expect_rc 2 "search --ip bad IPv6"
tt search --ip 2001:db8::1 --format csv
expect_rc 0 "search --ip IPv6"
tt search --ip ec2.amazonaws.com --format csv
expect_rc 0 "search --ip a service name"
tt search --source iam
expect_rc 2 "search --source iam"
expect_err 'such as iam.amazonaws.com' "--source suggests the eventSource"
# An answer that cannot be written is a failed run (exit 1), not a silent 0.
if [ -w /dev/full ]; then
    tt ingest -q "$TT_SOURCE_DIR/sample-logs"
    expect_rc 0 "a store to answer from"
    for cmd in "status --format json" "principals --days 3650 --until 2030-01-01 --format json"; do
        OUT="$WORK/out.$$"
        ERR="$WORK/err.$$"
        "$TT_BIN" $cmd >/dev/full 2>"$ERR" </dev/null
        RC=$?
        expect_rc 1 "$cmd into /dev/full"
        expect_err 'writing the answer to standard output' "$cmd: says the answer was not written"
    done
else
    skip "no /dev/full"
fi
finish
