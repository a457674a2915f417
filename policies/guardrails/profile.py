"""What kind of stack is judged (pack-wide, under the config entry `ops-baseline-profile`).

A *baseline* stack (the default) is this project's own: it owns the account's Config recorder, its
multi-region trail and the monitoring of the functions it names, so the guardrails want them in the
stack. A *workload* stack is another team's application: the baseline of its account provides all
that, so the guardrails that want it in the stack accept what a workload stack can show instead,
namely that it references the baseline.

A stack references the baseline when a resource of it uses an output of a stack reference whose
name matches `baselineStacks`, or when one of its alarms notifies a topic whose ARN matches
`alertTopicArns`. The engine leaves read resources (stack references included) out of AnalyzeStack,
so a reference is seen through the resources that use it: in their dependencies, the reference's
URN, which ends with its logical name (the referenced stack's, when the program writes
`pulumi.StackReference("<org>/ops-baseline/<stack>")`).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .props import Props, text
from .vocabulary.tokens import COMPOSITE_ALARM, METRIC_ALARM

PROFILE = "ops-baseline-profile"
"""The config entry (a no-op policy of the pack) that holds the profile."""

STACK_REFERENCE = "pulumi:pulumi:StackReference"
"""Pulumi's own type (its builtin provider), not pulumi-aws's."""

STACK_KINDS = ("baseline", "workload")
ALARM_ACTIONS = ("alarmActions", "okActions", "insufficientDataActions")

PROFILE_SCHEMA: dict[str, dict[str, Any]] = {
    "stack": {
        "type": "string",
        "enum": list(STACK_KINDS),
        "default": "baseline",
        "description": "baseline: this project's own stack; workload: an application stack that relies on the "
        "baseline of its account (its recorder, trail and function monitoring).",
    },
    "baselineStacks": {
        "type": "array",
        "items": {"type": "string", "minLength": 1},
        "default": ["*/ops-baseline/*"],
        "description": "Wildcards over the name of a stack reference that is the baseline "
        "(<organization>/<project>/<stack>, or the reference's logical name when it differs).",
    },
    "alertTopicArns": {
        "type": "array",
        "items": {"type": "string", "pattern": "^arn:"},
        "default": ["arn:aws*:sns:*:*:ops-*-alerts"],
        "description": "Wildcards over the ARNs of the baseline's alert topics; an alarm that notifies one "
        "references the baseline. Put your account ids in place of the second * to accept only yours.",
    },
}


@dataclass(frozen=True)
class Profile:
    stack: str
    baseline_stacks: tuple[str, ...]
    alert_topic_arns: tuple[str, ...]

    @classmethod
    def of(cls, config: Mapping[str, Any]) -> Profile:
        """The profile the pack merged into a guardrail's config (the schema's defaults without one)."""
        given = {**{k: v["default"] for k, v in PROFILE_SCHEMA.items()}, **dict(config.get(PROFILE) or {})}
        return cls(given["stack"], tuple(given["baselineStacks"]), tuple(given["alertTopicArns"]))

    @property
    def workload(self) -> bool:
        return self.stack == "workload"

    def references_baseline(self, stack) -> bool:
        """Whether `stack` (a StackView) shows it references the baseline: through a stack reference
        a resource of it uses, or an alarm notifying an alert topic. Unknown values show nothing."""
        if any(_matches(name, self.baseline_stacks) for name in stack.stack_references.values()):
            return True
        alarms = stack.of_type(METRIC_ALARM, COMPOSITE_ALARM)
        actions = (a for alarm in alarms for prop in ALARM_ACTIONS for a in known_items(alarm.props, prop))
        return any(_matches(action, self.alert_topic_arns) for action in actions)

    def describe_reference(self) -> str:
        """How a workload stack references the baseline, for a message that asks for it."""
        return (
            f"use an output of a stack reference named like {' or '.join(self.baseline_stacks)}, "
            f"or notify a topic like {' or '.join(self.alert_topic_arns)}"
        )


def known_items(props: Props, path: str) -> list[str]:
    """The known strings of the list at `path`, recording nothing: an unknown element shows nothing."""
    value = props.peek(path)
    size = len(value) if isinstance(value, Sequence) and not isinstance(value, str) else 0
    return [v for v in (props.peek(f"{path}[{i}]") for i in range(size)) if text(v)]


def _matches(value: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(value, p) for p in patterns)
