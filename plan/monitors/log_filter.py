"""Metric filters: the matches a log group's filter counts into the stack's namespace, and their alarm."""

from __future__ import annotations

from dataclasses import replace

from ..alarms import AlarmKind, AlarmSpec
from ..naming import Naming
from .model import Monitor, monitor

MATCHES = AlarmKind(
    key="alarm",
    what="matches",
    metric="",
    statistic="Sum",
    description="Log events matched the metric filter's pattern.",
    threshold=0.0,
)
CIS_MATCHES = replace(
    MATCHES,
    comparison="greaterThanOrEqual",
    threshold=1.0,
    description="CloudTrail events matched the CIS control's published pattern.",
)
"""CIS CloudWatch.1-14 and CIS.4.15: Sum >= 1 over 300 s, missing data not breaching."""


def filter_monitor(
    naming: Naming,
    label: str,
    *,
    namespace: str,
    log_group: str,
    metric_name: str,
    spec: AlarmSpec | None,
    source: str,
) -> Monitor:
    return monitor(
        naming,
        service="log-filter",
        label=label,
        namespace=namespace,
        dimensions={},
        specs=(spec,) if spec else (),
        source=source,
        widgets=((f"{log_group} matches", ((metric_name, MATCHES.statistic),)),),
    )
