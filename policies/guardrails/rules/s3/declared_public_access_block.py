"""Every bucket declares its own public access block, rather than relying on S3's default for new
buckets (all four flags on since April 2023), which a later change outside the program can undo
unnoticed: a declared block is put back by the next `pulumi up`."""

from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit
from ...model import Guardrail, References, StackView, Undecided, Violation
from .buckets import BUCKETS, PUBLIC_ACCESS_BLOCKS, settings_of, undecided_reason


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation | Undecided]:
    for bucket in stack.of_type(*BUCKETS):
        blocks = settings_of(stack, bucket, PUBLIC_ACCESS_BLOCKS)
        if blocks is None:
            yield Undecided(undecided_reason(bucket, "public access block"), bucket.urn)
        elif not blocks:
            yield Violation(
                f"S3 bucket {bucket.name!r} has no public access block; add one with all four flags true.", bucket.urn
            )


GUARDRAIL = Guardrail(
    name="aws-s3-bucket-declare-public-access-block",
    description="Every S3 bucket has a public access block of its own in the stack, so S3's default for new buckets (all four flags on) cannot drift away unnoticed.",
    severity="low",
    kind="stack",
    resource_types=(*BUCKETS, *PUBLIC_ACCESS_BLOCKS),
    remediation_steps="Add aws.s3.BucketPublicAccessBlock(bucket=<bucket>.id) with all four flags true.",
    references=References(checkov=("CKV2_AWS_6",)),
    check=check,
    audit=LiveAudit(
        not_audited="whether a program declares a bucket's block is not visible live; a live bucket without a block configuration has every flag off, which aws-s3-bucket-enable-public-access-block reports"
    ),
)
