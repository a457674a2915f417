"""SNS filter policies and EventBridge patterns as AWS evaluates them: the developer guide's own
examples, the limits SNS enforces, and the SMS policy the plan builds for every choice of settings."""

from __future__ import annotations

import itertools
import json

import pytest

from opsctl.notifications.matching import (
    EVENT_PATTERN,
    MESSAGE_ATTRIBUTES,
    attributes_match,
    combinations,
    matches,
    problems,
)
from plan.alerting import sms_filter_policy
from plan.events import EVENT_RULES
from policies.guardrails.vocabulary.cis import BY_CONTROL
from settings.model import ALARM_SEVERITIES, SmsFilterSettings
from tests.test_slack_notifier import record

INTERESTS = {"customer_interests": ["rugby", "tennis"]}


@pytest.mark.parametrize(
    ("policy", "body", "expected"),
    [
        (INTERESTS, {"customer_interests": "rugby"}, True),
        (INTERESTS, {"customer_interests": "baseball"}, False),
        (INTERESTS, {"customer_interests": "Rugby"}, False),
        (INTERESTS, {"customer_interests": ["soccer", "tennis"]}, True),
        (INTERESTS, {"store": "example_corp"}, False),
        ({"c": [{"anything-but": ["rugby", "tennis"]}]}, {"c": "baseball"}, True),
        ({"c": [{"anything-but": ["rugby", "tennis"]}]}, {"c": "rugby"}, False),
        ({"c": [{"anything-but": ["rugby", "tennis"]}]}, {"c": ["rugby", "baseball"]}, True),
        ({"c": [{"anything-but": ["rugby", "tennis"]}]}, {"other": 1}, False),
        ({"e": [{"anything-but": {"prefix": "order-"}}]}, {"e": "data-entry"}, True),
        ({"e": [{"anything-but": {"prefix": "order-"}}]}, {"e": "order-cancelled"}, False),
        ({"c": [{"prefix": "bas"}]}, {"c": "basketball"}, True),
        ({"c": [{"prefix": "bas"}]}, {"c": "rugby"}, False),
        ({"name": [{"suffix": "-critical"}]}, {"name": "ops-prod-orders-errors-critical"}, True),
        ({"name": [{"suffix": "-critical"}]}, {"name": "ops-prod-orders-throttles-warning"}, False),
        ({"c": [{"equals-ignore-case": "RUGBY"}]}, {"c": "rugby"}, True),
        ({"price": [{"numeric": ["=", 301.5]}]}, {"price": 301.5}, True),
        ({"price": [{"numeric": ["=", 301.5]}]}, {"price": "301.5"}, False),
        ({"price": [{"numeric": [">", 0, "<=", 150]}]}, {"price": 150}, True),
        ({"price": [{"numeric": [">", 0, "<=", 150]}]}, {"price": 150.00001}, False),
        ({"price": [{"numeric": [">", 0, "<=", 150]}]}, {"price": 0}, False),
        ({"ip": [{"cidr": "10.0.0.0/24"}]}, {"ip": "10.0.0.255"}, True),
        ({"ip": [{"cidr": "10.0.0.0/24"}]}, {"ip": "10.1.1.0"}, False),
        ({"store": [{"exists": True}]}, {"store": "fans"}, True),
        ({"store": [{"exists": True}]}, {"store": ""}, False),
        ({"store": [{"exists": True}]}, {"customer_interests": ["baseball"]}, False),
        ({"store": [{"exists": False}]}, {"customer_interests": ["baseball"]}, True),
        ({"store": [{"exists": False}]}, {"store": "fans"}, False),
        ({"store": [{"anything-but": ["fans"]}, {"exists": False}]}, {"other": 1}, True),
        ({"a": {"b": {"c": ["x"]}}}, {"a": {"b": {"c": "x"}}}, True),
        ({"a": {"b": {"c": ["x"]}}}, {"a": {"b": {"c": "y"}}}, False),
        ({"a": {"b": ["x"]}}, {"a": [{"b": "y"}, {"b": "x"}]}, True),
        ({"a": {"b": [{"exists": False}]}}, {"other": 1}, True),
        ({"a": {"b": [{"exists": False}]}}, {"a": "not an object"}, True),
        ({"a": ["x"]}, ["a", "x"], False),
    ],
)
def test_message_body_matching_follows_the_guide(policy, body, expected):
    assert not problems(policy)
    assert matches(policy, body) is expected


STANDARD_OR = {"source": ["aws.cloudwatch"], "$or": [{"metricName": ["CPUUtilization"]}, {"namespace": ["AWS/EC2"]}]}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"source": "aws.cloudwatch", "metricName": "CPUUtilization"}, True),
        ({"source": "aws.cloudwatch", "namespace": "AWS/EC2"}, True),
        ({"source": "aws.cloudwatch", "metricName": "ReadLatency"}, False),
        ({"source": "aws.ec2", "metricName": "CPUUtilization"}, False),
    ],
)
def test_or_joins_its_objects_and_ands_the_keys_beside_it(body, expected):
    assert matches(STANDARD_OR, body) is expected


def test_or_with_one_object_is_an_ordinary_property_name():
    policy = {"$or": [{"metricName": ["CPUUtilization"]}]}
    assert not matches(policy, {"metricName": "CPUUtilization"})


def test_message_attribute_policies_match_attributes_and_never_a_message_without_any():
    policy = {"store": ["example_corp"], "customer_interests": ["rugby"]}
    attributes = {
        "store": {"Type": "String", "Value": "example_corp"},
        "customer_interests": {"Type": "String.Array", "Value": '["soccer", "rugby"]'},
    }
    assert attributes_match(policy, attributes)
    assert not attributes_match({"store": [{"exists": False}]}, {})
    assert attributes_match({"price": [{"numeric": [">=", 100]}]}, {"price": {"Type": "Number", "Value": "120"}})


@pytest.mark.parametrize(
    ("policy", "dialect", "problem"),
    [
        ({"a": [{"wildcard": "x*"}]}, MESSAGE_ATTRIBUTES, "unknown operator 'wildcard'"),
        ({"a": {"b": ["x"]}}, MESSAGE_ATTRIBUTES, "a holds an object; this scope takes no nested keys"),
        ({"a": []}, EVENT_PATTERN, "a must hold a non-empty list"),
        ({"a": "x"}, EVENT_PATTERN, "a must hold a non-empty list"),
        ({"a": [{"prefix": 1}]}, EVENT_PATTERN, "prefix takes a string"),
        ({"a": [{"anything-but": {"suffix": "x"}}]}, EVENT_PATTERN, "anything-but takes values, or {prefix"),
        ({"a": [{"numeric": ["<", 5, ">", 1]}]}, EVENT_PATTERN, "a numeric range is [> or >=, low, < or <=, high]"),
        ({"a": [{"numeric": [">", 5, "<", 1]}]}, EVENT_PATTERN, "with low below high"),
        ({"a": [{"prefix": "x", "suffix": "y"}]}, EVENT_PATTERN, "one operator per match expression"),
        ({"a": [{"exists": "yes"}]}, EVENT_PATTERN, "exists takes true or false"),
        ({"a": [{"cidr": "10.0.0.0/33"}]}, EVENT_PATTERN, "cidr takes a network"),
        ({k: ["x"] for k in "abcdef"}, MESSAGE_ATTRIBUTES, "6 keys (a, b, c, d, e, f); at most 5"),
        ({"a": list(range(10)), "b": list(range(16))}, MESSAGE_ATTRIBUTES, "160 combinations of values; at most 150"),
    ],
)
def test_what_sns_refuses_is_named(policy, dialect, problem):
    assert any(problem in p for p in problems(policy, dialect)), problems(policy, dialect)


def test_combinations_are_counted_as_the_guide_counts_them():
    nested = {"key_a": {"key_b": {"key_c": [1, 2, 3, 4]}}, "key_d": {"key_e": [1, 2, 3]}}
    assert combinations(nested) == 72  # the guide: 4 values three levels deep, 3 values two levels deep
    assert combinations({**nested, "key_f": [1, 2, 3]}) == 216  # SNS refuses it (recorded against AWS by LocalStack)
    assert combinations(STANDARD_OR) == 2


def every_sms_filter():
    controls = tuple(BY_CONTROL)
    for severities, cis, recoveries, root in itertools.product(
        [(), *((s,) for s in ALARM_SEVERITIES), ALARM_SEVERITIES],
        [(), ("CloudWatch.1",), controls[:7], controls],
        (False, True),
        (False, True),
    ):
        settings = SmsFilterSettings(severities, cis, recoveries, root)
        if not list(settings.problems()):
            yield settings


@pytest.mark.parametrize("settings", list(every_sms_filter()), ids=repr)
def test_every_sms_filter_the_settings_allow_is_one_sns_accepts(settings):
    assert problems(sms_filter_policy(settings)) == []


def alarm(name: str, state: str, metric: str | None = "Errors") -> dict:
    """A CloudWatch alarm notification body; composite and metric-math alarms carry no MetricName."""
    return {"AlarmName": name, "NewStateValue": state, "Trigger": {"MetricName": metric} if metric else {}}


ROOT_CALL = {
    "detail-type": "AWS API Call via CloudTrail",
    "source": "aws.cloudtrail",
    "detail": {"userIdentity": {"type": "Root"}, "eventName": "StopLogging"},
}


@pytest.mark.parametrize(
    ("body", "texted"),
    [
        (alarm("ops-prod-orders-errors-critical", "ALARM"), True),
        (alarm("ops-prod-orders-composite-critical", "ALARM", metric=None), True),
        (alarm("ops-prod-orders-errors-critical", "OK"), False),
        (alarm("ops-prod-orders-throttles-warning", "ALARM"), False),
        (alarm("ops-prod-cis-1-root-account-usage-matches-critical", "ALARM", "RootAccountUsage"), False),
        (alarm("ops-prod-cis-10-security-group-changes-matches-critical", "ALARM", "SecurityGroupChanges"), False),
        (json.loads(record("root_sign_in.json")["Sns"]["Message"]), True),
        (ROOT_CALL, True),
        (json.loads(record("cloudtrail_security_group.json")["Sns"]["Message"]), False),
        (json.loads(record("config_compliance.json")["Sns"]["Message"]), False),
        ({"messageType": "ConfigurationItemChangeNotification"}, False),
    ],
    ids=[
        "critical-alarm",
        "critical-composite",
        "critical-recovery",
        "warning",
        "cis-root-usage",
        "cis-security-groups",
        "root-sign-in",
        "root-api-call",
        "security-group-change",
        "non-compliant",
        "config-item",
    ],
)
def test_the_default_sms_filter_texts_what_needs_a_person(body, texted):
    assert matches(sms_filter_policy(SmsFilterSettings()), body) is texted


def test_recoveries_warnings_and_cis_alarms_text_when_chosen():
    chosen = sms_filter_policy(
        SmsFilterSettings(alarm_severities=ALARM_SEVERITIES, cis_controls=("CloudWatch.1",), recoveries=True)
    )
    assert matches(chosen, alarm("ops-prod-orders-throttles-warning", "OK"))
    assert matches(chosen, alarm("ops-prod-cis-1-root-account-usage-matches-critical", "OK", "RootAccountUsage"))
    assert not matches(chosen, alarm("ops-prod-cis-4-iam-policy-changes-matches-critical", "ALARM", "IamPolicyChanges"))


@pytest.mark.parametrize(
    ("rule", "fixture"),
    [
        ("security-group-changes", "cloudtrail_security_group.json"),
        ("root-sign-in", "root_sign_in.json"),
        ("config-non-compliant", "config_compliance.json"),
    ],
)
def test_event_rules_match_the_events_the_notifier_formats(rule, fixture):
    patterns = {r.name: r.pattern for r in EVENT_RULES}
    event = json.loads(record(fixture)["Sns"]["Message"])
    assert not problems(patterns[rule], EVENT_PATTERN)
    assert matches(patterns[rule], event, EVENT_PATTERN)
    others = [name for name, pattern in patterns.items() if name != rule and matches(pattern, event, EVENT_PATTERN)]
    assert others == []
