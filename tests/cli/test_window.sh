# test_window.sh - one meaning of the window in every reading command: a day
# given to --until means through its end, a time is honoured exactly, an
# offset or epoch seconds name the same instant, search and key take --days,
# and a window with nothing in it says where the store's events are.
. "$(dirname "$0")/lib.sh"
LOGS="$TT_SOURCE_DIR/sample-logs"
[ -f "$LOGS/MANIFEST.txt" ] || { skip "sample-logs is missing"; finish; }
tt ingest -q "$LOGS"
expect_rc 0 "ingest sample-logs"
# The last events are on 2026-11-19 up to 16:54:59Z.
n() { grep -c . "$OUT"; }
tt search --until 2026-11-19 --days 1 --format csv
day=$(n)
tt search --since 2026-11-19 --until 2026-11-19 --format csv
expect_eq "$(n)" "$day" "search: --since DAY --until DAY is that whole day"
tt search --until 2026-11-20T00:00:00Z --days 1 --format csv
expect_eq "$(n)" "$day" "search: --until DAY is --until the next midnight"
[ "$day" -gt 100 ] && ok || bad "search --until 2026-11-19 sees that day ($day lines)"
tt principals --until 2026-11-19 --days 1 --format json
calls=$(jq '[.principals[].calls] | add' "$OUT")
expect_eq "$calls" "$((day - 1))" "principals and search count the same day"
expect_eq "$(jq -r '.window.since + " " + .window.until' "$OUT")" "2026-11-19T00:00:00Z 2026-11-20T00:00:00Z" "principals: window in the JSON"
tt search --until 2026-11-19T16:54:00Z --since 2026-11-19 --format csv
exact=$(n)
[ "$exact" -lt "$day" ] && ok || bad "search: a time in --until is honoured ($exact vs $day)"
tt search --until 2026-11-19T18:54:00+02:00 --since 2026-11-19 --format csv
expect_eq "$(n)" "$exact" "search: +02:00 offset"
tt search --until 1795107240 --since 2026-11-19 --format csv
expect_eq "$(n)" "$exact" "search: epoch seconds"
tt search --until '2026-11-19 16:54Z' --since 2026-11-19 --format csv
expect_eq "$(n)" "$exact" "search: a space and no seconds"
tt search --until 2026-11-19 --since 2026-11-19 --days 1
expect_rc 2 "--since and --days together"
tt search --until 2026-11-19T25:00:00Z
expect_rc 2 "impossible hour"
expect_err '--until takes a time like' "the forms of a time are named"
tt search --until 2026-11-19T16:54:00+2
expect_rc 2 "half an offset"
# Every reading command states its window.
tt principals --until 2026-11-19 --format table
expect_err '^trailtrim principals: window 2026-08-22\.\.2026-11-19, 90 whole UTC days$' "principals states its window"
tt search --event GetCallerIdentity --limit 1 --format table
expect_err '^trailtrim search: window all the store holds$' "search states its window"
tt key AKIAJR6H7VMRXLQYI35I --until 2026-11-19 --days 30
expect_rc 0 "key --days"
expect_err '^trailtrim key: window 2026-10-21T00:00:00Z to 2026-11-20T00:00:00Z' "key states its window"
# Nothing in the window: where the data is, and key fails as for an unknown key.
tt principals --until 2023-07-10
expect_rc 0 "empty principals"
expect_err 'the store holds events from 2026-08-12T04:15:01Z to 2026-11-19T16:54:59Z: --until 2026-11-19 --days 100 sees them all' "empty window names the data"
tt key AKIAJR6H7VMRXLQYI35I --until 2023-07-10
expect_rc 1 "key silent in the window"
expect_err 'no call with access key AKIAJR6H7VMRXLQYI35I in the window' "key says so"
tt key AKIAZZZZZZZZZZZZZZZZ
expect_rc 1 "unknown key"
tt trust no-such-role --until 2023-07-10 -q
expect_err 'nothing found in the window' "trust: empty window says so"
finish
