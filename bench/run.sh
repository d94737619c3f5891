#!/usr/bin/env bash
# run.sh - the trailtrim benchmark (not a test). For each corpus shape
# (default churn, ~1 new identity per 10 events, and high churn, ~1 per 4)
# it makes or reuses a synthetic CloudTrail corpus and reports:
#   - trailtrim ingest against jq and DuckDB loading the same fields and
#     counting calls per (principal, eventSource, eventName), in alternating
#     rounds: wall time, events/s, peak RSS, and the speed-ups;
#   - the scaling series: 4 corpora of the same size (successive periods of
#     one organization) ingested one after another into one store;
#   - the nightly step: one small new object into the 4x store;
#   - key, search --key, usage and policy --all at 1x and 4x;
# and, once, a 4 GiB gzip bomb among good files. See bench/README.md.
set -euo pipefail

usage() {
    cat <<'USAGE'
usage: bench/run.sh [--events N] [--seed S] [--build DIR] [--runs N]
                    [--churn LIST] [--skip-jq] [--skip-duckdb] [--skip-trailtrim]
                    [--skip-series] [--skip-bomb]

  --events N        unique events in each corpus (default 1000000)
  --seed S          generator seed of the first period (default 42); the
                    periods 2-4 use S+1..S+3 with the same world seed S
  --build DIR       CMake build directory (default build-bench; configured
                    as Release if it does not exist yet)
  --runs N          rounds of trailtrim and the two DuckDB jobs, taken in
                    turn so that a slow spell of the machine hits all
                    three alike; the median of each is reported (default 3;
                    jq, minutes long, runs once)
  --churn LIST      corpus shapes, comma-separated (default "default,high";
                    any --churn value of trailtrim-gencorpus)
  --skip-jq         do not run the jq peer
  --skip-duckdb     do not run the DuckDB peer
  --skip-trailtrim  do not run trailtrim (peers only)
  --skip-series     no scaling series, nightly step or 4x reads
  --skip-bomb       no gzip-bomb step
Corpora are cached in bench/corpus/<N>-<seed>-<churn>-p<K>/; results go to
stdout, bench/out/results.txt and bench/out/results.md (markdown tables).
USAGE
}

events=1000000 seed=42 build="" runs=3 churns="default,high"
skip_jq=0 skip_duckdb=0 skip_tt=0 skip_series=0 skip_bomb=0
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
    --churn) churns=${2:?--churn needs a value}; shift 2 ;;
    --churn=*) churns=${1#*=}; shift ;;
    --skip-jq) skip_jq=1; shift ;;
    --skip-duckdb) skip_duckdb=1; shift ;;
    --skip-trailtrim) skip_tt=1; shift ;;
    --skip-series) skip_series=1; shift ;;
    --skip-bomb) skip_bomb=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done
case $events$seed$runs in *[!0-9]*|'') echo "run.sh: --events, --seed and --runs want integers" >&2; exit 2 ;; esac
[ "$runs" -ge 1 ] || { echo "run.sh: --runs wants at least 1" >&2; exit 2; }
case $churns in *[!a-z0-9.,]*|'') echo "run.sh: --churn wants a list like default,high" >&2; exit 2 ;; esac

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${build:-$root/build-bench}
case $build in /*) ;; *) build=$PWD/$build ;; esac
out=$here/out
mkdir -p "$out"
gen_bin=$build/bench/trailtrim-gencorpus
tt_bin=$build/cmd/trailtrim

# The periods: each corpus spans `days` days; period K starts K-1 spans
# after the first. The nightly object lands an hour into the day after.
first_day=2026-08-12 days=100 periods=4 nightly_events=120

say() { printf '%s\n' "$*" >&2; }
day_plus() { date -u -d "$1 + $2 days" +%F; }

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
        if [ ! -x "$tt_bin" ]; then
            say "no trailtrim binary at $tt_bin: skipping trailtrim"
            skip_tt=1
        fi
    fi
}

# timed NAME CMD...: one run under GNU time; sets T_ms (wall, from the
# nanosecond clock), T_kb (peak RSS) and T_rc (exit code). Never fails.
timed() {
    local name=$1 t0 t1
    shift
    T_rc=0
    t0=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$out/$name.time" "$@" >"$out/$name.stdout" 2>"$out/$name.stderr" || T_rc=$?
    t1=$(date +%s%N)
    T_ms=$(( (t1 - t0) / 1000000 ))
    T_kb=$(tail -n 1 "$out/$name.time" 2>/dev/null | tr -cd '0-9')
    T_kb=${T_kb:-0}
}

mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) b = 0.01; printf "%.2f", a / b }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s <= 0) s = 0.01; printf "%.0f", n / s }'; }

manifest_of() { sed -n "s/^$2=//p" "$1/MANIFEST.txt"; }
manifest() { manifest_of "$corpus" "$1"; }

# gen_corpus DIR ARGS...: generates into DIR once (a MANIFEST.txt marks it
# done) and notes the time it took in DIR/gen.time.
gen_corpus() {
    local dir=$1
    shift
    if [ -f "$dir/MANIFEST.txt" ]; then
        say "reusing corpus $dir"
        return 0
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    say "generating $dir"
    if ! /usr/bin/time -f '%e %M' -o "$dir.gen.time" "$gen_bin" --out "$dir" "$@" >"$dir.gen.stdout" 2>"$dir.gen.stderr"; then
        cat "$dir.gen.stderr" >&2
        rm -rf "$dir"
        say "run.sh: corpus generation failed"
        exit 1
    fi
    mv "$dir.gen.time" "$dir/gen.time"
    rm -f "$dir.gen.stdout" "$dir.gen.stderr"
}

warm_cache() { find "$@" -type f -print0 | xargs -0 cat >/dev/null; }

# ---- the three contenders ---------------------------------------------------
run_trailtrim() {
    if [ $skip_tt = 1 ]; then return; fi
    rm -f "$db" "$db-wal" "$db-shm" "$db.lock"
    say "trailtrim ingest ..."
    measure trailtrim "$tt_bin" --db "$db" ingest -q "$corpus" || return 0
    tt_ok=1
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

# ---- the store --------------------------------------------------------------
# store_stat KEY: a number from `trailtrim status --format json`.
store_stat() {
    "$tt_bin" --db "$db" status --format json 2>/dev/null |
        grep -o "\"$1\"[[:space:]]*:[[:space:]]*[0-9.]*" | sed -n '1s/.*:[[:space:]]*//p' || true
}
store_bytes() {
    local b
    b=$(store_stat store_bytes)
    [ -n "$b" ] || b=$(( $(stat -c %s "$db") + $( [ -f "$db-wal" ] && stat -c %s "$db-wal" || echo 0) ))
    echo "$b"
}

# The principal with the most calls: from `trailtrim principals --format csv`
# (a count-like column), else the generator's own count.
busiest_principal() {
    local p=""
    if "$tt_bin" --db "$db" principals --format csv >"$out/principals.csv" 2>/dev/null; then
        p=$(awk -F, '
            NR == 1 { for (i = 1; i <= NF; i++) { h = tolower($i); gsub(/"/, "", h)
                        if (!pc && h ~ /^(principal|principal_arn|arn|principal_key|key|name)$/) pc = i
                        if (!cc && h ~ /^(calls|events|count|total|n|api_calls|call_count)$/) cc = i }
                      next }
            pc && cc { v = $cc; gsub(/"/, "", v); if (v + 0 > best) { best = v + 0; p = $pc } }
            END { gsub(/"/, "", p); print p }' "$out/principals.csv")
    fi
    [ -n "$p" ] || p=$(manifest busiest_principal)
    printf '%s\n' "$p"
}

# reads TAG UNTIL: key, search --key, usage (median of 5) and policy --all
# on the current store; sets R_<cmd>_<TAG>_ms and _kb.
reads() {
    local tag=$1 until=$2 i ms=() kb=0
    timed "key-$tag" "$tt_bin" --db "$db" key "$busiest_key" --format json
    [ "$T_rc" = 0 ] || { say "key failed (bench/out/key-$tag.stderr)"; T_ms=""; }
    printf -v "R_key_${tag}_ms" '%s' "$T_ms"; printf -v "R_key_${tag}_kb" '%s' "$T_kb"
    timed "search-$tag" "$tt_bin" --db "$db" search --key "$busiest_key" --format json
    [ "$T_rc" = 0 ] || { say "search failed (bench/out/search-$tag.stderr)"; T_ms=""; }
    printf -v "R_search_${tag}_ms" '%s' "$T_ms"; printf -v "R_search_${tag}_kb" '%s' "$T_kb"
    printf -v "R_search_${tag}_rows" '%s' "$(grep -o '"eventTime"\|"time"' "$out/search-$tag.stdout" | wc -l || true)"
    for i in 1 2 3 4 5; do
        timed "usage-$tag" "$tt_bin" --db "$db" usage "$busiest" --days 90 --until "$until"
        [ "$T_rc" = 0 ] || { say "usage failed (bench/out/usage-$tag.stderr)"; break; }
        ms+=("$T_ms")
        [ "$T_kb" -gt "$kb" ] && kb=$T_kb
    done
    if [ ${#ms[@]} = 5 ]; then
        printf -v "R_usage_${tag}_ms" '%s' "$(printf '%s\n' "${ms[@]}" | sort -n | sed -n 3p)"
    else
        printf -v "R_usage_${tag}_ms" '%s' ""
    fi
    printf -v "R_usage_${tag}_kb" '%s' "$kb"
    rm -rf "$out/policies-$tag"
    timed "policy-$tag" "$tt_bin" --db "$db" policy --all -o "$out/policies-$tag" --until "$until" -q
    [ "$T_rc" = 0 ] || { say "policy --all failed (bench/out/policy-$tag.stderr)"; T_ms=""; }
    printf -v "R_policy_${tag}_ms" '%s' "$T_ms"; printf -v "R_policy_${tag}_kb" '%s' "$T_kb"
    printf -v "R_policy_${tag}_files" '%s' "$(find "$out/policies-$tag" -type f 2>/dev/null | grep -vc report || true)"
}

# The scaling series: periods 2..4 into the store that holds period 1.
series() {
    local k dir start evs secs bytes total scratch=$out/trailtrim-$churn-step1.db
    total=$(manifest events_unique)
    S_secs[1]=$trailtrim_secs S_kb[1]=$trailtrim_kb S_events[1]=$total
    # Step 1 again, just before the others, into a store of its own: the
    # rounds ran minutes earlier, and the machine's speed drifts 10-20% over
    # that long (a run whose rounds fell in a fast spell read 1.20x at step
    # 2, where steps 1 and 2 alternated read 1.00x). The speed-ups over the
    # peers keep the rounds' median.
    rm -f "$scratch" "$scratch-wal" "$scratch-shm" "$scratch.lock"
    say "series step 1: ingest $corpus again, just before the next steps"
    if measure step1 "$tt_bin" --db "$scratch" ingest -q "$corpus"; then
        S_secs[1]=$step1_secs S_kb[1]=$step1_kb
    fi
    rm -f "$scratch" "$scratch-wal" "$scratch-shm" "$scratch.lock"
    for k in $(seq 2 $periods); do
        dir=${corpus%-p1}-p$k
        start=$(day_plus "$first_day" $(( (k - 1) * days )))
        gen_corpus "$dir" --events "$events" --seed $((seed + k - 1)) --world-seed "$seed" \
            --churn "$churn" --start "$start" --days "$days"
        warm_cache "$dir"
        say "series step $k: ingest $dir"
        if ! measure "step$k" "$tt_bin" --db "$db" ingest -q "$dir"; then
            S_secs[$k]=""
            return 0
        fi
        evs=$(manifest_of "$dir" events_unique)
        total=$((total + evs))
        secs=step${k}_secs
        S_secs[$k]=${!secs}
        secs=step${k}_kb
        S_kb[$k]=${!secs}
        S_events[$k]=$total
        S_rate[$k]=$(rate "$evs" "${S_secs[$k]}")
        bytes=$(store_bytes)
        S_bpe[$k]=$(awk -v b="$bytes" -v n="$total" 'BEGIN { printf "%.1f", b / n }')
    done
    S_rate[1]=$(rate "${S_events[1]}" "${S_secs[1]}")
    series_ok=1
}

# The nightly step: one new small object; ingest is given all four trees
# and the new object, as a cron job over the bucket would.
nightly() {
    local dir=${corpus%-p1}-nightly$nightly_events start trees=() k
    start=$(day_plus "$first_day" $(( periods * days )))
    gen_corpus "$dir" --events "$nightly_events" --seed $((seed + 99)) --world-seed "$seed" \
        --churn "$churn" --start "$start" --days 1 --one-object
    for k in $(seq 1 $periods); do trees+=("${corpus%-p1}-p$k"); done
    warm_cache "${trees[@]}" "$dir"
    N_gz=$(manifest_of "$dir" bytes_compressed)
    say "nightly: one object of $nightly_events events ($N_gz bytes gz) into the ${periods}x store"
    timed nightly "$tt_bin" --db "$db" ingest --format json "${trees[@]}" "$dir"
    N_rc=$T_rc N_ms=$T_ms N_kb=$T_kb
    N_skipped=$(grep -o '"objects_skipped"[[:space:]]*:[[:space:]]*[0-9]*' "$out/nightly.stdout" | sed 's/.*:[[:space:]]*//' || true)
    N_added=$(grep -o '"events_added"[[:space:]]*:[[:space:]]*[0-9]*' "$out/nightly.stdout" | sed 's/.*:[[:space:]]*//' || true)
    N_loaded=$(grep -o '"objects_loaded"[[:space:]]*:[[:space:]]*[0-9]*' "$out/nightly.stdout" | sed 's/.*:[[:space:]]*//' || true)
    nightly_until=$(day_plus "$start" 1)
}

# ---- the gzip bomb ----------------------------------------------------------
# A .json.gz that inflates to 4 GiB of valid JSON ({"Records":[ + spaces +
# ]}), made by streaming (never on disk uncompressed), among 20 good files.
bomb_step() {
    local bomb=$here/corpus/bomb-4GiB.json.gz dir=$out/bomb good=$1 f
    B_ok=0
    [ $skip_tt = 0 ] || return 0
    if [ ! -s "$bomb" ]; then
        say "making the gzip bomb (4 GiB of JSON, streamed through gzip -1) ..."
        mkdir -p "$here/corpus"
        { printf '{"Records":['; head -c 4294967296 /dev/zero | tr '\0' ' '; printf ']}'; } |
            gzip -1 >"$bomb.tmp"
        mv "$bomb.tmp" "$bomb"
    fi
    rm -rf "$dir"
    mkdir -p "$dir/good"
    # awk reads to the end: head would leave sort to die of SIGPIPE (pipefail)
    find "$good/AWSLogs" -path '*/CloudTrail/*' -name '*.json.gz' -printf '%s %p\n' | sort -n |
        awk 'NR <= 20' | while read -r _ f; do cp "$f" "$dir/good/"; done
    cp "$bomb" "$dir/good/zz-bomb.json.gz"
    B_gz=$(stat -c %s "$bomb")
    # the reference: the good files alone
    mkdir -p "$dir/ref"
    find "$dir/good" -name '*.json.gz' ! -name 'zz-bomb*' -exec cp {} "$dir/ref/" \;
    "$tt_bin" --db "$dir/ref.db" ingest -q "$dir/ref" 2>/dev/null || true
    B_expect=$(db=$dir/ref.db; store_stat events)
    say "gzip bomb among 20 good files ..."
    timed bomb "$tt_bin" --db "$dir/bomb.db" ingest "$dir/good"
    B_rc=$T_rc B_kb=$T_kb B_ms=$T_ms
    B_got=$(db=$dir/bomb.db; store_stat events)
    B_reason=$(grep -i 'bomb\|cap\|rejected' "$out/bomb.stderr" | sed -n 1p | cut -c1-200 || true)
    B_ok=1
}

# ---- report -----------------------------------------------------------------
row() { # tool seconds peak_kb spread
    awk -v t="$1" -v s="$2" -v kb="$3" -v sp="$4" -v ev="$unique" -v by="$raw_bytes" 'BEGIN {
        if (s <= 0) s = 0.01
        printf "  %-12s %9.2f %12.0f %9.1f %9.1f  %s\n", t, s, ev / s, by / 1e6 / s, kb / 1024, sp }'
}
mdrow() { local IFS='|'; printf '| %s |\n' "$*" | sed 's/|/ | /g; s/^ | /| /; s/  */ /g'; }

# target LABEL VALUE OP LIMIT: whether VALUE meets the target, as text and
# as a markdown row (appended to $md_targets).
target() {
    local v=$2
    [ -n "$v" ] || return 0
    awk -v l="$1" -v v="$v" -v op="$3" -v lim="$4" -v c="$churn" -v md="$md_targets" 'BEGIN {
        ok = (op == ">=") ? (v + 0 >= lim + 0) : (v + 0 < lim + 0 || (op == "<=" && v + 0 == lim + 0))
        printf "  %-36s %-12s (target %s %s)  %s\n", l, v, op, lim, ok ? "ok" : "MISS"
        printf "| %s | %s | %s | %s %s | %s |\n", l, c, v, op, lim, ok ? "ok" : "**MISS**" >> md }'
}

peer_check() {
    echo "peer agreement (groups = distinct principal/eventSource/eventName):"
    echo "  generator manifest   groups $(manifest principal_source_name_groups)  records $records"
    [ "$jq_ok" = 1 ] && echo "  jq                   $(paste -sd' ' "$out/jq.stdout")"
    [ "$duckdb_ok" = 1 ] && echo "  duckdb               $(paste -sd' ' "$out/duckdb.stdout")"
    [ "$dcount_ok" = 1 ] && echo "  duckdb-count         $(paste -sd' ' "$out/dcount.stdout")"
    if [ "$jq_ok" = 1 ] && [ "$duckdb_ok" = 1 ]; then
        if cmp -s "$out/jq.tsv" "$out/duckdb.tsv"; then
            echo "  jq and DuckDB agree on every group and count"
        else
            echo "  jq and DuckDB DISAGREE: diff bench/out/jq.tsv bench/out/duckdb.tsv"
        fi
    fi
    if [ "$duckdb_ok" = 1 ] && [ "$dcount_ok" = 1 ] && ! cmp -s "$out/duckdb.tsv" "$out/dcount.tsv"; then
        echo "  DuckDB load and count DISAGREE: diff bench/out/duckdb.tsv bench/out/dcount.tsv"
    fi
    return 0
}

corpus_report() {
    local gt
    gt=$(cat "$corpus/gen.time" 2>/dev/null || echo "? 0")
    echo "== corpus '$churn' churn: $corpus"
    echo "  $unique unique events, $records records ($(manifest duplicate_copies) duplicate copies)," \
         "$(manifest log_objects) log objects + $(manifest digest_objects) digests," \
         "$(manifest account_region_prefixes) account/region prefixes of $(manifest accounts) accounts"
    echo "  $(awk -v b="$raw_bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB JSON," \
         "$(awk -v b="$(manifest bytes_compressed)" 'BEGIN { printf "%.1f", b / 1e6 }') MB gzipped;" \
         "generated in ${gt% *} s (peak $(mb "${gt#* }") MB)"
    echo "  identity tuples $(manifest identity_tuples): $(manifest events_per_identity) events per identity"
    echo "  events per object: min $(manifest object_events_min), median $(manifest object_events_median)," \
         "p90 $(manifest object_events_p90), p99 $(manifest object_events_p99), max $(manifest object_events_max)" \
         "(1-9: $(manifest objects_1_9), 10-99: $(manifest objects_10_99), 100-999: $(manifest objects_100_999)," \
         "1000-9999: $(manifest objects_1000_9999), 10000+: $(manifest objects_10000_plus))"
    mdrow "$churn" "$unique" "$records" "$(manifest log_objects)" \
        "$(awk -v b="$raw_bytes" 'BEGIN { printf "%.0f", b / 1e6 }')" \
        "$(awk -v b="$(manifest bytes_compressed)" 'BEGIN { printf "%.0f", b / 1e6 }')" \
        "$(manifest events_per_identity)" \
        "$(manifest object_events_min) / $(manifest object_events_median) / $(manifest object_events_p90) / $(manifest object_events_p99) / $(manifest object_events_max)" \
        "$(manifest account_region_prefixes)" "${gt% *}" >>"$md_corpora"
    echo
    printf "  %-12s %9s %12s %9s %9s  %s\n" tool seconds events/s MB/s peak_MB runs
    if [ "$tt_ok" = 1 ]; then
        row trailtrim "$trailtrim_secs" "$trailtrim_kb" "$trailtrim_all"
        mdrow "$churn" trailtrim "$trailtrim_secs" "$(rate "$unique" "$trailtrim_secs")" "$(mb "$trailtrim_kb")" "—" >>"$md_peers"
    fi
    local t s k
    for t in jq duckdb dcount; do
        k=${t}_ok
        [ "${!k}" = 1 ] || continue
        s=${t}_secs
        k=${t}_kb
        local sp=${t}_all
        row "$([ $t = dcount ] && echo duckdb-count || echo $t)" "${!s}" "${!k}" "${!sp}"
        [ "$tt_ok" = 1 ] && mdrow "$churn" "$([ $t = dcount ] && echo 'duckdb-count (3 fields, nothing stored)' || echo $t)" \
            "${!s}" "$(rate "$unique" "${!s}")" "$(mb "${!k}")" "$(ratio "${!s}" "$trailtrim_secs")" >>"$md_peers"
    done
    if [ "$tt_ok" = 1 ]; then
        [ "$duckdb_ok" = 1 ] && echo "  trailtrim speed-up over duckdb (same fields loaded): $(ratio "$duckdb_secs" "$trailtrim_secs")x"
        [ "$jq_ok" = 1 ] && echo "  trailtrim speed-up over jq:                          $(ratio "$jq_secs" "$trailtrim_secs")x"
        [ "$dcount_ok" = 1 ] && echo "  trailtrim speed-up over duckdb-count (a lighter job): $(ratio "$dcount_secs" "$trailtrim_secs")x"
        echo "  trailtrim store at 1x: $(store_bytes_1x) bytes, ${S_bpe[1]:-?} bytes/event"
    fi
    echo
    peer_check
    [ "$tt_ok" = 1 ] || return 0
    if [ "$series_ok" = 1 ]; then
        echo
        echo "  scaling series: $periods periods of $events events, one after another into one store"
        printf "  %-5s %13s %9s %10s %9s %11s %13s\n" step store_events seconds events/s peak_MB bytes/event time_vs_step1
        for k in $(seq 1 $periods); do
            [ -n "${S_secs[$k]:-}" ] || continue
            printf "  %-5s %13s %9s %10s %9s %11s %13s\n" "$k" "${S_events[$k]}" "${S_secs[$k]}" "${S_rate[$k]}" \
                "$(mb "${S_kb[$k]}")" "${S_bpe[$k]}" "$(ratio "${S_secs[$k]}" "${S_secs[1]}")"
            mdrow "$churn" "$k" "${S_events[$k]}" "${S_secs[$k]}" "${S_rate[$k]}" "$(mb "${S_kb[$k]}")" \
                "${S_bpe[$k]}" "$(ratio "${S_secs[$k]}" "${S_secs[1]}")" >>"$md_series"
        done
        echo
        echo "  nightly: one new object ($nightly_events events, $N_gz bytes gz) into the ${periods}x store," \
             "ingest over all $periods trees + the new object:"
        echo "    $(awk -v m="$N_ms" 'BEGIN { printf "%.2f", m / 1000 }') s, peak $(mb "$N_kb") MB, exit $N_rc;" \
             "objects skipped ${N_skipped:-?}, loaded ${N_loaded:-?}, events added ${N_added:-?}"
        mdrow "$churn" "$(awk -v m="$N_ms" 'BEGIN { printf "%.2f", m / 1000 }')" "$(mb "$N_kb")" \
            "${N_skipped:-?}" "${N_loaded:-?}" "${N_added:-?}" >>"$md_nightly"
    fi
    echo
    echo "  reads (ms, peak MB; usage = median of 5):      1x              ${periods}x"
    local c
    for c in key search usage policy; do
        local m1=R_${c}_1x_ms k1=R_${c}_1x_kb m4=R_${c}_4x_ms k4=R_${c}_4x_kb
        printf "  %-42s %8s ms %6s MB  %8s ms %6s MB\n" "$(read_label $c)" "${!m1:-—}" "$(mb "${!k1:-0}")" \
            "${!m4:-—}" "$(mb "${!k4:-0}")"
        mdrow "$churn" "$(read_label $c)" "${!m1:-—}" "$(mb "${!k1:-0}")" "${!m4:-—}" "$(mb "${!k4:-0}")" >>"$md_reads"
    done
    echo "  (search --key returned ${R_search_1x_rows:-?} rows at 1x, ${R_search_4x_rows:-?} at ${periods}x; policy --all wrote ${R_policy_1x_files:-?} / ${R_policy_4x_files:-?} files)"
    echo
    echo "  targets (issue 9):"
    [ "$duckdb_ok" = 1 ] && target "speed-up over duckdb" "$(ratio "$duckdb_secs" "$trailtrim_secs")" ">=" 3
    [ "$jq_ok" = 1 ] && target "speed-up over jq" "$(ratio "$jq_secs" "$trailtrim_secs")" ">=" 10
    target "ingest peak MB (fresh store)" "$(mb "$trailtrim_kb")" "<=" 300
    if [ "$series_ok" = 1 ]; then
        target "step 2 time / step 1" "$(ratio "${S_secs[2]}" "${S_secs[1]}")" "<=" 1.1
        target "step $periods time / step 1" "$(ratio "${S_secs[$periods]}" "${S_secs[1]}")" "<=" 1.1
        local maxkb=0
        for k in $(seq 1 $periods); do [ "${S_kb[$k]:-0}" -gt "$maxkb" ] && maxkb=${S_kb[$k]}; done
        target "ingest peak MB (any step)" "$(mb "$maxkb")" "<=" 300
        target "nightly seconds" "$(awk -v m="$N_ms" 'BEGIN { printf "%.2f", m / 1000 }')" "<" 0.5
        target "nightly peak MB" "$(mb "$N_kb")" "<" 100
    fi
    local tag
    for tag in 1x 4x; do
        local m=R_key_${tag}_ms s=R_search_${tag}_ms p=R_policy_${tag}_ms
        [ -n "${!m:-}" ] && target "key (busiest AKIA) ms at $tag" "${!m}" "<" 1000
        [ -n "${!s:-}" ] && target "search --key ms at $tag" "${!s}" "<" 200
        [ -n "${!p:-}" ] && target "policy --all ms at $tag" "${!p}" "<" 2000
    done
    return 0
}

read_label() {
    case $1 in
    key) echo "key $busiest_key" ;;
    search) echo "search --key $busiest_key" ;;
    usage) echo "usage <busiest principal> --days 90" ;;
    policy) echo "policy --all -o DIR" ;;
    esac
}
store_bytes_1x() { echo "${S_bytes1:-?}"; }

bomb_report() {
    [ "${B_ok:-0}" = 1 ] || return 0
    echo "== gzip bomb: a $B_gz-byte .json.gz inflating to 4 GiB of JSON, among 20 good files"
    echo "  trailtrim ingest: exit $B_rc, $(awk -v m="$B_ms" 'BEGIN { printf "%.1f", m / 1000 }') s, peak $(mb "$B_kb") MB;" \
         "events stored ${B_got:-?} of the good files' ${B_expect:-?}"
    [ -n "$B_reason" ] && echo "  reason: $B_reason"
    echo "  targets (issue 9):"
    local churn=bomb
    target "bomb peak MB" "$(mb "$B_kb")" "<=" 512
    target "good events stored (of $B_expect)" "${B_got:-0}" ">=" "${B_expect:-1}"
    mdrow "$B_gz" "$(mb "$B_kb")" "$B_rc" "${B_got:-?} / ${B_expect:-?}" >>"$md_bomb"
}

write_md() {
    {
        echo "Measured $(date -u +%Y-%m-%d), $(nproc) cores, $events events per corpus, $runs rounds."
        echo
        echo "| corpus | unique events | records | log objects | JSON MB | gz MB | events per identity | events per object (min / median / p90 / p99 / max) | account/region prefixes | generated in s |"
        echo "|---|---|---|---|---|---|---|---|---|---|"
        cat "$md_corpora"
        echo
        echo "| corpus | tool | seconds | events/s | peak MB | trailtrim speed-up |"
        echo "|---|---|---|---|---|---|"
        cat "$md_peers"
        if [ -s "$md_series" ]; then
            echo
            echo "| corpus | step | events in store | seconds | events/s | peak MB | store bytes/event | time vs step 1 |"
            echo "|---|---|---|---|---|---|---|---|"
            cat "$md_series"
            echo
            echo "| corpus | nightly: seconds | peak MB | objects skipped | objects loaded | events added |"
            echo "|---|---|---|---|---|---|"
            cat "$md_nightly"
        fi
        if [ -s "$md_reads" ]; then
            echo
            echo "| corpus | command | 1x ms | 1x peak MB | ${periods}x ms | ${periods}x peak MB |"
            echo "|---|---|---|---|---|---|"
            cat "$md_reads"
        fi
        if [ -s "$md_bomb" ]; then
            echo
            echo "| gzip bomb: gz bytes | peak MB | exit | events stored / good files' events |"
            echo "|---|---|---|---|"
            cat "$md_bomb"
        fi
        echo
        echo "| target | corpus | measured | target | |"
        echo "|---|---|---|---|---|"
        cat "$md_targets"
    } >"$out/results.md"
}

# ---- main -------------------------------------------------------------------
install_tools
build_tools
md_corpora=$out/.md_corpora md_peers=$out/.md_peers md_series=$out/.md_series
md_nightly=$out/.md_nightly md_reads=$out/.md_reads md_bomb=$out/.md_bomb md_targets=$out/.md_targets
: >"$md_corpora"; : >"$md_peers"; : >"$md_series"; : >"$md_nightly"; : >"$md_reads"; : >"$md_bomb"; : >"$md_targets"
{
    echo "trailtrim benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(uname -sm)"
    echo "events/s counts unique events; MB/s counts uncompressed JSON; peak = largest process RSS (GNU time)"
    echo "seconds = median of the runs listed (trailtrim and DuckDB in $runs alternating rounds; jq once)"
    echo "speed-up = the peer's seconds / trailtrim's seconds"
} >"$out/results.txt"
first_corpus=""
for churn in ${churns//,/ }; do
    corpus=$here/corpus/$events-$seed-$churn-p1
    db=$out/trailtrim-$churn.db
    gen_corpus "$corpus" --events "$events" --seed "$seed" --world-seed "$seed" --churn "$churn" \
        --start "$first_day" --days "$days"
    [ -n "$first_corpus" ] || first_corpus=$corpus
    say "$(manifest identity_tuples) identity tuples: $(manifest events_per_identity) events per identity ($churn churn)"
    unique=$(manifest events_unique) records=$(manifest records_total) raw_bytes=$(manifest bytes_uncompressed)
    busiest_key=$(manifest busiest_akia_key)
    unset trailtrim_all duckdb_all dcount_all jq_all trailtrim_kb duckdb_kb dcount_kb jq_kb
    for k in $(seq 1 $periods); do unset "step${k}_all" "step${k}_kb" "step${k}_secs"; done
    for k in $(seq 1 $periods); do unset "S_secs[$k]" "S_kb[$k]" "S_events[$k]" "S_rate[$k]" "S_bpe[$k]"; done
    for v in key search usage policy; do unset "R_${v}_1x_ms" "R_${v}_4x_ms" "R_${v}_1x_kb" "R_${v}_4x_kb"; done
    tt_ok=0 jq_ok=0 duckdb_ok=0 dcount_ok=0 series_ok=0 S_bytes1=""
    warm_cache "$corpus"
    for round in $(seq "$runs"); do
        say "[$churn] round $round of $runs"
        run_trailtrim
        run_duckdb
    done
    run_jq
    if [ "$tt_ok" = 1 ]; then
        S_bytes1=$(store_bytes)
        S_bpe[1]=$(awk -v b="$S_bytes1" -v n="$unique" 'BEGIN { printf "%.1f", b / n }')
        busiest=$(busiest_principal)
        reads 1x "$(day_plus "$first_day" "$days")"
        if [ $skip_series = 0 ]; then
            series
            if [ "$series_ok" = 1 ]; then
                nightly
                reads 4x "$nightly_until"
            fi
        fi
    fi
    corpus_report | tee -a "$out/results.txt"
    echo | tee -a "$out/results.txt"
done
if [ $skip_bomb = 0 ]; then
    bomb_step "$first_corpus"
    bomb_report | tee -a "$out/results.txt"
fi
write_md
rm -f "$md_corpora" "$md_peers" "$md_series" "$md_nightly" "$md_reads" "$md_bomb" "$md_targets"
say "results: bench/out/results.txt; markdown tables for the README: bench/out/results.md"
