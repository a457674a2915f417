"""The log groups the stack manages: the configured ones and those the baseline needs itself (access
logs, the sample workload's, the notifier's, the trail's with its CIS filters, flow logs), each with
its retention resolved and its metric filters and their monitors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from policies.guardrails.vocabulary.cis import CONTROLS, number
from settings import Settings
from settings.alarms import AlarmSettings
from settings.monitoring import LogGroupSettings, MetricFilterSettings
from settings.schema import Problem
from settings.trail import CisControlSettings, TrailSettings

from .alarms import AlarmKind, entry_problems, resolve
from .monitors import Monitor
from .monitors.log_filter import CIS_MATCHES, MATCHES, filter_monitor
from .naming import SAMPLE_API_LABEL, Naming, access_log_group, flow_log_group, lambda_log_group, slug

SAMPLE_ERROR_LINES = MetricFilterSettings(
    name="sample-error-lines", pattern='{ $.level = "ERROR" }', metric_name="SampleErrorLines"
)
"""The seed's "count ERROR lines" metric filter, on the sample function's own log group."""


@dataclass(frozen=True)
class MetricFilter:
    label: str
    """Logical-name part and the resource part of its alarm names."""
    name: str
    pattern: str
    metric_name: str
    namespace: str
    value: str
    default_value: str | None
    monitor: Monitor


@dataclass(frozen=True)
class Subscription:
    name: str
    filter_pattern: str
    destination_arn: str
    role_arn: str | None


@dataclass(frozen=True)
class LogGroup:
    name: str
    retention_days: int
    adopted: bool
    """It already exists (Lambda created it): keep it on destroy."""
    filters: tuple[MetricFilter, ...] = ()
    subscription: Subscription | None = None


@dataclass(frozen=True)
class Managed:
    """A group as the stack asks for it, before names and retention are resolved."""

    group: LogGroupSettings
    source: str
    """Settings key it comes from; a configured group's filters are keyed under it, one by one."""
    configured: bool = False
    kind: AlarmKind = MATCHES
    """Kind of its filters' alarms."""

    def filter_source(self, index: int) -> str:
        return f"{self.source}.metricFilters[{index}]" if self.configured else self.source


def managed_groups(settings: Settings, naming: Naming) -> Iterator[Managed]:
    """Every group the stack manages, configured ones first."""
    for i, group in enumerate(settings.monitoring.log_groups):
        yield Managed(group, f"monitoring.logGroups[{i}]", configured=True)
    for i, api in enumerate(settings.monitoring.http_apis):
        if api.access_log_group:
            yield Managed(LogGroupSettings(name=access_log_group(api.name)), f"monitoring.httpApis[{i}]")
    if settings.sample_workload:
        sample = LogGroupSettings(name=lambda_log_group(naming.sample_function), metric_filters=(SAMPLE_ERROR_LINES,))
        yield Managed(sample, "sampleWorkload")
        yield Managed(LogGroupSettings(name=access_log_group(SAMPLE_API_LABEL)), "sampleWorkload")
    if settings.alerting.slack:
        yield Managed(LogGroupSettings(name=lambda_log_group(naming.notifier_function)), "alerting.slack")
    trail = settings.cloud_trail
    if trail.enabled:
        group = LogGroupSettings(
            name=naming.trail_log_group, retention_days=trail.log_retention_days, metric_filters=cis_filters(trail)
        )
        yield Managed(group, "cloudTrail.cisControls", kind=CIS_MATCHES)
    for i, vpc in enumerate(settings.flow_logs.vpc_ids):
        group = LogGroupSettings(name=flow_log_group(vpc), retention_days=settings.flow_logs.retention_days)
        yield Managed(group, f"flowLogs.vpcIds[{i}]")


def cis_filters(trail: TrailSettings) -> tuple[MetricFilterSettings, ...]:
    """The enabled CIS controls (CloudWatch.1-14, CIS.4.15) as metric filters with their exact published patterns."""
    filters = []
    for control in CONTROLS:
        override = trail.cis_controls.get(control.control, CisControlSettings())
        if override.enabled:
            filters.append(
                MetricFilterSettings(
                    name=f"cis-{number(control)}-{kebab(control.name)}",
                    pattern=control.pattern,
                    metric_name=control.name,
                    default_value=None,
                    alarm=AlarmSettings(threshold=override.threshold),
                )
            )
    return tuple(filters)


def kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def log_groups(settings: Settings, naming: Naming, namespace: str) -> tuple[LogGroup, ...]:
    return tuple(
        log_group(managed, naming, namespace, settings.log_retention_days)
        for managed in managed_groups(settings, naming)
    )


def log_group(managed: Managed, naming: Naming, namespace: str, default_retention: int) -> LogGroup:
    group = managed.group
    filters = tuple(
        metric_filter(f, managed.kind, group.name, naming, namespace, managed.filter_source(j))
        for j, f in enumerate(group.metric_filters)
    )
    subscription = group.subscription
    return LogGroup(
        name=group.name,
        retention_days=group.retention_days if group.retention_days is not None else default_retention,
        adopted=group.adopted,
        filters=filters,
        subscription=Subscription(
            naming.physical(slug(group.name)),
            subscription.filter_pattern,
            subscription.destination_arn,
            subscription.role_arn,
        )
        if subscription
        else None,
    )


def metric_filter(
    settings: MetricFilterSettings, kind: AlarmKind, log_group: str, naming: Naming, namespace: str, source: str
) -> MetricFilter:
    return MetricFilter(
        label=settings.name,
        name=naming.physical(settings.name),
        pattern=settings.pattern,
        metric_name=settings.metric_name,
        namespace=namespace,
        value=settings.value,
        default_value=None if settings.default_value is None else f"{settings.default_value:g}",
        monitor=filter_monitor(
            naming,
            settings.name,
            namespace=namespace,
            log_group=log_group,
            metric_name=settings.metric_name,
            spec=resolve(kind, settings.alarm, metric=settings.metric_name),
            source=source,
        ),
    )


def filter_problems(settings: MetricFilterSettings) -> Iterator[Problem]:
    """A configured filter's alarm, judged as the plan resolves it."""
    yield from entry_problems(resolve(MATCHES, settings.alarm, metric=settings.metric_name), settings.alarm, "alarm")


def collisions(settings: Settings, groups: tuple[LogGroup, ...]) -> Iterator[Problem]:
    """A configured group that the baseline creates too would be two resources for one log group."""
    configured = {group.name for group in settings.monitoring.log_groups}
    for group in groups[len(settings.monitoring.log_groups) :]:
        if group.name in configured:
            yield (
                "monitoring.logGroups",
                group.name,
                "is created by the baseline already (access logs, sample workload, Slack notifier, trail or "
                "flow logs); remove it here",
            )
