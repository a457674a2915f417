"""A private S3 bucket hardened the same way everywhere: SSE-KMS with a bucket key (SSE-S3 for the
access-log store, the one encryption S3 delivers server access logs into), all four public-access
blocks, versioning, TLS-only access, a lifecycle, optional service grants (CloudTrail, AWS Config,
S3 log delivery) in its policy, and optional server access logging to another bucket.

Its name is known before deploy (`plan.naming.BucketName`), and so is its ARN: the policy is built
from the ARN the name implies, so the pack judges it in a first preview."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import pulumi
import pulumi_aws as aws

from plan.audit_buckets import AccessLogs, AuditBucket
from plan.naming import BucketName

from .documents import Account, tls_only_bucket_policy, to_json

Grants = Callable[[str], pulumi.Input[list[dict[str, Any]]]]
"""Policy statements for services that write to a bucket, given its ARN."""


@dataclass(frozen=True)
class SecureBucketArgs:
    name: BucketName
    account: pulumi.Output[Account]
    """Whose account id the name carries, and the partition of its ARN."""
    kms_key_arn: pulumi.Input[str] | None
    """None: SSE-S3 (AES256), for the access-log store only."""
    expiration_days: int | None
    """Current objects are deleted after this many days; None keeps them."""
    transition_days: int | None = None
    """Current objects move to S3 Glacier Instant Retrieval after this many days."""
    noncurrent_expiration_days: int = 30
    """Overwritten or deleted versions are kept this long (recovery window)."""
    abort_multipart_days: int = 7
    lifecycle_prefix: str = ""
    """The lifecycle applies only to keys under this prefix ("" for the whole bucket): objects the
    stack deploys elsewhere in the bucket (code a canary or function references) never expire."""
    force_destroy: bool = False
    """Let `pulumi destroy` empty the bucket (only for disposable data such as canary runs)."""
    protect: bool = False
    """Audit data: `pulumi destroy` refuses, and a removed bucket is left in the account."""
    grants: Grants | None = None
    """Policy statements for services that write here, given the bucket ARN."""
    access_log_bucket: pulumi.Input[str] | None = None
    """Name of the bucket that receives this bucket's server access logs (None: not logged)."""

    @classmethod
    def audit_store(
        cls,
        bucket: AuditBucket,
        account: pulumi.Output[Account],
        kms_key_arn: pulumi.Input[str],
        grants: Grants,
        access_log_bucket: pulumi.Input[str] | None,
    ) -> SecureBucketArgs:
        """A store of audit data (trail, Config) with the stack's name and lifecycle for it, its
        access logged to the access-log store."""
        return cls(
            name=bucket.name,
            account=account,
            kms_key_arn=kms_key_arn,
            expiration_days=bucket.expiration_days,
            transition_days=bucket.transition_days,
            noncurrent_expiration_days=bucket.noncurrent_expiration_days,
            protect=bucket.protect,
            grants=grants,
            access_log_bucket=access_log_bucket,
        )

    @classmethod
    def access_log_store(cls, plan: AccessLogs, account: pulumi.Output[Account]) -> SecureBucketArgs:
        """The target of the audit buckets' server access logs: SSE-S3, because S3 log delivery
        cannot write into a bucket whose default encryption is SSE-KMS; not logged itself (that
        would log its own deliveries)."""
        return cls(
            name=plan.name,
            account=account,
            kms_key_arn=None,
            expiration_days=plan.expiration_days,
            grants=lambda bucket_arn: account.apply(lambda a: [log_delivery_grant(bucket_arn, a, plan.sources)]),
        )


def log_delivery_grant(bucket_arn: str, account: Account, sources: tuple[BucketName, ...]) -> dict[str, Any]:
    """S3 server access log delivery (the logging.s3.amazonaws.com principal) may write log objects,
    only for the given source buckets of this account (confused deputy), named by their ARNs."""
    source_arns = [account.bucket_arn(source.of(account.account_id)) for source in sources]
    return {
        "Sid": "S3ServerAccessLogDelivery",
        "Effect": "Allow",
        "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": f"{bucket_arn}/*",
        "Condition": {
            "StringEquals": {"aws:SourceAccount": account.account_id},
            "ArnLike": {"aws:SourceArn": source_arns},
        },
    }


def lifecycle_rule(args: SecureBucketArgs) -> aws.s3.BucketLifecycleConfigurationRuleArgsDict:
    rule: aws.s3.BucketLifecycleConfigurationRuleArgsDict = {
        "id": "lifecycle",
        "status": "Enabled",
        "filter": {"prefix": args.lifecycle_prefix} if args.lifecycle_prefix else {},
        "noncurrent_version_expiration": {"noncurrent_days": args.noncurrent_expiration_days},
        "abort_incomplete_multipart_upload": {"days_after_initiation": args.abort_multipart_days},
    }
    if args.transition_days:
        rule["transitions"] = [{"days": args.transition_days, "storage_class": "GLACIER_IR"}]
    if args.expiration_days:
        rule["expiration"] = {"days": args.expiration_days}
    return rule


def bucket_policy(bucket_arn: str, grants: Grants | None) -> pulumi.Input[str]:
    """The TLS-only policy with the services' grants, once those are known."""
    statements = pulumi.Output.from_input(grants(bucket_arn) if grants else [])
    return statements.apply(lambda listed: to_json(tls_only_bucket_policy(bucket_arn, listed)))


def encryption_rule(
    kms_key_arn: pulumi.Input[str] | None,
) -> aws.s3.BucketServerSideEncryptionConfigurationRuleArgsDict:
    if kms_key_arn is None:
        return {"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}
    return {
        "apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms", "kms_master_key_id": kms_key_arn},
        "bucket_key_enabled": True,
    }


class SecureBucket(pulumi.ComponentResource):
    bucket_name: pulumi.Output[str]
    bucket_arn: pulumi.Output[str]

    def __init__(self, name: str, args: SecureBucketArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ops-baseline:storage:SecureBucket", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        self.bucket = aws.s3.Bucket(
            f"{name}-bucket",
            bucket=args.account.apply(lambda a: args.name.of(a.account_id)),
            force_destroy=args.force_destroy,
            opts=pulumi.ResourceOptions.merge(
                child, pulumi.ResourceOptions(protect=args.protect, retain_on_delete=args.protect)
            ),
        )
        self.public_access_block = aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access-block",
            bucket=self.bucket.bucket,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=child,
        )
        self.encryption = aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=self.bucket.bucket,
            rules=[encryption_rule(args.kms_key_arn)],
            opts=child,
        )
        self.versioning = aws.s3.BucketVersioning(
            f"{name}-versioning", bucket=self.bucket.bucket, versioning_configuration={"status": "Enabled"}, opts=child
        )
        self.lifecycle = aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=self.bucket.bucket,
            rules=[lifecycle_rule(args)],
            # Lifecycle rules on an unversioned bucket would be rewritten once versioning lands.
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[self.versioning])),
        )
        # The ARN as the name implies it: known at preview, unlike the provider's `arn` output.
        self.bucket_arn = pulumi.Output.all(args.account, self.bucket.bucket).apply(lambda v: v[0].bucket_arn(v[1]))
        self.policy = aws.s3.BucketPolicy(
            f"{name}-policy",
            bucket=self.bucket.bucket,
            policy=self.bucket_arn.apply(partial(bucket_policy, grants=args.grants)),
            # S3 rejects a policy while the public-access block is being applied.
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[self.public_access_block])),
        )

        if args.access_log_bucket is not None:
            self.access_logging = aws.s3.BucketLogging(
                f"{name}-access-logging",
                bucket=self.bucket.bucket,
                target_bucket=args.access_log_bucket,
                # One prefix per source bucket, partitioned by day as Athena reads them.
                target_prefix=self.bucket.bucket.apply(lambda b: f"{b}/"),
                target_object_key_format={"partitioned_prefix": {"partition_date_source": "EventTime"}},
                opts=child,
            )

        self.bucket_name = self.bucket.bucket
        self.register_outputs({"bucket_name": self.bucket_name, "bucket_arn": self.bucket_arn})
