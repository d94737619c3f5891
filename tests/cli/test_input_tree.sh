# test_input_tree.sh - input trees that change or refuse to be read: a file
# that grows or shrinks between the walk's stat and the read (another
# process resizing it all the time, no FIFO, no LD_PRELOAD) is rejected as
# "changed size while being read", never stored half-read, and stored
# whole by the next run once it is still; an unreadable file is named and
# the rest stored (as root, run as nobody through setpriv).
. "$(dirname "$0")/lib.sh"
have python3 || { skip "python3 (the resizing writer) not installed"; finish; }
have sqlite3 || { skip "sqlite3 shell not installed"; finish; }
GOOD="$TT_SOURCE_DIR/tests/fixtures/bad/good.json.gz"

# A tree with a good object and a 16 MiB one that a background process
# resizes between 8 and 16 MiB as fast as it can (extending writes zeros,
# as a download being appended does; shrinking is a truncation).
T="$WORK/tree"
mkdir -p "$T"
cp "$GOOD" "$T/a-good.json.gz"
BIG="$T/b-moving.json.gz"
head -c $((16 << 20)) /dev/zero >"$BIG"
python3 -c '
import os, sys, time
p, end = sys.argv[1], time.time() + 60
while time.time() < end and os.path.exists(p):
    os.truncate(p, 8 << 20); os.truncate(p, 16 << 20)
' "$BIG" &
MOVER=$!
# The race is on the file system, not ours: a few tries, each its own store.
seen=0
for i in $(seq 1 20); do
    tt --db "$WORK/grow$i.db" ingest -j 1 --format json "$T"
    if grep -q 'b-moving.json.gz: rejected: changed size while being read' "$ERR"; then
        seen=$i
        break
    fi
done
kill "$MOVER" 2>/dev/null
wait "$MOVER" 2>/dev/null
if [ "$seen" -gt 0 ]; then
    ok
    expect_rc 3 "a resized file is a rejection, exit 3"
    expect_err 'bytes at the walk, [0-9]+ read' "says both sizes"
    D="$WORK/grow$seen.db"
    expect_eq "$(sqlite3 "$D" "SELECT count(*) FROM object WHERE path GLOB '*b-moving*' AND status = 'loaded'")" 0 "nothing stored from the half-read file"
    expect_eq "$(sqlite3 "$D" 'SELECT count(*) FROM event')" 3 "the good object beside it stored"
    expect_eq "$(sqlite3 "$D" 'PRAGMA integrity_check')" ok "store intact"
    # Once the file is still, the next run reads it whole (and judges it:
    # zeros are not gzip) instead of skipping it as done.
    tt --db "$D" ingest -j 1 --format json "$T"
    expect_rc 3 "the still file is read again"
    expect_err 'b-moving.json.gz: rejected: named .gz but not gzip' "judged on its whole content"
    expect_no_err 'changed size' "no longer changing"
else
    bad "in 20 runs, no read saw the file change size (stderr: $(head -c 300 "$ERR"))"
fi

# An unreadable file: named, the others stored. As root (who reads
# anything) the run is made as nobody.
U="$WORK/locked"
mkdir -p "$U/t"
cp "$GOOD" "$U/t/good.json.gz"
zcat "$GOOD" | sed 's/-8000-000000000/-8000-999999999/g' | gzip -n >"$U/t/locked.json.gz"
chmod 000 "$U/t/locked.json.gz"
RUNAS=()
if [ "$(id -u)" -eq 0 ]; then
    if have setpriv && setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
        RUNAS=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
        chmod 755 "$WORK" "$U" "$U/t" && chmod 644 "$U/t/good.json.gz"
        chown nobody "$U"
    else
        RUNAS=(none)
    fi
fi
if [ "${RUNAS[0]:-}" = none ]; then
    skip "unreadable files: running as root without setpriv"
else
    OUT="$WORK/out.lock" ERR="$WORK/err.lock"
    "${RUNAS[@]}" "$TT_BIN" --db "$U/s.db" ingest --format json "$U/t" >"$OUT" 2>"$ERR" </dev/null
    RC=$?
    expect_rc 3 "unreadable file: exit 3"
    expect_err 'locked.json.gz: rejected: cannot open: Permission denied' "unreadable file named, with the reason"
    expect_eq "$(sqlite3 "$U/s.db" 'SELECT count(*) FROM event')" 3 "the readable file stored"
    chmod 644 "$U/t/locked.json.gz"
    "${RUNAS[@]}" "$TT_BIN" --db "$U/s.db" ingest --format json "$U/t" >"$OUT" 2>"$ERR" </dev/null
    RC=$?
    expect_rc 0 "once readable, the next run stores it"
    expect_eq "$(sqlite3 "$U/s.db" 'SELECT count(*) FROM event')" 6 "its events added"
fi
finish
