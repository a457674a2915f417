"""Application metrics: one alarm on a metric the application publishes, in its own namespace."""

from __future__ import annotations

from collections.abc import Iterator

from settings.monitoring import CustomMetricSettings

from ..alarms import AlarmKind, AlarmSpec, Problem, entry_problems, resolve, statistic_problem
from ..naming import Naming
from .model import Monitor, monitor

KIND = AlarmKind(
    key="alarm",
    what="",
    metric="",
    statistic="Sum",
    description="Custom application metric crossed its threshold.",
    threshold=None,
    unit="",
    treat_missing_data="missing",
    severity="warning",
    min_threshold=None,
)


def spec(settings: CustomMetricSettings) -> AlarmSpec | None:
    """The metric, statistic and comparison are the entry's; `high` or `low` names the alarm."""
    return resolve(
        KIND,
        settings.alarm,
        metric=settings.metric_name,
        statistic=settings.statistic,
        comparison=settings.comparison,
        what="high" if settings.comparison.startswith("greater") else "low",
    )


def problems(settings: CustomMetricSettings) -> Iterator[Problem]:
    problem = statistic_problem(settings.statistic)
    if problem:
        yield "statistic", settings.statistic, problem
    yield from entry_problems(spec(settings), settings.alarm, "alarm")


def metric_monitor(naming: Naming, settings: CustomMetricSettings, *, source: str) -> Monitor:
    resolved = spec(settings)
    return monitor(
        naming,
        service="custom",
        label=settings.name,
        namespace=settings.namespace,
        dimensions=dict(settings.dimensions),
        specs=(resolved,) if resolved else (),
        source=source,
        widgets=((f"{settings.namespace} {settings.metric_name}", ((settings.metric_name, settings.statistic),)),),
    )
