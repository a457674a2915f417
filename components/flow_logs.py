"""VPC flow logs (ALL traffic) into CloudWatch log groups, written through their own least-privilege role."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from plan.flow_logs import FlowLogs as FlowLogsPlan

from .documents import Account, log_delivery_policy
from .roles import service_role


@dataclass(frozen=True)
class FlowLogsArgs:
    account: pulumi.Output[Account]
    plan: FlowLogsPlan
    log_groups: Mapping[str, aws.cloudwatch.LogGroup]
    """The stack's log groups by name; each VPC's is among them (retention and key come from LogGroups)."""


class FlowLogs(pulumi.ComponentResource):
    def __init__(self, name: str, args: FlowLogsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ops-baseline:network:FlowLogs", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        groups = {vpc: args.log_groups[group] for vpc, group in args.plan.log_groups.items()}

        self.role, self.role_policy = service_role(
            name,
            role_name=args.plan.role_name,
            service="vpc-flow-logs",
            account=args.account,
            # The log groups' ARNs as their names imply them: known at preview, so the pack judges the document there.
            policy=args.account.apply(
                lambda a: log_delivery_policy(
                    [a.log_group_arn(group) for group in args.plan.log_groups.values()], describe=True
                )
            ),
            opts=child,
        )
        self.flow_logs = [
            aws.ec2.FlowLog(
                f"{name}-{vpc_id}",
                vpc_id=vpc_id,
                traffic_type="ALL",
                log_destination_type="cloud-watch-logs",
                log_destination=group.arn,
                iam_role_arn=self.role.arn,
                max_aggregation_interval=60,
                opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[self.role_policy])),
            )
            for vpc_id, group in groups.items()
        ]
        self.register_outputs({})
