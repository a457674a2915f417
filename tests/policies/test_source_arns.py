"""Issue 23: a source ARN without an account (an S3 bucket's) pins no caller on its own, as AWS
Config's LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED judges an S3 invocation without aws:SourceAccount:
whoever holds a bucket of that name could invoke the function (confused deputy)."""

from __future__ import annotations

import pytest

from policies.guardrails.vocabulary import tokens as t
from tests.policies.harness import UNKNOWN, Res, run_resource, run_stack

OWN = "123456789012"
PERMISSION = "aws-lambda-permission-disallow-public-access"
BASELINE = {
    "action": "lambda:InvokeFunction",
    "function": "resize",
    "principal": "s3.amazonaws.com",
    "sourceArn": "arn:aws:s3:::uploads",
    "sourceAccount": OWN,
}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param({}, None, id="bucket-arn-with-source-account"),
        pytest.param({"sourceAccount": None}, "any account's s3.amazonaws.com", id="bucket-arn-alone"),
        pytest.param({"sourceAccount": ""}, "any account's s3.amazonaws.com", id="source-account-empty"),
        pytest.param(
            {"sourceAccount": None, "sourceArn": "arn:aws-cn:s3:::uploads"}, "any account's", id="china-bucket-arn"
        ),
        pytest.param(
            {"sourceAccount": None, "principalOrgId": "o-a1b2c3d4e5"}, None, id="bucket-arn-with-organization"
        ),
        pytest.param(
            {
                "sourceAccount": None,
                "principal": "sns.amazonaws.com",
                "sourceArn": f"arn:aws:sns:eu-west-1:{OWN}:uploads",
            },
            None,
            id="topic-arn-carries-its-account",
        ),
        pytest.param({"sourceAccount": None, "sourceArn": "arn:aws:s3:::*"}, "any account's", id="any-bucket"),
    ],
)
def test_a_permission_for_s3_needs_the_source_account(change, expected):
    props = {k: v for k, v in {**BASELINE, **change}.items() if v is not None}
    outcome = run_resource(PERMISSION, t.LAMBDA_PERMISSION, props)
    if expected is None:
        assert outcome.violations == [] and outcome.unchecked is None, outcome.violations
    else:
        assert len(outcome.violations) == 1 and expected in outcome.violations[0], outcome.violations


def test_a_source_arn_unknown_until_deploy_from_a_bucket_of_the_stack_still_names_no_account():
    bucket = Res(t.S3_BUCKET, "uploads", {"bucket": "uploads"})
    permission = {**BASELINE, "sourceArn": UNKNOWN}
    del permission["sourceAccount"]
    outcome = run_stack(
        PERMISSION, [bucket, Res(t.LAMBDA_PERMISSION, "invoke", permission, {"sourceArn": ("uploads",)})]
    )
    assert len(outcome.violations) == 1 and "any account's s3.amazonaws.com" in outcome.violations[0]
    with_account = Res(t.LAMBDA_PERMISSION, "invoke", {**permission, "sourceAccount": OWN}, {"sourceArn": ("uploads",)})
    assert run_stack(PERMISSION, [bucket, with_account]).violations == []


QUEUE = "aws-sqs-queuepolicy-disallow-public-access"
S3_SENDS = {
    "Effect": "Allow",
    "Principal": {"Service": "s3.amazonaws.com"},
    "Action": "sqs:SendMessage",
    "Resource": f"arn:aws:sqs:eu-west-1:{OWN}:uploads",
}


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        pytest.param(
            {"ArnEquals": {"aws:SourceArn": "arn:aws:s3:::uploads"}},
            "any account's s3.amazonaws.com",
            id="bucket-arn-alone",
        ),
        pytest.param(
            {"ArnLike": {"aws:SourceArn": ["arn:aws:s3:::uploads"]}}, "any account's", id="bucket-arn-in-a-list"
        ),
        pytest.param({"StringEquals": {"AWS:SOURCEARN": "arn:aws:s3:::uploads"}}, "any account's", id="key-case"),
        pytest.param(
            {"ArnEquals": {"aws:SourceArn": "arn:aws:s3:::uploads"}, "StringEquals": {"aws:SourceAccount": OWN}},
            None,
            id="bucket-arn-with-source-account",
        ),
        pytest.param(
            {
                "ArnEquals": {"aws:SourceArn": "arn:aws:s3:::uploads"},
                "StringEquals": {"aws:SourceOrgID": "o-a1b2c3d4e5"},
            },
            None,
            id="bucket-arn-with-source-organization",
        ),
        pytest.param(
            {"ArnEquals": {"aws:SourceArn": f"arn:aws:sns:eu-west-1:{OWN}:uploads"}}, None, id="arn-with-account"
        ),
    ],
)
def test_a_resource_policy_conditioned_only_on_an_arn_without_account(condition, expected):
    outcome = run_resource(QUEUE, t.SQS_QUEUE_POLICY, {"policy": {"Statement": [{**S3_SENDS, "Condition": condition}]}})
    if expected is None:
        assert outcome.violations == [] and outcome.unchecked is None, outcome.violations
    else:
        assert len(outcome.violations) == 1 and expected in outcome.violations[0], outcome.violations
