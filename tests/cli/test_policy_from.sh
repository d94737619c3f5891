# test_policy_from.sh - `policy --from FILE|DIR|-` without a store, as
# trailscraper users expect: its output is byte for byte what `ingest` then
# `policy` on a store write (one principal, --all -o DIR, every format), from
# a folder, a file and stdin; the temporary store in $TMPDIR is gone after,
# also when the run fails; nothing is written to --db or ./trailtrim.db.
. "$(dirname "$0")/lib.sh"
LOGS="$TT_SOURCE_DIR/sample-logs"
[ -f "$LOGS/MANIFEST.txt" ] || { skip "sample-logs is missing"; finish; }
ROLE=arn:aws:iam::878140772802:role/prod-payments-app
ONE="$LOGS/AWSLogs/o-mnmbstk27g/878140772802/CloudTrail/us-east-1/2026/11/19/878140772802_CloudTrail_us-east-1_20261119T1655Z_rNKVzjdp2igUk10d.json.gz"
[ -f "$ONE" ] || { skip "the sample log object is missing"; finish; }
# span DB : "--until LAST --days N", the days DB's events span: the window
# policy --from reads when given none.
span() {
    "$TT_BIN" --db "$1" status --format json --section summary >"$WORK/span.json" 2>/dev/null
    local f l
    f=$(sed -n 's/.*"first_event": "\([0-9-]*\)T.*/\1/p' "$WORK/span.json")
    l=$(sed -n 's/.*"last_event": "\([0-9-]*\)T.*/\1/p' "$WORK/span.json")
    echo "--until $l --days $((($(date -u -d "$l" +%s) - $(date -u -d "$f" +%s)) / 86400 + 1))"
}
export TMPDIR="$WORK/tmp"
mkdir -p "$TMPDIR"
tmp_empty() { # tmp_empty what : no temporary store is left behind
    if [ -z "$(ls -A "$TMPDIR")" ]; then ok; else bad "$1: left in TMPDIR: $(ls -A "$TMPDIR")"; fi
}
# the store-based answers
tt ingest -q "$LOGS"
expect_rc 0 "ingest sample-logs"
ALL=$(span "$TRAILTRIM_DB")
case $ALL in "--until 2026-11-19 --days "*) ok ;; *) bad "the span of sample-logs: $ALL" ;; esac
for f in json terraform cloudformation; do
    tt policy "$ROLE" $ALL --format $f -q
    expect_rc 0 "policy --format $f on the store"
    cp "$OUT" "$WORK/store.$f"
done
tt policy --all -o "$WORK/store-all" $ALL -q
expect_rc 0 "policy --all on the store"
mv "$TRAILTRIM_DB" "$WORK/kept.db"
rm -f "$TRAILTRIM_DB"-* "$TRAILTRIM_DB".lock

# 1. From the folder: the same bytes, no store written.
for f in json terraform cloudformation; do
    tt policy --from "$LOGS" "$ROLE" --format $f -q
    expect_rc 0 "policy --from DIR --format $f"
    cmp -s "$OUT" "$WORK/store.$f" && ok || bad "--from DIR --format $f equals ingest + policy"
done
tmp_empty "after --from DIR"
[ ! -e "$TRAILTRIM_DB" ] && [ ! -e "$WORK/trailtrim.db" ] && ok || bad "--from writes no store of the user's"
tt policy --from "$LOGS" "$ROLE" --until 2026-11-20 --days 30 -q
cp "$OUT" "$WORK/from.30"
TRAILTRIM_DB="$WORK/kept.db" tt policy "$ROLE" --until 2026-11-20 --days 30 -q
cmp -s "$OUT" "$WORK/from.30" && ok || bad "--from with a window equals the store with that window"

# 2. --all -o DIR: the same files.
tt policy --from "$LOGS" --all -o "$WORK/from-all" -q
expect_rc 0 "policy --from DIR --all -o"
diff -r "$WORK/store-all" "$WORK/from-all" >"$WORK/diff" && ok || bad "--from --all writes the same files: $(head -3 "$WORK/diff")"
[ "$(ls "$WORK/from-all" | wc -l)" -gt 10 ] && ok || bad "--all wrote policies"
tmp_empty "after --from --all"

# 3. One file, and the same file on stdin.
TRAILTRIM_DB="$WORK/one.db" tt ingest -q "$ONE"
TRAILTRIM_DB="$WORK/one.db" tt policy "$ROLE" $(span "$WORK/one.db") -q
expect_rc 0 "policy on a store of one object"
cp "$OUT" "$WORK/one.json"
tt policy --from "$ONE" "$ROLE" -q
cmp -s "$OUT" "$WORK/one.json" && ok || bad "--from FILE equals ingest + policy"
OUT="$WORK/stdin.json"
zcat "$ONE" | "$TT_BIN" policy --from - "$ROLE" -q >"$OUT" 2>"$WORK/stdin.err"
RC=$?
expect_rc 0 "zcat FILE | policy --from - ROLE"
cmp -s "$OUT" "$WORK/one.json" && ok || bad "--from - equals ingest + policy"
OUT="$WORK/stdin-short.json"
zcat "$ONE" | "$TT_BIN" policy --from - role/prod-payments-app -q >"$OUT" 2>/dev/null
cmp -s "$OUT" "$WORK/one.json" && ok || bad "--from - with the role's short name"
tmp_empty "after --from -"
# Several {"Records":...} documents on stdin (zcat *.gz |): as ingest - takes them.
TWO=$(find "$LOGS/AWSLogs/o-mnmbstk27g/878140772802/CloudTrail/us-east-1" -name '*.json.gz' | grep -v "$ONE" | sort | tail -1)
zcat "$ONE" "$TWO" | TRAILTRIM_DB="$WORK/two.db" "$TT_BIN" ingest -q - 2>/dev/null
if [ $? -eq 0 ]; then
    TRAILTRIM_DB="$WORK/two.db" tt policy "$ROLE" $(span "$WORK/two.db") -q
    cp "$OUT" "$WORK/two.json"
    OUT="$WORK/stdin2.json"
    zcat "$ONE" "$TWO" | "$TT_BIN" policy --from - "$ROLE" -q >"$OUT" 2>/dev/null
    cmp -s "$OUT" "$WORK/two.json" && ok || bad "zcat A B | --from - equals ingest - + policy"
else
    skip "ingest - takes one {\"Records\"} document in this build: zcat A B | --from - not checked"
fi
tmp_empty "after several documents on stdin"

# 4. Failures remove the temporary store too, with the usual exit codes.
tt policy --from "$LOGS" role/no-such-role
expect_rc 1 "--from: an unknown principal"
expect_err 'no principal named' "--from: the unknown principal is named"
tmp_empty "after an unknown principal"
tt policy --from "$WORK/nonexistent" "$ROLE"
expect_rc 2 "--from a path that does not exist"
tmp_empty "after a missing path"
printf 'not json\n' >"$WORK/bad.json"
tt policy --from "$WORK/bad.json" "$ROLE"
expect_rc 1 "--from only a rejected input: nothing to grant"
expect_err 'rejected' "--from: the rejected input is named"
tmp_empty "after a rejected input"
tt policy --from "$ONE" --from "$WORK/bad.json" "$ROLE" -q
expect_rc 3 "--from with one rejected input of two: the policy, and exit 3"
cmp -s "$OUT" "$WORK/one.json" && ok || bad "--from: the good input's policy despite the bad one"
tmp_empty "after a partly rejected run"
tt policy --from "$LOGS"
expect_rc 2 "--from without a principal or --all"
tmp_empty "after a usage error"
tt policy --help
expect_out '--from PATH' "policy --help names --from"
finish
