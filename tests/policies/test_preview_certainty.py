"""Unknown values during a first preview: resolved through property dependencies where they point at
resources of the same stack, and undecided only for what they can affect."""

from __future__ import annotations

import pytest

from policies.guardrails.vocabulary import tokens as t
from tests.policies.harness import UNKNOWN, Res, run_stack, urn_of

KEY = Res(t.KMS_KEY, "key", {"enableKeyRotation": True})
ALIAS = Res(t.KMS_ALIAS, "alias", {"name": "alias/ops-dev", "targetKeyId": UNKNOWN}, {"targetKeyId": ("key",)})
GROUP = Res(t.LOG_GROUP, "group", {"name": "/aws/cloudtrail/trail", "retentionInDays": 365})
ROLE = Res(t.IAM_ROLE, "role", {"name": "trail-logs"})
BUCKET = Res(t.S3_BUCKET, "other-bucket", {"bucket": "other"})

# (policy, type, props with an unknown reference, the prop that carries it)
REFERENCES = [
    ("aws-cloudwatch-loggroup-configure-kms-key", t.LOG_GROUP, {"name": "/x", "kmsKeyId": UNKNOWN}, "kmsKeyId"),
    ("aws-sns-topic-configure-kms-key", t.SNS_TOPIC, {"name": "alerts", "kmsMasterKeyId": UNKNOWN}, "kmsMasterKeyId"),
    ("aws-sqs-queue-configure-encryption", t.SQS_QUEUE, {"name": "dlq", "kmsMasterKeyId": UNKNOWN}, "kmsMasterKeyId"),
    (
        "aws-secretsmanager-secret-configure-customer-managed-key",
        t.SECRET,
        {"name": "s", "kmsKeyId": UNKNOWN},
        "kmsKeyId",
    ),
    ("aws-xray-encryptionconfig-configure-kms-key", t.XRAY_ENCRYPTION, {"type": "KMS", "keyId": UNKNOWN}, "keyId"),
    ("aws-cfg-deliverychannel-configure-kms-key", t.CONFIG_DELIVERY_CHANNEL, {"s3KmsKeyArn": UNKNOWN}, "s3KmsKeyArn"),
    ("aws-cloudtrail-trail-configure-kms-key", t.TRAIL, {"kmsKeyId": UNKNOWN}, "kmsKeyId"),
    (
        "aws-lambda-function-configure-environment-kms-key",
        t.LAMBDA_FUNCTION,
        {"name": "fn", "environment": {"variables": {"A": "1"}}, "kmsKeyArn": UNKNOWN},
        "kmsKeyArn",
    ),
    (
        "aws-ecr-repository-configure-kms-encryption",
        t.ECR_REPOSITORY,
        {"name": "app", "encryptionConfigurations": [{"encryptionType": "KMS", "kmsKey": UNKNOWN}]},
        "encryptionConfigurations",
    ),
]


@pytest.mark.parametrize(("policy", "type_", "props", "prop"), [pytest.param(*r, id=r[0]) for r in REFERENCES])
@pytest.mark.parametrize("source", [KEY, ALIAS], ids=["key-of-the-stack", "alias-of-the-stack"])
def test_a_key_created_in_the_stack_is_customer_managed(policy, type_, props, prop, source):
    subject = Res(type_, "subject", props, {prop: (source.name,)})
    outcome = run_stack(policy, [KEY, ALIAS, subject])
    assert outcome.violations == [] and outcome.unchecked is None


@pytest.mark.parametrize(("policy", "type_", "props", "prop"), [pytest.param(*r, id=r[0]) for r in REFERENCES])
def test_a_value_computed_from_something_else_stays_undecided(policy, type_, props, prop):
    subject = Res(type_, "subject", props, {prop: (BUCKET.name,)})
    outcome = run_stack(policy, [KEY, BUCKET, subject])
    assert outcome.violations == []
    assert outcome.unchecked.startswith("subject: ") and "can't be known during preview" in outcome.unchecked


@pytest.mark.parametrize(("policy", "type_", "props", "prop"), [pytest.param(*r, id=r[0]) for r in REFERENCES])
def test_a_value_from_a_key_and_something_else_stays_undecided(policy, type_, props, prop):
    subject = Res(type_, "subject", props, {prop: (KEY.name, BUCKET.name)})
    assert run_stack(policy, [KEY, BUCKET, subject]).unchecked


def test_one_undecided_resource_does_not_hide_anothers_violation():
    outcome = run_stack(
        "aws-sns-topic-configure-kms-key",
        [
            Res(t.SNS_TOPIC, "unknown-key", {"name": "a", "kmsMasterKeyId": UNKNOWN}),
            Res(t.SNS_TOPIC, "unencrypted", {"name": "b"}),
        ],
    )
    assert outcome.violations == [
        "SNS topic is not encrypted with KMS (kmsMasterKeyId not set); set kmsMasterKeyId to a customer-managed KMS key. CloudWatch alarms cannot publish to a topic encrypted with aws/sns."
    ]
    assert outcome.urns == ["urn:pulumi:test::ops-baseline::aws:sns/topic:Topic::unencrypted"]
    assert outcome.unchecked == "unknown-key: kmsMasterKeyId can't be known during preview"


def test_a_stack_policy_reports_resources_in_urn_order_whatever_order_the_stack_lists_them():
    """The SDK registers resources on several threads, so AnalyzeStack lists them in another order
    each run; the pack's answer (violations, and the reasons in its preview advisory) must not follow."""
    topics = [
        *(Res(t.SNS_TOPIC, f"{name}-unknown", {"name": name, "kmsMasterKeyId": UNKNOWN}) for name in "cab"),
        *(Res(t.SNS_TOPIC, f"{name}-plain", {"name": name}) for name in "ba"),
    ]
    outcomes = [run_stack("aws-sns-topic-configure-kms-key", order) for order in (topics, topics[::-1])]
    assert outcomes[0] == outcomes[1]
    assert outcomes[0].urns == [urn_of(t.SNS_TOPIC, "a-plain"), urn_of(t.SNS_TOPIC, "b-plain")]
    assert outcomes[0].unchecked == "; ".join(
        f"{name}-unknown: kmsMasterKeyId can't be known during preview" for name in "abc"
    )


@pytest.mark.parametrize(
    ("deps", "expected_unchecked"),
    [
        ({"cloudWatchLogsGroupArn": ("group",), "cloudWatchLogsRoleArn": ("role",)}, None),
        ({"cloudWatchLogsGroupArn": ("group",)}, "cloudWatchLogsRoleArn"),
        ({"cloudWatchLogsGroupArn": ("role",), "cloudWatchLogsRoleArn": ("group",)}, "cloudWatchLogsGroupArn"),
    ],
    ids=["both-from-the-stack", "role-from-nowhere", "swapped-types"],
)
def test_trail_delivery_references(deps, expected_unchecked):
    trail = Res(t.TRAIL, "trail", {"cloudWatchLogsGroupArn": UNKNOWN, "cloudWatchLogsRoleArn": UNKNOWN}, deps)
    outcome = run_stack("aws-cloudtrail-trail-enable-cloudwatch-logs", [GROUP, ROLE, trail])
    assert outcome.violations == []
    if expected_unchecked is None:
        assert outcome.unchecked is None
    else:
        assert expected_unchecked in outcome.unchecked


@pytest.mark.parametrize(
    ("destination", "deps", "decided"),
    [
        (UNKNOWN, {"accessLogSettings": ("group",)}, True),
        (UNKNOWN, {"accessLogSettings": ("stream",)}, True),
        (UNKNOWN, {}, False),
    ],
    ids=["log-group", "firehose", "no-dependency"],
)
def test_stage_access_log_destination(destination, deps, decided):
    stream = Res(t.FIREHOSE_STREAM, "stream", {"name": "access"})
    stage = Res(
        t.APIGATEWAYV2_STAGE, "stage", {"accessLogSettings": {"destinationArn": destination, "format": "{}"}}, deps
    )
    outcome = run_stack("aws-apigateway-stage-enable-access-logging", [GROUP, stream, stage])
    assert outcome.violations == []
    assert (outcome.unchecked is None) is decided


def pab(name, bucket_ref, deps=()):
    flags = dict.fromkeys(("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"), True)
    return Res(t.S3_BUCKET_PAB, name, {"bucket": bucket_ref, **flags}, {"bucket": deps} if deps else {})


def test_an_unknown_bucket_reference_settles_which_bucket_it_is():
    """Bucket a's block (id unknown, computed from a) says nothing about bucket b: b has none."""
    a, b = Res(t.S3_BUCKET, "a", {"bucket": "a-1"}), Res(t.S3_BUCKET, "b", {"bucket": "b-1"})
    outcome = run_stack("aws-s3-bucket-declare-public-access-block", [a, b, pab("a-pab", UNKNOWN, ("a",))])
    assert outcome.violations == ["S3 bucket 'b' has no public access block; add one with all four flags true."]
    assert outcome.unchecked is None


def test_a_bucket_reference_from_nothing_in_the_stack_leaves_buckets_undecided():
    a = Res(t.S3_BUCKET, "a", {"bucket": "a-1"})
    outcome = run_stack("aws-s3-bucket-declare-public-access-block", [a, pab("mystery", UNKNOWN)])
    assert outcome.violations == []
    assert "a: which public access block applies" in outcome.unchecked


def test_a_bucket_v2_reference_points_at_that_bucket():
    a, b = Res(t.S3_BUCKET, "a", {"bucket": "a-1"}), Res(t.S3_BUCKET_V2, "b", {"bucket": "b-1"})
    outcome = run_stack("aws-s3-bucket-declare-public-access-block", [a, b, pab("b-pab", UNKNOWN, ("b",))])
    assert outcome.violations == ["S3 bucket 'a' has no public access block; add one with all four flags true."]
    assert outcome.unchecked is None


def errors_alarm(name, function_dep):
    return Res(
        t.METRIC_ALARM,
        name,
        {"name": name, "namespace": "AWS/Lambda", "metricName": "Errors", "dimensions": {"FunctionName": UNKNOWN}},
        {"dimensions": (function_dep,)},
    )


def test_an_unknown_alarm_dimension_only_concerns_its_function():
    functions = [Res(t.LAMBDA_FUNCTION, "fn1", {"name": "one"}), Res(t.LAMBDA_FUNCTION, "fn2", {"name": "two"})]
    outcome = run_stack("aws-lambda-function-monitor-errors", [*functions, errors_alarm("fn1-errors", "fn1")])
    assert outcome.violations == [
        "Lambda function 'fn2' has no Errors alarm; add one (AWS/Lambda Errors, FunctionName dimension) to the alerting topic."
    ]
    assert outcome.unchecked is None


def test_an_unknown_dimension_from_nothing_in_the_stack_is_undecided():
    function = Res(t.LAMBDA_FUNCTION, "fn1", {"name": "one"})
    alarm = Res(
        t.METRIC_ALARM,
        "mystery",
        {"name": "m", "namespace": "AWS/Lambda", "metricName": "Errors", "dimensions": {"FunctionName": UNKNOWN}},
    )
    outcome = run_stack("aws-lambda-function-monitor-errors", [function, alarm])
    assert outcome.violations == [] and "fn1: whether an alarm watches its Errors" in outcome.unchecked


def test_a_repository_name_matters_only_when_a_registry_rule_exists():
    repository = Res(t.ECR_REPOSITORY, "repo", {"name": UNKNOWN})
    outcome = run_stack("aws-ecr-repository-enable-image-scanning", [repository])
    assert len(outcome.violations) == 1 and "does not scan images on push" in outcome.violations[0]
    assert outcome.unchecked is None


def test_an_unknown_registry_rule_concerns_only_the_repositories_it_was_computed_from():
    covered = Res(t.ECR_REPOSITORY, "covered", {"name": "app"})
    other = Res(t.ECR_REPOSITORY, "other", {"name": "web"})
    registry = Res(
        t.ECR_REGISTRY_SCANNING,
        "registry",
        {"scanType": "BASIC", "rules": [{"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": [{"filter": UNKNOWN}]}]},
        {"rules": ("covered",)},
    )
    outcome = run_stack("aws-ecr-repository-enable-image-scanning", [covered, other, registry])
    assert len(outcome.violations) == 1 and "'other' does not scan images on push" in outcome.violations[0]
    assert outcome.unchecked == "covered: whether a registry scanning rule covers it is unknown until deploy"


def test_cis_filters_on_a_new_log_group_named_by_a_literal_arn():
    trail = Res(
        t.TRAIL,
        "trail",
        {
            "isMultiRegionTrail": True,
            "cloudWatchLogsGroupArn": "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/cloudtrail/trail:*",
        },
    )
    outcome = run_stack(
        "aws-cloudtrail-trail-configure-cis-metric-alarms", [trail, GROUP], {"controls": ["CloudWatch.1"]}
    )
    assert outcome.violations[0].startswith("CloudWatch.1 (") and "log group 'group'" in outcome.violations[0]
