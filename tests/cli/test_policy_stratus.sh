# test_policy_stratus.sh - every Stratus Red Team capture in ../shared: the
# exact actions `policy --all` grants for the technique's successful direct
# calls, decided by hand from each call's requestParameters and AWS's
# documentation (the lines below say which call needed what, where it is not
# simply prefix:eventName). A capture whose calls were all denied, failed or
# made by roles the technique only assumed shows what remains granted.
. "$(dirname "$0")/lib.sh"
STRATUS="${TT_SHARED_DIR:-}/testdata/cloudtrail/stratus-red-team"
[ -d "$STRATUS" ] || { echo "SKIP: no Stratus captures under TT_SHARED_DIR" >&2; exit 77; }
have jq || { echo "SKIP: jq is needed" >&2; exit 77; }
W="--until 2025-01-01 --days 400"
n=0
while IFS='|' read -r tech want; do
    case "$tech" in '#'* | '') continue ;; esac
    [ -f "$STRATUS/aws.$tech.json" ] || { bad "$tech: no capture"; continue; }
    n=$((n + 1))
    db="$WORK/$tech.db"
    tt --db "$db" ingest -q "$STRATUS/aws.$tech.json"
    tt --db "$db" policy --all -q -o "$WORK/$tech" $W
    expect_rc 0 "$tech: policy --all"
    got=$(find "$WORK/$tech" -name '*.json' ! -name '*.report.json' -exec jq -r '.Statement[].Action[]' {} + | sort -u | tr '\n' ' ' | sed 's/ $//')
    expect_eq "$got" "$want" "$tech: allowed actions"
done <<'TECH'
# the caller only assumes the technique's role; the role's own calls were denied
credential-access.ec2-get-password-data|sts:AssumeRole
# SendCommand without ServiceRoleArn: no iam:PassRole (API_SendCommand, ServiceRoleArn is for SNS notifications)
credential-access.ec2-steal-instance-credentials|ec2:DescribeInstances ssm:DescribeInstanceInformation ssm:GetCommandInvocation ssm:SendCommand
# BatchGetSecretValue with filters: GetSecretValue per secret and ListSecrets (API_BatchGetSecretValue, Required permissions)
credential-access.secretsmanager-batch-retrieve-secrets|secretsmanager:BatchGetSecretValue secretsmanager:GetSecretValue secretsmanager:ListSecrets
credential-access.secretsmanager-retrieve-secrets|secretsmanager:GetSecretValue secretsmanager:ListSecrets
credential-access.ssm-retrieve-securestring-parameters|ssm:DescribeParameters ssm:GetParameters
defense-evasion.cloudtrail-delete|cloudtrail:DeleteTrail
defense-evasion.cloudtrail-event-selectors|cloudtrail:PutEventSelectors
defense-evasion.cloudtrail-stop|cloudtrail:StopLogging
defense-evasion.dns-delete-logs|route53resolver:DeleteResolverQueryLogConfig
defense-evasion.organizations-leave|sts:AssumeRole
defense-evasion.vpc-remove-flow-logs|ec2:DeleteFlowLogs
discovery.ec2-download-user-data|sts:AssumeRole
execution.ec2-launch-unusual-instances|sts:AssumeRole
execution.ec2-user-data|ec2:DescribeInstances ec2:ModifyInstanceAttribute ec2:StartInstances ec2:StopInstances
execution.ssm-send-command|ssm:DescribeInstanceInformation ssm:GetCommandInvocation ssm:SendCommand
execution.ssm-start-session|ssm:DescribeInstanceInformation ssm:StartSession ssm:TerminateSession
exfiltration.ec2-security-group-open-port-22-ingress|ec2:AuthorizeSecurityGroupIngress
exfiltration.ec2-share-ami|ec2:ModifyImageAttribute
exfiltration.ec2-share-ebs-snapshot|ec2:ModifySnapshotAttribute
exfiltration.rds-share-snapshot|rds:ModifyDBSnapshotAttribute
# the model-access calls of the Bedrock console flow are each their own action (Service Authorization Reference, Amazon Bedrock)
impact.bedrock-invoke-model|bedrock:CreateFoundationModelAgreement bedrock:GetFoundationModelAvailability bedrock:InvokeModel bedrock:ListFoundationModelAgreementOffers bedrock:PutFoundationModelEntitlement bedrock:PutUseCaseForModelAccess
# console sign-in only: nothing to grant
initial-access.console-login-without-mfa|
lateral-movement.ec2-instance-connect|ec2-instance-connect:SendSSHPublicKey
lateral-movement.ec2-serial-console-send-ssh-public-key|ec2-instance-connect:SendSerialConsoleSSHPublicKey ec2:EnableSerialConsoleAccess
persistence.iam-backdoor-role|iam:UpdateAssumeRolePolicy
persistence.iam-backdoor-user|iam:CreateAccessKey
# CreateUser carries tags: iam:TagUser (IAM User Guide, id_tags_users.html)
persistence.iam-create-admin-user|iam:AttachUserPolicy iam:CreateAccessKey iam:CreateUser iam:TagUser
# CreateRole without tags: no iam:TagRole
persistence.iam-create-backdoor-role|iam:AttachRolePolicy iam:CreateRole
persistence.iam-create-user-login-profile|iam:CreateLoginProfile
persistence.lambda-backdoor-function|lambda:AddPermission
# UpdateFunctionConfiguration20150331v2 with layers, without Role: GetLayerVersion, no PassRole (Lambda adding-layers.html)
persistence.lambda-layer-extension|lambda:GetLayerVersion lambda:UpdateFunctionConfiguration
persistence.lambda-overwrite-code|lambda:UpdateFunctionCode
# CreateProfile names roleArns and carries tags, CreateTrustAnchor carries tags:
# iam:PassRole and rolesanywhere:TagResource (Service Authorization Reference, IAM Roles Anywhere)
persistence.rolesanywhere-create-trust-anchor|iam:PassRole rolesanywhere:CreateProfile rolesanywhere:CreateTrustAnchor rolesanywhere:TagResource
persistence.sts-federation-token|sts:GetFederationToken
privilege-escalation.iam-update-user-login-profile|iam:UpdateLoginProfile
TECH
expect_eq "$n" "$(ls "$STRATUS"/aws.*.json | wc -l | tr -d ' ')" "every capture has a row"
finish
