"""CloudWatch alarm semantics: what an alarm kind is, how a stack's overrides resolve it into an
`AlarmSpec`, and the request rules CloudWatch enforces (statistics, periods, evaluation windows).

Each kind carries the defaults of its alarm factory: statistic, comparison, missing-data handling,
severity and evaluation window. The per-service monitor modules (plan/monitors/) declare their kinds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from settings.alarms import AlarmSettings
from settings.schema import NO_VALUE, Problem

COMPARISON_OPERATORS: Mapping[str, str] = {
    "greaterThan": "GreaterThanThreshold",
    "greaterThanOrEqual": "GreaterThanOrEqualToThreshold",
    "lessThan": "LessThanThreshold",
    "lessThanOrEqual": "LessThanOrEqualToThreshold",
}
COMPARISON_SYMBOLS: Mapping[str, str] = {
    "greaterThan": ">",
    "greaterThanOrEqual": ">=",
    "lessThan": "<",
    "lessThanOrEqual": "<=",
}
STATISTICS = ("SampleCount", "Average", "Sum", "Minimum", "Maximum")
PERCENTILE = re.compile(r"^p(\d{1,2}(\.\d{1,2})?|100)$")
"""Extended statistics the alarms use: p0-p100 with up to two decimals (p99, p99.9)."""
HIGH_RESOLUTION_PERIODS = (10, 20, 30)
ONE_DAY = 86_400
SEVEN_DAYS = 604_800
LAMBDA_DEFAULT_TIMEOUT_SECONDS = 3


def statistic_problem(statistic: str) -> str | None:
    if statistic in STATISTICS or PERCENTILE.match(statistic):
        return None
    return f"must be one of {', '.join(STATISTICS)} or a percentile like p99 or p99.9"


def period_problem(period: int) -> str | None:
    """CloudWatch accepts 10, 20 and 30 seconds (high resolution) or a multiple of 60."""
    if period in HIGH_RESOLUTION_PERIODS or (period > 0 and period % 60 == 0):
        return None
    return "must be 10, 20 or 30 seconds (high-resolution metrics) or a positive multiple of 60"


def window_problem(period: int, evaluation_periods: int) -> str | None:
    """period x evaluationPeriods may span at most one day (seven days for periods of an hour or more)."""
    limit = SEVEN_DAYS if period >= 3600 else ONE_DAY
    if period * evaluation_periods <= limit:
        return None
    return (
        f"period x evaluationPeriods = {period * evaluation_periods} s exceeds CloudWatch's limit of {limit} s "
        f"({'7 days for periods of an hour or more' if limit == SEVEN_DAYS else 'one day for periods under an hour'})"
    )


@dataclass(frozen=True, kw_only=True)
class AlarmKind:
    """One alarm a monitor can raise, with the defaults its factory applies."""

    key: str
    """Settings key, e.g. `durationP99`."""
    what: str
    """Alarm-name part, e.g. `duration-p99` in `<prefix>-<resource>-duration-p99-<severity>`."""
    metric: str
    statistic: str
    description: str
    threshold: float | None
    """Default threshold; None means the user must give one."""
    unit: str = "count"
    comparison: str = "greaterThan"
    treat_missing_data: str = "notBreaching"
    severity: str = "critical"
    enabled: bool = True
    """Created without being listed in settings."""
    period: int = 300
    evaluation_periods: int = 1
    datapoints_to_alarm: int = 1
    rate_of: str | None = None
    """If set, the alarm watches 100 x metric / rate_of (a percentage) through metric math."""
    shortfall_of: str | None = None
    """If set, the alarm watches shortfall_of - metric through metric math (desired minus running tasks)."""
    across: str | None = None
    """The metric is published per value of this dimension only (DynamoDB's SystemErrors per Operation):
    the alarm sums it over every value with a Metrics Insights query."""
    timeout_relative: bool = False
    """Threshold may be given as percentOfTimeout of the Lambda function's timeout."""
    min_threshold: float | None = 0.0
    max_threshold: float | None = None

    @property
    def computed(self) -> bool:
        """The alarm watches an expression over metrics, not one metric as published."""
        return bool(self.rate_of or self.shortfall_of or self.across)

    def subject(self, metric: str | None = None, statistic: str | None = None) -> str:
        """What the alarm compares with its threshold: `p99 Duration`, `100 x Errors/Invocations`, ..."""
        metric, statistic = metric or self.metric, statistic or self.statistic
        if self.rate_of:
            return f"100 x {metric}/{self.rate_of}"
        if self.shortfall_of:
            return f"{self.shortfall_of} - {metric} ({statistic})"
        if self.across:
            return f"{statistic} {metric} over every {self.across}"
        return f"{statistic} {metric}"


@dataclass(frozen=True)
class AlarmKinds:
    """The alarm kinds of one monitored service, keyed as `alarms.<key>` in its settings."""

    service: str
    """Shown in messages and the README, e.g. `Lambda function`."""
    namespace: str
    kinds: tuple[AlarmKind, ...]

    def kind(self, key: str) -> AlarmKind | None:
        return next((k for k in self.kinds if k.key == key), None)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(k.key for k in self.kinds)

    def resolved(
        self, alarms: Mapping[str, AlarmSettings], *, timeout_seconds: int | None = None
    ) -> tuple[tuple[str, AlarmSettings | None, AlarmSpec], ...]:
        """(key, override, spec) for every alarm a monitor creates, in table order; unknown keys are skipped."""
        resolved = []
        for kind in self.kinds:
            override = alarms.get(kind.key)
            spec = resolve(kind, override, timeout_seconds=timeout_seconds)
            if spec is not None:
                resolved.append((kind.key, override, spec))
        return tuple(resolved)

    def specs(
        self, alarms: Mapping[str, AlarmSettings], *, timeout_seconds: int | None = None
    ) -> tuple[AlarmSpec, ...]:
        """The specs of every alarm a monitor creates (defaults plus the ones switched on)."""
        return tuple(spec for _, _, spec in self.resolved(alarms, timeout_seconds=timeout_seconds))

    def problems(self, alarms: Mapping[str, AlarmSettings], *, timeout_seconds: int | None = None) -> Iterator[Problem]:
        for key in alarms:
            if self.kind(key) is None:
                yield f"alarms.{key}", NO_VALUE, f"unknown alarm for a {self.service}; allowed: {', '.join(self.keys)}"
        for key, override, spec in self.resolved(alarms, timeout_seconds=timeout_seconds):
            for sub, value, problem in spec_problems(spec, override):
                yield f"alarms.{key}.{sub}", value, problem


@dataclass(frozen=True)
class AlarmSpec:
    """A kind with the stack's overrides applied: everything a MetricAlarm needs except the metric's identity."""

    kind: AlarmKind
    threshold: float
    severity: str
    period: int
    evaluation_periods: int
    datapoints_to_alarm: int
    treat_missing_data: str
    comparison: str
    statistic: str
    what: str
    metric: str

    @property
    def comparison_operator(self) -> str:
        return COMPARISON_OPERATORS[self.comparison]

    def summary(self) -> str:
        """`p99 Duration > 2400 ms for 3 of 3 x 300 s`, for alarm descriptions."""
        subject = self.kind.subject(self.metric, self.statistic)
        unit = f" {self.kind.unit}" if self.kind.unit and self.kind.unit != "count" else ""
        return (
            f"{subject} {COMPARISON_SYMBOLS[self.comparison]} {self.threshold:g}{unit} "
            f"for {self.datapoints_to_alarm} of {self.evaluation_periods} x {self.period} s"
        )


def resolve(
    kind: AlarmKind,
    override: AlarmSettings | None,
    *,
    timeout_seconds: int | None = None,
    **fixed: Any,
) -> AlarmSpec | None:
    """Apply settings overrides to a kind; None when the alarm is switched off.

    `fixed` replaces kind fields that the monitor decides (custom metrics pick metric and comparison).
    Thresholds that cannot be resolved stay NaN here; `spec_problems` reports them.
    """
    kind = replace(kind, **fixed) if fixed else kind
    if override is None:
        if not kind.enabled:
            return None
        override = AlarmSettings()
    if not override.enabled:
        return None
    threshold = override.threshold
    if threshold is None and kind.timeout_relative:
        timeout_ms = 1000 * (timeout_seconds or LAMBDA_DEFAULT_TIMEOUT_SECONDS)
        threshold = round(timeout_ms * (override.percent_of_timeout or 80.0) / 100, 3)
    if threshold is None:
        threshold = kind.threshold if kind.threshold is not None else float("nan")
    return AlarmSpec(
        kind=kind,
        threshold=threshold,
        severity=override.severity or kind.severity,
        period=override.period or kind.period,
        evaluation_periods=override.evaluation_periods or kind.evaluation_periods,
        datapoints_to_alarm=override.datapoints_to_alarm or override.evaluation_periods or kind.datapoints_to_alarm,
        treat_missing_data=override.treat_missing_data or kind.treat_missing_data,
        comparison=kind.comparison,
        statistic=kind.statistic,
        what=kind.what,
        metric=kind.metric,
    )


def fixed_spec(kind: AlarmKind, override: AlarmSettings | None = None) -> AlarmSpec:
    """The spec of an alarm the stack always creates (the notifier's, the billing alarm)."""
    spec = resolve(kind, override)
    if spec is None:
        raise ValueError(f"the {kind.key} alarm is switched off")
    return spec


def spec_problems(spec: AlarmSpec, override: AlarmSettings | None) -> Iterator[Problem]:
    """Problems of a resolved alarm, keyed relative to its settings entry."""
    given = override or AlarmSettings()
    kind = spec.kind
    if spec.threshold != spec.threshold:  # NaN: nothing to compare against
        yield "threshold", NO_VALUE, f"is required: the value {spec.metric or 'the metric'} is compared against"
    elif kind.min_threshold is not None and spec.threshold < kind.min_threshold:
        yield "threshold", spec.threshold, f"must be >= {kind.min_threshold:g} ({kind.unit} cannot be negative)"
    elif kind.max_threshold is not None and spec.threshold > kind.max_threshold:
        yield "threshold", spec.threshold, f"must be <= {kind.max_threshold:g} (a percentage)"
    if given.percent_of_timeout is not None:
        if not kind.timeout_relative:
            yield (
                "percentOfTimeout",
                given.percent_of_timeout,
                "only applies to duration alarms; give threshold instead",
            )
        elif not 0 < given.percent_of_timeout <= 100:
            yield "percentOfTimeout", given.percent_of_timeout, "must be above 0 and at most 100"
    period = period_problem(spec.period)
    if period:
        yield "period", spec.period, period
    if spec.evaluation_periods < 1:
        yield "evaluationPeriods", spec.evaluation_periods, "must be at least 1"
    elif spec.datapoints_to_alarm < 1:
        yield "datapointsToAlarm", spec.datapoints_to_alarm, "must be at least 1"
    elif spec.evaluation_periods < spec.datapoints_to_alarm:
        yield (
            "evaluationPeriods",
            spec.evaluation_periods,
            f"must be at least datapointsToAlarm ({spec.datapoints_to_alarm}); M out of N needs M <= N",
        )
    elif not period:
        window = window_problem(spec.period, spec.evaluation_periods)
        if window:
            yield "evaluationPeriods", spec.evaluation_periods, window


def entry_problems(spec: AlarmSpec | None, override: AlarmSettings | None, key: str) -> Iterator[Problem]:
    """An entry's single alarm (`alarm: {...}`), its problems keyed under `key`."""
    if spec is not None:
        for sub, value, problem in spec_problems(spec, override):
            yield f"{key}.{sub}", value, problem


def composite_severity(specs: tuple[AlarmSpec, ...]) -> str:
    """A composite is as severe as its most severe child."""
    return "critical" if any(s.severity == "critical" for s in specs) else "warning"
