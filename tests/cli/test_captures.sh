# test_captures.sh - the real CloudTrail captures in ../shared: every event of
# every shape is stored, counted independently with jq, and a second run adds
# nothing. Skips when ../shared is absent.
. "$(dirname "$0")/lib.sh"
CT="${TT_SHARED_DIR:-}/testdata/cloudtrail"
if [ ! -d "$CT" ]; then
    skip "../shared/testdata/cloudtrail is absent"
    finish
fi
have jq || { skip "jq not installed"; finish; }

# Stratus Red Team: one JSON array per technique.
want=$(cat "$CT"/stratus-red-team/*.json | jq -s 'map(length) | add')
want_ids=$(cat "$CT"/stratus-red-team/*.json | jq -r '.[].eventID' | sort -u | wc -l)
tt ingest --format json "$CT/stratus-red-team"
expect_rc 0 "stratus ingest"
expect_eq "$(kv objects_loaded)" "$(ls "$CT"/stratus-red-team/*.json | wc -l)" "stratus objects"
expect_eq "$(( $(kv events_added) + $(kv duplicates_dropped) ))" "$want" "stratus events read"
expect_eq "$(kv events_added)" "$want_ids" "stratus events stored once per eventID"
expect_eq "$(q "SELECT count(*) FROM events WHERE source_ip = '211.9.016.253'")" \
    "$(cat "$CT"/stratus-red-team/*.json | jq -s '[.[][] | select(.sourceIPAddress == "211.9.016.253")] | length')" \
    "IPs with leading zeros kept as written"
tt ingest --format json "$CT/stratus-red-team"
expect_rc 0 "stratus again"
expect_eq "$(kv events_added)" 0 "second run adds nothing"
expect_err 'nothing new' "second run says so"

# A minted session key is recorded against the call that minted it.
expect_eq "$(q "SELECT count(*) FROM events WHERE minted_key IS NOT NULL")" \
    "$(cat "$CT"/stratus-red-team/*.json | jq -s '[.[][] | select(.responseElements.credentials.accessKeyId? // empty)] | length')" \
    "minted keys"

# OTRF: NDJSON with Logstash fields, inside a zip.
if have unzip; then
    want=$(unzip -p "$CT/otrf/ec2_proxy_s3_exfiltration.zip" | jq -s length)
    rm -f "$TRAILTRIM_DB"*
    tt ingest --format json "$CT/otrf/ec2_proxy_s3_exfiltration.zip"
    expect_rc 0 "otrf zip"
    expect_eq "$(( $(kv events_added) + $(kv duplicates_dropped) ))" "$want" "otrf events"
    expect_eq "$(q "SELECT count(*) FROM object WHERE container = 'member'")" 1 "zip member recorded"
else
    skip "unzip not installed"
fi

# trailscraper: the same object as .json and .json.gz; stored once.
rm -f "$TRAILTRIM_DB"*
want=$(jq '.Records | length' "$CT/trailscraper/"*.json | head -n 1)
tt ingest --format json "$CT/trailscraper/"*CloudTrail*.json "$CT/trailscraper/"*.json.gz
expect_rc 0 "trailscraper"
expect_eq "$(kv events_added)" "$want" "trailscraper events once"
expect_eq "$(kv duplicates_dropped)" "$want" "the second copy is all duplicates"

# Panther's hand-edited events: the records whose time is not CloudTrail's
# are rejected with their places, the others kept (issue 13: this file's
# 144 bad times used to reject all 464 records).
rm -f "$TRAILTRIM_DB"*
tt ingest --format json "$CT/panther/panther_cloudtrail_rule_test_events.ndjson"
expect_rc 3 "panther partial"
expect_err 'ndjson: rejected record 15 \(byte 18113\): eventTime "2025-01-21 17:49:47.000000000" is not an ISO 8601 time' "panther: a bad record named with its place"
expect_err 'ndjson: and 139 more records rejected' "panther: the rest counted, not listed"
expect_err 'ndjson: partial: 144 of 464 records rejected \(above\), the other 320 kept' "panther: partial"
expect_eq "$(kv records_rejected)" 144 "panther: records_rejected"
expect_eq "$(( $(kv events_added) + $(kv duplicates_dropped) ))" 320 "panther: the good records read"
expect_eq "$(q "SELECT status FROM object")" partial "panther: partial in the manifest"
expect_eq "$(q 'SELECT count(*) FROM event')" "$(kv events_added)" "panther: its good records stored"
finish
