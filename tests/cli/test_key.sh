# test_key.sh - the leaked-key report and search, on the capture that tells
# a known story (tests/fixtures/make-leak-story.py): every step is found,
# the chain AKIA -> ASIA -> created key is followed, the right categories
# are marked, nothing of the other principals is reported, log strings are
# defused in every format, and missing or changed evidence is said per
# event. Then the real Stratus Red Team captures: each technique's defining
# call is marked in its category. Expected figures are counted from the
# fixture files with jq, not copied from the report.
. "$(dirname "$0")/lib.sh"
have jq || { skip "jq not installed"; finish; }
cp -r "$TT_SOURCE_DIR/tests/fixtures/leak-story" "$WORK/story"
S="$WORK/story"
LEAKED=AKIAQLEAKEDKEY000001 SESSION=ASIAQSESSIONKEY00001 BACKDOOR=AKIAQBACKDOORKEY0001
recs() { find "$S" -name '*.json.gz' -exec zcat {} + | jq -c '.Records[]'; }
count() { recs | jq -s "[.[] | select($1)] | length"; }
CHAIN=".userIdentity.accessKeyId == \"$LEAKED\" or .userIdentity.accessKeyId == \"$SESSION\" or .userIdentity.accessKeyId == \"$BACKDOOR\""

tt ingest -q "$S"
expect_rc 0 "ingest the story"

tt key "$LEAKED" --format json
expect_rc 0 "key report"
R="$WORK/report.json"
cp "$OUT" "$R"
j() { jq -r "$1" "$R"; }
expect_eq "$(j .key.principal)" "arn:aws:iam::111122223333:user/alice" "whose key"
expect_eq "$(j .key.calls)" "$(count ".userIdentity.accessKeyId == \"$LEAKED\"")" "calls with the key"
expect_eq "$(j .key.first_use)" "$(recs | jq -rs "[.[] | select(.userIdentity.accessKeyId == \"$LEAKED\") | .eventTime] | min")" "first use"
expect_eq "$(j .key.last_use)" "$(recs | jq -rs "[.[] | select(.userIdentity.accessKeyId == \"$LEAKED\") | .eventTime] | max")" "last use"
# The chain, as a tree.
expect_eq "$(j '[.derived_credentials[] | "\(.key)<\(.parent)"] | join(" ")')" \
    "$LEAKED<null $SESSION<$LEAKED $BACKDOOR<$SESSION" "chain AKIA -> ASIA -> created key"
expect_eq "$(j ".derived_credentials[] | select(.key == \"$SESSION\") | .made_by")" "GetSessionToken" "session minted by GetSessionToken"
expect_eq "$(j ".derived_credentials[] | select(.key == \"$BACKDOOR\") | .made_by")" "CreateAccessKey for user svc-backup" "backdoor key created for svc-backup"
expect_eq "$(j ".derived_credentials[] | select(.key == \"$SESSION\") | .calls")" "$(count ".userIdentity.accessKeyId == \"$SESSION\"")" "session's own activity"
expect_eq "$(j ".derived_credentials[] | select(.key == \"$BACKDOOR\") | .calls")" "$(count ".userIdentity.accessKeyId == \"$BACKDOOR\"")" "backdoor key's own activity"
# Each step, in its category, with the key that made it and its details.
finding() { # finding CATEGORY EVENT KEY DETAILS-REGEX
    n=$(jq --arg c "$1" --arg e "$2" --arg k "$3" --arg d "$4" \
        '[.findings[] | select(.category == $c and .event == $e and .key == $k and ((.details // "") | test($d)))] | length' "$R")
    expect_eq "$n" 1 "finding $1 $2 by $3 /$4/"
}
finding discovery sts:GetCallerIdentity "$LEAKED" ''
finding credential-access sts:GetSessionToken "$LEAKED" "accessKeyId=$SESSION"
finding persistence iam:CreateUser "$SESSION" 'userName=svc-backup'
finding persistence iam:CreateAccessKey "$SESSION" "accessKeyId=$BACKDOOR"
finding persistence iam:AttachUserPolicy "$SESSION" 'policyArn=arn:aws:iam::aws:policy/AdministratorAccess'
finding data-access secretsmanager:GetSecretValue "$SESSION" 'secretId=prod/db-password'
finding defence-evasion cloudtrail:StopLogging "$BACKDOOR" 'trail/org-trail'
expect_eq "$(j '.findings | length')" 7 "seven marked calls, no more"
# Enumeration: one burst holding every denial of the story.
expect_eq "$(j '.enumeration | length')" 1 "one enumeration burst"
expect_eq "$(j '.enumeration[0].denied')" "$(count "($CHAIN) and (.errorCode // \"\" | test(\"Denied|Unauthorized\"))")" "burst holds every denial"
expect_eq "$(j '.enumeration[0].regions')" "$(recs | jq -s "[.[] | select(.errorCode) | .awsRegion] | unique | length")" "burst regions"
expect_eq "$(j '[.errors[].count] | add')" "$(count "($CHAIN) and .errorCode")" "errors by code and event"
# Where from.
expect_eq "$(j '.source_ips[] | select(.source_ip == "203.0.113.66") | .flags | test("first seen at or after")')" true "attacker IP is new"
expect_eq "$(j '.source_ips[] | select(.source_ip == "198.51.100.7") | .flags')" null "owner's IP is not flagged"
expect_eq "$(j '[.user_agents[] | select(.flags // "" | test("TruffleHog"))] | length')" 1 "TruffleHog flagged"
expect_eq "$(j '[.user_agents[] | select(.flags // "" | test("Pacu"))] | length')" 2 "Pacu agents flagged"
expect_eq "$(j '.key.first_suspicious')" "2026-10-03T02:00:00Z" "first suspicious call is TruffleHog's"
# Nothing invented: exactly the chain's calls; none of bob's or the CI role's.
expect_eq "$(j '.timeline | length')" "$(count "$CHAIN")" "timeline is every call of the chain"
expect_eq "$(grep -cE 'bob|ci-deploy|ci-temp|192\.0\.2\.|ASIAQNOISE' "$R")" 0 "no other principal's calls"
expect_eq "$(j '.evidence | length')" 0 "all evidence read"

# A derived key's report names where it came from: the minting call.
tt key "$SESSION" --format json
expect_rc 0 "report on the session key"
minting=$(recs | jq -c "select(.responseElements.credentials.accessKeyId? == \"$SESSION\")")
expect_eq "$(jq -r .key.parent_key "$OUT")" "$(jq -r .userIdentity.accessKeyId <<<"$minting")" "session key: its parent key"
expect_eq "$(jq -r .key.made_by "$OUT")" "$(jq -r .eventName <<<"$minting")" "session key: the minting call"
expect_eq "$(jq -r .key.made_at "$OUT")" "$(jq -r .eventTime <<<"$minting")" "session key: when it was minted"
expect_eq "$(jq -r .key.made_from_ip "$OUT")" "$(jq -r .sourceIPAddress <<<"$minting")" "session key: minted from where"
expect_eq "$(jq -r '.derived_credentials[0] | "\(.key)<\(.parent) \(.made_by)"' "$OUT")" "$SESSION<$LEAKED GetSessionToken" "session key: the chain's root names its parent"
expect_eq "$(j .key.parent_key)" null "a long-term key has no parent"
tt key "$SESSION" --section key
expect_out "^parent_key +$LEAKED" "text: the parent key"
expect_out "^made_by +GetSessionToken" "text: the minting call"

# Untrusted strings: no terminal escape in text, no formula in CSV, no markup in HTML.
tt key "$LEAKED"
expect_rc 0 "text report"
expect_eq "$(grep -c $'\x1b' "$OUT")" 0 "no ESC byte reaches the terminal"
expect_out '\\x1b\]0;pwned' "the escape is shown as text"
expect_out '^== derived_credentials ==' "text has the tree section"
expect_out "^  \`- $BACKDOOR" "text draws the tree"
cp "$OUT" "$WORK/key.text"
# "table" names it as in every other command; "text" is the same report.
tt key "$LEAKED" --format table
expect_rc 0 "--format table"
if cmp -s "$OUT" "$WORK/key.text"; then ok; else bad "--format table differs from the default"; fi
tt key "$LEAKED" --format text
if cmp -s "$OUT" "$WORK/key.text"; then ok; else bad "--format text differs from the default"; fi
tt key "$LEAKED" --format texts
expect_rc 2 "an unknown format"
expect_err 'takes table, json, csv or html' "the formats listed"
tt key "$LEAKED" --format csv --section user_agents
expect_rc 0 "csv report"
expect_out "\"'=HYPERLINK" "CSV defuses a formula"
expect_eq "$(grep -c '^=' "$OUT")" 0 "no CSV cell starts a formula"
# CSV is one table per --section: a header, the same number of fields on every
# row, loadable by sqlite3 .import with as many rows as the JSON section.
tt key "$LEAKED" --format csv --section bogus
expect_rc 2 "--section bogus"
tt key "$LEAKED" --format csv
expect_rc 2 "CSV without --section is refused"
expect_err 'CSV is one table: add --section key, findings, derived_credentials, .* or evidence' "the refusal lists the sections"
expect_empty "$OUT" "nothing on stdout when refused"
for sec in key findings derived_credentials source_ips user_agents regions errors enumeration timeline evidence; do
    tt key "$LEAKED" --format csv --section "$sec"
    expect_rc 0 "csv --section $sec"
    cp "$OUT" "$WORK/$sec.csv"
    python3 - "$WORK/$sec.csv" <<'PY' && ok || bad "csv --section $sec: one header, every row as wide"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert rows and all(len(r) == len(rows[0]) for r in rows), rows[:3]
assert not any(c.startswith("#") for c in rows[0])
PY
    tt key "$LEAKED" --format json --section "$sec"
    want=$(jq length "$OUT") # rows, or the pairs of the key section
    rm -f "$WORK/imp.db"
    sqlite3 "$WORK/imp.db" ".import --csv '$WORK/$sec.csv' t" && ok || bad "sqlite3 .import $sec"
    expect_eq "$(sqlite3 "$WORK/imp.db" 'SELECT count(*) FROM t')" "$want" "csv --section $sec: as many rows as the JSON"
done
expect_eq "$(sqlite3 "$WORK/imp.db" ".mode list" "SELECT count(*) FROM pragma_table_info('t')")" 1 "evidence: one column"
rm -f "$WORK/imp.db"; sqlite3 "$WORK/imp.db" ".import --csv '$WORK/timeline.csv' t"
expect_eq "$(sqlite3 "$WORK/imp.db" "SELECT count(*) FROM t WHERE key = '$BACKDOOR'")" "$(count ".userIdentity.accessKeyId == \"$BACKDOOR\"")" "timeline.csv queried by column name"
tt key "$LEAKED" --format json --section derived_credentials
expect_eq "$(jq -r '.[1].key' "$OUT")" "$SESSION" "json --section is one array"
tt key "$LEAKED" --format html --section timeline
expect_rc 2 "html takes no --section"

tt key "$LEAKED" --format html
expect_rc 0 "html report"
cp "$OUT" "$WORK/report.html"
expect_eq "$(grep -c '<script' "$OUT")" 0 "no script element in the page"
expect_out '&lt;script&gt;alert\(1\)&lt;/script&gt;' "markup from logs is escaped"
expect_eq "$(grep -cE '(src|href)=|url\(|@import' "$OUT")" 0 "no external reference"
expect_out '<svg' "the chart is inline SVG"
expect_eq "$(grep -o "fill='#d32f2f'" "$OUT" | wc -l)" "$(recs | jq -rs "[.[] | select(($CHAIN) and .errorCode) | .eventTime[0:13]] | unique | length")" "one red bar per hour with errors"
# The page people read: an overview first, ids never broken, user agents
# as labels with a legend, a chart bucket fit for the incident's length.
expect_eq "$(grep -o '<h2[^>]*>[^<]*' "$OUT" | head -3 | sed 's/<h2[^>]*>//' | tr '\n' '|')" "The chain of keys|Calls over time|Details|" "overview, chain and chart before the details"
expect_out "<div class=card><h3>Who</h3>" "the overview says who"
expect_out "<svg class=chain" "the chain of keys is a picture"
expect_eq "$(grep -o "<td class=id>$SESSION</td>" "$OUT" | wc -l)" "$(j "[.timeline[], .findings[] | select(.key == \"$SESSION\")] | length")" "key IDs in unbreakable cells"
expect_eq "$(grep -c "<td class=id>UA[0-9]*</td><td>aws-cli" "$OUT")" "$(j '[.user_agents[] | select(.user_agent | startswith("aws-cli"))] | length')" "the legend labels each user agent"
expect_eq "$(grep -o "<td class=id title='[^']*'>UA[0-9]*" "$OUT" | wc -l)" "$(j '.timeline | length')" "each timeline row shows a label"
expect_out "data-bucket-ms='3600000'" "a two-day story: hourly bars"
tt key "$LEAKED" --since 2026-10-03T02:00:00Z --format html
expect_out "data-bucket-ms='60000'" "a 35-minute incident: bars of a minute"
expect_out "Calls per minute" "the bucket said in words"
cp "$OUT" "$WORK/short.html"
. "$TT_SOURCE_DIR/tests/cli/html_layout.sh"
tt key "$SESSION" --format html
cp "$OUT" "$WORK/session.html"
if have_chromium; then
    for page in report short session; do
        for w in 1280 390; do
            res=$(layout "$WORK/$page.html" "$w" "$WORK/$page-$w.png")
            case "$res" in
            *" overflow=0 wide=0 chart=1 "*) ok ;;
            *) bad "key html $page at $w px: $res" ;;
            esac
            [ -s "$WORK/$page-$w.png" ] && ok || bad "chromium renders $page at $w px"
            [ -n "${TT_KEEP_SHOT:-}" ] && cp "$WORK/$page-$w.png" "$TT_KEEP_SHOT-$page-$w.png"
        done
    done
    # The check can fail: a page wider than the screen is caught.
    sed 's|<body>|<body><p style="white-space:nowrap">'"$(printf 'A%.0s' $(seq 200))"'</p>|' "$WORK/short.html" >"$WORK/wide.html"
    case "$(layout "$WORK/wide.html" 390)" in *" overflow=1 "*) ok ;; *) bad "the layout check sees a too-wide page" ;; esac
else
    skip "chromium is not installed and cannot be: the page is not rendered"
fi

# The window.
tt key "$LEAKED" --until 2026-10-02 --format json  # through the end of 2 October
expect_eq "$(jq '.findings | length' "$OUT")" 0 "--until before the leak: nothing marked"
expect_eq "$(jq '.timeline | length' "$OUT")" "$(count ".userIdentity.accessKeyId == \"$LEAKED\" and .eventTime < \"2026-10-03\"")" "--until window"
tt key "$LEAKED" --since 2026-10-03T02:11:00Z --format json
expect_rc 1 "--since after the key's last call: as for an unknown key"
expect_err "no call with access key $LEAKED in the window" "--since after the key's last call: says so"
tt key AKIANOSUCHKEY0000000
expect_rc 1 "unknown key"
expect_err 'no call with access key AKIANOSUCHKEY0000000' "unknown key named"
tt key
expect_rc 2 "key without a key"
tt key "$LEAKED" --format xml
expect_rc 2 "bad --format"

# search: every filter against jq's count.
sc() { tt search --format json "$@"; grep -c . "$OUT"; }
expect_eq "$(sc --key "$LEAKED")" "$(count ".userIdentity.accessKeyId == \"$LEAKED\"")" "search --key"
expect_eq "$(sc --ip 192.0.2.10)" "$(count '.sourceIPAddress == "192.0.2.10"')" "search --ip"
expect_eq "$(sc --event 'Create*')" "$(count '.eventName | startswith("Create")')" "search --event glob"
expect_eq "$(sc --error '*')" "$(count '.errorCode')" "search --error any"
expect_eq "$(sc --error 'Client.*' --source ec2.amazonaws.com)" "$(count '.errorCode == "Client.UnauthorizedOperation"')" "search --error and --source"
expect_eq "$(sc --principal ci-deploy)" "$(count '.userIdentity.sessionContext.sessionIssuer.userName? == "ci-deploy"')" "search --principal"
expect_eq "$(sc --session build-42)" "$(count '.userIdentity.arn | endswith("/build-42")')" "search --session"
expect_eq "$(sc --since 2026-10-03 --until 2026-10-03T02:10:00Z)" "$(count '.eventTime >= "2026-10-03" and .eventTime < "2026-10-03T02:10:00Z"')" "search window"
expect_eq "$(sc --key "$LEAKED" --limit 3)" 3 "search --limit"
expect_eq "$(sc --ip 10.9.9.9)" 0 "an IP never seen"
tt search --key "$LEAKED" --format json
jq -e -s 'all(.access_key == "'$LEAKED'") and (map(.time) == (map(.time) | sort))' "$OUT" >/dev/null && ok || bad "NDJSON rows, in time order"
tt search --key "$LEAKED" --format csv
expect_out '^time,access_key,principal,session,account,event_source,event_name,region,source_ip,error,user_agent,minted_key' "search csv header"
expect_eq "$(grep -c ',111122223333,' "$OUT")" "$(count ".userIdentity.accessKeyId == \"$LEAKED\"")" "search csv: the account of every row"
tt search --key "$LEAKED" --format json --event-id
expect_eq "$(jq -r .event_id "$OUT" | sort | tr '\n' ' ')" "$(recs | jq -r "select(.userIdentity.accessKeyId == \"$LEAKED\") | .eventID" | sort | tr '\n' ' ')" "search --event-id: the eventIDs, read back"
expect_eq "$(jq -r .account "$OUT" | sort -u)" 111122223333 "search json: the account"
# --raw: the original records, one a line, byte for byte the same JSON.
tt search --key "$LEAKED" --key "$SESSION" --raw
expect_rc 0 "search --raw"
expect_eq "$(grep -c . "$OUT")" "$(count ".userIdentity.accessKeyId == \"$LEAKED\" or .userIdentity.accessKeyId == \"$SESSION\"")" "search --raw: one line per record"
expect_eq "$(jq -S -c . "$OUT" | sort | md5sum)" "$(recs | jq -S -c "select(.userIdentity.accessKeyId == \"$LEAKED\" or .userIdentity.accessKeyId == \"$SESSION\")" | sort | md5sum)" "search --raw: the records as CloudTrail wrote them"
jq -e -s 'map(.eventTime) == (map(.eventTime) | sort)' "$OUT" >/dev/null && ok || bad "search --raw: in time order"
tt search --raw --format csv
expect_rc 2 "search --raw is NDJSON only"
expect_eq "$(grep -c '^=' "$OUT")" 0 "search csv has no formula"
tt search --format table --event GetSecretValue --source secretsmanager.amazonaws.com
expect_eq "$(grep -c $'\x1b' "$OUT")" 0 "search table has no ESC byte"
tt search bogus
expect_rc 2 "search takes no arguments"

# Evidence gone or changed: said per event; the report goes on with the store.
obj=$(grep -l . "$S"/AWSLogs/111122223333/CloudTrail/us-east-1/2026/10/03/*.json.gz)
mv "$obj" "$WORK/moved.gz"
tt key "$LEAKED" --format json
expect_rc 0 "report with a source object gone"
# Without the object, CreateAccessKey's response (the created key) cannot be
# read: the chain stops there, and the report says why on that call.
expect_eq "$(jq "[.derived_credentials[].key] | join(\" \")" "$OUT")" "\"$LEAKED $SESSION\"" "the chain stops where the evidence is gone"
expect_eq "$(jq '[.findings[] | select(.category != "discovery")] | length' "$OUT")" \
    "$(jq '[.findings[] | select((.details // "") | test("is gone"))] | length' "$OUT")" "each marked call of the missing object says so"
expect_eq "$(jq '[.findings[] | select(.event == "iam:CreateAccessKey" and (.details | test("is gone")))] | length' "$OUT")" 1 "the lost link says so"
expect_err 'evidence: source object .* is gone' "stderr names the missing object"
tt search --key "$LEAKED" --key "$SESSION" --key "$BACKDOOR" --raw
expect_rc 1 "search --raw with a source object gone: exit 1 at the end"
gone=$(zcat "$WORK/moved.gz" | jq "[.Records[] | select($CHAIN)] | length")
expect_eq "$(grep -c . "$OUT")" "$(count "$CHAIN")" "search --raw: the records still there are printed (the object is out of the fixture)"
expect_eq "$(grep -c "cannot be read: source object .*$(basename "$obj").* is gone" "$ERR")" "$gone" "search --raw: each unread record named on stderr"
expect_err "^trailtrim search: $gone records could not be read back" "search --raw: the count at the end"
zcat "$WORK/moved.gz" | sed 's/svc-backup/svc-b4ckup/' | gzip -n > "$obj"
tt key "$LEAKED" --format json
expect_eq "$(jq '[.findings[] | select(.category != "discovery")] | length' "$OUT")" \
    "$(jq '[.findings[] | select((.details // "") | test("changed since it was ingested"))] | length' "$OUT")" "changed evidence is not used"
expect_eq "$(grep -c 'svc-b4ckup' "$OUT")" 0 "nothing read from the changed object"
tt search --key "$LEAKED" --key "$SESSION" --key "$BACKDOOR" --raw
expect_rc 4 "search --raw with a changed object: exit 4"
expect_eq "$(grep -c 'svc-b4ckup' "$OUT")" 0 "search --raw: nothing printed from the changed object"
expect_err 'cannot be read: .*changed since it was ingested' "search --raw: the changed object said"

# The Stratus Red Team captures: each technique's defining call, marked.
ST="${TT_SHARED_DIR:-}/testdata/cloudtrail/stratus-red-team"
if [ -d "$ST" ]; then
    rm -f "$TRAILTRIM_DB"*
    tt ingest -q "$ST"
    while read -r tech event category; do
        f="$ST/aws.$tech.json"
        [ -f "$f" ] || { skip "$tech absent"; continue; }
        key=$(jq -r --arg e "$event" '[.[] | select(.eventName == $e) | .userIdentity.accessKeyId] | first' "$f")
        # A call made with a minted key is reached from the long-term key that minted it.
        root=$(jq -r '[.[] | .userIdentity.accessKeyId | select(startswith("AKIA"))] | first // empty' "$f")
        tt key "${root:-$key}" --format json
        n=$(jq --arg e "$event" --arg c "$category" --arg k "$key" '[.findings[] | select((.event | endswith(":" + $e)) and .category == $c and .key == $k)] | length' "$OUT")
        want=$(jq --arg e "$event" '[.[] | select(.eventName == $e)] | length' "$f")
        expect_eq "$n" "$want" "stratus $tech: $event marked $category"
    done <<'EOF'
credential-access.ec2-get-password-data GetPasswordData credential-access
credential-access.secretsmanager-batch-retrieve-secrets BatchGetSecretValue data-access
credential-access.secretsmanager-retrieve-secrets GetSecretValue data-access
credential-access.ssm-retrieve-securestring-parameters GetParameters data-access
defense-evasion.cloudtrail-delete DeleteTrail defence-evasion
defense-evasion.cloudtrail-event-selectors PutEventSelectors defence-evasion
defense-evasion.cloudtrail-stop StopLogging defence-evasion
defense-evasion.dns-delete-logs DeleteResolverQueryLogConfig defence-evasion
defense-evasion.organizations-leave LeaveOrganization defence-evasion
defense-evasion.vpc-remove-flow-logs DeleteFlowLogs defence-evasion
execution.ec2-launch-unusual-instances RunInstances compute-abuse
execution.ec2-user-data ModifyInstanceAttribute compute-abuse
execution.ssm-send-command SendCommand compute-abuse
execution.ssm-start-session StartSession compute-abuse
exfiltration.ec2-security-group-open-port-22-ingress AuthorizeSecurityGroupIngress exposure
exfiltration.ec2-share-ami ModifyImageAttribute exposure
exfiltration.ec2-share-ebs-snapshot ModifySnapshotAttribute exposure
exfiltration.rds-share-snapshot ModifyDBSnapshotAttribute exposure
lateral-movement.ec2-instance-connect SendSSHPublicKey lateral-movement
persistence.iam-backdoor-role UpdateAssumeRolePolicy persistence
persistence.iam-backdoor-user CreateAccessKey persistence
persistence.iam-create-admin-user CreateUser persistence
persistence.iam-create-admin-user AttachUserPolicy persistence
persistence.iam-create-backdoor-role CreateRole persistence
persistence.iam-create-user-login-profile CreateLoginProfile persistence
persistence.lambda-backdoor-function AddPermission20150331v2 persistence
persistence.lambda-layer-extension UpdateFunctionConfiguration20150331v2 persistence
persistence.lambda-overwrite-code UpdateFunctionCode20150331v2 persistence
persistence.rolesanywhere-create-trust-anchor CreateTrustAnchor persistence
persistence.sts-federation-token GetFederationToken credential-access
privilege-escalation.iam-update-user-login-profile UpdateLoginProfile persistence
EOF
    # Pretty-printed captures: --raw still prints one record a line.
    tt search --raw --limit 20
    expect_eq "$(grep -c . "$OUT")" 20 "stratus: search --raw, one line per record"
    expect_eq "$(jq -c . "$OUT" | grep -c .)" 20 "stratus: each line is one JSON record"
    # The federation token's key is followed: its calls are in the chain.
    f="$ST/aws.persistence.sts-federation-token.json"
    tt key "$(jq -r '[.[] | .userIdentity.accessKeyId | select(startswith("AKIA"))] | first' "$f")" --format json
    expect_eq "$(jq '[.derived_credentials[] | select(.made_by == "GetFederationToken")] | length' "$OUT")" \
        "$(jq '[.[] | select(.eventName == "GetFederationToken" and .responseElements.credentials.accessKeyId)] | length' "$f")" \
        "stratus: federation tokens are followed"
else
    skip "the Stratus captures are absent"
fi
finish
