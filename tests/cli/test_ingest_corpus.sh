# test_ingest_corpus.sh - ingest of sample-logs/ (the S3 delivery layout):
# counts agree with the generator's own manifest, a re-run adds nothing,
# thread counts, bundles and stdin give the same store, a killed run
# finishes to the same store, and changed objects are flagged.
. "$(dirname "$0")/lib.sh"
LOGS="$TT_SOURCE_DIR/sample-logs"
[ -f "$LOGS/MANIFEST.txt" ] || { skip "sample-logs/MANIFEST.txt is missing"; finish; }
have sqlite3 || { skip "sqlite3 shell not installed"; finish; }

# A logical dump of a store: events and rollup by their strings, not ids.
dump() { # dump DB [nocoverage]
    local cov="SELECT a.v, r.v, c.day, c.events FROM coverage c JOIN dict a ON a.id = c.account
        JOIN dict r ON r.id = c.region ORDER BY 1, 2, 3;"
    [ "${2:-}" = nocoverage ] && cov=""
    sqlite3 -batch -noheader "$1" "
      SELECT time_ms, principal, arn, access_key, session_name, event_source, event_name,
             region, source_ip, user_agent, error_code, event_type, event_version,
             recipient_account, minted_key, read_only, management
        FROM events ORDER BY 1, 2, 3, 4, 6, 7, 9, 10, 8, 11;
      SELECT principal, day, event_source, event_name, outcome, via_service, calls, first_ms, last_ms
        FROM usage ORDER BY 1, 2, 3, 4, 5, 6; $cov"
}

tt ingest --format json "$LOGS"
expect_rc 0 "sample-logs ingest"
expect_eq "$(kv events_added)" "$(manifest events_unique)" "unique events"
expect_eq "$(kv duplicates_dropped)" "$(manifest duplicate_copies)" "duplicate copies dropped"
expect_eq "$(kv objects_loaded)" "$(manifest log_objects)" "log objects"
expect_eq "$(kv digests)" "$(manifest digest_objects)" "digest objects counted, not loaded"
expect_eq "$(q "SELECT count(*) FROM events WHERE event_version = '1.0'")" "$(manifest events_version_1_0)" "eventVersion 1.0 events"
expect_eq "$(q "SELECT count(*) FROM events WHERE error_code IS NOT NULL")" "$(manifest events_with_error)" "events with errors"
if have jq; then
    expect_eq "$(q "SELECT count(*) FROM (SELECT DISTINCT event_source, event_name FROM usage)")" \
        "$(find "$LOGS" -path '*/CloudTrail/*' -name '*.json.gz' -exec zcat {} + | jq -r '.Records[] | [.eventSource, .eventName] | @tsv' | sort -u | wc -l)" \
        "source/name pairs in the rollup (jq over the same files)"
fi
expect_eq "$(q "SELECT count(*) FROM events WHERE recipient_account IS NULL AND event_version != '1.0'")" 0 "recipient kept"
expect_eq "$(q 'SELECT sum(calls) FROM usage')" "$(manifest events_unique)" "rollup counts every event once"
expect_eq "$(q "SELECT count(*) FROM coverage c JOIN dict a ON a.id = c.account WHERE a.v = ''")" 0 "coverage always has an account"
cp "$TRAILTRIM_DB" "$WORK/clean.db"

# Again: nothing new, and quickly said so.
tt ingest --format json "$LOGS"
expect_rc 0 "re-run"
expect_eq "$(kv events_added)" 0 "re-run adds nothing"
expect_eq "$(kv objects_skipped)" "$(( $(manifest log_objects) + $(manifest digest_objects) ))" "re-run skips every object"
expect_err 'nothing new' "re-run says nothing new"

same_as_clean() { # same_as_clean DB what [nocoverage]
    dump "$1" "${3:-}" >"$WORK/other.dump"
    dump "$WORK/clean.db" "${3:-}" >"$WORK/clean.dump"
    if cmp -s "$WORK/clean.dump" "$WORK/other.dump"; then ok; else
        bad "$2: store differs from the clean run: $(diff "$WORK/clean.dump" "$WORK/other.dump" | head -3)"
    fi
}

# Thread counts do not change the result.
for j in 1 4; do
    tt --db "$WORK/j$j.db" ingest -q -j $j "$LOGS"
    expect_rc 0 "-j $j"
    same_as_clean "$WORK/j$j.db" "-j $j"
done

# The same objects in a tar.gz, a zip and through stdin.
(cd "$LOGS" && tar czf "$WORK/logs.tar.gz" AWSLogs)
tt --db "$WORK/tar.db" ingest -q "$WORK/logs.tar.gz"
expect_rc 0 "tar.gz bundle"
same_as_clean "$WORK/tar.db" "tar.gz bundle"
expect_eq "$(sqlite3 "$WORK/tar.db" "SELECT count(*) FROM object WHERE container = 'member'")" \
    "$(( $(manifest log_objects) + $(manifest digest_objects) ))" "bundle members recorded"
tt --db "$WORK/tar.db" ingest -q "$WORK/logs.tar.gz"
expect_rc 0 "tar.gz again"
expect_eq "$(sqlite3 "$WORK/tar.db" "SELECT count(*) FROM event")" "$(manifest events_unique)" "bundle again adds nothing"
if have zip; then
    (cd "$LOGS" && zip -qr "$WORK/logs.zip" AWSLogs)
    tt --db "$WORK/zip.db" ingest -q "$WORK/logs.zip"
    expect_rc 0 "zip bundle"
    same_as_clean "$WORK/zip.db" "zip bundle"
fi
for f in $(find "$LOGS/AWSLogs" -path '*CloudTrail/*' -name '*.json.gz' | sort); do
    "$TT_BIN" --db "$WORK/stdin.db" ingest -q - <"$f" || bad "stdin ingest of $f"
done
# (stdin carries no S3 key, so events without any account cannot be placed
# in coverage: compare events and usage only)
same_as_clean "$WORK/stdin.db" "stdin, one object at a time" nocoverage

# Killed at random moments, then run to the end: the same store.
cp -r "$LOGS" "$WORK/logs"
seed=${TT_KILL_SEED:-7}
for delay in 0.02 0.05 0.08 0.11 0.15 0.2; do
    "$TT_BIN" --db "$WORK/kill.db" ingest -q -j 1 "$WORK/logs" &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
done
tt --db "$WORK/kill.db" ingest -q "$WORK/logs"
expect_rc 0 "run after kills"
expect_eq "$(sqlite3 "$WORK/kill.db" 'PRAGMA integrity_check')" ok "integrity after kills"
# paths differ (a copy), so compare through the dump only
same_as_clean "$WORK/kill.db" "after SIGKILLs"
expect_eq "$(sqlite3 "$WORK/kill.db" "SELECT sum(events) FROM object")" "$(manifest events_unique)" "manifest counts after kills"

# SIGTERM stops cleanly with exit 6; the next run completes.
rm -f "$WORK/term.db"*
"$TT_BIN" --db "$WORK/term.db" ingest -q -j 1 "$WORK/logs" 2>"$WORK/term.err" &
pid=$!
# Once the lock file exists the handlers are in place (slow under sanitizers).
for _ in $(seq 1 500); do [ -e "$WORK/term.db.lock" ] && break; sleep 0.01; done
kill -TERM "$pid" 2>/dev/null
wait "$pid"
rc=$?
if [ "$rc" -eq 6 ]; then
    ok
    grep -q 'interrupted' "$WORK/term.err" && ok || bad "SIGTERM message"
elif [ "$rc" -eq 0 ]; then
    skip "the run finished before SIGTERM arrived"
else
    bad "SIGTERM exit code $rc, expected 6"
fi
tt --db "$WORK/term.db" ingest -q "$WORK/logs"
expect_rc 0 "run after SIGTERM"
same_as_clean "$WORK/term.db" "after SIGTERM"

# A stored object whose content changes: possible tampering, exit 4.
victim=$(find "$WORK/logs/AWSLogs" -path '*CloudTrail/*' -name '*.json.gz' | sort | head -n 1)
zcat "$victim" | sed 's/"eventName":"\([A-Za-z]*\)"/"eventName":"\1X"/' | gzip -n >"$victim.new"
mv "$victim.new" "$victim"
tt --db "$WORK/kill.db" ingest "$WORK/logs"
expect_rc 4 "changed object"
expect_err "$(basename "$victim"): WARNING: content changed since it was recorded .*possible tampering" "changed object named"
same_as_clean "$WORK/kill.db" "a changed object is not re-read"
tt --db "$WORK/kill.db" status --format json
if have jq; then
    jq -e '.summary.objects_changed == 1 and (.problems | map(select(.status == "changed")) | length) == 1' "$OUT" >/dev/null && ok || bad "status lists the change"
fi
# Touched but unchanged: skipped quietly.
other=$(find "$WORK/logs/AWSLogs" -path '*CloudTrail/*' -name '*.json.gz' | sort | tail -n 1)
touch "$other"
tt --db "$WORK/kill.db" ingest --format json "$other"
expect_rc 0 "touched object"
expect_eq "$(kv objects_skipped)" 1 "touched object skipped by content"
finish
