"""One reading of KMS keys for every encryption guardrail: AWS-managed keys in every spelling,
absent and empty keys as the service treats them, and messages that name the key seen."""

from __future__ import annotations

import pytest

from policies.guardrails.catalog import BY_NAME
from policies.guardrails.vocabulary import tokens as t
from tests.policies.harness import DELETE, run_resource

CUSTOMER = [
    "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "1234abcd-12ab-34cd-56ef-1234567890ab",
    "alias/team-key",
    "arn:aws:kms:eu-west-1:123456789012:alias/team-key",
    "mrk-1234abcd12ab34cd56ef1234567890ab",
]


def aws_managed(service):
    return [
        f"alias/aws/{service}",
        f"aws/{service}",
        f"arn:aws:kms:eu-west-1:123456789012:alias/aws/{service}",
        f"arn:aws-us-gov:kms:us-gov-west-1:123456789012:alias/aws/{service}",
        f"ALIAS/AWS/{service.upper()}",
    ]


# policy → (type, props with the key at KEY, service, what an absent/empty key means)
KEY = object()
RULES = {
    "aws-cloudwatch-loggroup-configure-kms-key": (t.LOG_GROUP, {"name": "/x", "kmsKeyId": KEY}, "logs", "none"),
    "aws-sns-topic-configure-kms-key": (t.SNS_TOPIC, {"name": "a", "kmsMasterKeyId": KEY}, "sns", "none"),
    "aws-sqs-queue-configure-encryption": (
        t.SQS_QUEUE,
        {"name": "q", "kmsMasterKeyId": KEY, "sqsManagedSseEnabled": False},
        "sqs",
        "none",
    ),
    "aws-secretsmanager-secret-configure-customer-managed-key": (
        t.SECRET,
        {"name": "s", "kmsKeyId": KEY},
        "secretsmanager",
        "aws-managed",
    ),
    "aws-xray-encryptionconfig-configure-kms-key": (
        t.XRAY_ENCRYPTION,
        {"type": "KMS", "keyId": KEY},
        "xray",
        "aws-managed",
    ),
    "aws-cfg-deliverychannel-configure-kms-key": (
        t.CONFIG_DELIVERY_CHANNEL,
        {"s3BucketName": "b", "s3KmsKeyArn": KEY},
        "config",
        "none",
    ),
    "aws-cloudtrail-trail-configure-kms-key": (t.TRAIL, {"kmsKeyId": KEY}, "cloudtrail", "none"),
    "aws-lambda-function-configure-environment-kms-key": (
        t.LAMBDA_FUNCTION,
        {"name": "fn", "environment": {"variables": {"A": "1"}}, "kmsKeyArn": KEY},
        "lambda",
        "aws-managed",
    ),
    "aws-ecr-repository-configure-kms-encryption": (
        t.ECR_REPOSITORY,
        {"name": "app", "encryptionConfigurations": [{"encryptionType": "KMS", "kmsKey": KEY}]},
        "ecr",
        "aws-managed",
    ),
}


def with_key(props, value):
    def put(node):
        if isinstance(node, dict):
            return {k: put(v) for k, v in node.items() if put(v) is not DELETE}
        if isinstance(node, list):
            return [put(v) for v in node]
        return value if node is KEY else node

    return put(props)


def allows_aws_managed(policy):
    return "allowAwsManagedKey" in BY_NAME[policy].defaults()


CASES = (
    [pytest.param(policy, value, "customer", id=f"{policy}:{value}") for policy in RULES for value in CUSTOMER]
    + [
        pytest.param(policy, value, "aws-managed", id=f"{policy}:{value}")
        for policy, (_, _, service, _) in RULES.items()
        for value in aws_managed(service)
    ]
    + [
        pytest.param(policy, value, absent, id=f"{policy}:{'absent' if value is DELETE else 'empty'}")
        for policy, (_, _, _, absent) in RULES.items()
        for value in (DELETE, "")
    ]
)


@pytest.mark.parametrize(("policy", "value", "kind"), CASES)
def test_every_spelling_of_a_key(policy, value, kind):
    type_, props, service, _ = RULES[policy]
    outcome = run_resource(policy, type_, with_key(props, value))
    if kind == "customer":
        assert outcome.violations == []
        return
    assert len(outcome.violations) == 1, outcome.violations
    message = outcome.violations[0]
    if kind == "aws-managed":
        shown = value if value not in (DELETE, "") else f"aws/{service}"
        assert f"uses the AWS-managed key {shown}" in message
        assert "customer-managed KMS key" in message
        if allows_aws_managed(policy):
            assert run_resource(policy, type_, with_key(props, value), {"allowAwsManagedKey": True}).violations == []
    else:
        assert "is not encrypted" in message
        if policy != "aws-sqs-queue-configure-encryption":  # SQS says why: no key and SSE-SQS off
            assert ("not set" if value is DELETE else "empty") in message


@pytest.mark.parametrize("policy", [p for p in RULES if allows_aws_managed(p)])
def test_messages_ask_for_what_the_parameter_accepts(policy):
    type_, props, _, _ = RULES[policy]
    outcome = run_resource(policy, type_, with_key(props, 7.0), {"allowAwsManagedKey": True})
    assert (
        outcome.violations and "a KMS key" in outcome.violations[0] and "customer-managed" not in outcome.violations[0]
    )
