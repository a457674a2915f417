"""Every resource guardrail: a compliant baseline, then one changed field per case.

Cases cover wrong values, missing blocks, wrong types, floats (the wire form) and unknown values
(the SDK's preview path), and check that a known-wrong value still fails next to an unknown one.
"""

from __future__ import annotations

import pytest

from policies.guardrails import tokens as t
from tests.policies.harness import DELETE, UNKNOWN, changed, run_resource

KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:ops-dev-alerts"

BASELINES = {
    "aws-cloudwatch-loggroup-configure-retention": (
        t.LOG_GROUP,
        {"name": "/aws/lambda/fn", "retentionInDays": 14.0, "kmsKeyId": KEY_ARN},
    ),
    "aws-cloudwatch-loggroup-configure-kms-key": (
        t.LOG_GROUP,
        {"name": "/aws/lambda/fn", "retentionInDays": 14.0, "kmsKeyId": KEY_ARN},
    ),
    "aws-ecr-repository-disallow-mutable-tags": (t.ECR_REPOSITORY, {"name": "app", "imageTagMutability": "IMMUTABLE"}),
    "aws-ecr-repository-configure-kms-encryption": (
        t.ECR_REPOSITORY,
        {"name": "app", "encryptionConfigurations": [{"encryptionType": "KMS", "kmsKey": KEY_ARN}]},
    ),
    "aws-sns-topic-configure-kms-key": (t.SNS_TOPIC, {"name": "alerts", "kmsMasterKeyId": KEY_ARN}),
    "aws-sns-topicpolicy-disallow-public-access": (
        t.SNS_TOPIC_POLICY,
        {
            "arn": TOPIC_ARN,
            "policy": '{"Statement": [{"Sid": "Alarms", "Effect": "Allow", "Principal": {"Service": "cloudwatch.amazonaws.com"}, "Action": "sns:Publish", "Resource": "*"}]}',
        },
    ),
    "aws-sqs-queue-configure-encryption": (t.SQS_QUEUE, {"name": "dlq", "kmsMasterKeyId": KEY_ARN}),
    "aws-secretsmanager-secret-configure-customer-managed-key": (t.SECRET, {"name": "jwt", "kmsKeyId": KEY_ARN}),
    "aws-kms-key-enable-key-rotation": (t.KMS_KEY, {"enableKeyRotation": True, "deletionWindowInDays": 30.0}),
    "aws-kms-key-disallow-bypass-policy-lockout-safety-check": (t.KMS_KEY, {"enableKeyRotation": True}),
    "aws-xray-encryptionconfig-configure-kms-key": (t.XRAY_ENCRYPTION, {"type": "KMS", "keyId": KEY_ARN}),
    "aws-cfg-deliverychannel-configure-kms-key": (
        t.CONFIG_DELIVERY_CHANNEL,
        {"s3BucketName": "config", "s3KmsKeyArn": KEY_ARN},
    ),
    "aws-cloudtrail-trail-enable-multi-region": (
        t.TRAIL,
        {"isMultiRegionTrail": True, "includeGlobalServiceEvents": True},
    ),
    "aws-cloudtrail-trail-enable-log-file-validation": (t.TRAIL, {"enableLogFileValidation": True}),
    "aws-cloudtrail-trail-configure-kms-key": (t.TRAIL, {"kmsKeyId": KEY_ARN}),
    "aws-cloudtrail-trail-enable-cloudwatch-logs": (
        t.TRAIL,
        {
            "cloudWatchLogsGroupArn": "arn:aws:logs:eu-west-1:123456789012:log-group:trail:*",
            "cloudWatchLogsRoleArn": "arn:aws:iam::123456789012:role/trail",
        },
    ),
    "aws-cloudtrail-trail-enable-logging": (t.TRAIL, {"enableLogging": True}),
    "aws-lambda-function-enable-active-tracing": (
        t.LAMBDA_FUNCTION,
        {"name": "fn", "tracingConfig": {"mode": "Active"}},
    ),
    "aws-lambda-function-configure-environment-kms-key": (
        t.LAMBDA_FUNCTION,
        {"name": "fn", "environment": {"variables": {"STAGE": "dev"}}, "kmsKeyArn": KEY_ARN},
    ),
    "aws-apigateway-stage-enable-access-logging": (
        t.APIGATEWAYV2_STAGE,
        {
            "name": "$default",
            "accessLogSettings": {
                "destinationArn": "arn:aws:logs:eu-west-1:123456789012:log-group:api",
                "format": '{"requestId":"$context.requestId"}',
            },
        },
    ),
}

# (policy, case id, changes to the baseline, policy config, expected message part or None for a pass)
CASES = [
    (
        "aws-cloudwatch-loggroup-configure-retention",
        "thirteen-days-not-a-cloudwatch-value",
        {"retentionInDays": 13.0},
        {},
        "13 is not a value CloudWatch Logs accepts",
    ),
    (
        "aws-cloudwatch-loggroup-configure-retention",
        "below-minimum",
        {"retentionInDays": 7.0},
        {"minRetentionDays": 365},
        "7 is outside the allowed 365–3653 days",
    ),
    (
        "aws-cloudwatch-loggroup-configure-retention",
        "above-maximum",
        {"retentionInDays": 731.0},
        {"maxRetentionDays": 365},
        "731 is outside the allowed 1–365 days",
    ),
    (
        "aws-cloudwatch-loggroup-configure-retention",
        "missing-means-never-expire",
        {"retentionInDays": DELETE},
        {},
        "not set (never expire)",
    ),
    (
        "aws-cloudwatch-loggroup-configure-retention",
        "zero-is-never-expire",
        {"retentionInDays": 0.0},
        {},
        "never expire",
    ),
    (
        "aws-cloudwatch-loggroup-configure-retention",
        "never-expire-allowed",
        {"retentionInDays": 0.0},
        {"allowNeverExpire": True},
        None,
    ),
    (
        "aws-cloudwatch-loggroup-configure-retention",
        "string-type",
        {"retentionInDays": "14"},
        {},
        "'14' is not a value",
    ),
    ("aws-cloudwatch-loggroup-configure-retention", "integer-still-fine", {"retentionInDays": 14}, {}, None),
    ("aws-cloudwatch-loggroup-configure-kms-key", "no-key", {"kmsKeyId": DELETE}, {}, "no kmsKeyId"),
    ("aws-cloudwatch-loggroup-configure-kms-key", "empty-key", {"kmsKeyId": ""}, {}, "no kmsKeyId"),
    (
        "aws-ecr-repository-disallow-mutable-tags",
        "mutable",
        {"imageTagMutability": "MUTABLE"},
        {},
        "'MUTABLE'; set it to IMMUTABLE",
    ),
    (
        "aws-ecr-repository-disallow-mutable-tags",
        "default-is-mutable",
        {"imageTagMutability": DELETE},
        {},
        "MUTABLE (the default)",
    ),
    (
        "aws-ecr-repository-disallow-mutable-tags",
        "immutable-with-exclusion",
        {"imageTagMutability": "IMMUTABLE_WITH_EXCLUSION"},
        {},
        None,
    ),
    (
        "aws-ecr-repository-configure-kms-encryption",
        "default-aes",
        {"encryptionConfigurations": DELETE},
        {},
        "AES256 (the default)",
    ),
    (
        "aws-ecr-repository-configure-kms-encryption",
        "explicit-aes",
        {"encryptionConfigurations": [{"encryptionType": "AES256"}]},
        {},
        "'AES256'",
    ),
    (
        "aws-ecr-repository-configure-kms-encryption",
        "aws-managed-key",
        {"encryptionConfigurations": [{"encryptionType": "KMS"}]},
        {},
        "AWS managed key",
    ),
    (
        "aws-ecr-repository-configure-kms-encryption",
        "aws-managed-key-allowed",
        {"encryptionConfigurations": [{"encryptionType": "KMS"}]},
        {"requireCustomerManagedKey": False},
        None,
    ),
    ("aws-sns-topic-configure-kms-key", "unencrypted", {"kmsMasterKeyId": DELETE}, {}, "no kmsMasterKeyId"),
    (
        "aws-sns-topic-configure-kms-key",
        "aws-managed",
        {"kmsMasterKeyId": "alias/aws/sns"},
        {},
        "AWS managed key alias/aws/sns",
    ),
    (
        "aws-sns-topic-configure-kms-key",
        "aws-managed-allowed",
        {"kmsMasterKeyId": "alias/aws/sns"},
        {"allowAwsManagedKey": True},
        None,
    ),
    (
        "aws-sns-topicpolicy-disallow-public-access",
        "wildcard-principal",
        {"policy": '{"Statement": [{"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": "sns:Publish"}]}'},
        {},
        "statement Open allows any principal",
    ),
    (
        "aws-sns-topicpolicy-disallow-public-access",
        "wildcard-aws-principal",
        {"policy": '{"Statement": {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sns:Subscribe"}}'},
        {},
        "statement #0 allows any principal",
    ),
    (
        "aws-sns-topicpolicy-disallow-public-access",
        "wildcard-with-condition",
        {
            "policy": '{"Statement": [{"Effect": "Allow", "Principal": "*", "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}}]}'
        },
        {},
        None,
    ),
    ("aws-sns-topicpolicy-disallow-public-access", "not-json", {"policy": "{oops"}, {}, "not valid JSON"),
    ("aws-sqs-queue-configure-encryption", "unencrypted", {"kmsMasterKeyId": DELETE}, {}, "no kmsMasterKeyId"),
    (
        "aws-sqs-queue-configure-encryption",
        "sqs-managed-not-allowed",
        {"kmsMasterKeyId": DELETE, "sqsManagedSseEnabled": True},
        {},
        "no kmsMasterKeyId",
    ),
    (
        "aws-sqs-queue-configure-encryption",
        "sqs-managed-allowed",
        {"kmsMasterKeyId": DELETE, "sqsManagedSseEnabled": True},
        {"allowSqsManagedEncryption": True},
        None,
    ),
    ("aws-sqs-queue-configure-encryption", "aws-managed-key", {"kmsMasterKeyId": "alias/aws/sqs"}, {}, "alias/aws/sqs"),
    (
        "aws-secretsmanager-secret-configure-customer-managed-key",
        "default-key",
        {"kmsKeyId": DELETE},
        {},
        "aws/secretsmanager",
    ),
    (
        "aws-secretsmanager-secret-configure-customer-managed-key",
        "aws-alias",
        {"kmsKeyId": "alias/aws/secretsmanager"},
        {},
        "AWS managed key alias/aws/secretsmanager",
    ),
    ("aws-kms-key-enable-key-rotation", "no-rotation", {"enableKeyRotation": False}, {}, "does not rotate"),
    ("aws-kms-key-enable-key-rotation", "rotation-unset", {"enableKeyRotation": DELETE}, {}, "does not rotate"),
    (
        "aws-kms-key-enable-key-rotation",
        "asymmetric-cannot-rotate",
        {"enableKeyRotation": DELETE, "customerMasterKeySpec": "RSA_2048"},
        {},
        None,
    ),
    (
        "aws-kms-key-disallow-bypass-policy-lockout-safety-check",
        "bypass",
        {"bypassPolicyLockoutSafetyCheck": True},
        {},
        "bypassPolicyLockoutSafetyCheck",
    ),
    (
        "aws-kms-key-disallow-bypass-policy-lockout-safety-check",
        "explicit-false",
        {"bypassPolicyLockoutSafetyCheck": False},
        {},
        None,
    ),
    (
        "aws-xray-encryptionconfig-configure-kms-key",
        "default-encryption",
        {"type": "NONE", "keyId": DELETE},
        {},
        "type is 'NONE'",
    ),
    ("aws-xray-encryptionconfig-configure-kms-key", "kms-without-key", {"keyId": DELETE}, {}, "keyId is not set"),
    ("aws-cfg-deliverychannel-configure-kms-key", "no-key", {"s3KmsKeyArn": DELETE}, {}, "no s3KmsKeyArn"),
    (
        "aws-cloudtrail-trail-enable-multi-region",
        "single-region",
        {"isMultiRegionTrail": False},
        {},
        "isMultiRegionTrail is False",
    ),
    (
        "aws-cloudtrail-trail-enable-multi-region",
        "region-unset",
        {"isMultiRegionTrail": DELETE},
        {},
        "isMultiRegionTrail is not set",
    ),
    (
        "aws-cloudtrail-trail-enable-multi-region",
        "no-global-events",
        {"includeGlobalServiceEvents": False},
        {},
        "includeGlobalServiceEvents is false",
    ),
    (
        "aws-cloudtrail-trail-enable-log-file-validation",
        "off",
        {"enableLogFileValidation": False},
        {},
        "enableLogFileValidation is False",
    ),
    (
        "aws-cloudtrail-trail-enable-log-file-validation",
        "string-true-is-not-true",
        {"enableLogFileValidation": "true"},
        {},
        "enableLogFileValidation is 'true'",
    ),
    ("aws-cloudtrail-trail-configure-kms-key", "no-key", {"kmsKeyId": DELETE}, {}, "no kmsKeyId"),
    (
        "aws-cloudtrail-trail-enable-cloudwatch-logs",
        "no-role",
        {"cloudWatchLogsRoleArn": DELETE},
        {},
        "cloudWatchLogsRoleArn not set",
    ),
    (
        "aws-cloudtrail-trail-enable-cloudwatch-logs",
        "no-delivery",
        {"cloudWatchLogsRoleArn": DELETE, "cloudWatchLogsGroupArn": DELETE},
        {},
        "cloudWatchLogsGroupArn, cloudWatchLogsRoleArn not set",
    ),
    ("aws-cloudtrail-trail-enable-logging", "stopped", {"enableLogging": False}, {}, "enableLogging false"),
    ("aws-cloudtrail-trail-enable-logging", "default-on", {"enableLogging": DELETE}, {}, None),
    (
        "aws-lambda-function-enable-active-tracing",
        "pass-through",
        {"tracingConfig": {"mode": "PassThrough"}},
        {},
        "'PassThrough'; set it to Active",
    ),
    (
        "aws-lambda-function-enable-active-tracing",
        "missing-block",
        {"tracingConfig": DELETE},
        {},
        "not set (PassThrough)",
    ),
    (
        "aws-lambda-function-configure-environment-kms-key",
        "variables-without-key",
        {"kmsKeyArn": DELETE},
        {},
        "no kmsKeyArn",
    ),
    (
        "aws-lambda-function-configure-environment-kms-key",
        "no-variables-no-key",
        {"kmsKeyArn": DELETE, "environment": DELETE},
        {},
        None,
    ),
    (
        "aws-lambda-function-configure-environment-kms-key",
        "empty-variables",
        {"kmsKeyArn": DELETE, "environment": {"variables": {}}},
        {},
        None,
    ),
    (
        "aws-apigateway-stage-enable-access-logging",
        "no-access-logs",
        {"accessLogSettings": DELETE},
        {},
        "accessLogSettings.destinationArn, accessLogSettings.format not set",
    ),
    (
        "aws-apigateway-stage-enable-access-logging",
        "no-format",
        {"accessLogSettings": {"destinationArn": "arn:aws:logs:eu-west-1:123456789012:log-group:api"}},
        {},
        "accessLogSettings.format not set",
    ),
]


@pytest.mark.parametrize("policy", sorted(BASELINES))
def test_baseline_is_compliant(policy):
    type_, props = BASELINES[policy]
    outcome = run_resource(policy, type_, props)
    assert outcome.violations == [] and outcome.unchecked is None


@pytest.mark.parametrize(
    ("policy", "changes", "config", "expected"),
    [pytest.param(p, ch, cfg, exp, id=f"{p}:{cid}") for p, cid, ch, cfg, exp in CASES],
)
def test_one_change(policy, changes, config, expected):
    type_, props = BASELINES[policy]
    outcome = run_resource(policy, type_, changed(props, **changes), config)
    if expected is None:
        assert outcome.violations == [], outcome.violations
    else:
        assert len(outcome.violations) == 1 and expected in outcome.violations[0], outcome.violations


@pytest.mark.parametrize("policy", sorted(BASELINES))
def test_other_resource_types_are_ignored(policy):
    assert run_resource(policy, "aws:s3/bucket:Bucket", {"bucket": "x"}).violations == []


UNKNOWN_CASES = [
    ("aws-cloudwatch-loggroup-configure-kms-key", {"kmsKeyId": UNKNOWN}),
    ("aws-cloudwatch-loggroup-configure-retention", {"retentionInDays": UNKNOWN}),
    ("aws-sns-topic-configure-kms-key", {"kmsMasterKeyId": UNKNOWN}),
    ("aws-sns-topicpolicy-disallow-public-access", {"policy": UNKNOWN}),
    ("aws-cloudtrail-trail-configure-kms-key", {"kmsKeyId": UNKNOWN}),
    ("aws-lambda-function-configure-environment-kms-key", {"kmsKeyArn": UNKNOWN}),
    (
        "aws-ecr-repository-configure-kms-encryption",
        {"encryptionConfigurations": [{"encryptionType": "KMS", "kmsKey": UNKNOWN}]},
    ),
]


@pytest.mark.parametrize(("policy", "changes"), [pytest.param(p, c, id=p) for p, c in UNKNOWN_CASES])
def test_unknown_values_take_the_sdk_preview_path(policy, changes):
    type_, props = BASELINES[policy]
    outcome = run_resource(policy, type_, changed(props, **changes))
    assert outcome.violations == []
    assert "can't be known during preview" in outcome.unchecked


def test_trail_unknown_multi_region_flag_is_unchecked_not_violated():
    outcome = run_resource("aws-cloudtrail-trail-enable-multi-region", t.TRAIL, {"isMultiRegionTrail": UNKNOWN})
    assert outcome.violations == []
    assert "isMultiRegionTrail can't be known during preview" in outcome.unchecked


def test_retention_remediation_fills_only_a_missing_value():
    from policies.guardrails.catalog import BY_NAME

    guardrail = BY_NAME["aws-cloudwatch-loggroup-configure-retention"]
    config = guardrail.config({"defaultRetentionDays": 30})
    assert guardrail.remediate({"name": "/aws/lambda/fn"}, config) == {"name": "/aws/lambda/fn", "retentionInDays": 30}
    assert guardrail.remediate({"name": "/aws/lambda/fn", "retentionInDays": 13.0}, config) is None
