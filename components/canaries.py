"""Synthetics heartbeat canaries: one artifact bucket and role, one canary per configured check."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
import pulumi_aws as aws

from plan.monitors import Unbound
from plan.stack import Canaries as CanariesPlan

from .documents import Account, key_use
from .roles import service_role
from .secure_bucket import SecureBucket, SecureBucketArgs

HEARTBEAT_SCRIPT = Path(__file__).resolve().parent.parent / "functions" / "heartbeat" / "heartbeat.py"
RUN_TIMEOUT_SECONDS = 60
ARTIFACT_DAYS = 30
"""Run screenshots and logs are for debugging recent failures; a month is plenty."""
RUNS_PREFIX = "runs/"
"""Where each canary writes its runs (its artifact location); only these keys expire."""
SCRIPT_KEY = "code/heartbeat.zip"
"""Outside the expiring prefix: each canary pins this object's version, which must outlive it."""


@dataclass(frozen=True)
class CanariesArgs:
    account: pulumi.Output[Account]
    kms_key_arn: pulumi.Input[str]
    kms_key_alias: pulumi.Input[str]
    """The key's alias: the role's policy names the key by it (known at preview, unlike the key's id)."""
    plan: CanariesPlan


def canary_role_policy(account: Account, bucket_arn: str, key_alias: str) -> dict[str, Any]:
    """What a Synthetics canary needs: write its artifacts and logs, publish its own metrics."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "WriteRunArtifacts",
                "Effect": "Allow",
                "Action": ["s3:PutObject", "s3:GetObject"],
                "Resource": f"{bucket_arn}/*",
            },
            {
                "Sid": "LocateArtifactBucket",
                "Effect": "Allow",
                "Action": "s3:GetBucketLocation",
                "Resource": bucket_arn,
            },
            {"Sid": "ListBucketsForConsole", "Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"},
            {
                "Sid": "WriteCanaryLogs",
                "Effect": "Allow",
                "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": account.arn("logs", "log-group:/aws/lambda/cwsyn-*"),
            },
            {
                "Sid": "PublishSyntheticsMetrics",
                "Effect": "Allow",
                "Action": "cloudwatch:PutMetricData",
                "Resource": "*",
                "Condition": {"StringEquals": {"cloudwatch:namespace": "CloudWatchSynthetics"}},
            },
            key_use("EncryptArtifacts", ["kms:GenerateDataKey", "kms:Decrypt"], account, key_alias),
        ],
    }


class Canaries(pulumi.ComponentResource):
    canary_names: dict[str, pulumi.Output[str]]
    """Physical canary name by label."""
    bindings: dict[Unbound, pulumi.Output[str]]
    """Each canary's name for its monitor."""

    def __init__(self, name: str, args: CanariesArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ops-baseline:monitoring:Canaries", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        self.artifacts = SecureBucket(
            f"{name}-artifacts",
            SecureBucketArgs(
                name=args.plan.bucket,
                account=args.account,
                kms_key_arn=args.kms_key_arn,
                expiration_days=ARTIFACT_DAYS,
                noncurrent_expiration_days=1,
                lifecycle_prefix=RUNS_PREFIX,
                force_destroy=True,
            ),
            opts=child,
        )
        self.role, self.role_policy = service_role(
            name,
            role_name=args.plan.role_name,
            service="lambda",
            account=args.account,
            policy=pulumi.Output.all(args.account, self.artifacts.bucket_arn, args.kms_key_alias).apply(
                lambda v: canary_role_policy(v[0], v[1], v[2])
            ),
            opts=child,
        )
        self.script = aws.s3.BucketObjectv2(
            f"{name}-script",
            bucket=self.artifacts.bucket_name,
            key=SCRIPT_KEY,
            # The Python runtime loads `python/<module>.py`; the handler is `<module>.handler`.
            source=pulumi.AssetArchive({"python/heartbeat.py": pulumi.FileAsset(str(HEARTBEAT_SCRIPT))}),
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[self.artifacts])),
        )
        self.canaries = {
            canary.label: aws.synthetics.Canary(
                f"{name}-{canary.label}",
                name=canary.name,
                runtime_version=canary.runtime_version,
                handler="heartbeat.handler",
                s3_bucket=self.artifacts.bucket_name,
                s3_key=self.script.key,
                s3_version=self.script.version_id,
                execution_role_arn=self.role.arn,
                artifact_s3_location=pulumi.Output.concat(
                    "s3://", self.artifacts.bucket_name, f"/{RUNS_PREFIX}{canary.label}/"
                ),
                artifact_config={"s3_encryption": {"encryption_mode": "SSE_KMS", "kms_key_arn": args.kms_key_arn}},
                schedule={"expression": canary.schedule},
                run_config={
                    "timeout_in_seconds": RUN_TIMEOUT_SECONDS,
                    "environment_variables": {"HEARTBEAT_URLS": json.dumps(list(canary.urls))},
                },
                start_canary=True,
                delete_lambda=True,
                opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[self.role_policy])),
            )
            for canary in args.plan.canaries
        }

        self.canary_names = {label: canary.name for label, canary in self.canaries.items()}
        self.bindings = {c.name_value: self.canary_names[c.label] for c in args.plan.canaries}
        self.register_outputs({"canary_names": self.canary_names})
