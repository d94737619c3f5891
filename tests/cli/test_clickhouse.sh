# test_clickhouse.sh - the ClickHouse backend against real servers: a
# cluster of two shards (two clickhouse-server processes on 127.0.0.2 and
# 127.0.0.3, tests/cli/ch_cluster.sh), stopped at the end even on failure.
# The same inputs go into a SQLite store and, from two concurrent ingest
# processes over overlapping prefixes, into the cluster; every reading
# command's output must then be the same byte for byte. Then the faults: a
# shard down during an ingest (its insert half done), an ingest killed, a
# wrong password, a server that is not there, --allow-missing-shards.
. "$(dirname "$0")/lib.sh"
command -v clickhouse-server >/dev/null 2>&1 || [ -x /usr/sbin/clickhouse-server ] ||
    { skip "clickhouse-server is not installed (Debian package clickhouse-server)"; finish; }
have curl || { skip "curl is not installed"; finish; }
have sqlite3 || { skip "sqlite3 shell not installed"; finish; }

CLUSTER="$TT_BINARY_DIR/ch-test.$$"
trap '"$TT_SOURCE_DIR/tests/cli/ch_cluster.sh" stop "$CLUSTER"; rm -rf "$CLUSTER" "$WORK"' EXIT
URL=$("$TT_SOURCE_DIR/tests/cli/ch_cluster.sh" start "$CLUSTER" 2) ||
    { bad "the test cluster did not start"; finish; }
export TRAILTRIM_CLICKHOUSE_PASSWORD
TRAILTRIM_CLICKHOUSE_PASSWORD=$(cat "$CLUSTER/password")
BASE=${URL%/tt\?cluster=tt}
CH="$BASE/tt?cluster=tt"
SQ="$WORK/store.db"

# The inputs, under relative paths that both stores record alike.
cp -r "$TT_SOURCE_DIR/sample-logs" "$WORK/logs"
mkdir -p "$WORK/cap"
CAPS="$TT_SHARED_DIR/testdata/cloudtrail"
if [ -d "$CAPS/stratus-red-team" ]; then
    cp "$CAPS/stratus-red-team/"*.json "$WORK/cap/"
    cp "$CAPS/otrf/ec2_proxy_s3_exfiltration.zip" "$WORK/cap/" 2>/dev/null || true
else
    echo "note: $CAPS is absent; the captures are left out" >&2
fi
ORG=$(cd "$WORK" && ls -d logs/AWSLogs/o-* | head -n 1)

tt --db "$SQ" ingest logs cap
[ "$RC" -eq 0 ] || [ "$RC" -eq 3 ] || bad "SQLite ingest: exit $RC"
SQ_RC=$RC

# Two processes at once over overlapping prefixes.
"$TT_BIN" --db "$CH" ingest logs >"$WORK/a.out" 2>"$WORK/a.err" &
A=$!
"$TT_BIN" --db "$CH" ingest "$ORG" cap >"$WORK/b.out" 2>"$WORK/b.err" &
B=$!
wait $A; RA=$?
wait $B; RB=$?
expect_eq "$RA" 0 "cluster ingest A (whole tree)"
expect_eq "$RB" "$SQ_RC" "cluster ingest B (org prefix and captures)"
[ -s "$WORK/a.err" ] && sed 's/^/  A: /' "$WORK/a.err" | head -5 >&2

# A store's answer, the store's name and size taken out, and when a
# problem was seen (each store saw it on its own run).
norm() { sed -e "s#$SQ#STORE#g" -e "s#$1#STORE#g" -e '/"store_bytes"/d' -e '/"bytes_per_event"/d' \
    -e 's/"seen": "[^"]*"/"seen": "T"/' \
    -e '/^ *store_bytes/d' -e '/bytes per event/d' -e '/^store  /d'; }

# same LABEL DB ARGS... : the command on the SQLite store and on DB agree
# (stdout, stderr and exit code).
same() {
    local label=$1 db=$2
    shift 2
    "$TT_BIN" --db "$SQ" "$@" >"$WORK/sq.out" 2>"$WORK/sq.err" </dev/null
    local rs=$?
    "$TT_BIN" --db "$db" "$@" >"$WORK/ch.out" 2>"$WORK/ch.err" </dev/null
    local rc=$?
    if [ "$rs" != "$rc" ]; then
        bad "$label: exit $rs on SQLite, $rc on ClickHouse"; sed 's/^/  ch: /' "$WORK/ch.err" | head -3 >&2
        return
    fi
    if cmp -s <(norm "$db" <"$WORK/sq.out") <(norm "$db" <"$WORK/ch.out") &&
        cmp -s <(norm "$db" <"$WORK/sq.err") <(norm "$db" <"$WORK/ch.err"); then
        ok
    else
        bad "$label: outputs differ"
        diff <(norm "$db" <"$WORK/sq.out"; norm "$db" <"$WORK/sq.err") \
            <(norm "$db" <"$WORK/ch.out"; norm "$db" <"$WORK/ch.err") | head -8 >&2
    fi
}

# same_dir LABEL DB ARGS... : a command whose last option (-o or --out)
# takes a folder writes the same files on both.
same_dir() {
    local label=$1 db=$2
    shift 2
    rm -rf "$WORK/dsq" "$WORK/dch"
    "$TT_BIN" --db "$SQ" "$@" "$WORK/dsq" >/dev/null 2>"$WORK/sq.err" </dev/null
    local rs=$?
    "$TT_BIN" --db "$db" "$@" "$WORK/dch" >/dev/null 2>"$WORK/ch.err" </dev/null
    local rc=$?
    if [ "$rs" = "$rc" ] && [ -d "$WORK/dsq" ] && [ -n "$(ls "$WORK/dsq")" ] &&
        diff -r "$WORK/dsq" "$WORK/dch" >/dev/null 2>&1; then
        ok
    else
        bad "$label: exit $rs/$rc or the files differ"
        head -3 "$WORK/sq.err" "$WORK/ch.err" >&2
        diff -r "$WORK/dsq" "$WORK/dch" 2>&1 | head -6 >&2
    fi
}

UNTIL="--until 2026-11-21"
WIN="$UNTIL --days 120"
AUTHZ="$TT_SOURCE_DIR/tests/fixtures/authz/account.json"
PRINCIPALS=$("$TT_BIN" --db "$SQ" principals $WIN --format csv | awk -F, 'NR > 1 && NR <= 4 {print $1}')
ROLE=$("$TT_BIN" --db "$SQ" principals $WIN --format csv | awk -F, 'NR > 1 && $2 == "Role" {print $1; exit}')
AKIA=$(sqlite3 -batch -noheader "$SQ" "SELECT access_key FROM events WHERE access_key LIKE 'AKIA%'
    GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
ASIA=$(sqlite3 -batch -noheader "$SQ" "SELECT minted_key FROM events WHERE minted_key LIKE 'ASIA%'
    ORDER BY time_ms LIMIT 1")
IP=$(sqlite3 -batch -noheader "$SQ" "SELECT source_ip FROM events WHERE source_ip IS NOT NULL
    GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
SESSION=$(sqlite3 -batch -noheader "$SQ" "SELECT session_name FROM events WHERE session_name IS NOT NULL
    GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")

check_all() { # check_all DB
    local db=$1 f p
    same "status" "$db" status --format json
    same "status csv" "$db" status --format csv
    for f in json csv table; do same "principals $f" "$db" principals $WIN --format "$f"; done
    for p in $PRINCIPALS; do
        same "usage $p" "$db" usage "$p" $WIN --format json
        for f in json terraform cloudformation; do same "policy $p $f" "$db" policy "$p" $WIN --format "$f"; done
        same "policy $p observed" "$db" policy "$p" $WIN --resources observed
    done
    same "usage csv" "$db" usage "${PRINCIPALS%%$'\n'*}" $WIN --format csv
    same "usage of nobody" "$db" usage no-such-principal $WIN
    same_dir "policy --all" "$db" policy --all $WIN -o
    [ -n "$ROLE" ] && same "trust $ROLE" "$db" trust "$ROLE" $WIN
    same_dir "trust --all" "$db" trust --all $WIN -o
    for f in json csv html; do same "unused $f" "$db" unused --authz "$AUTHZ" $WIN --format "$f"; done
    same_dir "repo" "$db" repo --authz "$AUTHZ" $WIN --out
    for f in json csv; do same "keys $f" "$db" keys $WIN --format "$f"; done
    for f in json csv; do same "mapping --unmapped $f" "$db" mapping --unmapped $WIN --format "$f"; done
    for f in text json csv html; do same "key $AKIA $f" "$db" key "$AKIA" --format "$f"; done
    [ -n "$ASIA" ] && same "key $ASIA" "$db" key "$ASIA" --format json
    same "key unknown" "$db" key AKIAAAAAAAAAAAAAAAAA
    same "search --key" "$db" search --key "$AKIA" --format json
    same "search --key csv" "$db" search --key "$AKIA" --format csv
    same "search --key --raw" "$db" search --key "$AKIA" --raw
    same "search --ip" "$db" search --ip "$IP" --format json
    [ -n "$SESSION" ] && same "search --session" "$db" search --session "$SESSION" --format csv
    same "search --principal" "$db" search --principal "${PRINCIPALS%%$'\n'*}" --limit 50 --format json
    same "search --event glob" "$db" search --event 'Get*' --source s3.amazonaws.com --format csv
    same "search --error" "$db" search --error '*Denied*' --format json
    same "search window" "$db" search --since 2026-09-01 --until 2026-09-03 --format csv
}
check_all "$CH"

# ---- a shard down while an ingest runs, then the same command again ------
# A corpus big enough that the ingest is still sending when shard 2 is
# killed: its first batches of events are in, the next one is half done
# (shard 1 took its rows) and fails, before any manifest row.
GEN="$TT_BINARY_DIR/bench/trailtrim-gencorpus"
if [ -x "$GEN" ]; then
    # Sanitized builds ingest several times slower: a smaller corpus keeps
    # the kill in the middle and the test within a few minutes.
    big=200000
    [ -n "${ASAN_OPTIONS:-}${TSAN_OPTIONS:-}" ] && big=80000
    "$GEN" --out "$WORK/big" --events "$big" --seed 7 >/dev/null || bad "corpus generation"
    SQ_MAIN=$SQ
    SQ="$WORK/big.db"
    tt --db "$SQ" ingest big
    expect_rc 0 "SQLite: the big corpus"
    FAULT="$BASE/tt_fault?cluster=tt"
    q1() { curl -s -u "default:$TRAILTRIM_CLICKHOUSE_PASSWORD" --data-binary "$1" "${BASE/clickhouse:/http:}/"; }
    "$TT_BIN" --db "$FAULT" ingest --memory 64M big >"$WORK/f.out" 2>"$WORK/f.err" &
    p=$!
    for _ in $(seq 1 400); do
        n=$(q1 "SELECT count() FROM tt_fault.events" 2>/dev/null)
        [ "${n:-0}" -gt 0 ] 2>/dev/null && break
        sleep 0.02
    done
    "$TT_SOURCE_DIR/tests/cli/ch_cluster.sh" kill "$CLUSTER" 2
    wait $p
    RC=$?
    ERR="$WORK/f.err"
    expect_rc 1 "ingest with shard 2 killed midway fails"
    expect_err "down now: 127\.0\.0\.3" "the error names the shard that is down"
    tt --db "$FAULT" principals $WIN
    expect_rc 1 "a read with a shard down fails"
    expect_err "127\.0\.0\.3" "the read names the shard that is down"
    tt --db "$FAULT" --allow-missing-shards principals $WIN --format json
    expect_rc 0 "--allow-missing-shards reads what the other shard holds"
    "$TT_SOURCE_DIR/tests/cli/ch_cluster.sh" restart "$CLUSTER" 2
    tt --db "$FAULT" ingest big
    expect_rc 0 "ingest after the shard is back"
    same "principals after a shard fault" "$FAULT" principals $WIN --format json
    same "status after a shard fault" "$FAULT" status --format json
    same "keys after a shard fault" "$FAULT" keys $WIN --format json
    same_dir "policy --all after a shard fault" "$FAULT" policy --all $WIN -o
    SQ=$SQ_MAIN
else
    skip "trailtrim-gencorpus not built: no shard-fault test"
fi

# ---- an ingest killed at once and at random points ------------------------
KILLED="$BASE/tt_killed?cluster=tt"
for delay in 0.05 0.15 0.3; do
    "$TT_BIN" --db "$KILLED" ingest --memory 64M logs cap >/dev/null 2>&1 &
    p=$!
    sleep "$delay"
    kill -9 "$p" 2>/dev/null
    wait "$p" 2>/dev/null
done
tt --db "$KILLED" ingest logs cap
[ "$RC" = "$SQ_RC" ] && ok || bad "ingest after kills: exit $RC"
same "principals after kills" "$KILLED" principals $WIN --format json
same "status after kills" "$KILLED" status --format json
same "key after kills" "$KILLED" key "$AKIA" --format json
tt --db "$KILLED" ingest logs cap
expect_out '"events_added": 0' "a re-run sends nothing: every object is in the cluster's manifest"

# ---- a stored object's bytes change: possible tampering, on both --------
VICTIM=$(cd "$WORK" && find logs -path '*/CloudTrail/*' -name '*.json.gz' | sort | head -n 1)
gzip -dc "$WORK/$VICTIM" | sed 's/"eventName":"/"eventName":"X/' | gzip -c >"$WORK/v.gz"
cat "$WORK/v.gz" >"$WORK/$VICTIM"
tt --db "$SQ" ingest logs
SQ_TAMPER=$RC
tt --db "$CH" ingest logs
expect_eq "$RC" 4 "a changed object is possible tampering on the cluster (exit 4)"
expect_eq "$SQ_TAMPER" 4 "and on SQLite"
same "status lists the changed object" "$CH" status --format json
same "principals are untouched by the changed object" "$CH" principals $WIN --format json

# ---- the password from a file ----------------------------------------------
printf '%s\n' "$TRAILTRIM_CLICKHOUSE_PASSWORD" >"$WORK/pw"
(unset TRAILTRIM_CLICKHOUSE_PASSWORD; TRAILTRIM_CLICKHOUSE_PASSWORD_FILE="$WORK/pw" \
    "$TT_BIN" --db "$CH" principals $WIN --format json >"$WORK/pw.out" 2>/dev/null)
expect_eq "$?" 0 "TRAILTRIM_CLICKHOUSE_PASSWORD_FILE logs in"

# ---- ingest --verify: the verdicts in the cluster's manifest ----------------
cp -r "$TT_SOURCE_DIR/tests/golden/inputs/digests" "$WORK/digests"
SQ_MAIN=$SQ
SQ="$WORK/digests.db"
tt --db "$SQ" ingest --verify digests
SQ_VERIFY=$RC
VERIFIED="$BASE/tt_verify?cluster=tt"
tt --db "$VERIFIED" ingest --verify digests
expect_eq "$RC" "$SQ_VERIFY" "ingest --verify exits alike on both"
same "verdicts in status" "$VERIFIED" status --format json --section verdicts
same "status after --verify" "$VERIFIED" status --format json
SQ=$SQ_MAIN

# ---- one server, no cluster ----------------------------------------------
SINGLE="$BASE/tt_single"
tt --db "$SINGLE" ingest logs cap
[ "$RC" = "$SQ_RC" ] && ok || bad "single-server ingest: exit $RC"
same "single server: principals" "$SINGLE" principals $WIN --format json
same "single server: key" "$SINGLE" key "$AKIA" --format json
same_dir "single server: policy --all" "$SINGLE" policy --all $WIN -o

# ---- HTTPS through the same client -----------------------------------------
HTTPS="https://default@127.0.0.2:$(cat "$CLUSTER/https_port")/tt?cluster=tt"
TRAILTRIM_CLICKHOUSE_CACERT="$CLUSTER/ca.pem" same "https: principals" "$HTTPS" principals $WIN --format json
TRAILTRIM_CLICKHOUSE_CACERT="$CLUSTER/ca.pem" same "https: key" "$HTTPS" key "$AKIA" --format json
tt --db "$HTTPS" status
expect_rc 1 "https with a certificate no CA vouches for"
expect_err "TLS failed: .*certificate" "the certificate problem is named"

# ---- errors a user meets ----------------------------------------------------
TRAILTRIM_CLICKHOUSE_PASSWORD=wrong tt --db "$CH" status
expect_rc 1 "a wrong password"
expect_err "refused the login of user \"default\"" "the login refusal is named"
tt --db "clickhouse://default@127.0.0.2:1/tt" status
expect_rc 1 "no server"
expect_err "unreachable" "an unreachable server is named"
tt --db "clickhouse://default:secret@127.0.0.2:1/tt" status
expect_rc 2 "a password in the location is refused"
tt --db "$BASE/nothing_here?cluster=tt" principals
expect_rc 1 "reading a database without a store"
expect_err "no trailtrim store" "says there is no store"
tt --db "$BASE/tt?cluster=nope" ingest logs
expect_rc 2 "an unknown cluster"
expect_err "no cluster \"nope\"" "names the cluster"
finish
