"""Monitored resources and the one alarm factory that turns their policies into MetricAlarm arguments.

Pure: no resources are created here. A `Monitor` is what the facade needs to know about one watched
thing (its metrics' namespace and dimensions, its resolved alarm policies, whether a composite alarm
speaks for it); `metric_alarm_args` applies the naming strategy and the action strategy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pulumi

from settings.alarms import (
    LAMBDA,
    NOTIFIER_DESTINATION_FAILURES,
    NOTIFIER_METRICS_NAMESPACE,
    NOTIFIER_PLAIN_TEXT,
    NOTIFIER_UNDELIVERED,
    STATISTICS,
    AlarmPolicy,
    alarm_name,
    alarm_policies,
    resolve,
)
from settings.monitoring import (
    BillingSettings,
    CanarySettings,
    CustomMetricMonitor,
    composite_severity,
)

RATE_EXPRESSION = "IF(total > 0, 100 * part / total, 0)"
"""Percentage of `part` in `total`; 0 when there was no traffic, so idle periods never alarm."""


@dataclass(frozen=True)
class Monitor:
    service: str
    """Dashboard row kind: lambda, http-api, custom, canary, log-filter or billing."""
    label: str
    """Resource part of alarm names."""
    namespace: str
    dimensions: Mapping[str, pulumi.Input[str]]
    policies: tuple[AlarmPolicy, ...]
    composite: bool = False
    region: str | None = None
    """Region of the alarms when not the stack's (billing metrics live in us-east-1 only)."""
    topic_arn: pulumi.Input[str] | None = None
    """Topic of this monitor's alarms when not the stack's alerting topic (it must be in the alarms' region)."""
    widget_metrics: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = field(default=())
    """Dashboard widgets: (title, ((metric, statistic), ...)); defaults to one widget per policy."""

    def alarm_name(self, prefix: str, policy: AlarmPolicy) -> str:
        return alarm_name(prefix, self.label, policy.what, policy.severity)

    def composite_name(self, prefix: str) -> str:
        return alarm_name(prefix, self.label, "composite", composite_severity(self.policies))

    @property
    def widgets(self) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
        if self.widget_metrics:
            return self.widget_metrics
        return tuple((f"{p.metric} ({p.statistic})", ((p.metric, p.statistic),)) for p in self.policies)


LAMBDA_WIDGETS = (
    ("Invocations", (("Invocations", "Sum"),)),
    ("Errors", (("Errors", "Sum"),)),
    ("Duration (ms)", (("Duration", "p99"), ("Duration", "Average"))),
    ("Throttles", (("Throttles", "Sum"),)),
)
HTTP_API_WIDGETS = (
    ("Requests", (("Count", "Sum"),)),
    ("4xx and 5xx", (("4xx", "Sum"), ("5xx", "Sum"))),
    ("Latency (ms)", (("Latency", "p99"), ("IntegrationLatency", "p99"))),
)
CANARY_WIDGETS = (
    ("Success (%)", (("SuccessPercent", "Average"),)),
    ("Run duration (ms)", (("Duration", "Average"),)),
)


def lambda_monitor(
    function_name: pulumi.Input[str],
    policies: tuple[AlarmPolicy, ...],
    *,
    composite: bool = False,
    label: str | None = None,
) -> Monitor:
    """`label` names the function in alarms when its name would repeat the prefix (the sample workload's)."""
    return Monitor(
        service="lambda",
        label=label or function_name,
        namespace="AWS/Lambda",
        dimensions={"FunctionName": function_name},
        policies=policies,
        composite=composite,
        widget_metrics=LAMBDA_WIDGETS,
    )


def http_api_monitor(
    label: str,
    api_id: pulumi.Input[str],
    policies: tuple[AlarmPolicy, ...],
    *,
    stage: str = "$default",
    composite: bool = False,
) -> Monitor:
    return Monitor(
        service="http-api",
        label=label,
        namespace="AWS/ApiGateway",
        dimensions={"ApiId": api_id, "Stage": stage},
        policies=policies,
        composite=composite,
        widget_metrics=HTTP_API_WIDGETS,
    )


def custom_metric_monitor(settings: CustomMetricMonitor) -> Monitor:
    policy = settings.policy()
    return Monitor(
        service="custom",
        label=settings.name,
        namespace=settings.namespace,
        dimensions=dict(settings.dimensions),
        policies=(policy,) if policy else (),
        widget_metrics=(
            (f"{settings.namespace} {settings.metric_name}", ((settings.metric_name, settings.statistic),)),
        ),
    )


def canary_monitor(settings: CanarySettings, canary_name: pulumi.Input[str]) -> Monitor:
    policy = settings.policy()
    return Monitor(
        service="canary",
        label=settings.name,
        namespace="CloudWatchSynthetics",
        dimensions={"CanaryName": canary_name},
        policies=(policy,) if policy else (),
        widget_metrics=CANARY_WIDGETS,
    )


def metric_alarm_args(
    prefix: str,
    monitor: Monitor,
    policy: AlarmPolicy,
    actions: Sequence[pulumi.Input[str]],
    description_note: str,
) -> dict[str, Any]:
    """Keyword arguments of `aws.cloudwatch.MetricAlarm` for one policy of one monitor.

    ALARM and OK go to the same actions: whoever is paged also hears the recovery.
    """
    name = monitor.alarm_name(prefix, policy)
    args: dict[str, Any] = {
        "name": name,
        "alarm_description": f"{monitor.label}: {policy.kind.description} {policy.summary()}. {description_note}",
        "comparison_operator": policy.comparison_operator,
        "threshold": policy.threshold,
        "evaluation_periods": policy.evaluation_periods,
        "datapoints_to_alarm": policy.datapoints_to_alarm,
        "treat_missing_data": policy.treat_missing_data,
        "actions_enabled": True,
        "alarm_actions": list(actions),
        "ok_actions": list(actions),
    }
    if monitor.region:
        args["region"] = monitor.region
    if policy.kind.rate_of:
        args["metric_queries"] = [
            _query("part", monitor, policy.metric, policy),
            _query("total", monitor, policy.kind.rate_of, policy),
            {
                "id": "rate",
                "expression": RATE_EXPRESSION,
                "label": f"{policy.metric} per 100 {policy.kind.rate_of}",
                "return_data": True,
            },
        ]
        return args
    args.update(
        namespace=monitor.namespace,
        metric_name=policy.metric,
        dimensions=dict(monitor.dimensions),
        period=policy.period,
    )
    if policy.statistic in STATISTICS:
        args["statistic"] = policy.statistic
    else:
        args["extended_statistic"] = policy.statistic
    return args


def _query(query_id: str, monitor: Monitor, metric: str, policy: AlarmPolicy) -> dict[str, Any]:
    return {
        "id": query_id,
        "return_data": False,
        "metric": {
            "namespace": monitor.namespace,
            "metric_name": metric,
            "dimensions": dict(monitor.dimensions),
            "period": policy.period,
            "stat": "Sum",
        },
    }


def composite_rule(prefix: str, monitor: Monitor) -> str:
    """`ALARM("a") OR ALARM("b")`: the composite fires while any child is in ALARM."""
    return " OR ".join(f'ALARM("{monitor.alarm_name(prefix, p)}")' for p in monitor.policies)


BILLING_REGION = "us-east-1"
"""AWS publishes AWS/Billing metrics in us-east-1 only."""


def billing_monitor(settings: BillingSettings, topic_arn: pulumi.Input[str]) -> Monitor:
    """`topic_arn` must be a topic in us-east-1, next to the alarm."""
    return Monitor(
        service="billing",
        label="billing",
        namespace="AWS/Billing",
        dimensions={"Currency": "USD"},
        policies=(settings.policy(),),
        region=BILLING_REGION,
        topic_arn=topic_arn,
        widget_metrics=(("Estimated charges (USD, month to date)", (("EstimatedCharges", "Maximum"),)),),
    )


def notifier_monitors(
    label: str,
    function_name: pulumi.Input[str],
    queue_name: pulumi.Input[str],
    timeout_seconds: int,
    topic_arn: pulumi.Input[str],
) -> tuple[Monitor, Monitor, Monitor]:
    """The Slack notifier watched like any function, plus its lost and parked notifications and the
    notices Slack only took as plain text.

    `topic_arn` must not be the topic the notifier reads: a broken notifier cannot report itself.
    """
    policies = (
        *alarm_policies(LAMBDA, {}, timeout_seconds=timeout_seconds),
        resolve(NOTIFIER_DESTINATION_FAILURES, None),
    )
    function = replace(lambda_monitor(function_name, policies, label=label), topic_arn=topic_arn)
    queue = Monitor(
        service="sqs",
        label=f"{label}-queue",
        namespace="AWS/SQS",
        dimensions={"QueueName": queue_name},
        policies=(resolve(NOTIFIER_UNDELIVERED, None),),
        topic_arn=topic_arn,
    )
    formatting = Monitor(
        service="custom",
        label=f"{label}-formatting",
        namespace=NOTIFIER_METRICS_NAMESPACE,
        dimensions={"FunctionName": function_name},
        policies=(resolve(NOTIFIER_PLAIN_TEXT, None),),
        topic_arn=topic_arn,
    )
    return function, queue, formatting
