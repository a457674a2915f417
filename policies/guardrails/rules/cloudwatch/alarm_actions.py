"""Alarms notify someone: actions enabled and at least one ALARM action (OK actions where required).

A metric alarm without actions is fine when a composite alarm that notifies names it in its rule:
that is how composites cut noise (the children stay silent, the composite pages once).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ...model import ConfigRule, Guardrail, Parameter, References, StackView, Violation
from ...props import UNKNOWN, Props, count, text
from ...tokens import COMPOSITE_ALARM, METRIC_ALARM

ALARM_IN_RULE = re.compile(r'ALARM\(\s*"?([^")]+?)"?\s*\)')


def action_problems(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    if props.get("actionsEnabled") is False:
        yield "Alarm has actionsEnabled false; nobody is notified when it fires."
    if count(props, "alarmActions") == 0:
        yield "Alarm has no alarmActions; add the alerting topic so the ALARM state notifies someone."
    if config["requireOkActions"] and count(props, "okActions") == 0:
        yield "Alarm has no okActions; this environment requires recovery (OK) notifications too."


def silenced_by_composites(stack: StackView, config: Mapping[str, Any]) -> set[str] | None:
    """Names of metric alarms that a notifying composite alarm watches; None if a rule is unknown."""
    names: set[str] = set()
    for composite in stack.of_type(COMPOSITE_ALARM):
        rule = composite.props.get("alarmRule")
        if rule is UNKNOWN:
            return None
        if text(rule) and not list(action_problems(composite.props, config)):
            names.update(ALARM_IN_RULE.findall(rule))
    return names


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation]:
    covered = silenced_by_composites(stack, config)
    for alarm in stack.of_type(METRIC_ALARM, COMPOSITE_ALARM):
        problems = list(action_problems(alarm.props, config))
        if not problems:
            continue
        if alarm.type == METRIC_ALARM:
            name = alarm.props.get("name")
            if covered is None or name is UNKNOWN or (text(name) and name in covered):
                continue
        for problem in problems:
            yield Violation(f"{alarm.name}: {problem}", alarm.urn)


GUARDRAIL = Guardrail(
    name="aws-cloudwatch-alarm-configure-actions",
    description="CloudWatch alarms notify on ALARM (and on OK where required), directly or through a composite alarm that names them.",
    severity="high",
    kind="stack",
    resource_types=(METRIC_ALARM, COMPOSITE_ALARM),
    remediation_steps="Set alarmActions (and okActions) to the alerting topic ARN and leave actionsEnabled true, or name the alarm in a composite alarm that does.",
    references=References(
        # Config evaluates alarms one by one: it also flags the silent children of a composite.
        config_rule=ConfigRule(
            "CLOUDWATCH_ALARM_ACTION_CHECK",
            static_parameters={"alarmActionRequired": "true", "insufficientDataActionRequired": "false"},
            parameters_from={"okActionRequired": "requireOkActions"},
        ),
        security_hub=("CloudWatch.15", "CloudWatch.17"),
        checkov=("CKV_AWS_319",),
    ),
    check=check,
    parameters=(
        Parameter(
            "requireOkActions", {"type": "boolean", "default": False}, "Also require an OK action on every alarm."
        ),
    ),
)
