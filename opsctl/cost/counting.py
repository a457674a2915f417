"""What each resource of a program run brings of a priced item each month, read from its inputs:
quantities for what AWS bills per resource, and the items it bills per use."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from policies.guardrails.catalog import CATALOG
from policies.guardrails.spelling import counted
from policies.guardrails.vocabulary.schedules import runs_per_month

from ..engine.wire import UNKNOWN
from .recorded import load_recorded_types

CHANGES_PER_RESOURCE = 1
"""Stated assumption: each resource changes once a month (one configuration item, and one
evaluation by each change-triggered Config rule that looks at it)."""

CONFIG_FREQUENCY_HOURS = {"One_Hour": 1, "Three_Hours": 3, "Six_Hours": 6, "Twelve_Hours": 12, "TwentyFour_Hours": 24}
"""AWS Config's frequencies (periodic rules, snapshot deliveries) in hours."""
CONFIG_RUNS_PER_MONTH = {frequency: 730 / hours for frequency, hours in CONFIG_FREQUENCY_HOURS.items()}
VENDED_NAMESPACES = ("AWS/", "CloudWatchSynthetics")
"""Metrics AWS publishes for its services (canary metrics included) cost nothing as metrics."""

KMS_KEYS = (
    "aws:kms/key:Key",
    "aws:kms/replicaKey:ReplicaKey",
    "aws:kms/externalKey:ExternalKey",
    "aws:kms/replicaExternalKey:ReplicaExternalKey",
)
CONFORMANCE_PACKS = (
    "aws:cfg/conformancePack:ConformancePack",
    "aws:cfg/organizationConformancePack:OrganizationConformancePack",
)
EVENT_BUS_ARN = re.compile(r"^arn:[^:]+:events:(?P<region>[^:]+):[^:]*:event-bus/")
METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
METRIC_FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
CONFIG_RULES = {rule.identifier: (rule, g.resource_types) for g in CATALOG if (rule := g.references.config_rule)}
"""Managed rule identifier → the rule and the types of its guardrail."""
RECORDED = load_recorded_types()
RECORDER = "aws:cfg/recorder:Recorder"
CONFIG_RULE = "aws:cfg/rule:Rule"
DAILY_ITEMS_PER_RESOURCE = min(CHANGES_PER_RESOURCE, 730 / 24)
"""Daily recording: at most one configuration item per resource a day, on a day it changed."""


class Resource(Protocol):
    """What counting reads of a resource (read-only: a rule inside a pack is a frozen stand-in)."""

    @property
    def urn(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def inputs(self) -> dict[str, Any]: ...


AnyResource = TypeVar("AnyResource", bound=Resource)


@dataclass(frozen=True)
class Usage:
    """What one resource brings of one priced item: a monthly quantity, or None for an item billed
    by use, which the estimate shows as its price per unit."""

    item: str
    region: str
    resource: str
    quantity: float | None = None
    basis: str = ""
    """How the quantity was counted, where it rests on an assumption."""


def text_of(value: Any) -> str | None:
    return value if isinstance(value, str) and value != UNKNOWN else None


def region_of(resource: Resource, default: str) -> str:
    """The resource's own `region` input (pulumi-aws v7), else the stack's."""
    return text_of(resource.inputs.get("region")) or default


def of_types(resources: Iterable[AnyResource], *types: str) -> list[AnyResource]:
    return [r for r in resources if r.type in types]


def number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def alarm_metrics(resources: Sequence[Resource], region: str) -> Iterator[Usage]:
    """A metric alarm bills each metric it evaluates: 1, each metric of a metric-math alarm, and 3
    for an anomaly-detection band (the metric and both bounds). High resolution: a period under 60 s."""
    for alarm in of_types(resources, METRIC_ALARM):
        queries = [q for q in alarm.inputs.get("metricQueries") or [] if isinstance(q, dict)]
        if queries:
            stats = [q["metric"] for q in queries if isinstance(q.get("metric"), dict)]
            expressions = [e.upper() for q in queries if (e := text_of(q.get("expression")))]
            band = any("ANOMALY_DETECTION_BAND" in e for e in expressions)
            insights = [e for e in expressions if e.lstrip().startswith("SELECT")]
            count = len(stats) * (3 if band else 1) + len(insights)
            periods = [number(s.get("period")) for s in stats] + [number(q.get("period")) for q in queries]
            basis = "each metric of the metric-math expression" + (" (anomaly band: 3 per metric)" if band else "")
            basis += "; a Metrics Insights query counts as 1, AWS bills each metric it analyzes" if insights else ""
        else:
            count, periods, basis = 1, [number(alarm.inputs.get("period"))], ""
        high = any(p is not None and p < 60 for p in periods)
        item = "alarm-metric-high-resolution" if high else "alarm-metric-standard"
        yield Usage(item, region_of(alarm, region), alarm.name, count, basis)


def each(
    types: Iterable[str], item: str, quantity: float | None = 1
) -> Callable[[Sequence[Resource], str], Iterator[Usage]]:
    """`quantity` of `item` per resource of `types` (None: billed by use)."""

    def count(resources: Sequence[Resource], region: str) -> Iterator[Usage]:
        for resource in of_types(resources, *types):
            yield Usage(item, region_of(resource, region), resource.name, quantity)

    return count


def custom_metrics(resources: Sequence[Resource], region: str) -> Iterator[Usage]:
    """Custom metrics the stack makes (metric filters) or watches (alarms on metrics a workload
    publishes, through the embedded metric format or PutMetricData), each counted once."""
    seen: dict[tuple[str, str, str, str], str] = {}
    bases: dict[tuple[str, str, str, str], str] = {}
    producers_first = sorted(resources, key=lambda r: r.type != METRIC_FILTER)
    for resource in producers_first:
        where = region_of(resource, region)
        if resource.type == METRIC_FILTER:
            transformations = resource.inputs.get("metricTransformation")
            for t in transformations if isinstance(transformations, list) else [transformations]:
                if isinstance(t, dict) and text_of(t.get("namespace")) and text_of(t.get("name")):
                    key = (where, t["namespace"], t["name"], "")
                    seen.setdefault(key, resource.name)
                    if t.get("dimensions"):
                        bases[key] = "one metric per distinct dimension value in the logs; counted as 1"
        elif resource.type == METRIC_ALARM:
            queries = [q.get("metric") for q in resource.inputs.get("metricQueries") or [] if isinstance(q, dict)]
            for metric in [resource.inputs, *[m for m in queries if isinstance(m, dict)]]:
                namespace, name = text_of(metric.get("namespace")), text_of(metric.get("metricName"))
                if namespace and name and not namespace.startswith(VENDED_NAMESPACES):
                    dimensions = metric.get("dimensions") or {}
                    dims = (
                        ",".join(f"{k}={v}" for k, v in sorted(dimensions.items()))
                        if isinstance(dimensions, dict)
                        else ""
                    )
                    seen.setdefault((where, namespace, name, dims), resource.name)
    for key, resource_name in seen.items():
        where = key[0]
        yield Usage("custom-metric", where, resource_name, 1, bases.get(key, ""))


def kms_keys(resources: Sequence[Resource], region: str) -> Iterator[Usage]:
    for key in of_types(resources, *KMS_KEYS):
        rotating = key.inputs.get("enableKeyRotation") is True
        basis = "automatic rotation adds 1 USD a month after each of the first two rotations" if rotating else ""
        yield Usage("kms-key", region_of(key, region), key.name, 1, basis)


def secrets(resources: Sequence[Resource], region: str) -> Iterator[Usage]:
    for secret in of_types(resources, "aws:secretsmanager/secret:Secret"):
        replicas = [r for r in secret.inputs.get("replicas") or [] if isinstance(r, dict)]
        basis = f"the secret and its {counted(len(replicas), 'replica')}" if replicas else ""
        yield Usage("secret", region_of(secret, region), secret.name, 1 + len(replicas), basis)


def canary_runs(resources: Sequence[Resource], region: str) -> Iterator[Usage]:
    for canary in of_types(resources, "aws:synthetics/canary:Canary"):
        schedule = canary.inputs.get("schedule") or {}
        expression = text_of(schedule.get("expression")) if isinstance(schedule, dict) else None
        if canary.inputs.get("startCanary") is not True:
            runs, basis = 0.0, "not started (startCanary is not true): no runs"
        elif expression is None or (scheduled := runs_per_month(expression)) is None:
            runs, basis = 0.0, f"schedule {expression or '(unknown)'} cannot be read: runs not counted"
        else:
            runs, basis = scheduled, f"{expression}, {scheduled:,.0f} runs in a 730-hour month"
        yield Usage("canary-run", region_of(canary, region), canary.name, runs, basis)


def types_in(value: Any) -> set[str]:
    """The resource types of a list input (`resourceTypes`), known ones only."""
    return {t for t in value if text_of(t)} if isinstance(value, list) else set()


def each_block(value: Any) -> list[dict[str, Any]]:
    """A block input the provider takes as one object or as a list of them."""
    return [b for b in (value if isinstance(value, list) else [value]) if isinstance(b, dict)]


def recorded(recorder: Resource | None, resources: Sequence[Resource]) -> list[Resource]:
    """The stack's resources a recorder records: those of the types AWS Config records (RECORDED),
    all of them, all but excluded types, or only listed types; global IAM types only with
    includeGlobalResourceTypes. None: another stack's recorder, assumed to record every type."""
    group = recorder.inputs.get("recordingGroup") if recorder else None
    group = group if isinstance(group, dict) else {}
    listed = types_in(group.get("resourceTypes"))
    excluded = set().union(
        *(types_in(e.get("resourceTypes")) for e in each_block(group.get("exclusionByResourceTypes")))
    )
    with_global = recorder is None or group.get("includeGlobalResourceTypes") not in (None, False)

    def records(config_type: str | None) -> bool:
        if config_type is None:
            return False
        if group.get("allSupported") is False and listed:
            return config_type in listed
        return config_type not in excluded and (with_global or config_type not in RECORDED.global_types)

    return [r for r in resources if records(RECORDED.config_type(r.type))]


def daily(recorder: Resource | None, config_type: str) -> bool:
    """Whether the recorder records this type daily: its override for the type, else its frequency."""
    if recorder is None or config_type in RECORDED.continuous_only:
        return False
    mode = recorder.inputs.get("recordingMode")
    mode = mode if isinstance(mode, dict) else {}
    for override in each_block(mode.get("recordingModeOverride")):
        if config_type in types_in(override.get("resourceTypes")):
            return override.get("recordingFrequency") == "DAILY"
    return mode.get("recordingFrequency") == "DAILY"


def config_recording(resources: Sequence[Resource], region: str) -> Iterator[Usage]:
    """Configuration items of the stack's recorded resources, by recording frequency. A stack with
    Config rules and no recorder uses the region's recorder another stack owns, which records it too."""
    recorders: list[Resource | None] = list(of_types(resources, RECORDER))
    if not recorders and of_types(resources, CONFIG_RULE, *CONFORMANCE_PACKS):
        recorders = [None]
    unlisted = sorted({r.type for r in resources if not RECORDED.known(r.type)})
    for recorder in recorders:
        by_day: list[Resource] = []
        continuous: list[Resource] = []
        for resource in recorded(recorder, resources):
            (by_day if daily(recorder, RECORDED.config_type(resource.type) or "") else continuous).append(resource)
        whose = (
            "the recorder also records the account's other resources"
            if recorder
            else "recorded by the region's recorder this stack reuses (its owner's frequency applies; continuous assumed)"
        )
        skipped = f"; not counted, types the recorded-types table lacks: {', '.join(unlisted)}" if unlisted else ""
        where = region_of(recorder, region) if recorder else region
        name = recorder.name if recorder else ""
        if continuous or not by_day:
            count = len(continuous)
            yield Usage(
                "config-item-continuous",
                where,
                name,
                count * CHANGES_PER_RESOURCE,
                f"{count} of this stack's resources of types AWS Config records, one item per change, "
                f"{CHANGES_PER_RESOURCE} change a month each (assumed); {whose}{skipped}",
            )
            skipped = ""
        if by_day:
            count = len(by_day)
            yield Usage(
                "config-item-daily",
                where,
                name,
                count * DAILY_ITEMS_PER_RESOURCE,
                f"{count} of this stack's resources of types AWS Config records, at most one item per resource a "
                f"day (on a day it changed), {CHANGES_PER_RESOURCE} change a month each (assumed); {whose}{skipped}",
            )


def in_scope(rule: Resource, resources: Sequence[Resource]) -> tuple[list[Resource] | None, bool]:
    """The stack's resources a Config rule evaluates and whether it runs on a schedule; None when
    neither the rule's scope nor the guardrail catalog says which resources it evaluates."""
    source = rule.inputs.get("source") or {}
    source = source if isinstance(source, dict) else {}
    scope = rule.inputs.get("scope") or {}
    types = types_in(scope.get("complianceResourceTypes") if isinstance(scope, dict) else None)
    details = [d for d in source.get("sourceDetails") or [] if isinstance(d, dict)]
    scheduled = any(d.get("messageType") == "ScheduledNotification" for d in details)
    managed = CONFIG_RULES.get(text_of(source.get("sourceIdentifier")) or "") if source.get("owner") == "AWS" else None
    if types:
        return [r for r in resources if RECORDED.config_type(r.type) in types], scheduled
    if managed is not None:
        config_rule, guardrail_types = managed
        rule_types = config_rule.covers or guardrail_types
        return [r for r in resources if r.type in rule_types], config_rule.periodic
    return None, scheduled


PERIODIC = "periodic rules: each run (every 24 hours unless the rule sets maximumExecutionFrequency) evaluates each resource they look at, or the account once"
CHANGE_TRIGGERED = f"change-triggered rules: one evaluation per change of each resource they look at, {CHANGES_PER_RESOURCE} change a month assumed"
UNSCOPED = "rules whose resources are unknown: one evaluation a month each"


@dataclass(frozen=True)
class PackedRule:
    """A rule inside a conformance pack template, read as the Rule resource it stands for."""

    urn: str
    type: str
    name: str
    inputs: dict[str, Any]


def packed_rules(pack: Resource) -> list[PackedRule]:
    try:
        body = json.loads(text_of(pack.inputs.get("templateBody")) or "{}")
    except ValueError:  # a YAML template this reader does not parse: its rules are not counted
        return []
    rules = []
    for entry in (body.get("Resources") or {}).values() if isinstance(body, dict) else []:
        properties = entry.get("Properties") or {} if isinstance(entry, dict) else {}
        if entry.get("Type") == "AWS::Config::ConfigRule":
            source = properties.get("Source") or {}
            inputs = {
                "source": {"owner": source.get("Owner"), "sourceIdentifier": source.get("SourceIdentifier")},
                "maximumExecutionFrequency": properties.get("MaximumExecutionFrequency"),
            }
            name = f"{pack.name}/{properties.get('ConfigRuleName')}"
            rules.append(PackedRule(f"{pack.urn}/{properties.get('ConfigRuleName')}", CONFIG_RULE, name, inputs))
    return rules


def config_evaluations(resources: Sequence[Resource], region: str) -> Iterator[Usage]:
    """Rules on their own and rules inside conformance packs (priced as conformance pack evaluations)."""
    rules: list[tuple[str, Resource, Resource]] = [
        ("config-rule-evaluation", rule, rule) for rule in of_types(resources, CONFIG_RULE)
    ]
    for pack in of_types(resources, *CONFORMANCE_PACKS):
        rules += [("config-conformance-pack-evaluation", rule, pack) for rule in packed_rules(pack)]
    for item, rule, owner in rules:
        targets, periodic = in_scope(rule, resources)
        frequency = text_of(rule.inputs.get("maximumExecutionFrequency"))
        if frequency in CONFIG_RUNS_PER_MONTH or periodic:
            runs = CONFIG_RUNS_PER_MONTH.get(frequency or "", CONFIG_RUNS_PER_MONTH["TwentyFour_Hours"])
            count, basis = runs * max(1, len(targets or ())), PERIODIC
        elif targets is None:
            count, basis = CHANGES_PER_RESOURCE, UNSCOPED
        else:
            count, basis = len(targets) * CHANGES_PER_RESOURCE, CHANGE_TRIGGERED
        yield Usage(item, region_of(owner, region), rule.name, count, basis)


def log_groups(resources: Sequence[Resource], region: str) -> Iterator[Usage]:
    for group in of_types(resources, "aws:cloudwatch/logGroup:LogGroup"):
        infrequent = group.inputs.get("logGroupClass") == "INFREQUENT_ACCESS"
        where = region_of(group, region)
        yield Usage("log-ingestion-infrequent-access" if infrequent else "log-ingestion-standard", where, group.name)
        retention = number(group.inputs.get("retentionInDays"))
        kept = f"kept {retention:.0f} days" if retention else "kept until deleted (no retention)"
        yield Usage("log-storage", where, group.name, basis=kept)


def tracing(resources: Sequence[Resource], region: str) -> Iterator[Usage]:
    """Traces from functions with active tracing, stages and canaries that trace, and X-Ray groups' Insights."""
    for resource in resources:
        inputs = resource.inputs
        tracing_config = inputs.get("tracingConfig")
        run_config = inputs.get("runConfig")
        traced = (
            (isinstance(tracing_config, dict) and tracing_config.get("mode") == "Active")
            or inputs.get("xrayTracingEnabled") is True
            or (isinstance(run_config, dict) and run_config.get("activeTracing") is True)
        )
        where = region_of(resource, region)
        if traced:
            yield Usage("xray-traces-recorded", where, resource.name)
            yield Usage("xray-traces-scanned", where, resource.name)
        insights = inputs.get("insightsConfiguration")
        if resource.type == "aws:xray/group:Group" and isinstance(insights, dict) and insights.get("insightsEnabled"):
            yield Usage("xray-insights", where, resource.name)


def trails(resources: Sequence[Resource], region: str) -> Iterator[Usage]:
    """Management events are free for the first trail in a region (assumed: this stack's first
    trail is the account's); data events and each Insights type are billed per event."""
    for index, trail in enumerate(of_types(resources, "aws:cloudtrail/trail:Trail")):
        where = region_of(trail, region)
        inputs = trail.inputs
        if index:
            yield Usage("cloudtrail-management-events-copy", where, trail.name, basis="a second trail in the stack")
        selectors = [s for s in inputs.get("eventSelectors") or [] if isinstance(s, dict)]
        advanced = [s for s in inputs.get("advancedEventSelectors") or [] if isinstance(s, dict)]
        data = any(s.get("dataResources") for s in selectors) or any(
            f.get("field") == "eventCategory" and "Data" in (f.get("equals") or [])
            for s in advanced
            for f in s.get("fieldSelectors") or []
            if isinstance(f, dict)
        )
        if data:
            yield Usage("cloudtrail-data-events", where, trail.name)
        kinds = [text_of(s.get("insightType")) for s in inputs.get("insightSelectors") or [] if isinstance(s, dict)]
        if kinds:
            types = f"{counted(len(kinds), 'type')}: {', '.join(filter(None, kinds))}"
            yield Usage("cloudtrail-insights", where, trail.name, basis=types)


def events_to_other_regions(resources: Sequence[Resource], region: str) -> Iterator[Usage]:
    """A rule whose target is an event bus of another region: AWS bills each event it sends there
    as a custom event, even an AWS management event, which is free on its own region's bus."""
    for target in of_types(resources, "aws:cloudwatch/eventTarget:EventTarget"):
        where = region_of(target, region)
        bus = EVENT_BUS_ARN.match(text_of(target.inputs.get("arn")) or "")
        if bus and bus["region"] != where:
            yield Usage("eventbridge-events-to-another-region", where, target.name, basis=f"sent to {bus['region']}")


Counter = Callable[[Sequence[Resource], str], Iterable[Usage]]
COUNTERS: tuple[Counter, ...] = (
    alarm_metrics,
    each(["aws:cloudwatch/compositeAlarm:CompositeAlarm"], "composite-alarm"),
    each(["aws:cloudwatch/dashboard:Dashboard"], "dashboard"),
    custom_metrics,
    kms_keys,
    secrets,
    canary_runs,
    config_recording,
    config_evaluations,
    log_groups,
    tracing,
    trails,
    each(KMS_KEYS, "kms-requests", quantity=None),
    each(["aws:secretsmanager/secret:Secret"], "secret-api-calls", quantity=None),
    events_to_other_regions,
)
"""Every counter, in the order the estimate lists its items."""
