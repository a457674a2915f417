"""Log groups with retention and the customer key, their metric filters and subscription filters."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from settings.alarms import LOG_MATCHES
from settings.monitoring import LogGroupSettings

from .monitors import Monitor


@dataclass(frozen=True)
class LogGroupsArgs:
    prefix: str
    kms_key_arn: pulumi.Input[str]
    namespace: str
    """Namespace of the metrics the metric filters publish."""
    retention_days: int
    """Retention of groups that do not set their own."""
    log_groups: tuple[LogGroupSettings, ...]


def slug(name: str) -> str:
    """`/aws/lambda/orders` → `aws-lambda-orders`: a name as a logical-name part."""
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()


class LogGroups(pulumi.ComponentResource):
    names: pulumi.Output[list[str]]
    by_name: dict[str, aws.cloudwatch.LogGroup]
    monitors: tuple[Monitor, ...]
    """One monitor per metric filter, for the facade to alarm on and chart."""

    def __init__(self, name: str, args: LogGroupsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ops-baseline:monitoring:LogGroups", name, None, opts)
        self._name = name
        self._args = args
        self._child = pulumi.ResourceOptions(parent=self)

        self.by_name = {group.name: self._log_group(group) for group in args.log_groups}
        self.monitors = tuple(m for group in args.log_groups for m in self._filters(group, self.by_name[group.name]))

        self.names = pulumi.Output.all(*[group.name for group in self.by_name.values()])
        self.register_outputs({"names": self.names})

    def _log_group(self, group: LogGroupSettings) -> aws.cloudwatch.LogGroup:
        retention = group.retention_days if group.retention_days is not None else self._args.retention_days
        # An adopted group belongs to a workload (Lambda creates /aws/lambda/<fn>); destroy must not delete its logs.
        opts = pulumi.ResourceOptions.merge(self._child, pulumi.ResourceOptions(retain_on_delete=group.adopted))
        return aws.cloudwatch.LogGroup(
            f"{self._name}-log-{slug(group.name)}",
            name=group.name,
            retention_in_days=retention,
            kms_key_id=self._args.kms_key_arn,
            opts=opts,
        )

    def _filters(self, group: LogGroupSettings, log_group: aws.cloudwatch.LogGroup) -> list[Monitor]:
        args = self._args
        monitors = []
        for metric_filter in group.metric_filters:
            aws.cloudwatch.LogMetricFilter(
                f"{self._name}-{metric_filter.name}-filter",
                name=f"{args.prefix}-{metric_filter.name}",
                log_group_name=log_group.name,
                pattern=metric_filter.pattern,
                metric_transformation={
                    "name": metric_filter.metric_name,
                    "namespace": args.namespace,
                    "value": metric_filter.value,
                    "default_value": None
                    if metric_filter.default_value is None
                    else f"{metric_filter.default_value:g}",
                },
                opts=self._child,
            )
            policy = metric_filter.policy()
            monitors.append(
                Monitor(
                    service="log-filter",
                    label=metric_filter.name,
                    namespace=args.namespace,
                    dimensions={},
                    policies=(policy,) if policy else (),
                    widget_metrics=((f"{group.name} matches", ((metric_filter.metric_name, LOG_MATCHES.statistic),)),),
                )
            )
        if group.subscription:
            aws.cloudwatch.LogSubscriptionFilter(
                f"{self._name}-{slug(group.name)}-subscription",
                name=f"{args.prefix}-{slug(group.name)}",
                log_group=log_group.name,
                filter_pattern=group.subscription.filter_pattern,
                destination_arn=group.subscription.destination_arn,
                role_arn=group.subscription.role_arn,
                opts=self._child,
            )
        return monitors
