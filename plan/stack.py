"""The whole stack as a plan: every node a component takes, built once from validated settings, and
the checks that span the stack (every alarm name unique, no log group created twice)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from settings import NAMESPACE, Settings
from settings.field_checks import BUCKET_NAME_LENGTH, bucket_name_problem
from settings.schema import NO_VALUE, Problem

from . import alerting, services
from .alarms import resolve
from .audit_buckets import AccessLogs, access_logs
from .compliance import Compliance, compliance
from .flow_logs import FlowLogs, flow_logs
from .log_groups import LogGroup, collisions, log_groups
from .monitors import ALERTS, BILLING_ALERTS, Monitor, Unbound, billing, canary, custom_metric, http_api, lambda_
from .monitors.notifier import notifier_monitors
from .naming import (
    ACCOUNT_ID_LENGTH,
    CANARY_BUCKET_ROLE,
    SAMPLE_API_LABEL,
    SAMPLE_FUNCTION_LABEL,
    BucketName,
    Naming,
    access_log_group,
    lambda_log_group,
    slug,
)
from .registry import Registry, registry
from .tracing import Tracing, tracing
from .trail import EventForwarding, EventRule, Trail, event_forwarding, event_rules, trail

ALARM_NAME_LIMIT = 255
SAMPLE_TIMEOUT_SECONDS = 10
SAMPLE_API_ID = Unbound("SampleWorkload", "API id")


@dataclass(frozen=True)
class SavedQuery:
    label: str
    """Logical-name part."""
    name: str
    query: str
    log_groups: tuple[str, ...]
    """Empty: every log group of the baseline."""


@dataclass(frozen=True)
class Monitoring:
    """The facade's own settings; its monitors come bound from the components that own the resources."""

    naming: Naming
    environment: str
    region: str
    queries: tuple[SavedQuery, ...]
    dashboard: bool
    dashboard_base: str | None = None
    """Name of the first dashboard page and the stem of the next (`<base>-2`); the environment's
    `ops-<environment>` when None. An application program's monitors get a dashboard of their own."""
    escalation: alerting.Escalation | None = None
    """What critical alarms open besides their notification (OpsItems, incidents)."""

    def dashboard_name(self, page: int) -> str:
        if self.dashboard_base is None:
            return self.naming.dashboard(page)
        return self.dashboard_base if page == 1 else f"{self.dashboard_base}-{page}"

    @property
    def title(self) -> str:
        return f"ops-baseline {self.environment}" + (f": {self.dashboard_base}" if self.dashboard_base else "")


@dataclass(frozen=True)
class Canary:
    label: str
    name: str
    urls: tuple[str, ...]
    schedule: str
    runtime_version: str
    name_value: Unbound
    """The canary's name as the resource gives it, for its monitor's CanaryName."""


@dataclass(frozen=True)
class Canaries:
    role_name: str
    canaries: tuple[Canary, ...]
    monitors: tuple[Monitor, ...]
    bucket: BucketName
    """Where the canaries' script and runs are kept."""


@dataclass(frozen=True)
class Sample:
    """The seed's sample workload: a function behind an HTTP API, and a secret."""

    function_name: str
    role_name: str
    secret_name: str
    api_name: str
    timeout_seconds: int
    function_log_group: str
    access_log_group: str
    monitors: tuple[Monitor, ...]


@dataclass(frozen=True)
class StackPlan:
    naming: Naming
    environment: str
    region: str
    tags: Mapping[str, str]
    namespace: str
    """Namespace of the baseline's own metrics (metric filters)."""
    key: alerting.Key
    topic: alerting.Topic
    log_retention_days: int
    """Retention of a log group that names none (`logRetentionDays`); application stacks read it."""
    log_groups: tuple[LogGroup, ...]
    monitoring: Monitoring
    monitors: tuple[Monitor, ...]
    """Every monitor, in dashboard order; some dimensions are bound by the components that own them."""
    notifier: alerting.Notifier | None
    sample: Sample | None
    canaries: Canaries | None
    billing: alerting.Billing | None
    trail: Trail | None
    event_rules: tuple[EventRule, ...]
    event_forwarding: EventForwarding | None
    """The global-service rules' events, sent from us-east-1 when the stack lives elsewhere."""
    compliance: Compliance | None
    access_logs: AccessLogs | None
    """Where the audit buckets' server access logs go; None when the stack has no audit bucket."""
    tracing: Tracing | None
    registry: Registry | None
    flow_logs: FlowLogs | None


def build(settings: Settings) -> StackPlan:
    naming = Naming(settings.environment)
    namespace = settings.monitoring.namespace or f"OpsBaseline/{settings.environment}"
    groups = log_groups(settings, naming, namespace)
    topic = alerting.alerting_topic(settings, naming)
    notifier = alerting.notifier(settings, naming, topic)
    sample = sample_workload(settings, naming)
    canaries = canaries_of(settings, naming)
    billing_alerts = alerting.billing_alerting(settings, naming, topic)
    return StackPlan(
        naming=naming,
        environment=settings.environment,
        region=settings.region,
        tags={"project": NAMESPACE, "environment": settings.environment, "managed-by": "pulumi", **settings.tags},
        namespace=namespace,
        key=alerting.Key(naming.key_alias(), alerting.KEY_SERVICES),
        topic=topic,
        log_retention_days=settings.log_retention_days,
        log_groups=groups,
        monitoring=Monitoring(
            naming,
            settings.environment,
            settings.region,
            tuple(
                SavedQuery(slug(q.name), naming.query(q.name), q.query, q.log_groups)
                for q in settings.monitoring.queries
            ),
            settings.monitoring.dashboard,
            escalation=alerting.escalation(settings),
        ),
        monitors=(
            *(f.monitor for group in groups for f in group.filters),
            *configured_monitors(settings, naming),
            *(
                notifier_monitors(
                    naming, notifier.timeout_seconds, source="alerting.slack", threads=notifier.threads is not None
                )
                if notifier
                else ()
            ),
            *(sample.monitors if sample else ()),
            *(canaries.monitors if canaries else ()),
            *billing_monitors(settings, naming, billing_alerts),
        ),
        notifier=notifier,
        sample=sample,
        canaries=canaries,
        billing=billing_alerts,
        trail=(planned_trail := trail(settings, naming, namespace, groups)),
        event_rules=event_rules(settings, naming),
        event_forwarding=event_forwarding(settings, naming),
        compliance=(planned_compliance := compliance(settings, naming, groups)),
        access_logs=access_logs(
            naming,
            settings.region,
            [
                *((planned_trail.bucket,) if planned_trail else ()),
                *((planned_compliance.recorder.bucket,) if planned_compliance and planned_compliance.recorder else ()),
            ],
        ),
        tracing=tracing(settings, naming),
        registry=registry(settings),
        flow_logs=flow_logs(settings, naming),
    )


def configured_monitors(settings: Settings, naming: Naming) -> Iterator[Monitor]:
    yield from services.configured(settings.monitoring, naming)
    for i, custom in enumerate(settings.monitoring.custom_metrics):
        yield custom_metric.metric_monitor(naming, custom, source=f"monitoring.customMetrics[{i}]")


def sample_workload(settings: Settings, naming: Naming) -> Sample | None:
    if not settings.sample_workload:
        return None
    function = naming.sample_function
    specs = lambda_.KINDS.specs({}, timeout_seconds=SAMPLE_TIMEOUT_SECONDS)
    return Sample(
        function_name=function,
        role_name=naming.function_role(function),
        secret_name=naming.secret("sample/signing-key"),
        api_name=naming.physical(SAMPLE_API_LABEL),
        timeout_seconds=SAMPLE_TIMEOUT_SECONDS,
        function_log_group=lambda_log_group(function),
        access_log_group=access_log_group(SAMPLE_API_LABEL),
        monitors=(
            lambda_.function_monitor(naming, SAMPLE_FUNCTION_LABEL, function, specs, source="sampleWorkload"),
            http_api.api_monitor(
                naming,
                SAMPLE_API_LABEL,
                SAMPLE_API_ID,
                http_api.KINDS.specs({}),
                source="sampleWorkload",
            ),
        ),
    )


def canaries_of(settings: Settings, naming: Naming) -> Canaries | None:
    configured = settings.monitoring.canaries
    if not configured:
        return None
    canaries = tuple(
        Canary(c.name, naming.physical(c.name), c.urls, c.schedule, c.runtime_version, Unbound("Canaries", c.name))
        for c in configured
    )
    monitors = tuple(
        canary.canary_monitor(
            naming,
            planned.label,
            planned.name_value,
            resolve(canary.SUCCESS, config.alarm),
            source=f"monitoring.canaries[{i}]",
        )
        for i, (config, planned) in enumerate(zip(configured, canaries, strict=True))
    )
    return Canaries(
        naming.physical("canaries"),
        canaries,
        monitors,
        BucketName(naming, CANARY_BUCKET_ROLE, settings.region),
    )


def billing_monitors(
    settings: Settings, naming: Naming, billing_alerts: alerting.Billing | None
) -> tuple[Monitor, ...]:
    budget = settings.monitoring.billing
    if budget is None:
        return ()
    topic = BILLING_ALERTS if billing_alerts else ALERTS
    return (billing.billing_monitor(naming, budget.threshold_usd, topic=topic, source="monitoring.billing"),)


def problems(settings: Settings, plan: StackPlan) -> Iterator[Problem]:
    """What only the whole stack shows: a notifier nobody watches, a log group created twice, an
    alarm name used twice or longer than CloudWatch allows."""
    if plan.notifier and not (plan.topic.emails or plan.topic.sms_numbers):
        yield (
            "alerting.slack",
            NO_VALUE,
            "needs at least one of alerting.emails or alerting.smsNumbers: the notifier's own alarms go "
            "there, so a broken notifier is still noticed",
        )
    yield from collisions(settings, plan.log_groups)
    yield from alarm_name_problems(plan.monitors)
    yield from bucket_name_problems(settings, plan)


def buckets(plan: StackPlan) -> Iterator[tuple[str, BucketName, str | None]]:
    """Each bucket the stack names: what it holds, its name, and the key that keeps a name."""
    if plan.trail:
        yield "the trail's", plan.trail.bucket.name, "cloudTrail.bucket.name"
    if plan.compliance and plan.compliance.recorder:
        yield "the Config delivery", plan.compliance.recorder.bucket.name, "awsConfig.bucket.name"
    if plan.canaries:
        yield "the canary artifacts", plan.canaries.bucket, None
    if plan.access_logs:
        yield "the access-log", plan.access_logs.name, None


def bucket_name_problems(settings: Settings, plan: StackPlan) -> Iterator[Problem]:
    """A bucket name the environment and region make too long (or otherwise not one S3 takes), said
    before deploy: the account id is always 12 digits, so the length is known now."""
    limit = BUCKET_NAME_LENGTH[1]
    for what, name, key in buckets(plan):
        if name.kept is not None:
            continue  # checked as the setting it is
        minted = name.longest
        problem = bucket_name_problem(minted)
        if problem is None:
            continue
        shown = name.of("<account id>")
        if len(minted) > limit:
            room = limit - (len(minted) - len(settings.environment))
            keep = f", or set {key} to a name of your own" if key else ""
            problem = (
                f"is {len(minted)} characters in {settings.region} with the {ACCOUNT_ID_LENGTH}-digit account id, and "
                f"S3 allows {limit}: use an environment of at most {room} characters{keep}"
            )
        yield "environment", settings.environment, f"makes {what} bucket name {shown!r}, which {problem}"


def alarm_name_problems(monitors: Iterable[Monitor]) -> Iterator[Problem]:
    """An alarm name used twice, or longer than CloudWatch allows, keyed by the entry it comes from."""
    seen: dict[str, str] = {}
    for monitor in monitors:
        for name, source in monitor.alarm_names:
            if name in seen:
                yield source, name, f"alarm name is already used by {seen[name]}"
            elif len(name) > ALARM_NAME_LIMIT:
                yield source, name, f"alarm name is longer than CloudWatch's {ALARM_NAME_LIMIT} characters"
            seen.setdefault(name, source)
