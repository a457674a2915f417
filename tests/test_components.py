"""Keys and alerting: recorded registrations (types, names, parents, key inputs) under the offline engine."""

from __future__ import annotations

import json
import runpy

import pulumi
import pytest

from components import Alerting, AlertingArgs, EncryptionKeys, EncryptionKeysArgs, current_account
from components.alerting import endpoint_suffix
from plan.alerting import Key, Topic
from tests.conftest import ROOT, VALID_CONFIG, is_taggable, only, run_components

KEY = "aws:kms/key:Key"
TOPIC = "aws:sns/topic:Topic"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
SMS_FILTER = '{"AlarmName": [{"suffix": "-critical"}], "NewStateValue": ["ALARM"]}'


def build_pair():
    account = current_account("eu-west-1")
    keys = EncryptionKeys(
        "keys",
        EncryptionKeysArgs(account=account, key=Key("alias/ops-test", ("logs", "sns", "cloudwatch", "events"))),
    )
    Alerting(
        "alerting",
        AlertingArgs(
            account=account,
            kms_key_arn=keys.key_arn,
            topic=Topic(
                "ops-test-alerts",
                emails=("a@example.com", "b@example.com"),
                sms_numbers=("+14155550123",),
                https_endpoints=("https://pager.example.com/hook",),
                sms_filter_policy=SMS_FILTER,
            ),
        ),
    )


@pytest.fixture(scope="module")
def plan():
    return run_components(build_pair)


def test_key_rotates_with_a_thirty_day_deletion_window(plan):
    key = only(plan, KEY)
    assert key.inputs["enableKeyRotation"] is True
    assert key.inputs["deletionWindowInDays"] == 30.0
    assert "bypassPolicyLockoutSafetyCheck" not in key.inputs


def test_key_has_its_alias(plan):
    alias = only(plan, "aws:kms/alias:Alias")
    assert alias.inputs["name"] == "alias/ops-test"
    assert alias.inputs["targetKeyId"] == only(plan, KEY).outputs["keyId"]


def test_key_policy_opens_the_key_to_exactly_the_named_services(plan):
    policy = json.loads(only(plan, KEY).inputs["policy"])
    principals = [s["Principal"] for s in policy["Statement"]]
    assert principals == [
        {"AWS": "arn:aws:iam::123456789012:root"},
        {"Service": "logs.eu-west-1.amazonaws.com"},
        {"Service": "sns.amazonaws.com"},
        {"Service": "cloudwatch.amazonaws.com"},
        {"Service": "events.amazonaws.com"},
    ]
    logs = policy["Statement"][1]
    assert logs["Condition"] == {
        "ArnLike": {"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:123456789012:log-group:*"}
    }
    for statement in policy["Statement"][2:]:
        assert statement["Condition"]["StringEquals"] == {"aws:SourceAccount": "123456789012"}


def test_topic_is_encrypted_with_the_customer_key(plan):
    topic = only(plan, TOPIC)
    assert topic.inputs["kmsMasterKeyId"] == only(plan, KEY).outputs["arn"]
    assert topic.inputs["name"] == "ops-test-alerts"


def test_topic_policy_scopes_publishers_to_this_account(plan):
    topic_arn = only(plan, TOPIC).outputs["arn"]
    registration = only(plan, "aws:sns/topicPolicy:TopicPolicy")
    assert registration.inputs["arn"] == topic_arn
    statements = json.loads(registration.inputs["policy"])["Statement"]
    assert all(s["Resource"] == topic_arn for s in statements)
    for statement in statements:
        if statement["Principal"] == "*" or statement["Principal"].get("AWS") == "*":
            pytest.fail(f"wildcard principal in {statement['Sid']}")
    services = {s["Principal"].get("Service"): s for s in statements if "Service" in s["Principal"]}
    assert services["cloudwatch.amazonaws.com"]["Condition"]["ArnLike"] == {
        "aws:SourceArn": "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*"
    }
    assert services["events.amazonaws.com"]["Condition"]["ArnLike"] == {
        "aws:SourceArn": "arn:aws:events:eu-west-1:123456789012:rule/*"
    }


def test_every_endpoint_becomes_a_subscription_to_the_topic(plan):
    topic_arn = only(plan, TOPIC).outputs["arn"]
    subscriptions = {(s.inputs["protocol"], s.inputs["endpoint"]) for s in plan.of_type(SUBSCRIPTION)}
    assert subscriptions == {
        ("email", "a@example.com"),
        ("email", "b@example.com"),
        ("sms", "+14155550123"),
        ("https", "https://pager.example.com/hook"),
    }
    assert {s.inputs["topic"] for s in plan.of_type(SUBSCRIPTION)} == {topic_arn}


def test_only_sms_subscriptions_filter_and_they_filter_the_message_body(plan):
    filtered = {
        s.inputs["protocol"]: (s.inputs.get("filterPolicy"), s.inputs.get("filterPolicyScope"))
        for s in plan.of_type(SUBSCRIPTION)
    }
    assert filtered == {"email": (None, None), "sms": (SMS_FILTER, "MessageBody"), "https": (None, None)}


def test_subscription_names_are_stable_and_free_of_personal_data(plan):
    names = sorted(s.name for s in plan.of_type(SUBSCRIPTION))
    assert f"alerting-email-{endpoint_suffix('a@example.com')}" in names
    assert not any("example" in name for name in names)


def test_children_are_named_after_and_parented_to_their_component(plan):
    components = {r.urn: r.name for r in plan.registrations if not r.custom}
    for registration in plan.registrations:
        if registration.custom:
            owner = components[registration.parent]
            assert registration.name.startswith(f"{owner}-"), registration.name


@pytest.mark.parametrize(
    ("mode", "expected"), [("up", "arn:aws:sns:eu-west-1:123456789012:ops-test-alerts"), ("preview", None)]
)
def test_topic_arn_output_is_known_after_deploy_only(mode, expected):
    def program():
        account = current_account("eu-west-1")
        alerting = Alerting(
            "alerting",
            AlertingArgs(
                account=account, kms_key_arn="arn:aws:kms:eu-west-1:123456789012:key/k", topic=Topic("ops-test-alerts")
            ),
        )
        pulumi.export("topicArn", alerting.topic_arn)

    output = run_components(program, mode=mode).outputs["topicArn"]
    assert (output.known, output.value) == (expected is not None, expected)


@pytest.mark.parametrize("mode", ["preview", "up"])
def test_default_tags_reach_every_taggable_resource_of_the_program(mode):
    plan = run_components(lambda: runpy.run_path(str(ROOT), run_name="__main__"), mode=mode)
    taggable = [r for r in plan.registrations if r.custom and is_taggable(r.type)]
    assert {r.type for r in taggable} >= {KEY, TOPIC}
    expected = {
        "project": "ops-baseline",
        "environment": "dev",
        "managed-by": "pulumi",
        **VALID_CONFIG["ops-baseline:tags"],
    }
    for registration in taggable:
        assert registration.inputs.get("tags") == expected, registration.name
