# test_ingest_verify.sh - `trailtrim ingest --verify` on a bucket tree the
# test builds and signs itself (tests/fixtures/make-digests.sh): each log
# object's integrity verdict lands in the manifest (object.verify, the
# objects view), `status` counts them, a tampered log is flagged with exit
# 7 unless a graver ingest code applies. (Older stores: test_migrate.sh.)
. "$(dirname "$0")/lib.sh"
have openssl || { skip "openssl CLI not installed"; finish; }
have gzip || { skip "gzip not installed"; finish; }
have sqlite3 || { skip "sqlite3 shell not installed"; finish; }
have jq || { skip "jq not installed"; finish; }
MK="$TT_SOURCE_DIR/tests/fixtures/make-digests.sh"
bash "$MK" "$WORK/t0" "$WORK/keys" || { bad "make-digests.sh failed"; finish; }
L=AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/01
logat() { (cd "$1" && ls $L/*_20260301T${2}Z_*.json.gz); }
case_dir() { rm -rf "$WORK/$1"; cp -r "$WORK/t0" "$WORK/$1"; echo "$WORK/$1"; }
# vq DB SQL : one value from a store.
vq() { sqlite3 -batch -noheader "$1" "$2"; }
# verdict DB PATH_REGEX : the recorded verdict of the one object matching.
verdict() { vq "$1" "SELECT group_concat(verify) FROM objects WHERE path GLOB '*$2*'"; }

# Without --verify nothing is judged: the column stays NULL.
tt --db "$WORK/plain.db" ingest --format json "$WORK/t0"
expect_rc 0 "plain ingest"
expect_eq "$(vq "$WORK/plain.db" 'SELECT count(*) FROM object WHERE verify IS NOT NULL')" 0 "no verdict without --verify"
expect_eq "$(vq "$WORK/plain.db" "SELECT value FROM meta WHERE key='schema_version'")" 8 "new stores are version 8"

# The intact tree: every log object intact, with a time; digests not judged.
tt --db "$WORK/ok.db" ingest --verify --format json "$WORK/t0"
expect_rc 0 "intact tree"
expect_eq "$(kv objects_verified)" 16 "summary: 16 verdicts recorded"
expect_eq "$(kv verify_problems)" 0 "summary: no problems"
expect_eq "$(vq "$WORK/ok.db" "SELECT group_concat(verify || ':' || n) FROM (SELECT verify, count(*) n FROM object WHERE kind='events' GROUP BY 1)")" "intact:16" "every log intact"
expect_eq "$(vq "$WORK/ok.db" "SELECT count(*) FROM objects WHERE kind='events' AND verified GLOB '20[0-9][0-9]-*Z'")" 16 "objects view shows when"
expect_eq "$(vq "$WORK/ok.db" "SELECT count(*) FROM object WHERE kind='digest' AND verify IS NULL")" 8 "digests carry no log verdict"
tt --db "$WORK/ok.db" status --format json
expect_rc 0 "status"
expect_eq "$(jq -r '.summary.objects_verified' "$OUT")" 16 "status: objects verified"
expect_eq "$(jq -r '[.verdicts[] | "\(.verdict)=\(.objects)"] | join(",")' "$OUT")" "intact=16" "status: verdict counts"
# A second run reads nothing new but judges again: same verdicts, exit 0.
tt --db "$WORK/ok.db" ingest --verify --format json "$WORK/t0"
expect_rc 0 "re-run"
expect_eq "$(kv objects_verified)" 16 "re-run judges every log again"
expect_err 'nothing new' "re-run loads nothing"

# A log tampered with before its first ingest: stored (the evidence is
# kept), judged log-modified, named on stderr, exit 7.
t=$(case_dir mod)
f=$(logat "$t" 0215)
zcat "$t/$f" | sed 's/ListBuckets/DeleteBucket/' | gzip -n >"$t/x" && mv "$t/x" "$t/$f"
tt --db "$WORK/mod.db" ingest --verify --format json "$t"
expect_rc 7 "tampered log: exit 7"
expect_eq "$(verdict "$WORK/mod.db" "$(basename "$f")")" log-modified "tampered log's verdict"
expect_eq "$(vq "$WORK/mod.db" "SELECT count(*) FROM object WHERE verify='intact'")" 15 "the others intact"
expect_eq "$(vq "$WORK/mod.db" "SELECT status FROM object WHERE path GLOB '*$(basename "$f")'")" loaded "tampered log still stored"
expect_err "$(basename "$f"): integrity: log-modified" "problem named on stderr"
expect_err 'verify: 1 integrity problem found' "problem count on stderr"
tt --db "$WORK/mod.db" status --format json
expect_eq "$(jq -r '.summary.verify_problems' "$OUT")" 1 "status: one problem"
expect_eq "$(jq -r '[.verdicts[] | "\(.verdict)=\(.objects)"] | join(",")' "$OUT")" "intact=15,log-modified=1" "status: counts per verdict"

# Changed after it was stored: ingest's own tampering code (4) outranks 7,
# and the verdict moves from intact to log-modified.
t=$(case_dir later)
tt --db "$WORK/later.db" ingest --verify -q "$t"
expect_rc 0 "first run intact"
f=$(logat "$t" 0315)
expect_eq "$(verdict "$WORK/later.db" "$(basename "$f")")" intact "intact before"
zcat "$t/$f" | sed 's/alice/mallory/g' | gzip -n >"$t/x" && mv "$t/x" "$t/$f"
tt --db "$WORK/later.db" ingest --verify -q "$t"
expect_rc 4 "changed after storing: 4 outranks 7"
expect_eq "$(verdict "$WORK/later.db" "$(basename "$f")")" log-modified "verdict updated"
expect_err 'integrity: log-modified' "still named as an integrity problem"

# An uncovered log (inside the digests' span) and a pending one (newer than
# the newest digest, only a note).
t=$(case_dir extra)
cp "$t/$(logat "$t" 0215)" "$t/$L/111122223333_CloudTrail_us-east-1_20260301T0245Z_extra.json.gz"
cp "$t/$(logat "$t" 0215)" "$t/$L/111122223333_CloudTrail_us-east-1_20260301T0610Z_new.json.gz"
tt --db "$WORK/extra.db" ingest --verify --format json "$t"
expect_rc 7 "uncovered log: exit 7"
expect_eq "$(verdict "$WORK/extra.db" T0245Z_extra)" log-uncovered "uncovered verdict"
expect_eq "$(verdict "$WORK/extra.db" T0610Z_new)" pending "pending verdict"
expect_eq "$(kv verify_problems)" 1 "pending is not a problem"

# Trailing data: ingest rejects the object (3), verify flags it (7); 7 wins
# and the rejected row carries the verdict.
t=$(case_dir trail)
f=$(logat "$t" 0415)
printf '{"Records":[]}' | gzip -n >>"$t/$f"
tt --db "$WORK/trail.db" ingest --verify --format json "$t"
expect_rc 7 "trailing data: 7 outranks 3"
expect_err 'rejected' "ingest still names the rejection"
expect_eq "$(verdict "$WORK/trail.db" "$(basename "$f")")" trailing-data "trailing-data verdict"

# Standard input only: nothing to verify against, said so, exit 0.
OUT="$WORK/out.stdin" ERR="$WORK/err.stdin"
zcat "$WORK/t0/$(logat "$WORK/t0" 0115)" | "$TT_BIN" --db "$WORK/stdin.db" ingest --verify -q - >"$OUT" 2>"$ERR"
RC=$?
expect_rc 0 "stdin with --verify"
expect_err 'nothing verified' "says stdin cannot be verified"

# Usage.
tt ingest --help
expect_out '--verify' "help documents --verify"
finish
