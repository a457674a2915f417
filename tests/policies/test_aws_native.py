"""aws-native resources are judged by the same guardrails as their pulumi-aws counterparts: per
type and spelling, a compliant baseline passes, one changed field fails (the message naming the
resource's own props), and an unknown value leaves the check undecided, never passed."""

from __future__ import annotations

import pytest

from policies.guardrails.catalog import CATALOG
from policies.guardrails.keys import STACK_KEYS
from policies.guardrails.providers import VIEWS, types_judged_with
from tests.policies.harness import DELETE, UNKNOWN, Res, changed, run_resource, run_stack, urn_of

KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ROLE_ARN = "arn:aws:iam::111122223333:role/trail-to-logs"
TOPIC_ARN = "arn:aws:sns:us-east-1:111122223333:alerts"
LOG_GROUP_ARN = "arn:aws:logs:us-east-1:111122223333:log-group:api:*"
ACCOUNT_ONLY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "Account",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Action": "*",
            "Resource": "*",
        }
    ],
}
PUBLIC = {
    "Version": "2012-10-17",
    "Statement": [{"Sid": "Anyone", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}],
}
READ_LOGS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "logs:GetLogEvents", "Resource": LOG_GROUP_ARN}],
}
ADMIN = {"Version": "2012-10-17", "Statement": [{"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "*"}]}
S3_WILDCARD = {
    "Version": "2012-10-17",
    "Statement": [{"Sid": "S3", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
}
ASSUME = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}

LOG_GROUP = {
    "logGroupName": "/aws/lambda/fn",
    "retentionInDays": 365,
    "kmsKeyId": KEY_ARN,
    "tags": [{"key": "team", "value": "ops"}],
}
REPOSITORY = {
    "repositoryName": "app",
    "imageTagMutability": "IMMUTABLE",
    "imageScanningConfiguration": {"scanOnPush": True},
    "encryptionConfiguration": {"encryptionType": "KMS", "kmsKey": KEY_ARN},
}
KEY = {"enableKeyRotation": True, "keyPolicy": ACCOUNT_ONLY}
FUNCTION = {
    "functionName": "fn",
    "runtime": "python3.12",
    "handler": "app.handler",
    "role": ROLE_ARN,
    "code": {"zipFile": "def handler(event, context): pass"},
    "tracingConfig": {"mode": "Active"},
    "kmsKeyArn": KEY_ARN,
    "environment": {"variables": {"LEVEL": "info"}},
}
PERMISSION = {
    "action": "lambda:InvokeFunction",
    "functionName": "fn",
    "principal": "sns.amazonaws.com",
    "sourceArn": TOPIC_ARN,
}
TRAIL = {
    "trailName": "org",
    "isLogging": True,
    "isMultiRegionTrail": True,
    "includeGlobalServiceEvents": True,
    "enableLogFileValidation": True,
    "kmsKeyId": KEY_ARN,
    "s3BucketName": "trail-bucket",
    "cloudWatchLogsLogGroupArn": "arn:aws:logs:us-east-1:111122223333:log-group:trail:*",
    "cloudWatchLogsRoleArn": ROLE_ARN,
}
ROLE = {
    "roleName": "app",
    "assumeRolePolicyDocument": ASSUME,
    "policies": [{"policyName": "read-logs", "policyDocument": READ_LOGS}],
    "managedPolicyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
}
HTTP_STAGE = {
    "apiId": "a1b2c3",
    "stageName": "$default",
    "accessLogSettings": {"destinationArn": LOG_GROUP_ARN, "format": "$context.requestId"},
}
INSTANCE_ENCRYPTION = "aws-rds-instance-enable-storage-encryption"
STREAM_ENCRYPTION = "aws-kinesis-stream-configure-encryption"
EKS_ENDPOINT = "aws-eks-cluster-disallow-public-endpoint"
EKS_SECRETS = "aws-eks-cluster-enable-secrets-encryption"
EKS_LOGGING = "aws-eks-cluster-enable-control-plane-logging"
DB_INSTANCE = {
    "engine": "postgres",
    "storageEncrypted": True,
    "kmsKeyId": KEY_ARN,
    "deletionProtection": True,
    "publiclyAccessible": False,
    "tags": [{"key": "team", "value": "orders"}],
}
DB_CLUSTER = {"engine": "aurora-postgresql", "storageEncrypted": True, "kmsKeyId": KEY_ARN, "deletionProtection": True}
STREAM = {"name": "orders", "streamEncryption": {"encryptionType": "KMS", "keyId": KEY_ARN}}
EKS = {
    "name": "platform",
    "roleArn": "arn:aws:iam::111122223333:role/eks",
    "resourcesVpcConfig": {"subnetIds": ["s1"], "endpointPublicAccess": False, "endpointPrivateAccess": True},
    "encryptionConfig": [{"provider": {"keyArn": KEY_ARN}, "resources": ["secrets"]}],
    "logging": {
        "clusterLogging": {
            "enabledTypes": [{"type": t} for t in ("api", "audit", "authenticator", "controllerManager", "scheduler")]
        }
    },
}
REST_STAGE = {
    "restApiId": "r1",
    "stageName": "prod",
    "accessLogSetting": {"destinationArn": LOG_GROUP_ARN, "format": "$context.requestId"},
}

ADMIN_ACCESS = "aws-iam-policy-disallow-administrator-access"
CASES = [
    # (id, policy, type, baseline, changes, expected message part; None: passes)
    (
        "loggroup-retention",
        "aws-cloudwatch-loggroup-configure-retention",
        "logs:LogGroup",
        LOG_GROUP,
        {"retentionInDays": 7},
        "retentionInDays 7 is outside",
    ),
    (
        "loggroup-retention-string",
        "aws-cloudwatch-loggroup-configure-retention",
        "logs:LogGroup",
        LOG_GROUP,
        {"retentionInDays": "365"},
        None,
    ),
    (
        "loggroup-kms",
        "aws-cloudwatch-loggroup-configure-kms-key",
        "logs:LogGroup",
        LOG_GROUP,
        {"kmsKeyId": DELETE},
        "kmsKeyId not set",
    ),
    (
        "repository-tags",
        "aws-ecr-repository-disallow-mutable-tags",
        "ecr:Repository",
        REPOSITORY,
        {"imageTagMutability": "MUTABLE"},
        "imageTagMutability is 'MUTABLE'",
    ),
    (
        "repository-kms",
        "aws-ecr-repository-configure-kms-encryption",
        "ecr:Repository",
        REPOSITORY,
        {"encryptionConfiguration": {"encryptionType": "AES256"}},
        "set encryptionConfiguration.encryptionType to KMS",
    ),
    (
        "repository-default-encryption",
        "aws-ecr-repository-configure-kms-encryption",
        "ecr:Repository",
        REPOSITORY,
        {"encryptionConfiguration": DELETE},
        "AES256 (the default)",
    ),
    (
        "repository-policy",
        "aws-ecr-repositorypolicy-disallow-public-access",
        "ecr:Repository",
        REPOSITORY,
        {"repositoryPolicyText": PUBLIC},
        "statement Anyone lets in any principal",
    ),
    (
        "topic-kms",
        "aws-sns-topic-configure-kms-key",
        "sns:Topic",
        {"topicName": "alerts", "kmsMasterKeyId": KEY_ARN},
        {"kmsMasterKeyId": DELETE},
        "kmsMasterKeyId not set",
    ),
    (
        "topic-policy",
        "aws-sns-topicpolicy-disallow-public-access",
        "sns:TopicPolicy",
        {"topics": [TOPIC_ARN], "policyDocument": ACCOUNT_ONLY},
        {"policyDocument": PUBLIC},
        "statement Anyone lets in any principal",
    ),
    (
        "topic-inline-policy",
        "aws-sns-topicpolicy-disallow-public-access",
        "sns:TopicInlinePolicy",
        {"topicArn": TOPIC_ARN, "policyDocument": ACCOUNT_ONLY},
        {"policyDocument": PUBLIC},
        "statement Anyone lets in any principal",
    ),
    (
        "queue-encryption",
        "aws-sqs-queue-configure-encryption",
        "sqs:Queue",
        {"queueName": "q", "kmsMasterKeyId": KEY_ARN},
        {"kmsMasterKeyId": DELETE, "sqsManagedSseEnabled": False},
        "not encrypted at rest",
    ),
    (
        "queue-inline-policy",
        "aws-sqs-queuepolicy-disallow-public-access",
        "sqs:QueueInlinePolicy",
        {"queue": "https://sqs.us-east-1.amazonaws.com/111122223333/q", "policyDocument": ACCOUNT_ONLY},
        {"policyDocument": PUBLIC},
        "statement Anyone lets in any principal",
    ),
    (
        "key-rotation",
        "aws-kms-key-enable-key-rotation",
        "kms:Key",
        KEY,
        {"enableKeyRotation": False},
        "enableKeyRotation is False",
    ),
    (
        "key-rotation-imported",
        "aws-kms-key-enable-key-rotation",
        "kms:Key",
        KEY,
        {"enableKeyRotation": False, "origin": "EXTERNAL"},
        None,
    ),
    (
        "key-rotation-asymmetric",
        "aws-kms-key-enable-key-rotation",
        "kms:Key",
        KEY,
        {"enableKeyRotation": False, "keySpec": "RSA_2048"},
        None,
    ),
    (
        "key-lockout",
        "aws-kms-key-disallow-bypass-policy-lockout-safety-check",
        "kms:Key",
        KEY,
        {"bypassPolicyLockoutSafetyCheck": True},
        "bypassPolicyLockoutSafetyCheck is true",
    ),
    (
        "key-policy",
        "aws-kms-keypolicy-disallow-public-access",
        "kms:Key",
        KEY,
        {"keyPolicy": PUBLIC},
        "statement Anyone lets in any principal",
    ),
    (
        "replica-key-policy",
        "aws-kms-keypolicy-disallow-public-access",
        "kms:ReplicaKey",
        {"primaryKeyArn": KEY_ARN, "keyPolicy": ACCOUNT_ONLY},
        {"keyPolicy": PUBLIC},
        "statement Anyone lets in any principal",
    ),
    (
        "secret-kms",
        "aws-secretsmanager-secret-configure-customer-managed-key",
        "secretsmanager:Secret",
        {"name": "s", "kmsKeyId": KEY_ARN},
        {"kmsKeyId": DELETE},
        "aws/secretsmanager (kmsKeyId not set)",
    ),
    (
        "function-tracing",
        "aws-lambda-function-enable-active-tracing",
        "lambda:Function",
        FUNCTION,
        {"tracingConfig": {"mode": "PassThrough"}},
        "tracingConfig.mode is 'PassThrough'",
    ),
    (
        "function-environment-key",
        "aws-lambda-function-configure-environment-kms-key",
        "lambda:Function",
        FUNCTION,
        {"kmsKeyArn": DELETE},
        "kmsKeyArn not set",
    ),
    (
        "function-runtime",
        "aws-lambda-function-disallow-deprecated-runtime",
        "lambda:Function",
        FUNCTION,
        {"runtime": "python3.7"},
        "python3.7",
    ),
    (
        "permission-public",
        "aws-lambda-permission-disallow-public-access",
        "lambda:Permission",
        PERMISSION,
        {"principal": "*", "sourceArn": DELETE},
        "Lambda permission lets in any principal",
    ),
    (
        "permission-any-account",
        "aws-lambda-permission-disallow-public-access",
        "lambda:Permission",
        PERMISSION,
        {"sourceArn": DELETE},
        "Lambda permission lets in",
    ),
    (
        "trail-logging",
        "aws-cloudtrail-trail-enable-logging",
        "cloudtrail:Trail",
        TRAIL,
        {"isLogging": False},
        "Trail isLogging is False",
    ),
    (
        "trail-multi-region",
        "aws-cloudtrail-trail-enable-multi-region",
        "cloudtrail:Trail",
        TRAIL,
        {"isMultiRegionTrail": False},
        "isMultiRegionTrail is False",
    ),
    (
        "trail-global-events",
        "aws-cloudtrail-trail-enable-multi-region",
        "cloudtrail:Trail",
        TRAIL,
        {"includeGlobalServiceEvents": False},
        "includeGlobalServiceEvents is False",
    ),
    (
        "trail-validation",
        "aws-cloudtrail-trail-enable-log-file-validation",
        "cloudtrail:Trail",
        TRAIL,
        {"enableLogFileValidation": DELETE},
        "enableLogFileValidation",
    ),
    (
        "trail-kms",
        "aws-cloudtrail-trail-configure-kms-key",
        "cloudtrail:Trail",
        TRAIL,
        {"kmsKeyId": DELETE},
        "kmsKeyId not set",
    ),
    (
        "trail-cloudwatch",
        "aws-cloudtrail-trail-enable-cloudwatch-logs",
        "cloudtrail:Trail",
        TRAIL,
        {"cloudWatchLogsLogGroupArn": DELETE},
        "cloudWatchLogsLogGroupArn not set",
    ),
    (
        "role-inline-admin",
        ADMIN_ACCESS,
        "iam:Role",
        ROLE,
        {"policies": [{"policyName": "all", "policyDocument": ADMIN}]},
        "IAM policy (policies[0]) statement",
    ),
    (
        "role-managed-admin",
        ADMIN_ACCESS,
        "iam:Role",
        ROLE,
        {"managedPolicyArns": ["arn:aws:iam::aws:policy/AdministratorAccess"]},
        "managedPolicyArns[0] attaches the AWS-managed AdministratorAccess",
    ),
    (
        "role-broad-managed",
        "aws-iam-policyattachment-disallow-broad-managed-policies",
        "iam:Role",
        ROLE,
        {"managedPolicyArns": ["arn:aws:iam::aws:policy/AmazonS3FullAccess"]},
        "managedPolicyArns[0] attaches the AWS-managed AmazonS3FullAccess",
    ),
    (
        "role-service-wildcard",
        "aws-iam-policy-disallow-service-wildcards",
        "iam:Role",
        ROLE,
        {"policies": [{"policyName": "s3", "policyDocument": S3_WILDCARD}]},
        "(policies[0])",
    ),
    (
        "managed-policy-admin",
        ADMIN_ACCESS,
        "iam:ManagedPolicy",
        {"managedPolicyName": "p", "policyDocument": READ_LOGS},
        {"policyDocument": ADMIN},
        "statement",
    ),
    (
        "role-policy-admin",
        ADMIN_ACCESS,
        "iam:RolePolicy",
        {"policyName": "p", "roleName": "app", "policyDocument": READ_LOGS},
        {"policyDocument": ADMIN},
        "statement",
    ),
    (
        "user-policy-admin",
        ADMIN_ACCESS,
        "iam:UserPolicy",
        {"policyName": "p", "userName": "ci", "policyDocument": READ_LOGS},
        {"policyDocument": ADMIN},
        "statement",
    ),
    (
        "group-policy-admin",
        ADMIN_ACCESS,
        "iam:GroupPolicy",
        {"policyName": "p", "groupName": "ops", "policyDocument": READ_LOGS},
        {"policyDocument": ADMIN},
        "statement",
    ),
    (
        "user-managed-admin",
        ADMIN_ACCESS,
        "iam:User",
        {"userName": "ci"},
        {"managedPolicyArns": ["arn:aws:iam::aws:policy/AdministratorAccess"]},
        "managedPolicyArns[0] attaches",
    ),
    (
        "group-inline-admin",
        ADMIN_ACCESS,
        "iam:Group",
        {"groupName": "ops"},
        {"policies": [{"policyName": "all", "policyDocument": ADMIN}]},
        "IAM policy (policies[0]) statement",
    ),
    (
        "http-stage-logs",
        "aws-apigateway-stage-enable-access-logging",
        "apigatewayv2:Stage",
        HTTP_STAGE,
        {"accessLogSettings": DELETE},
        "accessLogSettings.destinationArn, accessLogSettings.format not set",
    ),
    (
        "rest-stage-logs",
        "aws-apigateway-stage-enable-access-logging",
        "apigateway:Stage",
        REST_STAGE,
        {"accessLogSetting": {"destinationArn": LOG_GROUP_ARN}},
        "accessLogSetting.format not set",
    ),
    (
        "delivery-channel-kms",
        "aws-cfg-deliverychannel-configure-kms-key",
        "configuration:DeliveryChannel",
        {"s3BucketName": "config", "s3KmsKeyArn": KEY_ARN},
        {"s3KmsKeyArn": DELETE},
        "s3KmsKeyArn",
    ),
    (
        "db-instance-unencrypted",
        INSTANCE_ENCRYPTION,
        "rds:DBInstance",
        DB_INSTANCE,
        {"storageEncrypted": False},
        "storageEncrypted is False",
    ),
    (
        "db-instance-key-alone",
        INSTANCE_ENCRYPTION,
        "rds:DBInstance",
        DB_INSTANCE,
        {"storageEncrypted": DELETE},
        "kmsKeyId alone does not encrypt",
    ),
    (
        "db-instance-replica-of-elsewhere",
        INSTANCE_ENCRYPTION,
        "rds:DBInstance",
        DB_INSTANCE,
        {"storageEncrypted": DELETE, "sourceDbInstanceIdentifier": "arn:aws:rds:us-east-1:111122223333:db:orders"},
        "read replica without storageEncrypted",
    ),
    (
        "db-instance-from-snapshot",
        INSTANCE_ENCRYPTION,
        "rds:DBInstance",
        DB_INSTANCE,
        {"storageEncrypted": DELETE, "kmsKeyId": DELETE, "dbSnapshotIdentifier": "orders-final"},
        "takes its snapshot's encryption",
    ),
    (
        "db-instance-deletable",
        "aws-rds-instance-enable-deletion-protection",
        "rds:DBInstance",
        DB_INSTANCE,
        {"deletionProtection": DELETE},
        "deletionProtection is not set",
    ),
    (
        "aurora-member-is-not-an-instance",
        INSTANCE_ENCRYPTION,
        "rds:DBInstance",
        DB_INSTANCE,
        {"storageEncrypted": DELETE, "dbClusterIdentifier": "orders"},
        None,
    ),
    (
        "db-cluster-unencrypted",
        "aws-rds-cluster-enable-storage-encryption",
        "rds:DBCluster",
        DB_CLUSTER,
        {"storageEncrypted": DELETE},
        "storageEncrypted is not set",
    ),
    (
        "db-cluster-deletable",
        "aws-rds-cluster-enable-deletion-protection",
        "rds:DBCluster",
        DB_CLUSTER,
        {"deletionProtection": False},
        "deletionProtection is False",
    ),
    (
        "stream-unencrypted",
        STREAM_ENCRYPTION,
        "kinesis:Stream",
        STREAM,
        {"streamEncryption": DELETE},
        "streamEncryption.encryptionType not set, so NONE",
    ),
    (
        "stream-aws-managed-key",
        STREAM_ENCRYPTION,
        "kinesis:Stream",
        STREAM,
        {"streamEncryption": {"encryptionType": "KMS", "keyId": "alias/aws/kinesis"}},
        "alias/aws/kinesis",
    ),
    (
        "eks-public-endpoint",
        EKS_ENDPOINT,
        "eks:Cluster",
        EKS,
        {"resourcesVpcConfig": {"subnetIds": ["s1"]}},
        "resourcesVpcConfig.endpointPublicAccess not set",
    ),
    (
        "eks-no-secrets-encryption",
        EKS_SECRETS,
        "eks:Cluster",
        EKS,
        {"encryptionConfig": DELETE},
        "has no encryptionConfig",
    ),
    (
        "eks-encrypts-other-resources",
        EKS_SECRETS,
        "eks:Cluster",
        EKS,
        {"encryptionConfig": [{"provider": {"keyArn": KEY_ARN}, "resources": ["configmaps"]}]},
        "encryptionConfig[0].resources is ['configmaps']",
    ),
    (
        "eks-logs-nothing",
        EKS_LOGGING,
        "eks:Cluster",
        EKS,
        {"logging": DELETE},
        "logging.clusterLogging.enabledTypes not set",
    ),
    (
        "eks-logs-api-only",
        EKS_LOGGING,
        "eks:Cluster",
        EKS,
        {"logging": {"clusterLogging": {"enabledTypes": [{"type": "api"}]}}},
        "control-plane logs audit are off (logging.clusterLogging.enabledTypes ['api'])",
    ),
]


def native(type_: str) -> str:
    return f"aws-native:{type_}"


@pytest.mark.parametrize(("policy", "type_", "baseline"), [pytest.param(c[1], c[2], c[3], id=c[0]) for c in CASES])
def test_the_baseline_passes(policy, type_, baseline):
    outcome = run_resource(policy, native(type_), baseline)
    assert (outcome.violations, outcome.unchecked) == ([], None)


@pytest.mark.parametrize(
    ("policy", "type_", "baseline", "changes", "expected"), [pytest.param(*c[1:], id=c[0]) for c in CASES]
)
def test_one_changed_field(policy, type_, baseline, changes, expected):
    outcome = run_resource(policy, native(type_), changed(baseline, **changes))
    if expected is None:
        assert outcome.violations == []
    else:
        assert any(expected in v for v in outcome.violations), outcome.violations
        assert set(outcome.urns) <= {None, urn_of(native(type_), "r")}


UNKNOWNS = [
    (
        "loggroup-retention",
        "aws-cloudwatch-loggroup-configure-retention",
        "logs:LogGroup",
        LOG_GROUP,
        {"retentionInDays": UNKNOWN},
        "retentionInDays",
    ),
    (
        "repository-key",
        "aws-ecr-repository-configure-kms-encryption",
        "ecr:Repository",
        REPOSITORY,
        {"encryptionConfiguration": {"encryptionType": "KMS", "kmsKey": UNKNOWN}},
        "encryptionConfiguration.kmsKey",
    ),
    (
        "repository-encryption",
        "aws-ecr-repository-configure-kms-encryption",
        "ecr:Repository",
        REPOSITORY,
        {"encryptionConfiguration": UNKNOWN},
        "encryptionConfiguration",
    ),
    (
        "trail-logging-role",
        "aws-cloudtrail-trail-enable-cloudwatch-logs",
        "cloudtrail:Trail",
        TRAIL,
        {"cloudWatchLogsRoleArn": UNKNOWN},
        "cloudWatchLogsRoleArn",
    ),
    (
        "trail-log-group",
        "aws-cloudtrail-trail-enable-cloudwatch-logs",
        "cloudtrail:Trail",
        TRAIL,
        {"cloudWatchLogsLogGroupArn": UNKNOWN},
        "cloudWatchLogsLogGroupArn",
    ),
    (
        "role-inline-document",
        ADMIN_ACCESS,
        "iam:Role",
        ROLE,
        {"policies": [{"policyName": "p", "policyDocument": UNKNOWN}]},
        "policies[0].policyDocument",
    ),
    (
        "role-managed-arn",
        "aws-iam-policyattachment-disallow-broad-managed-policies",
        "iam:Role",
        ROLE,
        {"managedPolicyArns": [UNKNOWN]},
        "managedPolicyArns[0]",
    ),
    (
        "permission-source",
        "aws-lambda-permission-disallow-public-access",
        "lambda:Permission",
        PERMISSION,
        {"sourceArn": UNKNOWN},
        "sourceArn",
    ),
    (
        "key-rotation",
        "aws-kms-key-enable-key-rotation",
        "kms:Key",
        KEY,
        {"enableKeyRotation": UNKNOWN},
        "enableKeyRotation",
    ),
]


@pytest.mark.parametrize(
    ("policy", "type_", "baseline", "changes", "named"), [pytest.param(*c[1:], id=c[0]) for c in UNKNOWNS]
)
def test_an_unknown_value_is_unchecked_not_passed(policy, type_, baseline, changes, named):
    outcome = run_resource(policy, native(type_), changed(baseline, **changes))
    assert outcome.violations == []
    assert outcome.unchecked and named in outcome.unchecked


FLAGS = dict.fromkeys(("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"), True)
BUCKET = {
    "bucketName": "audit-logs",
    "bucketEncryption": {
        "serverSideEncryptionConfiguration": [
            {
                "serverSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY_ARN},
                "bucketKeyEnabled": True,
            }
        ]
    },
    "versioningConfiguration": {"status": "Enabled"},
    "publicAccessBlockConfiguration": FLAGS,
}
TLS_ONLY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "TlsOnly",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": ["arn:aws:s3:::audit-logs", "arn:aws:s3:::audit-logs/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ],
}
S3_CASES = [
    (
        "kms",
        "aws-s3-bucket-configure-kms-encryption",
        {
            "bucketEncryption": {
                "serverSideEncryptionConfiguration": [{"serverSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]
            }
        },
        "encrypts with 'AES256'",
    ),
    (
        "kms-absent",
        "aws-s3-bucket-configure-kms-encryption",
        {"bucketEncryption": DELETE},
        "has no default encryption configuration",
    ),
    (
        "kms-one-of-two-rules",
        "aws-s3-bucket-configure-kms-encryption",
        {
            "bucketEncryption": {
                "serverSideEncryptionConfiguration": [
                    BUCKET["bucketEncryption"]["serverSideEncryptionConfiguration"][0],
                    {"serverSideEncryptionByDefault": {"sseAlgorithm": "AES256"}},
                ]
            }
        },
        "encrypts with 'AES256'",
    ),
    (
        "versioning",
        "aws-s3-bucket-enable-versioning",
        {"versioningConfiguration": {"status": "Suspended"}},
        "'Suspended'",
    ),
    (
        "versioning-absent",
        "aws-s3-bucket-enable-versioning",
        {"versioningConfiguration": DELETE},
        "has no versioning configuration",
    ),
    (
        "public-access-block",
        "aws-s3-bucket-enable-public-access-block",
        {"publicAccessBlockConfiguration": {**FLAGS, "restrictPublicBuckets": False}},
        "leaves restrictPublicBuckets off",
    ),
    (
        "public-access-block-partial",
        "aws-s3-bucket-enable-public-access-block",
        {"publicAccessBlockConfiguration": {"blockPublicAcls": True}},
        "leaves blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets off",
    ),
    (
        "public-access-block-declared",
        "aws-s3-bucket-declare-public-access-block",
        {"publicAccessBlockConfiguration": DELETE},
        "has no public access block",
    ),
]


def bucket_stack(bucket_props, policy_document=TLS_ONLY):
    return [
        Res("aws-native:s3:Bucket", "audit", bucket_props),
        Res(
            "aws-native:s3:BucketPolicy",
            "audit-policy",
            {"bucket": "audit-logs", "policyDocument": policy_document},
            {"bucket": ("audit",)},
        ),
    ]


@pytest.mark.parametrize(("policy", "changes", "expected"), [pytest.param(*c[1:], id=c[0]) for c in S3_CASES])
def test_a_bucket_is_judged_by_its_inline_settings(policy, changes, expected):
    assert run_stack(policy, bucket_stack(BUCKET)).violations == []
    outcome = run_stack(policy, bucket_stack(changed(BUCKET, **changes)))
    assert [expected in v for v in outcome.violations] == [True], outcome.violations
    assert outcome.urns == [urn_of("aws-native:s3:Bucket", "audit")]


def test_a_separate_pulumi_aws_setting_counts_for_an_aws_native_bucket():
    block = Res(
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "block",
        {"bucket": UNKNOWN, **FLAGS},
        {"bucket": ("audit",)},
    )
    stack = [Res("aws-native:s3:Bucket", "audit", changed(BUCKET, publicAccessBlockConfiguration=DELETE)), block]
    assert run_stack("aws-s3-bucket-declare-public-access-block", stack).violations == []


@pytest.mark.parametrize(
    ("policy", "changes", "named"),
    [
        pytest.param(
            "aws-s3-bucket-configure-kms-encryption", {"bucketEncryption": UNKNOWN}, "encryption", id="encryption"
        ),
        pytest.param(
            "aws-s3-bucket-enable-versioning",
            {"versioningConfiguration": {"status": UNKNOWN}},
            "versioning",
            id="versioning",
        ),
        pytest.param(
            "aws-s3-bucket-enable-public-access-block",
            {"publicAccessBlockConfiguration": UNKNOWN},
            "public access block",
            id="public-access-block",
        ),
    ],
)
def test_an_unknown_inline_setting_is_unchecked(policy, changes, named):
    outcome = run_stack(policy, bucket_stack(changed(BUCKET, **changes)))
    assert outcome.violations == []
    assert outcome.unchecked and named in outcome.unchecked


def test_a_bucket_policy_is_judged_for_tls_and_public_access():
    assert run_stack("aws-s3-bucket-require-tls-requests", bucket_stack(BUCKET)).violations == []
    without = run_stack("aws-s3-bucket-require-tls-requests", bucket_stack(BUCKET, ACCOUNT_ONLY))
    assert ["does not deny requests made without TLS" in v for v in without.violations] == [True]
    public = run_resource(
        "aws-s3-bucketpolicy-disallow-public-access",
        "aws-native:s3:BucketPolicy",
        {"bucket": "b", "policyDocument": PUBLIC},
    )
    assert ["statement Anyone lets in any principal" in v for v in public.violations] == [True]


ALARM = {
    "alarmName": "fn-errors",
    "alarmActions": [TOPIC_ARN],
    "namespace": "AWS/Lambda",
    "metricName": "Errors",
    "dimensions": [{"name": "FunctionName", "value": "fn"}],
    "comparisonOperator": "GreaterThanThreshold",
    "threshold": 0,
    "evaluationPeriods": 1,
    "period": 60,
    "statistic": "Sum",
}
MATH_ALARM = changed(
    ALARM,
    namespace=DELETE,
    metricName=DELETE,
    dimensions=DELETE,
    period=DELETE,
    statistic=DELETE,
    metrics=[
        {
            "id": "e",
            "metricStat": {
                "metric": {
                    "namespace": "AWS/Lambda",
                    "metricName": "Errors",
                    "dimensions": [{"name": "FunctionName", "value": "fn"}],
                },
                "period": 60,
                "stat": "Sum",
            },
            "returnData": False,
        },
        {"id": "rate", "expression": "e / 10", "returnData": True},
    ],
)


@pytest.mark.parametrize("alarm", [pytest.param(ALARM, id="metric"), pytest.param(MATH_ALARM, id="metric-math")])
def test_every_aws_native_function_needs_an_errors_alarm(alarm):
    function = Res("aws-native:lambda:Function", "fn", FUNCTION)
    assert (
        run_stack(
            "aws-lambda-function-monitor-errors", [function, Res("aws-native:cloudwatch:Alarm", "a", alarm)]
        ).violations
        == []
    )
    throttles = run_stack(
        "aws-lambda-function-monitor-errors",
        [function, Res("aws-native:cloudwatch:Alarm", "a", changed(ALARM, metricName="Throttles"))],
    )
    assert throttles.violations == [
        "Lambda function 'fn' has no Errors alarm; add one (AWS/Lambda Errors, FunctionName dimension) to the alerting topic."
    ]
    assert throttles.urns == [urn_of("aws-native:lambda:Function", "fn")]


def test_an_alarm_on_a_function_name_unknown_until_deploy_counts_by_its_dependency():
    function = Res("aws-native:lambda:Function", "fn", changed(FUNCTION, functionName=DELETE))
    alarm = Res(
        "aws-native:cloudwatch:Alarm",
        "a",
        changed(ALARM, dimensions=[{"name": "FunctionName", "value": UNKNOWN}]),
        {"dimensions": ("fn",)},
    )
    outcome = run_stack("aws-lambda-function-monitor-errors", [function, alarm])
    assert (outcome.violations, outcome.unchecked) == ([], None)


def test_an_alarm_without_actions_notifies_nobody():
    outcome = run_stack(
        "aws-cloudwatch-alarm-configure-actions",
        [Res("aws-native:cloudwatch:Alarm", "a", changed(ALARM, alarmActions=[]))],
    )
    assert any("no alarmActions" in v for v in outcome.violations), outcome.violations
    assert (
        run_stack("aws-cloudwatch-alarm-configure-actions", [Res("aws-native:cloudwatch:Alarm", "a", ALARM)]).violations
        == []
    )


def test_image_scanning_is_read_from_the_repository():
    good = run_stack("aws-ecr-repository-enable-image-scanning", [Res("aws-native:ecr:Repository", "r", REPOSITORY)])
    assert good.violations == []
    off = run_stack(
        "aws-ecr-repository-enable-image-scanning",
        [Res("aws-native:ecr:Repository", "r", changed(REPOSITORY, imageScanningConfiguration={"scanOnPush": False}))],
    )
    assert len(off.violations) == 1 and off.urns == [urn_of("aws-native:ecr:Repository", "r")]


RECORDER = {
    "name": "default",
    "roleArn": ROLE_ARN,
    "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
}
CHANNEL = {"s3BucketName": "config", "s3KmsKeyArn": KEY_ARN}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param({"startedOnCreate": False}, "is stopped; set startedOnCreate true", id="stopped"),
        pytest.param(
            {"recordingGroup": {"allSupported": False, "includeGlobalResourceTypes": True}},
            "recordingGroup.allSupported is False",
            id="some-types",
        ),
        pytest.param(
            {"recordingGroup": {"allSupported": True}}, "includeGlobalResourceTypes is not set", id="no-global-types"
        ),
    ],
)
def test_an_aws_native_recorder_counts_and_is_judged(changes, expected):
    channel = Res("aws-native:configuration:DeliveryChannel", "channel", CHANNEL)
    policy = "aws-cfg-recorder-record-all-resources"
    assert (
        run_stack(policy, [Res("aws-native:configuration:ConfigurationRecorder", "rec", RECORDER), channel]).violations
        == []
    )
    outcome = run_stack(
        policy, [Res("aws-native:configuration:ConfigurationRecorder", "rec", changed(RECORDER, **changes)), channel]
    )
    assert [expected in v for v in outcome.violations] == [True], outcome.violations


SECRET = Res("aws-native:secretsmanager:Secret", "s", {"name": "db", "kmsKeyId": KEY_ARN})


def rotation(days):
    props = {
        "secretId": UNKNOWN,
        "rotationLambdaArn": "arn:aws:lambda:us-east-1:111122223333:function:rotate",
        "rotationRules": {"automaticallyAfterDays": days},
    }
    return Res("aws-native:secretsmanager:RotationSchedule", "s-rotation", props, {"secretId": ("s",)})


def test_an_aws_native_secret_rotates_by_its_rotation_schedule():
    policy = "aws-secretsmanager-secret-enable-rotation"
    assert run_stack(policy, [SECRET, rotation(30)]).violations == []
    assert len(run_stack(policy, [SECRET, rotation(400)]).violations) == 1
    assert [v.startswith("Secret 's' has no rotation") for v in run_stack(policy, [SECRET]).violations] == [True]


def test_required_tags_are_read_from_the_tag_list():
    config = {"requiredTags": {"team": []}}
    policy = "aws-tagging-resource-require-tags"
    assert run_resource(policy, "aws-native:logs:LogGroup", LOG_GROUP, config).violations == []
    assert run_resource(policy, "aws-native:logs:LogGroup", changed(LOG_GROUP, tags=DELETE), config).violations == [
        "Resource has no team tag; required: team."
    ]
    unknown = run_resource(
        policy, "aws-native:logs:LogGroup", changed(LOG_GROUP, tags=[{"key": "team", "value": UNKNOWN}]), config
    )
    assert unknown.violations == [] and "tags.team" in (unknown.unchecked or "")


@pytest.mark.parametrize("key_type", ["aws-native:kms:Key", "aws-native:kms:Alias", "aws:kms/key:Key"])
def test_a_first_preview_resolves_a_key_of_the_stack_in_either_provider(key_type):
    key = Res(key_type, "key", KEY if key_type == "aws-native:kms:Key" else {})
    group = Res("aws-native:logs:LogGroup", "group", changed(LOG_GROUP, kmsKeyId=UNKNOWN), {"kmsKeyId": ("key",)})
    outcome = run_resource("aws-cloudwatch-loggroup-configure-kms-key", "aws-native:logs:LogGroup", group.props)
    assert outcome.unchecked == "r: kmsKeyId can't be known during preview"
    resolved = run_stack("aws-cloudwatch-loggroup-configure-kms-key", [key, group])
    assert (resolved.violations, resolved.unchecked) == ([], None)


def test_every_view_judges_types_some_guardrail_judges_or_references():
    judged = {t for g in CATALOG for t in g.resource_types} | set(STACK_KEYS)
    for view in VIEWS.values():
        assert set(view.judged_as) <= judged, view.type
    assert all(types_judged_with([t])[1:] for t in ("aws:s3/bucket:Bucket", "aws:iam/role:Role"))


ROOT_USAGE = '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}'


def test_cis_alarms_count_an_aws_native_trail_filter_and_alarm():
    trail = Res("aws-native:cloudtrail:Trail", "trail", TRAIL)
    group = Res("aws-native:logs:LogGroup", "trail-group", changed(LOG_GROUP, logGroupName="trail"))
    metric_filter = Res(
        "aws-native:logs:MetricFilter",
        "root-usage",
        {
            "logGroupName": "trail",
            "filterPattern": ROOT_USAGE,
            "metricTransformations": [{"metricName": "RootUsage", "metricNamespace": "CIS", "metricValue": "1"}],
        },
    )
    alarm = Res(
        "aws-native:cloudwatch:Alarm",
        "root-usage-alarm",
        changed(ALARM, metricName="RootUsage", namespace="CIS", dimensions=DELETE),
    )
    policy = "aws-cloudtrail-trail-configure-cis-metric-alarms"
    watched = run_stack(policy, [trail, group, metric_filter, alarm]).violations
    assert not [v for v in watched if v.startswith("CloudWatch.1 ")] and watched, watched
    silent = run_stack(
        policy, [trail, group, metric_filter, Res(alarm.type, alarm.name, changed(alarm.props, alarmActions=[]))]
    )
    assert [v for v in silent.violations if v.startswith("CloudWatch.1 ")], silent.violations


@pytest.mark.parametrize(
    ("type_", "props", "expected"),
    [
        pytest.param("rds:DBInstance", DB_INSTANCE, None, id="private-instance"),
        pytest.param(
            "rds:DBInstance",
            changed(DB_INSTANCE, publiclyAccessible=True),
            "RDS DB instance publiclyAccessible is True",
            id="public-instance",
        ),
        pytest.param(
            "rds:DBInstance",
            changed(DB_INSTANCE, publiclyAccessible=True, dbClusterIdentifier="orders"),
            "RDS cluster instance publiclyAccessible is True",
            id="public-aurora-member",
        ),
        pytest.param(
            "rds:DBCluster",
            changed(DB_CLUSTER, engine="postgres", dbSubnetGroupName="default"),
            "dbSubnetGroupName is 'default', so RDS makes it public",
            id="multi-az-cluster-in-default-subnets",
        ),
    ],
)
def test_rds_public_access_reads_either_kind_of_db_instance(type_, props, expected):
    outcome = run_stack("aws-rds-instance-disallow-public-access", [Res(native(type_), "r", props)])
    if expected is None:
        assert outcome.violations == []
    else:
        assert len(outcome.violations) == 1 and expected in outcome.violations[0], outcome.violations
        assert outcome.urns == [urn_of(native(type_), "r")]


ADMIN_PORTS = "aws-ec2-securitygroup-disallow-public-admin-ports"
HTTPS_FROM_ANYWHERE = {"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIp": "0.0.0.0/0"}
GROUP = {"groupDescription": "web", "vpcId": "vpc-1", "securityGroupIngress": [HTTPS_FROM_ANYWHERE]}
SSH = {"fromPort": 22, "toPort": 22}


@pytest.mark.parametrize(
    ("type_", "props", "expected"),
    [
        pytest.param("ec2:SecurityGroup", GROUP, None, id="https-from-anywhere"),
        pytest.param(
            "ec2:SecurityGroup",
            {**GROUP, "securityGroupIngress": [HTTPS_FROM_ANYWHERE, changed(HTTPS_FROM_ANYWHERE, **SSH)]},
            "securityGroupIngress[1] lets 0.0.0.0/0 reach port 22 (SSH) over tcp",
            id="ssh-from-anywhere",
        ),
        pytest.param(
            "ec2:SecurityGroup",
            {**GROUP, "securityGroupIngress": [{"ipProtocol": "-1", "cidrIpv6": "::/0"}]},
            "reach every port over every protocol",
            id="everything-over-ipv6",
        ),
        pytest.param(
            "ec2:SecurityGroup",
            {
                **GROUP,
                "securityGroupIngress": [
                    changed(HTTPS_FROM_ANYWHERE, cidrIp=DELETE, sourceSecurityGroupId="sg-1", **SSH)
                ],
            },
            None,
            id="ssh-from-a-group",
        ),
        pytest.param(
            "ec2:SecurityGroupIngress",
            {"groupId": "sg-1", "ipProtocol": "tcp", "fromPort": 3389, "toPort": 3389, "cidrIp": "0.0.0.0/0"},
            "reach port 3389 (RDP)",
            id="standalone-rdp-rule",
        ),
        pytest.param(
            "ec2:SecurityGroupIngress",
            {"groupId": "sg-1", "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "sourcePrefixListId": "pl-1"},
            None,
            id="standalone-ssh-from-a-prefix-list",
        ),
    ],
)
def test_aws_native_security_groups_are_judged_by_their_ingress(type_, props, expected):
    outcome = run_resource(ADMIN_PORTS, native(type_), props)
    if expected is None:
        assert outcome.violations == []
    else:
        assert len(outcome.violations) == 1 and expected in outcome.violations[0], outcome.violations


IMDSV2 = "aws-ec2-instance-require-imdsv2"
REQUIRED = {"httpTokens": "required"}


@pytest.mark.parametrize(
    ("resources", "expected"),
    [
        pytest.param(
            [Res(native("ec2:Instance"), "vm", {"imageId": "ami-1", "metadataOptions": REQUIRED})],
            None,
            id="instance-requires",
        ),
        pytest.param(
            [Res(native("ec2:Instance"), "vm", {"imageId": "ami-1"})],
            "EC2 instance 'vm' metadataOptions.httpTokens is not set",
            id="instance-leaves-it-to-the-ami",
        ),
        pytest.param(
            [
                Res(
                    native("ec2:LaunchTemplate"),
                    "lt",
                    {
                        "launchTemplateName": "web",
                        "launchTemplateData": {"metadataOptions": {"httpTokens": "optional"}},
                    },
                )
            ],
            "launchTemplateData.metadataOptions.httpTokens is 'optional'",
            id="template-allows-imdsv1",
        ),
        pytest.param(
            [
                Res(
                    native("ec2:LaunchTemplate"),
                    "lt",
                    {"launchTemplateName": "web", "launchTemplateData": {"metadataOptions": REQUIRED}},
                ),
                Res(native("ec2:Instance"), "vm", {"launchTemplate": {"launchTemplateName": "web", "version": "1"}}),
            ],
            None,
            id="instance-from-a-template-that-requires",
        ),
        pytest.param(
            [
                Res(
                    native("ec2:Instance"),
                    "vm",
                    {"launchTemplate": {"launchTemplateName": "elsewhere", "version": "1"}},
                )
            ],
            "launch template 'elsewhere', which this stack does not declare",
            id="instance-from-a-template-elsewhere",
        ),
    ],
)
def test_aws_native_instances_and_templates_require_imdsv2(resources, expected):
    outcome = run_stack(IMDSV2, resources)
    if expected is None:
        assert outcome.violations == [] and outcome.unchecked is None
    else:
        assert len(outcome.violations) == 1 and expected in outcome.violations[0], outcome.violations
