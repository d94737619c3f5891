# test_cli.sh - the command line contract: help, usage errors, exit codes,
# formats, the lock, and stdout staying data while stderr has diagnostics.
. "$(dirname "$0")/lib.sh"
FX="$TT_SOURCE_DIR/tests/fixtures"

tt --help
expect_rc 0 "--help"
expect_out '^Usage: trailtrim' "--help on stdout"
expect_out 'Exit codes' "--help lists exit codes"
tt --version
expect_rc 0 "--version"
expect_out '^trailtrim [0-9]+\.[0-9]+\.[0-9]+' "--version"
tt
expect_rc 2 "no command"
tt frobnicate
expect_rc 2 "unknown command"
expect_err 'unknown command "frobnicate"' "unknown command named"
tt ingest
expect_rc 2 "ingest without paths"
tt ingest -j 0 x
expect_rc 2 "bad -j"
tt principals --days abc
expect_rc 2 "bad --days"
expect_err '--days takes a whole number' "--days message"
tt principals --until yesterday-ish
expect_rc 2 "bad --until"
tt status --format xml
expect_rc 2 "bad --format"
for c in ingest status principals usage; do
    tt "$c" --help
    expect_rc 0 "$c --help"
    expect_out "^Usage: trailtrim .*$c" "$c --help text"
done

tt status
expect_rc 1 "status without a store"
expect_err 'no store here' "status without a store says so"

tt ingest "$FX/bad/good.json.gz" --format json
expect_rc 0 "ingest"
if have jq; then
    jq -e '.events_added == 3' "$OUT" >/dev/null && ok || bad "ingest summary is JSON with events_added 3"
fi
tt status --format json
expect_rc 0 "status json"
if have jq; then
    jq -e '.summary.events == 3 and (.coverage | length) == 1 and .coverage[0].region == "us-east-1"' "$OUT" >/dev/null && ok || bad "status json content"
fi
tt principals --until 2026-10-02 --days 5 --format csv
expect_rc 0 "principals csv"
expect_out '^principal,type,account,calls,errors,denied,first_seen,last_seen' "csv header"
expect_out '^arn:aws:iam::111122223333:user/alice,IAMUser,111122223333,3,0,0,2026-10-01T12:00:01Z,2026-10-01T12:00:03Z' "csv row"
tt principals --until 2026-09-01 --format json
expect_eq "$(jq -c .principals "$OUT")" "[]" "a window with no data is empty"
tt usage alice --until 2026-10-02 --format json
expect_rc 0 "usage by short name"
if have jq; then
    jq -e '.usage | length == 3 and (map(.event) | sort) == ["GetBucketAcl","GetBucketPolicy","ListBuckets"] and all(.calls == 1)' "$OUT" >/dev/null && ok || bad "usage rows"
fi
tt usage nobody
expect_rc 1 "usage of an unknown principal"
expect_err 'no principal named "nobody"' "unknown principal named"
tt --db "$WORK/other.db" ingest -q "$FX/bad/good.json.gz"
expect_rc 0 "--db before the command"
[ -f "$WORK/other.db" ] && ok || bad "--db made the store there"

# A second writer fails at once (exit 5) while the first holds the lock.
if have flock; then
    flock "$TRAILTRIM_DB.lock" sleep 3 &
    holder=$!
    sleep 0.5
    start=$(date +%s%N)
    tt ingest -q "$FX/bad/good.json.gz"
    took=$((($(date +%s%N) - start) / 1000000))
    expect_rc 5 "second writer"
    expect_err 'another trailtrim .* is writing to this store' "busy message"
    [ "$took" -lt 2000 ] && ok || bad "second writer failed at once (took ${took} ms)"
    tt ingest -q --wait "$FX/bad/good.json.gz"
    expect_rc 0 "--wait waits for the lock"
    wait "$holder"
else
    skip "flock(1) not installed"
fi

# Log strings cannot drive the terminal: escapes are shown, not sent.
printf '{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/\\u001b[31mevil"},"eventTime":"2026-10-01T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","awsRegion":"us-east-1","eventID":"x1"}' >"$WORK/esc.json"
rm -f "$TRAILTRIM_DB"*
tt ingest -q "$WORK/esc.json"
tt principals --until 2026-10-02 --format table
if grep -q $'\x1b' "$OUT"; then bad "escape sequence reached the table"; else ok; fi
expect_out 'user/\\x1b\[31mevil' "escape shown as text"
tt principals --until 2026-10-02 --format csv
expect_out $'user/\x1b' "csv keeps the data (quoted by the spreadsheet rules)"
finish
