"""Secret rotation (with rate and cron schedules) and required tags (with the provider's default tags)."""

from __future__ import annotations

import json

import pytest
from pulumi_policy.proxy import unknown_checking_proxy

from policies.guardrails.catalog import BY_NAME
from policies.guardrails.props import Props
from policies.guardrails.taggable import installed_package, load, scan
from policies.guardrails.vocabulary import tokens as t
from policies.guardrails.vocabulary.schedules import cron_gap_days
from tests.policies.harness import UNKNOWN, Res, run_resource, run_stack

ROTATION = "aws-secretsmanager-secret-enable-rotation"
SECRET = Res(
    t.SECRET, "db", {"name": "db-password", "arn": "arn:aws:secretsmanager:eu-west-1:1:secret:db-password-AbCdEf"}
)


def rotation(rules, **props):
    return Res(
        t.SECRET_ROTATION,
        "db-rotation",
        {"secretId": "db-password", "rotationLambdaArn": "arn:fn", "rotationRules": rules, **props},
    )


@pytest.mark.parametrize(
    ("rules", "props", "config", "expected"),
    [
        ({"automaticallyAfterDays": 30}, {}, {}, None),
        ({"automaticallyAfterDays": "30"}, {}, {}, None),
        ({"automaticallyAfterDays": 91}, {}, {}, "rotates every 91 days; rotate at least every 90 days"),
        ({"automaticallyAfterDays": 120}, {}, {"maxDaysSinceRotation": 180}, None),
        ({"scheduleExpression": "rate(10 days)"}, {}, {}, None),
        ({"scheduleExpression": "rate(100 days)"}, {}, {}, "rotates every 100 days"),
        ({"scheduleExpression": "rate(12 hours)"}, {}, {}, None),
        ({"scheduleExpression": "cron(0 16 1,15 * ? *)"}, {}, {}, None),
        ({"scheduleExpression": "cron(0 8 ? * MON *)"}, {}, {}, None),
        ({"scheduleExpression": "cron(0 0 1 1/3 ? *)"}, {}, {}, "rotates every 92 days"),
        ({"scheduleExpression": "cron(0 0 1 1 ? *)"}, {}, {}, "rotates every 365 days"),
        ({"scheduleExpression": "cron(0 0 L * ? *)"}, {}, {}, "which the provider cannot read"),
        ({"scheduleExpression": "every tuesday"}, {}, {}, "which the provider cannot read"),
        ({}, {}, {}, "has no rotationRules"),
        ({"automaticallyAfterDays": 30}, {"rotationEnabled": False}, {}, "rotationEnabled False"),
        ({"automaticallyAfterDays": 30}, {"rotationEnabled": "false"}, {}, "rotationEnabled False"),
    ],
    ids=[
        "thirty-days",
        "days-as-string",
        "ninety-one-days",
        "longer-limit",
        "rate-days",
        "rate-too-slow",
        "rate-hours",
        "twice-a-month",
        "weekly",
        "quarterly-is-over-ninety-days",
        "yearly",
        "last-day-syntax",
        "not-a-schedule",
        "no-rules",
        "disabled",
        "disabled-as-string",
    ],
)
def test_secret_rotation(rules, props, config, expected):
    outcome = run_stack(ROTATION, [SECRET, rotation(rules, **props)], config)
    if expected is None:
        assert outcome.violations == [] and outcome.unchecked is None
    else:
        assert len(outcome.violations) == 1 and expected in outcome.violations[0], outcome.violations


def test_a_secret_without_rotation_fails_with_its_urn():
    outcome = run_stack(ROTATION, [SECRET])
    assert outcome.urns == ["urn:pulumi:test::ops-baseline::aws:secretsmanager/secret:Secret::db"]
    assert "has no rotation" in outcome.violations[0]


def test_rotation_matched_by_arn_or_by_dependency_while_unknown():
    by_arn = rotation({"automaticallyAfterDays": 7}, secretId=SECRET.props["arn"])
    assert run_stack(ROTATION, [SECRET, by_arn]).violations == []
    unknown = Res(
        t.SECRET_ROTATION,
        "r",
        {"secretId": UNKNOWN, "rotationRules": {"automaticallyAfterDays": 7}},
        {"secretId": ("db",)},
    )
    outcome = run_stack(ROTATION, [SECRET, unknown])
    assert outcome.violations == [] and outcome.unchecked is None


OUTSIDE = "arn:aws:secretsmanager:eu-west-1:210987654321:secret:shared-db-QwErTy"


@pytest.mark.parametrize(
    ("rules", "props", "expected"),
    [
        pytest.param({"automaticallyAfterDays": 30}, {}, None, id="monthly"),
        pytest.param(
            {"automaticallyAfterDays": 120}, {}, "rotates every 120 days; rotate at least every 90 days", id="too-slow"
        ),
        pytest.param({"automaticallyAfterDays": "365"}, {}, "rotates every 365 days", id="days-as-string"),
        pytest.param({"scheduleExpression": "rate(100 days)"}, {}, "rotates every 100 days", id="rate-too-slow"),
        pytest.param({"scheduleExpression": "cron(0 0 1 1 ? *)"}, {}, "rotates every 365 days", id="yearly-cron"),
        pytest.param(
            {"automaticallyAfterDays": 30}, {"rotationEnabled": False}, "the secret never rotates", id="disabled"
        ),
        pytest.param({}, {}, "has no rotationRules", id="no-rules"),
        pytest.param({"automaticallyAfterDays": UNKNOWN}, {}, "UNDECIDED", id="schedule-unknown"),
    ],
)
def test_a_rotation_of_a_secret_outside_the_stack_is_judged_by_itself(rules, props, expected):
    outcome = run_stack(ROTATION, [rotation(rules, secretId=OUTSIDE, **props)])
    if expected is None:
        assert outcome.violations == [] and outcome.unchecked is None
    elif expected == "UNDECIDED":
        assert outcome.violations == [] and "its schedule is unknown until deploy" in outcome.unchecked
    else:
        assert len(outcome.violations) == 1 and expected in outcome.violations[0], outcome.violations
        assert outcome.urns == [
            "urn:pulumi:test::ops-baseline::aws:secretsmanager/secretRotation:SecretRotation::db-rotation"
        ]


def test_quarterly_cron_gap():
    assert cron_gap_days("0 0 1 1/3 ? *") == 92
    assert cron_gap_days("0 8 ? * MON-FRI *") == 3
    assert cron_gap_days("0 0 1 1 ? 2025") is None


TAGS = "aws-tagging-resource-require-tags"
REQUIRED = {"requiredTags": {"environment": ["dev", "prod"], "owner": []}}


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ({"environment": "dev", "owner": "platform"}, None),
        ({"environment": "dev"}, "has no owner tag"),
        ({}, "has no environment, owner tags"),
        ({"environment": "qa", "owner": "platform"}, "tag environment is 'qa'; allowed: dev, prod"),
        ({"environment": "dev", "owner": ""}, "has no owner tag"),
        ({"environment": UNKNOWN, "owner": "platform"}, "UNDECIDED"),
    ],
    ids=["complete", "missing-one", "missing-both", "value-not-allowed", "empty-value", "unknown-value"],
)
def test_required_tags(tags, expected):
    outcome = run_resource(TAGS, t.SNS_TOPIC, {"name": "alerts", "tags": tags}, REQUIRED)
    if expected is None:
        assert outcome.violations == [] and outcome.unchecked is None
    elif expected == "UNDECIDED":
        assert outcome.violations == [] and "tags.environment" in outcome.unchecked
    else:
        assert outcome.violations == [f"Resource {expected}."] or expected in outcome.violations[0], outcome.violations


DEFAULT_TAGS = {"tags": {"environment": "prod", "owner": "platform"}}


@pytest.mark.parametrize(
    "setting",
    [json.dumps(DEFAULT_TAGS), DEFAULT_TAGS],
    ids=["json-text-as-the-engine-sends-it", "object"],
)
def test_provider_default_tags_count_and_the_resource_wins(setting):
    check = BY_NAME[TAGS].check
    config = BY_NAME[TAGS].config(REQUIRED)
    provider = {"region": "eu-west-1", "defaultTags": setting, "version": "7.51.1"}
    assert list(check(Props({"tags": {}}, provider=provider), config)) == []
    assert list(check(Props({}, provider=provider), config)) == []
    assert list(check(Props({"tags": {"environment": "qa"}}, provider=provider), config)) == [
        "Resource tag environment is 'qa'; allowed: dev, prod."
    ]


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (UNKNOWN, "UNDECIDED"),
        ("{not json", "Resource has no environment, owner tags; required: environment, owner."),
        (
            json.dumps({"tags": "owner=platform"}),
            "Resource has no environment, owner tags; required: environment, owner.",
        ),
    ],
    ids=["unknown-at-preview", "not-json", "tags-not-an-object"],
)
def test_provider_default_tags_that_say_nothing(setting, expected):
    props = Props({"tags": {}}, provider=unknown_checking_proxy({"defaultTags": setting}))
    found = list(BY_NAME[TAGS].check(props, BY_NAME[TAGS].config(REQUIRED)))
    if expected == "UNDECIDED":
        assert found == [] and props.unknown_paths == ["the provider's defaultTags"]
    else:
        assert found == [expected]


def test_unknown_provider_tags_leave_the_resource_own_wrong_value_a_violation():
    props = Props(
        {"tags": {"environment": "qa", "owner": "me"}}, provider=unknown_checking_proxy({"defaultTags": UNKNOWN})
    )
    assert list(BY_NAME[TAGS].check(props, BY_NAME[TAGS].config(REQUIRED))) == [
        "Resource tag environment is 'qa'; allowed: dev, prod."
    ]


def test_untaggable_types_and_no_requirement_are_left_alone():
    assert run_resource(TAGS, t.S3_BUCKET_PAB, {"bucket": "b"}, REQUIRED).violations == []
    assert run_resource(TAGS, t.SNS_TOPIC, {"name": "alerts"}).violations == []


def test_the_taggable_types_match_the_installed_pulumi_aws():
    """Regenerate with `make docs` after upgrading pulumi-aws."""
    assert load() == tuple(scan(installed_package()))
    assert {t.S3_BUCKET, t.KMS_KEY, t.LAMBDA_FUNCTION} <= set(load())
    assert t.S3_BUCKET_PAB not in load()
