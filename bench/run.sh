#!/usr/bin/env bash
# run.sh - the trailtrim benchmark (not a test): makes or reuses a synthetic
# CloudTrail corpus, then times `trailtrim ingest` against jq and DuckDB
# loading the same fields and counting calls per (principal, eventSource,
# eventName) over the same files,
# and prints wall time, throughput and peak RSS. See bench/README.md.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: bench/run.sh [--events N] [--seed S] [--build DIR]
                    [--runs N] [--skip-jq] [--skip-duckdb] [--skip-trailtrim]

  --events N        unique events in the corpus (default 2000000)
  --seed S          generator seed (default 42)
  --build DIR       CMake build directory (default build-bench; configured
                    as Release if it does not exist yet)
  --runs N          rounds of trailtrim and the two DuckDB jobs, taken in
                    turn so that a slow spell of the machine hits all
                    three alike; the median of each is reported (default 3;
                    jq, minutes long, runs once)
  --skip-jq         do not run the jq peer (it takes minutes on 2M events)
  --skip-duckdb     do not run the DuckDB peer
  --skip-trailtrim  do not run trailtrim
Corpora are cached in bench/corpus/<N>-<seed>/; results go to stdout and
bench/out/results.txt.
EOF
}

events=2000000 seed=42 build="" runs=3 skip_jq=0 skip_duckdb=0 skip_tt=0
while [ $# -gt 0 ]; do
    case $1 in
    --events) events=${2:?--events needs a value}; shift 2 ;;
    --events=*) events=${1#*=}; shift ;;
    --seed) seed=${2:?--seed needs a value}; shift 2 ;;
    --seed=*) seed=${1#*=}; shift ;;
    --build) build=${2:?--build needs a value}; shift 2 ;;
    --build=*) build=${1#*=}; shift ;;
    --runs) runs=${2:?--runs needs a value}; shift 2 ;;
    --runs=*) runs=${1#*=}; shift ;;
    --skip-jq) skip_jq=1; shift ;;
    --skip-duckdb) skip_duckdb=1; shift ;;
    --skip-trailtrim) skip_tt=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done
case $events$seed$runs in *[!0-9]*|'') echo "run.sh: --events, --seed and --runs want integers" >&2; exit 2 ;; esac
[ "$runs" -ge 1 ] || { echo "run.sh: --runs wants at least 1" >&2; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${build:-$root/build-bench}
case $build in /*) ;; *) build=$PWD/$build ;; esac
out=$here/out
corpus=$here/corpus/$events-$seed
mkdir -p "$out"

say() { printf '%s\n' "$*" >&2; }

# ---- install step: GNU time, jq, the DuckDB npm package ------------------
install_tools() {
    if [ ! -x /usr/bin/time ]; then
        say "GNU time is missing: apt-get install -y time"
        apt-get install -y time >/dev/null || { say "run.sh: need /usr/bin/time (apt-get install -y time)"; exit 1; }
    fi
    if [ $skip_jq = 0 ] && ! command -v jq >/dev/null; then
        say "jq is missing (apt-get install -y jq): skipping the jq peer"
        skip_jq=1
    fi
    if [ $skip_duckdb = 0 ] && [ ! -d "$here/node_modules/@duckdb/node-api" ]; then
        say "installing @duckdb/node-api into bench/node_modules (npm ci)"
        # npm ci wants every platform's optional binding in the lock; where the
        # registry serves only some, fall back to installing the pinned version.
        (cd "$here" && { npm ci --no-audit --no-fund >&2 ||
                         npm install --no-save --no-audit --no-fund >&2; }) ||
            { say "npm could not install @duckdb/node-api: skipping DuckDB"; skip_duckdb=1; }
    fi
    if [ $skip_duckdb = 0 ] && ! command -v node >/dev/null; then
        say "node is missing: skipping DuckDB"
        skip_duckdb=1
    fi
}

# ---- build ------------------------------------------------------------------
build_tools() {
    if [ ! -f "$build/CMakeCache.txt" ]; then
        say "configuring $build (Release)"
        cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >&2
    fi
    cmake --build "$build" --target trailtrim-gencorpus -j2 >&2
    if [ $skip_tt = 0 ]; then
        cmake --build "$build" --target trailtrim -j2 >&2 ||
            say "trailtrim did not build (yet): its part will be skipped"
    fi
}

# ---- measuring ------------------------------------------------------------
# measure NAME CMD...: runs CMD under GNU time. Appends the seconds to
# NAME_all and sets NAME_secs to the median of NAME_all so far, NAME_spread
# to "min-max", and NAME_kb to the largest peak.
measure() {
    local name=$1 secs kb all prev
    shift
    if /usr/bin/time -f '%e %M' -o "$out/$name.time" "$@" >"$out/$name.stdout" 2>"$out/$name.stderr"; then
        read -r secs kb < <(tail -n 1 "$out/$name.time")
        all=${name}_all prev=${name}_kb
        printf -v "$all" '%s' "${!all:-} $secs"
        [ "${!prev:-0}" -gt "$kb" ] && kb=${!prev}
        printf -v "${name}_kb" '%s' "$kb"
        printf -v "${name}_secs" '%s' "$(printf '%s\n' ${!all} | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
        printf -v "${name}_spread" '%s' "$(printf '%s\n' ${!all} | sort -n | awk '{ v[NR] = $1 } END { print v[1] "-" v[NR] }')"
        return 0
    fi
    say "$name failed; see bench/out/$name.stderr:"
    tail -n 5 "$out/$name.stderr" >&2 || true
    return 1
}

manifest() { sed -n "s/^$1=//p" "$corpus/MANIFEST.txt"; }

make_corpus() {
    gen_secs=""
    if [ -f "$corpus/MANIFEST.txt" ]; then
        say "reusing corpus $corpus"
        return
    fi
    rm -rf "$corpus"
    mkdir -p "$corpus"
    say "generating $events events (seed $seed) into $corpus"
    measure gen "$build/bench/trailtrim-gencorpus" --out "$corpus" --events "$events" --seed "$seed"
    cat "$out/gen.stdout" >&2
}

warm_cache() {
    find "$corpus" -type f -print0 | xargs -0 cat >/dev/null
}

# ---- the three contenders ---------------------------------------------------
tt_bin() { printf '%s\n' "$build/cmd/trailtrim"; }

run_trailtrim() {
    local db=$out/trailtrim.db
    tt_ok=0
    if [ $skip_tt = 1 ]; then return; fi
    if [ ! -x "$(tt_bin)" ]; then
        say "no trailtrim binary at $(tt_bin): skipping trailtrim"
        return
    fi
    rm -f "$db" "$db-wal" "$db-shm" "$db.lock"
    say "trailtrim ingest ..."
    measure trailtrim "$(tt_bin)" --db "$db" ingest -q "$corpus" || return 0
    tt_ok=1
    tt_db_bytes=$(( $(stat -c %s "$db") + $( [ -f "$db-wal" ] && stat -c %s "$db-wal" || echo 0) ))
}

run_jq() {
    jq_ok=0
    if [ $skip_jq = 1 ]; then return; fi
    say "jq (2 processes) ..."
    measure jq "$here/jq_count.sh" "$corpus" "$out/jq.groups" || return 0
    jq_ok=1
    # canonical form: count<TAB>principal<TAB>source<TAB>name, sorted
    sed -E 's/^ *([0-9]+) /\1\t/' "$out/jq.groups" | LC_ALL=C sort >"$out/jq.tsv"
}

# DuckDB twice: "duckdb" loads the fields trailtrim stores into a database
# file and counts from it (the job compared); "duckdb-count" declares only
# the three fields of the count and stores nothing (shown for reference).
run_duckdb() {
    duckdb_ok=0 dcount_ok=0
    if [ $skip_duckdb = 1 ]; then return; fi
    say "DuckDB load (threads=2) ..."
    if measure duckdb node "$here/duckdb_count.mjs" load "$corpus" "$out/duckdb.groups" "$out/duckdb.duckdb"; then
        duckdb_ok=1
        duckdb_db_bytes=$(stat -c %s "$out/duckdb.duckdb")
        LC_ALL=C sort "$out/duckdb.groups" >"$out/duckdb.tsv"
    fi
    rm -f "$out/duckdb.duckdb" "$out/duckdb.duckdb.wal"
    say "DuckDB count only (threads=2) ..."
    if measure dcount node "$here/duckdb_count.mjs" count "$corpus" "$out/dcount.groups"; then
        dcount_ok=1
        LC_ALL=C sort "$out/dcount.groups" >"$out/dcount.tsv"
    fi
    return 0
}

# The principal with the most calls: from `trailtrim principals --format csv`
# (a count-like column), else from a peer's group counts.
busiest_principal() {
    local p=""
    if "$(tt_bin)" --db "$out/trailtrim.db" principals --format csv >"$out/principals.csv" 2>/dev/null; then
        p=$(awk -F, '
            NR == 1 { for (i = 1; i <= NF; i++) { h = tolower($i); gsub(/"/, "", h)
                        if (!pc && h ~ /^(principal|principal_arn|arn|principal_key|key|name)$/) pc = i
                        if (!cc && h ~ /^(calls|events|count|total|n|api_calls|call_count)$/) cc = i }
                      next }
            pc && cc { v = $cc; gsub(/"/, "", v); if (v + 0 > best) { best = v + 0; p = $pc } }
            END { gsub(/"/, "", p); print p }' "$out/principals.csv")
    fi
    if [ -z "$p" ]; then
        local g
        for g in "$out/jq.tsv" "$out/duckdb.tsv"; do
            [ -s "$g" ] || continue
            p=$(awk -F'\t' '$2 != "?" { s[$2] += $1 }
                            END { for (k in s) if (s[k] > b) { b = s[k]; p = k }; print p }' "$g")
            break
        done
    fi
    printf '%s\n' "$p"
}

# usage timing: best and median of 5 runs, in milliseconds.
time_usage() {
    usage_ms="" usage_med="" busiest=""
    [ "${tt_ok:-0}" = 1 ] || return 0
    busiest=$(busiest_principal)
    if [ -z "$busiest" ]; then
        say "could not find the busiest principal: skipping the usage timing"
        return 0
    fi
    local i t0 t1 ms=()
    for i in 1 2 3 4 5; do
        t0=$(date +%s%N)
        if ! "$(tt_bin)" --db "$out/trailtrim.db" usage "$busiest" --days 90 >"$out/usage.stdout" 2>"$out/usage.stderr"; then
            say "trailtrim usage failed (see bench/out/usage.stderr): skipping its timing"
            return 0
        fi
        t1=$(date +%s%N)
        ms+=($(( (t1 - t0) / 1000000 )))
    done
    read -r usage_ms usage_med < <(printf '%s\n' "${ms[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[1], v[3] }')
}

# One timed run of a trailtrim command, in ms (empty when it failed).
time_once() { # time_once NAME ARGS...
    local name=$1 t0 t1
    shift
    t0=$(date +%s%N)
    if ! "$(tt_bin)" --db "$out/trailtrim.db" "$@" >"$out/$name.stdout" 2>"$out/$name.stderr"; then
        say "trailtrim $name failed (see bench/out/$name.stderr): not timed"
        return 0
    fi
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000000 ))
}

# Policies for every principal, and the leaked-key report for the busiest
# access key (the key with the most calls in the store).
time_policy_and_key() {
    policy_ms="" key_ms="" busiest_key=""
    [ "${tt_ok:-0}" = 1 ] || return 0
    rm -rf "$out/policies"
    policy_ms=$(time_once policy-all policy --all -o "$out/policies" --until 2026-11-21 -q)
    if command -v sqlite3 >/dev/null; then
        busiest_key=$(sqlite3 "$out/trailtrim.db" "SELECT d.v FROM event e JOIN identity i ON i.id = e.ident
            JOIN dict d ON d.id = i.access_key WHERE i.access_key != 0
            GROUP BY i.access_key ORDER BY count(*) DESC LIMIT 1")
    fi
    [ -n "$busiest_key" ] && key_ms=$(time_once key key "$busiest_key" --format json)
    return 0
}

# ---- report -----------------------------------------------------------------
row() { # tool seconds peak_kb spread
    awk -v t="$1" -v s="$2" -v kb="$3" -v sp="$4" -v ev="$unique" -v by="$raw_bytes" 'BEGIN {
        if (s <= 0) s = 0.01
        printf "%-12s %9.2f %12.0f %9.1f %9.1f  %s\n", t, s, ev / s, by / 1e6 / s, kb / 1024, sp }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) b = 0.01; printf "%.1f", a / b }'; }

# target LABEL VALUE OP LIMIT: prints whether VALUE meets the target.
target() {
    awk -v l="$1" -v v="$2" -v op="$3" -v lim="$4" 'BEGIN {
        ok = (op == ">=") ? (v + 0 >= lim + 0) : (v + 0 < lim + 0 || (op == "<=" && v + 0 == lim + 0))
        printf "  %-34s %-12s (target %s %s)  %s\n", l, v, op, lim, ok ? "ok" : "MISS" }'
}

peer_check() {
    local jqg="" dkg=""
    echo "peer agreement (groups = distinct principal/eventSource/eventName):"
    echo "  generator manifest   groups $(manifest principal_source_name_groups)  records $records"
    if [ "$jq_ok" = 1 ]; then
        jqg=$(wc -l <"$out/jq.tsv")
        echo "  jq                   $(paste -sd' ' "$out/jq.stdout")"
    fi
    if [ "$duckdb_ok" = 1 ]; then
        dkg=$(wc -l <"$out/duckdb.tsv")
        echo "  duckdb               $(paste -sd' ' "$out/duckdb.stdout")"
    fi
    if [ "$dcount_ok" = 1 ]; then
        echo "  duckdb-count         $(paste -sd' ' "$out/dcount.stdout")"
    fi
    if [ -n "$jqg" ] && [ -n "$dkg" ]; then
        if cmp -s "$out/jq.tsv" "$out/duckdb.tsv"; then
            echo "  jq and DuckDB agree on every group and count"
        else
            echo "  jq and DuckDB DISAGREE: diff bench/out/jq.tsv bench/out/duckdb.tsv"
        fi
    fi
    if [ -n "$dkg" ] && [ "$dcount_ok" = 1 ] && ! cmp -s "$out/duckdb.tsv" "$out/dcount.tsv"; then
        echo "  DuckDB load and count DISAGREE: diff bench/out/duckdb.tsv bench/out/dcount.tsv"
    fi
}

tool_rows() {
    printf "%-12s %9s %12s %9s %9s  %s\n" tool seconds events/s MB/s peak_MB runs
    [ "$tt_ok" = 1 ] && row trailtrim "$trailtrim_secs" "$trailtrim_kb" "$trailtrim_all"
    [ "$jq_ok" = 1 ] && row jq "$jq_secs" "$jq_kb" "$jq_all"
    [ "$duckdb_ok" = 1 ] && row duckdb "$duckdb_secs" "$duckdb_kb" "$duckdb_all"
    [ "$dcount_ok" = 1 ] && row duckdb-count "$dcount_secs" "$dcount_kb" "$dcount_all"
    [ "$tt_ok" = 1 ] && [ "$jq_ok" = 1 ] && echo "jq/trailtrim     $(ratio "$jq_secs" "$trailtrim_secs")x"
    [ "$tt_ok" = 1 ] && [ "$duckdb_ok" = 1 ] && echo "duckdb/trailtrim $(ratio "$duckdb_secs" "$trailtrim_secs")x"
    [ "$tt_ok" = 1 ] && [ "$dcount_ok" = 1 ] &&
        echo "duckdb-count/trailtrim $(ratio "$dcount_secs" "$trailtrim_secs")x (three fields, nothing stored: a lighter job)"
    [ "$duckdb_ok" = 1 ] && echo "duckdb store: $duckdb_db_bytes bytes"
    return 0
}

tt_rows() {
    [ "$tt_ok" = 1 ] || { echo "trailtrim: not run"; return 0; }
    local bpe evs
    bpe=$(awk -v b="$tt_db_bytes" -v n="$unique" 'BEGIN { printf "%.1f", b / n }')
    evs=$(awk -v n="$unique" -v s="$trailtrim_secs" 'BEGIN { if (s <= 0) s = 0.01; printf "%.0f", n / s }')
    echo "trailtrim store: $tt_db_bytes bytes, $bpe bytes/event"
    if [ -n "$usage_ms" ]; then
        echo "trailtrim usage '$busiest' --days 90: best ${usage_ms} ms, median ${usage_med} ms (5 runs)"
    else
        echo "trailtrim usage: not timed"
    fi
    [ -n "$policy_ms" ] && echo "trailtrim policy --all: ${policy_ms} ms ($(ls "$out/policies" 2>/dev/null | grep -vc report) files)"
    [ -n "$key_ms" ] && echo "trailtrim key $busiest_key (the busiest key): ${key_ms} ms"
    echo
    echo "targets:"
    target "ingest events/s" "$evs" ">=" 450000
    [ "$jq_ok" = 1 ] && target "jq / trailtrim" "$(ratio "$jq_secs" "$trailtrim_secs")" ">=" 10
    [ "$duckdb_ok" = 1 ] && target "duckdb / trailtrim" "$(ratio "$duckdb_secs" "$trailtrim_secs")" ">=" 3
    target "ingest peak MB" "$(awk -v k="$trailtrim_kb" 'BEGIN { printf "%.1f", k / 1024 }')" "<=" 300
    target "store bytes/event" "$bpe" "<=" 160
    [ -n "$usage_ms" ] && target "usage median ms" "$usage_med" "<" 50
    [ -n "$policy_ms" ] && target "policy --all ms" "$policy_ms" "<" 1000
    [ -n "$key_ms" ] && target "key report ms" "$key_ms" "<" 1000
    return 0
}

report() {
    unique=$(manifest events_unique)
    records=$(manifest records_total)
    raw_bytes=$(manifest bytes_uncompressed)
    {
        echo "trailtrim benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(uname -sm)"
        echo "corpus $corpus"
        echo "  $unique unique events, $records records ($(manifest duplicate_copies) duplicate copies)," \
             "$(manifest log_objects) log objects + $(manifest digest_objects) digests"
        echo "  $(awk -v b="$raw_bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB JSON," \
             "$(awk -v b="$(manifest bytes_compressed)" 'BEGIN { printf "%.1f", b / 1e6 }') MB gzipped"
        [ -n "$gen_secs" ] && echo "  generated in $gen_secs s (peak $(( gen_kb / 1024 )) MB)"
        echo "events/s counts unique events; MB/s counts uncompressed JSON; peak = largest process RSS"
        echo "seconds = median of the runs listed (trailtrim and DuckDB in $runs alternating rounds; jq once)"
        echo
        tool_rows
        echo
        tt_rows
        echo
        peer_check
    } | tee "$out/results.txt"
}

install_tools
build_tools
make_corpus
warm_cache
tt_ok=0 jq_ok=0 duckdb_ok=0 dcount_ok=0
for round in $(seq "$runs"); do
    say "round $round of $runs"
    run_trailtrim
    run_duckdb
done
run_jq
time_usage
time_policy_and_key
report
