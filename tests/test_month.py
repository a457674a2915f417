"""A month in a real account, replayed through the topics and subscriptions the stack creates: alarm
transitions, the CloudTrail events the event rules match (and many they do not), and everything AWS
Config streams (a configuration item per change, rule evaluation starts, snapshot and history
deliveries, compliance changes). Counted per subscriber: each email, each SMS number, each HTTPS
endpoint, each Slack route."""

from __future__ import annotations

import copy
import json
from collections import Counter
from dataclasses import replace

import pytest
from pulumi.runtime.rpc import UNKNOWN

from opsctl.engine import Registration, preflight_stack
from opsctl.notifications import Subscriber, deliveries, forecast
from opsctl.notifications.month import ACTIVITIES, Happening, compliance_change, month_of
from opsctl.notifications.wiring import Wiring, wiring_of
from policies.guardrails.vocabulary.cis import BY_CONTROL, CONTROLS
from tests.conftest import ROOT, VALID_CONFIG, run_stack_program
from tests.test_identity import EVERYTHING

CIS_METRICS = {c.name for c in CONTROLS}


def replayed(plan) -> tuple[Wiring, list[Happening], list]:
    resources = [r for r in plan.registrations if r.custom]
    wiring = wiring_of(resources, region=plan.region, account=plan.account)
    return wiring, month_of(wiring, resources), resources


@pytest.fixture(scope="module", params=["dev", "prod"])
def stack(request):
    return replayed(preflight_stack(ROOT, request.param, mode="preview"))


def alerting_topic(wiring: Wiring) -> str:
    return next(urn for urn in wiring.topics if urn.endswith("::alerting-topic"))


def streamed_to_the_alerting_topic(wiring: Wiring) -> Wiring:
    """The wiring as it was: the Config channel streaming to the alerting topic."""
    return replace(wiring, channels=tuple(replace(c, topic=alerting_topic(wiring)) for c in wiring.channels))


def test_nothing_config_streams_reaches_a_person(stack):
    wiring, month, _ = stack
    streamed = [h for h in month if h.source == "config"]
    # prod owns the region's recorder: items, evaluation starts, snapshots, history are the noise to keep
    # out; dev reuses it and streams nothing of its own.
    assert len(streamed) > 500 if wiring.channels else streamed == []
    assert not [d for d in deliveries(wiring, month) if d.via == "config stream"]
    assert all(channel.topic is None for channel in wiring.channels)


@pytest.fixture(scope="module")
def prod():
    return replayed(preflight_stack(ROOT, "prod", mode="preview"))


def test_the_old_wiring_would_have_mailed_every_configuration_item(prod):
    """The replay counts the stream where it flows: each email got every message; the SMS filter kept it off phones."""
    wiring, month, _ = prod
    streamed = [h for h in month if h.source == "config"]
    received = deliveries(streamed_to_the_alerting_topic(wiring), streamed)
    by_protocol = Counter()
    for delivery, count in received.items():
        by_protocol[delivery.subscriber.protocol] += count
    emails = [s for s in wiring.subscriptions if s.protocol == "email" and s.topic == alerting_topic(wiring)]
    assert emails and by_protocol["email"] == len(streamed) * len(emails)
    assert by_protocol["sms"] == 0


def texts(body) -> bool:
    """What the default SMS filter is meant to let through, said in plain Python."""
    if "AlarmName" in body:
        not_cis = body.get("Trigger", {}).get("MetricName") not in CIS_METRICS
        return body["AlarmName"].endswith("-critical") and body["NewStateValue"] == "ALARM" and not_cis
    return body.get("detail", {}).get("userIdentity", {}).get("type") == "Root"


@pytest.fixture(scope="module")
def prod_in_us_east_1():
    """Prod's alerting in us-east-1, where IAM and sign-in events reach the event rules too."""
    config = copy.deepcopy(VALID_CONFIG)
    config["aws:region"] = "us-east-1"
    config["ops-baseline:alerting"] = {"emails": ["oncall@example.com"], "smsNumbers": ["+14155550123"]}
    config["ops-baseline:monitoring"] = {
        "lambdaFunctions": [{"functionName": "orders", "composite": True}, {"functionName": "payments"}],
        "billing": {"thresholdUsd": 100},
    }
    return replayed(run_stack_program(config, mode="preview"))


def test_sms_gets_exactly_the_critical_alarms_and_root_activity(prod_in_us_east_1):
    wiring, month, _ = prod_in_us_east_1
    phone = Subscriber("sms", "+14155550123")
    texted = [h for h in month if any(d.subscriber == phone for d in deliveries(wiring, [h]))]
    published = [h for h in month if deliveries(wiring, [h])]
    assert texted == [h for h in published if texts(h.body)]
    kinds = Counter((h.source, h.body.get("NewStateValue") or h.body["detail-type"]) for h in texted)
    assert kinds[("cloudwatch", "ALARM")] > 0 and kinds[("events", "AWS Console Sign In via CloudTrail")] == 1
    assert not [h for h in texted if h.body.get("NewStateValue") == "OK"]


def test_a_non_compliant_resource_is_told_once_to_each_person(prod_in_us_east_1):
    wiring, _, resources = prod_in_us_east_1
    change = compliance_change(
        "ops-dev-cloudwatch-log-group-retention",
        resources[0],
        "NON_COMPLIANT",
        "COMPLIANT",
        region="us-east-1",
        account=wiring.account,
    )
    now = Counter(d.subscriber.protocol for d, n in deliveries(wiring, change).items() for _ in range(n))
    before = Counter(
        d.subscriber.protocol
        for d, n in deliveries(streamed_to_the_alerting_topic(wiring), change).items()
        for _ in range(n)
    )
    assert now == {"email": 1}
    assert before == {"email": 2}


SMALL = {
    "aws:region": "us-east-1",
    "ops-baseline:environment": "shop",
    "ops-baseline:alerting": {"emails": ["oncall@example.com"], "smsNumbers": ["+14155550123"]},
    "ops-baseline:monitoring": {"lambdaFunctions": [{"functionName": "orders"}]},
}


def test_a_small_stack_counts_what_a_hand_count_gives():
    """One function (errors critical; throttles and p99 duration warnings), the trail with its 14 CIS
    alarms and 7 event rules, Config with its rules, in us-east-1."""
    plan = run_stack_program(SMALL, mode="preview")
    month = forecast([r for r in plan.registrations if r.custom], region=plan.region, account=plan.account)
    counts = {
        r.subscriber.protocol: (r.monthly, dict(((via, what), n) for via, what, n in r.kinds)) for r in month.receivers
    }
    # CIS alarms breach once per burst: root 1, denied calls 10, IAM policies 10, trail 1, sign-in
    # failures 4, KMS 1, bucket policies 2, security groups 8, route tables 1 = 38; the function's
    # errors alarm once: 39 critical ALARM and 39 OK. Throttles and duration, 3 each: 6 and 6.
    # Rules: IAM policy changes 30, security groups 20, NON_COMPLIANT 4, KMS 1, root sign-in 1, trail 1.
    assert counts["email"] == (
        147,
        {
            ("alarm", "critical ALARM"): 39,
            ("alarm", "critical OK"): 39,
            ("alarm", "warning ALARM"): 6,
            ("alarm", "warning OK"): 6,
            ("event rule", "ops-shop-iam-policy-changes"): 30,
            ("event rule", "ops-shop-security-group-changes"): 20,
            ("event rule", "ops-shop-config-non-compliant"): 4,
            ("event rule", "ops-shop-kms-key-disabled-or-deleted"): 1,
            ("event rule", "ops-shop-root-sign-in"): 1,
            ("event rule", "ops-shop-trail-stopped"): 1,
        },
    )
    # The errors alarm entering ALARM, and the root sign-in event (once: not CIS root usage as well).
    assert counts["sms"] == (2, {("alarm", "critical ALARM"): 1, ("event rule", "ops-shop-root-sign-in"): 1})


def test_slack_routes_get_what_the_notifier_routes_them():
    plan = run_stack_program(EVERYTHING, mode="preview")
    wiring, month, _ = replayed(plan)
    received = deliveries(wiring, month)
    slack = Counter()
    for delivery, count in received.items():
        if delivery.subscriber.protocol == "slack":
            slack[(delivery.subscriber.route, delivery.via, delivery.what)] += count
    incidents = {k: n for k, n in slack.items() if k[0] == "incidents"}
    # The route takes what the notifier calls critical: alarms named -critical in ALARM, a root sign-in.
    assert set(incidents) == {
        ("incidents", "alarm", "critical ALARM"),
        ("incidents", "event rule", "ops-dev-root-sign-in"),
    }
    assert ("default", "alarm", "critical ALARM") not in slack and slack[("default", "alarm", "critical OK")] > 0
    # The notifier listens to the alerting topic only: it posts each message there once, to one channel.
    to_topic = sum(n for d, n in received.items() if d.topic == "ops-dev-alerts" and d.subscriber.protocol == "https")
    assert sum(slack.values()) == to_topic


def test_every_subscriber_is_listed_with_its_topics_even_when_silent():
    config = {
        **copy.deepcopy(SMALL),
        "ops-baseline:alerting": {
            **SMALL["ops-baseline:alerting"],
            "smsFilter": {"alarmSeverities": ["warning"], "cisControls": [], "rootActivity": False},
        },
    }
    config["ops-baseline:monitoring"] = {
        "lambdaFunctions": [
            {"functionName": "orders", "alarms": {"throttles": {"enabled": False}, "durationP99": {"enabled": False}}}
        ]
    }
    plan = run_stack_program(config, mode="preview")
    month = forecast([r for r in plan.registrations if r.custom], region=plan.region, account=plan.account)
    phone = next(r for r in month.receivers if r.subscriber.protocol == "sms")
    assert (phone.topics, phone.monthly, phone.kinds) == (("ops-shop-alerts",), 0, ())
    assert phone.filter_policies and "AlarmName" in phone.filter_policies[0]


def test_the_forecast_is_the_same_in_preview_and_up():
    previews = forecast_of(preflight_stack(ROOT, "prod", mode="preview"))
    ups = forecast_of(preflight_stack(ROOT, "prod", mode="up"))
    assert previews == ups


def forecast_of(plan):
    return forecast([r for r in plan.registrations if r.custom], region=plan.region, account=plan.account).as_document()


def test_prod_texts_each_critical_service_alarm_once_and_the_forwarded_root_sign_in(prod):
    """No CIS alarm texts; the root sign-in arrives in us-east-1 and is forwarded to eu-west-1's rule."""
    wiring, _, _ = prod
    plan = preflight_stack(ROOT, "prod", mode="preview")
    services = [
        a
        for a in wiring.alarms
        if a.name.endswith("-critical") and a.metric[1] not in CIS_METRICS and a.actions.get("ALARM")
    ]
    [phone] = [s for s in forecast_of(plan)["subscribers"] if s["protocol"] == "sms"]
    assert phone["byKind"] == [
        {"via": "alarm", "what": "critical ALARM", "count": len(services)},
        {"via": "event rule", "what": "ops-prod-root-sign-in", "count": 1},
    ]


def test_each_activity_is_counted_by_the_cis_control_it_names():
    """The month says which CIS filter counts which events; each named control's pattern names them."""
    for activity in ACTIVITIES:
        if not activity.cis:
            continue
        pattern = BY_CONTROL[activity.cis].pattern
        signs = (
            {"Root": '"Root"', "IAMUser": "Failed authentication"}.get(activity.identity, "")
            if activity.source == "aws.signin"
            else activity.error.split(".")[-1]
        )
        names = [call for call in activity.calls if call in pattern]
        assert names == list(activity.calls) or (signs and signs in pattern), (activity.what, activity.cis)


# --- the wiring as the forecast reads it --------------------------------------------------------------


def registration(type_: str, name: str, inputs: dict, **dependencies) -> Registration:
    return Registration(
        f"urn:pulumi:dev::ops-baseline::{type_}::{name}",
        type_,
        name,
        None,
        True,
        inputs,
        property_dependencies=dependencies,
    )


TOPIC = registration("aws:sns/topic:Topic", "alerts", {"name": "ops-dev-alerts"})


def email(**inputs) -> Registration:
    return registration(
        "aws:sns/topicSubscription:TopicSubscription",
        "alerts-email",
        {"protocol": "email", "endpoint": "oncall@example.com", "topic": UNKNOWN, **inputs},
        topic=(TOPIC.urn,),
    )


def errors_alarm(**inputs) -> Registration:
    return registration(
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "orders-errors",
        {"name": "ops-dev-orders-errors-critical", "alarmActions": [UNKNOWN], "okActions": [UNKNOWN], **inputs},
        alarmActions=(TOPIC.urn,),
        okActions=(TOPIC.urn,),
    )


def receiver_of(*resources):
    [receiver] = forecast(list(resources), region="eu-west-1", account="123456789012").receivers
    return receiver


def test_an_alarm_notifies_its_topic_for_alarm_and_ok():
    assert receiver_of(TOPIC, email(), errors_alarm()).kinds == (
        ("alarm", "critical ALARM", 1),
        ("alarm", "critical OK", 1),
    )


def test_an_alarm_with_actions_disabled_notifies_no_one():
    assert receiver_of(TOPIC, email(), errors_alarm(actionsEnabled=False)).monthly == 0


def test_a_message_attribute_filter_lets_nothing_through_and_says_why():
    receiver = receiver_of(TOPIC, email(filterPolicy='{"severity": ["critical"]}'), errors_alarm())
    assert receiver.monthly == 0
    assert receiver.notes == (
        "ops-dev-alerts: the filter applies to message attributes, which alarms and events do not set",
    )


def test_a_filter_sns_refuses_is_named_and_delivers_nothing():
    policy = json.dumps({k: ["x"] for k in "abcdef"})
    receiver = receiver_of(TOPIC, email(filterPolicy=policy, filterPolicyScope="MessageBody"), errors_alarm())
    assert receiver.monthly == 0 and "at most 5" in receiver.notes[0]


def test_a_filter_known_after_deploy_is_counted_as_letting_everything_through():
    receiver = receiver_of(TOPIC, email(filterPolicy=UNKNOWN, filterPolicyScope="MessageBody"), errors_alarm())
    assert receiver.monthly == 2 and "known after deploy" in receiver.notes[0]


def test_a_rule_whose_pattern_is_not_modelled_is_left_out_and_named():
    rule = registration(
        "aws:cloudwatch/eventRule:EventRule",
        "events-writes",
        {"name": "ops-dev-writes", "eventPattern": json.dumps({"detail": {"eventName": [{"wildcard": "Put*"}]}})},
    )
    target = registration(
        "aws:cloudwatch/eventTarget:EventTarget",
        "events-writes-alerts",
        {"arn": UNKNOWN},
        rule=(rule.urn,),
        arn=(TOPIC.urn,),
    )
    month = forecast([TOPIC, email(), rule, target], region="eu-west-1", account="123456789012")
    assert month.receivers[0].monthly == 0
    assert month.notes == (
        "event rule ops-dev-writes is left out: EventBridge event pattern: detail.eventName: operator 'wildcard' is not modelled (modelled: prefix, suffix, equals-ignore-case, anything-but, numeric, cidr, exists)",
    )
