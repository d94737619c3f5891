#!/usr/bin/env bash
# demo.sh - the README's first command: set up, build, ingest the bundled
# sample-logs/ into a fresh store, and show what it holds.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/setup.sh" "$here/build" >/dev/null
tt="$here/build/cmd/trailtrim"
db="$here/build/demo.db"
rm -f "$db" "$db-wal" "$db-shm"
echo "== trailtrim ingest sample-logs/"
"$tt" --db "$db" ingest --format table "$here/sample-logs"
echo
echo "== trailtrim status"
"$tt" --db "$db" status --format table
echo
echo "== trailtrim principals (the 90 days up to the newest event)"
until=$(sqlite3 "$db" "SELECT date(max(t) / 1000, 'unixepoch') FROM event")
"$tt" --db "$db" principals --until "$until" --format table
echo
busiest=$("$tt" --db "$db" principals --until "$until" --format csv |
    awk -F, 'NR > 1 && $2 == "Role" && !found { print $1; found = 1 }') # reads all: no SIGPIPE
echo "== trailtrim policy $busiest (the busiest role's right-sized policy)"
"$tt" --db "$db" policy "$busiest" --until "$until"
