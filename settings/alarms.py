"""Alarm overrides as a stack configures them: under `alarm` or `alarms.<kind>` of a monitored entry.

What each kind defaults to, and which kinds a service has, is the plan's (plan/monitors/); here is
only what a user may write.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from .schema import setting

Severity = Literal["warning", "critical"]
MissingData = Literal["breaching", "notBreaching", "ignore", "missing"]
Comparison = Literal["greaterThan", "greaterThanOrEqual", "lessThan", "lessThanOrEqual"]


@dataclass(frozen=True)
class AlarmSettings:
    """Overrides of one alarm; anything left out keeps the kind's default."""

    DOCUMENTED_SEPARATELY: ClassVar[bool] = True
    """The README shows these keys once, in their own table, instead of under every alarm."""

    enabled: bool = setting("Create this alarm (set false to drop a default one).", default=True)
    threshold: float | None = setting("Alarm threshold in the kind's unit (count, ms, %).", default=None)
    percent_of_timeout: float | None = setting(
        "Duration alarms only: threshold as a percentage of the function's timeout (default 80).", default=None
    )
    severity: Severity | None = setting("`warning` or `critical`; the last part of the alarm name.", default=None)
    period: int | None = setting("Seconds per datapoint: 10, 20, 30 or a multiple of 60.", default=None)
    evaluation_periods: int | None = setting("Datapoints looked at (N of 'M out of N').", default=None)
    datapoints_to_alarm: int | None = setting("Breaching datapoints that raise the alarm (M).", default=None)
    treat_missing_data: MissingData | None = setting(
        "`breaching`, `notBreaching`, `ignore` or `missing`.", default=None
    )
