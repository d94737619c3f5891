# test_golden.sh - every subcommand in every format, and the main errors,
# against the exact files in tests/golden/ (as zstd's tests/cli-tests/):
# each case of tests/golden/cases.txt has CASE.stdout.exact,
# CASE.stderr.exact and CASE.exit, and CASE.files.exact when it wrote files
# under out/ (each file, sorted by path, after a "=== PATH ===" line).
#
# Usage: test_golden.sh [--refresh] [CASE_GLOB...]
#   --refresh rewrites the files of the cases run (all: also removes the
#   files of cases no longer listed); tests/golden/refresh.sh does it from a
#   build folder. TT_UPDATE_GOLDEN=1 is the same as --refresh. Review the
#   diff before committing.
#
# Every case runs from one work folder, with relative paths only: logs/ is
# sample-logs/, fx/ is tests/fixtures/, in/ is tests/golden/inputs/, and the
# store is STORE.db (the case's second column, built once from its inputs,
# one thread so that its layout is always the same). Windows are fixed by
# --until. The one filter (stable(), below) blanks what no option fixes:
# ingest's timings; the store's size in bytes (status store_bytes and
# bytes_per_event: SQLite's page use follows how the commits fell in time,
# by a few pages, from one run to the next); and the wall-clock time an
# object was ingested (the manifest's "seen", shown by status), i.e. any
# time stamp of today or yesterday (UTC) becomes <now>; every input's
# events are older.
. "$(dirname "$0")/lib.sh"
GOLD="$TT_SOURCE_DIR/tests/golden"
refresh=0
[ "${TT_UPDATE_GOLDEN:-}" = 1 ] && refresh=1
globs=()
for a in "$@"; do
    case $a in
    --refresh) refresh=1 ;;
    *) globs+=("$a") ;;
    esac
done
[ -f "$TT_SOURCE_DIR/sample-logs/MANIFEST.txt" ] || { skip "sample-logs is missing"; finish; }
ln -s "$TT_SOURCE_DIR/sample-logs" logs
ln -s "$TT_SOURCE_DIR/tests/fixtures" fx
ln -s "$GOLD/inputs" in
export LC_ALL=C
unset TRAILTRIM_DB NO_COLOR TZ

# store NAME: makes NAME.db from its inputs once. "fresh" is a new empty
# store for every case; "none" is a store that does not exist.
declare -A BUILT=()
store() {
    local name=$1 src= extra=
    case $name in
    fresh) rm -f fresh.db fresh.db-*; return 0 ;;
    none) return 0 ;;
    sample) src=logs ;;
    leak) src=fx/leak-story ;;
    trust) src=fx/trust/logs ;;
    authz) src=in/authz-capture.ndjson ;;
    bad) src=fx/bad ;;
    digests) src=in/digests extra=--verify ;;
    *) echo "test_golden: unknown store $name" >&2; return 1 ;;
    esac
    [ -n "${BUILT[$name]:-}" ] && return 0
    "$TT_BIN" --db "$name.db" ingest -q -j 1 $extra "$src" >/dev/null 2>&1 </dev/null
    local rc=$?
    # fx/bad holds rejected objects on purpose (exit 3).
    if [ $rc -ne 0 ] && ! { [ "$name" = bad ] && [ $rc -eq 3 ]; }; then
        bad "building store $name from $src: exit $rc"
        return 1
    fi
    BUILT[$name]=1
}

# stable FILE: the documented filter (see the top).
TODAY=$(date -u +%Y-%m-%d)
YESTERDAY=$(date -u -d yesterday +%Y-%m-%d 2>/dev/null || echo "$TODAY")
stable() {
    sed -i -E -e 's/("seconds": )[0-9.]+/\1N/; s/("events_per_second": )[0-9]+/\1N/' \
        -e 's/ in [0-9.]+ s \([0-9]+ events\/s\)/ in N s (N events\/s)/' \
        -e 's/^(seconds|events_per_second|store_bytes|bytes_per_event)( +|,)[0-9.]+(\r?)$/\1\2N\3/' \
        -e 's/("store_bytes": |"bytes_per_event": )[0-9.]+/\1N/' \
        -e "s/($TODAY|$YESTERDAY)T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/<now>/g" "$1"
}

# files: the files a case wrote under out/, each after its path.
files() {
    find out -type f | sort | while read -r f; do
        echo "=== $f ==="
        cat "$f"
    done
}

selected() {
    [ ${#globs[@]} -eq 0 ] && return 0
    local g
    for g in "${globs[@]}"; do
        # shellcheck disable=SC2053
        [[ $1 == $g ]] && return 0
    done
    return 1
}

# compare NAME KIND FILE: one output of a case against NAME.KIND.
compare() {
    local name=$1 kind=$2 got=$3 want="$GOLD/$1.$2"
    if [ $refresh -eq 1 ]; then
        if [ "$kind" = files.exact ] && [ ! -s "$got" ]; then rm -f "$want"; else cp "$got" "$want"; fi
        return 0
    fi
    if [ "$kind" = files.exact ] && [ ! -s "$got" ] && [ ! -e "$want" ]; then return 0; fi
    if [ ! -e "$want" ]; then
        echo "FAIL: case $name: tests/golden/$name.$kind is missing (run tests/golden/refresh.sh)" >&2
        return 1
    fi
    if ! cmp -s "$want" "$got"; then
        echo "FAIL: case $name: $kind differs (- expected, + got; command: trailtrim $CMDLINE)" >&2
        diff -u "$want" "$got" | sed -n '3,22p' | sed 's/^/  /' >&2
        return 1
    fi
}

ran=0
declare -A LISTED=()
while IFS= read -r line; do
    case $line in '' | '#'*) continue ;; esac
    read -r name st CMDLINE <<<"$line"
    [ -z "${LISTED[$name]:-}" ] || { bad "case $name is listed twice in tests/golden/cases.txt"; continue; }
    LISTED[$name]=1
    selected "$name" || continue
    store "$st" || continue
    rm -rf out && mkdir out
    eval "set -- $CMDLINE"
    "$TT_BIN" --db "$st.db" "$@" >got.stdout 2>got.stderr </dev/null
    echo $? >got.exit
    stable got.stdout
    stable got.stderr
    files >got.files
    ran=$((ran + 1))
    fail=0
    for k in stdout.exact:got.stdout stderr.exact:got.stderr exit:got.exit files.exact:got.files; do
        compare "$name" "${k%%:*}" "${k#*:}" || fail=1
    done
    if [ $fail -eq 0 ]; then ok; else FAIL=$((FAIL + 1)); fi
done <"$GOLD/cases.txt"
[ $ran -gt 0 ] || { bad "no case matches ${globs[*]}"; finish; }

# Refreshing everything: files of cases no longer listed go.
if [ $refresh -eq 1 ] && [ ${#globs[@]} -eq 0 ]; then
    for f in "$GOLD"/*.exact "$GOLD"/*.exit; do
        [ -e "$f" ] || continue
        n=$(basename "$f")
        n=${n%.exit}
        n=${n%.stdout.exact}
        n=${n%.stderr.exact}
        n=${n%.files.exact}
        [ -n "${LISTED[$n]:-}" ] || { rm -f "$f"; echo "removed tests/golden/$(basename "$f")"; }
    done
fi
[ $refresh -eq 1 ] && echo "refreshed $ran cases in tests/golden/"

# Properties the goldens do not state by themselves.
if [ ${#globs[@]} -eq 0 ]; then
    "$TT_BIN" --db sample.db status --format csv --section summary >o.csv 2>/dev/null
    expect_eq "$(head -n 1 o.csv | tr -d '\r')" "key,value" "status summary CSV: one header"
    expect_eq "$(grep -c '^#' o.csv)" 0 "status summary CSV: no section titles"
    if have sqlite3; then
        "$TT_BIN" --db sample.db status --format csv --section coverage >o.csv 2>/dev/null
        rows=$(sqlite3 :memory: ".import --csv o.csv cov" "SELECT count(*) FROM cov")
        expect_eq "$rows" "$(($(grep -c . o.csv) - 1))" "status coverage CSV loads with sqlite3 .import"
    fi
    # The forensics call table names no issue (it moves with its module).
    calls=$(find "$TT_SOURCE_DIR" -name forensics-calls.tsv -not -path '*/build*' | head -n 1)
    if [ -z "$calls" ]; then
        skip "forensics-calls.tsv not found"
    elif grep -qiE 'issue [0-9]' "$calls"; then bad "forensics-calls.tsv names an issue"; else ok; fi
fi
finish
