"""The monitors of the services a stack watches: one builder per settings entry, shared by the
baseline's stack config (`monitoring.lambdaFunctions`, `monitoring.queues`, ...) and by application
programs through `ops_baseline.ServiceMonitoring`.

An entry's names label its alarms (`<prefix>-<label>-<what>-<severity>`) and, from stack config, are
also its dimension values. An application program passes its resources' names as dimension values
instead (Pulumi Outputs), while the label stays the entry's own, known before anything is deployed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from settings.monitoring import (
    EcsServiceSettings,
    HttpApiSettings,
    LambdaFunctionSettings,
    MonitoringSettings,
    QueueSettings,
    StateMachineSettings,
    TableSettings,
    TargetGroupSettings,
)
from settings.schema import NO_VALUE, Problem, SectionChecks

from .monitors import Monitor, alb, dynamodb, ecs, http_api, lambda_, sqs, step_functions
from .naming import Naming

DEAD_LETTER_SUFFIX = "-dlq"


def function(naming: Naming, entry: LambdaFunctionSettings, source: str, name: Any = None) -> tuple[Monitor, ...]:
    specs = lambda_.KINDS.specs(entry.alarms, timeout_seconds=entry.timeout_seconds)
    label = entry.function_name
    return (
        lambda_.function_monitor(
            naming, label, name or label, specs, source=source, composite=entry.composite, slo=entry.slo
        ),
    )


def http_api_(naming: Naming, entry: HttpApiSettings, source: str, api_id: Any = None) -> tuple[Monitor, ...]:
    specs = http_api.KINDS.specs(entry.alarms)
    return (
        http_api.api_monitor(
            naming,
            entry.name,
            api_id or entry.api_id,
            specs,
            source=source,
            stage=entry.stage,
            composite=entry.composite,
            slo=entry.slo,
        ),
    )


def queue(
    naming: Naming, entry: QueueSettings, source: str, name: Any = None, dead_letter_name: Any = None
) -> tuple[Monitor, ...]:
    resolved = tuple((key, spec) for key, _, spec in sqs.KINDS.resolved(entry.alarms))
    dead_letter = entry.dead_letter_queue_name
    return sqs.queue_monitors(
        naming,
        entry.queue_name,
        name or entry.queue_name,
        resolved,
        source=source,
        dead_letter=(dead_letter, dead_letter_name or dead_letter) if dead_letter else None,
        composite=entry.composite,
    )


def ecs_service(
    naming: Naming, entry: EcsServiceSettings, source: str, cluster_name: Any = None, service_name: Any = None
) -> tuple[Monitor, ...]:
    specs = ecs.SETTINGS_KINDS.specs(entry.alarms)
    return ecs.service_monitors(
        naming,
        entry.name,
        cluster_name or entry.cluster_name,
        service_name or entry.service_name,
        specs,
        source=source,
        container_insights=entry.container_insights,
        composite=entry.composite,
    )


def target_group(
    naming: Naming, entry: TargetGroupSettings, source: str, load_balancer: Any = None, target_group: Any = None
) -> tuple[Monitor, ...]:
    return (
        alb.target_group_monitor(
            naming,
            entry.name,
            load_balancer or alb.arn_suffix(entry.load_balancer),
            target_group or alb.arn_suffix(entry.target_group),
            alb.KINDS.specs(entry.alarms),
            source=source,
            composite=entry.composite,
        ),
    )


def table(naming: Naming, entry: TableSettings, source: str, name: Any = None) -> tuple[Monitor, ...]:
    label = entry.table_name
    specs = dynamodb.KINDS.specs(entry.alarms)
    return (dynamodb.table_monitor(naming, label, name or label, specs, source=source, composite=entry.composite),)


def state_machine(naming: Naming, entry: StateMachineSettings, source: str, arn: Any = None) -> tuple[Monitor, ...]:
    specs = step_functions.KINDS.specs(entry.alarms)
    return (
        step_functions.state_machine_monitor(
            naming, entry.name, arn or entry.state_machine_arn, specs, source=source, composite=entry.composite
        ),
    )


def configured(monitoring: MonitoringSettings, naming: Naming) -> Iterator[Monitor]:
    """Every service monitor of the stack config, in its order: functions, APIs, queues, ECS services,
    target groups, tables, state machines."""
    yield from each(naming, function, monitoring.lambda_functions, "lambdaFunctions")
    yield from each(naming, http_api_, monitoring.http_apis, "httpApis")
    yield from each(naming, queue, monitoring.queues, "queues")
    yield from each(naming, ecs_service, monitoring.ecs_services, "ecsServices")
    yield from each(naming, target_group, monitoring.target_groups, "targetGroups")
    yield from each(naming, table, monitoring.dynamodb_tables, "dynamodbTables")
    yield from each(naming, state_machine, monitoring.state_machines, "stateMachines")


Entry = TypeVar("Entry")


def each(
    naming: Naming, builder: Callable[[Naming, Entry, str], Iterable[Monitor]], entries: Iterable[Entry], key: str
) -> Iterator[Monitor]:
    """The monitors of one list of entries, each told where it sits in the stack config."""
    for i, entry in enumerate(entries):
        yield from builder(naming, entry, f"monitoring.{key}[{i}]")


def queue_problems(entry: QueueSettings) -> Iterator[Problem]:
    if not entry.dead_letter_queue_name and "deadLetterMessages" in entry.alarms:
        yield "alarms.deadLetterMessages", NO_VALUE, "watches the dead-letter queue: set deadLetterQueueName too"
    yield from sqs.KINDS.problems(entry.alarms)


def ecs_problems(entry: EcsServiceSettings) -> Iterator[Problem]:
    if not entry.container_insights and "runningTasks" in entry.alarms:
        yield (
            "alarms.runningTasks",
            NO_VALUE,
            "needs Container Insights (RunningTaskCount and DesiredTaskCount): set containerInsights: true",
        )
    yield from ecs.SETTINGS_KINDS.problems(entry.alarms)


SECTION_CHECKS: SectionChecks = {
    QueueSettings: queue_problems,
    EcsServiceSettings: ecs_problems,
    TargetGroupSettings: lambda entry: alb.KINDS.problems(entry.alarms),
    TableSettings: lambda entry: dynamodb.KINDS.problems(entry.alarms),
    StateMachineSettings: lambda entry: step_functions.KINDS.problems(entry.alarms),
}
"""The plan's rules for the new service entries (functions' and APIs' live in plan/__init__.py)."""
