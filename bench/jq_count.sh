#!/bin/sh
# jq_count.sh - the jq peer of bench/run.sh. It does the benchmark's job
# with jq: decompress every CloudTrail log object under CORPUS, extract the
# fields trailtrim stores (time, source, name, region, IP, agent, error,
# flags, ids, the identity and the minted key) as TSV part files - jq's
# "store" - then count calls per (principal, eventSource, eventName) from
# them with awk, sort and uniq -c. Two jq processes at a time (xargs -P2),
# each writing its own part file so that lines never interleave.
# Usage: jq_count.sh CORPUS OUT_FILE   (prints "groups N" and "records N")
set -eu
corpus=$1
out=$2
parts=$(mktemp -d "${TMPDIR:-/tmp}/jq_count.XXXXXX")
trap 'rm -rf "$parts"' EXIT INT TERM
# The principal comes first: the count reads column 1, 3 and 4.
filter='.Records[] | .userIdentity as $u | [
  ($u.sessionContext.sessionIssuer.arn // $u.arn // "?"),
  .eventTime, .eventSource, .eventName, .awsRegion, .sourceIPAddress, .userAgent,
  .errorCode, .readOnly, .eventType, .managementEvent, .eventID, .recipientAccountId,
  $u.type, $u.arn, $u.accountId, $u.principalId, $u.accessKeyId, $u.userName, $u.invokedBy,
  $u.sessionContext.sessionIssuer.type, $u.sessionContext.attributes.mfaAuthenticated,
  ($u.sessionContext.sourceIdentity // $u.sourceIdentity),
  (.responseElements | objects | .credentials | objects | .accessKeyId)
  ] | map(if . == null then "" else tostring end) | @tsv'
find "$corpus" -path '*/CloudTrail/*' -name '*.json.gz' -print0 |
    PARTS=$parts xargs -0 -P2 -n64 sh -c 'zcat "$@" | jq -r "$0" > "$(mktemp "$PARTS/part.XXXXXX")"' "$filter"
cat "$parts"/part.* | awk -F'\t' '{ print $1 "\t" $3 "\t" $4 }' | LC_ALL=C sort | uniq -c > "$out"
awk '{ n += $1 } END { printf "groups %d\nrecords %d\n", NR, n }' "$out"
