"""Per-service monitors, each module owning its namespace, dimensions, alarm kinds and dashboard
row: Lambda functions, HTTP APIs, canaries, application metrics, metric filters, billing and the
Slack notifier. `SERVICES` lists the services whose alarms a stack configures by kind."""

from __future__ import annotations

from ..alarms import COMPARISON_SYMBOLS
from . import alb, canary, dynamodb, ecs, http_api, lambda_, sqs, step_functions
from .model import (
    ALERTS,
    BILLING_ALERTS,
    NOTIFIER_ALERTS,
    Alarm,
    BurnComposite,
    Composite,
    Monitor,
    Unbound,
    Widget,
    monitor,
)

SERVICES = (
    lambda_.KINDS,
    http_api.KINDS,
    canary.KINDS,
    sqs.KINDS,
    ecs.KINDS,
    ecs.TASK_KINDS,
    alb.KINDS,
    dynamodb.KINDS,
    step_functions.KINDS,
)

__all__ = [
    "ALERTS",
    "BILLING_ALERTS",
    "NOTIFIER_ALERTS",
    "SERVICES",
    "Alarm",
    "BurnComposite",
    "Composite",
    "Monitor",
    "Unbound",
    "Widget",
    "kinds_table",
    "monitor",
]


def kinds_table() -> str:
    """Markdown table of every alarm kind and its defaults, for the README."""
    lines = [
        "| service | key | metric | default threshold | window | missing data | severity | on by default |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for service in SERVICES:
        for kind in service.kinds:
            subject = kind.subject() if kind.computed else f"{kind.statistic} `{kind.metric}`"
            if kind.threshold is not None:
                threshold = f"{COMPARISON_SYMBOLS[kind.comparison]} {kind.threshold:g} {kind.unit}"
            elif kind.timeout_relative:
                threshold = "> 80% of timeoutSeconds (3 s if unknown)"
            else:
                threshold = "required"
            lines.append(
                f"| {service.service} (`{service.namespace}`) | `{kind.key}` | {subject} | {threshold} | "
                f"{kind.datapoints_to_alarm} of {kind.evaluation_periods} x {kind.period} s | "
                f"{kind.treat_missing_data} | {kind.severity} | {'yes' if kind.enabled else 'no'} |"
            )
    return "\n".join(lines)
