"""The CIS CloudWatch.1–14 metric filters sit on the multi-region trail's log group, each with an alarm that notifies."""

from collections.abc import Iterator, Mapping
from typing import Any

from ...cis import BY_CONTROL, CONTROLS, normalize
from ...model import Guardrail, Parameter, References, StackResource, StackView, Violation
from ...props import UNKNOWN, count, text
from ...tokens import LOG_GROUP, LOG_METRIC_FILTER, METRIC_ALARM, TRAIL


def trail_log_group(stack: StackView, trail: StackResource) -> StackResource | None:
    groups = stack.referenced(trail, "cloudWatchLogsGroupArn", LOG_GROUP)
    if groups:
        return groups[0]
    arn = text(trail.props.get("cloudWatchLogsGroupArn"))
    for group in stack.of_type(LOG_GROUP):
        group_arn = text(group.props.get("arn"))
        if arn and group_arn and arn.removesuffix(":*") == group_arn.removesuffix(":*"):
            return group
    return None


def filters_on(stack: StackView, group: StackResource) -> list[StackResource] | None:
    return stack.attached(group, LOG_METRIC_FILTER, "logGroupName", "name")


def has_notifying_alarm(stack: StackView, metric_filter: StackResource) -> bool | None:
    name = metric_filter.props.get("metricTransformation.name")
    namespace = metric_filter.props.get("metricTransformation.namespace")
    if UNKNOWN in (name, namespace):
        return None
    for alarm in stack.of_type(METRIC_ALARM):
        if (alarm.props.get("metricName"), alarm.props.get("namespace")) == (name, namespace):
            actions = count(alarm.props, "alarmActions")
            if actions is UNKNOWN or (actions > 0 and alarm.props.get("actionsEnabled") is not False):
                return True
    return False


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation]:
    trails = [t for t in stack.of_type(TRAIL) if t.props.get("isMultiRegionTrail") in (True, UNKNOWN)]
    if not trails:
        if config["requireTrail"]:
            yield Violation(
                "The stack has no multi-region CloudTrail trail, so the CIS CloudWatch.1–14 alarms have nothing to watch."
            )
        return
    wanted = [BY_CONTROL[c] for c in config["controls"] if c in BY_CONTROL]
    for trail in trails:
        group = trail_log_group(stack, trail)
        if group is None:
            yield Violation(
                f"Trail {trail.name!r} has no CloudWatch log group in this stack to hold the CIS metric filters.",
                trail.urn,
            )
            continue
        filters = filters_on(stack, group)
        if filters is None:
            continue
        patterns = {}
        for metric_filter in filters:
            pattern = metric_filter.props.get("pattern")
            if pattern is UNKNOWN:
                return
            if text(pattern):
                patterns.setdefault(normalize(pattern), metric_filter)
        for control in wanted:
            metric_filter = patterns.get(normalize(control.pattern))
            if metric_filter is None:
                yield Violation(
                    f"{control.control} ({control.title}): no metric filter on log group {group.name!r} has the exact published pattern {control.pattern}",
                    trail.urn,
                )
            elif has_notifying_alarm(stack, metric_filter) is False:
                yield Violation(
                    f"{control.control} ({control.title}): metric filter {metric_filter.name!r} has no alarm with an action.",
                    metric_filter.urn,
                )


GUARDRAIL = Guardrail(
    name="aws-cloudtrail-trail-configure-cis-metric-alarms",
    description="A multi-region trail's log group carries the CIS CloudWatch.1–14 metric filters with the exact published patterns, each with an alarm that notifies.",
    severity="medium",
    kind="stack",
    resource_types=(TRAIL, LOG_GROUP, LOG_METRIC_FILTER, METRIC_ALARM),
    remediation_steps="On the trail's log group add each metric filter with the exact published pattern (value 1) and a Sum >= 1 alarm over 300 s whose action is the alerting topic.",
    references=References(
        security_hub=tuple(c.control for c in CONTROLS), cis=("4.1-4.14 (v1.4.0)", "3.1-3.14 (v1.2.0)")
    ),
    check=check,
    parameters=(
        Parameter(
            "controls",
            {
                "type": "array",
                "items": {"type": "string", "enum": [c.control for c in CONTROLS]},
                "default": [c.control for c in CONTROLS],
            },
            "Security Hub controls whose filter and alarm must exist.",
        ),
        Parameter(
            "requireTrail", {"type": "boolean", "default": True}, "Fail when the stack has no multi-region trail."
        ),
    ),
)
