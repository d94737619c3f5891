#!/usr/bin/env bash
# test.sh - the README's second command (and CI's): set up, build with
# warnings as errors, run every test; then again under AddressSanitizer +
# UBSan and under ThreadSanitizer. `--quick` runs the first build only.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
quick=0
[ "${1:-}" = "--quick" ] && quick=1

run_suite() { # run_suite NAME BUILD_DIR [cmake args...]
    local name=$1 dir=$2
    shift 2
    echo "== $name: build"
    "$here/scripts/setup.sh" "$dir" -DTT_WERROR=ON "$@"
    echo "== $name: tests"
    (cd "$dir" && ctest --output-on-failure -j2 --timeout 900)
}

run_suite "release (-Werror)" "$here/build-test"
# The parser throughput print in test_parse is for the release build only.
export TT_BENCH_MB=0
if [ $quick -eq 0 ]; then
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    run_suite "ASan+UBSan" "$here/build-asan" -DTT_SANITIZE=address -DCMAKE_BUILD_TYPE=Debug
    export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
    # TSan builds against Debian's SQLite (TT_SQLITE=system), so that the
    # build without the bundled copy stays tested too.
    run_suite "TSan, system SQLite" "$here/build-tsan" -DTT_SANITIZE=thread -DCMAKE_BUILD_TYPE=Debug \
        -DTT_SQLITE=system
fi
# Last, a short libFuzzer run of every harness (clang only; FUZZ_SECONDS each).
if [ $quick -eq 0 ] && command -v clang >/dev/null 2>&1; then
    echo "== fuzz: ${FUZZ_SECONDS:-15} s per harness"
    "$here/scripts/fuzz.sh" "${FUZZ_SECONDS:-15}"
fi
echo "== all test suites passed"
