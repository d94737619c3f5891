# test_scale.sh - what a run costs is what it reads, not what the store
# holds, and memory is bounded by --memory, not by the input:
#   - one new object into a store of many objects and identities reads a
#     few pages and looks up a few rows (ingest -v counts them), not the
#     dictionaries (the store before version 3 loaded them all);
#   - a 4 GiB gzip bomb among good files is rejected with its reason, costs
#     no more than the budget, and the good files are stored;
#   - an object of 60,000 events is stored within the default budget, and
#     rejected with its reason under a budget it cannot fit;
#   - key and search read through the forensics index (EXPLAIN QUERY PLAN);
#   - the write-ahead log beside the store stays under --max-wal while a
#     run writes, and a reader that keeps it from starting over does not
#     stop the writer;
#   - the manifest of recorded objects is asked object by object, not held:
#     one new object beside 200,000 recorded costs what it is.
. "$(dirname "$0")/lib.sh"
have python3 || { skip "python3 not installed"; finish; }
have sqlite3 || { skip "sqlite3 shell not installed"; finish; }
[ -x /usr/bin/time ] || { skip "GNU time not installed"; finish; }
GEN="$TT_BINARY_DIR/bench/trailtrim-gencorpus"
[ -x "$GEN" ] || { skip "corpus generator not built"; finish; }
MK="$TT_SOURCE_DIR/tests/fixtures/make-large.py"

# A sanitizer build's shadow memory is no part of the budget: its peaks
# are not judged (the release suite judges them).
SANITIZED=0
grep -q '^TT_SANITIZE:STRING=..*' "$TT_BINARY_DIR/CMakeCache.txt" 2>/dev/null && SANITIZED=1
peak_within() { # peak_within KB what
    if [ "$SANITIZED" = 1 ]; then ok; return; fi
    if [ "$PEAK_KB" -le "$1" ]; then ok; else bad "$2 cost ${PEAK_KB} KB, over $1 KB"; fi
}

# peak KB of the last run: tt_timed ARGS...
tt_timed() {
    OUT="$WORK/out.$$"
    ERR="$WORK/err.$$"
    /usr/bin/time -o "$WORK/time" -f '%M' "$TT_BIN" "$@" >"$OUT" 2>"$ERR" </dev/null
    RC=$?
    PEAK_KB=$(tail -n 1 "$WORK/time")
}
# field N of the -v work line ("store: A lookups past the caches, B rows
# added, C pages read; in flight at most D of E MiB")
work() { sed -n 's/.*store: \([0-9]*\) lookups past the caches, \([0-9]*\) rows added, \([0-9]*\) pages read; in flight at most \([0-9]*\) of.*/\1 \2 \3 \4/p' "$ERR" | cut -d' ' -f"$1"; }

# ---- the nightly increment ------------------------------------------------
# Real churn: a new session key every few calls (bench/README.md). Big
# enough that the dictionaries outweigh the few pages any write reads
# (the roots and inner pages of a dozen b-trees: 50-60 pages of 16 KiB
# here, against 129 of dictionaries at 60,000 events and 285 at 150,000).
"$GEN" --out "$WORK/corpus" --events 150000 --seed 7 --churn high >/dev/null 2>&1 || bad "generator failed"
tt ingest -q "$WORK/corpus"
expect_rc 0 "a store of 150,000 events"
# The pages a whole-dictionary load would read: those of the tables the
# writer looks strings, identities and shapes up in (dbstat, where the
# shell has it; else a tenth of the file).
pages=$(q "SELECT sum(pageno > 0) FROM dbstat WHERE name IN ('dict', 'identity', 'shape')" 2>/dev/null ||
    echo $(($(q 'PRAGMA page_count') / 10)))
idents=$(q 'SELECT count(*) FROM identity')
strings=$(q 'SELECT count(*) FROM dict')
python3 "$MK" events "$WORK/new/AWSLogs/111122223333/CloudTrail/us-east-1/2027/01/01/111122223333_CloudTrail_us-east-1_20270101T0000Z_new.json.gz" 40 ||
    bad "could not write the new object"
tt ingest -q -v "$WORK/corpus" "$WORK/new"
expect_rc 0 "one new object among the stored ones"
lookups=$(work 1)
reads=$(work 3)
expect_eq "$(q "SELECT count(*) FROM event WHERE obj = (SELECT max(id) FROM object)")" 40 "its 40 events stored"
# 40 events bring at most a handful of new strings, identities and shapes
# each: far fewer lookups than the store's rows, and a few pages.
if [ -n "$lookups" ] && [ "$lookups" -le 400 ]; then ok; else
    bad "lookups for 40 events: '$lookups' (store: $idents identities, $strings strings)"; fi
if [ -n "$reads" ] && [ "$reads" -lt $((pages / 3)) ]; then ok; else
    bad "pages read for one new object: '$reads'; the dictionaries have $pages (a whole load reads them all)"; fi

# ---- forensics through the index ------------------------------------------
KEY=$(q "SELECT access_key FROM identity WHERE access_key LIKE 'AKIA%' LIMIT 1")
tt search --key "$KEY" --explain
expect_rc 0 "search --explain"
# A key's, principal's or session's events come from their identities'
# event_ident rows through tt_ident_events, and each event by its key;
# never a scan of the events.
TVF='SCAN u VIRTUAL TABLE'
BYKEY='SEARCH e USING PRIMARY KEY \(t=\? AND eid=\?\)'
# One key (one identity): in time order, so no sort.
expect_out "$TVF" "search --key reads the key's events through tt_ident_events"
expect_out "$BYKEY" "and each of its events by its key"
if grep -q 'TEMP B-TREE' "$OUT"; then bad "search --key sorts its events: $(cat "$OUT")"; else ok; fi
expect_out 'identity_key' "and finds the key's identities through identity_key"
if grep -qE 'SCAN (e|event|event_ident)( |$)' "$OUT"; then bad "search --key scans a table: $(cat "$OUT")"; else ok; fi
tt search --principal "$(q "SELECT v FROM dict WHERE id = (SELECT arn FROM principal LIMIT 1)")" --explain
expect_out "$TVF" "search --principal reads through tt_ident_events"
expect_out 'identity_principal' "and finds the principal's identities through identity_principal"
if grep -qE 'SCAN (e|event|event_ident)( |$)' "$OUT"; then bad "search --principal scans a table: $(cat "$OUT")"; else ok; fi
tt search --session "$(q "SELECT session_name FROM identity WHERE session_name != '' LIMIT 1")" --explain
expect_out "$TVF" "search --session reads through tt_ident_events"
# Grouped: fewer rows than events, and a principal's events read back
# through the groups are exactly its events.
PRINC=$(q "SELECT v FROM dict WHERE id = (SELECT p.arn FROM principal p JOIN identity i ON i.principal = p.id
  JOIN event e ON e.ident = i.id GROUP BY p.id ORDER BY count(*) DESC LIMIT 1)")
tt search --principal "$PRINC" --format json
expect_eq "$(grep -c . "$OUT")" "$(q "SELECT count(*) FROM events WHERE principal = '$PRINC'")" \
    "search --principal finds every event of its busiest principal through event_ident"
if [ "$(q 'SELECT count(*) FROM event_ident')" -lt "$(q 'SELECT count(*) FROM event')" ]; then ok; else
    bad "event_ident has a row per event: nothing grouped"; fi
tt search --key "$KEY" --format json
expect_eq "$(grep -c '"access_key"' "$OUT")" "$(q "SELECT count(*) FROM events WHERE access_key = '$KEY'")" \
    "search --key finds every event of the key"
# in time order, and a window and a limit take the same events as a filter
# of the whole answer would
jq -r .time "$OUT" >"$WORK/key-times"
if sort -c "$WORK/key-times" 2>/dev/null; then ok; else bad "search --key is not in time order"; fi
MID=$(sed -n "$(( $(wc -l <"$WORK/key-times") / 2 + 1 ))p" "$WORK/key-times")
tt search --key "$KEY" --since "$MID" --limit 5 --format json
expect_eq "$(jq -r .time "$OUT" | tr '\n' ' ')" "$(awk -v m="$MID" '$0 >= m' "$WORK/key-times" | head -n 5 | tr '\n' ' ')" \
    "search --key --since --limit: the first five from the window's start"

# A damaged group (its packed events cut short) is an error that names
# it, not a crash and not a silent gap; on a copy of the store.
cp "$TRAILTRIM_DB" "$WORK/damaged.db"
sqlite3 "$WORK/damaged.db" "UPDATE event_ident SET more = x'ff' WHERE (ident, t, eid) =
  (SELECT ident, t, eid FROM event_ident WHERE ident IN (SELECT i.id FROM identity i JOIN principal p
   ON p.id = i.principal WHERE p.arn = (SELECT id FROM dict WHERE v = '$PRINC')) AND more IS NOT NULL LIMIT 1)" ||
    bad "could not damage the copy"
"$TT_BIN" --db "$WORK/damaged.db" search --principal "$PRINC" >/dev/null 2>"$WORK/damaged.err"
rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -lt 128 ] && grep -q 'malformed group of events' "$WORK/damaged.err"; then ok; else
    bad "a damaged group: rc $rc, $(head -c 300 "$WORK/damaged.err")"; fi

# The same through one key's stream.
DKEY=$(q "SELECT i.access_key FROM identity i JOIN event_ident g ON g.ident = i.id WHERE g.more IS NOT NULL
  AND coalesce(i.access_key, '') != '' AND (SELECT count(*) FROM identity i2 WHERE i2.access_key = i.access_key) = 1
  LIMIT 1")
cp "$TRAILTRIM_DB" "$WORK/damaged-key.db"
sqlite3 "$WORK/damaged-key.db" "UPDATE event_ident SET more = x'ff' WHERE (ident, t, eid) =
  (SELECT g.ident, g.t, g.eid FROM event_ident g JOIN identity i ON i.id = g.ident
   WHERE i.access_key = '$DKEY' AND g.more IS NOT NULL LIMIT 1)" || bad "could not damage the second copy"
"$TT_BIN" --db "$WORK/damaged-key.db" search --key "$DKEY" >/dev/null 2>"$WORK/damaged.err"
rc=$?
if [ -n "$DKEY" ] && [ "$rc" -ne 0 ] && [ "$rc" -lt 128 ] && grep -q 'malformed group of events' "$WORK/damaged.err"; then ok; else
    bad "a damaged group of key '$DKEY': rc $rc, $(head -c 300 "$WORK/damaged.err")"; fi

# ---- bounded caches, exact dictionary ------------------------------------
# Under the smallest budget the writer's caches keep a few thousand entries
# and drop their old half several times within one object: a string seen at
# an object's start and again at its end, with 18,000 new strings between,
# is found again in the store (its first id), not added a second time.
HELD="$WORK/held/AWSLogs/111122223333/CloudTrail/us-east-1/2027/01/02/111122223333_CloudTrail_us-east-1_20270102T0000Z_held.json.gz"
python3 - "$HELD" <<'PY' || bad "could not write the held-rows object"
import gzip, json, os, sys
path = sys.argv[1]
os.makedirs(os.path.dirname(path), exist_ok=True)
n = 18002
def ev(i):
    edge = i in (0, n - 1)
    return {"eventVersion": "1.09",
            "userIdentity": {"type": "IAMUser", "principalId": "AIDAHELD", "accountId": "111122223333",
                             "arn": "arn:aws:iam::111122223333:user/held", "userName": "held",
                             "accessKeyId": "AKIAHELDHELDHELD0001"},
            "eventTime": "2027-01-02T%02d:%02d:%02dZ" % (i // 3600 % 24, i // 60 % 60, i % 60),
            "eventSource": "s3.amazonaws.com", "eventName": "GetObject", "awsRegion": "us-east-1",
            "sourceIPAddress": "10.%d.%d.%d" % (i >> 16 & 255, i >> 8 & 255, i & 255),
            "userAgent": "held-agent/1.0" if edge else "agent/%d" % i,
            "requestParameters": None, "responseElements": None,
            "eventID": "00000000-0000-4000-9000-%012d" % i, "readOnly": True,
            "eventType": "AwsApiCall", "managementEvent": False, "recipientAccountId": "111122223333"}
with gzip.open(path, "wt", compresslevel=1) as f:
    f.write('{"Records":[' + ",".join(json.dumps(ev(i)) for i in range(n)) + "]}")
PY
TRAILTRIM_DB="$WORK/held.db" tt ingest -q -v --memory 64M "$WORK/held"
expect_rc 0 "an object of 18,002 events under --memory 64M"
expect_eq "$(TRAILTRIM_DB="$WORK/held.db" q "SELECT count(*) FROM event")" 18002 "all its events stored"
expect_eq "$(TRAILTRIM_DB="$WORK/held.db" q "SELECT count(*) FROM dict WHERE v = 'held-agent/1.0'")" 1 \
    "the string seen at its start and its end is stored once"
expect_eq "$(TRAILTRIM_DB="$WORK/held.db" q "SELECT count(*) FROM (SELECT v FROM dict GROUP BY v HAVING count(*) > 1)")" 0 \
    "no string is stored twice"
expect_eq "$(TRAILTRIM_DB="$WORK/held.db" q "SELECT count(*) FROM events WHERE user_agent = 'held-agent/1.0'")" 2 \
    "both its events name it"

# ---- the memory budget ----------------------------------------------------
mkdir -p "$WORK/mixed"
cp "$(find "$WORK/corpus" -path '*/CloudTrail/*' -name '*.json.gz' | sort | head -n 1)" "$WORK/mixed/good.json.gz"
python3 "$MK" bomb "$WORK/mixed/bomb.json.gz" 4096 || bad "could not write the bomb"
tt_timed --db "$WORK/bomb.db" ingest -q --memory 128M "$WORK/mixed"
expect_rc 3 "a 4 GiB bomb among good files: rejected"
expect_err 'bomb.json.gz: rejected: .*memory budget' "the bomb's reason names the budget"
expect_eq "$(sqlite3 "$WORK/bomb.db" "SELECT status FROM object WHERE path LIKE '%good.json.gz'")" loaded "the good file kept"
peak_within $((128 * 1024)) "the bomb under --memory 128M"

python3 "$MK" events "$WORK/big/big.json.gz" 60000 || bad "could not write the 60,000-event object"
tt_timed --db "$WORK/big.db" ingest -q -v "$WORK/big"
expect_rc 0 "a 60,000-event object within the default budget"
expect_eq "$(sqlite3 "$WORK/big.db" 'SELECT count(*) FROM event')" 60000 "all its events stored"
peak_within $((300 * 1024)) "the 60,000-event object under the default 300M"
tt_timed --db "$WORK/small.db" ingest -q --memory 64M "$WORK/big" "$WORK/mixed/good.json.gz"
expect_rc 3 "the same object under a budget it cannot fit"
expect_err 'big.json.gz: rejected: .*memory budget of [0-9]+ MiB' "says it needs more than the budget"
expect_eq "$(sqlite3 "$WORK/small.db" "SELECT count(*) > 0 FROM event")" 1 "the other file stored"
peak_within $((64 * 1024 + 16 * 1024)) "the same under --memory 64M"

# A record bomb: 200,000 records of 70 bytes, 14 MB of JSON whose parsed
# events and fingerprints would take 105 MB. Rejected at the record past
# what the budget can hold, within the budget, the other file stored.
python3 "$MK" tiny "$WORK/tiny/tiny.json.gz" 200000 || bad "could not write the object of tiny records"
tt_timed --db "$WORK/tiny.db" ingest -q --memory 64M "$WORK/tiny" "$WORK/mixed/good.json.gz"
expect_rc 3 "an object of 200,000 tiny records under --memory 64M"
expect_err 'tiny.json.gz: rejected: record [0-9]+ \(byte [0-9]+\): past [0-9]+ records, whose parsed events would take more than the [0-9]+ MiB this object may hold' \
    "rejected at the record past the budget, saying so"
expect_eq "$(sqlite3 "$WORK/tiny.db" "SELECT count(*) > 0 FROM event")" 1 "the other file stored"
peak_within $((64 * 1024 + 16 * 1024)) "the tiny records under --memory 64M"

# ---- the write-ahead log stays under --max-wal ----------------------------
# The writer's checkpoints run beside it (store/sqlite/checkpoint.c) and
# the log starts over only when a transaction begins after a checkpoint
# copied all of it. Unbounded it grew with the run: 20 MB for these
# 150,000 events, 336 MB beside a 251 MB store for 2M. Under --max-wal 8M
# the same events keep it under 8 MiB and an object's pages.
wal() { sed -n 's/.*write-ahead log at most \([0-9]*\) KiB, started over \([0-9]*\) times.*/\1 \2/p' "$ERR" | cut -d' ' -f"$1"; }
tt --db "$WORK/wal-free.db" ingest -q -v "$WORK/corpus"
expect_rc 0 "150,000 events with the default bound"
free_kib=$(wal 1)
expect_eq "$(wal 2)" 0 "the log never started over"
if [ -n "$free_kib" ] && [ "$free_kib" -gt $((12 * 1024)) ]; then ok; else
    bad "the log grew to '$free_kib' KiB, not with the run"; fi
tt --db "$WORK/wal-8m.db" ingest -q -v --max-wal 8M "$WORK/corpus"
expect_rc 0 "the same events under --max-wal 8M"
bound_kib=$(wal 1)
restarts=$(wal 2)
if [ -n "$bound_kib" ] && [ "$bound_kib" -le $((10 * 1024)) ]; then ok; else
    bad "under --max-wal 8M the log grew to '$bound_kib' KiB (unbounded: $free_kib)"; fi
if [ -n "$restarts" ] && [ "$restarts" -ge 3 ]; then ok; else
    bad "under --max-wal 8M the log started over '$restarts' times"; fi
for db in wal-free wal-8m; do
    expect_eq "$(sqlite3 "$WORK/$db.db" 'PRAGMA integrity_check; SELECT count(*) FROM event')" \
        "$(printf 'ok\n150000')" "$db: the store whole, every event in it"
done
# A reader that holds a snapshot of the store keeps every checkpoint from
# copying what is newer; the writer waits for one try per transaction, not
# for the reader, and the new events are stored.
"$GEN" --out "$WORK/corpus2" --events 30000 --seed 8 --churn high >/dev/null 2>&1 || bad "generator failed"
{ echo "BEGIN; SELECT count(*) FROM event;"; sleep 4; echo "COMMIT;"; } |
    sqlite3 "$WORK/wal-8m.db" >/dev/null 2>&1 &
reader=$!
sleep 0.5
tt --db "$WORK/wal-8m.db" ingest -q -v --max-wal 8M "$WORK/corpus2"
expect_rc 0 "30,000 new events while a reader holds a snapshot"
wait "$reader"
expect_eq "$(sqlite3 "$WORK/wal-8m.db" 'PRAGMA integrity_check; SELECT count(*) FROM event')" \
    "$(printf 'ok\n180000')" "the store whole, the new events in it"

# ---- the manifest is asked, not held ----------------------------------------
# A nightly run beside a manifest of months (200,000 rows made in SQL; 90
# days of a mid-size organisation's trail deliver a million): read whole,
# the manifest took 450 bytes an object (465 MB for 1M); asked object by
# object it takes nothing. A recorded object is still known by its name and
# its bytes.
tt --db "$WORK/manifest.db" ingest -q "$WORK/mixed/good.json.gz"
expect_rc 0 "a store for the manifest"
sqlite3 "$WORK/manifest.db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
  INSERT INTO object(path, member, container, kind, size, mtime_ns, sha256, status, events, ingested_ms)
  SELECT printf('/data/trail/AWSLogs/o-abc123def4/%012d/CloudTrail/us-east-1/2026/%02d/%02d/%012d_CloudTrail_us-east-1_2026%02d%02dT%04dZ_%016x.json.gz',
                100000000000 + i % 50, 1 + i % 12, 1 + i % 28, 100000000000 + i % 50, 1 + i % 12, 1 + i % 28, i % 2400, i),
         '', 'file', 'events', 20000 + i % 5000, 1700000000000000000 + i, randomblob(32), 'loaded', 100, 1700000000000
  FROM n" || bad "could not record 200,000 objects"
tt_timed --db "$WORK/manifest.db" ingest -q -v "$WORK/new"
expect_rc 0 "one new object beside 200,000 recorded"
expect_eq "$(sqlite3 "$WORK/manifest.db" "SELECT count(*) FROM object")" 200002 "it is recorded"
peak_within $((40 * 1024)) "one new object beside 200,000 recorded"
tt --db "$WORK/manifest.db" ingest --format json "$WORK/new"
expect_rc 0 "the same object again"
expect_out '"objects_skipped": 1' "known by its name, size and time"
mkdir -p "$WORK/renamed"
cp "$(find "$WORK/new" -name '*.json.gz' | head -n 1)" "$WORK/renamed/copy.json.gz"
tt --db "$WORK/manifest.db" ingest --format json "$WORK/renamed"
expect_rc 0 "its bytes under another name"
expect_out '"objects_same_content": 1' "known by its bytes"

# ---- the store interface picks the backend from the location ------------
tt --db "clickhouse://127.0.0.1:1/trail" status
expect_rc 1 "a ClickHouse location goes to the ClickHouse backend"
expect_err 'ClickHouse at http://127.0.0.1:1 is unreachable' "which says the server is not there"
tt --db "http://127.0.0.1:1/trail" status
expect_rc 2 "an http:// location is neither backend's"
expect_err 'a ClickHouse store is clickhouse://' "and says what to give"
finish
