# test_hostile_inputs.sh - archives and input trees built to hurt: names
# that climb out (../, absolute), links, devices, duplicate names, a zip
# whose entries overlap, nested archives, formats we do not enable (7z, rar,
# cpio), symlink loops, FIFOs, zero-byte and partial downloads. Each is read
# safely or rejected with its reason; nothing is ever written outside the
# store; the good data beside it is stored; the store stays intact.
. "$(dirname "$0")/lib.sh"
have python3 || { skip "python3 (to craft archives) not installed"; finish; }
have sqlite3 || { skip "sqlite3 shell not installed"; finish; }
GOOD="$TT_SOURCE_DIR/tests/fixtures/bad/good.json.gz"
mkdir -p "$WORK/a/deep/er" && cd "$WORK/a/deep/er" || exit 1
ESC_ABS="$WORK/abs-escape.json.gz"
python3 - "$GOOD" "$ESC_ABS" <<'EOF'
import io, struct, sys, tarfile, zipfile
good = open(sys.argv[1], 'rb').read()
def add(t, name, data=good, typ=tarfile.REGTYPE, link=''):
    ti = tarfile.TarInfo(name); ti.type = typ; ti.linkname = link
    ti.size = len(data) if typ == tarfile.REGTYPE else 0
    ti.devmajor, ti.devminor = 1, 3
    t.addfile(ti, io.BytesIO(data) if typ == tarfile.REGTYPE else None)
with tarfile.open('dotdot.tar', 'w') as t:
    add(t, '../../escape.json.gz'); add(t, sys.argv[2])
with tarfile.open('links.tar', 'w') as t:
    add(t, 'sym.json.gz', typ=tarfile.SYMTYPE, link='/etc/passwd')
    add(t, 'hard.json.gz', typ=tarfile.LNKTYPE, link='sym.json.gz'); add(t, 'ok.json.gz')
with tarfile.open('devs.tar', 'w') as t:
    for n, ty in (('chr', tarfile.CHRTYPE), ('blk', tarfile.BLKTYPE), ('fifo', tarfile.FIFOTYPE)):
        add(t, n + '.json.gz', typ=ty)
    add(t, 'ok.json.gz')
with tarfile.open('dup.tar', 'w') as t:
    add(t, 'same.json.gz'); add(t, 'same.json.gz', b'not gzip at all')
inner = io.BytesIO()
with tarfile.open(fileobj=inner, mode='w:gz') as t: add(t, 'inner.json.gz')
with tarfile.open('nested.tar', 'w') as t:
    add(t, 'inner.tar.gz', inner.getvalue()); add(t, 'ok.json.gz')
b = io.BytesIO()
with zipfile.ZipFile(b, 'w', zipfile.ZIP_STORED) as z: z.writestr('a.json.gz', good)
d = b.getvalue(); cd = d.find(b'PK\x01\x02'); eocd = d.find(b'PK\x05\x06')
cent = d[cd:eocd]; newcd = cent + cent.replace(b'a.json.gz', b'b.json.gz')
e = bytearray(d[eocd:]); struct.pack_into('<HHII', e, 8, 2, 2, len(newcd), cd)
open('overlap.zip', 'wb').write(d[:cd] + newcd + bytes(e))
open('seven.zip', 'wb').write(b"7z\xbc\xaf'\x1c\x00\x04" + b'\x00' * 64)
open('rar.tar', 'wb').write(b'Rar!\x1a\x07\x00' + b'\x00' * 64)
open('cpio.tar', 'wb').write(b'070701' + b'0' * 200)
EOF
listing() { find "$WORK" -type f ! -name '*.db' ! -name '*.db-*' ! -name '*.db.lock' ! -name 'out.*' ! -name 'err.*' | sort | md5sum; }
before=$(listing)

# arch FILE RC EVENTS REASON what : ingest one archive into its own store.
arch() {
    tt --db "$WORK/$1.db" ingest --format json "$1"
    expect_rc "$2" "$5: exit code"
    expect_eq "$(sqlite3 "$WORK/$1.db" 'SELECT count(*) FROM event')" "$3" "$5: events stored"
    [ -n "$4" ] && expect_err "$4" "$5: the reason"
    expect_eq "$(sqlite3 "$WORK/$1.db" 'PRAGMA integrity_check')" ok "$5: store intact"
}
arch dotdot.tar 0 3 "" "../ and absolute names (read, not extracted)"
expect_eq "$(sqlite3 "$WORK/dotdot.tar.db" "SELECT count(*) FROM object WHERE member LIKE '../%' OR member LIKE '/%'")" 2 "odd names recorded as they are"
arch links.tar 3 3 'links.tar\[sym.json.gz\]: rejected: a symbolic link' "symbolic and hard links"
expect_err 'hard.json.gz\]: rejected' "hard link rejected"
arch devs.tar 3 3 'chr.json.gz\]: rejected: a character device' "devices and FIFOs"
expect_err 'blk.json.gz\]: rejected: a block device' "block device rejected"
expect_err 'fifo.json.gz\]: rejected: a FIFO' "FIFO entry rejected"
arch dup.tar 3 3 'same.json.gz\]: rejected: named .gz but not gzip' "duplicate names: each entry judged on its own"
arch nested.tar 3 3 'inner.tar.gz\]: rejected: a nested archive' "nested archive"
arch overlap.zip 0 3 "" "zip with overlapping entries (streamed: read once)"
arch seven.zip 3 0 'not a tar or zip archive we read' "7z"
arch rar.tar 3 0 'not a tar or zip archive we read' "rar"
arch cpio.tar 3 0 'not a tar or zip archive we read' "cpio"
# Never written to disk: no file appeared anywhere under the test folder
# (but the stores), nor at the absolute name.
after=$(listing)
expect_eq "$after" "$before" "no entry extracted"
[ -e "$ESC_ABS" ] && bad "absolute entry written" || ok
[ -e "$WORK/a/escape.json.gz" ] && bad "../ entry written" || ok

# Input trees: a symlink loop, a FIFO (must not block), a zero-byte and a
# partial download (*.tmp, skipped: not a log name).
T="$WORK/tree"
mkdir -p "$T/x" && cp "$GOOD" "$T/x/good.json.gz" && ln -s .. "$T/x/loop"
mkfifo "$T/x/fifo.json.gz" && : >"$T/x/zero.json.gz" && cp "$GOOD" "$T/x/part.json.gz.tmp"
OUT="$WORK/out.tree" ERR="$WORK/err.tree"
timeout 20 "$TT_BIN" --db "$WORK/tree.db" ingest --format json "$T" >"$OUT" 2>"$ERR" </dev/null
RC=$?
expect_rc 3 "hostile tree: rejects named, others stored (no hang)"
expect_err 'fifo.json.gz: rejected: not a regular file' "FIFO rejected"
expect_err 'zero.json.gz: rejected: empty file' "zero bytes rejected"
expect_no_err 'part.json.gz.tmp' "partial download passed over"
expect_eq "$(sqlite3 "$WORK/tree.db" 'SELECT count(*) FROM event')" 3 "good file stored once despite the loop"
if [ "$(id -u)" -ne 0 ]; then
    cp "$GOOD" "$T/x/locked.json.gz" && chmod 000 "$T/x/locked.json.gz"
    tt --db "$WORK/tree.db" ingest "$T"
    expect_err 'locked.json.gz' "unreadable file named"
else
    skip "unreadable files: running as root"
fi
finish
