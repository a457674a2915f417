"""X-Ray: traces encrypted with the customer key (when the stack owns the region's encryption
configuration), sampling rules, and groups with Insights on."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from plan.tracing import Tracing as TracingPlan


@dataclass(frozen=True)
class TracingArgs:
    kms_key_arn: pulumi.Input[str]
    plan: TracingPlan
    """Sampling rules, and the groups: the configured ones and one per monitored function."""


class Tracing(pulumi.ComponentResource):
    group_names: pulumi.Output[list[str]]

    def __init__(self, name: str, args: TracingArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ops-baseline:tracing:Tracing", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        if args.plan.owns_encryption:
            # One per account and region; deleting it leaves X-Ray on this key (the provider only forgets it).
            self.encryption = aws.xray.EncryptionConfig(
                f"{name}-encryption", type="KMS", key_id=args.kms_key_arn, opts=child
            )
        self.sampling_rules = [
            aws.xray.SamplingRule(
                f"{name}-sampling-{rule.name}",
                rule_name=rule.name,
                priority=rule.priority,
                fixed_rate=rule.fixed_rate,
                reservoir_size=rule.reservoir_size,
                service_name=rule.service_name,
                service_type=rule.service_type,
                host=rule.host,
                http_method=rule.http_method,
                url_path=rule.url_path,
                resource_arn=rule.resource_arn,
                version=1,
                opts=child,
            )
            for rule in args.plan.sampling_rules
        ]
        self.groups = [
            aws.xray.Group(
                f"{name}-group-{group.name}",
                group_name=group.name,
                filter_expression=group.filter_expression,
                insights_configuration={"insights_enabled": True, "notifications_enabled": True},
                opts=child,
            )
            for group in args.plan.groups
        ]

        self.group_names = pulumi.Output.all(*[g.group_name for g in self.groups])
        self.register_outputs({"group_names": self.group_names})
