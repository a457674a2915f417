"""Audit and compliance as the stack deploys them: the trail and its CIS dashboard, EventBridge rules,
AWS Config with the managed rules generated from the guardrails, X-Ray, ECR and flow logs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from policies.guardrails.catalog import BY_NAME
from policies.guardrails.model import Guardrail
from policies.guardrails.props import Props
from policies.guardrails.vocabulary.tokens import LOG_GROUP
from settings import Settings
from settings.audit import AuditBucketSettings

from . import events
from .log_groups import LogGroup
from .naming import (
    ACCESS_LOG_BUCKET_ROLE,
    CONFIG_BUCKET_ROLE,
    TRAIL_BUCKET_ROLE,
    BucketName,
    Naming,
    flow_log_group,
)

X_RAY_GROUP_NAME_LIMIT = 32


@dataclass(frozen=True)
class AuditBucket:
    """A store of audit data: its name and lifecycle."""

    name: BucketName
    transition_days: int | None
    expiration_days: int | None
    noncurrent_expiration_days: int
    protect: bool


def audit_bucket(settings: AuditBucketSettings, naming: Naming, role: str, region: str) -> AuditBucket:
    return AuditBucket(
        BucketName(naming, role, region, settings.name),
        settings.transition_days,
        settings.expiration_days,
        settings.noncurrent_expiration_days,
        settings.protect,
    )


ACCESS_LOG_EXPIRATION_DAYS = 365
"""Server access logs of the audit buckets are kept a year: long enough to answer who read or
deleted audit data within CloudTrail's own 90-day event history and beyond it."""


@dataclass(frozen=True)
class AccessLogs:
    """The bucket that receives the server access logs of the audit buckets (S3.9)."""

    name: BucketName
    expiration_days: int
    sources: tuple[BucketName, ...]
    """The buckets that log here: their ARNs, as their names imply them, scope the log-delivery grant."""


def logged_buckets(trail: Trail | None, compliance: Compliance | None) -> tuple[BucketName, ...]:
    """The audit buckets (the trail's, the Config delivery channel's), named as their components name them."""
    return (
        *((trail.bucket.name,) if trail else ()),
        *((compliance.recorder.bucket.name,) if compliance and compliance.recorder else ()),
    )


def access_logs(naming: Naming, region: str, trail: Trail | None, compliance: Compliance | None) -> AccessLogs | None:
    sources = logged_buckets(trail, compliance)
    if not sources:
        return None
    return AccessLogs(BucketName(naming, ACCESS_LOG_BUCKET_ROLE, region), ACCESS_LOG_EXPIRATION_DAYS, sources)


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
    log_group: str
    """Its CloudWatch log group, where the CIS filters live (a LogGroups member)."""
    organization: bool
    s3_data_events: bool
    lambda_data_events: bool
    insights: tuple[str, ...]
    bucket: AuditBucket
    dashboard: CisDashboard | None


def trail(settings: Settings, naming: Naming, namespace: str, groups: tuple[LogGroup, ...]) -> Trail | None:
    config = settings.cloud_trail
    if not config.enabled:
        return None
    group = next(g for g in groups if g.name == naming.trail_log_group)
    dashboard = None
    if config.cis_dashboard:
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
        log_group=group.name,
        organization=config.organization,
        s3_data_events=config.s3_data_events,
        lambda_data_events=config.lambda_data_events,
        insights=config.insights,
        bucket=audit_bucket(config.bucket, naming, TRAIL_BUCKET_ROLE, settings.region),
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


@dataclass(frozen=True)
class ConfigRule:
    guardrail: str
    name: str
    identifier: str
    description: str
    input_parameters: str
    """JSON with sorted keys, or empty when the managed rule takes none."""


@dataclass(frozen=True)
class Recorder:
    """The region's configuration recorder and delivery channel, when this stack owns them."""

    name: str
    channel_name: str
    home_region: str | None
    daily_recording: bool
    snapshot_frequency: str
    bucket: AuditBucket
    account_public_access_block: bool
    """The stack that records the account's global resource types (the recorder of its home region)
    also owns the account's other singletons: its S3 Block Public Access (S3.1)."""


@dataclass(frozen=True)
class Compliance:
    prefix: str
    recorder: Recorder | None
    """None: the stack reuses the recorder another stack (or Control Tower) owns in the region."""
    aggregator: str
    conformance_pack: bool
    organization: bool
    rules: tuple[ConfigRule, ...]


def deployed(guardrail: Guardrail, groups: tuple[LogGroup, ...]) -> list[Props]:
    """The stack's own resources of the guardrail's types in wire form, as far as its Config rule
    follows them (`from_stack`): the log groups it deploys."""
    return (
        [Props({"retentionInDays": g.retention_days}) for g in groups] if LOG_GROUP in guardrail.resource_types else []
    )


def compliance(settings: Settings, naming: Naming, groups: tuple[LogGroup, ...]) -> Compliance | None:
    config = settings.aws_config
    if not config.enabled:
        return None
    rules = []
    for name in config.rules:
        guardrail = BY_NAME[name]
        rule = guardrail.references.config_rule
        assert rule is not None  # settings offer only guardrails with a managed rule
        followed = rule.from_stack(deployed(guardrail, groups)) if rule.from_stack else {}
        values = {p.name: p.default for p in guardrail.parameters} | dict(followed)
        parameters = rule.input_parameters(values)
        rules.append(
            ConfigRule(
                guardrail=name,
                name=naming.config_rule(name),
                identifier=rule.identifier,
                description=guardrail.description,
                input_parameters=json.dumps(parameters, sort_keys=True) if parameters else "",
            )
        )
    recorder = None
    if config.recorder == "own":
        recorder = Recorder(
            name=naming.config_recorder,
            channel_name=naming.delivery_channel,
            home_region=config.home_region,
            daily_recording=config.daily_recording,
            snapshot_frequency=config.snapshot_frequency,
            bucket=audit_bucket(config.bucket, naming, CONFIG_BUCKET_ROLE, settings.region),
            account_public_access_block=config.home_region in (None, settings.region),
        )
    return Compliance(
        prefix=naming.prefix,
        recorder=recorder,
        aggregator=config.aggregator,
        conformance_pack=config.conformance_pack,
        organization=config.organization,
        rules=tuple(rules),
    )


@dataclass(frozen=True)
class SamplingRule:
    name: str
    priority: int
    fixed_rate: float
    reservoir_size: int
    service_name: str
    service_type: str
    host: str
    http_method: str
    url_path: str
    resource_arn: str


@dataclass(frozen=True)
class XRayGroup:
    name: str
    filter_expression: str


@dataclass(frozen=True)
class Tracing:
    owns_encryption: bool
    """The stack points the region's X-Ray encryption at its key; otherwise another stack does."""
    sampling_rules: tuple[SamplingRule, ...]
    groups: tuple[XRayGroup, ...]


def function_group(function_name: str) -> XRayGroup:
    """A group per monitored function; long names are cut and made unique with a digest."""
    name = function_name
    if len(name) > X_RAY_GROUP_NAME_LIMIT:
        name = f"{function_name[:23]}-{hashlib.sha256(function_name.encode()).hexdigest()[:8]}"
    return XRayGroup(name=name, filter_expression=f'service("{function_name}")')


def tracing(settings: Settings, naming: Naming) -> Tracing | None:
    config = settings.xray
    if not config.enabled:
        return None
    traced = [fn.function_name for fn in settings.monitoring.lambda_functions]
    if settings.sample_workload:
        traced.append(naming.sample_function)
    configured = [XRayGroup(g.name, g.filter_expression) for g in config.groups]
    names = {g.name for g in configured}
    groups = [*configured, *(g for g in map(function_group, traced) if g.name not in names)]
    return Tracing(
        owns_encryption=config.encryption == "own",
        sampling_rules=tuple(
            SamplingRule(
                r.name,
                r.priority,
                r.fixed_rate,
                r.reservoir_size,
                r.service_name,
                r.service_type,
                r.host,
                r.http_method,
                r.url_path,
                r.resource_arn,
            )
            for r in config.sampling_rules
        ),
        # A function named like a configured group, or two functions cut to one name, get one group.
        groups=tuple({g.name: g for g in groups}.values()),
    )


@dataclass(frozen=True)
class Repository:
    name: str
    keep_last: int
    untagged_expire_days: int


@dataclass(frozen=True)
class Registry:
    repositories: tuple[Repository, ...]
    scanning: str
    """`off`, `basic` or `enhanced`."""


def registry(settings: Settings) -> Registry | None:
    config = settings.ecr
    if not config.repositories and config.registry_scanning == "off":
        return None
    return Registry(
        tuple(Repository(r.name, r.keep_last, r.untagged_expire_days) for r in config.repositories),
        config.registry_scanning,
    )


@dataclass(frozen=True)
class FlowLogs:
    role_name: str
    log_groups: Mapping[str, str]
    """VPC id → its log group (a LogGroups member)."""


def flow_logs(settings: Settings, naming: Naming) -> FlowLogs | None:
    vpcs = settings.flow_logs.vpc_ids
    if not vpcs:
        return None
    return FlowLogs(naming.physical("flow-logs-role"), {vpc: flow_log_group(vpc) for vpc in vpcs})
