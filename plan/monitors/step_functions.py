"""Step Functions state machines: `AWS/States` by StateMachineArn, failed, timed-out and throttled executions."""

from __future__ import annotations

from typing import Any

from ..alarms import AlarmKind, AlarmKinds, AlarmSpec
from ..naming import Naming
from .model import Monitor, monitor

KINDS = AlarmKinds(
    service="Step Functions state machine",
    namespace="AWS/States",
    kinds=(
        AlarmKind(
            key="executionsFailed",
            what="executions-failed",
            metric="ExecutionsFailed",
            statistic="Sum",
            description="Executions failed.",
            threshold=0.0,
        ),
        AlarmKind(
            key="executionsTimedOut",
            what="executions-timed-out",
            metric="ExecutionsTimedOut",
            statistic="Sum",
            description="Executions ran past the state machine's timeout.",
            threshold=0.0,
        ),
        AlarmKind(
            key="executionsThrottled",
            what="executions-throttled",
            metric="ExecutionThrottled",
            statistic="Sum",
            description="Executions were throttled (StartExecution or state transitions over quota).",
            threshold=0.0,
            severity="warning",
        ),
    ),
)
WIDGETS = (
    ("Executions", (("ExecutionsStarted", "Sum"), ("ExecutionsSucceeded", "Sum"))),
    ("Failed and timed out", (("ExecutionsFailed", "Sum"), ("ExecutionsTimedOut", "Sum"))),
    ("Execution time (ms)", (("ExecutionTime", "p99"), ("ExecutionTime", "Average"))),
    ("Throttled", (("ExecutionThrottled", "Sum"),)),
)


def state_machine_monitor(
    naming: Naming, label: str, arn: Any, specs: tuple[AlarmSpec, ...], *, source: str, composite: bool = False
) -> Monitor:
    return monitor(
        naming,
        service="step-functions",
        label=label,
        namespace=KINDS.namespace,
        dimensions={"StateMachineArn": arn},
        specs=specs,
        source=source,
        composite=composite,
        widgets=WIDGETS,
    )
