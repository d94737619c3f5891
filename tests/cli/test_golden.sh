# test_golden.sh - the reading commands' exact output on sample-logs/, in
# every format, against files in tests/golden/: stdout, then stderr (after a
# "[stderr]" line, when there is any), then the exit code. After an intended change,
# regenerate them with TT_UPDATE_GOLDEN=1 ctest -R golden, and review the
# diff before committing.
. "$(dirname "$0")/lib.sh"
LOGS="$TT_SOURCE_DIR/sample-logs"
GOLD="$TT_SOURCE_DIR/tests/golden"
[ -f "$LOGS/MANIFEST.txt" ] || { skip "sample-logs is missing"; finish; }
tt ingest -q "$LOGS"
expect_rc 0 "ingest sample-logs"
UNTIL=2026-11-20

golden() { # golden NAME ARGS... : compare stdout+stderr+exit code with tests/golden/NAME
    local name=$1
    shift
    tt "$@"
    { cat "$OUT"; if [ -s "$ERR" ]; then echo "[stderr]"; cat "$ERR"; fi; echo "[exit $RC]"; } >"$WORK/$name"
    if [ "${TT_UPDATE_GOLDEN:-}" = 1 ]; then
        cp "$WORK/$name" "$GOLD/$name"
        ok
    elif cmp -s "$WORK/$name" "$GOLD/$name"; then
        ok
    else
        bad "$name differs from tests/golden/$name: $(diff "$GOLD/$name" "$WORK/$name" | head -5)"
    fi
}
golden principals.table principals --until $UNTIL --format table
golden principals.json principals --until $UNTIL --format json
golden principals-30d.csv principals --until $UNTIL --days 30 --format csv
golden usage-app.table usage role/prod-payments-app --until $UNTIL --format table
golden usage-app.json usage role/prod-payments-app --until $UNTIL --format json
golden usage-app-7d.csv usage role/prod-payments-app --until $UNTIL --days 7 --format csv
# The window: a day means through its end, a time is exact, the same for
# every command; an empty window says where the data is.
golden window-principals-day.csv principals --until 2026-11-19 --days 1 --format csv
golden window-search-day.csv search --until 2026-11-19 --days 1 --source sts.amazonaws.com --event 'GetC*' --format csv
golden window-search-time.csv search --until 2026-11-19T16:54:00Z --days 1 --source sts.amazonaws.com --event 'GetC*' --format csv
golden window-empty.table principals --until 2023-07-10 --format table
golden window-empty.json usage role/prod-payments-app --until 2023-07-10 --format json
golden window-key-empty.txt key AKIAJR6H7VMRXLQYI35I --until 2023-07-10
golden window-bad-until.txt principals --until 2026-13-01
# Outputs that load: CSV is one table with one header; the search table
# has a header; no project-internal words in the key report's data.
golden status-coverage.csv status --format csv --section coverage
tt status --format csv --section summary
expect_eq "$(head -n 1 "$OUT" | tr -d '\r')" "key,value" "status summary CSV: one header"
expect_eq "$(grep -c '^#' "$OUT")" 0 "status summary CSV: no section titles"
golden status-csv-needs-section.txt status --format csv
golden search-table.table search --until 2026-08-12T04:15:06Z --format table
if have sqlite3; then
    tt status --format csv --section coverage
    rows=$(sqlite3 :memory: ".import --csv $OUT cov" "SELECT count(*) FROM cov")
    expect_eq "$rows" "$(($(grep -c . "$OUT") - 1))" "status coverage CSV loads with sqlite3 .import"
fi
if grep -qiE 'issue [0-9]' "$TT_SOURCE_DIR/forensics/data/forensics-calls.tsv"; then bad "forensics-calls.tsv names an issue"; else ok; fi
finish
