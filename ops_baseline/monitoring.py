"""`ServiceMonitoring`: an application program's resources as the baseline's plan nodes, created by the
baseline's own monitoring facade. The entries go through the stack config's parser and checks and
the plan's builders (plan/services.py), so both paths make the same monitors."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi

from components.monitoring import Monitoring, MonitoringArgs
from components.tagging import tagging
from plan import SECTION_CHECKS, services
from plan.monitors import ALERTS, Monitor
from plan.monitors.alb import arn_suffix
from plan.naming import Naming, slug
from plan.stack import Monitoring as MonitoringPlan
from plan.stack import alarm_name_problems
from settings import SettingsError
from settings.monitoring import (
    LABEL,
    LABEL_TEXT,
    EcsServiceSettings,
    HttpApiSettings,
    LambdaFunctionSettings,
    QueueSettings,
    StateMachineSettings,
    TableSettings,
    TargetGroupSettings,
)
from settings.schema import Parser, issue

BASELINE_PROJECT = "ops-baseline"


@dataclass(frozen=True)
class AlertTarget:
    """Where the alarms of an application's monitors notify, and the environment that names them."""

    environment: str
    """`prod` in `ops-prod-orders-errors-critical`: the baseline's environment, so its subscribers'
    filters (SMS by severity) and its Slack notifier treat these alarms as the baseline's own."""
    region: str
    topic_arn: pulumi.Input[str]
    """The baseline's alerting topic; ALARM and OK of every alarm go there."""
    kms_key_arn: pulumi.Input[str] | None = None
    """The baseline's customer key, for the application's log groups and queues."""

    @classmethod
    def from_stack_reference(
        cls, stack: str | pulumi.StackReference, *, environment: str | None = None, region: str | None = None
    ) -> AlertTarget:
        """Read the baseline's exports (`alertTopicArn`, `kmsKeyArn`) from its stack.

        `stack` is `organization/ops-baseline/<stack>` or a StackReference named so. The environment
        defaults to the stack's name (the baseline's stacks are named after their environment), the
        region to this program's `aws:region`.
        """
        reference = stack if isinstance(stack, pulumi.StackReference) else pulumi.StackReference(stack)
        stack_name = reference.pulumi_resource_name.split("/")[-1]
        return cls(
            environment=environment or stack_name,
            region=region or pulumi.Config("aws").require("region"),
            topic_arn=reference.require_output("alertTopicArn"),
            kms_key_arn=reference.require_output("kmsKeyArn"),
        )


@dataclass(frozen=True)
class Named:
    """A name known only as an Input (an Output of another program or language), with the label
    that names its alarms: `Named("orders", function.name)`."""

    label: str
    value: pulumi.Input[str]


class Watch:
    """A resource (or its name or ARN) with the options of its stack-config entry:
    `Watch(handler, timeout_seconds=30, alarms={"errorRate": {}})`."""

    def __init__(self, target: Any, **options: Any) -> None:
        self.target = target
        self.options = options


@dataclass(frozen=True)
class Linked:
    """An option naming another resource (a dead-letter queue, a load balancer)."""

    setting: str
    """Settings key it fills: the resource's label, or a stand-in the entry's checks accept."""
    builder: str
    """Builder keyword that takes the resource's Output."""
    output: Callable[[Any], Any]
    stand_in: str | None = None
    """For a setting that must hold a name of the right form: a valid value in place of the Output."""
    of_string: Callable[[str], Any] = lambda value: value


@dataclass(frozen=True)
class Service:
    """How one argument of ServiceMonitoring maps onto a stack-config entry and its plan builder."""

    argument: str
    settings: type
    build: Callable[..., tuple[Monitor, ...]]
    primary: str
    """Settings key a name, an ARN or a resource fills."""
    outputs: Callable[[Any], dict[str, Any]]
    """Builder keywords from the resource: its names as Outputs."""
    given: str
    """Builder keyword of the primary name when it is `Named`."""
    given_form: Callable[[str], Any] = lambda value: value
    """The primary name as its dimension takes it (a target group's ARN suffix)."""
    label: str | None = None
    """Settings key of the label, when it is not the primary key."""
    stand_ins: Mapping[str, str] = field(default_factory=dict)
    """Valid values of the names a resource gives (its Outputs go to the builder instead), so the
    entry's checks pass; any other primary key takes the resource's label."""
    label_of_string: Callable[[str], str] = lambda value: value
    linked: Mapping[str, Linked] = field(default_factory=dict)


def _cluster_name(cluster: str) -> str:
    """A service's `cluster` is the cluster's ARN (`…:cluster/main`) or its name."""
    return cluster.rsplit("/", 1)[-1]


SERVICES = (
    Service("functions", LambdaFunctionSettings, services.function, "functionName", lambda r: {"name": r.name}, "name"),
    Service(
        "http_apis",
        HttpApiSettings,
        services.http_api_,
        "apiId",
        lambda r: {"api_id": r.id},
        "api_id",
        label="name",
        stand_ins={"apiId": "a000000000"},
    ),
    Service(
        "queues",
        QueueSettings,
        services.queue,
        "queueName",
        lambda r: {"name": r.name},
        "name",
        linked={
            "dead_letter_queue": Linked("deadLetterQueueName", "dead_letter_name", lambda r: r.name),
        },
    ),
    Service(
        "ecs_services",
        EcsServiceSettings,
        services.ecs_service,
        "serviceName",
        lambda r: {"service_name": r.name, "cluster_name": r.cluster.apply(_cluster_name)},
        "service_name",
        label="name",
        stand_ins={"serviceName": "stand-in", "clusterName": "stand-in"},
        linked={
            "cluster": Linked(
                "clusterName", "cluster_name", lambda r: r.name, stand_in="stand-in", of_string=_cluster_name
            ),
        },
    ),
    Service(
        "target_groups",
        TargetGroupSettings,
        services.target_group,
        "targetGroup",
        lambda r: {"target_group": r.arn_suffix},
        "target_group",
        given_form=arn_suffix,
        label="name",
        stand_ins={"targetGroup": "targetgroup/stand-in/0"},
        label_of_string=lambda value: slug(arn_suffix(value).split("/")[1]),
        linked={
            "load_balancer": Linked(
                "loadBalancer", "load_balancer", lambda r: r.arn_suffix, stand_in="app/stand-in/0", of_string=arn_suffix
            ),
        },
    ),
    Service("tables", TableSettings, services.table, "tableName", lambda r: {"name": r.name}, "name"),
    Service(
        "state_machines",
        StateMachineSettings,
        services.state_machine,
        "stateMachineArn",
        lambda r: {"arn": r.arn},
        "arn",
        label="name",
        stand_ins={"stateMachineArn": "arn:aws:states:us-east-1:000000000000:stateMachine:stand-in"},
        label_of_string=lambda value: slug(value.rsplit(":", 1)[-1]),
    ),
)


def camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _entry(service: Service, item: Any) -> tuple[Any, dict[str, Any]]:
    """The raw stack-config entry of one item, and the builder keywords its resources give."""
    if isinstance(item, Mapping):
        return dict(item), {}
    watch = item if isinstance(item, Watch) else Watch(item)
    raw: dict[str, Any] = {}
    outputs: dict[str, Any] = {}
    for key, value in watch.options.items():
        linked = service.linked.get(key)
        if linked is None:
            raw[camel(key)] = _camel_alarms(value) if key == "alarms" else value
        elif isinstance(value, pulumi.Resource):
            raw[linked.setting] = linked.stand_in or slug(value.pulumi_resource_name)
            outputs[linked.builder] = linked.output(value)
        elif isinstance(value, Named):
            raw[linked.setting] = linked.stand_in or value.label
            outputs[linked.builder] = pulumi.Output.from_input(value.value).apply(linked.of_string)
        else:  # a name or ARN: the entry holds it, as stack config would
            raw[linked.setting] = linked.of_string(value) if isinstance(value, str) else value
    target = watch.target
    if isinstance(target, pulumi.Resource):
        label = slug(target.pulumi_resource_name)
        raw.update({service.primary: label, **service.stand_ins})
        raw.setdefault(service.label or service.primary, label)
        outputs = {**service.outputs(target), **outputs}  # options the program gives win
    elif isinstance(target, Named):
        raw.update({service.primary: target.label, **service.stand_ins})
        raw.setdefault(service.label or service.primary, target.label)
        outputs[service.given] = pulumi.Output.from_input(target.value).apply(service.given_form)
    else:
        raw[service.primary] = target
        if service.label and isinstance(target, str):
            raw.setdefault(service.label, service.label_of_string(target))
    return raw, outputs


def _camel_alarms(alarms: Any) -> Any:
    if not isinstance(alarms, Mapping):
        return alarms
    return {
        kind: {camel(k): v for k, v in override.items()} if isinstance(override, Mapping) else override
        for kind, override in alarms.items()
    }


def service_monitors(naming: Naming, **items: Sequence[Any]) -> tuple[Monitor, ...]:
    """The plan nodes of an application's resources, checked as the baseline checks its stack config;
    raise SettingsError with every problem at once."""
    known = {service.argument: service for service in SERVICES}
    parser = Parser(section_checks=SECTION_CHECKS)
    monitors: list[Monitor] = []
    for argument, entries in items.items():
        service = known.get(argument)
        if service is None:
            parser.report(argument, f"is not a kind of service; allowed: {', '.join(known)}")
            continue
        for i, item in enumerate(entries or ()):
            path = f"{argument}[{i}]"
            raw, outputs = _entry(service, item)
            entry = parser.section(service.settings, raw, path)
            if entry is not None:
                monitors.extend(service.build(naming, entry, path, **outputs))
    problems = [issue(source, problem, value=name) for source, name, problem in alarm_name_problems(monitors)]
    if parser.issues or problems:
        raise SettingsError([*parser.issues, *problems])
    return tuple(monitors)


class ServiceMonitoring(pulumi.ComponentResource):
    """The baseline's alarms and a dashboard `ops-<environment>-<name>` for an application's resources.

    Each list takes resources, `Watch(resource_or_name, **options)` or stack-config entries (see the
    module). `tags` go on every alarm and dashboard. Bad entries raise SettingsError naming each
    problem, before any resource is registered.
    """

    TYPE = "ops-baseline:index:ServiceMonitoring"
    """Also the component package's token: both make the same URNs."""
    alarm_names: list[str]
    dashboard_names: list[str]
    monitors: tuple[Monitor, ...]
    """The plan nodes, as the baseline's own config would make them."""

    def __init__(
        self,
        name: str,
        *,
        alerts: AlertTarget,
        functions: Sequence[Any] = (),
        http_apis: Sequence[Any] = (),
        queues: Sequence[Any] = (),
        ecs_services: Sequence[Any] = (),
        target_groups: Sequence[Any] = (),
        tables: Sequence[Any] = (),
        state_machines: Sequence[Any] = (),
        dashboard: bool = True,
        tags: Mapping[str, str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        items = {
            "functions": functions,
            "http_apis": http_apis,
            "queues": queues,
            "ecs_services": ecs_services,
            "target_groups": target_groups,
            "tables": tables,
            "state_machines": state_machines,
        }
        self.monitors = self.plan(name, alerts, items)
        super().__init__(self.TYPE, name, None, self.tagged(opts, tags))
        facade = create_monitoring(self, name, alerts, self.monitors, dashboard)
        self.alarm_names = facade.alarm_names
        self.dashboard_names = facade.dashboard_names
        self.register_outputs({"alarm_names": self.alarm_names, "dashboard_names": self.dashboard_names})

    @staticmethod
    def plan(name: str, alerts: AlertTarget, items: Mapping[str, Sequence[Any]]) -> tuple[Monitor, ...]:
        """The monitors, or SettingsError with every problem (the name's too) before anything is registered."""
        issues = [] if LABEL.match(name) else [issue("name", "names the dashboard: " + LABEL_TEXT, value=name)]
        try:
            monitors = service_monitors(Naming(alerts.environment), **items)
        except SettingsError as error:
            issues += error.issues
        if issues:
            raise SettingsError(issues)
        return monitors

    @staticmethod
    def tagged(opts: pulumi.ResourceOptions | None, tags: Mapping[str, str] | None) -> pulumi.ResourceOptions | None:
        """The alarms and dashboards carry the application's tags, as the baseline's carry its own."""
        if not tags:
            return opts
        return pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(transformations=[tagging(tags)]))


def create_monitoring(
    parent: pulumi.Resource, name: str, alerts: AlertTarget, monitors: tuple[Monitor, ...], dashboard: bool
) -> Monitoring:
    """The baseline's monitoring facade for an application's monitors, with a dashboard of their own."""
    naming = Naming(alerts.environment)
    plan = MonitoringPlan(
        naming, alerts.environment, alerts.region, (), dashboard, dashboard_base=naming.physical(name)
    )
    return Monitoring(
        name, MonitoringArgs(plan, monitors, {}, {ALERTS: alerts.topic_arn}), opts=pulumi.ResourceOptions(parent=parent)
    )
