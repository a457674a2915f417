"""pulumi-aws v7 spells a bucket and its settings several ways: `Bucket` and the deprecated
`BucketV2`, each setting as its own resource (and its `...V2` twin), and on `Bucket` the
deprecated inline blocks. The S3 guardrails judge every spelling alike."""

from __future__ import annotations

from ...model import StackResource, StackView
from ...tokens import (
    S3_BUCKET,
    S3_BUCKET_PAB,
    S3_BUCKET_SSE,
    S3_BUCKET_SSE_V2,
    S3_BUCKET_V2,
    S3_BUCKET_VERSIONING,
    S3_BUCKET_VERSIONING_V2,
)

BUCKETS = (S3_BUCKET, S3_BUCKET_V2)
ENCRYPTION_SETTINGS = (S3_BUCKET_SSE, S3_BUCKET_SSE_V2)
VERSIONING_SETTINGS = (S3_BUCKET_VERSIONING, S3_BUCKET_VERSIONING_V2)
PUBLIC_ACCESS_BLOCKS = (S3_BUCKET_PAB,)


def settings_of(stack: StackView, bucket: StackResource, types: tuple[str, ...]) -> list[StackResource] | None:
    """The separate setting resources of `types` that apply to `bucket`; None while unknown."""
    return stack.attached(bucket, types, "bucket", "bucket", BUCKETS)


def undecided_reason(bucket: StackResource, what: str) -> str:
    return f"{bucket.name}: which {what} applies to the bucket is unknown until deploy"
