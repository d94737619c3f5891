# test_bad_inputs.sh - every kind of bad input is rejected with its reason on
# stderr and in the manifest, other files go on, nothing stored is lost, and
# the run exits 3. Odd but valid data is kept.
. "$(dirname "$0")/lib.sh"
FX="$TT_SOURCE_DIR/tests/fixtures"

# A good object first: what is stored must survive every bad run after it.
tt ingest -q "$FX/bad/good.json.gz"
expect_rc 0 "good object"
expect_eq "$(q 'SELECT count(*) FROM event')" 3 "good object's events"

reject() { # reject FILE REGEX [extra args]
    local f="$FX/bad/$1" re="$2"
    shift 2
    tt ingest -q "$@" "$f"
    expect_rc 3 "$(basename "$f") exit code"
    expect_err "$(basename "$f"): rejected: .*$re" "$(basename "$f") reason"
    expect_eq "$(q "SELECT status FROM object WHERE path = '$f'")" "rejected" "$(basename "$f") manifest"
    expect_eq "$(q 'SELECT count(*) FROM event')" 3 "stored events after $(basename "$f")"
}
reject truncated.json.gz 'truncated gzip data'
reject corrupt.json.gz 'corrupt gzip data at compressed byte [0-9]+'
reject trailing-data.json.gz '24 bytes of trailing data after the first gzip member'
reject two-members.json.gz 'another gzip member'
reject not-gzip.json.gz 'named .gz but not gzip data'
reject invalid-json.json.gz 'byte [0-9]+ \(line 1, column [0-9]+\)'
reject records-not-array.json.gz 'Records is not an array'
reject wrong-type.json.gz 'record 1 \(byte [0-9]+\): eventName is a number'
reject bad-time.json 'eventTime "redacted" is not an ISO 8601 time'
reject huge-string.json.gz 'userAgent is longer than'
reject deep-nesting.json 'nesting deeper than'
reject bomb.json.gz 'exceeds the cap of 1048576 bytes' --max-object-size 1048576
reject magic-only.json.gz 'truncated gzip data'
# The cap holds for plain JSON too, which is parsed where it was read.
zcat "$FX/bad/good.json.gz" >"$WORK/plain.json"
tt ingest -q --max-object-size 1024 "$WORK/plain.json"
expect_rc 3 "plain JSON over --max-object-size"
expect_err 'plain.json: rejected: [0-9]+ bytes of JSON exceeds the cap of 1024 bytes per object' \
    "plain JSON over --max-object-size: reason"
expect_eq "$(q 'SELECT count(*) FROM event')" 3 "stored events after plain.json"
# An empty file is not recorded as read (a partial download finishes later).
tt ingest -q "$FX/bad/empty.json.gz"
expect_rc 3 "empty file"
expect_err 'empty file' "empty file reason"

# One run over good and bad files: the good ones are stored, exit 3.
cp "$FX/bad/good.json.gz" "$WORK/other.json.gz"
cp "$FX/bad/truncated.json.gz" "$WORK/broken.json.gz"
mkdir -p "$WORK/mixed"
mv "$WORK/other.json.gz" "$WORK/broken.json.gz" "$WORK/mixed/"
rm -f "$TRAILTRIM_DB"*
tt ingest "$WORK/mixed"
expect_rc 3 "mixed run"
expect_eq "$(kv objects_loaded)" 1 "mixed run loads the good file"
expect_eq "$(kv objects_rejected)" 1 "mixed run rejects the bad one"
expect_err '1 input rejected' "mixed run says it skipped files"

# A rejected file is not reported again on the next run, unless it changed.
tt ingest -q "$WORK/mixed"
expect_rc 0 "re-run over a known rejected file"
cp "$FX/bad/good.json.gz" "$WORK/mixed/broken.json.gz"
touch -d '2020-01-01' "$WORK/mixed/broken.json.gz"
tt ingest "$WORK/mixed"
expect_rc 0 "a rejected file fixed later is read again"
expect_eq "$(q "SELECT status FROM object WHERE path LIKE '%broken.json.gz'")" loaded "fixed file loaded"

# Odd but valid data is kept whole.
rm -f "$TRAILTRIM_DB"*
tt ingest -q "$FX/odd/odd-but-valid.json.gz"
expect_rc 0 "odd but valid"
expect_eq "$(q 'SELECT count(*) FROM event')" 4 "odd records kept"
expect_eq "$(q "SELECT count(*) FROM events WHERE region = 'mars-north-7r' AND source_ip = '010.001.002.003'")" 1 "invented region and zero-padded IP kept as written"
expect_eq "$(q "SELECT count(*) FROM events WHERE event_version = '1.0'")" 1 "eventVersion 1.0 without eventID kept"

# Non-files are reported, not fatal; a path that is not there is a usage
# error, found before any work (issue 13).
mkfifo "$WORK/pipe.json.gz"
tt ingest -q "$WORK/pipe.json.gz"
expect_rc 3 "FIFO"
expect_err 'pipe.json.gz: rejected: not a regular file \(a FIFO\)' "FIFO named"
tt ingest -q "$WORK/pipe.json.gz" "$WORK/missing.json.gz"
expect_rc 2 "missing path: usage error"
expect_err 'missing.json.gz: No such file or directory' "missing path named"
finish
