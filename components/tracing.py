"""X-Ray: traces encrypted with the customer key, sampling rules, and groups with Insights on."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from settings.audit import XRayGroupSettings, XRaySettings

GROUP_NAME_LIMIT = 32


def function_group(function_name: str) -> XRayGroupSettings:
    """A group per monitored function; long names are cut and made unique with a digest."""
    name = function_name
    if len(name) > GROUP_NAME_LIMIT:
        name = f"{function_name[:23]}-{hashlib.sha256(function_name.encode()).hexdigest()[:8]}"
    return XRayGroupSettings(name=name, filter_expression=f'service("{function_name}")')


@dataclass(frozen=True)
class TracingArgs:
    kms_key_arn: pulumi.Input[str]
    settings: XRaySettings
    function_names: tuple[str, ...]
    """Monitored Lambda functions; each gets a group unless one of the same name is configured."""


class Tracing(pulumi.ComponentResource):
    group_names: pulumi.Output[list[str]]

    def __init__(self, name: str, args: TracingArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ops-baseline:tracing:Tracing", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

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
            for rule in args.settings.sampling_rules
        ]
        configured = {g.name for g in args.settings.groups}
        groups = [
            *args.settings.groups,
            *(g for g in map(function_group, args.function_names) if g.name not in configured),
        ]
        self.groups = [
            aws.xray.Group(
                f"{name}-group-{group.name}",
                group_name=group.name,
                filter_expression=group.filter_expression,
                insights_configuration={"insights_enabled": True, "notifications_enabled": True},
                opts=child,
            )
            for group in dict((g.name, g) for g in groups).values()
        ]

        self.group_names = pulumi.Output.all(*[g.group_name for g in self.groups])
        self.register_outputs({"group_names": self.group_names})
