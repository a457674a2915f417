"""Lambda functions: `AWS/Lambda` by FunctionName, their alarm kinds and dashboard row."""

from __future__ import annotations

from typing import Any

from settings.slo import SloSettings

from ..alarms import AlarmKind, AlarmKinds, AlarmSpec
from ..naming import Naming
from ..slo import ErrorRatio, objective
from .model import ALERTS, Monitor, monitor

KINDS = AlarmKinds(
    service="Lambda function",
    namespace="AWS/Lambda",
    kinds=(
        AlarmKind(
            key="errors",
            what="errors",
            metric="Errors",
            statistic="Sum",
            description="Invocations ended in a function error.",
            threshold=0.0,
        ),
        AlarmKind(
            key="errorRate",
            what="error-rate",
            metric="Errors",
            statistic="Sum",
            description="Share of invocations that ended in an error.",
            threshold=5.0,
            unit="%",
            enabled=False,
            rate_of="Invocations",
            max_threshold=100.0,
            evaluation_periods=3,
            datapoints_to_alarm=3,
        ),
        AlarmKind(
            key="throttles",
            what="throttles",
            metric="Throttles",
            statistic="Sum",
            description="Invocation requests were throttled.",
            threshold=0.0,
            severity="warning",
        ),
        AlarmKind(
            key="durationP99",
            what="duration-p99",
            metric="Duration",
            statistic="p99",
            description="p99 duration is close to the function timeout.",
            threshold=None,
            unit="ms",
            severity="warning",
            timeout_relative=True,
            evaluation_periods=3,
            datapoints_to_alarm=3,
        ),
        AlarmKind(
            key="durationAverage",
            what="duration-average",
            metric="Duration",
            statistic="Average",
            description="Average duration is close to the function timeout.",
            threshold=None,
            unit="ms",
            severity="warning",
            enabled=False,
            timeout_relative=True,
            evaluation_periods=3,
            datapoints_to_alarm=3,
        ),
        AlarmKind(
            key="concurrentExecutions",
            what="concurrent-executions",
            metric="ConcurrentExecutions",
            statistic="Maximum",
            description="Concurrency nears the account's default regional quota of 1000.",
            threshold=800.0,
            severity="warning",
            enabled=False,
            evaluation_periods=3,
            datapoints_to_alarm=3,
        ),
        AlarmKind(
            key="iteratorAge",
            what="iterator-age",
            metric="IteratorAge",
            statistic="Maximum",
            description="The stream consumer falls behind (age of the last record read).",
            threshold=60_000.0,
            unit="ms",
            severity="warning",
            enabled=False,
            evaluation_periods=3,
            datapoints_to_alarm=3,
        ),
    ),
)
ERROR_RATIO = ErrorRatio(errors="Errors", total="Invocations")
"""Invocations that ended in a function error; throttled requests never ran and are not counted."""
WIDGETS = (
    ("Invocations", (("Invocations", "Sum"),)),
    ("Errors", (("Errors", "Sum"),)),
    ("Duration (ms)", (("Duration", "p99"), ("Duration", "Average"))),
    ("Throttles", (("Throttles", "Sum"),)),
)


def function_monitor(
    naming: Naming,
    label: str,
    function_name: Any,
    specs: tuple[AlarmSpec, ...],
    *,
    source: str,
    composite: bool = False,
    topic: str = ALERTS,
    slo: SloSettings | None = None,
) -> Monitor:
    """`label` names the function in alarms when its name would repeat the prefix (the sample's, the notifier's)."""
    return monitor(
        naming,
        service="lambda",
        label=label,
        namespace=KINDS.namespace,
        dimensions={"FunctionName": function_name},
        specs=specs,
        source=source,
        composite=composite,
        widgets=WIDGETS,
        topic=topic,
        objective=objective(slo, ERROR_RATIO) if slo else None,
    )
