# test_terminal.sh - tables for people fit the terminal and colour what
# matters, and nothing else changes: under a pseudo-terminal of 80 columns
# (util-linux `script`) and with COLUMNS=80, no line of principals, key,
# unused, keys is wider than 80 and a cut ARN keeps both of its ends;
# piped without COLUMNS the table is whole; JSON and CSV are never cut or
# coloured; colour is on on a terminal, off with NO_COLOR (any value) or when
# piped, and --color=always|never decides.
. "$(dirname "$0")/lib.sh"
LOGS="$TT_SOURCE_DIR/sample-logs"
[ -f "$LOGS/MANIFEST.txt" ] || { skip "sample-logs is missing"; finish; }
have python3 || { skip "python3 is needed"; finish; }
unset NO_COLOR
KEY=$(sed -n 's/^busiest_akia_key=//p' "$LOGS/MANIFEST.txt")
AUTHZ="$TT_SOURCE_DIR/tests/fixtures/authz/account.json"
tt ingest -q "$LOGS"
expect_rc 0 "ingest sample-logs"

# widest FILE : the widest line in display columns, SGR sequences and
# carriage returns (from the pseudo-terminal) not counted.
widest() {
    python3 -c '
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
t = re.sub(r"\x1b\[[0-9;]*m", "", t).replace("\r", "")
print(max((len(l) for l in t.split("\n")), default=0))' "$1"
}
# on_tty COLS CMD... : runs trailtrim under a pseudo-terminal COLS wide
# (stdout is the terminal, stderr goes to ERR); the terminal's output in OUT.
on_tty() {
    local cols=$1
    shift
    OUT="$WORK/tty.out"
    ERR="$WORK/tty.err"
    script -qec "stty cols $cols; $(printf '%q ' "$TT_BIN" "$@") 2>$(printf '%q' "$ERR")" /dev/null >"$OUT" </dev/null
    RC=$?
}

# 1. Piped, no COLUMNS: today's whole table.
tt principals --until 2026-11-20 --format table
whole="$WORK/whole.txt"
cp "$OUT" "$whole"
[ "$(widest "$whole")" -gt 120 ] && ok || bad "piped principals is whole ($(widest "$whole") columns)"
expect_no_err 'to fit' "a whole table leaves nothing out"

# 2. COLUMNS=80: fitted, and the ARNs keep both ends.
COLUMNS=80 tt principals --until 2026-11-20 --format table
fit="$WORK/fit.txt"
cp "$OUT" "$fit"
[ "$(widest "$fit")" -le 80 ] && ok || bad "COLUMNS=80 principals: $(widest "$fit") columns"
expect_err 'to fit 80 columns, left out .*first_seen' "the columns left out are named"
expect_out '…' "long principals are cut with an ellipsis"
expect_out '^arn:aws:iam[^ ]*…[^ ]*:role/prod-payments-app ' "a cut role ARN keeps its name"
tt principals --until 2026-11-20 --format json
python3 - "$OUT" "$fit" <<'PY' && ok || bad "every cut principal is the head and tail of a real one"
import json, sys
full = [p["principal"] for p in json.load(open(sys.argv[1]))["principals"]]
rows = open(sys.argv[2], encoding="utf-8").read().splitlines()[1:]
cut = [r.split("  ")[0] for r in rows if "…" in r.split("  ")[0]]
assert cut, "nothing was cut"
for c in cut:
    head, tail = c.split("…")
    assert len(head) >= 8 and len(tail) >= 8, c
    assert any(p.startswith(head) and p.endswith(tail) for p in full), c
PY
tt principals --until 2026-11-20 --format table
expect_eq "$(widest "$OUT")" "$(widest "$whole")" "COLUMNS unset again: whole again"

# 3. JSON and CSV are never cut.
for f in json csv; do
    tt principals --until 2026-11-20 --format $f
    cp "$OUT" "$WORK/plain.$f"
    COLUMNS=80 tt --color=always principals --until 2026-11-20 --format $f
    cmp -s "$OUT" "$WORK/plain.$f" && ok || bad "$f is the same with COLUMNS=80 and --color=always"
done
COLUMNS=80 tt key "$KEY" --format json
grep -q '…' "$OUT" && bad "key JSON has an ellipsis" || ok

# 4. Every shared table at 80 columns: key (sections that become blocks of
# lines), unused, keys, status, verify's summary.
for args in "key $KEY" "unused --authz $AUTHZ --format table" "keys --format table" "status --format table" \
    "usage arn:aws:iam::878140772802:role/prod-payments-app --until 2026-11-20 --format table"; do
    # shellcheck disable=SC2086
    COLUMNS=80 tt $args
    expect_rc 0 "$args at 80 columns"
    [ "$(widest "$OUT")" -le 80 ] && ok || bad "COLUMNS=80 $args: $(widest "$OUT") columns"
done
COLUMNS=80 tt key "$KEY"
expect_out '^details +functionName=arn:aws:lambda:' "key: a row too wide for a table is a block of lines"
tt key "$KEY"
[ "$(widest "$OUT")" -gt 200 ] && ok || bad "piped key is whole"

# 5. A pseudo-terminal 80 columns wide, COLUMNS unset: ioctl(TIOCGWINSZ).
if have script; then
    on_tty 80 --color=never principals --until 2026-11-20
    expect_rc 0 "principals on a terminal"
    [ "$(widest "$OUT")" -le 80 ] && ok || bad "80-column terminal: principals is $(widest "$OUT") wide"
    expect_out 'arn:aws:iam[^ ]*…[^ ]*:role/prod-payments-app ' "terminal: a cut ARN keeps its name"
    for args in "key $KEY" "unused --authz $AUTHZ" "keys"; do
        # shellcheck disable=SC2086
        on_tty 80 $args
        [ "$(widest "$OUT")" -le 80 ] && ok || bad "80-column terminal: $args is $(widest "$OUT") wide"
    done
    on_tty 132 --color=never principals --until 2026-11-20
    w=$(widest "$OUT")
    [ "$w" -le 132 ] && [ "$w" -gt 80 ] && ok || bad "132-column terminal: principals is $w wide"
    COLUMNS=100 on_tty 80 --color=never principals --until 2026-11-20
    w=$(widest "$OUT")
    [ "$w" -le 100 ] && [ "$w" -gt 80 ] && ok || bad "COLUMNS=100 overrides the terminal: $w wide"

    # 6. Colour: on a terminal, the key report's findings are red.
    ESC=$(printf '\033')
    on_tty 200 key "$KEY"
    grep -q "${ESC}\[1;31mpersistence" "$OUT" && ok || bad "terminal: findings are coloured"
    NO_COLOR=1 on_tty 200 key "$KEY"
    grep -q "$ESC" "$OUT" && bad "NO_COLOR=1: no colour" || ok
    NO_COLOR= on_tty 200 key "$KEY"
    grep -q "$ESC" "$OUT" && bad "NO_COLOR set and empty: no colour" || ok
    on_tty 200 key "$KEY" --color=never
    grep -q "$ESC" "$OUT" && bad "--color=never after the command: no colour" || ok
    NO_COLOR=1 on_tty 200 --color always key "$KEY"
    grep -q "$ESC" "$OUT" && ok || bad "--color always outranks NO_COLOR"
    on_tty 200 unused --authz "$AUTHZ"
    grep -q "${ESC}\[" "$OUT" && ok || bad "terminal: unused statuses are coloured"
else
    skip "util-linux script is missing (scripts/setup.sh installs bsdutils)"
fi
tt key "$KEY"
grep -q "$(printf '\033')" "$OUT" && bad "piped: no colour" || ok
tt --color=always key "$KEY"
grep -q "$(printf '\033')\[1;31mpersistence" "$OUT" && ok || bad "--color=always when piped"
tt principals --color=sometimes
expect_rc 2 "--color takes auto, always or never"
expect_err 'not "sometimes"' "the bad --color value is named"
finish
