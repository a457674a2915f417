"""Log groups with retention and the customer key, their metric filters and subscription filters."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from plan.log_groups import LogGroup
from plan.naming import slug


@dataclass(frozen=True)
class LogGroupsArgs:
    kms_key_arn: pulumi.Input[str]
    log_groups: tuple[LogGroup, ...]
    """Every group the stack manages, retention resolved, with its filters and subscription."""


class LogGroups(pulumi.ComponentResource):
    names: pulumi.Output[list[str]]
    by_name: dict[str, aws.cloudwatch.LogGroup]
    """Each group by its name, for the components that write to one (trail, notifier, flow logs)."""

    def __init__(self, name: str, args: LogGroupsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ops-baseline:monitoring:LogGroups", name, None, opts)
        self._name = name
        self._args = args
        self._child = pulumi.ResourceOptions(parent=self)

        self.by_name = {group.name: self._log_group(group) for group in args.log_groups}
        for group in args.log_groups:
            self._filters(group, self.by_name[group.name])

        self.names = pulumi.Output.all(*[group.name for group in self.by_name.values()])
        self.register_outputs({"names": self.names})

    def _log_group(self, group: LogGroup) -> aws.cloudwatch.LogGroup:
        # An adopted group belongs to a workload (Lambda creates /aws/lambda/<fn>); destroy must not delete its logs.
        opts = pulumi.ResourceOptions.merge(self._child, pulumi.ResourceOptions(retain_on_delete=group.adopted))
        return aws.cloudwatch.LogGroup(
            f"{self._name}-log-{slug(group.name)}",
            name=group.name,
            retention_in_days=group.retention_days,
            kms_key_id=self._args.kms_key_arn,
            opts=opts,
        )

    def _filters(self, group: LogGroup, log_group: aws.cloudwatch.LogGroup) -> None:
        for metric_filter in group.filters:
            aws.cloudwatch.LogMetricFilter(
                f"{self._name}-{metric_filter.label}-filter",
                name=metric_filter.name,
                log_group_name=log_group.name,
                pattern=metric_filter.pattern,
                metric_transformation={
                    "name": metric_filter.metric_name,
                    "namespace": metric_filter.namespace,
                    "value": metric_filter.value,
                    "default_value": metric_filter.default_value,
                },
                opts=self._child,
            )
        if group.subscription:
            aws.cloudwatch.LogSubscriptionFilter(
                f"{self._name}-{slug(group.name)}-subscription",
                name=group.subscription.name,
                log_group=log_group.name,
                filter_pattern=group.subscription.filter_pattern,
                destination_arn=group.subscription.destination_arn,
                role_arn=group.subscription.role_arn,
                opts=self._child,
            )
