"""The audit buckets as the stack deploys them: the stores CloudTrail and AWS Config deliver to, each
with its name and lifecycle, and the bucket that receives their server access logs (S3.9)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from settings.audit_buckets import AuditBucketSettings

from .naming import ACCESS_LOG_BUCKET_ROLE, BucketName, Naming


@dataclass(frozen=True)
class AuditBucket:
    """A store of audit data: its name and lifecycle."""

    name: BucketName
    transition_days: int | None
    expiration_days: int | None
    noncurrent_expiration_days: int
    protect: bool


def audit_bucket(settings: AuditBucketSettings, naming: Naming, role: str, region: str) -> AuditBucket:
    return AuditBucket(
        BucketName(naming, role, region, settings.name),
        settings.transition_days,
        settings.expiration_days,
        settings.noncurrent_expiration_days,
        settings.protect,
    )


ACCESS_LOG_EXPIRATION_DAYS = 365
"""Server access logs of the audit buckets are kept a year: long enough to answer who read or
deleted audit data within CloudTrail's own 90-day event history and beyond it."""


@dataclass(frozen=True)
class AccessLogs:
    """The bucket that receives the server access logs of the audit buckets (S3.9)."""

    name: BucketName
    expiration_days: int
    sources: tuple[BucketName, ...]
    """The buckets that log here: their ARNs, as their names imply them, scope the log-delivery grant."""


def access_logs(naming: Naming, region: str, sources: Sequence[AuditBucket]) -> AccessLogs | None:
    """The access-log bucket for the stack's audit buckets (the trail's, the Config delivery
    channel's); None when it deploys neither."""
    if not sources:
        return None
    return AccessLogs(
        BucketName(naming, ACCESS_LOG_BUCKET_ROLE, region),
        ACCESS_LOG_EXPIRATION_DAYS,
        tuple(bucket.name for bucket in sources),
    )
