"""CloudTrail as the stack deploys it: the trail and its CIS dashboard, and the EventBridge rules on the
events it delivers, with the events of global services brought over from us-east-1."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from settings import Settings

from . import events
from .audit_buckets import AuditBucket, audit_bucket
from .log_groups import LogGroup
from .naming import TRAIL_BUCKET_ROLE, Naming


@dataclass(frozen=True)
class CisGraph:
    title: str
    metric_name: str
    threshold: float | None


@dataclass(frozen=True)
class CisDashboard:
    name: str
    namespace: str
    graphs: tuple[CisGraph, ...]


@dataclass(frozen=True)
class Trail:
    name: str
    role_name: str
    """The role CloudTrail writes to the log group with."""
    log_group: str
    """Its CloudWatch log group, where the CIS filters live (a LogGroups member)."""
    organization: bool
    s3_data_events: bool
    lambda_data_events: bool
    insights: tuple[str, ...]
    bucket: AuditBucket
    dashboard: CisDashboard | None


def trail(settings: Settings, naming: Naming, namespace: str, groups: tuple[LogGroup, ...]) -> Trail | None:
    section = settings.cloud_trail
    if not section.enabled:
        return None
    group = next(g for g in groups if g.name == naming.trail_log_group)
    dashboard = None
    if section.cis_dashboard:
        graphs = tuple(
            CisGraph(
                f"{f.label} ({f.metric_name})",
                f.metric_name,
                f.monitor.alarms[0].spec.threshold if f.monitor.alarms else None,
            )
            for f in group.filters
        )
        dashboard = CisDashboard(naming.physical("cis"), namespace, graphs)
    return Trail(
        name=naming.trail,
        role_name=naming.physical("trail-logs-role"),
        log_group=group.name,
        organization=section.organization,
        s3_data_events=section.s3_data_events,
        lambda_data_events=section.lambda_data_events,
        insights=section.insights,
        bucket=audit_bucket(section.bucket, naming, TRAIL_BUCKET_ROLE, settings.region),
        dashboard=dashboard,
    )


@dataclass(frozen=True)
class EventRule:
    label: str
    name: str
    description: str
    pattern: Mapping[str, Any]


def event_rules(settings: Settings, naming: Naming) -> tuple[EventRule, ...]:
    """The selected rules; with AWS Config on, its compliance rule too: the delivery channel notifies no
    topic, so this rule is how a resource turning NON_COMPLIANT reaches anyone."""
    names = settings.cloud_trail.event_rules
    if settings.aws_config.enabled:
        names = (*names, events.COMPLIANCE_CHANGES)
    return tuple(
        EventRule(rule.name, naming.physical(rule.name), rule.description, scoped(rule, naming))
        for rule in events.selected(names)
    )


def scoped(rule: events.EventRule, naming: Naming) -> Mapping[str, Any]:
    """Compliance changes of this stack's own Config rules only: every Config rule of the account and
    region sends its changes to the same bus, and another stack there tells its own people."""
    if rule.name != events.COMPLIANCE_CHANGES:
        return rule.pattern
    detail = {**rule.pattern["detail"], "configRuleName": [{"prefix": naming.config_rule("")}]}
    return {**rule.pattern, "detail": detail}


@dataclass(frozen=True)
class EventForwarding:
    """Rules on the default bus of `region` that send the events of global services, with the
    patterns of the stack's own rules, to the default bus of `bus_region`, where those rules match
    them: a forwarded event keeps its source, detail-type, detail and its `region` (us-east-1)."""

    region: str
    """Where the forwarding rules live: the region AWS delivers those events to."""
    bus_region: str
    """The stack's region; its default bus receives them, and it forwards nothing back."""
    role_name: str
    """The role EventBridge sends them with (a bus in another region is reached only through one)."""
    rules: tuple[EventRule, ...]


def event_forwarding(settings: Settings, naming: Naming) -> EventForwarding | None:
    """None for a stack in the region the events reach anyway, or without a global-service rule."""
    region = events.GLOBAL_EVENTS_REGION
    selected = [rule for rule in events.selected(settings.cloud_trail.event_rules) if rule.global_service]
    if settings.region == region or not selected:
        return None
    return EventForwarding(
        region=region,
        bus_region=settings.region,
        role_name=naming.physical("event-forwarding-role"),
        rules=tuple(
            EventRule(
                rule.name,
                naming.physical(f"{rule.name}-to-{settings.region}"),
                f"{rule.description} Sent on to {settings.region}, whose rule {naming.physical(rule.name)} alerts.",
                rule.pattern,
            )
            for rule in selected
        ),
    )
