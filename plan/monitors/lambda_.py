"""Lambda functions: `AWS/Lambda` by FunctionName, their alarm kinds and dashboard row."""

from __future__ import annotations

from typing import Any

from ..alarms import AlarmKind, AlarmKinds, AlarmSpec
from ..naming import Naming
from .model import ALERTS, Monitor, monitor

KINDS = AlarmKinds(
    "Lambda function",
    "AWS/Lambda",
    (
        AlarmKind("errors", "errors", "Errors", "Sum", "Invocations ended in a function error.", 0.0),
        AlarmKind(
            "errorRate",
            "error-rate",
            "Errors",
            "Sum",
            "Share of invocations that ended in an error.",
            5.0,
            unit="%",
            enabled=False,
            rate_of="Invocations",
            max_threshold=100.0,
            evaluation_periods=3,
            datapoints_to_alarm=3,
        ),
        AlarmKind(
            "throttles", "throttles", "Throttles", "Sum", "Invocation requests were throttled.", 0.0, severity="warning"
        ),
        AlarmKind(
            "durationP99",
            "duration-p99",
            "Duration",
            "p99",
            "p99 duration is close to the function timeout.",
            None,
            unit="ms",
            severity="warning",
            timeout_relative=True,
            evaluation_periods=3,
            datapoints_to_alarm=3,
        ),
        AlarmKind(
            "durationAverage",
            "duration-average",
            "Duration",
            "Average",
            "Average duration is close to the function timeout.",
            None,
            unit="ms",
            severity="warning",
            enabled=False,
            timeout_relative=True,
            evaluation_periods=3,
            datapoints_to_alarm=3,
        ),
        AlarmKind(
            "concurrentExecutions",
            "concurrent-executions",
            "ConcurrentExecutions",
            "Maximum",
            "Concurrency nears the account's default regional quota of 1000.",
            800.0,
            severity="warning",
            enabled=False,
            evaluation_periods=3,
            datapoints_to_alarm=3,
        ),
        AlarmKind(
            "iteratorAge",
            "iterator-age",
            "IteratorAge",
            "Maximum",
            "The stream consumer falls behind (age of the last record read).",
            60_000.0,
            unit="ms",
            severity="warning",
            enabled=False,
            evaluation_periods=3,
            datapoints_to_alarm=3,
        ),
    ),
)
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
    )
