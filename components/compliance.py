"""AWS Config: recorder, delivery channel to a hardened bucket, recorder status, and the managed rules
generated from the guardrail catalog, so what the policy pack checks before deploy is checked at runtime.

The delivery channel notifies no SNS topic: compliance changes reach people through the EventBridge
rule `config-non-compliant` (plan/events.py), once each, and nothing else Config streams does."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from plan.compliance import Compliance as CompliancePlan
from plan.compliance import Recorder as RecorderPlan
from plan.conformance import PackRule, template

from .documents import Account, key_use
from .roles import service_role
from .secure_bucket import SecureBucket, SecureBucketArgs


@dataclass(frozen=True)
class ComplianceArgs:
    account: pulumi.Output[Account]
    kms_key_arn: pulumi.Input[str]
    kms_key_alias: pulumi.Input[str]
    """The key's alias: the Config role's policy names the key by it (known at preview, unlike the key's id)."""
    plan: CompliancePlan
    access_log_bucket: pulumi.Input[str] | None = None
    """Where the delivery bucket's server access logs go."""


def config_bucket_grants(bucket_arn: str, account: Account) -> list[dict[str, Any]]:
    """AWS Config of this account may check the bucket and deliver snapshots and history files."""
    source = {"StringEquals": {"aws:SourceAccount": account.account_id}}
    return [
        {
            "Sid": "ConfigChecksBucket",
            "Effect": "Allow",
            "Principal": {"Service": "config.amazonaws.com"},
            "Action": ["s3:GetBucketAcl", "s3:ListBucket"],
            "Resource": bucket_arn,
            "Condition": source,
        },
        {
            "Sid": "ConfigDeliversFiles",
            "Effect": "Allow",
            "Principal": {"Service": "config.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": f"{bucket_arn}/AWSLogs/{account.account_id}/Config/*",
            "Condition": {"StringEquals": {**source["StringEquals"], "s3:x-amz-acl": "bucket-owner-full-control"}},
        },
    ]


def config_delivery_policy(bucket_arn: str, key_alias: str, account: Account) -> dict[str, Any]:
    """On top of the AWS managed AWS_ConfigRole: deliver to the bucket and encrypt with the key."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DeliverToBucket",
                "Effect": "Allow",
                "Action": "s3:PutObject",
                "Resource": f"{bucket_arn}/AWSLogs/{account.account_id}/Config/*",
                "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}},
            },
            {"Sid": "CheckBucket", "Effect": "Allow", "Action": "s3:GetBucketAcl", "Resource": bucket_arn},
            key_use("EncryptDeliveries", ["kms:GenerateDataKey", "kms:Decrypt"], account, key_alias),
        ],
    }


class Compliance(pulumi.ComponentResource):
    recorder_name: pulumi.Output[str] | None
    """None when the stack reuses the region's recorder."""
    rule_names: pulumi.Output[list[str]]
    """The managed rules' names (inside the conformance pack when there is one)."""
    pack_name: pulumi.Output[str]

    def __init__(self, name: str, args: ComplianceArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ops-baseline:compliance:Compliance", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        plan = args.plan

        self.recorder_name = None
        rule_opts = child
        if plan.recorder:
            self.record(name, args, plan.recorder, child)
            self.recorder_name = self.recorder.name
            # Rules evaluate only once the recorder is on; a reused one must exist before the rules are created.
            rule_opts = pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[self.status]))
        self.rules: list[aws.cfg.Rule] = []
        if plan.conformance_pack:
            body = template(
                PackRule(rule.name, rule.identifier, rule.description, json.loads(rule.input_parameters or "{}"))
                for rule in plan.rules
            )
            pack = aws.cfg.OrganizationConformancePack if plan.organization else aws.cfg.ConformancePack
            self.pack = pack(f"{name}-pack", name=plan.pack_name, template_body=body, opts=rule_opts)
        else:
            self.rules = [
                aws.cfg.Rule(
                    f"{name}-{rule.guardrail}",
                    name=rule.name,
                    description=rule.description,
                    source={"owner": "AWS", "source_identifier": rule.identifier},
                    input_parameters=rule.input_parameters or None,
                    opts=rule_opts,
                )
                for rule in plan.rules
            ]
        if plan.aggregator != "none":
            organization: aws.cfg.ConfigurationAggregatorOrganizationAggregationSourceArgsDict | None = None
            accounts: aws.cfg.ConfigurationAggregatorAccountAggregationSourceArgsDict | None = None
            if plan.aggregator == "organization":
                self.aggregator_role, _ = service_role(
                    f"{name}-aggregator",
                    role_name=plan.aggregator_role_name,
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
                organization = {"all_regions": True, "role_arn": self.aggregator_role.arn}
            else:
                accounts = {"all_regions": True, "account_ids": [args.account.apply(lambda a: a.account_id)]}
            self.aggregator = aws.cfg.ConfigurationAggregator(
                f"{name}-aggregator",
                name=plan.aggregator_name,
                organization_aggregation_source=organization,
                account_aggregation_source=accounts,
                opts=child,
            )

        self.rule_names = (
            pulumi.Output.all(*[r.name for r in self.rules])
            if self.rules
            else pulumi.Output.from_input([rule.name for rule in plan.rules])
        )
        self.pack_name = self.pack.name if plan.conformance_pack else pulumi.Output.from_input("")
        self.register_outputs(
            {"recorder_name": self.recorder_name, "rule_names": self.rule_names, "pack_name": self.pack_name}
        )

    def record(self, name: str, args: ComplianceArgs, recorder: RecorderPlan, child: pulumi.ResourceOptions) -> None:
        """The recorder, its delivery channel to a hardened bucket, its role, and its status (started)."""
        self.bucket = SecureBucket(
            f"{name}-store",
            SecureBucketArgs.audit_store(
                recorder.bucket,
                args.account,
                args.kms_key_arn,
                lambda bucket_arn: args.account.apply(lambda account: config_bucket_grants(bucket_arn, account)),
                args.access_log_bucket,
            ),
            opts=child,
        )
        self.role, self.role_policy = service_role(
            name,
            role_name=recorder.role_name,
            service="config",
            account=args.account,
            policy=pulumi.Output.all(self.bucket.bucket_arn, args.kms_key_alias, args.account).apply(
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
        home = args.account.apply(lambda a: (recorder.home_region or a.region) == a.region)
        self.recorder = aws.cfg.Recorder(
            f"{name}-recorder",
            name=recorder.name,
            role_arn=self.role.arn,
            recording_group={"all_supported": True, "include_global_resource_types": home},
            recording_mode={"recording_frequency": "DAILY" if recorder.daily_recording else "CONTINUOUS"},
            opts=pulumi.ResourceOptions.merge(
                child, pulumi.ResourceOptions(depends_on=[self.role_policy, self.managed_policy])
            ),
        )
        self.channel = aws.cfg.DeliveryChannel(
            f"{name}-channel",
            name=recorder.channel_name,
            s3_bucket_name=self.bucket.bucket_name,
            s3_kms_key_arn=args.kms_key_arn,
            # No SNS topic: the channel would stream every configuration item, rule evaluation and
            # snapshot delivery. People hear of compliance changes through the EventBridge rule.
            snapshot_delivery_properties={"delivery_frequency": recorder.snapshot_frequency},
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
        if recorder.account_public_access_block:
            # One per account (S3.1): buckets of the account stay private whatever their own block says.
            self.account_public_access_block = aws.s3.AccountPublicAccessBlock(
                f"{name}-account-public-access-block",
                block_public_acls=True,
                block_public_policy=True,
                ignore_public_acls=True,
                restrict_public_buckets=True,
                opts=child,
            )
