"""Every resource guardrail: a compliant baseline, then one changed field per case.

Cases cover wrong values, missing blocks, wrong types, floats (the wire form) and unknown values
(the SDK's preview path), and check that a known-wrong value still fails next to an unknown one.
"""

from __future__ import annotations

import pytest

from policies.guardrails.vocabulary import tokens as t
from tests.policies.harness import DELETE, UNKNOWN, changed, run_resource

KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:ops-dev-alerts"

BASELINES = {
    "aws-cloudwatch-loggroup-configure-retention": (
        t.LOG_GROUP,
        {"name": "/aws/lambda/fn", "retentionInDays": 365.0, "kmsKeyId": KEY_ARN},
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
            "policy": '{"Statement": [{"Sid": "Alarms", "Effect": "Allow", "Principal": {"Service": "cloudwatch.amazonaws.com"}, "Action": "sns:Publish", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}}]}',
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
    "aws-sns-topicsubscription-disallow-http": (
        t.SNS_SUBSCRIPTION,
        {"topic": TOPIC_ARN, "protocol": "https", "endpoint": "https://hooks.example.com/sns"},
    ),
    "aws-lambda-functionurl-require-authentication": (
        t.LAMBDA_FUNCTION_URL,
        {"functionName": "fn", "authorizationType": "AWS_IAM"},
    ),
    "aws-apigateway-stage-enable-xray-tracing": (
        t.APIGATEWAY_STAGE,
        {"restApi": "a1b2c3", "stageName": "prod", "deployment": "d1", "xrayTracingEnabled": True},
    ),
}

# (policy, case id, changes to the baseline, policy config, expected message part or None for a pass)
CASES = [
    (
        "aws-sns-topicsubscription-disallow-http",
        "plain-http",
        {"protocol": "http", "endpoint": "http://hooks.example.com/sns"},
        {},
        "protocol is 'http'",
    ),
    ("aws-sns-topicsubscription-disallow-http", "upper-case-http", {"protocol": "HTTP"}, {}, "protocol is 'http'"),
    (
        "aws-sns-topicsubscription-disallow-http",
        "email",
        {"protocol": "email", "endpoint": "ops@example.com"},
        {},
        None,
    ),
    ("aws-sns-topicsubscription-disallow-http", "protocol-unknown", {"protocol": UNKNOWN}, {}, None),
    (
        "aws-lambda-functionurl-require-authentication",
        "no-auth",
        {"authorizationType": "NONE"},
        {},
        "authorizationType is 'NONE'",
    ),
    ("aws-lambda-functionurl-require-authentication", "auth-unknown", {"authorizationType": UNKNOWN}, {}, None),
    (
        "aws-apigateway-stage-enable-xray-tracing",
        "off",
        {"xrayTracingEnabled": False},
        {},
        "xrayTracingEnabled is False",
    ),
    (
        "aws-apigateway-stage-enable-xray-tracing",
        "unset",
        {"xrayTracingEnabled": DELETE},
        {},
        "xrayTracingEnabled is not set",
    ),
    ("aws-apigateway-stage-enable-xray-tracing", "string-true", {"xrayTracingEnabled": "true"}, {}, None),
    (
        "aws-cloudwatch-loggroup-configure-retention",
        "thirteen-days-not-a-cloudwatch-value",
        {"retentionInDays": 13.0},
        {"minRetentionDays": 1},
        "13 is not a value CloudWatch Logs accepts",
    ),
    (
        "aws-cloudwatch-loggroup-configure-retention",
        "below-the-aws-default-minimum",
        {"retentionInDays": 14.0},
        {},
        "14 is outside the allowed 365–3653 days",
    ),
    (
        "aws-cloudwatch-loggroup-configure-retention",
        "dev-lower-bound",
        {"retentionInDays": 14.0},
        {"minRetentionDays": 1, "maxRetentionDays": 365},
        None,
    ),
    (
        "aws-cloudwatch-loggroup-configure-retention",
        "above-maximum",
        {"retentionInDays": 731.0},
        {"minRetentionDays": 1, "maxRetentionDays": 365},
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
        "0 (never expire)",
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
        "string-coerced-like-the-provider",
        {"retentionInDays": "365"},
        {},
        None,
    ),
    (
        "aws-cloudwatch-loggroup-configure-retention",
        "string-coerced-then-judged",
        {"retentionInDays": "14"},
        {},
        "14 is outside the allowed 365–3653 days",
    ),
    (
        "aws-cloudwatch-loggroup-configure-retention",
        "leading-zero-string",
        {"retentionInDays": "0365"},
        {},
        "'0365', which the provider cannot read as a whole number",
    ),
    (
        "aws-cloudwatch-loggroup-configure-retention",
        "words",
        {"retentionInDays": "a year"},
        {},
        "'a year', which the provider cannot read as a whole number",
    ),
    (
        "aws-cloudwatch-loggroup-configure-retention",
        "fraction",
        {"retentionInDays": 365.5},
        {},
        "365.5, which the provider cannot read as a whole number",
    ),
    (
        "aws-cloudwatch-loggroup-configure-retention",
        "boolean",
        {"retentionInDays": True},
        {},
        "True, which the provider cannot read as a whole number",
    ),
    ("aws-cloudwatch-loggroup-configure-retention", "integer-still-fine", {"retentionInDays": 365}, {}, None),
    (
        "aws-cloudwatch-loggroup-configure-kms-key",
        "no-key",
        {"kmsKeyId": DELETE},
        {},
        "not encrypted with KMS (kmsKeyId not set)",
    ),
    (
        "aws-cloudwatch-loggroup-configure-kms-key",
        "empty-key",
        {"kmsKeyId": ""},
        {},
        "not encrypted with KMS (kmsKeyId empty)",
    ),
    (
        "aws-cloudwatch-loggroup-configure-kms-key",
        "aws-managed-spelling",
        {"kmsKeyId": "alias/aws/logs"},
        {},
        "uses the AWS-managed key alias/aws/logs",
    ),
    (
        "aws-cloudwatch-loggroup-configure-kms-key",
        "not-a-key-reference",
        {"kmsKeyId": 42.0},
        {},
        "kmsKeyId is 42.0, which the provider cannot read as a KMS key id, key ARN or alias",
    ),
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
        "kms-without-key-is-aws-managed",
        {"encryptionConfigurations": [{"encryptionType": "KMS"}]},
        {},
        "uses the AWS-managed key aws/ecr (encryptionConfigurations[0].kmsKey not set)",
    ),
    (
        "aws-ecr-repository-configure-kms-encryption",
        "empty-key-is-aws-managed",
        {"encryptionConfigurations": [{"encryptionType": "KMS", "kmsKey": ""}]},
        {},
        "uses the AWS-managed key aws/ecr (encryptionConfigurations[0].kmsKey empty)",
    ),
    (
        "aws-ecr-repository-configure-kms-encryption",
        "dsse-with-customer-key",
        {"encryptionConfigurations": [{"encryptionType": "KMS_DSSE", "kmsKey": KEY_ARN}]},
        {},
        None,
    ),
    (
        "aws-ecr-repository-configure-kms-encryption",
        "dsse-without-key-is-aws-managed",
        {"encryptionConfigurations": [{"encryptionType": "KMS_DSSE"}]},
        {},
        "uses the AWS-managed key aws/ecr (encryptionConfigurations[0].kmsKey not set)",
    ),
    (
        "aws-ecr-repository-configure-kms-encryption",
        "dsse-with-aws-managed-alias",
        {"encryptionConfigurations": [{"encryptionType": "KMS_DSSE", "kmsKey": "alias/aws/ecr"}]},
        {},
        "uses the AWS-managed key alias/aws/ecr",
    ),
    (
        "aws-ecr-repository-configure-kms-encryption",
        "aws-managed-key-allowed",
        {"encryptionConfigurations": [{"encryptionType": "KMS"}]},
        {"allowAwsManagedKey": True},
        None,
    ),
    (
        "aws-sns-topic-configure-kms-key",
        "unencrypted",
        {"kmsMasterKeyId": DELETE},
        {},
        "SNS topic is not encrypted with KMS (kmsMasterKeyId not set); set kmsMasterKeyId to a customer-managed KMS key.",
    ),
    (
        "aws-sns-topic-configure-kms-key",
        "unencrypted-message-follows-the-parameter",
        {"kmsMasterKeyId": DELETE},
        {"allowAwsManagedKey": True},
        "set kmsMasterKeyId to a KMS key.",
    ),
    (
        "aws-sns-topic-configure-kms-key",
        "aws-managed",
        {"kmsMasterKeyId": "alias/aws/sns"},
        {},
        "uses the AWS-managed key alias/aws/sns",
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
        "statement Open lets in any principal ('*') without a condition that pins the caller",
    ),
    (
        "aws-sns-topicpolicy-disallow-public-access",
        "wildcard-aws-principal",
        {"policy": '{"Statement": {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sns:Subscribe"}}'},
        {},
        "statement #0 lets in any principal ('*')",
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
    (
        "aws-sns-topicpolicy-disallow-public-access",
        "service-without-condition-is-a-confused-deputy",
        {
            "policy": '{"Statement": [{"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sns:Publish"}]}'
        },
        {},
        "lets in any account's events.amazonaws.com",
    ),
    (
        "aws-sns-topicpolicy-disallow-public-access",
        "service-without-condition-allowed",
        {
            "policy": '{"Statement": [{"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sns:Publish"}]}'
        },
        {"allowUnscopedServicePrincipals": True},
        None,
    ),
    (
        "aws-sns-topicpolicy-disallow-public-access",
        "policy-as-an-object",
        {"policy": {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sns:Publish"}]}},
        {},
        "statement #0 lets in any principal ('*')",
    ),
    ("aws-sns-topicpolicy-disallow-public-access", "not-json", {"policy": "{oops"}, {}, "is not valid JSON"),
    ("aws-sns-topicpolicy-disallow-public-access", "not-an-object", {"policy": "[]"}, {}, "is a JSON list"),
    (
        "aws-sqs-queue-configure-encryption",
        "sqs-managed-not-allowed",
        {"kmsMasterKeyId": DELETE},
        {},
        "uses SQS-managed encryption (no kmsMasterKeyId)",
    ),
    (
        "aws-sqs-queue-configure-encryption",
        "unencrypted",
        {"kmsMasterKeyId": DELETE, "sqsManagedSseEnabled": False},
        {"allowSqsManagedEncryption": True},
        "is not encrypted at rest",
    ),
    (
        "aws-sqs-queue-configure-encryption",
        "sqs-managed-allowed",
        {"kmsMasterKeyId": DELETE, "sqsManagedSseEnabled": True},
        {"allowSqsManagedEncryption": True},
        None,
    ),
    (
        "aws-sqs-queue-configure-encryption",
        "sqs-managed-by-default-allowed",
        {"kmsMasterKeyId": DELETE},
        {"allowSqsManagedEncryption": True},
        None,
    ),
    ("aws-sqs-queue-configure-encryption", "aws-managed-key", {"kmsMasterKeyId": "alias/aws/sqs"}, {}, "alias/aws/sqs"),
    (
        "aws-secretsmanager-secret-configure-customer-managed-key",
        "default-key",
        {"kmsKeyId": DELETE},
        {},
        "uses the AWS-managed key aws/secretsmanager (kmsKeyId not set)",
    ),
    (
        "aws-secretsmanager-secret-configure-customer-managed-key",
        "aws-alias",
        {"kmsKeyId": "alias/aws/secretsmanager"},
        {},
        "uses the AWS-managed key alias/aws/secretsmanager",
    ),
    (
        "aws-secretsmanager-secret-configure-customer-managed-key",
        "aws-managed-allowed",
        {"kmsKeyId": DELETE},
        {"allowAwsManagedKey": True},
        None,
    ),
    ("aws-kms-key-enable-key-rotation", "no-rotation", {"enableKeyRotation": False}, {}, "enableKeyRotation is False"),
    (
        "aws-kms-key-enable-key-rotation",
        "rotation-unset",
        {"enableKeyRotation": DELETE},
        {},
        "enableKeyRotation is not set",
    ),
    ("aws-kms-key-enable-key-rotation", "string-true", {"enableKeyRotation": "true"}, {}, None),
    (
        "aws-kms-key-enable-key-rotation",
        "string-false",
        {"enableKeyRotation": "false"},
        {},
        "enableKeyRotation is False",
    ),
    (
        "aws-kms-key-enable-key-rotation",
        "yes-is-not-a-boolean",
        {"enableKeyRotation": "yes"},
        {},
        "'yes', which the provider cannot read as a boolean",
    ),
    (
        "aws-kms-key-enable-key-rotation",
        "asymmetric-cannot-rotate",
        {"enableKeyRotation": DELETE, "customerMasterKeySpec": "RSA_2048"},
        {},
        None,
    ),
    (
        "aws-kms-key-enable-key-rotation",
        "custom-key-store-cannot-rotate",
        {"enableKeyRotation": DELETE, "customKeyStoreId": "cks-1234567890abcdef0"},
        {},
        None,
    ),
    (
        "aws-kms-key-disallow-bypass-policy-lockout-safety-check",
        "bypass",
        {"bypassPolicyLockoutSafetyCheck": True},
        {},
        "bypassPolicyLockoutSafetyCheck is true",
    ),
    (
        "aws-kms-key-disallow-bypass-policy-lockout-safety-check",
        "bypass-as-string",
        {"bypassPolicyLockoutSafetyCheck": "true"},
        {},
        "bypassPolicyLockoutSafetyCheck is true",
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
    (
        "aws-xray-encryptionconfig-configure-kms-key",
        "kms-without-key-is-aws-managed",
        {"keyId": DELETE},
        {},
        "uses the AWS-managed key aws/xray (keyId not set)",
    ),
    (
        "aws-xray-encryptionconfig-configure-kms-key",
        "aws-managed-alias",
        {"keyId": "alias/aws/xray"},
        {},
        "uses the AWS-managed key alias/aws/xray",
    ),
    (
        "aws-cfg-deliverychannel-configure-kms-key",
        "no-key",
        {"s3KmsKeyArn": DELETE},
        {},
        "not encrypted with KMS (s3KmsKeyArn not set)",
    ),
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
        "includeGlobalServiceEvents is False",
    ),
    (
        "aws-cloudtrail-trail-enable-multi-region",
        "no-global-events-as-string",
        {"includeGlobalServiceEvents": "false"},
        {},
        "includeGlobalServiceEvents is False",
    ),
    (
        "aws-cloudtrail-trail-enable-multi-region",
        "selector-read-and-write",
        {"eventSelectors": [{"readWriteType": "All", "includeManagementEvents": True}]},
        {},
        None,
    ),
    (
        "aws-cloudtrail-trail-enable-multi-region",
        "selector-read-only",
        {"eventSelectors": [{"readWriteType": "ReadOnly", "includeManagementEvents": True}]},
        {},
        "eventSelectors record ReadOnly management events only, no write events",
    ),
    (
        "aws-cloudtrail-trail-enable-multi-region",
        "selectors-read-plus-write",
        {"eventSelectors": [{"readWriteType": "ReadOnly"}, {"readWriteType": "WriteOnly"}]},
        {},
        None,
    ),
    (
        "aws-cloudtrail-trail-enable-multi-region",
        "selector-without-management-events",
        {"eventSelectors": [{"readWriteType": "All", "includeManagementEvents": False}]},
        {},
        "eventSelectors record no management events",
    ),
    (
        "aws-cloudtrail-trail-enable-multi-region",
        "selector-management-events-as-string",
        {"eventSelectors": [{"readWriteType": "All", "includeManagementEvents": "false"}]},
        {},
        "eventSelectors record no management events",
    ),
    (
        "aws-cloudtrail-trail-enable-multi-region",
        "selector-excludes-kms-events",
        {"eventSelectors": [{"readWriteType": "All", "excludeManagementEventSources": ["kms.amazonaws.com"]}]},
        {},
        "excludeManagementEventSources leaves out ['kms.amazonaws.com']",
    ),
    (
        "aws-cloudtrail-trail-enable-multi-region",
        "selector-read-write-unknown",
        {"eventSelectors": [{"readWriteType": UNKNOWN}]},
        {},
        None,
    ),
    (
        "aws-cloudtrail-trail-enable-multi-region",
        "advanced-management",
        {"advancedEventSelectors": [{"fieldSelectors": [{"field": "eventCategory", "equals": ["Management"]}]}]},
        {},
        None,
    ),
    (
        "aws-cloudtrail-trail-enable-multi-region",
        "advanced-write-only",
        {
            "advancedEventSelectors": [
                {
                    "fieldSelectors": [
                        {"field": "eventCategory", "equals": ["Management"]},
                        {"field": "readOnly", "equals": ["false"]},
                    ]
                }
            ]
        },
        {},
        "advancedEventSelectors record WriteOnly management events only, no read events",
    ),
    (
        "aws-cloudtrail-trail-enable-multi-region",
        "advanced-read-plus-write",
        {
            "advancedEventSelectors": [
                {
                    "fieldSelectors": [
                        {"field": "eventCategory", "equals": ["Management"]},
                        {"field": "readOnly", "equals": ["true"]},
                    ]
                },
                {
                    "fieldSelectors": [
                        {"field": "eventCategory", "equals": ["Management"]},
                        {"field": "readOnly", "equals": ["false"]},
                    ]
                },
            ]
        },
        {},
        None,
    ),
    (
        "aws-cloudtrail-trail-enable-multi-region",
        "advanced-data-events-only",
        {
            "advancedEventSelectors": [
                {
                    "fieldSelectors": [
                        {"field": "eventCategory", "equals": ["Data"]},
                        {"field": "resources.type", "equals": ["AWS::S3::Object"]},
                    ]
                }
            ]
        },
        {},
        "advancedEventSelectors record no management events",
    ),
    (
        "aws-cloudtrail-trail-enable-multi-region",
        "advanced-excludes-a-source",
        {
            "advancedEventSelectors": [
                {
                    "fieldSelectors": [
                        {"field": "eventCategory", "equals": ["Management"]},
                        {"field": "eventSource", "notEquals": ["kms.amazonaws.com"]},
                    ]
                }
            ]
        },
        {},
        "leaves out management events of ['kms.amazonaws.com']",
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
        "string-true-is-true",
        {"enableLogFileValidation": "true"},
        {},
        None,
    ),
    (
        "aws-cloudtrail-trail-enable-log-file-validation",
        "capitalised-string-is-true-as-go-parses-it",
        {"enableLogFileValidation": "True"},
        {},
        None,
    ),
    (
        "aws-cloudtrail-trail-enable-log-file-validation",
        "yes-is-no-boolean",
        {"enableLogFileValidation": "yes"},
        {},
        "'yes', which the provider cannot read as a boolean (true or false)",
    ),
    (
        "aws-cloudtrail-trail-configure-kms-key",
        "no-key",
        {"kmsKeyId": DELETE},
        {},
        "not encrypted with KMS (kmsKeyId not set)",
    ),
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
    ("aws-cloudtrail-trail-enable-logging", "stopped", {"enableLogging": False}, {}, "enableLogging is False"),
    (
        "aws-cloudtrail-trail-enable-logging",
        "stopped-as-string",
        {"enableLogging": "false"},
        {},
        "enableLogging is False",
    ),
    (
        "aws-cloudtrail-trail-enable-logging",
        "not-a-boolean",
        {"enableLogging": "off"},
        {},
        "enableLogging is 'off', which the provider cannot read as a boolean",
    ),
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
        "uses the AWS-managed key aws/lambda (kmsKeyArn not set)",
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
    ("aws-cloudwatch-loggroup-configure-kms-key", {"kmsKeyId": UNKNOWN}, "kmsKeyId"),
    ("aws-cloudwatch-loggroup-configure-retention", {"retentionInDays": UNKNOWN}, "retentionInDays"),
    ("aws-sns-topic-configure-kms-key", {"kmsMasterKeyId": UNKNOWN}, "kmsMasterKeyId"),
    ("aws-sns-topicpolicy-disallow-public-access", {"policy": UNKNOWN}, "policy"),
    ("aws-cloudtrail-trail-configure-kms-key", {"kmsKeyId": UNKNOWN}, "kmsKeyId"),
    ("aws-lambda-function-configure-environment-kms-key", {"kmsKeyArn": UNKNOWN}, "kmsKeyArn"),
    (
        "aws-ecr-repository-configure-kms-encryption",
        {"encryptionConfigurations": [{"encryptionType": "KMS", "kmsKey": UNKNOWN}]},
        "encryptionConfigurations[0].kmsKey",
    ),
    ("aws-kms-key-enable-key-rotation", {"enableKeyRotation": UNKNOWN}, "enableKeyRotation"),
    ("aws-cloudtrail-trail-enable-logging", {"enableLogging": UNKNOWN}, "enableLogging"),
]


@pytest.mark.parametrize(
    ("policy", "changes", "path"), [pytest.param(p, c, path, id=p) for p, c, path in UNKNOWN_CASES]
)
def test_unknown_values_without_dependencies_stay_undecided(policy, changes, path):
    """Without property dependencies (per-resource Analyze, or a value computed from nothing in
    the stack) an unknown value can only be reported as undecided, naming the prop."""
    type_, props = BASELINES[policy]
    outcome = run_resource(policy, type_, changed(props, **changes))
    assert outcome.violations == []
    assert f"{path} can't be known during preview" in outcome.unchecked


def test_a_known_violation_is_reported_next_to_an_undecided_value():
    outcome = run_resource(
        "aws-cloudtrail-trail-enable-cloudwatch-logs",
        t.TRAIL,
        {"cloudWatchLogsGroupArn": UNKNOWN},
    )
    assert outcome.violations == ["Trail does not deliver to CloudWatch Logs: cloudWatchLogsRoleArn not set."]
    assert "cloudWatchLogsGroupArn can't be known during preview" in outcome.unchecked


def test_trail_unknown_multi_region_flag_is_unchecked_not_violated():
    outcome = run_resource("aws-cloudtrail-trail-enable-multi-region", t.TRAIL, {"isMultiRegionTrail": UNKNOWN})
    assert outcome.violations == []
    assert "isMultiRegionTrail can't be known during preview" in outcome.unchecked


RETENTION = "aws-cloudwatch-loggroup-configure-retention"


@pytest.mark.parametrize(
    ("props", "config", "written"),
    [
        ({}, {}, 365),
        ({"retentionInDays": 0.0}, {}, 365),
        ({}, {"minRetentionDays": 1, "maxRetentionDays": 365, "defaultRetentionDays": 14}, 14),
        ({}, {"minRetentionDays": 365, "defaultRetentionDays": 14}, 365),
        ({}, {"minRetentionDays": 400, "maxRetentionDays": 731, "defaultRetentionDays": 30}, 400),
        ({"retentionInDays": 7.0}, {}, 365),
        ({"retentionInDays": "7"}, {"minRetentionDays": 30, "maxRetentionDays": 90}, 30),
        ({"retentionInDays": 13.0}, {"minRetentionDays": 14, "maxRetentionDays": 90}, 14),
        ({"retentionInDays": 731.0}, {"minRetentionDays": 1, "maxRetentionDays": 365}, None),
        ({"retentionInDays": 0.0}, {"allowNeverExpire": True}, None),
        ({"retentionInDays": 400.0}, {}, None),
        ({"retentionInDays": "a year"}, {}, None),
        ({}, {"minRetentionDays": 400, "maxRetentionDays": 365}, None),
    ],
    ids=[
        "missing-gets-the-aws-default",
        "never-expire-gets-the-default",
        "dev-default",
        "default-below-minimum-is-raised",
        "default-outside-bounds-takes-the-shortest-allowed",
        "too-short-is-raised-to-the-minimum",
        "string-too-short",
        "not-accepted-and-too-short",
        "too-long-is-never-shortened",
        "never-expire-allowed",
        "compliant-untouched",
        "uncoercible-untouched",
        "empty-bounds",
    ],
)
def test_retention_remediation_writes_only_values_that_pass(props, config, written):
    from policies.guardrails.catalog import BY_NAME

    guardrail = BY_NAME[RETENTION]
    resolved = guardrail.config(config)
    fixed = guardrail.remediate({"name": "/aws/lambda/fn", **props}, resolved)
    if written is None:
        assert fixed is None
        return
    assert fixed == {"name": "/aws/lambda/fn", **props, "retentionInDays": written}
    assert run_resource(RETENTION, t.LOG_GROUP, fixed, config).violations == []


def as_provider_string(value):
    """The string a program in another language (or the offline engine's raw inputs) may send."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(int(value)) if float(value).is_integer() else str(value)


TYPED_CASES = [
    (policy, case_id, changes, config)
    for policy, case_id, changes, config, expected in CASES
    if changes
    and "cannot read" not in (expected or "")
    and all(isinstance(v, (bool, float, int)) for v in changes.values())
    and all(not isinstance(v, float) or v.is_integer() for v in changes.values())
]


@pytest.mark.parametrize(
    ("policy", "changes", "config"), [pytest.param(p, ch, cfg, id=f"{p}:{cid}") for p, cid, ch, cfg in TYPED_CASES]
)
def test_strings_are_judged_like_the_values_the_provider_coerces_them_to(policy, changes, config):
    type_, props = BASELINES[policy]
    typed = run_resource(policy, type_, changed(props, **changes), config)
    stringly = run_resource(
        policy, type_, changed(props, **{k: as_provider_string(v) for k, v in changes.items()}), config
    )
    assert stringly.violations == typed.violations


LOCKOUT = "aws-kms-key-disallow-bypass-policy-lockout-safety-check"


@pytest.mark.parametrize(
    "type_", [t.KMS_KEY, t.KMS_KEY_POLICY, t.KMS_REPLICA_KEY, t.KMS_EXTERNAL_KEY, t.KMS_REPLICA_EXTERNAL_KEY]
)
def test_no_spelling_of_a_key_policy_bypasses_the_lockout_check(type_):
    outcome = run_resource(LOCKOUT, type_, {"policy": "{}", "bypassPolicyLockoutSafetyCheck": True})
    assert outcome.violations == [
        "bypassPolicyLockoutSafetyCheck is true; a bad key policy could make the key unmanageable. Remove it."
    ]
