"""The `slo` option of a monitored function or API: an objective on its error ratio, and the
burn-rate alerts that guard its error budget. What the alerts become (window alarms, composites,
CloudWatch's limits) is the plan's (plan/slo.py); here is only what a user may write."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import field_checks
from .alarms import Severity
from .schema import setting

SLO_WINDOW_DAYS = (7, 14, 28, 30, 90)
"""Rolling windows an objective may be measured over: a week, two, four, a month, a quarter."""
DURATION = re.compile(r"^([1-9]\d*)([mhd])$")
SECONDS_PER = {"m": 60, "h": 3600, "d": 86_400}


def seconds(duration: str) -> int:
    """`5m`, `6h`, `3d` in seconds; only for a duration `duration_problem` accepted."""
    found = DURATION.match(duration)
    if not found:
        raise ValueError(f"not a duration: {duration!r}")
    return int(found.group(1)) * SECONDS_PER[found.group(2)]


def duration_problem(value: str) -> str | None:
    return None if DURATION.match(value) else "must be a whole number of minutes, hours or days, like 5m, 6h or 3d"


@dataclass(frozen=True)
class BurnAlertSettings:
    """One multi-window alert: it fires while the error ratio burns the budget fast enough over both windows."""

    severity: Severity = setting("`critical` pages (names end `-critical`, SMS by default); `warning` tickets.")
    long_window: str = setting(
        "The window that says the burn is significant, e.g. `1h`: a share of the budget is gone.",
        check=duration_problem,
    )
    short_window: str = setting(
        "The window that says it is still going on, e.g. `5m` (the workbook takes 1/12 of the long one); "
        "it lets the alert reset soon after the errors stop.",
        check=duration_problem,
    )
    budget_percent: float = setting(
        "Share of the whole window's error budget that burning for `longWindow` consumes; sets the burn "
        "rate: budgetPercent/100 x SLO window / longWindow.",
        check=lambda v: None if 0 < v <= 100 else "must be above 0 and at most 100 (a percentage of the budget)",
    )


WORKBOOK_ALERTS = (
    BurnAlertSettings(severity="critical", long_window="1h", short_window="5m", budget_percent=2.0),
    BurnAlertSettings(severity="critical", long_window="6h", short_window="30m", budget_percent=5.0),
    BurnAlertSettings(severity="warning", long_window="3d", short_window="6h", budget_percent=10.0),
)
"""The SRE workbook's multiwindow, multi-burn-rate alerts ("Alerting on SLOs"): 2% of a 30-day budget
in 1 h (14.4x) and 5% in 6 h (6x) page, 10% in 3 d (1x) tickets; each short window 1/12 of its long one."""


@dataclass(frozen=True)
class SloSettings:
    objective: float = setting(
        "Percentage of requests that must succeed over `window`, e.g. `99.9`; the error budget is the rest.",
        check=lambda v: None if 0 < v < 100 else "must be above 0 and below 100 (a percentage; 100 leaves no budget)",
    )
    window: str = setting(
        "Rolling window the objective holds over: " + ", ".join(f"`{d}d`" for d in SLO_WINDOW_DAYS) + ".",
        default="30d",
        check=field_checks.one_of(tuple(f"{days}d" for days in SLO_WINDOW_DAYS), " (a rolling window in days)"),
    )
    alerts: tuple[BurnAlertSettings, ...] = setting(
        "Burn-rate alerts; default the SRE workbook's three (critical 2% in 1h/5m and 5% in 6h/30m, warning "
        "10% in 3d/6h). Each is an AND composite of two error-ratio alarms.",
        default=WORKBOOK_ALERTS,
        check=lambda v: None if 1 <= len(v) <= 5 else "must list 1-5 alerts",
    )
