"""Synthetics heartbeat canaries: `CloudWatchSynthetics` by CanaryName, the SuccessPercent alarm and a row."""

from __future__ import annotations

from typing import Any

from ..alarms import AlarmKind, AlarmKinds, AlarmSpec
from ..naming import Naming
from .model import Monitor, monitor

KINDS = AlarmKinds(
    service="Synthetics canary",
    namespace="CloudWatchSynthetics",
    kinds=(
        AlarmKind(
            key="successPercent",
            what="success-percent",
            metric="SuccessPercent",
            statistic="Average",
            description="The heartbeat canary's checks fail.",
            threshold=90.0,
            unit="%",
            comparison="lessThan",
            treat_missing_data="breaching",
            max_threshold=100.0,
            evaluation_periods=2,
            datapoints_to_alarm=2,
        ),
    ),
)
SUCCESS = KINDS.kinds[0]
WIDGETS = (
    ("Success (%)", (("SuccessPercent", "Average"),)),
    ("Run duration (ms)", (("Duration", "Average"),)),
)


def canary_monitor(naming: Naming, label: str, canary_name: Any, spec: AlarmSpec | None, *, source: str) -> Monitor:
    return monitor(
        naming,
        service="canary",
        label=label,
        namespace=KINDS.namespace,
        dimensions={"CanaryName": canary_name},
        specs=(spec,) if spec else (),
        source=source,
        widgets=WIDGETS,
    )
