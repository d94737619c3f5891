#!/usr/bin/env bash
# refresh.sh - rewrites the golden files of tests/golden/ from a build:
# runs tests/cli/test_golden.sh --refresh. Review `git diff tests/golden`
# before committing: every change must be one you meant.
# Usage: tests/golden/refresh.sh [BUILD_DIR] [CASE_GLOB...]   (default build/; all cases)
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-"$here/build"}
build=$(cd "$build" && pwd)
[ $# -gt 0 ] && shift
bin=${TT_BIN:-}
if [ -z "$bin" ]; then
    bin=$(find "$build" -type f -name trailtrim -perm -u+x 2>/dev/null | head -n 1)
fi
[ -n "$bin" ] && [ -x "$bin" ] || { echo "refresh.sh: no trailtrim binary under $build (build it first)" >&2; exit 2; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
get() { cd "$1" && pwd; }
TT_BIN=$bin TT_SOURCE_DIR=$here TT_BINARY_DIR=$(get "$build") TT_SHARED_DIR="$here/../shared" \
    bash "$here/tests/cli/test_golden.sh" --refresh "$@"
