"""Secrets rotate, at least every `maxDaysSinceRotation` days."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from ...model import AwsDefault, ConfigRule, Guardrail, Parameter, References, StackView, Undecided, Violation
from ...props import MISSING, UNKNOWN, Invalid, Props, shown, text
from ...tokens import SECRET, SECRET_ROTATION

RATE = re.compile(r"^rate\(\s*(\d+)\s+(day|days|hour|hours)\s*\)$")
CRON = re.compile(r"^cron\((.+)\)$")
MONTHS = {
    m: i for i, m in enumerate(["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1)
}
WEEKDAYS = {d: i for i, d in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], 1)}
_WINDOW = [date(2025, 1, 1) + timedelta(days=n) for n in range(731)]
"""Two years, leap day included: the longest gap of a day-level cron schedule shows within it."""


def field_matches(field: str, value: int, names: Mapping[str, int]) -> bool | None:
    """Whether a cron field (`*`, `?`, `5`, `1,15`, `MON-FRI`, `*/2`, `1-31/7`) admits `value`;
    None for syntax AWS has that this reader does not follow (`L`, `W`, `#`)."""
    if field in ("*", "?"):
        return True
    for part in field.split(","):
        base, _, step_text = part.partition("/")
        if not re.fullmatch(r"[*A-Z0-9-]+", base) or (step_text and not step_text.isdigit()):
            return None
        low, _, high = base.partition("-")
        try:
            start = 1 if low == "*" else names.get(low) or int(low)
            end = start if not high and not step_text else (names.get(high) or int(high) if high else 10**6)
        except ValueError:
            return None
        step = int(step_text) if step_text else 1
        if start <= value <= end and (value - start) % step == 0:
            return True
    return False


def cron_gap_days(expression: str) -> float | None:
    """The longest time between two runs of an AWS cron schedule, in days; None when unreadable."""
    fields = expression.split()
    if len(fields) != 6:
        return None
    _, _, day_of_month, month, day_of_week, year = fields
    runs = []
    for day in _WINDOW:
        checks = (
            field_matches(day_of_month, day.day, {}),
            field_matches(month, day.month, MONTHS),
            field_matches(day_of_week, day.isoweekday() % 7 + 1, WEEKDAYS),
            field_matches(year, day.year, {}),
        )
        if None in checks:
            return None
        if all(checks):
            runs.append(day)
    if len(runs) < 2:
        return None
    return float(max((b - a).days for a, b in pairwise(runs)))


def rotation_interval(props: Props) -> Any:
    """Days between rotations: a float, MISSING, UNKNOWN, or Invalid for a schedule AWS would
    reject or this reader cannot follow."""
    days = props.whole_number("rotationRules.automaticallyAfterDays")
    if days is not MISSING:
        return days
    schedule = props.get("rotationRules.scheduleExpression")
    if schedule in (MISSING, UNKNOWN):
        return schedule
    if not text(schedule):
        return Invalid(schedule, "a rate() or cron() schedule")
    rate = RATE.match(schedule.strip())
    if rate:
        amount = int(rate.group(1))
        return float(amount) if rate.group(2).startswith("day") else amount / 24
    cron = CRON.match(schedule.strip())
    gap = cron_gap_days(cron.group(1)) if cron else None
    return gap if gap is not None else Invalid(schedule, "a rate() or cron() schedule with days this pack can read")


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation | Undecided]:
    longest = config["maxDaysSinceRotation"]
    for secret in stack.of_type(SECRET):
        rotations = stack.attached(secret, (SECRET_ROTATION,), "secretId", ("arn", "name", "id"))
        if rotations is None:
            yield Undecided(f"{secret.name}: which rotation applies to the secret is unknown until deploy", secret.urn)
            continue
        if not rotations:
            yield Violation(
                f"Secret {secret.name!r} has no rotation; add a SecretRotation with a rotation function and a schedule of at most {shown(longest)} days.",
                secret.urn,
            )
            continue
        for rotation in rotations:
            enabled = rotation.props.flag("rotationEnabled")
            interval = rotation_interval(rotation.props)
            if enabled is False or isinstance(enabled, Invalid):
                yield Violation(
                    f"Secret rotation {rotation.name!r} has rotationEnabled {shown(enabled)}; the secret never rotates.",
                    rotation.urn,
                )
            elif isinstance(interval, Invalid):
                yield Violation(f"Secret rotation {rotation.name!r} schedule is {interval}.", rotation.urn)
            elif interval is MISSING:
                yield Violation(
                    f"Secret rotation {rotation.name!r} has no rotationRules; set automaticallyAfterDays or scheduleExpression.",
                    rotation.urn,
                )
            elif UNKNOWN in (enabled, interval):
                yield Undecided(f"{rotation.name}: its schedule is unknown until deploy", rotation.urn)
            elif interval > longest:
                yield Violation(
                    f"Secret rotation {rotation.name!r} rotates every {shown(interval)} days; rotate at least every {shown(longest)} days.",
                    rotation.urn,
                )


GUARDRAIL = Guardrail(
    name="aws-secretsmanager-secret-enable-rotation",
    description="Every Secrets Manager secret rotates, at least every maxDaysSinceRotation days.",
    severity="medium",
    kind="stack",
    resource_types=(SECRET, SECRET_ROTATION),
    remediation_steps="Add aws.secretsmanager.SecretRotation(secret_id=<secret>.id, rotation_lambda_arn=<function>, rotation_rules={automatically_after_days: 30}).",
    references=References(
        config_rule=ConfigRule(
            "SECRETSMANAGER_ROTATION_ENABLED_CHECK",
            parameters_from={"maximumAllowedRotationFrequency": "maxDaysSinceRotation"},
        ),
        security_hub=("SecretsManager.1", "SecretsManager.4"),
        checkov=("CKV2_AWS_57", "CKV_AWS_304"),
    ),
    check=check,
    parameters=(
        Parameter(
            "maxDaysSinceRotation",
            {"type": "number", "minimum": 1, "maximum": 1000, "default": 90},
            "Longest time between rotations, in days.",
            AwsDefault(90, "SecretsManager.4 maxDaysSinceRotation"),
        ),
    ),
)
