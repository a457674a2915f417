"""The monthly cost of a plan, from its resources' inputs: what AWS bills per resource (alarms,
dashboards, keys, secrets, canary runs, Config) as quantities times list prices, and what it
bills per use (log ingestion, traces, trail events) as prices per unit, never as guessed volumes.

Pure: resources and a price book in, a `CostEstimate` out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from pulumi.runtime.rpc import UNKNOWN

from policies.guardrails.catalog import CATALOG
from policies.guardrails.schedules import runs_per_month

from .prices import PriceBook, Rate, Source

CHANGES_PER_RESOURCE = 1
"""Stated assumption: each resource changes once a month (one configuration item, and one
evaluation by each change-triggered Config rule that looks at it)."""

CONFIG_RUNS_PER_MONTH = {
    "One_Hour": 730,
    "Three_Hours": 730 / 3,
    "Six_Hours": 730 / 6,
    "Twelve_Hours": 730 / 12,
    "TwentyFour_Hours": 730 / 24,
}
VENDED_NAMESPACES = ("AWS/", "CloudWatchSynthetics")
"""Metrics AWS publishes for its services (canary metrics included) cost nothing as metrics."""

KMS_KEYS = (
    "aws:kms/key:Key",
    "aws:kms/replicaKey:ReplicaKey",
    "aws:kms/externalKey:ExternalKey",
    "aws:kms/replicaExternalKey:ReplicaExternalKey",
)
METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
METRIC_FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
CONFIG_RULES = {g.references.config_rule.identifier: g for g in CATALOG if g.references.config_rule}


class Resource(Protocol):
    type: str
    name: str
    inputs: dict[str, Any]


@dataclass(frozen=True)
class Usage:
    """A quantity of one priced item that one resource brings each month."""

    item: str
    quantity: float
    region: str
    resource: str
    basis: str = ""
    """How the quantity was counted, where it rests on an assumption."""


@dataclass(frozen=True)
class Metered:
    """An item billed by use: shown as its price per unit beside the resources that incur it."""

    item: str
    region: str
    resource: str
    basis: str = ""


@dataclass(frozen=True)
class CostLine:
    item: str
    what: str
    unit: str
    region: str
    quantity: float
    free: float
    """Of the quantity, what the account's free tier covers."""
    unit_price: float
    """The first tier's price; `monthly` walks every tier."""
    monthly: float
    resources: tuple[str, ...]
    basis: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitPrice:
    item: str
    what: str
    unit: str
    region: str
    unit_price: float
    resources: tuple[str, ...]
    basis: tuple[str, ...] = ()


@dataclass(frozen=True)
class CostEstimate:
    region: str
    currency: str
    free_tier: bool
    lines: tuple[CostLine, ...]
    per_unit: tuple[UnitPrice, ...]
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = field(default=())

    @property
    def total(self) -> float:
        return round(sum(line.monthly for line in self.lines), 2)

    def as_document(self) -> dict[str, Any]:
        """The estimate in a report's JSON, from which a later run reads it back as its baseline."""
        return {
            "currency": self.currency,
            "region": self.region,
            "freeTier": self.free_tier,
            "monthlyTotal": self.total,
            "lines": [
                {
                    "item": line.item,
                    "what": line.what,
                    "unit": line.unit,
                    "region": line.region,
                    "quantity": round(line.quantity, 4),
                    "free": round(line.free, 4),
                    "unitPrice": line.unit_price,
                    "monthly": round(line.monthly, 4),
                    "resources": list(line.resources),
                    "basis": list(line.basis),
                }
                for line in self.lines
            ],
            "perUnit": [
                {
                    "item": p.item,
                    "what": p.what,
                    "unit": p.unit,
                    "region": p.region,
                    "unitPrice": p.unit_price,
                    "resources": list(p.resources),
                    "basis": list(p.basis),
                }
                for p in self.per_unit
            ],
            "notes": list(self.notes),
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class ItemChange:
    item: str
    what: str
    unit: str
    quantity: float
    """Change in monthly quantity (after − before)."""
    monthly: float
    """Change in monthly cost."""


@dataclass(frozen=True)
class CostChange:
    before_total: float
    after_total: float
    items: tuple[ItemChange, ...]

    @property
    def delta(self) -> float:
        return round(self.after_total - self.before_total, 2)


def summed(lines: Iterable[Mapping[str, Any]]) -> dict[str, tuple[str, str, float, float]]:
    """Item → (what, unit, quantity, monthly), summed over regions."""
    sums: dict[str, tuple[str, str, float, float]] = {}
    for line in lines:
        _, _, quantity, monthly = sums.get(line["item"], ("", "", 0.0, 0.0))
        sums[line["item"]] = (line["what"], line["unit"], quantity + line["quantity"], monthly + line["monthly"])
    return sums


def compare(before: Mapping[str, Any], after: CostEstimate) -> CostChange:
    """What changes from a baseline report's `cost` document to this estimate, item by item."""
    old, new = summed(before["lines"]), summed(after.as_document()["lines"])
    items = []
    for item in dict.fromkeys([*new, *old]):
        what, unit, _, _ = new.get(item) or old[item]
        quantity, monthly = new[item][2:] if item in new else (0.0, 0.0)
        was_quantity, was_monthly = old[item][2:] if item in old else (0.0, 0.0)
        if abs(quantity - was_quantity) > 1e-9 or abs(monthly - was_monthly) >= 0.005:
            items.append(ItemChange(item, what, unit, quantity - was_quantity, monthly - was_monthly))
    return CostChange(round(sum(v[3] for v in old.values()), 2), after.total, tuple(items))


def text_of(value: Any) -> str | None:
    return value if isinstance(value, str) and value != UNKNOWN else None


def region_of(resource: Resource, default: str) -> str:
    """The resource's own `region` input (pulumi-aws v7), else the stack's."""
    return text_of(resource.inputs.get("region")) or default


def of_types(resources: Iterable[Resource], *types: str) -> list[Resource]:
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
        yield Usage(item, count, region_of(alarm, region), alarm.name, basis)


def each(type_: str, item: str, basis: str = "") -> Callable[[Sequence[Resource], str], Iterator[Usage]]:
    """One unit of `item` per resource of `type_`."""

    def count(resources: Sequence[Resource], region: str) -> Iterator[Usage]:
        for resource in of_types(resources, type_):
            yield Usage(item, 1, region_of(resource, region), resource.name, basis)

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
        yield Usage("custom-metric", 1, where, resource_name, bases.get(key, ""))


def kms_keys(resources: Sequence[Resource], region: str) -> Iterator[Usage]:
    for key in of_types(resources, *KMS_KEYS):
        rotating = key.inputs.get("enableKeyRotation") is True
        basis = "automatic rotation adds 1 USD a month after each of the first two rotations" if rotating else ""
        yield Usage("kms-key", 1, region_of(key, region), key.name, basis)


def secrets(resources: Sequence[Resource], region: str) -> Iterator[Usage]:
    for secret in of_types(resources, "aws:secretsmanager/secret:Secret"):
        replicas = [r for r in secret.inputs.get("replicas") or [] if isinstance(r, dict)]
        basis = f"the secret and its {len(replicas)} replica(s)" if replicas else ""
        yield Usage("secret", 1 + len(replicas), region_of(secret, region), secret.name, basis)


def canary_runs(resources: Sequence[Resource], region: str) -> Iterator[Usage]:
    for canary in of_types(resources, "aws:synthetics/canary:Canary"):
        schedule = canary.inputs.get("schedule") or {}
        expression = text_of(schedule.get("expression")) if isinstance(schedule, dict) else None
        if canary.inputs.get("startCanary") is not True:
            runs, basis = 0.0, "not started (startCanary is not true): no runs"
        elif expression is None or (runs := runs_per_month(expression)) is None:
            runs, basis = 0.0, f"schedule {expression or '(unknown)'} cannot be read: runs not counted"
        else:
            basis = f"{expression}, {runs:,.0f} runs in a 730-hour month"
        yield Usage("canary-run", runs, region_of(canary, region), canary.name, basis)


def type_name(cloudformation_type: str) -> str:
    """`AWS::Logs::LogGroup` → `loggroup`, to compare with a type token's last part."""
    return cloudformation_type.rsplit("::", 1)[-1].lower()


def token_name(type_token: str) -> str:
    return type_token.rsplit(":", 1)[-1].lower()


def recorded(recorder: Resource, resources: Sequence[Resource]) -> list[Resource]:
    """The stack's resources a recorder records: all of them, all but excluded types, or only listed types."""
    group = recorder.inputs.get("recordingGroup") or {}
    group = group if isinstance(group, dict) else {}
    listed = {type_name(t) for t in group.get("resourceTypes") or [] if text_of(t)}
    exclusion = group.get("exclusionByResourceTypes") or {}
    excluded = {type_name(t) for t in (exclusion.get("resourceTypes") if isinstance(exclusion, dict) else None) or []}
    if group.get("allSupported") is False and listed:
        return [r for r in resources if token_name(r.type) in listed]
    return [r for r in resources if token_name(r.type) not in excluded]


def config_recording(resources: Sequence[Resource], region: str) -> Iterator[Usage]:
    for recorder in of_types(resources, "aws:cfg/recorder:Recorder"):
        mode = recorder.inputs.get("recordingMode") or {}
        daily = isinstance(mode, dict) and mode.get("recordingFrequency") == "DAILY"
        count = len(recorded(recorder, resources)) * CHANGES_PER_RESOURCE
        yield Usage(
            "config-item-daily" if daily else "config-item-continuous",
            count,
            region_of(recorder, region),
            recorder.name,
            f"this stack's {count} recorded resources, one change each a month (assumed); "
            "the recorder also records the account's other resources",
        )


def in_scope(rule: Resource, resources: Sequence[Resource]) -> tuple[list[Resource] | None, bool]:
    """The stack's resources a Config rule evaluates and whether it runs on a schedule; None when
    neither the rule's scope nor the guardrail catalog says which resources it evaluates."""
    source = rule.inputs.get("source") or {}
    source = source if isinstance(source, dict) else {}
    scope = rule.inputs.get("scope") or {}
    types = {type_name(t) for t in (scope.get("complianceResourceTypes") if isinstance(scope, dict) else None) or []}
    details = [d for d in source.get("sourceDetails") or [] if isinstance(d, dict)]
    scheduled = any(d.get("messageType") == "ScheduledNotification" for d in details)
    guardrail = (
        CONFIG_RULES.get(text_of(source.get("sourceIdentifier")) or "") if source.get("owner") == "AWS" else None
    )
    if types:
        return [r for r in resources if token_name(r.type) in types], scheduled
    if guardrail is not None:
        rule_types = guardrail.references.config_rule.covers or guardrail.resource_types
        return [r for r in resources if r.type in rule_types], guardrail.references.config_rule.periodic
    return None, scheduled


PERIODIC = "periodic rules: each run (every 24 hours unless the rule sets maximumExecutionFrequency) evaluates each resource they look at, or the account once"
CHANGE_TRIGGERED = f"change-triggered rules: one evaluation per change of each resource they look at, {CHANGES_PER_RESOURCE} change a month assumed"
UNSCOPED = "rules whose resources are unknown: one evaluation a month each"


def config_evaluations(resources: Sequence[Resource], region: str) -> Iterator[Usage]:
    for rule in of_types(resources, "aws:cfg/rule:Rule"):
        targets, periodic = in_scope(rule, resources)
        frequency = text_of(rule.inputs.get("maximumExecutionFrequency"))
        if frequency in CONFIG_RUNS_PER_MONTH or periodic:
            runs = CONFIG_RUNS_PER_MONTH.get(frequency or "", CONFIG_RUNS_PER_MONTH["TwentyFour_Hours"])
            count, basis = runs * max(1, len(targets or ())), PERIODIC
        elif targets is None:
            count, basis = CHANGES_PER_RESOURCE, UNSCOPED
        else:
            count, basis = len(targets) * CHANGES_PER_RESOURCE, CHANGE_TRIGGERED
        yield Usage("config-rule-evaluation", count, region_of(rule, region), rule.name, basis)


COUNTED: tuple[Callable[[Sequence[Resource], str], Iterable[Usage]], ...] = (
    alarm_metrics,
    each("aws:cloudwatch/compositeAlarm:CompositeAlarm", "composite-alarm"),
    each("aws:cloudwatch/dashboard:Dashboard", "dashboard"),
    custom_metrics,
    kms_keys,
    secrets,
    canary_runs,
    config_recording,
    config_evaluations,
)


def log_groups(resources: Sequence[Resource], region: str) -> Iterator[Metered]:
    for group in of_types(resources, "aws:cloudwatch/logGroup:LogGroup"):
        infrequent = group.inputs.get("logGroupClass") == "INFREQUENT_ACCESS"
        where = region_of(group, region)
        yield Metered("log-ingestion-infrequent-access" if infrequent else "log-ingestion-standard", where, group.name)
        retention = number(group.inputs.get("retentionInDays"))
        kept = f"kept {retention:.0f} days" if retention else "kept until deleted (no retention)"
        yield Metered("log-storage", where, group.name, kept)


def tracing(resources: Sequence[Resource], region: str) -> Iterator[Metered]:
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
            yield Metered("xray-traces-recorded", where, resource.name)
            yield Metered("xray-traces-scanned", where, resource.name)
        insights = inputs.get("insightsConfiguration")
        if resource.type == "aws:xray/group:Group" and isinstance(insights, dict) and insights.get("insightsEnabled"):
            yield Metered("xray-insights", where, resource.name)


def trails(resources: Sequence[Resource], region: str) -> Iterator[Metered]:
    """Management events are free for the first trail in a region (assumed: this stack's first
    trail is the account's); data events and each Insights type are billed per event."""
    for index, trail in enumerate(of_types(resources, "aws:cloudtrail/trail:Trail")):
        where = region_of(trail, region)
        inputs = trail.inputs
        if index:
            yield Metered("cloudtrail-management-events-copy", where, trail.name, "a second trail in the stack")
        selectors = [s for s in inputs.get("eventSelectors") or [] if isinstance(s, dict)]
        advanced = [s for s in inputs.get("advancedEventSelectors") or [] if isinstance(s, dict)]
        data = any(s.get("dataResources") for s in selectors) or any(
            f.get("field") == "eventCategory" and "Data" in (f.get("equals") or [])
            for s in advanced
            for f in s.get("fieldSelectors") or []
            if isinstance(f, dict)
        )
        if data:
            yield Metered("cloudtrail-data-events", where, trail.name)
        kinds = [text_of(s.get("insightType")) for s in inputs.get("insightSelectors") or [] if isinstance(s, dict)]
        if kinds:
            yield Metered(
                "cloudtrail-insights", where, trail.name, f"{len(kinds)} type(s): {', '.join(filter(None, kinds))}"
            )


def requests(type_: tuple[str, ...], item: str) -> Callable[[Sequence[Resource], str], Iterator[Metered]]:
    def metered(resources: Sequence[Resource], region: str) -> Iterator[Metered]:
        for resource in of_types(resources, *type_):
            yield Metered(item, region_of(resource, region), resource.name)

    return metered


METERED: tuple[Callable[[Sequence[Resource], str], Iterable[Metered]], ...] = (
    log_groups,
    tracing,
    trails,
    requests(KMS_KEYS, "kms-requests"),
    requests(("aws:secretsmanager/secret:Secret",), "secret-api-calls"),
)


def estimate(resources: Sequence[Resource], *, region: str, prices: PriceBook, free_tier: bool = True) -> CostEstimate:
    usages = [u for count in COUNTED for u in count(resources, region)]
    metered = [m for meter in METERED for m in meter(resources, region)]

    grouped: dict[tuple[str, str], list[Usage]] = defaultdict(list)
    for usage in usages:
        grouped[(usage.item, usage.region)].append(usage)
    allowance: dict[str, float] = {}
    lines, rates = [], []
    for (item, where), group in grouped.items():
        rate = prices.rate(item, where)
        rates.append(rate)
        quantity = sum(u.quantity for u in group)
        left = allowance.setdefault(item, rate.free_per_account if free_tier else 0.0)
        free = min(left, quantity)
        allowance[item] = left - free
        lines.append(
            CostLine(
                item,
                rate.what,
                rate.unit,
                where,
                quantity,
                free,
                rate.first_price,
                rate.cost(quantity - free),
                tuple(u.resource for u in group),
                unique(u.basis for u in group),
            )
        )

    by_item: dict[tuple[str, str], list[Metered]] = defaultdict(list)
    for m in metered:
        by_item[(m.item, m.region)].append(m)
    per_unit = []
    for (item, where), group in by_item.items():
        rate = prices.rate(item, where)
        rates.append(rate)
        per_unit.append(
            UnitPrice(
                item,
                rate.what,
                rate.unit,
                where,
                rate.first_price,
                tuple(unique(m.resource for m in group)),
                unique(f"{m.resource}: {m.basis}" for m in group if m.basis),
            )
        )
    return CostEstimate(
        region=region,
        currency=prices.currency,
        free_tier=free_tier,
        lines=tuple(sorted(lines, key=lambda line: (-line.monthly, line.what, line.region))),
        per_unit=tuple(per_unit),
        notes=notes(rates, free_tier),
        sources=unique(cited(r.source) for r in rates),
    )


def cited(source: Source) -> str:
    dated = f"figures as of {source.as_of}, " if source.as_of else ""
    return f"{source.page} ({dated}checked {source.checked})"


def notes(rates: Iterable[Rate], free_tier: bool) -> tuple[str, ...]:
    borrowed = sorted({(r.asked, r.what) for r in rates if r.borrowed})
    found = [f"{what}: no {asked} price in the table, the us-east-1 price is used" for asked, what in borrowed]
    if free_tier:
        found.append(
            "The account's free tier (10 alarm metrics, 10 custom metrics, 3 dashboards, 100 canary runs) "
            "is credited to this stack: other stacks in the account may already use it."
        )
    return tuple(found)


def unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))
