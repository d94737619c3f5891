#!/usr/bin/env bash
# clickhouse.sh - trailtrim on a local two-shard ClickHouse cluster beside
# the SQLite store, on the same corpus, in one run:
#   ingest from 1 process (the whole corpus) and from 2 processes at once
#   (each half of the account prefixes): events/s of each process, peak
#   memory of trailtrim and of each server;
#   key (the busiest AKIA key), policy --all and usage on both stores.
# The cluster is tests/cli/ch_cluster.sh's (two clickhouse-server
# processes on 127.0.0.2 and 127.0.0.3), stopped at the end.
#
#   bench/clickhouse.sh [--events N] [--churn default|high]
# Results: bench/out/clickhouse.txt (and .md).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
events=1000000 churn=default
while [ $# -gt 0 ]; do
    case $1 in
    --events) events=$2; shift 2 ;;
    --churn) churn=$2; shift 2 ;;
    -h|--help) sed -n 2,13p "$0"; exit 0 ;;
    *) echo "clickhouse.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
build=${build:-$root/build-bench}
out=$here/out
mkdir -p "$out"
say() { printf '%s\n' "$*" >&2; }
command -v clickhouse-server >/dev/null || [ -x /usr/sbin/clickhouse-server ] ||
    { say "clickhouse-server is missing: apt-get install -y clickhouse-server"; exit 1; }
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >&2
fi
cmake --build "$build" --target trailtrim trailtrim-gencorpus -j2 >&2
tt=$build/cmd/trailtrim
corpus=$here/corpus/ch-$events-$churn
if [ ! -f "$corpus/MANIFEST.txt" ]; then
    say "generating $corpus"
    rm -rf "$corpus"
    mkdir -p "$(dirname "$corpus")"
    "$build/bench/trailtrim-gencorpus" --out "$corpus" --events "$events" --seed 42 --churn "$churn" >/dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/tt-chbench.XXXXXX")
cluster=$work/cluster
trap '"$root/tests/cli/ch_cluster.sh" stop "$cluster"; rm -rf "$work"' EXIT
url=$("$root/tests/cli/ch_cluster.sh" start "$cluster" 2)
export TRAILTRIM_CLICKHOUSE_PASSWORD
TRAILTRIM_CLICKHOUSE_PASSWORD=$(cat "$cluster/password")
base=${url%/tt\?cluster=tt}

ms() { date +%s%N; }
# run NAME CMD... : wall ms in R_ms, peak RSS kB in R_kb
run() {
    local name=$1 t0 t1
    shift
    t0=$(ms)
    /usr/bin/time -f '%M' -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" ||
        { say "$name failed:"; tail -3 "$work/$name.err" >&2; }
    t1=$(ms)
    R_ms=$(( (t1 - t0) / 1000000 ))
    R_kb=$(tail -n 1 "$work/$name.time" | tr -cd '0-9')
}
server_hwm() { # server_hwm I : peak RSS of server I in MB
    awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$(cat "$cluster/s$1/pid")/status"
}
rate() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.0f", n / (ms / 1000) }'; }
unique=$(sed -n 's/^events_unique=//p' "$corpus/MANIFEST.txt")
records=$(sed -n 's/^records_total=//p' "$corpus/MANIFEST.txt")

cd "$(dirname "$corpus")"
rel=$(basename "$corpus")
exec 3>"$out/clickhouse.txt"
report() { printf '%s\n' "$*" | tee /dev/fd/3; }
report "corpus: $rel ($unique unique events, $records records); $(nproc) cores"

run sqlite "$tt" --db "$work/s.db" ingest "$rel"
report "sqlite   ingest: $R_ms ms, $(rate "$unique" "$R_ms") events/s, peak $((R_kb / 1024)) MB"

run ch1 "$tt" --db "$base/one?cluster=tt" ingest "$rel"
report "cluster  ingest, 1 process: $R_ms ms, $(rate "$records" "$R_ms") records/s, peak $((R_kb / 1024)) MB;" \
    "servers peak $(server_hwm 1) MB, $(server_hwm 2) MB"

# Two processes at once, each every other account prefix (the accounts
# under the organization's prefix counted one by one): disjoint halves.
mapfile -t prefixes < <({ ls -d "$rel"/AWSLogs/[0-9]*/; ls -d "$rel"/AWSLogs/o-*/[0-9]*/; } 2>/dev/null | sort)
half_a=() half_b=()
for i in "${!prefixes[@]}"; do
    if [ $((i % 2)) -eq 0 ]; then half_a+=("${prefixes[$i]}"); else half_b+=("${prefixes[$i]}"); fi
done
t0=$(ms)
( run ch2a "$tt" --db "$base/two?cluster=tt" ingest "${half_a[@]}"; echo "$R_ms $R_kb" >"$work/a.r" ) &
( run ch2b "$tt" --db "$base/two?cluster=tt" ingest "${half_b[@]}"; echo "$R_ms $R_kb" >"$work/b.r" ) &
wait
t1=$(ms)
both=$(( (t1 - t0) / 1000000 ))
ra=$(grep -o '"events_added": [0-9]*' "$work/ch2a.out" | tr -cd '0-9')
rb=$(grep -o '"events_added": [0-9]*' "$work/ch2b.out" | tr -cd '0-9')
read -r ma ka <"$work/a.r"
read -r mb kb <"$work/b.r"
report "cluster  ingest, 2 processes at once: $both ms in all;" \
    "A $ra records in $ma ms ($(rate "$ra" "$ma")/s, peak $((ka / 1024)) MB)," \
    "B $rb records in $mb ms ($(rate "$rb" "$mb")/s, peak $((kb / 1024)) MB);" \
    "servers peak $(server_hwm 1) MB, $(server_hwm 2) MB"

key=$(sqlite3 -batch -noheader "$work/s.db" "SELECT access_key FROM events WHERE access_key LIKE 'AKIA%'
    GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
who=$("$tt" --db "$work/s.db" principals --days 3650 --format csv | awk -F, 'NR == 2 {print $1}')
for db in "$work/s.db" "$base/one?cluster=tt"; do
    name=$([ "$db" = "$work/s.db" ] && echo sqlite || echo cluster)
    run "key-$name" "$tt" --db "$db" key "$key" --format json
    k=$R_ms
    run "pol-$name" "$tt" --db "$db" policy --all --days 3650 -o "$work/pol-$name"
    p=$R_ms
    run "use-$name" "$tt" --db "$db" usage "$who" --days 3650 --format json
    u=$R_ms
    run "st-$name" "$tt" --db "$db" status --format json
    report "$name: key $k ms, policy --all $p ms, usage $u ms, status $R_ms ms"
done
if cmp -s "$work/key-sqlite.out" "$work/key-cluster.out" && diff -r "$work/pol-sqlite" "$work/pol-cluster" >/dev/null; then
    report "answers: key and policy --all identical on both stores"
else
    report "answers: DIFFER between the stores"
fi
