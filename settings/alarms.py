"""CloudWatch alarm vocabulary: alarm kinds per monitored service, user overrides, and their resolution.

Settings validate against these tables (unknown kinds, thresholds of the wrong sign, periods CloudWatch
rejects) and components turn the resolved `AlarmPolicy` into resources, so both read one source.
Each kind carries the defaults of its alarm factory: statistic, comparison, missing-data handling,
severity and evaluation window. The README's alarm table is generated from `SERVICES`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any, ClassVar, Literal

from .schema import NO_VALUE, setting

Severity = Literal["warning", "critical"]
MissingData = Literal["breaching", "notBreaching", "ignore", "missing"]
Comparison = Literal["greaterThan", "greaterThanOrEqual", "lessThan", "lessThanOrEqual"]

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


@dataclass(frozen=True)
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
    timeout_relative: bool = False
    """Threshold may be given as percentOfTimeout of the Lambda function's timeout."""
    min_threshold: float | None = 0.0
    max_threshold: float | None = None


@dataclass(frozen=True)
class ServiceKind:
    name: str
    namespace: str
    kinds: tuple[AlarmKind, ...]

    def kind(self, key: str) -> AlarmKind | None:
        return next((k for k in self.kinds if k.key == key), None)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(k.key for k in self.kinds)


LAMBDA = ServiceKind(
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

HTTP_API = ServiceKind(
    "HTTP API",
    "AWS/ApiGateway",
    (
        AlarmKind("serverErrors", "5xx", "5xx", "Sum", "Requests answered with a 5xx status.", 0.0),
        AlarmKind(
            "serverErrorRate",
            "5xx-rate",
            "5xx",
            "Sum",
            "Share of requests answered with a 5xx status.",
            1.0,
            unit="%",
            enabled=False,
            rate_of="Count",
            max_threshold=100.0,
            evaluation_periods=3,
            datapoints_to_alarm=3,
        ),
        AlarmKind(
            "clientErrorRate",
            "4xx-rate",
            "4xx",
            "Sum",
            "Share of requests answered with a 4xx status.",
            10.0,
            unit="%",
            severity="warning",
            enabled=False,
            rate_of="Count",
            max_threshold=100.0,
            evaluation_periods=3,
            datapoints_to_alarm=3,
        ),
        AlarmKind(
            "latencyP99",
            "latency-p99",
            "Latency",
            "p99",
            "p99 latency, from request to response, is high.",
            2_000.0,
            unit="ms",
            severity="warning",
            evaluation_periods=3,
            datapoints_to_alarm=3,
        ),
        AlarmKind(
            "integrationLatencyP99",
            "integration-latency-p99",
            "IntegrationLatency",
            "p99",
            "p99 latency of the backend integration is high.",
            2_000.0,
            unit="ms",
            severity="warning",
            enabled=False,
            evaluation_periods=3,
            datapoints_to_alarm=3,
        ),
    ),
)

CANARY = ServiceKind(
    "Synthetics canary",
    "CloudWatchSynthetics",
    (
        AlarmKind(
            "successPercent",
            "success-percent",
            "SuccessPercent",
            "Average",
            "The heartbeat canary's checks fail.",
            90.0,
            unit="%",
            comparison="lessThan",
            treat_missing_data="breaching",
            max_threshold=100.0,
            evaluation_periods=2,
            datapoints_to_alarm=2,
        ),
    ),
)

LOG_MATCHES = AlarmKind("alarm", "matches", "", "Sum", "Log events matched the metric filter's pattern.", 0.0)
CUSTOM_METRIC = AlarmKind(
    "alarm",
    "",
    "",
    "Sum",
    "Custom application metric crossed its threshold.",
    None,
    unit="",
    treat_missing_data="missing",
    severity="warning",
    min_threshold=None,
)
BILLING = AlarmKind(
    "billing",
    "estimated-charges",
    "EstimatedCharges",
    "Maximum",
    "Month-to-date estimated charges passed the budget.",
    None,
    unit="USD",
    treat_missing_data="missing",
    severity="warning",
    period=21_600,
    min_threshold=None,
)
"""AWS publishes EstimatedCharges (us-east-1 only) several times a day; a 6-hour period sees every update."""

NOTIFIER_DESTINATION_FAILURES = AlarmKind(
    "destinationFailures",
    "destination-failures",
    "DestinationDeliveryFailures",
    "Sum",
    "Failed notifications could not be handed to the failure queue and are lost.",
    0.0,
)
NOTIFIER_UNDELIVERED = AlarmKind(
    "undelivered",
    "undelivered",
    "ApproximateNumberOfMessagesVisible",
    "Maximum",
    "Notifications Slack never received wait in the failure queue; read them there.",
    0.0,
)

NOTIFIER_PLAIN_TEXT = AlarmKind(
    "plainTextFallbacks",
    "plain-text-fallbacks",
    "PlainTextFallbacks",
    "Sum",
    "Slack rejected formatted notices; they were posted as plain text. The notifier's log names the reason.",
    0.0,
    severity="warning",
)
NOTIFIER_METRICS_NAMESPACE = "OpsBaseline/SlackNotifier"
"""Where the notifier publishes PlainTextFallbacks (embedded metric format), by FunctionName."""

SERVICES = (LAMBDA, HTTP_API, CANARY)


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


@dataclass(frozen=True)
class AlarmPolicy:
    """A kind with the user's overrides applied: everything a MetricAlarm needs except the metric's identity."""

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
        subject = f"100 x {self.metric}/{self.kind.rate_of}" if self.kind.rate_of else f"{self.statistic} {self.metric}"
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
) -> AlarmPolicy | None:
    """Apply settings overrides to a kind; None when the alarm is switched off.

    `fixed` replaces kind fields that the monitor decides (custom metrics pick metric and comparison).
    Thresholds that cannot be resolved stay NaN here; `policy_problems` reports them.
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
    return AlarmPolicy(
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


def policy_problems(policy: AlarmPolicy, override: AlarmSettings | None) -> Iterator[tuple[str, Any, str]]:
    """Problems of a resolved alarm, keyed relative to its settings entry."""
    given = override or AlarmSettings()
    kind = policy.kind
    if policy.threshold != policy.threshold:  # NaN: nothing to compare against
        yield "threshold", NO_VALUE, f"is required: the value {policy.metric or 'the metric'} is compared against"
    elif kind.min_threshold is not None and policy.threshold < kind.min_threshold:
        yield "threshold", policy.threshold, f"must be >= {kind.min_threshold:g} ({kind.unit} cannot be negative)"
    elif kind.max_threshold is not None and policy.threshold > kind.max_threshold:
        yield "threshold", policy.threshold, f"must be <= {kind.max_threshold:g} (a percentage)"
    if given.percent_of_timeout is not None:
        if not kind.timeout_relative:
            yield (
                "percentOfTimeout",
                given.percent_of_timeout,
                "only applies to duration alarms; give threshold instead",
            )
        elif not 0 < given.percent_of_timeout <= 100:
            yield "percentOfTimeout", given.percent_of_timeout, "must be above 0 and at most 100"
    period = period_problem(policy.period)
    if period:
        yield "period", policy.period, period
    if policy.evaluation_periods < 1:
        yield "evaluationPeriods", policy.evaluation_periods, "must be at least 1"
    elif policy.datapoints_to_alarm < 1:
        yield "datapointsToAlarm", policy.datapoints_to_alarm, "must be at least 1"
    elif policy.evaluation_periods < policy.datapoints_to_alarm:
        yield (
            "evaluationPeriods",
            policy.evaluation_periods,
            f"must be at least datapointsToAlarm ({policy.datapoints_to_alarm}); M out of N needs M <= N",
        )
    elif not period:
        window = window_problem(policy.period, policy.evaluation_periods)
        if window:
            yield "evaluationPeriods", policy.evaluation_periods, window


def monitor_policies(
    service: ServiceKind, alarms: Mapping[str, AlarmSettings], *, timeout_seconds: int | None = None
) -> tuple[tuple[str, AlarmSettings | None, AlarmPolicy], ...]:
    """(key, override, policy) for every alarm a monitor creates, in table order; unknown keys are skipped."""
    resolved = []
    for kind in service.kinds:
        override = alarms.get(kind.key)
        policy = resolve(kind, override, timeout_seconds=timeout_seconds)
        if policy is not None:
            resolved.append((kind.key, override, policy))
    return tuple(resolved)


def alarm_policies(
    service: ServiceKind, alarms: Mapping[str, AlarmSettings], *, timeout_seconds: int | None = None
) -> tuple[AlarmPolicy, ...]:
    """The policies of every alarm a monitor creates (defaults plus the ones switched on)."""
    return tuple(policy for _, _, policy in monitor_policies(service, alarms, timeout_seconds=timeout_seconds))


def monitor_problems(
    service: ServiceKind, alarms: Mapping[str, AlarmSettings], *, timeout_seconds: int | None = None
) -> Iterator[tuple[str, Any, str]]:
    for key in alarms:
        if service.kind(key) is None:
            yield f"alarms.{key}", NO_VALUE, (f"unknown alarm for a {service.name}; allowed: {', '.join(service.keys)}")
    for key, override, policy in monitor_policies(service, alarms, timeout_seconds=timeout_seconds):
        for sub, value, problem in policy_problems(policy, override):
            yield f"alarms.{key}.{sub}", value, problem


def alarm_name(prefix: str, resource: str, what: str, severity: str) -> str:
    """The one naming strategy: `<prefix>-<resource>-<what>-<severity>`."""
    return f"{prefix}-{resource}-{what}-{severity}"


def kinds_table() -> str:
    """Markdown table of every alarm kind and its defaults, for the README."""
    lines = [
        "| service | key | metric | default threshold | window | missing data | severity | on by default |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for service in SERVICES:
        for kind in service.kinds:
            subject = f"100 x {kind.metric}/{kind.rate_of}" if kind.rate_of else f"{kind.statistic} `{kind.metric}`"
            if kind.threshold is not None:
                threshold = f"{COMPARISON_SYMBOLS[kind.comparison]} {kind.threshold:g} {kind.unit}"
            elif kind.timeout_relative:
                threshold = "> 80% of timeoutSeconds (3 s if unknown)"
            else:
                threshold = "required"
            lines.append(
                f"| {service.name} (`{service.namespace}`) | `{kind.key}` | {subject} | {threshold} | "
                f"{kind.datapoints_to_alarm} of {kind.evaluation_periods} x {kind.period} s | "
                f"{kind.treat_missing_data} | {kind.severity} | {'yes' if kind.enabled else 'no'} |"
            )
    return "\n".join(lines)


__all__ = [
    "BILLING",
    "CANARY",
    "CUSTOM_METRIC",
    "HTTP_API",
    "LAMBDA",
    "LOG_MATCHES",
    "AlarmKind",
    "AlarmPolicy",
    "AlarmSettings",
    "ServiceKind",
    "alarm_name",
    "alarm_policies",
    "monitor_policies",
    "monitor_problems",
    "period_problem",
    "policy_problems",
    "resolve",
    "statistic_problem",
    "window_problem",
]
