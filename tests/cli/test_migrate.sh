# test_migrate.sh - stores of older schema versions are migrated in place:
# real version-2 to -7 stores (tests/fixtures/store-v2 to store-v7,
# made by the trailtrim of that version from sample-logs/) and a
# version-1 one made from the first answer
# every reading command exactly as a store made fresh from the same files
# does; the migrated store keeps its exactly-once manifest, takes new data,
# and is intact.
. "$(dirname "$0")/lib.sh"
have sqlite3 || { skip "sqlite3 shell not installed"; finish; }
have jq || { skip "jq not installed"; finish; }
LOGS="$TT_SOURCE_DIR/sample-logs"
vq() { sqlite3 -batch -noheader "$1" "$2"; }

# load_fixture N: tests/fixtures/store-vN into $WORK/vN.db. The fixtures
# were made from /work/main/sample-logs: point them at this checkout's copy,
# so that records can be read back by reference.
load_fixture() {
    zcat "$TT_SOURCE_DIR/tests/fixtures/store-v$1/sample-logs.sql.gz" | sqlite3 "$WORK/v$1.db" ||
        bad "could not load the v$1 fixture"
    vq "$WORK/v$1.db" "UPDATE object SET path = replace(path, '/work/main/sample-logs', '$LOGS')"
    expect_eq "$(vq "$WORK/v$1.db" "SELECT value FROM meta WHERE key='schema_version'")" "$1" \
        "the fixture is version $1"
}
for n in 2 3 4 5 6 7; do load_fixture "$n"; done
expect_eq "$(vq "$WORK/v5.db" "SELECT count(*) FROM event WHERE ip < 0")" 0 "version 5 kept every IP in dict"
cp "$WORK/v2.db" "$WORK/v1.db"
vq "$WORK/v1.db" "DROP VIEW objects; ALTER TABLE object DROP COLUMN verify;
  ALTER TABLE object DROP COLUMN verified_ms; UPDATE meta SET value='1' WHERE key='schema_version';" ||
    bad "could not make a v1 store"

tt --db "$WORK/fresh.db" ingest -q "$LOGS"
expect_rc 0 "a fresh store of the same files"
# A finished ingest leaves the store whole in its file (the last checkpoint
# done, the WAL removed) and statistics for the planner.
if [ -e "$WORK/fresh.db-wal" ]; then bad "the ingest left its WAL behind"; else ok; fi
# (Which tables PRAGMA optimize analyses depends on SQLite's version:
# 3.40 only those the writer searched, not event.)
expect_eq "$(vq "$WORK/fresh.db" "SELECT count(*) > 0 FROM sqlite_stat1 WHERE tbl = 'identity'")" 1 \
    "the ingest leaves statistics for the planner"

# Every reading command, with its output as JSON (no timestamps of its own).
KEY=$(vq "$WORK/fresh.db" "SELECT access_key FROM events WHERE access_key LIKE 'AKIA%'
  GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
ROLE=$(vq "$WORK/fresh.db" "SELECT principal FROM events WHERE principal LIKE '%:role/%'
  GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
# New events for the migrated stores later: the first object's records
# under new event IDs.
gz=$(find "$LOGS" -path '*/CloudTrail/*' -name '*.json.gz' | sort | head -n 1)
zcat "$gz" | jq -c '.Records |= map(.eventID = ("m-" + .eventID))' >"$WORK/again.json"
# The busiest IPv4 source of that object: kept in the event row by a fresh
# store (schema 6), as a dict string by the older ones.
IP=$(jq -r '.Records[].sourceIPAddress' "$WORK/again.json" |
    grep -E '^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$' |
    sort | uniq -c | sort -k1,1nr -k2 | awk 'NR == 1 { print $2 }')
[ -n "$IP" ] || bad "the first object has no IPv4 source"
expect_eq "$(vq "$WORK/fresh.db" "SELECT count(*) > 0 FROM event WHERE ip < 0")" 1 "a fresh store keeps IPv4 in the row"
W="--days 3650 --until 2026-12-01"
readers() { # readers DB OUTDIR
    mkdir -p "$2"
    "$TT_BIN" --db "$1" principals $W --format json >"$2/principals" 2>&1
    "$TT_BIN" --db "$1" usage "$ROLE" $W --format json >"$2/usage" 2>&1
    "$TT_BIN" --db "$1" policy "$ROLE" $W --format json >"$2/policy" 2>&1
    # every principal's: the migrated store decides the actions that hang
    # on the request from records read back (it has no request skeletons),
    # the fresh one from the skeletons kept at ingest; both must agree
    "$TT_BIN" --db "$1" policy --all $W -o "$2/all" -q >/dev/null 2>&1
    "$TT_BIN" --db "$1" key "$KEY" --format json >"$2/key" 2>&1
    "$TT_BIN" --db "$1" search --key "$KEY" --format json >"$2/search" 2>&1
    "$TT_BIN" --db "$1" search --principal "$ROLE" --format json >"$2/search-principal" 2>&1
    "$TT_BIN" --db "$1" search --ip "$IP" --format json >"$2/search-ip" 2>/dev/null
    "$TT_BIN" --db "$1" status --format json | jq 'del(.summary.store, .summary.store_bytes,
        .summary.bytes_per_event)' >"$2/status" 2>&1
}
readers "$WORK/fresh.db" "$WORK/want"
CURRENT=$(vq "$WORK/fresh.db" "SELECT value FROM meta WHERE key='schema_version'")
expect_eq "$CURRENT" 8 "a fresh store is version 8"
# Version 7 keeps an assumed role's ARN and principalId as the part before
# the session name; version 6 kept them whole. The readers compared below
# read both back the same.
expect_eq "$(vq "$WORK/fresh.db" "SELECT count(*) > 0 FROM identity WHERE arn IS NULL AND arn_head != 0
  AND principal_id IS NULL AND pid_head != 0")" 1 "a fresh store keeps session ARNs by their head"
expect_eq "$(vq "$WORK/v6.db" "SELECT count(*) FROM identity WHERE arn IS NULL")" 0 "version 6 kept every ARN whole"
expect_eq "$(grep -c . "$WORK/want/search-ip")" "$(vq "$WORK/fresh.db" "SELECT count(*) FROM events WHERE source_ip = '$IP'")" \
    "search --ip finds every event from $IP"
for v in v7 v6 v5 v4 v3 v2 v1; do
    readers "$WORK/$v.db" "$WORK/got-$v"
    expect_eq "$(vq "$WORK/$v.db" "SELECT value FROM meta WHERE key='schema_version'")" "$CURRENT" \
        "$v: migrated to version $CURRENT by the first reader"
    if diff -r "$WORK/want/all" "$WORK/got-$v/all" >/dev/null; then ok; else
        bad "$v: policy --all differs: $(diff -r "$WORK/want/all" "$WORK/got-$v/all" | head -5)"; fi
    expect_eq "$(ls "$WORK/got-$v/all" | wc -l)" "$(ls "$WORK/want/all" | wc -l)" "$v: as many policies"
    for f in principals usage policy key search search-principal search-ip status; do
        if cmp -s "$WORK/want/$f" "$WORK/got-$v/$f"; then ok; else
            bad "$v: $f differs from a fresh store's: $(diff "$WORK/want/$f" "$WORK/got-$v/$f" | head -5)"
        fi
    done
    expect_eq "$(vq "$WORK/$v.db" 'PRAGMA integrity_check')" ok "$v: migrated store intact"
    expect_eq "$(vq "$WORK/$v.db" "SELECT count(*) FROM meta WHERE key='fp_secret'")" 1 "$v: has its secret"
    expect_eq "$(vq "$WORK/$v.db" "SELECT sql LIKE '%t / 86400000, mh%' FROM sqlite_master WHERE name = 'event_minted'")" 1 \
        "$v: event_minted by day"
    expect_eq "$(vq "$WORK/$v.db" "SELECT type FROM sqlite_master WHERE name = 'event_ident'")" table \
        "$v: event_ident is a table"
    expect_eq "$(vq "$WORK/$v.db" "SELECT count(*) FROM event_ident")" "$(vq "$WORK/$v.db" "SELECT count(*) FROM event")" \
        "$v: a group of one per event from before"
done
# Nothing is lost or doubled: the same files again add nothing (their
# content is recorded), and the events equal the fresh store's.
tt --db "$WORK/v2.db" ingest --format json "$LOGS"
expect_rc 0 "the same files into the migrated store"
expect_eq "$(vq "$WORK/v2.db" 'SELECT count(*) FROM event')" "$(vq "$WORK/fresh.db" 'SELECT count(*) FROM event')" \
    "no event added twice"
# New data lands next to the migrated rows, through the migrated indexes
# (identity_key re-keyed by the v3 -> v4 step): the same identities and
# strings are found, not added again.
for v in v2 v3 v4 v5 v6 v7; do
    idents=$(vq "$WORK/$v.db" 'SELECT count(*) FROM identity')
    # (request skeletons, "{...}", are new to version 2, which kept none)
    NOSKEL="SELECT count(*) FROM dict WHERE NOT (v LIKE '{%' OR v = '?')"
    strings=$(vq "$WORK/$v.db" "$NOSKEL")
    tt --db "$WORK/$v.db" ingest -q "$WORK/again.json"
    expect_rc 0 "$v: new events into the migrated store"
    expect_eq "$(vq "$WORK/$v.db" 'SELECT count(*) FROM identity')" "$idents" "$v: known identities found, not added"
    expect_eq "$(vq "$WORK/$v.db" "$NOSKEL")" "$strings" "$v: known strings found, not added"
    expect_eq "$(vq "$WORK/$v.db" "SELECT count(*) FROM event WHERE obj = (SELECT max(id) FROM object)")" \
        "$(jq '.Records | length' "$WORK/again.json")" "$v: its events stored"
done
# In the migrated version-5 store, the rows from before keep the address as
# a dict id and the new ones keep it in the row: search --ip finds both.
before=$(grep -c . "$WORK/want/search-ip")
again=$(jq --arg ip "$IP" '[.Records[] | select(.sourceIPAddress == $ip)] | length' "$WORK/again.json")
expect_eq "$(vq "$WORK/v5.db" "SELECT count(*) > 0 FROM event WHERE ip < 0")" 1 "v5: new rows keep IPv4 in the row"
tt --db "$WORK/v5.db" search --ip "$IP" --format json
expect_rc 0 "v5: search --ip after new data"
expect_eq "$(grep -c . "$OUT")" "$((before + again))" "v5: search --ip finds old and new rows from $IP"
# In the migrated version-6 store, an identity from before reads its ARN
# from the whole text, a new one from its head and session name: a new
# session of a role seen before (its ARN, principalId, key and event IDs
# changed) is stored with a head and reads back byte for byte.
SESS=$(find "$LOGS" -path '*/CloudTrail/*' -name '*.json.gz' | sort | xargs zcat |
    jq -c '.Records[] | select(.userIdentity.type == "AssumedRole"
        and (.userIdentity.principalId // "" | test(":")))' | head -n 1)
[ -n "$SESS" ] || bad "sample-logs has no assumed-role record"
NEWARN=$(printf '%s' "$SESS" | jq -r '.userIdentity.arn | sub("/[^/]*$"; "/migrated-session-7")')
printf '%s' "$SESS" | jq -c '{Records: [.eventID = "m7-1" | .userIdentity.arn |= sub("/[^/]*$"; "/migrated-session-7")
    | .userIdentity.principalId |= sub(":.*$"; ":migrated-session-7")
    | .userIdentity.accessKeyId = "ASIAMIGRATEDSESSION7"]}' >"$WORK/session.json"
for db in v6 fresh; do
    tt --db "$WORK/$db.db" ingest -q "$WORK/session.json"
    expect_rc 0 "$db: a new session of a known role"
    expect_eq "$(vq "$WORK/$db.db" "SELECT arn IS NULL AND arn_head != 0 AND principal_id IS NULL
      FROM identity WHERE access_key = 'ASIAMIGRATEDSESSION7'")" 1 "$db: the new session kept by its head"
    tt --db "$WORK/$db.db" search --session migrated-session-7 --format json
    expect_rc 0 "$db: search --session"
    expect_eq "$(jq -r .access_key "$OUT")" ASIAMIGRATEDSESSION7 "$db: search --session finds the new session"
    expect_eq "$(vq "$WORK/$db.db" "SELECT arn FROM events WHERE access_key = 'ASIAMIGRATEDSESSION7'")" "$NEWARN" \
        "$db: the new session's ARN reads back whole"
done
expect_eq "$(vq "$WORK/v6.db" "SELECT count(*) FROM identity WHERE arn IS NULL")" 1 \
    "v6: the rows from before keep their text, the new one its head"
# A new store's pages are 16 KiB; a store made before keeps its own size
# (the fixtures' are the sqlite3 shell's 4 KiB) through migration and new
# writes.
expect_eq "$(vq "$WORK/fresh.db" 'PRAGMA page_size')" 16384 "a fresh store's pages are 16 KiB"
expect_eq "$(vq "$WORK/v6.db" 'PRAGMA page_size')" 4096 "v6: keeps its page size after migration and new writes"
expect_eq "$(vq "$WORK/v6.db" 'PRAGMA integrity_check')" ok "v6: intact after new writes"
# A key that was minted but never used is known through event_minted, re-keyed
# by the v3 -> v4 step and rebuilt by day by the v4 -> v5 one; a key nobody
# minted or used is not.
MINTED=$(vq "$WORK/fresh.db" "SELECT minted FROM event WHERE minted IS NOT NULL
  AND minted NOT IN (SELECT access_key FROM identity) ORDER BY 1 LIMIT 1")
if [ -n "$MINTED" ]; then
    for db in fresh v3 v4 v5; do
        tt --db "$WORK/$db.db" key "$MINTED"
        expect_err 'in the window' "$db: a minted, unused key is known"
        tt --db "$WORK/$db.db" key "${MINTED%????}ZZZZ"
        expect_err 'in the store' "$db: an unknown key is not"
    done
else
    bad "sample-logs has no minted key that was never used"
fi
finish
