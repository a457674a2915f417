"""The buckets that hold the audit record -- the CloudTrail trail's and the AWS Config delivery
channel's -- log every request made to them (S3 server access logging) into another bucket: who
read, overwrote or deleted audit logs is audit data too. A bucket that logs to itself logs its own
log deliveries without end, so the target must be a different bucket."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit
from ...model import Guardrail, References, StackResource, StackView, Undecided, Violation
from ...props import MISSING, UNKNOWN, shown, text
from ...vocabulary.tokens import CONFIG_DELIVERY_CHANNEL, S3_BUCKET, S3_BUCKET_LOGGING, S3_BUCKET_LOGGING_V2, TRAIL
from .buckets import BUCKETS, inline_blocks, settings_of, undecided_reason

AUDIT_WRITERS = {TRAIL: "CloudTrail trail", CONFIG_DELIVERY_CHANNEL: "AWS Config delivery channel"}
LOGGING_SETTINGS = (S3_BUCKET_LOGGING, S3_BUCKET_LOGGING_V2)


def audit_buckets(stack: StackView) -> dict[str, tuple[StackResource, list[str]]]:
    """Buckets of the stack that a trail or delivery channel writes to (by dependency, or by a
    known s3BucketName equal to the bucket's name), with what writes to each. A writer whose
    bucket is not in the stack has nothing here to judge."""
    buckets = stack.of_type(*BUCKETS)
    found: dict[str, tuple[StackResource, list[str]]] = {}
    for writer in stack.of_type(*AUDIT_WRITERS):
        name = writer.props.peek("s3BucketName")
        targets = stack.referenced(writer, "s3BucketName", *BUCKETS) or [
            b for b in buckets if text(name) and b.props.peek("bucket") == name
        ]
        for bucket in targets:
            found.setdefault(bucket.urn, (bucket, []))[1].append(f"{AUDIT_WRITERS[writer.type]} {writer.name!r}")
    return found


def logging_targets(stack: StackView, bucket: StackResource) -> list[tuple[str, Any, bool]] | None:
    """(where, targetBucket, computed from the bucket itself) for every access-logging setting of
    the bucket; None while it is unknown which settings apply."""
    settings = settings_of(stack, bucket, LOGGING_SETTINGS)
    if settings is None:
        return None
    found = [
        (s.name, s.props.get("targetBucket"), bucket.urn in s.property_dependencies.get("targetBucket", ()))
        for s in settings
    ]
    for path in inline_blocks(bucket, "logging", "loggings"):
        target = UNKNOWN if path is None else bucket.props.get(f"{path}.targetBucket")
        found.append((path or "loggings", target, False))
    return found


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation | Undecided]:
    for bucket, writers in audit_buckets(stack).values():
        where = f"S3 bucket {bucket.name!r} (written by the {' and the '.join(writers)})"
        targets = logging_targets(stack, bucket)
        if targets is None:
            yield Undecided(undecided_reason(bucket, "access logging"), bucket.urn)
            continue
        if not targets:
            yield Violation(
                f"{where} has no server access logging; add a BucketLogging with targetBucket set to a separate "
                "access-log bucket.",
                bucket.urn,
            )
            continue
        own_name = bucket.props.peek("bucket")
        undecided = False
        for setting, target, from_itself in targets:
            if target is UNKNOWN and not from_itself:
                undecided = True
            elif from_itself or (target not in (MISSING, UNKNOWN) and target == own_name):
                yield Violation(
                    f"{where} logs its own access into itself ({setting}): each log delivery is logged again; "
                    "send the access logs to a separate bucket.",
                    bucket.urn,
                )
            elif not text(target):
                yield Violation(
                    f"{where} has targetBucket {shown(target)} ({setting}); name the access-log bucket.", bucket.urn
                )
        if undecided:
            yield Undecided(f"{bucket.name}: the target of its access logs is unknown until deploy", bucket.urn)


GUARDRAIL = Guardrail(
    name="aws-s3-auditbucket-enable-access-logging",
    description="The S3 buckets the CloudTrail trail and the AWS Config delivery channel write to have server access logging into a different bucket.",
    severity="medium",
    kind="stack",
    resource_types=(*BUCKETS, *LOGGING_SETTINGS, *AUDIT_WRITERS),
    remediation_steps="Create an access-log bucket (SSE-S3, which S3 log delivery accepts without any key policy) whose policy lets logging.s3.amazonaws.com put objects for your account's source buckets, and an aws.s3.BucketLogging(bucket=<audit bucket>.id, target_bucket=<access-log bucket>.id, target_prefix=<audit bucket>/) for each audit bucket.",
    # No AWS Config rule: S3_BUCKET_LOGGING_ENABLED judges every bucket of the account, the
    # access-log bucket too (which must not log), so deployed it would stay NON_COMPLIANT and page.
    references=References(security_hub=("S3.9",), checkov=("CKV_AWS_18",)),
    check=check,
    # Per region: the trails and delivery channels read there, the buckets they write to, and
    # each bucket's GetBucketLogging (opsctl/live/readers/s3.py AUDIT_BUCKETS).
    audit=LiveAudit(types=(*AUDIT_WRITERS, S3_BUCKET, S3_BUCKET_LOGGING), starts_from=tuple(AUDIT_WRITERS)),
)
