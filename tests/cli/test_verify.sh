# test_verify.sh - `trailtrim verify` on a bucket tree the test builds and
# signs itself (tests/fixtures/make-digests.sh, its own RSA key pair): the
# intact tree passes, and every kind of break is reported by kind and
# object, with exit code 7.
. "$(dirname "$0")/lib.sh"
have openssl || { skip "openssl CLI not installed"; finish; }
have gzip || { skip "gzip not installed"; finish; }
have jq || { skip "jq not installed"; finish; }
MK="$TT_SOURCE_DIR/tests/fixtures/make-digests.sh"
KEYS="$WORK/keys"
bash "$MK" "$WORK/t0" "$KEYS" || { bad "make-digests.sh failed"; finish; }
mkdir -p "$WORK/pub" && cp "$KEYS/cloudtrail-public.pem" "$WORK/pub/"
D=AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/03/01
L=AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/01
dig() { echo "$D/111122223333_CloudTrail-Digest_us-east-1_trail1_us-east-1_20260301T0${1}0000Z.json.gz"; }
logat() { (cd "$1" && ls $L/*_20260301T${2}Z_*.json.gz); }

# v DIR [args] : verify DIR with the public keys, as JSON.
v() { local dir=$1; shift; tt verify --format json --public-keys "$WORK/pub" "$@" "$dir"; }
# has KIND OBJECT_REGEX what : a problem of this kind names this object.
has() {
    if jq -e --arg k "$1" --arg o "$2" '[.problems[] | select(.kind == $k and (.object | test($o)))] | length > 0' "$OUT" >/dev/null; then
        ok
    else
        bad "$3: no $1 problem naming /$2/: $(jq -c '.problems' "$OUT" | head -c 600)"
    fi
}
hasnt() {
    if jq -e --arg k "$1" '[.problems[] | select(.kind == $k)] | length == 0' "$OUT" >/dev/null; then ok; else
        bad "$2: unexpected $1 problem"
    fi
}
count() { jq -r ".summary.$1" "$OUT"; }
case_dir() { rm -rf "$WORK/$1"; cp -r "$WORK/t0" "$WORK/$1"; echo "$WORK/$1"; }

# The intact tree: every digest and log good, signatures checked.
v "$WORK/t0"
expect_rc 0 "intact tree"
expect_eq "$(count verdict)" intact "intact verdict"
expect_eq "$(count digests_ok)/$(count digests)" 8/8 "digests ok"
expect_eq "$(count logs_ok)/$(count logs)" 16/16 "logs ok"
expect_eq "$(count signatures_checked)" 8 "every signature checked"
expect_eq "$(jq -r '[.days[] | .region] | join(",")' "$OUT")" "eu-west-1,us-east-1" "one row per region and day"
tt verify --format json "$WORK/t0"
expect_rc 0 "intact tree without keys"
expect_eq "$(count signatures_checked)" 0 "no keys: signatures not checked"
tt verify --format table "$WORK/t0"
expect_rc 0 "table format"
expect_out 'verdict +intact' "table says intact"

# A modified log object (same name, other content).
t=$(case_dir mod)
f=$(logat "$t" 0215)
zcat "$t/$f" | sed 's/ListBuckets/DeleteBucket/' | gzip -n >"$t/$f.new" && mv "$t/$f.new" "$t/$f"
v "$t"
expect_rc 7 "modified log"
has log-modified "$(basename "$f")" "modified log named"
expect_eq "$(count logs_ok)" 15 "one log not ok"
expect_err 'integrity problem' "stderr says problems were found"

# A missing log object.
t=$(case_dir miss)
f=$(logat "$t" 0315)
rm "$t/$f"
v "$t"
expect_rc 7 "missing log"
has log-missing "$(basename "$f")" "missing log named"

# An extra log object inside the digests' time span, and one newer than the
# newest digest (only a note: the next digest will cover it).
t=$(case_dir extra)
cp "$t/$(logat "$t" 0215)" "$t/$L/111122223333_CloudTrail_us-east-1_20260301T0245Z_extra.json.gz"
v "$t"
expect_rc 7 "extra log"
has log-uncovered 'T0245Z_extra' "uncovered log named"
t=$(case_dir pending)
cp "$t/$(logat "$t" 0215)" "$t/$L/111122223333_CloudTrail_us-east-1_20260301T0610Z_new.json.gz"
v "$t"
expect_rc 0 "a log newer than the newest digest is not a problem"
expect_eq "$(jq -r '[.notes[] | select(.kind == "pending")] | length' "$OUT")" 1 "pending note"

# A deleted digest: the chain names it, its logs are uncovered, a gap.
t=$(case_dir deld)
rm "$t/$(dig 3)" "$t/$(dig 3).sig"
v "$t"
expect_rc 7 "deleted digest"
has digest-missing "T030000Z" "missing digest named"
expect_eq "$(jq -r '[.problems[] | select(.kind == "log-uncovered")] | length' "$OUT")" 2 "its two logs uncovered"
expect_eq "$(jq -r '[.problems[] | select(.kind == "digest-missing")][0].detail' "$OUT" | grep -c 'no digest covers 2026-03-01T02:00:00Z to 2026-03-01T03:00:00Z')" 1 "the gap in time"

# A digest whose previousDigestHashValue is wrong (correctly signed).
BREAK_PREVHASH=4 bash "$MK" "$WORK/ph" "$KEYS"
v "$WORK/ph"
expect_rc 7 "previous hash mismatch"
has chain-break "T040000Z" "chain break at digest 4"
hasnt bad-signature "prev-hash case signs correctly"
expect_eq "$(jq -r '.problems[0].detail' "$OUT" | grep -c previousDigestHashValue)" 1 "says which field"

# A bad signature (sidecar altered): that digest fails, and the next one's
# previousDigestSignature no longer matches.
t=$(case_dir sig)
s=$(cat "$t/$(dig 2).sig")
first=${s:0:1}; [ "$first" = 0 ] && repl=1 || repl=0
echo "$repl${s:1}" >"$t/$(dig 2).sig"
v "$t"
expect_rc 7 "bad signature"
has bad-signature "T020000Z" "bad signature named"
has chain-break "T030000Z" "next digest's previousDigestSignature"
# A digest edited after signing (a log's hash swapped): signature fails, and
# the next digest's previousDigestHashValue no longer matches.
t=$(case_dir edit)
zcat "$t/$(dig 5)" | sed 's/"hashValue":"\(.\)/"hashValue":"f\1/' | sed 's/"hashValue":"f\(.\)\(.\)/"hashValue":"f\2/' | gzip -n >"$t/x" && mv "$t/x" "$t/$(dig 5)"
v "$t"
expect_rc 7 "edited digest"
has bad-signature "T050000Z" "edited digest fails its signature"
has chain-break "T060000Z" "next digest's link breaks"
# Without the keys, the chain still catches the edit.
tt verify --format json "$t"
expect_rc 7 "edited digest, no keys"
has chain-break "T060000Z" "chain catches it without keys"
# No sidecar, and keys that are not CloudTrail's.
t=$(case_dir nosig)
rm "$t/$(dig 1).sig"
v "$t"
expect_rc 7 "missing sidecar"
has no-signature "T010000Z" "missing .sig named"
mkdir -p "$WORK/other" && openssl genrsa 2048 2>/dev/null | openssl rsa -pubout -out "$WORK/other/k.pem" 2>/dev/null
tt verify --format json --public-keys "$WORK/other" "$WORK/t0"
expect_rc 7 "unknown key"
has unknown-key "T010000Z" "no key with the fingerprint"

# A gzip object with data after its first member: the hash still matches
# (as with AWS's validator), the extra member is flagged.
t=$(case_dir trail)
f=$(logat "$t" 0415)
printf '{"Records":[{"eventName":"Hidden"}]}' | gzip -n >>"$t/$f"
v "$t"
expect_rc 7 "trailing gzip member"
has trailing-data "$(basename "$f")" "trailing data named"
hasnt log-modified "first member still matches its hash"

# A digest moved from its original location.
t=$(case_dir moved)
mkdir -p "$t/elsewhere/CloudTrail-Digest/us-east-1/x"
mv "$t/$(dig 6)" "$t/elsewhere/CloudTrail-Digest/us-east-1/x/"
v "$t"
expect_rc 7 "moved digest"
has digest-moved "elsewhere" "moved digest named"

# Not gzip, and nothing to verify against.
t=$(case_dir junk)
echo 'not gzip' >"$t/$(logat "$t" 0515)"
v "$t"
expect_rc 7 "junk log"
has unreadable "T0515Z" "junk log named"
mkdir -p "$WORK/empty"
tt verify --format json "$WORK/empty"
expect_rc 7 "nothing to verify"
has no-digests "" "says there were no digests"

# Usage and errors.
tt verify
expect_rc 2 "no path"
tt verify --format csv "$WORK/t0"
expect_rc 2 "csv is not offered"
tt verify --public-keys "$WORK/nope" "$WORK/t0"
expect_rc 1 "missing key folder"
expect_err 'nope' "names the key folder"
tt verify --help
expect_rc 0 "help"
expect_out '\.sig' "help documents the sidecar"
finish
