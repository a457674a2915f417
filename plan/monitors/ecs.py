"""ECS services (Fargate or EC2): CPU and memory in `AWS/ECS`, and running tasks against desired in
`ECS/ContainerInsights`, both by ClusterName and ServiceName.

RunningTaskCount and DesiredTaskCount exist only when the cluster has Container Insights on; without
it the running-tasks alarm would never see data, so a service declares `containerInsights: false`
to go without it.
"""

from __future__ import annotations

from typing import Any

from ..alarms import AlarmKind, AlarmKinds, AlarmSpec
from ..naming import Naming
from .model import Monitor, monitor

KINDS = AlarmKinds(
    service="ECS service",
    namespace="AWS/ECS",
    kinds=(
        AlarmKind(
            key="cpuUtilization",
            what="cpu",
            metric="CPUUtilization",
            statistic="Average",
            description="The service's tasks use most of the CPU their task definition reserves.",
            threshold=90.0,
            unit="%",
            severity="warning",
            max_threshold=None,
            period=60,
            evaluation_periods=5,
            datapoints_to_alarm=5,
        ),
        AlarmKind(
            key="memoryUtilization",
            what="memory",
            metric="MemoryUtilization",
            statistic="Average",
            description="The service's tasks use most of the memory their task definition reserves.",
            threshold=90.0,
            unit="%",
            severity="warning",
            max_threshold=None,
            period=60,
            evaluation_periods=5,
            datapoints_to_alarm=5,
        ),
    ),
)
"""Utilization can pass 100% (a task may use more CPU than it reserves), so no upper bound."""
TASK_KINDS = AlarmKinds(
    service="ECS service tasks",
    namespace="ECS/ContainerInsights",
    kinds=(
        AlarmKind(
            key="runningTasks",
            what="running-below-desired",
            metric="RunningTaskCount",
            statistic="Average",
            description="Fewer tasks run than the service wants (tasks crash, fail health checks or cannot be placed).",
            threshold=0.0,
            treat_missing_data="missing",
            shortfall_of="DesiredTaskCount",
            evaluation_periods=3,
            datapoints_to_alarm=3,
        ),
    ),
)
"""Missing data stays missing: a cluster without Container Insights shows INSUFFICIENT_DATA, not OK."""
SETTINGS_KINDS = AlarmKinds(KINDS.service, KINDS.namespace, KINDS.kinds + TASK_KINDS.kinds)
"""The keys a service's `alarms` takes."""
WIDGETS = (
    ("CPU (%)", (("CPUUtilization", "Average"), ("CPUUtilization", "Maximum"))),
    ("Memory (%)", (("MemoryUtilization", "Average"), ("MemoryUtilization", "Maximum"))),
)
TASK_WIDGETS = (("Tasks", (("RunningTaskCount", "Average"), ("DesiredTaskCount", "Average"))),)


def service_monitors(
    naming: Naming,
    label: str,
    cluster_name: Any,
    service_name: Any,
    specs: tuple[AlarmSpec, ...],
    *,
    source: str,
    container_insights: bool = True,
    composite: bool = False,
) -> tuple[Monitor, ...]:
    dimensions = {"ClusterName": cluster_name, "ServiceName": service_name}
    utilization = monitor(
        naming,
        service="ecs",
        label=label,
        namespace=KINDS.namespace,
        dimensions=dimensions,
        specs=tuple(s for s in specs if KINDS.kind(s.kind.key)),
        source=source,
        composite=composite,
        widgets=WIDGETS,
    )
    if not container_insights:
        return (utilization,)
    tasks = monitor(
        naming,
        service="ecs",
        label=f"{label}-tasks",
        namespace=TASK_KINDS.namespace,
        dimensions=dimensions,
        specs=tuple(s for s in specs if TASK_KINDS.kind(s.kind.key)),
        source=source,
        composite=composite,
        widgets=TASK_WIDGETS,
    )
    return utilization, tasks
