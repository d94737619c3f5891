# test_policy_precision.sh - tests/policy_precision.py over every Stratus
# capture: per-call and policy-level precision and recall against the
# hand-checked table tests/fixtures/stratus-needed.tsv must all be 100%.
. "$(dirname "$0")/lib.sh"
STRATUS="${TT_SHARED_DIR:-}/testdata/cloudtrail/stratus-red-team"
[ -d "$STRATUS" ] || { echo "SKIP: no Stratus captures under TT_SHARED_DIR" >&2; exit 77; }
have python3 || { echo "SKIP: python3 is needed" >&2; exit 77; }
if python3 "$TT_SOURCE_DIR/tests/policy_precision.py" "$TT_BIN" "$STRATUS" \
    "$TT_SOURCE_DIR/tests/fixtures/stratus-needed.tsv" --require 100 >"$WORK/pr.out" 2>&1; then ok; else
    bad "precision/recall below 100%: $(cat "$WORK/pr.out")"
fi
finish
