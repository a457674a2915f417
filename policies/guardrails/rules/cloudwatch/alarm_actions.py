"""Alarms notify someone: actions enabled and at least one ALARM action (OK actions where required).

An alarm without actions is fine when its entering ALARM can raise a composite alarm that notifies
(directly, or through silent composites that can raise a notifying one): that is how composites
cut noise. Naming it is not enough: under `NOT ALARM(x)` or `ALARM(x) AND FALSE` it raises nothing.

An ALARM action notifies when it is an ARN CloudWatch acts on (a topic, a function, ...). A Systems
Manager action (an OpsItem, an Incident Manager response plan) notifies only in the form
PutMetricAlarm documents and in the alarm's own account (an OpsItem also in its region): one
malformed or pointed at another account opens nothing anyone here sees. A value that is no ARN
notifies nobody.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from ...alarm_rule import AlarmRuleError, alarm_name, drives, parse, references
from ...live import LiveAudit
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
from ...props import MISSING, UNKNOWN, Invalid, Props, shown, text
from ...vocabulary.tokens import COMPOSITE_ALARM, METRIC_ALARM

NAME_PROP = {METRIC_ALARM: "name", COMPOSITE_ALARM: "alarmName"}
OPS_ITEM = re.compile(
    r"^arn:(aws[a-z-]*):ssm:([a-z0-9-]+):(\d{12}):opsitem:[1-4]"
    r"(#CATEGORY=(Availability|Cost|Performance|Recovery|Security))?$"
)
"""`arn:aws:ssm:<region>:<account>:opsitem:<severity 1-4>[#CATEGORY=<category>]` (PutMetricAlarm)."""
RESPONSE_PLAN = re.compile(r"^arn:(aws[a-z-]*):ssm-incidents::(\d{12}):response-plan/[A-Za-z0-9_-]{1,200}$")
"""An Incident Manager response plan: `arn:aws:ssm-incidents::<account>:response-plan/<name>`."""
ALARM_ARN = re.compile(r"^arn:(aws[a-z-]*):cloudwatch:([a-z0-9-]+):(\d{12}):alarm:")
SSM_FORMS = {
    "ssm": "arn:aws:ssm:<region>:<account>:opsitem:<severity 1-4>[#CATEGORY=<category>]",
    "ssm-incidents": "arn:aws:ssm-incidents::<account>:response-plan/<name>",
}


def home_of(props: Props) -> Any:
    """(partition, region, account) of the alarm from its ARN; UNKNOWN until deploy."""
    arn = props.peek("arn")
    found = ALARM_ARN.match(arn) if text(arn) else None
    return found.groups() if found else UNKNOWN if arn in (UNKNOWN, MISSING) else None


def action_verdict(action: Any, home: Any) -> tuple[Any, str | None]:
    """(True, False or UNKNOWN, why not) for one ALARM action of an alarm at `home`."""
    if action is UNKNOWN:
        return True, None
    if not text(action) or not action.startswith("arn:"):
        return False, f"{shown(action)} is no ARN"
    service = action.split(":")[2]
    if service not in SSM_FORMS:
        return True, None
    found = (OPS_ITEM if service == "ssm" else RESPONSE_PLAN).match(action)
    if not found:
        return False, f"{action} is not of the form {SSM_FORMS[service]}"
    if service == "ssm":
        partition, region, account = found.groups()[:3]
    else:
        (partition, account), region = found.groups(), None
    if home is UNKNOWN:
        return UNKNOWN, None
    if home is None:
        return False, f"the alarm's ARN does not name the account {action} must be in"
    if (partition, account) != (home[0], home[2]) or region not in (None, home[1]):
        return False, f"{action} is outside the alarm's own account {home[2]} and region {home[1]}"
    return True, None


def action_problems(props: Props, config: Mapping[str, Any]) -> tuple[list[str], bool]:
    """What keeps the alarm itself from notifying, and whether an unknown value could."""
    problems: list[str] = []
    enabled = props.flag("actionsEnabled")
    if enabled is False or isinstance(enabled, Invalid):
        problems.append(f"Alarm actionsEnabled is {shown(enabled)}; nobody is notified when it fires.")
    notifying, reasons = alarm_actions_verdict(props)
    if notifying is False:
        none = f"no alarmActions that notify ({'; '.join(reasons)})" if reasons else "no alarmActions"
        problems.append(f"Alarm has {none}; add the alerting topic so the ALARM state notifies someone.")
    ok_count = props.count("okActions") if config["requireOkActions"] else 1
    if ok_count == 0:
        problems.append("Alarm has no okActions; this environment requires recovery (OK) notifications too.")
    return problems, UNKNOWN in (enabled, notifying, ok_count)


def alarm_actions_verdict(props: Props) -> tuple[Any, list[str]]:
    """Whether any ALARM action notifies (True, False or UNKNOWN), and why each known one does not."""
    count = props.count("alarmActions")
    if count is UNKNOWN:
        return UNKNOWN, []
    home = home_of(props)
    verdicts = [action_verdict(props.peek(f"alarmActions[{i}]"), home) for i in range(count)]
    reasons = [why for _, why in verdicts if why]
    if any(verdict is True for verdict, _ in verdicts):
        return True, reasons
    return (UNKNOWN if any(verdict is UNKNOWN for verdict, _ in verdicts) else False), reasons


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
    audit=LiveAudit(types=(METRIC_ALARM, COMPOSITE_ALARM)),
)
