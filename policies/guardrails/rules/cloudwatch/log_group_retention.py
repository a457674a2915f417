"""Log groups keep events for a bounded, deliberate time."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ...live import LiveAccount, LiveAudit, LiveFix, LiveResource
from ...model import AwsDefault, ConfigRule, Guardrail, Parameter, References
from ...props import MISSING, UNKNOWN, Invalid, Props, shown
from ...vocabulary.aws_limits import LOG_RETENTION_DAYS, NEVER_EXPIRE
from ...vocabulary.tokens import LOG_GROUP

MIN_RETENTION_DAYS = "minRetentionDays"
"""The parameter a stack sets from its own shortest retention (the AWS Config rule's MinRetentionTime)."""
MAX_RETENTION_DAYS = "maxRetentionDays"

ACCEPTED = ", ".join(map(str, LOG_RETENTION_DAYS))


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    days = props.whole_number("retentionInDays")
    if days is UNKNOWN:
        return
    low, high = config[MIN_RETENTION_DAYS], config[MAX_RETENTION_DAYS]
    if isinstance(days, Invalid):
        yield f"Log group retentionInDays is {days}; set a number of days between {shown(low)} and {shown(high)}."
    elif days is MISSING or days == NEVER_EXPIRE:
        if not config["allowNeverExpire"]:
            current = "not set (never expire)" if days is MISSING else "0 (never expire)"
            yield f"Log group retention is {current}; set retentionInDays between {shown(low)} and {shown(high)} days."
    elif days not in LOG_RETENTION_DAYS:
        yield f"Log group retentionInDays {shown(days)} is not a value CloudWatch Logs accepts ({ACCEPTED})."
    elif not low <= days <= high:
        yield f"Log group retentionInDays {shown(days)} is outside the allowed {shown(low)}–{shown(high)} days."


def conflicts(config: Mapping[str, Any]) -> Iterator[str]:
    """A minimum above the maximum leaves no retention that passes: every log group would fail."""
    low, high = config[MIN_RETENTION_DAYS], config[MAX_RETENTION_DAYS]
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (low, high)) and low > high:
        yield (
            f"{MIN_RETENTION_DAYS} {shown(low)} is above {MAX_RETENTION_DAYS} {shown(high)}, so no log group "
            "could pass; lower the minimum or raise the maximum"
        )


def allowed_days(config: Mapping[str, Any]) -> list[int]:
    """Accepted CloudWatch Logs values within the configured bounds, shortest first."""
    return [d for d in LOG_RETENTION_DAYS if config[MIN_RETENTION_DAYS] <= d <= config[MAX_RETENTION_DAYS]]


def remediate(props: Mapping[str, Any], config: Mapping[str, Any]) -> dict[str, Any] | None:
    """Only safe fixes, and only to values that pass this rule: a missing retention (or never-expire
    where it is not allowed) gets `defaultRetentionDays`, or the shortest allowed value when that
    default is out of bounds; a retention shorter than the minimum is raised to the shortest
    allowed value. Retention is never shortened."""
    days = Props(props).whole_number("retentionInDays")
    allowed = allowed_days(config)
    if days is UNKNOWN or isinstance(days, Invalid) or not allowed:
        return None
    if days is MISSING or days == NEVER_EXPIRE:
        if config["allowNeverExpire"]:
            return None
        default = config["defaultRetentionDays"]
        return {**props, "retentionInDays": default if default in allowed else allowed[0]}
    if days < config[MIN_RETENTION_DAYS]:
        return {**props, "retentionInDays": allowed[0]}
    return None


def fix_proposal(resource: LiveResource, config: Mapping[str, Any]) -> str | None:
    change = remediate(resource.props, config)
    if not change:
        return None
    old = resource.props.get("retentionInDays", "never expire")
    return f"retention {old} → {int(change['retentionInDays'])} days"


def fix_apply(account: LiveAccount, resource: LiveResource, config: Mapping[str, Any]) -> None:
    change = remediate(resource.props, config)
    if change:  # proposed only where there is one
        account.client("logs", resource.region).put_retention_policy(
            logGroupName=resource.name, retentionInDays=int(change["retentionInDays"])
        )


def stack_minimum(groups: Sequence[Props]) -> dict[str, Any]:
    """The stack's shortest retention is the minimum its Config rule checks (never-expire groups aside)."""
    read = (g.whole_number("retentionInDays") for g in groups)
    retentions = [int(days) for days in read if isinstance(days, float) and days != NEVER_EXPIRE]
    return {MIN_RETENTION_DAYS: min(retentions)} if retentions else {}


GUARDRAIL = Guardrail(
    name="aws-cloudwatch-loggroup-configure-retention",
    description="CloudWatch log groups set a retention within the environment's bounds (at least a year by default, as AWS checks it).",
    severity="medium",
    resource_types=(LOG_GROUP,),
    remediation_steps="Set retentionInDays on the log group (ops-baseline: the logRetentionDays setting) to a CloudWatch Logs value within the bounds.",
    references=References(
        config_rule=ConfigRule(
            "CW_LOGGROUP_RETENTION_PERIOD_CHECK",
            periodic=True,
            parameters_from={"MinRetentionTime": MIN_RETENTION_DAYS},
            from_stack=stack_minimum,
        ),
        security_hub=("CloudWatch.16",),
        checkov=("CKV_AWS_66", "CKV_AWS_338"),
    ),
    check=check,
    remediate=remediate,
    conflicts=conflicts,
    parameters=(
        Parameter(
            MIN_RETENTION_DAYS,
            {"type": "number", "default": 365, "enum": list(LOG_RETENTION_DAYS)},
            "Shortest retention allowed, in days (at most maxRetentionDays).",
            AwsDefault(365, "CloudWatch.16; CW_LOGGROUP_RETENTION_PERIOD_CHECK MinRetentionTime"),
        ),
        Parameter(
            MAX_RETENTION_DAYS,
            {"type": "number", "default": 3653, "enum": list(LOG_RETENTION_DAYS)},
            "Longest retention allowed, in days.",
        ),
        Parameter(
            "allowNeverExpire",
            {"type": "boolean", "default": False},
            "Whether a log group may keep events forever (retention 0 or unset).",
            AwsDefault(True, "CW_LOGGROUP_RETENTION_PERIOD_CHECK counts never-expire as compliant"),
        ),
        Parameter(
            "defaultRetentionDays",
            {"type": "number", "default": 365, "enum": list(LOG_RETENTION_DAYS)},
            "Retention the remediation writes where none is set; when outside the bounds, the shortest accepted value within them.",
        ),
    ),
    audit=LiveAudit(types=(LOG_GROUP,), fix=LiveFix("logs:PutRetentionPolicy", fix_proposal, fix_apply)),
)
