"""API Gateway HTTP APIs: `AWS/ApiGateway` by ApiId and Stage, their alarm kinds and dashboard row."""

from __future__ import annotations

from typing import Any

from settings.slo import SloSettings

from ..alarms import AlarmKind, AlarmKinds, AlarmSpec
from ..naming import Naming
from ..slo import ErrorRatio, objective
from .model import Monitor, monitor

KINDS = AlarmKinds(
    service="HTTP API",
    namespace="AWS/ApiGateway",
    kinds=(
        AlarmKind(
            key="serverErrors",
            what="5xx",
            metric="5xx",
            statistic="Sum",
            description="Requests answered with a 5xx status.",
            threshold=0.0,
        ),
        AlarmKind(
            key="serverErrorRate",
            what="5xx-rate",
            metric="5xx",
            statistic="Sum",
            description="Share of requests answered with a 5xx status.",
            threshold=1.0,
            unit="%",
            enabled=False,
            rate_of="Count",
            max_threshold=100.0,
            evaluation_periods=3,
            datapoints_to_alarm=3,
        ),
        AlarmKind(
            key="clientErrorRate",
            what="4xx-rate",
            metric="4xx",
            statistic="Sum",
            description="Share of requests answered with a 4xx status.",
            threshold=10.0,
            unit="%",
            severity="warning",
            enabled=False,
            rate_of="Count",
            max_threshold=100.0,
            evaluation_periods=3,
            datapoints_to_alarm=3,
        ),
        AlarmKind(
            key="latencyP99",
            what="latency-p99",
            metric="Latency",
            statistic="p99",
            description="p99 latency, from request to response, is high.",
            threshold=2_000.0,
            unit="ms",
            severity="warning",
            evaluation_periods=3,
            datapoints_to_alarm=3,
        ),
        AlarmKind(
            key="integrationLatencyP99",
            what="integration-latency-p99",
            metric="IntegrationLatency",
            statistic="p99",
            description="p99 latency of the backend integration is high.",
            threshold=2_000.0,
            unit="ms",
            severity="warning",
            enabled=False,
            evaluation_periods=3,
            datapoints_to_alarm=3,
        ),
    ),
)
ERROR_RATIO = ErrorRatio(errors="5xx", total="Count")
"""Requests answered with a 5xx status; 4xx are the client's errors and spend no budget."""
WIDGETS = (
    ("Requests", (("Count", "Sum"),)),
    ("4xx and 5xx", (("4xx", "Sum"), ("5xx", "Sum"))),
    ("Latency (ms)", (("Latency", "p99"), ("IntegrationLatency", "p99"))),
)


def api_monitor(
    naming: Naming,
    label: str,
    api_id: Any,
    specs: tuple[AlarmSpec, ...],
    *,
    source: str,
    stage: str = "$default",
    composite: bool = False,
    slo: SloSettings | None = None,
) -> Monitor:
    return monitor(
        naming,
        service="http-api",
        label=label,
        namespace=KINDS.namespace,
        dimensions={"ApiId": api_id, "Stage": stage},
        specs=specs,
        source=source,
        composite=composite,
        widgets=WIDGETS,
        objective=objective(slo, ERROR_RATIO) if slo else None,
    )
