"""AWS Config: recorder, delivery channel to a hardened bucket, recorder status, and the managed rules
generated from the guardrail catalog, so what the policy pack checks before deploy is checked at runtime."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from policies.guardrails.catalog import BY_NAME
from policies.guardrails.conformance import PackRule, template
from settings.audit import AwsConfigSettings

from .audit_trail import secure_bucket_args
from .policy_documents import Account, config_bucket_grants, config_delivery_policy
from .roles import service_role
from .secure_bucket import SecureBucket

CONFIG_RULE_NAME_LIMIT = 128


def rule_name(prefix: str, guardrail: str) -> str:
    return f"{prefix}-{guardrail}"[:CONFIG_RULE_NAME_LIMIT]


def managed_rules(rules: tuple[str, ...], overrides: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, str, str]]:
    """(guardrail name, Config rule identifier, input parameters JSON) for each selected guardrail.

    Parameters are the guardrail's defaults with the stack's own values on top (e.g. the minimum log
    retention is the environment's retention), so the runtime check matches what this stack deploys.
    """
    generated = []
    for name in rules:
        guardrail = BY_NAME[name]
        rule = guardrail.references.config_rule
        values = {p.name: p.default for p in guardrail.parameters} | dict(overrides.get(name, {}))
        parameters = rule.input_parameters(values)
        generated.append((name, rule.identifier, json.dumps(parameters, sort_keys=True) if parameters else ""))
    return generated


@dataclass(frozen=True)
class ComplianceArgs:
    account: pulumi.Output[Account]
    prefix: str
    kms_key_arn: pulumi.Input[str]
    topic_arn: pulumi.Input[str]
    """Config's own notifications (delivery, compliance) go to the alerting topic."""
    settings: AwsConfigSettings
    parameter_overrides: Mapping[str, Mapping[str, Any]]
    """Guardrail name → parameter values taken from the stack (see `managed_rules`)."""


class Compliance(pulumi.ComponentResource):
    recorder_name: pulumi.Output[str]
    rule_names: pulumi.Output[list[str]]
    """The managed rules' names (inside the conformance pack when there is one)."""
    pack_name: pulumi.Output[str]

    def __init__(self, name: str, args: ComplianceArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ops-baseline:compliance:Compliance", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        settings = args.settings

        self.bucket = SecureBucket(
            f"{name}-store",
            secure_bucket_args(
                f"{args.prefix}-config-",
                args.kms_key_arn,
                settings.bucket,
                lambda bucket_arn: args.account.apply(lambda account: config_bucket_grants(bucket_arn, account)),
            ),
            opts=child,
        )
        self.role, self.role_policy = service_role(
            name,
            role_name=f"{args.prefix}-config-role",
            service="config",
            account=args.account,
            policy=pulumi.Output.all(self.bucket.bucket_arn, args.kms_key_arn, args.topic_arn, args.account).apply(
                lambda v: config_delivery_policy(*v)
            ),
            opts=child,
        )
        self.managed_policy = aws.iam.RolePolicyAttachment(
            f"{name}-role-managed-policy",
            role=self.role.name,
            policy_arn=args.account.apply(lambda a: f"arn:{a.partition}:iam::aws:policy/service-role/AWS_ConfigRole"),
            opts=child,
        )
        home = args.account.apply(lambda a: (settings.home_region or a.region) == a.region)
        self.recorder = aws.cfg.Recorder(
            f"{name}-recorder",
            name=f"{args.prefix}-recorder",
            role_arn=self.role.arn,
            recording_group={"all_supported": True, "include_global_resource_types": home},
            recording_mode={"recording_frequency": "DAILY" if settings.daily_recording else "CONTINUOUS"},
            opts=pulumi.ResourceOptions.merge(
                child, pulumi.ResourceOptions(depends_on=[self.role_policy, self.managed_policy])
            ),
        )
        self.channel = aws.cfg.DeliveryChannel(
            f"{name}-channel",
            name=f"{args.prefix}-delivery",
            s3_bucket_name=self.bucket.bucket_name,
            s3_kms_key_arn=args.kms_key_arn,
            sns_topic_arn=args.topic_arn,
            snapshot_delivery_properties={"delivery_frequency": settings.snapshot_frequency},
            # Config checks bucket access when the channel is created; the channel needs a recorder.
            opts=pulumi.ResourceOptions.merge(
                child, pulumi.ResourceOptions(depends_on=[self.recorder, self.bucket.policy])
            ),
        )
        self.status = aws.cfg.RecorderStatus(
            f"{name}-recorder-status",
            name=self.recorder.name,
            is_enabled=True,
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[self.channel])),
        )
        # Rules evaluate only once the recorder is on.
        after_status = pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[self.status]))
        rules = managed_rules(settings.rules, args.parameter_overrides)
        self.rules: list[aws.cfg.Rule] = []
        if settings.conformance_pack:
            body = template(
                PackRule(
                    rule_name(args.prefix, guardrail),
                    identifier,
                    BY_NAME[guardrail].description,
                    json.loads(parameters or "{}"),
                )
                for guardrail, identifier, parameters in rules
            )
            pack = aws.cfg.OrganizationConformancePack if settings.organization else aws.cfg.ConformancePack
            self.pack = pack(f"{name}-pack", name=f"{args.prefix}-guardrails", template_body=body, opts=after_status)
        else:
            self.rules = [
                aws.cfg.Rule(
                    f"{name}-{guardrail}",
                    name=rule_name(args.prefix, guardrail),
                    description=BY_NAME[guardrail].description,
                    source={"owner": "AWS", "source_identifier": identifier},
                    input_parameters=parameters or None,
                    opts=after_status,
                )
                for guardrail, identifier, parameters in rules
            ]
        if settings.aggregator != "none":
            source: dict[str, Any] = {"all_regions": True}
            if settings.aggregator == "organization":
                self.aggregator_role, _ = service_role(
                    f"{name}-aggregator",
                    role_name=f"{args.prefix}-config-aggregator-role",
                    service="config",
                    account=args.account,
                    policy={
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Sid": "ReadOrganization",
                                "Effect": "Allow",
                                "Action": [
                                    "organizations:ListAccounts",
                                    "organizations:DescribeOrganization",
                                    "organizations:ListAWSServiceAccessForOrganization",
                                    "organizations:ListDelegatedAdministrators",
                                ],
                                "Resource": "*",
                            }
                        ],
                    },
                    opts=child,
                )
                aggregation = {"organization_aggregation_source": {**source, "role_arn": self.aggregator_role.arn}}
            else:
                aggregation = {
                    "account_aggregation_source": {
                        **source,
                        "account_ids": [args.account.apply(lambda a: a.account_id)],
                    }
                }
            self.aggregator = aws.cfg.ConfigurationAggregator(
                f"{name}-aggregator", name=f"{args.prefix}-aggregator", **aggregation, opts=child
            )

        self.recorder_name = self.recorder.name
        self.rule_names = (
            pulumi.Output.all(*[r.name for r in self.rules])
            if self.rules
            else pulumi.Output.from_input([rule_name(args.prefix, guardrail) for guardrail, _, _ in rules])
        )
        self.pack_name = self.pack.name if settings.conformance_pack else pulumi.Output.from_input("")
        self.register_outputs(
            {"recorder_name": self.recorder_name, "rule_names": self.rule_names, "pack_name": self.pack_name}
        )
