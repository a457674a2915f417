"""What the monitoring facade needs to know about one watched thing: its metrics' namespace and
dimensions, its alarms with their final names, the composite alarm that speaks for it, where its
notifications go and the dashboard widgets that chart it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..alarms import AlarmSpec, composite_severity
from ..naming import Naming

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

    @property
    def specs(self) -> tuple[AlarmSpec, ...]:
        return tuple(alarm.spec for alarm in self.alarms)

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
    )
