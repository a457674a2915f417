"""A private S3 bucket hardened the same way everywhere: SSE-KMS with a bucket key, all four
public-access blocks, versioning, TLS-only access and a lifecycle that expires old data."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .policy_documents import tls_only_bucket_policy, to_json


@dataclass(frozen=True)
class SecureBucketArgs:
    bucket_prefix: str
    """Physical names get a random suffix (bucket names are global)."""
    kms_key_arn: pulumi.Input[str]
    expiration_days: int
    """Current objects are deleted after this many days."""
    noncurrent_expiration_days: int = 30
    """Overwritten or deleted versions are kept this long (recovery window)."""
    abort_multipart_days: int = 7
    force_destroy: bool = False
    """Let `pulumi destroy` empty the bucket (only for disposable data such as canary runs)."""


class SecureBucket(pulumi.ComponentResource):
    bucket_name: pulumi.Output[str]
    bucket_arn: pulumi.Output[str]

    def __init__(self, name: str, args: SecureBucketArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ops-baseline:storage:SecureBucket", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        self.bucket = aws.s3.Bucket(
            f"{name}-bucket", bucket_prefix=args.bucket_prefix, force_destroy=args.force_destroy, opts=child
        )
        self.public_access_block = aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access-block",
            bucket=self.bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=child,
        )
        self.encryption = aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=self.bucket.id,
            rules=[
                {
                    "apply_server_side_encryption_by_default": {
                        "sse_algorithm": "aws:kms",
                        "kms_master_key_id": args.kms_key_arn,
                    },
                    "bucket_key_enabled": True,
                }
            ],
            opts=child,
        )
        self.versioning = aws.s3.BucketVersioning(
            f"{name}-versioning", bucket=self.bucket.id, versioning_configuration={"status": "Enabled"}, opts=child
        )
        self.lifecycle = aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=self.bucket.id,
            rules=[
                {
                    "id": "expire-old-data",
                    "status": "Enabled",
                    "filter": {},
                    "expiration": {"days": args.expiration_days},
                    "noncurrent_version_expiration": {"noncurrent_days": args.noncurrent_expiration_days},
                    "abort_incomplete_multipart_upload": {"days_after_initiation": args.abort_multipart_days},
                }
            ],
            # Lifecycle rules on an unversioned bucket would be rewritten once versioning lands.
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[self.versioning])),
        )
        self.policy = aws.s3.BucketPolicy(
            f"{name}-policy",
            bucket=self.bucket.id,
            policy=self.bucket.arn.apply(lambda arn: to_json(tls_only_bucket_policy(arn))),
            # S3 rejects a policy while the public-access block is being applied.
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[self.public_access_block])),
        )

        self.bucket_name = self.bucket.bucket
        self.bucket_arn = self.bucket.arn
        self.register_outputs({"bucket_name": self.bucket_name, "bucket_arn": self.bucket_arn})
