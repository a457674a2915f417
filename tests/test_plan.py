"""The plan: built once from settings, the names it checks are the names components create, and the
stack-wide checks see every alarm (the notifier's, the sample workload's, CIS, billing)."""

from __future__ import annotations

import copy

import pytest

from plan import plan_stack
from plan.events import EVENT_RULES
from settings import SettingsError
from settings.trail import EVENT_RULE_NAMES
from tests.conftest import SECRET_KEYS, VALID_CONFIG, run_stack_program
from tests.test_identity import EVERYTHING

ALARM_TYPES = ("aws:cloudwatch/metricAlarm:MetricAlarm", "aws:cloudwatch/compositeAlarm:CompositeAlarm")


def planned_alarm_names(config) -> set[str]:
    plan = plan_stack(config, SECRET_KEYS)
    return {name for monitor in plan.monitors for name, _ in monitor.alarm_names}


def test_the_names_the_plan_checks_are_the_names_deployed():
    deployed = run_stack_program(EVERYTHING)
    created = {r.inputs.get("name") or r.inputs["alarmName"] for r in deployed.registrations if r.type in ALARM_TYPES}
    assert created == planned_alarm_names(EVERYTHING)
    assert any("slack-notifier" in n for n in created) and any("cis-" in n for n in created)
    assert any("-slo-" in n for n in created)


def rejected(config) -> list[str]:
    with pytest.raises(SettingsError) as raised:
        plan_stack(config, SECRET_KEYS)
    return [str(issue) for issue in raised.value.issues]


def test_a_monitored_function_named_like_the_notifier_collides_with_its_alarms():
    config = copy.deepcopy(VALID_CONFIG)
    config["ops-baseline:monitoring"] = {"lambdaFunctions": [{"functionName": "slack-notifier"}]}
    found = rejected(config)
    assert (
        'ops-baseline:alerting.slack: "ops-dev-slack-notifier-errors-critical" — alarm name is already used by '
        "monitoring.lambdaFunctions[0]"
    ) in found


def test_a_metric_filter_named_like_a_cis_filter_collides_with_its_alarm():
    config = copy.deepcopy(VALID_CONFIG)
    config["ops-baseline:monitoring"] = {
        "logGroups": [
            {
                "name": "/app/audit",
                "metricFilters": [{"name": "cis-1-root-account-usage", "pattern": "root", "metricName": "Root"}],
            }
        ]
    }
    found = rejected(config)
    assert any(
        issue.startswith('ops-baseline:cloudTrail.cisControls: "ops-dev-cis-1-root-account-usage-matches-critical"')
        and issue.endswith("already used by monitoring.logGroups[0].metricFilters[0]")
        for issue in found
    ), found


def test_the_sample_workload_and_a_function_of_its_name_collide():
    config = {**copy.deepcopy(VALID_CONFIG), "ops-baseline:sampleWorkload": True}
    config["ops-baseline:monitoring"] = {"lambdaFunctions": [{"functionName": "sample-fn"}]}
    assert any("ops-baseline:sampleWorkload: " in issue and "already used by" in issue for issue in rejected(config))


def test_an_entry_problem_stops_the_plan_before_the_stack_checks():
    config = copy.deepcopy(VALID_CONFIG)
    config["ops-baseline:monitoring"] = {
        "lambdaFunctions": [{"functionName": "f"}, {"functionName": "f", "alarms": {"errors": {"threshold": -1}}}]
    }
    found = rejected(config)
    # The threshold is an entry's problem and stops the plan, as any settings problem does.
    assert found == [
        "ops-baseline:monitoring.lambdaFunctions[1].alarms.errors.threshold: -1.0 — must be >= 0 (count cannot be negative)"
    ]


def test_every_selectable_event_rule_has_its_pattern():
    assert tuple(rule.name for rule in EVENT_RULES) == EVENT_RULE_NAMES


def test_the_billing_alarm_gets_its_own_topic_outside_us_east_1_only():
    config = {**copy.deepcopy(VALID_CONFIG), "ops-baseline:monitoring": {"billing": {"thresholdUsd": 10}}}
    away = plan_stack(config, SECRET_KEYS)
    home = plan_stack({**config, "aws:region": "us-east-1"}, SECRET_KEYS)
    assert away.billing is not None and away.billing.topic.name == "ops-dev-billing-alerts"
    assert away.billing.topic.region == away.billing.key.region == "us-east-1"
    assert [m.topic for m in away.monitors if m.label == "billing"] == ["billing"]
    assert home.billing is None and [m.topic for m in home.monitors if m.label == "billing"] == ["alerts"]


def test_a_stack_outside_us_east_1_forwards_the_global_service_rules_only():
    """IAM calls and root sign-ins reach EventBridge in us-east-1 only; the other rules' events
    reach the stack's own region."""
    forwarding = plan_stack(copy.deepcopy(VALID_CONFIG), SECRET_KEYS).event_forwarding
    assert forwarding is not None
    assert (forwarding.region, forwarding.bus_region, forwarding.role_name) == (
        "us-east-1",
        "eu-west-1",
        "ops-dev-event-forwarding-role",
    )
    assert [(r.label, r.name) for r in forwarding.rules] == [
        ("root-sign-in", "ops-dev-root-sign-in-to-eu-west-1"),
        ("iam-policy-changes", "ops-dev-iam-policy-changes-to-eu-west-1"),
    ]
    patterns = {rule.name: rule.pattern for rule in EVENT_RULES}
    assert all(r.pattern == patterns[r.label] for r in forwarding.rules)


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"aws:region": "us-east-1"}, id="in-us-east-1"),
        pytest.param({"ops-baseline:cloudTrail": {"eventRules": ["security-group-changes"]}}, id="no-global-rule"),
        pytest.param({"ops-baseline:cloudTrail": {"eventRules": []}}, id="no-rule"),
    ],
)
def test_nothing_is_forwarded_to_a_stack_that_gets_the_events_or_matches_none(changes):
    assert plan_stack({**copy.deepcopy(VALID_CONFIG), **changes}, SECRET_KEYS).event_forwarding is None
