# lib.sh - the harness for CLI tests: run the real binary, check exit codes,
# stdout and stderr, count passes and failures, print "N passed, N failed".
# Sourced by tests/cli/test_*.sh; CTest sets TT_BIN, TT_SOURCE_DIR,
# TT_BINARY_DIR and TT_SHARED_DIR.
set -u
: "${TT_BIN:?TT_BIN must name the trailtrim binary}"
: "${TT_SOURCE_DIR:?}"
PASS=0
FAIL=0
SKIP=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tt-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 1
export TRAILTRIM_DB="$WORK/store.db"
# Golden tables are whole: a COLUMNS from the caller's shell would fit them.
unset COLUMNS

# tt ARGS... : runs trailtrim; sets RC, OUT (stdout file), ERR (stderr file).
tt() {
    OUT="$WORK/out.$$"
    ERR="$WORK/err.$$"
    "$TT_BIN" "$@" >"$OUT" 2>"$ERR" </dev/null
    RC=$?
}

ok() { PASS=$((PASS + 1)); }
bad() {
    FAIL=$((FAIL + 1))
    echo "FAIL: $*" >&2
    if [ -n "${ERR:-}" ] && [ -s "$ERR" ]; then sed 's/^/  stderr: /' "$ERR" | head -5 >&2; fi
}
skip() { SKIP=$((SKIP + 1)); echo "SKIP: $*" >&2; }

expect_rc() { # expect_rc N what
    if [ "$RC" -eq "$1" ]; then ok; else bad "$2: exit $RC, expected $1"; fi
}
expect_out() { # expect_out REGEX what  (grep -E on stdout)
    if grep -qE -- "$1" "$OUT"; then ok; else bad "$2: stdout lacks /$1/"; fi
}
expect_err() {
    if grep -qE -- "$1" "$ERR"; then ok; else bad "$2: stderr lacks /$1/"; fi
}
expect_no_err() {
    if grep -qE -- "$1" "$ERR"; then bad "$2: stderr has /$1/"; else ok; fi
}
expect_eq() { # expect_eq ACTUAL EXPECTED what
    if [ "$1" = "$2" ]; then ok; else bad "$3: got '$1', expected '$2'"; fi
}
expect_empty() { # expect_empty FILE what
    if [ ! -s "$1" ]; then ok; else bad "$2: $(basename "$1") is not empty: $(head -c 200 "$1")"; fi
}

# kv KEY : a number from a JSON object on stdout ("key": N).
kv() { sed -n "s/.*\"$1\": *\([0-9.]*\).*/\1/p" "$OUT" | head -n 1; }

# q SQL : one value from the store, through the sqlite3 shell.
q() { sqlite3 -batch -noheader "$TRAILTRIM_DB" "$1"; }

# manifest KEY : a figure the corpus generator wrote beside the corpus.
manifest() { sed -n "s/^$1[=:] *\([0-9]*\).*/\1/p" "$TT_SOURCE_DIR/sample-logs/MANIFEST.txt" | head -n 1; }

have() { command -v "$1" >/dev/null 2>&1; }

finish() {
    echo "$PASS passed, $FAIL failed, $SKIP skipped"
    [ "$FAIL" -eq 0 ] || exit 1
    [ "$PASS" -gt 0 ] || exit 77
    exit 0
}
