"""Every bucket has a public access block with all four flags on (v7: a separate resource)."""

from collections.abc import Iterator, Mapping
from typing import Any

from ...model import ConfigRule, Guardrail, References, StackView, Violation
from ...props import UNKNOWN
from ...tokens import S3_BUCKET, S3_BUCKET_PAB

FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation]:
    for bucket in stack.of_type(S3_BUCKET):
        blocks = stack.attached(bucket, S3_BUCKET_PAB, "bucket", "bucket")
        if blocks is None:
            continue
        if not blocks:
            yield Violation(
                f"S3 bucket {bucket.name!r} has no public access block; add one with all four flags true.", bucket.urn
            )
            continue
        off = [flag for flag in FLAGS if all(b.props.get(flag) not in (True, UNKNOWN) for b in blocks)]
        if off:
            yield Violation(
                f"S3 bucket {bucket.name!r} public access block leaves {', '.join(off)} off; set all four flags true.",
                bucket.urn,
            )


GUARDRAIL = Guardrail(
    name="aws-s3-bucket-enable-public-access-block",
    description="Every S3 bucket has a public access block with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets.",
    severity="critical",
    kind="stack",
    resource_types=(S3_BUCKET, S3_BUCKET_PAB),
    remediation_steps="Add aws.s3.BucketPublicAccessBlock(bucket=<bucket>.id) with all four flags true.",
    references=References(
        config_rule=ConfigRule("S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED"),
        security_hub=("S3.8",),
        checkov=("CKV2_AWS_6", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"),
    ),
    check=check,
)
