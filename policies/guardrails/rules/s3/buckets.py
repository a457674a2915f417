"""pulumi-aws v7 spells a bucket and its settings several ways: `Bucket` and the deprecated
`BucketV2`, each setting as its own resource (and its `...V2` twin), and the deprecated inline
blocks: one block each on `Bucket` (`serverSideEncryptionConfiguration.rule...`, `versioning`),
lists of blocks at every level on `BucketV2` (`serverSideEncryptionConfigurations[..].rules[..]
.applyServerSideEncryptionByDefaults[..]`, `versionings[..]`), as its schema has them. The S3
guardrails judge every spelling alike, and where several apply each must pass."""

from __future__ import annotations

from ...model import StackResource, StackView
from ...props import MISSING, UNKNOWN
from ...vocabulary.tokens import (
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


def inline_blocks(bucket: StackResource, singular: str, plural: str) -> list[str | None]:
    """Paths of a deprecated inline setting's innermost blocks: `singular` (dotted) on a Bucket,
    where it is one block per level, or `plural` on a BucketV2, where every level is a list. None
    stands for a list unknown until deploy, which may hold any number of blocks."""
    props = bucket.props
    if bucket.type != S3_BUCKET_V2:
        return [singular] if props.peek(singular.split(".")[0]) is not MISSING else []
    paths: list[str | None] = [""]
    for name in plural.split("."):
        deeper: list[str | None] = []
        for parent in paths:
            if parent is None:
                deeper.append(None)
                continue
            path = f"{parent}.{name}" if parent else name
            count = props.count(path)
            deeper += [None] if count is UNKNOWN else [f"{path}[{i}]" for i in range(count)]
        paths = deeper
    return paths


def undecided_reason(bucket: StackResource, what: str) -> str:
    return f"{bucket.name}: which {what} applies to the bucket is unknown until deploy"
