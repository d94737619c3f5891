# test_partial.sh - keep good records of a bad object (issue 13): a record
# whose content is bad is rejected with its position and reason, the others
# are stored, the object is marked partial, the run exits 3 and says so in
# the line cron mails; several {"Records":...} documents on stdin are read
# one after another; a known bad object is skipped with a note under -v.
. "$(dirname "$0")/lib.sh"
FX="$TT_SOURCE_DIR/tests/fixtures/bad"

# One object with two bad records among six.
tt ingest "$FX/partial.json.gz"
expect_rc 3 "partial object: exit 3"
expect_err 'partial.json.gz: rejected record 2 \(byte [0-9]+\): eventTime "2026-10-01 noon" is not an ISO 8601 time' "bad time named with its position"
expect_err 'partial.json.gz: rejected record 5 \(byte [0-9]+\): eventName is a number, expected a string' "bad type named with its position"
expect_err 'partial.json.gz: partial: 2 of 6 records rejected \(above\), the other 4 kept' "the object said partial"
expect_err '^trailtrim: 1 input partial \(2 records rejected, the rest stored\)' "summary line"
expect_eq "$(kv objects_partial)" 1 "objects_partial in the summary"
expect_eq "$(kv records_rejected)" 2 "records_rejected in the summary"
expect_eq "$(kv events_added)" 4 "the good records stored"
expect_eq "$(q 'SELECT count(*) FROM event')" 4 "four events in the store"
expect_eq "$(q "SELECT group_concat(event_name, ' ') FROM (SELECT event_name FROM events ORDER BY time_ms)")" \
    "ListBuckets GetBucketPolicy GetBucketTagging GetBucketVersioning" "which records were kept"
expect_eq "$(q "SELECT status || ' ' || events FROM object WHERE path LIKE '%partial.json.gz'")" "partial 4" "manifest: partial, 4 events"
reason=$(q "SELECT reason FROM object WHERE path LIKE '%partial.json.gz'")
if printf '%s' "$reason" | grep -qE '^2 of 6 records rejected, the first at record 2 \(byte [0-9]+\): eventTime "2026-10-01 noon" is not an ISO 8601 time; others at record 5 \(byte [0-9]+\)$'; then ok; else bad "manifest reason: $reason"; fi

# Unchanged on the next run: not read or reported again.
tt ingest -q "$FX/partial.json.gz"
expect_rc 0 "partial object unchanged: skipped"
expect_empty "$ERR" "nothing said about it with -q"

# status counts and lists it; a fixed copy of it (content changed) is
# read again, not taken for tampering, and its events join the others.
tt status --format json
expect_eq "$(kv objects_partial)" 1 "status counts the partial object"
expect_out '"status": *"partial"' "status lists it among the problems"
cp "$FX/partial.json.gz" "$WORK/fixed.json.gz"
tt ingest -q "$WORK/fixed.json.gz"
zcat "$FX/partial.json.gz" | sed 's/"2026-10-01 noon"/"2026-10-01T12:00:00Z"/; s/"eventName":[0-9][0-9]*/"eventName":"GetBucketAcl"/' |
    gzip -n >"$WORK/fixed.json.gz"
touch -d '2030-01-01' "$WORK/fixed.json.gz"
tt ingest -q "$WORK/fixed.json.gz"
expect_rc 0 "the partial object, fixed, is read again (not tampering)"
expect_eq "$(q "SELECT status || ' ' || events FROM object WHERE path LIKE '%fixed.json.gz'")" "loaded 2" \
    "manifest: loaded, its 2 new events added"

# -q: the summary line cron mails counts rejected and partial objects.
rm -f "$TRAILTRIM_DB"*
mkdir -p "$WORK/tree"
cp "$FX/partial.json.gz" "$FX/truncated.json.gz" "$FX/good.json.gz" "$WORK/tree/"
tt ingest -q "$WORK/tree"
expect_rc 3 "-q over good, partial and rejected"
expect_err '^trailtrim: 1 input rejected, 1 input partial \(2 records rejected, the rest stored\) \(see above' "-q summary counts both"
expect_eq "$(grep -c '' "$OUT")" 0 "-q prints no summary on stdout"

# A rejected object still there is skipped, and -v says so.
tt ingest -v "$WORK/tree"
expect_rc 0 "re-run: nothing new"
expect_err 'truncated.json.gz: skipped: recorded as rejected .*unchanged' "-v notes a known rejected object"
tt ingest "$WORK/tree"
expect_no_err 'truncated.json.gz' "without -v it is quiet"

# Every record bad: the object is rejected as before, nothing stored.
tt ingest -q "$FX/bad-time.json"
expect_rc 3 "a one-record object with a bad record"
expect_err 'bad-time.json: rejected: record 1 \(byte [0-9]+\): eventTime "redacted"' "rejected whole"
expect_eq "$(q "SELECT status FROM object WHERE path LIKE '%bad-time.json'")" rejected "manifest: rejected"

# Several {"Records":...} documents on stdin, as zcat *.gz writes them.
rm -f "$TRAILTRIM_DB"*
stdin_ingest() { # stdin_ingest FILE ARGS...
    local f=$1
    shift
    OUT="$WORK/out.$$"
    ERR="$WORK/err.$$"
    "$TT_BIN" ingest "$@" - <"$f" >"$OUT" 2>"$ERR"
    RC=$?
}
zcat "$FX/good.json.gz" "$FX/good.json.gz" >"$WORK/twice.json"
stdin_ingest "$WORK/twice.json"
expect_rc 0 "two documents on stdin"
expect_eq "$(kv events_added)" 3 "both documents read (the second's events are duplicates)"
expect_eq "$(kv duplicates_dropped)" 3 "the second document's events seen"
rm -f "$TRAILTRIM_DB"*
{ zcat "$FX/good.json.gz" | sed 's/-8000-00000000000/-8000-00000000010/g'; printf '\n'; zcat "$FX/partial.json.gz"; } >"$WORK/mixed.json"
stdin_ingest "$WORK/mixed.json"
expect_rc 3 "two documents, a bad record in the second"
expect_err '\(stdin\): rejected document 2, record 2 \(byte [0-9]+\): eventTime' "the bad record named by its document"
expect_eq "$(q 'SELECT count(*) FROM event')" 7 "3 + 4 events stored"
{ zcat "$FX/good.json.gz"; zcat "$FX/truncated.json.gz" 2>/dev/null; } >"$WORK/cut.json"
stdin_ingest "$WORK/cut.json"
expect_rc 3 "a truncated second document"
expect_err '\(stdin\): rejected: document 2 \(from byte [0-9]+\): byte [0-9]+ \(line 1, column [0-9]+\)' "a syntax error rejects the stream, naming the document"
expect_eq "$(q 'SELECT count(*) FROM event')" 7 "nothing stored is lost"
finish
