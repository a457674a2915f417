"""Alarms notify someone: actions enabled and at least one ALARM action (OK actions optional)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...model import ConfigRule, Guardrail, Parameter, References
from ...props import Props, count
from ...tokens import COMPOSITE_ALARM, METRIC_ALARM


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    if props.get("actionsEnabled") is False:
        yield "Alarm has actionsEnabled false; nobody is notified when it fires."
    if count(props, "alarmActions") == 0:
        yield "Alarm has no alarmActions; add the alerting topic so the ALARM state notifies someone."
    if config["requireOkActions"] and count(props, "okActions") == 0:
        yield "Alarm has no okActions; this environment requires recovery (OK) notifications too."


GUARDRAIL = Guardrail(
    name="aws-cloudwatch-alarm-configure-actions",
    description="CloudWatch metric and composite alarms have actions enabled and notify on ALARM (and on OK where required).",
    severity="high",
    resource_types=(METRIC_ALARM, COMPOSITE_ALARM),
    remediation_steps="Set alarmActions (and okActions) to the alerting topic ARN and leave actionsEnabled true.",
    references=References(
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
