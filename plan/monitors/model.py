"""What the monitoring facade needs to know about one watched thing: its metrics' namespace and
dimensions, its alarms with their final names, the composite alarm that speaks for it, where its
notifications go and the dashboard widgets that chart it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..alarms import AlarmSpec, composite_severity
from ..naming import Naming
from ..slo import BurnAlert, Objective

ALERTS = "alerts"
"""The stack's alerting topic."""
NOTIFIER_ALERTS = "notifier"
"""Email and SMS only, for the Slack notifier's own alarms: a broken notifier cannot report itself."""
BILLING_ALERTS = "billing"
"""A topic in us-east-1, next to the billing alarm, when the stack lives elsewhere."""

Widget = tuple[str, tuple[tuple[str, str], ...]]
"""(title, ((metric, statistic), ...)): one graph of a dashboard row."""


@dataclass(frozen=True)
class Unbound:
    """A dimension value known only once a component has created its resource (an API id, a name
    that carries a dependency on it). The component offers the value under this placeholder in its
    `bindings`; the facade binds every monitor with them (`Monitor.bind`)."""

    owner: str
    """The component that binds it."""
    what: str


@dataclass(frozen=True)
class Alarm:
    spec: AlarmSpec
    name: str
    source: str
    """Settings key the alarm comes from, for error messages (e.g. `monitoring.lambdaFunctions[0]`)."""


@dataclass(frozen=True)
class Composite:
    name: str
    severity: str
    source: str


@dataclass(frozen=True)
class BurnComposite:
    """One SLO alert with its alarm names: the composite notifies, its two window alarms stay silent."""

    alert: BurnAlert
    name: str
    long: Alarm
    short: Alarm
    source: str


@dataclass(frozen=True)
class SloAlarms:
    objective: Objective
    alerts: tuple[BurnComposite, ...]

    @property
    def windows(self) -> tuple[Alarm, ...]:
        return tuple(alarm for alert in self.alerts for alarm in (alert.long, alert.short))


@dataclass(frozen=True)
class Monitor:
    service: str
    """Dashboard row kind: lambda, http-api, custom, canary, log-filter, sqs or billing."""
    label: str
    """Resource part of alarm names."""
    namespace: str
    dimensions: Mapping[str, Any]
    """Values are strings, `Unbound` until bound, then Pulumi inputs."""
    alarms: tuple[Alarm, ...]
    composite: Composite | None = None
    """When set, it notifies and its children stay silent."""
    region: str | None = None
    """Region of the alarms when not the stack's (billing metrics live in us-east-1 only)."""
    topic: str = ALERTS
    widgets: tuple[Widget, ...] = ()
    slo: SloAlarms | None = None
    """Burn-rate alerts on the error ratio, apart from `alarms` (and from `composite`, which they never join)."""

    @property
    def specs(self) -> tuple[AlarmSpec, ...]:
        return tuple(alarm.spec for alarm in self.alarms)

    @property
    def alarm_names(self) -> tuple[tuple[str, str], ...]:
        """(name, source) of every alarm and composite alarm the monitor creates."""
        named = [(a.name, a.source) for a in self.alarms]
        if self.composite:
            named.append((self.composite.name, self.composite.source))
        for alert in self.slo.alerts if self.slo else ():
            named += [(alert.long.name, alert.source), (alert.short.name, alert.source), (alert.name, alert.source)]
        return tuple(named)

    def bind(self, bindings: Mapping[Unbound, Any]) -> Monitor:
        """The monitor with each placeholder dimension replaced by the value its component offers."""
        missing = [v for v in self.dimensions.values() if isinstance(v, Unbound) and v not in bindings]
        if missing:
            raise ValueError(
                f"monitor {self.label}: no value for " + ", ".join(f"the {u.what} of {u.owner}" for u in missing)
            )
        bound = {k: bindings[v] if isinstance(v, Unbound) else v for k, v in self.dimensions.items()}
        return replace(self, dimensions=bound)


def monitor(
    naming: Naming,
    *,
    service: str,
    label: str,
    namespace: str,
    dimensions: Mapping[str, Any],
    specs: tuple[AlarmSpec, ...],
    source: str,
    composite: bool = False,
    widgets: tuple[Widget, ...] = (),
    region: str | None = None,
    topic: str = ALERTS,
    objective: Objective | None = None,
) -> Monitor:
    """A monitor whose alarms are named by `naming`; widgets default to one graph per alarm."""
    alarms = tuple(Alarm(spec, naming.alarm(label, spec.what, spec.severity), source) for spec in specs)
    speaks_for_all = None
    if composite and specs:
        severity = composite_severity(specs)
        speaks_for_all = Composite(naming.alarm(label, "composite", severity), severity, f"{source}.composite")
    return Monitor(
        service=service,
        label=label,
        namespace=namespace,
        dimensions=dimensions,
        alarms=alarms,
        composite=speaks_for_all,
        region=region,
        topic=topic,
        widgets=widgets or tuple((f"{s.metric} ({s.statistic})", ((s.metric, s.statistic),)) for s in specs),
        slo=slo_alarms(naming, label, objective, source) if objective else None,
    )


def slo_alarms(naming: Naming, label: str, objective: Objective, source: str) -> SloAlarms:
    """Each alert's composite and window alarms, named like the monitor's other alarms."""
    alerts = []
    for i, alert in enumerate(objective.alerts):
        where = f"{source}.slo.alerts[{i}]"
        long, short = (Alarm(s, naming.alarm(label, s.what, s.severity), where) for s in (alert.long, alert.short))
        alerts.append(BurnComposite(alert, naming.alarm(label, alert.what, alert.severity), long, short, where))
    return SloAlarms(objective, tuple(alerts))
