# test_repo_trust.sh - `trailtrim repo` narrows each judged role's trust
# policy, and `unused --format html` shows the trust findings, on
# tests/fixtures/trust/ (the logs of test_trust.sh; authz-repo.json has the
# risky trust shapes). The window 2026-10-01..09 is covered every day, so
# the roles are judged, except ops-a, created inside it. Every written
# trust document, CHANGES.md line and SUMMARY line is asserted, the lint
# runs on every output, and @cloud-copilot/iam-simulate evaluates the
# original and the narrowed documents (tests/policy_sim/
# check_repo_trust.mjs): observed assumers allowed by both, what repo
# dropped allowed before and denied after; check_trust.mjs runs too.
. "$(dirname "$0")/lib.sh"
have jq || { echo "SKIP: jq is needed" >&2; exit 77; }
FIX="$TT_SOURCE_DIR/tests/fixtures/trust"
AZ="$FIX/authz-repo.json"
W="--until 2026-10-09 --days 9"
A=111122223333
GH="arn:aws:iam::$A:oidc-provider/token.actions.githubusercontent.com"

tt ingest -q "$FIX/logs"
expect_rc 0 "ingest the trust fixtures"
O="$WORK/out"
tt repo --authz "$AZ" $W --out "$O"
expect_rc 0 "repo"
expect_eq "$(cd "$O" && find . -type f | sort | tr '\n' ' ')" \
    "./SUMMARY.txt ./role-ec2-app/CHANGES.md ./role-ec2-app/ec2-app.trust.json ./role-gha-deploy/CHANGES.md ./role-gha-deploy/gha-deploy.trust.json ./role-legacy-partner/CHANGES.md ./role-ops-a/CHANGES.md ./role-ops-b/CHANGES.md ./role-ops-b/ops-b.trust.json ./role-partner-read/CHANGES.md ./role-partner-read/partner-read.trust.json ./role-vendor-ro/CHANGES.md ./role-vendor-ro/vendor-ro.trust.json " \
    "exactly these files: a trust policy per judged, assumed role; none for the young or the unassumed one"

# td ROLE EXPECTED what : the written trust document of ROLE, compact.
td() { expect_eq "$(jq -c . "$O/role-$1/$1.trust.json")" "$2" "$3"; }
# cl ROLE LINE : CHANGES.md of ROLE has exactly this line.
cl() { grep -qFx -- "$2" "$O/role-$1/CHANGES.md" && ok || bad "CHANGES.md of $1 lacks the line: $2"; }

# GitHub Actions: repo:acme/* where only acme/app assumed it in the window;
# the legacy pattern no token matched is dropped; the Deny survives as it was.
td gha-deploy '{"Version":"2012-10-17","Statement":[{"Sid":"GitHubDeploy","Effect":"Allow","Principal":{"Federated":["'$GH'"]},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":["repo:acme/app:ref:refs/heads/main"]}}},{"Sid":"NoPullRequests","Effect":"Deny","Principal":{"Federated":"'$GH'"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:*:pull_request"}}}]}' \
    "OIDC sub wildcard narrowed to the repository used, Deny kept"
expect_eq "$(jq -c '.Statement[1]' "$O/role-gha-deploy/gha-deploy.trust.json")" \
    "$(jq -c '.RoleDetailList[] | select(.RoleName == "gha-deploy") | .AssumeRolePolicyDocument.Statement[1]' "$AZ")" "the Deny statement is byte for byte the original's"
cl gha-deploy '## Trust policy (AssumeRolePolicyDocument)'
cl gha-deploy '- Statement 1 `GitHubDeploy` (Allow): written for who assumed the role: `'$GH'`; StringLike `token.actions.githubusercontent.com:sub` narrowed to StringEquals on the subjects used, from: `repo:acme/*`, `repo:acme-old/legacy:*`; removed, no token matched: `repo:acme-old/legacy:*`'
cl gha-deploy '- Statement 2 `NoPullRequests` (Deny): untouched'
cl gha-deploy 'Written as `gha-deploy.trust.json`: 693 -> 677 characters (IAM'"'"'s count, without whitespace)'

# Another account's role with an external ID: the role it never used is dropped, the condition kept.
td partner-read '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::444455556666:role/partner-etl"]},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"acme-7f3c"}}}]}' \
    "an unseen role dropped, sts:ExternalId kept"
cl partner-read '- Statement 1 (Allow): written for who assumed the role: `arn:aws:iam::444455556666:role/partner-etl`; removed, never seen assuming the role in the window: `arn:aws:iam::444455556666:role/old-etl`'

# Two accounts trusted; one never assumed it.
td vendor-ro '{"Version":"2012-10-17","Statement":[{"Sid":"Vendors","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::999900001111:root"]},"Action":"sts:AssumeRole"}]}' \
    "the account that never assumed it is dropped"
cl vendor-ro '- Statement 1 `Vendors` (Allow): written for who assumed the role: `arn:aws:iam::999900001111:root`; removed, never seen assuming the role in the window: `arn:aws:iam::777788889999:root`'

# "AWS": "*" behind aws:PrincipalOrgID: the role that assumed it, the org condition kept, MFA added (every call had it).
td ops-b '{"Version":"2012-10-17","Statement":[{"Sid":"Org","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::'$A':role/ops-a"]},"Action":["sts:AssumeRole","sts:SetSourceIdentity"],"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"},"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}' \
    "* narrowed to the chain's role; the org condition kept; MFA added"
cl ops-b '- Statement 1 `Org` (Allow): written for who assumed the role: `arn:aws:iam::'$A':role/ops-a`; conditions added, as every call showed them: `aws:MultiFactorAuthPresent`'

# Services: the unseen service kept (no record is not no use), the unseen role dropped.
td ec2-app '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com","ssm.amazonaws.com"]},"Action":"sts:AssumeRole"}]}' \
    "services kept, the unseen role dropped"
cl ec2-app '- Statement 1 (Allow): written for who assumed the role: `ec2.amazonaws.com`; removed, never seen assuming the role in the window: `arn:aws:iam::'$A':role/old-admin`; kept though not seen (services often assume roles without a record in the account): `ssm.amazonaws.com`'

# Repokid's caution: the young role is not touched, and CHANGES.md says why.
[ ! -e "$O/role-ops-a/ops-a.trust.json" ] && ok || bad "the young role got a trust policy"
cl ops-a '`arn:aws:iam::'$A':role/ops-a`, not judged: created 2026-10-05T12:00:00Z, after the window'"'"'s start (2026-10-01): too young.'
grep -q '^Nothing is rewritten: neither its permission policies nor its trust policy' "$O/role-ops-a/CHANGES.md" && ok || bad "the young role's CHANGES.md says nothing is rewritten"
grep -q '^role/ops-a .*too young' "$O/SUMMARY.txt" && ok || bad "SUMMARY names the young role"
# A role no one assumed in the window: not rewritten (no usage is nothing to narrow to).
cl legacy-partner 'Not rewritten: no one assumed arn:aws:iam::'$A':role/legacy-partner in the window: there is nothing to narrow it to (check that the window covers its use; delete the role if it is no longer needed). The trust document stays as it is.'
grep -q '^role/gha-deploy .*trust policy narrowed (1 trusted principal or subject removed) in gha-deploy.trust.json' "$O/SUMMARY.txt" && ok || bad "SUMMARY line of gha-deploy"
grep -q '5 trust policies narrowed' "$O/SUMMARY.txt" && ok || bad "SUMMARY counts the trust policies"
expect_err 'role/ops-a: not judged: created 2026-10-05' "the young role on stderr"

# The wider window has coverage gaps: nothing is tightened at all.
tt repo --authz "$AZ" --until 2026-11-01 --days 90 --out "$WORK/gaps" -q
expect_rc 0 "repo over a window with gaps"
expect_eq "$(find "$WORK/gaps" -name '*.trust.json' | wc -l | tr -d ' ')" 0 "coverage gaps: no trust policy written"
grep -q 'coverage gaps in account 111122223333' "$WORK/gaps/role-gha-deploy/CHANGES.md" && ok || bad "CHANGES.md names the gaps"

# The lint passes on every written trust policy, and catches broken ones.
tt repo --lint $(find "$O" -name '*.trust.json' | sort)
expect_rc 0 "every trust policy lints"
expect_eq "$(grep -c ': ok$' "$OUT")" 5 "five trust policies linted"
printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}' >"$WORK/star.trust.json"
printf '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole"}]}' >"$WORK/deny-only.trust.json"
printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"s3:GetObject"}]}' >"$WORK/s3.trust.json"
tt repo --lint "$WORK/star.trust.json" "$WORK/deny-only.trust.json" "$WORK/s3.trust.json"
expect_rc 1 "broken trust policies fail the lint"
expect_err 'star.trust.json: Statement 1: principal "\*" is empty or a wildcard' "lint: a wildcard principal"
expect_err 'deny-only.trust.json: Statement has no Allow' "lint: no Allow"
expect_err 's3.trust.json: Statement 1: action "s3:GetObject" is not one a trust policy grants' "lint: a non-STS action"

# ---- unused --format html: the trust findings, escaped --------------------------
jq '.RoleDetailList += [{"RoleName":"probe","Arn":"arn:aws:iam::'$A':role/probe","CreateDate":"2024-01-01T00:00:00Z",
  "AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole",
  "Principal":{"AWS":"arn:aws:iam::444455556666:role/<img src=x onerror=alert(1)>"}}]},
  "RolePolicyList":[],"AttachedManagedPolicies":[]}]' "$AZ" >"$WORK/probe.json"
tt unused --authz "$WORK/probe.json" $W --format html -q
expect_rc 0 "unused --format html"
expect_out '^<h2>Trust findings</h2>' "the page has the trust findings"
expect_out '<td><a href="#p[0-9]+">arn:aws:iam::111122223333:role/gha-deploy</a></td><td><span class="sev sev-medium">medium</span></td><td><code>token.actions.githubusercontent.com:sub repo:acme/\*</code></td><td>a wildcard wider than what was used: only 1 subject assumed the role' "a medium finding row, its severity shown"
expect_out '<span class="sev sev-low">low</span> <code>arn:aws:iam::777788889999:root</code>: trusted, but never seen' "a low finding in the role's own section"
expect_out '^<p>Trust: assumed 1 time in the window; trusted but never seen: <code>arn:aws:iam::444455556666:role/old-etl</code>\.' "a role's assumptions and unseen principals in its section"
expect_out 'role/&lt;img src=x onerror=alert\(1\)&gt;' "a principal from the file is escaped"
grep -q '<img src=x' "$OUT" && bad "raw HTML from the file reached the page" || ok
# the most severe first: critical/high/medium before low and info
expect_eq "$(sed -n '/<table id="trust">/,/<\/table>/p' "$OUT" | grep -o 'sev sev-[a-z]*' | uniq | sed 's/sev sev-//' | tr '\n' ' ')" "medium low info " "findings sorted by severity"
tt unused --authz "$WORK/probe.json" $W --format csv -q
expect_eq "$(head -n 1 "$OUT" | tr -d '\r')" "principal,type,account,principal_status,service,action,status,last_used,conditional,resource_scoped" "CSV: one row per action, no trust columns"
grep -q 'onerror' "$OUT" && bad "CSV carries trust findings" || ok

# ---- the independent evaluator ---------------------------------------------------
SIM="$TT_SOURCE_DIR/tests/policy_sim"
if ! have node || ! { [ -d "$SIM/node_modules/@cloud-copilot/iam-simulate" ] ||
    (cd "$SIM" && timeout 120 npm ci --no-audit --no-fund >/dev/null 2>&1); }; then
    skip "node or the @cloud-copilot/iam-simulate install is unavailable: independent check not run"
    finish
fi
G=accounts.google.com
cat >"$WORK/gha-deploy.cases.json" <<JSON
{"role": "arn:aws:iam::$A:role/gha-deploy", "issuers": ["token.actions.githubusercontent.com"], "cases": [
 {"what": "the repository that assumed it", "principal": "$GH", "action": "sts:AssumeRoleWithWebIdentity", "ctx": {"$G:sub": "repo:acme/app:ref:refs/heads/main", "$G:aud": "sts.amazonaws.com"}, "before": true, "after": true},
 {"what": "another repository of repo:acme/*", "principal": "$GH", "action": "sts:AssumeRoleWithWebIdentity", "ctx": {"$G:sub": "repo:acme/infra:ref:refs/heads/main", "$G:aud": "sts.amazonaws.com"}, "before": true, "after": false},
 {"what": "another branch of the same repository", "principal": "$GH", "action": "sts:AssumeRoleWithWebIdentity", "ctx": {"$G:sub": "repo:acme/app:ref:refs/heads/dev", "$G:aud": "sts.amazonaws.com"}, "before": true, "after": false},
 {"what": "the legacy pattern no token matched", "principal": "$GH", "action": "sts:AssumeRoleWithWebIdentity", "ctx": {"$G:sub": "repo:acme-old/legacy:ref:refs/heads/main", "$G:aud": "sts.amazonaws.com"}, "before": true, "after": false},
 {"what": "a pull request (the Deny)", "principal": "$GH", "action": "sts:AssumeRoleWithWebIdentity", "ctx": {"$G:sub": "repo:acme/app:pull_request", "$G:aud": "sts.amazonaws.com"}, "before": false, "after": false},
 {"what": "another audience", "principal": "$GH", "action": "sts:AssumeRoleWithWebIdentity", "ctx": {"$G:sub": "repo:acme/app:ref:refs/heads/main", "$G:aud": "evil"}, "before": false, "after": false}]}
JSON
cat >"$WORK/partner-read.cases.json" <<JSON
{"role": "arn:aws:iam::$A:role/partner-read", "cases": [
 {"what": "the partner role with its external ID", "principal": "arn:aws:iam::444455556666:role/partner-etl", "action": "sts:AssumeRole", "ctx": {"sts:ExternalId": "acme-7f3c"}, "before": true, "after": true},
 {"what": "the role never seen", "principal": "arn:aws:iam::444455556666:role/old-etl", "action": "sts:AssumeRole", "ctx": {"sts:ExternalId": "acme-7f3c"}, "before": true, "after": false},
 {"what": "without the external ID", "principal": "arn:aws:iam::444455556666:role/partner-etl", "action": "sts:AssumeRole", "ctx": {}, "before": false, "after": false}]}
JSON
cat >"$WORK/vendor-ro.cases.json" <<JSON
{"role": "arn:aws:iam::$A:role/vendor-ro", "cases": [
 {"what": "a role of the account that assumed it", "principal": "arn:aws:iam::999900001111:role/scanner", "action": "sts:AssumeRole", "ctx": {}, "before": true, "after": true},
 {"what": "a role of the account that never did", "principal": "arn:aws:iam::777788889999:role/scanner", "action": "sts:AssumeRole", "ctx": {}, "before": true, "after": false},
 {"what": "an account never trusted", "principal": "arn:aws:iam::210987654321:role/scanner", "action": "sts:AssumeRole", "ctx": {}, "before": false, "after": false}]}
JSON
cat >"$WORK/ops-b.cases.json" <<JSON
{"role": "arn:aws:iam::$A:role/ops-b", "cases": [
 {"what": "ops-a with MFA, in the organisation", "principal": "arn:aws:iam::$A:role/ops-a", "action": "sts:AssumeRole", "ctx": {"aws:PrincipalOrgID": "o-a1b2c3d4e5", "aws:MultiFactorAuthPresent": "true"}, "before": true, "after": true},
 {"what": "ops-a without MFA", "principal": "arn:aws:iam::$A:role/ops-a", "action": "sts:AssumeRole", "ctx": {"aws:PrincipalOrgID": "o-a1b2c3d4e5", "aws:MultiFactorAuthPresent": "false"}, "before": true, "after": false},
 {"what": "another role of the organisation", "principal": "arn:aws:iam::$A:role/intruder", "action": "sts:AssumeRole", "ctx": {"aws:PrincipalOrgID": "o-a1b2c3d4e5", "aws:MultiFactorAuthPresent": "true"}, "before": true, "after": false},
 {"what": "ops-a outside the organisation", "principal": "arn:aws:iam::$A:role/ops-a", "action": "sts:AssumeRole", "ctx": {"aws:PrincipalOrgID": "o-other", "aws:MultiFactorAuthPresent": "true"}, "before": false, "after": false}]}
JSON
cat >"$WORK/ec2-app.cases.json" <<JSON
{"role": "arn:aws:iam::$A:role/ec2-app", "cases": [
 {"what": "EC2, seen", "principal": "ec2.amazonaws.com", "action": "sts:AssumeRole", "ctx": {}, "before": true, "after": true},
 {"what": "SSM, kept though not seen", "principal": "ssm.amazonaws.com", "action": "sts:AssumeRole", "ctx": {}, "before": true, "after": true},
 {"what": "the role never seen", "principal": "arn:aws:iam::$A:role/old-admin", "action": "sts:AssumeRole", "ctx": {}, "before": true, "after": false},
 {"what": "another service", "principal": "ecs-tasks.amazonaws.com", "action": "sts:AssumeRole", "ctx": {}, "before": false, "after": false}]}
JSON
for r in gha-deploy partner-read vendor-ro ops-b ec2-app; do
    jq --arg n "$r" '.RoleDetailList[] | select(.RoleName == $n) | .AssumeRolePolicyDocument' "$AZ" >"$WORK/$r.original.json"
    for which in before after; do
        pol="$WORK/$r.original.json"
        [ "$which" = after ] && pol="$O/role-$r/$r.trust.json"
        if node "$SIM/check_repo_trust.mjs" "$WORK/$r.cases.json" "$pol" "$which" >"$WORK/sim.out" 2>&1; then ok; else
            bad "iam-simulate, $r $which: $(head -5 "$WORK/sim.out")"
        fi
    done
done
# check_trust.mjs on the narrowed documents: every assumer the report names is allowed, others are not.
for r in gha-deploy partner-read vendor-ro ec2-app; do
    tt trust "$r" $W -q --report "$WORK/$r.report.json"
    expect_rc 0 "trust $r --report"
    if node "$SIM/check_trust.mjs" "$WORK/$r.report.json" "$O/role-$r/$r.trust.json" >"$WORK/sim.out" 2>&1; then ok; else
        bad "check_trust.mjs on the narrowed $r: $(head -3 "$WORK/sim.out")"
    fi
done
finish
