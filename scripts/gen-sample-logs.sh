#!/bin/sh
# gen-sample-logs.sh - rebuilds trailtrim-gencorpus and regenerates
# sample-logs/ (about 15,000 synthetic CloudTrail events, a few MB, with the
# generator's default credential churn) with a fixed seed, so the committed
# sample is reproducible byte for byte by the same generator. After a change
# of the generator, regenerate it and then the golden files
# (TT_UPDATE_GOLDEN=1 ctest -R golden) and tests/fixtures/store-v2 (its
# README says how).
# Usage: scripts/gen-sample-logs.sh [BUILD_DIR]   (default: build)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
events=15000
seed=20261120
out=$root/sample-logs

if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$build" --target trailtrim-gencorpus
rm -rf "$out/AWSLogs" "$out/MANIFEST.txt"
mkdir -p "$out"
"$build/bench/trailtrim-gencorpus" --out "$out" --events "$events" --seed "$seed"
