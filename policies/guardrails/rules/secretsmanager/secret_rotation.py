"""Secrets rotate, at least every `maxDaysSinceRotation` days."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

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
from ...vocabulary.schedules import CRON, cron_gap_days, rate
from ...vocabulary.tokens import SECRET, SECRET_ROTATION


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
    every = rate(schedule)
    if every is not None and every[1] in ("day", "hour"):
        amount, unit = every
        return float(amount) if unit == "day" else amount / 24
    cron = CRON.match(schedule.strip())
    gap = cron_gap_days(cron.group(1)) if cron else None
    return gap if gap is not None else Invalid(schedule, "a rate() or cron() schedule with days this pack can read")


def schedule_findings(rotation: StackResource, longest: float) -> Iterator[Violation | Undecided]:
    """A rotation judged by itself, whether or not the stack declares its secret: a rotation of a
    secret made elsewhere (another stack, the console) still sets how often that secret rotates."""
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


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation | Undecided]:
    longest = config["maxDaysSinceRotation"]
    for secret in stack.of_type(SECRET):
        rotations = stack.attached(secret, (SECRET_ROTATION,), "secretId", ("arn", "name", "id"))
        if rotations is None:
            yield Undecided(f"{secret.name}: which rotation applies to the secret is unknown until deploy", secret.urn)
        elif not rotations:
            yield Violation(
                f"Secret {secret.name!r} has no rotation; add a SecretRotation with a rotation function and a schedule of at most {shown(longest)} days.",
                secret.urn,
            )
    for rotation in stack.of_type(SECRET_ROTATION):
        yield from schedule_findings(rotation, longest)


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
    audit=LiveAudit(types=(SECRET, SECRET_ROTATION)),
)
