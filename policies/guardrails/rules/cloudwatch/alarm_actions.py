"""Alarms notify someone: actions enabled and at least one ALARM action (OK actions where required).

An alarm without actions is fine when its entering ALARM can raise a composite alarm that notifies
(directly, or through silent composites that can raise a notifying one): that is how composites
cut noise. Naming it is not enough: under `NOT ALARM(x)` or `ALARM(x) AND FALSE` it raises nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from ...alarm_rule import AlarmRuleError, alarm_name, drives, parse, references
from ...model import (
    AwsDefault,
    ConfigRule,
    Guardrail,
    Parameter,
    References,
    StackResource,
    StackView,
    Undecided,
    Violation,
)
from ...props import UNKNOWN, Invalid, Props, shown, text
from ...tokens import COMPOSITE_ALARM, METRIC_ALARM

NAME_PROP = {METRIC_ALARM: "name", COMPOSITE_ALARM: "alarmName"}


def action_problems(props: Props, config: Mapping[str, Any]) -> tuple[list[str], bool]:
    """What keeps the alarm itself from notifying, and whether an unknown value could."""
    problems: list[str] = []
    enabled = props.flag("actionsEnabled")
    if enabled is False or isinstance(enabled, Invalid):
        problems.append(f"Alarm actionsEnabled is {shown(enabled)}; nobody is notified when it fires.")
    required = [("alarmActions", "add the alerting topic so the ALARM state notifies someone")]
    if config["requireOkActions"]:
        required.append(("okActions", "this environment requires recovery (OK) notifications too"))
    counts = [props.count(prop) for prop, _ in required]
    problems += [
        f"Alarm has no {prop}; {why}." for (prop, why), count in zip(required, counts, strict=True) if count == 0
    ]
    return problems, UNKNOWN in (enabled, *counts)


class Coverage:
    """Which alarms can raise a notifying composite alarm, from every composite's rule."""

    def __init__(self, stack: StackView, config: Mapping[str, Any]):
        self.config = config
        self.drivers: dict[str, list[StackResource]] = defaultdict(list)
        self.notes: dict[str, list[str]] = defaultdict(list)
        self.rule_errors: list[Violation] = []
        self.maybe_urns: set[str] = set()
        """Alarms a composite whose rule is unknown may name (from its property dependencies)."""
        self.anything_maybe = False
        for composite in stack.of_type(COMPOSITE_ALARM):
            rule = composite.props.peek("alarmRule")
            dependencies = composite.property_dependencies.get("alarmRule", ())
            if rule is UNKNOWN:
                self.maybe_urns.update(dependencies)
                self.anything_maybe = self.anything_maybe or not dependencies
                continue
            if not text(rule):
                continue
            try:
                node = parse(rule)
            except AlarmRuleError as error:
                self.rule_errors.append(
                    Violation(
                        f"{composite.name}: alarmRule is not valid AlarmRule syntax ({error}), so it raises on none of its alarms.",
                        composite.urn,
                    )
                )
                continue
            for name in dict.fromkeys(alarm_name(r.alarm) for r in references(node)):
                if drives(node, name):
                    self.drivers[name].append(composite)
                else:
                    self.notes[name].append(f"composite {composite.name!r} names it, but its rule cannot raise on it")

    def raises_notification(self, name: Any, seen: frozenset[str] = frozenset()) -> Any:
        """True when the named alarm can raise a notifying composite, UNKNOWN when that depends on
        unknown values, else False."""
        if not text(name):
            return False
        verdict: Any = False
        for composite in self.drivers.get(name, ()):
            problems, undecided = action_problems(composite.props, self.config)
            own = True if not problems and not undecided else (UNKNOWN if not problems else False)
            if own is not True:
                parent = composite.props.peek(NAME_PROP[COMPOSITE_ALARM])
                if text(parent) and parent not in seen:
                    up = self.raises_notification(parent, seen | {name})
                    own = True if up is True else (UNKNOWN if UNKNOWN in (own, up) else False)
            if own is True:
                return True
            verdict = UNKNOWN if own is UNKNOWN else verdict
        return verdict


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation | Undecided]:
    coverage = Coverage(stack, config)
    yield from coverage.rule_errors
    for alarm in stack.of_type(METRIC_ALARM, COMPOSITE_ALARM):
        problems, undecided = action_problems(alarm.props, config)
        if not problems:
            if undecided:
                yield Undecided(f"{alarm.name}: its actions are unknown until deploy", alarm.urn)
            continue
        name = alarm.props.peek(NAME_PROP[alarm.type])
        covered = coverage.raises_notification(name)
        if covered is True:
            continue
        if covered is UNKNOWN or coverage.anything_maybe or alarm.urn in coverage.maybe_urns:
            yield Undecided(
                f"{alarm.name}: whether a notifying composite alarm covers it is unknown until deploy", alarm.urn
            )
            continue
        notes = coverage.notes.get(name, []) if text(name) else []
        suffix = f" (No notifying composite covers it: {'; '.join(notes)}.)" if notes else ""
        for problem in problems:
            yield Violation(f"{alarm.name}: {problem}{suffix}", alarm.urn)


GUARDRAIL = Guardrail(
    name="aws-cloudwatch-alarm-configure-actions",
    description="CloudWatch alarms notify on ALARM (and on OK where required), directly or by raising a composite alarm that does.",
    severity="high",
    kind="stack",
    resource_types=(METRIC_ALARM, COMPOSITE_ALARM),
    remediation_steps="Set alarmActions (and okActions) to the alerting topic ARN and leave actionsEnabled true, or put the alarm under ALARM(...) in a composite alarm that does.",
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
            "requireOkActions",
            {"type": "boolean", "default": False},
            "Also require an OK action on every alarm.",
            AwsDefault(False, "CloudWatch.15; CLOUDWATCH_ALARM_ACTION_CHECK okActionRequired"),
        ),
    ),
)
