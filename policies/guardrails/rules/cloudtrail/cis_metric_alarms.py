"""The CIS metric filters (Security Hub CloudWatch.1–14 and CIS 4.15) sit on the multi-region trail's log group, each with an alarm that notifies."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit, LiveFacts
from ...model import AwsDefault, Guardrail, Parameter, References, StackResource, StackView, Undecided, Violation
from ...profile import Profile
from ...props import MISSING, UNKNOWN, text
from ...vocabulary.cis import BY_CONTROL, CONTROLS, SECURITY_HUB, normalize
from ...vocabulary.tokens import LOG_GROUP, LOG_METRIC_FILTER, METRIC_ALARM, TRAIL

_LOG_GROUP_ARN = re.compile(r"^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(?::\*)?$")


def trail_log_group(stack: StackView, trail: StackResource) -> Any:
    """The log group of this stack the trail delivers to: a resource, None, or UNKNOWN."""
    groups = stack.referenced(trail, "cloudWatchLogsGroupArn", LOG_GROUP)
    if groups:
        return groups[0]
    arn = trail.props.peek("cloudWatchLogsGroupArn")
    if arn is UNKNOWN:
        return UNKNOWN
    match = _LOG_GROUP_ARN.match(arn) if text(arn) else None
    if match is None:
        return None
    for group in stack.of_type(LOG_GROUP):
        if group.props.peek("name") == match.group(1):
            return group
    return None


def notifying_alarm(stack: StackView, metric_filter: StackResource) -> Any:
    """Whether an alarm with an action watches the filter's metric: True, False or UNKNOWN."""
    name = metric_filter.props.peek("metricTransformation.name")
    namespace = metric_filter.props.peek("metricTransformation.namespace")
    if UNKNOWN in (name, namespace):
        return UNKNOWN
    verdict: Any = False
    for alarm in stack.of_type(METRIC_ALARM):
        watched = (alarm.props.peek("metricName"), alarm.props.peek("namespace"))
        if UNKNOWN in watched:
            verdict = UNKNOWN
            continue
        if watched != (name, namespace):
            continue
        actions, enabled = alarm.props.count("alarmActions"), alarm.props.flag("actionsEnabled")
        if actions is UNKNOWN or enabled is UNKNOWN:
            verdict = UNKNOWN
        elif actions > 0 and (enabled is True or enabled is MISSING):
            return True
    return verdict


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation | Undecided]:
    trails = stack.of_type(TRAIL)
    multi_region = [t for t in trails if t.props.flag("isMultiRegionTrail") is True]
    maybe = [t for t in trails if t.props.flag("isMultiRegionTrail") is UNKNOWN]
    for trail in maybe:
        yield Undecided(f"{trail.name}: whether it is multi-region is unknown until deploy", trail.urn)
    # A workload stack's API calls are logged and alarmed on by its account's baseline trail.
    if not multi_region and not maybe and config["requireTrail"] and not Profile.of(config).workload:
        yield Violation(
            "The stack has no multi-region CloudTrail trail, so the CIS metric alarms have nothing to watch "
            '(an application stack relies on its account\'s baseline: "stack": "workload" under ops-baseline-profile).'
        )
    wanted = [BY_CONTROL[c] for c in config["controls"] if c in BY_CONTROL]
    for trail in multi_region:
        group = trail_log_group(stack, trail)
        if group is UNKNOWN:
            yield Undecided(f"{trail.name}: its CloudWatch log group is unknown until deploy", trail.urn)
            continue
        if group is None:
            yield Violation(
                f"Trail {trail.name!r} has no CloudWatch log group in this stack to hold the CIS metric filters.",
                trail.urn,
            )
            continue
        filters = stack.attached(group, (LOG_METRIC_FILTER,), "logGroupName", "name")
        if filters is None:
            yield Undecided(
                f"{trail.name}: which metric filters sit on {group.name!r} is unknown until deploy", trail.urn
            )
            continue
        patterns: dict[str, StackResource] = {}
        unknown_patterns = False
        for candidate in filters:
            pattern = candidate.props.peek("pattern")
            unknown_patterns = unknown_patterns or pattern is UNKNOWN
            if text(pattern):
                patterns.setdefault(normalize(pattern), candidate)
        for control in wanted:
            metric_filter = patterns.get(normalize(control.pattern))
            if metric_filter is None:
                if unknown_patterns:
                    yield Undecided(
                        f"{control.control}: a metric filter pattern on {group.name!r} is unknown until deploy",
                        trail.urn,
                    )
                else:
                    yield Violation(
                        f"{control.control} ({control.title}): no metric filter on log group {group.name!r} has the exact published pattern {control.pattern}",
                        trail.urn,
                    )
                continue
            alarmed = notifying_alarm(stack, metric_filter)
            if alarmed is UNKNOWN:
                yield Undecided(
                    f"{control.control}: the alarm on {metric_filter.name!r} is unknown until deploy", metric_filter.urn
                )
            elif alarmed is False:
                yield Violation(
                    f"{control.control} ({control.title}): metric filter {metric_filter.name!r} has no alarm with an action.",
                    metric_filter.urn,
                )


def account_config(config: Mapping[str, Any], live: LiveFacts) -> Mapping[str, Any]:
    """A multi-region trail homed elsewhere that covers the region stands in for a trail of its own."""
    return {**config, "requireTrail": False} if live.trail_elsewhere else config


GUARDRAIL = Guardrail(
    name="aws-cloudtrail-trail-configure-cis-metric-alarms",
    description="A multi-region trail's log group carries the CIS metric filters (CloudWatch.1–14, CIS 4.15) with the exact published patterns, each with an alarm that notifies.",
    severity="medium",
    kind="stack",
    resource_types=(TRAIL, LOG_GROUP, LOG_METRIC_FILTER, METRIC_ALARM),
    remediation_steps="On the trail's log group add each metric filter with the exact published pattern (value 1) and a Sum >= 1 alarm over 300 s whose action is the alerting topic.",
    references=References(security_hub=SECURITY_HUB, cis=("3.1-3.14 (v1.2.0)", "1.7, 4.3-4.15 (v1.4.0-v3.0.0)")),
    check=check,
    reads_profile=True,
    parameters=(
        Parameter(
            "controls",
            {
                "type": "array",
                "items": {"type": "string", "enum": [c.control for c in CONTROLS]},
                "default": [c.control for c in CONTROLS],
            },
            "Security Hub controls whose filter and alarm must exist.",
            AwsDefault(
                list(SECURITY_HUB),
                "CloudWatch.1–14, each enabled in the CIS standards; Security Hub has no control for CIS 4.15",
            ),
        ),
        Parameter(
            "requireTrail",
            {"type": "boolean", "default": True},
            "Fail when the stack has no multi-region trail (a workload stack is never asked for one).",
            AwsDefault(True, "CloudTrail.1 fails without a multi-region trail"),
        ),
    ),
    audit=LiveAudit(types=(TRAIL, LOG_GROUP, LOG_METRIC_FILTER, METRIC_ALARM), account_config=account_config),
)
