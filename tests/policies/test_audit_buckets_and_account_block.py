"""S3.9 on the audit buckets (the trail's and the delivery channel's log their access elsewhere) and
S3.1 (the account's S3 Block Public Access), table-driven: a compliant baseline, one change each."""

from __future__ import annotations

import pytest

from policies.guardrails.vocabulary import tokens as t

from .harness import UNKNOWN, Res, assert_verdict, run_stack

LOGGING = "aws-s3-auditbucket-enable-access-logging"
ACCOUNT_BLOCK = "aws-s3-account-enable-public-access-block"


def audit_stack(
    *,
    logging: str | None = "setting",
    target: object = "access-logs-123",
    target_dep: str | None = "access-logs",
    bucket_type: str = t.S3_BUCKET,
    writer: str = t.TRAIL,
    writer_ref: str = "dependency",
) -> list[Res]:
    """A trail (or delivery channel) writing to `audit`, whose access logs go to `access-logs`."""
    audit = {"bucket": "audit-123"}
    if logging == "inline":
        block = {"targetBucket": target, "targetPrefix": "audit/"}
        audit |= {"loggings": [block]} if bucket_type == t.S3_BUCKET_V2 else {"logging": block}
    resources = [Res(bucket_type, "audit", audit), Res(t.S3_BUCKET, "access-logs", {"bucket": "access-logs-123"})]
    if logging == "setting":
        deps = {"bucket": ("audit",), **({"targetBucket": (target_dep,)} if target_dep else {})}
        resources.append(
            Res(t.S3_BUCKET_LOGGING_V2, "audit-logging", {"bucket": "audit-123", "targetBucket": target}, deps)
        )
    bucket_name = {"dependency": UNKNOWN, "name": "audit-123", "elsewhere": "someone-elses-bucket"}[writer_ref]
    deps = {"s3BucketName": ("audit",)} if writer_ref == "dependency" else {}
    resources.append(Res(writer, "writer", {"s3BucketName": bucket_name}, deps))
    return resources


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({}, id="separate-bucket-by-dependency"),
        pytest.param(dict(writer=t.CONFIG_DELIVERY_CHANNEL), id="config-delivery-channel"),
        pytest.param(dict(writer_ref="name"), id="writer-names-the-bucket"),
        pytest.param(dict(writer_ref="elsewhere", logging=None), id="bucket-outside-the-stack-not-judged"),
        pytest.param(dict(logging="inline", target_dep=None), id="inline-logging-on-bucket"),
        pytest.param(dict(logging="inline", target_dep=None, bucket_type=t.S3_BUCKET_V2), id="inline-loggings-on-v2"),
        pytest.param(dict(target_dep=None), id="target-by-name"),
    ],
)
def test_audit_bucket_logging_to_another_bucket_passes(changes):
    outcome = run_stack(LOGGING, audit_stack(**changes))
    assert outcome.violations == [] and outcome.unchecked is None


@pytest.mark.parametrize(
    "changes, expected",
    [
        pytest.param(dict(logging=None), "has no server access logging", id="no-logging"),
        pytest.param(
            dict(logging=None, writer=t.CONFIG_DELIVERY_CHANNEL), "AWS Config delivery channel", id="channel-no-logging"
        ),
        pytest.param(dict(logging=None, writer_ref="name"), "has no server access logging", id="named-no-logging"),
        pytest.param(dict(target_dep="audit"), "logs its own access into itself", id="target-is-itself-by-dependency"),
        pytest.param(dict(target="audit-123", target_dep=None), "into itself", id="target-is-itself-by-name"),
        pytest.param(
            dict(logging="inline", target="audit-123", target_dep=None), "into itself", id="inline-target-is-itself"
        ),
        pytest.param(dict(target="", target_dep=None), "has targetBucket ''", id="empty-target"),
        pytest.param(dict(target=True, target_dep=None), "has targetBucket True", id="boolean-target"),
    ],
)
def test_audit_bucket_without_separate_access_logs_fails(changes, expected):
    outcome = run_stack(LOGGING, audit_stack(**changes))
    assert len(outcome.violations) == 1 and expected in outcome.violations[0], outcome.violations
    assert outcome.urns == ["urn:pulumi:test::ops-baseline::" + audit_stack(**changes)[0].type + "::audit"]


def test_audit_bucket_used_by_trail_and_channel_is_reported_once_naming_both():
    resources = [
        *audit_stack(logging=None),
        Res(t.CONFIG_DELIVERY_CHANNEL, "channel", {"s3BucketName": UNKNOWN}, {"s3BucketName": ("audit",)}),
    ]
    [violation] = run_stack(LOGGING, resources).violations
    assert "CloudTrail trail 'writer' and the AWS Config delivery channel 'channel'" in violation


def test_unknown_logging_target_not_from_the_bucket_waits_for_deploy():
    outcome = run_stack(LOGGING, audit_stack(target=UNKNOWN, target_dep=None))
    assert outcome.violations == [] and outcome.unchecked is not None


def test_buckets_no_audit_writer_uses_are_not_asked_for_logging():
    resources = [r for r in audit_stack(logging=None) if r.type != t.TRAIL]
    assert run_stack(LOGGING, resources).violations == []


# --- S3.1: the account's S3 Block Public Access ------------------------------------------------------

ALL_ON = {"blockPublicAcls": True, "blockPublicPolicy": True, "ignorePublicAcls": True, "restrictPublicBuckets": True}


def account_block(**changes: object) -> list[Res]:
    return [Res(t.S3_ACCOUNT_PAB, "account-block", {**ALL_ON, **changes})]


@pytest.mark.parametrize(
    "resources, config",
    [
        pytest.param(account_block(), {}, id="all-four-on"),
        pytest.param(account_block(blockPublicAcls="true"), {}, id="string-true-as-the-provider-coerces"),
        pytest.param([], {"requireAccountBlock": False}, id="absent-not-required"),
        pytest.param([], {"ops-baseline-profile": {"stack": "workload"}}, id="absent-in-a-workload-stack"),
    ],
)
def test_account_block_passes(resources, config):
    assert run_stack(ACCOUNT_BLOCK, resources, {"requireAccountBlock": True, **config}).violations == []


@pytest.mark.parametrize(
    "flag, value, shown",
    [
        pytest.param(flag, value, shown, id=f"{flag}-{label}")
        for flag in ALL_ON
        for value, shown, label in (
            (False, "False", "false"),
            (None, "missing", "missing"),
            ("false", "False", "string-false"),
        )
    ]
    + [pytest.param("ignorePublicAcls", "yes", "'yes'", id="not-a-boolean")],
)
def test_account_block_with_a_flag_off_fails(flag, value, shown):
    [violation] = run_stack(ACCOUNT_BLOCK, account_block(**{flag: value}), {"requireAccountBlock": True}).violations
    assert f"{flag} " in violation and "set all four flags true" in violation, violation


def test_baseline_stack_without_account_block_fails_naming_the_setting():
    [violation] = run_stack(ACCOUNT_BLOCK, [], {"requireAccountBlock": True}).violations
    assert "declares no account-level S3 Block Public Access" in violation and "requireAccountBlock" in violation


def test_unknown_flag_waits_for_deploy():
    outcome = run_stack(ACCOUNT_BLOCK, account_block(restrictPublicBuckets=UNKNOWN), {"requireAccountBlock": True})
    assert outcome.violations == [] and outcome.unchecked is not None


def native_audit_stack(logging: dict | None) -> list[Res]:
    """A trail writing to an aws-native bucket whose access logging is inline (loggingConfiguration)."""
    bucket = {"bucketName": "audit-123", **({"loggingConfiguration": logging} if logging is not None else {})}
    return [
        Res("aws-native:s3:Bucket", "audit", bucket),
        Res(t.TRAIL, "writer", {"s3BucketName": UNKNOWN}, {"s3BucketName": ("audit",)}),
    ]


@pytest.mark.parametrize(
    ("logging", "expected"),
    [
        pytest.param(
            {"destinationBucketName": "access-logs-123", "logFilePrefix": "audit/"}, None, id="another-bucket"
        ),
        pytest.param(None, "has no server access logging", id="no-logging"),
        # CloudFormation's default destination is the bucket itself.
        pytest.param({"logFilePrefix": "audit/"}, "logs its own access into itself", id="no-destination-means-itself"),
        pytest.param({"destinationBucketName": "audit-123"}, "logs its own access into itself", id="itself-by-name"),
        pytest.param({"destinationBucketName": UNKNOWN}, "UNDECIDED", id="destination-unknown"),
    ],
)
def test_an_aws_native_audit_bucket_is_judged_by_its_logging_configuration(logging, expected):
    assert_verdict(run_stack(LOGGING, native_audit_stack(logging)), expected)
