#!/bin/sh
# jq_count.sh - the jq peer of bench/run.sh: decompresses every CloudTrail log
# object under CORPUS and counts calls per (principal, eventSource, eventName)
# with jq, sort and uniq -c; two jq processes at a time (xargs -P2), each
# writing its own part file so that lines never interleave.
# Usage: jq_count.sh CORPUS OUT_FILE   (prints "groups N" and "records N")
set -eu
corpus=$1
out=$2
parts=$(mktemp -d "${TMPDIR:-/tmp}/jq_count.XXXXXX")
trap 'rm -rf "$parts"' EXIT INT TERM
filter='.Records[] | [(.userIdentity.sessionContext.sessionIssuer.arn // .userIdentity.arn // "?"), .eventSource, .eventName] | @tsv'
find "$corpus" -path '*/CloudTrail/*' -name '*.json.gz' -print0 |
    PARTS=$parts xargs -0 -P2 -n64 sh -c 'zcat "$@" | jq -r "$0" > "$(mktemp "$PARTS/part.XXXXXX")"' "$filter"
cat "$parts"/part.* | LC_ALL=C sort | uniq -c > "$out"
awk '{ n += $1 } END { printf "groups %d\nrecords %d\n", NR, n }' "$out"
