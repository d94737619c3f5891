#!/usr/bin/env bash
# fuzz.sh - builds the libFuzzer harnesses (tests/fuzz, clang, ASan+UBSan)
# and runs each for a while on a seed corpus made from tests/fixtures.
# Usage: scripts/fuzz.sh [SECONDS_EACH] [HARNESS...]   (default 20 s; all)
# A crash input is copied to tests/fixtures/fuzz-regressions/<harness>/,
# where the unit tests (fuzz.replay_*) replay it; the script then fails.
# Prints the executions each harness survived.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-${FUZZ_SECONDS:-20}}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(json gzip bundle digest authz)
command -v clang >/dev/null || { echo "fuzz.sh: clang is not installed; skipped" >&2; exit 0; }
build=${FUZZ_BUILD:-"$here/build-fuzz"}
cmake -S "$here" -B "$build" -DCMAKE_C_COMPILER=clang -DTT_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 --target "${harnesses[@]/#/fuzz_}" >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/tt-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
fx="$here/tests/fixtures"
seeds() { # seeds HARNESS DIR
    local d=$2
    mkdir -p "$d"
    case $1 in
    json)
        for f in "$fx"/bad/*.gz "$fx"/odd/*.gz; do zcat "$f" >"$d/$(basename "$f" .gz)" 2>/dev/null || true; done
        cp "$fx"/bad/*.json "$d/" ;;
    gzip) cp "$fx"/bad/* "$fx"/odd/* "$d/" ;;
    bundle)
        (cd "$fx" && tar cf "$d/seed.tar" bad/good.json.gz odd && tar czf "$d/seed.tgz" bad/good.json.gz)
        if command -v zip >/dev/null; then (cd "$fx" && zip -q "$d/seed.zip" bad/good.json.gz odd/*); fi ;;
    digest)
        if command -v openssl >/dev/null; then
            bash "$fx/make-digests.sh" "$work/tree" "$work/keys" >/dev/null
            find "$work/tree" -path '*CloudTrail-Digest*' -name '*.json.gz' | head -4 |
                while read -r f; do zcat "$f" >"$d/$(basename "$f" .gz)"; done
        fi
        printf '{"digestStartTime":"2026-03-01T00:00:00Z","digestEndTime":"2026-03-01T01:00:00Z","digestS3Bucket":"b","digestS3Object":"k","previousDigestSignature":null,"logFiles":[{"s3Bucket":"b","s3Object":"o","hashValue":"00"}]}' >"$d/min.json" ;;
    authz) cp "$fx"/authz/*.json "$d/" ;;
    esac
    if [ -d "$fx/fuzz-regressions/$1" ]; then cp "$fx/fuzz-regressions/$1"/* "$d/" 2>/dev/null || true; fi
}

status=0
for h in "${harnesses[@]}"; do
    seeds "$h" "$work/seeds-$h"
    mkdir -p "$work/art-$h"
    set +e
    "$build/tests/fuzz/fuzz_$h" -max_total_time="$secs" -print_final_stats=1 -rss_limit_mb=2048 \
        -timeout=10 -artifact_prefix="$work/art-$h/" "$work/seeds-$h" >"$work/log-$h" 2>&1
    rc=$?
    set -e
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log-$h" | tail -n 1)
    echo "fuzz_$h: ${execs:-?} executions in ${secs} s, exit $rc"
    if [ $rc -ne 0 ]; then
        status=1
        mkdir -p "$fx/fuzz-regressions/$h"
        for a in "$work/art-$h"/*; do
            [ -f "$a" ] || continue
            cp "$a" "$fx/fuzz-regressions/$h/"
            echo "fuzz_$h: kept $(basename "$a") in tests/fixtures/fuzz-regressions/$h/" >&2
        done
        grep -E 'ERROR|SUMMARY|#0 |#1 |#2 ' "$work/log-$h" | head -12 >&2
    fi
done
exit $status
