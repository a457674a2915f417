"""Every public access block that applies to a bucket has all four flags on (v7: a separate resource).

A bucket the stack creates without one gets all four on from S3 itself (the default for new buckets
since April 2023), which is what S3.8 then finds; declaring it is asked separately
(`declared_public_access_block.py`). Live, a bucket without a block configuration has all four off
(opsctl's reader says so), and this rule flags it.
"""

from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit
from ...model import ConfigRule, Guardrail, References, StackView, Undecided, Violation
from ...props import UNKNOWN
from ...vocabulary.tokens import S3_BUCKET, S3_BUCKET_PAB
from .buckets import BUCKETS, PUBLIC_ACCESS_BLOCKS, settings_of, undecided_reason

FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation | Undecided]:
    for bucket in stack.of_type(*BUCKETS):
        blocks = settings_of(stack, bucket, PUBLIC_ACCESS_BLOCKS)
        if blocks is None:
            yield Undecided(undecided_reason(bucket, "public access block"), bucket.urn)
            continue
        # A flag counts only when every block of the bucket sets it (the last one applied wins).
        values = {flag: [b.props.flag(flag) for b in blocks] for flag in FLAGS}
        off = [flag for flag, found in values.items() if any(v is not True and v is not UNKNOWN for v in found)]
        if off:
            yield Violation(
                f"S3 bucket {bucket.name!r} public access block leaves {', '.join(off)} off; set all four flags true.",
                bucket.urn,
            )
        elif any(UNKNOWN in found for found in values.values()):
            yield Undecided(f"{bucket.name}: a public access block flag is unknown until deploy", bucket.urn)


GUARDRAIL = Guardrail(
    name="aws-s3-bucket-enable-public-access-block",
    description="The public access block of every S3 bucket has blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets on (a new bucket without one of its own gets them from S3).",
    severity="critical",
    kind="stack",
    resource_types=(*BUCKETS, *PUBLIC_ACCESS_BLOCKS),
    remediation_steps="Set all four flags true on the bucket's aws.s3.BucketPublicAccessBlock (a bucket that must serve the public belongs behind CloudFront with origin access control).",
    references=References(
        config_rule=ConfigRule("S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED"),
        security_hub=("S3.8",),
        checkov=("CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"),
    ),
    check=check,
    audit=LiveAudit(types=(S3_BUCKET, S3_BUCKET_PAB)),
)
