"""Issue 23: condition keys as AWS sets them. The VPC-endpoint owner keys pin the caller like
aws:SourceVpce, and a positive condition on a key the action never carries grants nothing."""

from __future__ import annotations

import pytest

from policies.guardrails.vocabulary import tokens as t
from tests.policies.harness import UNKNOWN, run_resource

TOPIC = "aws-sns-topicpolicy-disallow-public-access"
BUCKET = "aws-s3-bucketpolicy-disallow-public-access"
OPEN = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}


def judged(policy, type_, statement):
    """The document as an object (as a program may give it), so unknown values stay unknown."""
    return run_resource(policy, type_, {"policy": {"Version": "2012-10-17", "Statement": [statement]}})


@pytest.mark.parametrize(
    ("condition", "public"),
    [
        pytest.param(None, True, id="no-condition"),
        pytest.param({"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}, False, id="source-vpce"),
        pytest.param({"StringEquals": {"aws:VpceAccount": "123456789012"}}, False, id="vpce-account"),
        pytest.param({"StringEquals": {"Aws:VpceAccount": ["123456789012"]}}, False, id="vpce-account-key-case"),
        pytest.param({"StringLike": {"aws:VpceAccount": "*"}}, True, id="vpce-account-any"),
        pytest.param({"StringEquals": {"aws:VpceOrgID": "o-a1b2c3d4e5"}}, False, id="vpce-org-id"),
        pytest.param({"stringequals": {"AWS:VPCEORGID": "o-a1b2c3d4e5"}}, False, id="vpce-org-id-all-case"),
        pytest.param(
            {"ForAnyValue:StringLike": {"aws:VpceOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"}},
            False,
            id="vpce-org-paths",
        ),
        pytest.param({"ForAnyValue:StringLike": {"aws:VpceOrgPaths": "*"}}, True, id="vpce-org-paths-any"),
        pytest.param({"StringEqualsIfExists": {"aws:VpceAccount": "123456789012"}}, True, id="vpce-account-if-exists"),
        pytest.param(
            {"ArnEquals": {"aws:SourceVpcArn": "arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-1a2b3c4d"}},
            False,
            id="source-vpc-arn",
        ),
        pytest.param({"StringEquals": {"aws:VpceAccount": UNKNOWN}}, "UNDECIDED", id="vpce-account-unknown"),
    ],
)
def test_vpc_endpoint_owner_keys_pin_the_caller(condition, public):
    statement = {**OPEN, **({"Condition": condition} if condition else {})}
    outcome = judged(BUCKET, t.S3_BUCKET_POLICY, statement)
    if public == "UNDECIDED":
        assert outcome.violations == [] and outcome.unchecked
    elif public:
        assert len(outcome.violations) == 1 and "lets in any principal" in outcome.violations[0]
    else:
        assert outcome.violations == [] and outcome.unchecked is None


TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:alerts"
SUBSCRIBE_HTTPS = {
    "Effect": "Allow",
    "Principal": "*",
    "Action": "sns:Subscribe",
    "Resource": TOPIC_ARN,
    "Condition": {"StringEquals": {"sns:Protocol": "https"}},
}


@pytest.mark.parametrize(
    ("change", "public"),
    [
        pytest.param({}, True, id="subscribe-carries-protocol"),
        pytest.param({"Action": "sns:Publish"}, False, id="publish-never-carries-protocol"),
        pytest.param({"Action": ["sns:Publish"]}, False, id="publish-in-a-list"),
        pytest.param(
            {"Action": "SNS:Publish", "Condition": {"StringLike": {"SNS:Endpoint": "*"}}}, False, id="endpoint-key-case"
        ),
        pytest.param({"Action": ["sns:Publish", "sns:Subscribe"]}, True, id="one-action-carries-it"),
        pytest.param({"Action": "sns:*"}, True, id="service-wildcard-includes-subscribe"),
        pytest.param({"Action": "sns:Pub*"}, False, id="pattern-without-subscribe"),
        pytest.param({"Action": None, "NotAction": "sns:DeleteTopic"}, True, id="not-action-may-carry-it"),
        pytest.param({"Action": ["sns:Publish", UNKNOWN]}, True, id="unknown-action-may-carry-it"),
        pytest.param(
            {"Action": "sns:Publish", "Condition": {"StringEqualsIfExists": {"sns:Protocol": "https"}}},
            True,
            id="if-exists-holds-without-it",
        ),
        pytest.param(
            {"Action": "sns:Publish", "Condition": {"StringNotEquals": {"sns:Protocol": "http"}}},
            True,
            id="negated-holds-without-it",
        ),
        pytest.param(
            {"Action": "sns:Publish", "Condition": {"Null": {"sns:Protocol": "true"}}}, True, id="null-holds-without-it"
        ),
        pytest.param(
            {"Action": "sns:Publish", "Condition": {"StringEquals": {"sns:Unlisted": "x"}}},
            True,
            id="unknown-key-judged-conservatively",
        ),
    ],
)
def test_a_condition_on_a_key_the_action_never_carries_grants_nothing(change, public):
    statement = {k: v for k, v in {**SUBSCRIBE_HTTPS, **change}.items() if v is not None}
    outcome = judged(TOPIC, t.SNS_TOPIC_POLICY, statement)
    if public:
        assert len(outcome.violations) == 1 and "lets in any principal" in outcome.violations[0], outcome.violations
    else:
        assert outcome.violations == [] and outcome.unchecked is None
