"""Application Load Balancer target groups: `AWS/ApplicationELB` by LoadBalancer and TargetGroup
(the ARN suffixes `app/<name>/<id>` and `targetgroup/<name>/<id>`): target 5xx, unhealthy and
healthy hosts, p99 target response time."""

from __future__ import annotations

from typing import Any

from ..alarms import AlarmKind, AlarmKinds, AlarmSpec
from ..naming import Naming
from .model import Monitor, monitor

KINDS = AlarmKinds(
    service="ALB target group",
    namespace="AWS/ApplicationELB",
    kinds=(
        AlarmKind(
            key="targetErrors",
            what="target-5xx",
            metric="HTTPCode_Target_5XX_Count",
            statistic="Sum",
            description="Targets answered requests with a 5xx status.",
            threshold=0.0,
        ),
        AlarmKind(
            key="targetErrorRate",
            what="target-5xx-rate",
            metric="HTTPCode_Target_5XX_Count",
            statistic="Sum",
            description="Share of requests the targets answered with a 5xx status.",
            threshold=1.0,
            unit="%",
            enabled=False,
            rate_of="RequestCount",
            max_threshold=100.0,
            evaluation_periods=3,
            datapoints_to_alarm=3,
        ),
        AlarmKind(
            key="unhealthyHosts",
            what="unhealthy-hosts",
            metric="UnHealthyHostCount",
            statistic="Maximum",
            description="Targets fail their health checks.",
            threshold=0.0,
            severity="warning",
            evaluation_periods=2,
            datapoints_to_alarm=2,
        ),
        AlarmKind(
            key="healthyHosts",
            what="no-healthy-hosts",
            metric="HealthyHostCount",
            statistic="Minimum",
            description="No target passes its health checks: the load balancer has nowhere to send requests.",
            threshold=1.0,
            comparison="lessThan",
            evaluation_periods=2,
            datapoints_to_alarm=2,
        ),
        AlarmKind(
            key="responseTimeP99",
            what="response-time-p99",
            metric="TargetResponseTime",
            statistic="p99",
            description="p99 time from the request leaving the load balancer to the target's response is high.",
            threshold=2.0,
            unit="s",
            severity="warning",
            evaluation_periods=3,
            datapoints_to_alarm=3,
        ),
    ),
)
WIDGETS = (
    ("Requests", (("RequestCount", "Sum"),)),
    ("Target 4xx and 5xx", (("HTTPCode_Target_4XX_Count", "Sum"), ("HTTPCode_Target_5XX_Count", "Sum"))),
    ("Hosts", (("HealthyHostCount", "Minimum"), ("UnHealthyHostCount", "Maximum"))),
    ("Target response time (s)", (("TargetResponseTime", "p99"), ("TargetResponseTime", "Average"))),
)


def arn_suffix(arn: str) -> str:
    """`arn:aws:elasticloadbalancing:…:loadbalancer/app/web/50dc6c495c0c9188` → `app/web/50dc6c495c0c9188`,
    the form the metrics' dimensions take; a suffix is returned as it is."""
    resource = arn.split(":", 5)[5] if arn.startswith("arn:") else arn
    return resource.removeprefix("loadbalancer/")


def target_group_monitor(
    naming: Naming,
    label: str,
    load_balancer: Any,
    target_group: Any,
    specs: tuple[AlarmSpec, ...],
    *,
    source: str,
    composite: bool = False,
) -> Monitor:
    return monitor(
        naming,
        service="alb",
        label=label,
        namespace=KINDS.namespace,
        dimensions={"LoadBalancer": load_balancer, "TargetGroup": target_group},
        specs=specs,
        source=source,
        composite=composite,
        widgets=WIDGETS,
    )
