"""Log groups keep events for a bounded, deliberate time."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...aws_limits import LOG_RETENTION_DAYS, NEVER_EXPIRE
from ...model import ConfigRule, Guardrail, Parameter, References
from ...props import MISSING, UNKNOWN, Props, number, shown
from ...tokens import LOG_GROUP


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    days = props.get("retentionInDays")
    if days is UNKNOWN:
        return
    if days is MISSING or number(days) == NEVER_EXPIRE:
        if not config["allowNeverExpire"]:
            yield f"Log group retention is {'never expire' if days is not MISSING else 'not set (never expire)'}; set retentionInDays between {config['minRetentionDays']} and {config['maxRetentionDays']} days."
        return
    value = number(days)
    if value is None or value not in LOG_RETENTION_DAYS:
        yield f"Log group retentionInDays {shown(days)} is not a value CloudWatch Logs accepts ({', '.join(map(str, LOG_RETENTION_DAYS))})."
    elif not config["minRetentionDays"] <= value <= config["maxRetentionDays"]:
        yield f"Log group retentionInDays {shown(days)} is outside the allowed {config['minRetentionDays']}–{config['maxRetentionDays']} days."


def remediate(props: Mapping[str, Any], config: Mapping[str, Any]) -> dict[str, Any] | None:
    """Only the unambiguous case: retention missing entirely gets the configured default."""
    if props.get("retentionInDays") is None:
        return {**props, "retentionInDays": config["defaultRetentionDays"]}
    return None


GUARDRAIL = Guardrail(
    name="aws-cloudwatch-loggroup-configure-retention",
    description="CloudWatch log groups set a retention within the environment's bounds.",
    severity="medium",
    resource_types=(LOG_GROUP,),
    remediation_steps="Set retentionInDays on the log group (ops-baseline: the logRetentionDays setting) to a CloudWatch Logs value within the bounds.",
    references=References(
        config_rule=ConfigRule(
            "CW_LOGGROUP_RETENTION_PERIOD_CHECK", parameters_from={"MinRetentionTime": "minRetentionDays"}
        ),
        security_hub=("CloudWatch.16",),
        checkov=("CKV_AWS_66", "CKV_AWS_338"),
    ),
    check=check,
    remediate=remediate,
    parameters=(
        Parameter(
            "minRetentionDays",
            {"type": "number", "default": 1, "enum": list(LOG_RETENTION_DAYS)},
            "Shortest retention allowed, in days.",
        ),
        Parameter(
            "maxRetentionDays",
            {"type": "number", "default": 3653, "enum": list(LOG_RETENTION_DAYS)},
            "Longest retention allowed, in days.",
        ),
        Parameter(
            "allowNeverExpire",
            {"type": "boolean", "default": False},
            "Whether a log group may keep events forever (retention 0 or unset).",
        ),
        Parameter(
            "defaultRetentionDays",
            {"type": "number", "default": 14, "enum": list(LOG_RETENTION_DAYS)},
            "Retention set by the remediation when none is given.",
        ),
    ),
)
