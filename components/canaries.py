"""Synthetics heartbeat canaries: one artifact bucket and role, one canary per configured check."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pulumi
import pulumi_aws as aws

from settings.monitoring import CanarySettings

from .policy_documents import Account, canary_role_policy
from .roles import service_role
from .secure_bucket import SecureBucket, SecureBucketArgs

HEARTBEAT_SCRIPT = Path(__file__).resolve().parent.parent / "functions" / "heartbeat" / "heartbeat.py"
RUN_TIMEOUT_SECONDS = 60
ARTIFACT_DAYS = 30
"""Run screenshots and logs are for debugging recent failures; a month is plenty."""


@dataclass(frozen=True)
class CanariesArgs:
    account: pulumi.Output[Account]
    prefix: str
    kms_key_arn: pulumi.Input[str]
    canaries: tuple[CanarySettings, ...]


class Canaries(pulumi.ComponentResource):
    canary_names: dict[str, pulumi.Output[str]]
    """Physical canary name per settings label."""

    def __init__(self, name: str, args: CanariesArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ops-baseline:monitoring:Canaries", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        self.artifacts = SecureBucket(
            f"{name}-artifacts",
            SecureBucketArgs(
                bucket_prefix=f"{args.prefix}-canary-",
                kms_key_arn=args.kms_key_arn,
                expiration_days=ARTIFACT_DAYS,
                noncurrent_expiration_days=1,
                force_destroy=True,
            ),
            opts=child,
        )
        self.role, self.role_policy = service_role(
            name,
            role_name=f"{args.prefix}-canaries",
            service="lambda",
            account=args.account,
            policy=pulumi.Output.all(args.account, self.artifacts.bucket_arn, args.kms_key_arn).apply(
                lambda v: canary_role_policy(v[0], v[1], v[2])
            ),
            opts=child,
        )
        self.script = aws.s3.BucketObjectv2(
            f"{name}-script",
            bucket=self.artifacts.bucket_name,
            key="scripts/heartbeat.zip",
            # The Python runtime loads `python/<module>.py`; the handler is `<module>.handler`.
            source=pulumi.AssetArchive({"python/heartbeat.py": pulumi.FileAsset(str(HEARTBEAT_SCRIPT))}),
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[self.artifacts])),
        )
        self.canaries = {
            canary.name: aws.synthetics.Canary(
                f"{name}-{canary.name}",
                name=f"{args.prefix}-{canary.name}",
                runtime_version=canary.runtime_version,
                handler="heartbeat.handler",
                s3_bucket=self.artifacts.bucket_name,
                s3_key=self.script.key,
                s3_version=self.script.version_id,
                execution_role_arn=self.role.arn,
                artifact_s3_location=self.artifacts.bucket_name.apply(
                    lambda b, label=canary.name: f"s3://{b}/runs/{label}/"
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
            for canary in args.canaries
        }

        self.canary_names = {label: canary.name for label, canary in self.canaries.items()}
        self.register_outputs({"canary_names": self.canary_names})
