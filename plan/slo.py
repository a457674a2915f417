"""Service-level objectives as CloudWatch alarms: multiwindow, multi-burn-rate alerts on a monitor's
error ratio, after the SRE workbook's "Alerting on SLOs".

The burn rate is how fast errors spend the budget: 1x spends exactly the budget over the SLO window.
An alert that consumes `budget_percent` of the budget over its long window fires at
burn = budget_percent/100 x SLO window / long window (2% of 30 days in 1 h: 14.4x), that is while
the error ratio exceeds burn x (1 - objective). Each window is its own metric-math alarm on
errors/total with the window as its period and one evaluation period: CloudWatch's default sliding
evaluation window makes that the ratio over the last `window`, re-evaluated as data arrives. The
two windows of an alert join in a composite alarm (`ALARM(long) AND ALARM(short)`) that notifies; the
window alarms stay silent, so a short spike (short window only) or a spent hour that has since
recovered (long window only) never pages.

CloudWatch's limits decide what is legal: a period is a multiple of 60 s, and period x evaluation
periods may span at most 7 days (604,800 s), at most one day for periods under an hour.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from settings.schema import Problem
from settings.slo import BurnAlertSettings, SloSettings, seconds

from .alarms import AlarmKind, AlarmSpec, fixed_spec, window_problem


@dataclass(frozen=True)
class ErrorRatio:
    """A monitor kind's SLI: the metric counting failed requests over the one counting all of them
    (both summed). A kind opts in to `slo` by declaring one."""

    errors: str
    total: str


@dataclass(frozen=True)
class BurnAlert:
    """One alert of an objective: its two window alarms and the composite that speaks for them."""

    what: str
    """Alarm-name part of the composite, e.g. `slo-1h-5m`; its windows add `-long` and `-short`."""
    windows: str
    """`1h and 5m`, for descriptions."""
    severity: str
    burn_rate: float
    budget_percent: float
    long: AlarmSpec
    short: AlarmSpec


@dataclass(frozen=True)
class Objective:
    objective: float
    """Percentage of requests that succeed, e.g. 99.9."""
    window: str
    window_seconds: int
    ratio: ErrorRatio
    alerts: tuple[BurnAlert, ...]

    @property
    def budget(self) -> float:
        """The error budget as a fraction of requests (0.001 for 99.9%)."""
        return round(1 - self.objective / 100, 12)


def burn_rate(alert: BurnAlertSettings, slo_window_seconds: int) -> float:
    return round(alert.budget_percent / 100 * slo_window_seconds / seconds(alert.long_window), 6)


def objective(settings: SloSettings, ratio: ErrorRatio) -> Objective:
    window = seconds(settings.window)
    return Objective(
        settings.objective,
        settings.window,
        window,
        ratio,
        tuple(_alert(settings, alert, ratio, window) for alert in settings.alerts),
    )


def _alert(settings: SloSettings, alert: BurnAlertSettings, ratio: ErrorRatio, window: int) -> BurnAlert:
    burn = burn_rate(alert, window)
    what = f"slo-{alert.long_window}-{alert.short_window}"
    threshold = round(burn * (100 - settings.objective), 6)

    def window_spec(role: str, duration: str) -> AlarmSpec:
        kind = AlarmKind(
            key="slo",
            what=f"{what}-{role}",
            metric=ratio.errors,
            statistic="Sum",
            description=(
                f"Errors over the last {duration} burn the {settings.objective:g}% / {settings.window} error "
                f"budget at {burn:g}x or faster."
            ),
            threshold=threshold,
            unit="%",
            severity=alert.severity,
            rate_of=ratio.total,
            period=seconds(duration),
            max_threshold=100.0,
        )
        return fixed_spec(kind)

    return BurnAlert(
        what,
        f"{alert.long_window} and {alert.short_window}",
        alert.severity,
        burn,
        alert.budget_percent,
        window_spec("long", alert.long_window),
        window_spec("short", alert.short_window),
    )


def problems(settings: SloSettings) -> Iterator[Problem]:
    """What CloudWatch or the arithmetic refuses, keyed within the `slo` section: a window no alarm can evaluate,
    a short window not shorter than its long one, a burn threshold above 100% errors."""
    window = seconds(settings.window)
    seen: dict[tuple[str, str], int] = {}
    for i, alert in enumerate(settings.alerts):
        key = f"alerts[{i}]"
        pair = (alert.long_window, alert.short_window)
        if pair in seen:
            yield key, f"{pair[0]}/{pair[1]}", f"repeats alerts[{seen[pair]}]; each alert needs its own windows"
        seen.setdefault(pair, i)
        long, short = seconds(alert.long_window), seconds(alert.short_window)
        for sub, duration, length in (
            ("longWindow", alert.long_window, long),
            ("shortWindow", alert.short_window, short),
        ):
            limit = window_problem(length, 1)
            if limit:
                yield f"{key}.{sub}", duration, f"is one alarm period of {length} s: {limit}"
        if short >= long:
            yield f"{key}.shortWindow", alert.short_window, f"must be shorter than longWindow ({alert.long_window})"
        if long > window:
            yield f"{key}.longWindow", alert.long_window, f"must not be longer than the SLO window ({settings.window})"
        threshold = burn_rate(alert, window) * (100 - settings.objective)
        if threshold > 100:
            yield (
                f"{key}.budgetPercent",
                alert.budget_percent,
                f"makes the burn rate {burn_rate(alert, window):g}x, an error ratio of {threshold:g}% with "
                f"objective {settings.objective:g}: no traffic can reach it; lower budgetPercent or raise the objective",
            )
