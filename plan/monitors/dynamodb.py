"""DynamoDB tables: `AWS/DynamoDB` by TableName, read and write throttle events and system errors.

ReadThrottleEvents and WriteThrottleEvents are published per table; ThrottledRequests and
SystemErrors only per table and Operation, and CloudWatch does not aggregate a dimension left out,
so the system-errors alarm sums every operation with a Metrics Insights query.
"""

from __future__ import annotations

from typing import Any

from ..alarms import AlarmKind, AlarmKinds, AlarmSpec
from ..naming import Naming
from .model import Monitor, monitor

KINDS = AlarmKinds(
    service="DynamoDB table",
    namespace="AWS/DynamoDB",
    kinds=(
        AlarmKind(
            key="readThrottles",
            what="read-throttles",
            metric="ReadThrottleEvents",
            statistic="Sum",
            description="Reads were throttled (provisioned capacity or a partition's limit exceeded).",
            threshold=0.0,
            severity="warning",
        ),
        AlarmKind(
            key="writeThrottles",
            what="write-throttles",
            metric="WriteThrottleEvents",
            statistic="Sum",
            description="Writes were throttled (provisioned capacity or a partition's limit exceeded).",
            threshold=0.0,
            severity="warning",
        ),
        AlarmKind(
            key="systemErrors",
            what="system-errors",
            metric="SystemErrors",
            statistic="Sum",
            description="DynamoDB answered requests with an internal error (HTTP 500).",
            threshold=0.0,
            across="Operation",
        ),
    ),
)
WIDGETS = (
    ("Throttle events", (("ReadThrottleEvents", "Sum"), ("WriteThrottleEvents", "Sum"))),
    ("Consumed capacity", (("ConsumedReadCapacityUnits", "Sum"), ("ConsumedWriteCapacityUnits", "Sum"))),
)


def table_monitor(
    naming: Naming, label: str, table_name: Any, specs: tuple[AlarmSpec, ...], *, source: str, composite: bool = False
) -> Monitor:
    return monitor(
        naming,
        service="dynamodb",
        label=label,
        namespace=KINDS.namespace,
        dimensions={"TableName": table_name},
        specs=specs,
        source=source,
        composite=composite,
        widgets=WIDGETS,
    )
