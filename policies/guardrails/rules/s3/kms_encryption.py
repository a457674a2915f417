"""Every bucket encrypts by default with KMS (v7: a separate encryption-configuration resource)."""

from collections.abc import Iterator, Mapping
from typing import Any

from ...model import ConfigRule, Guardrail, References, StackView, Violation
from ...props import UNKNOWN
from ...tokens import S3_BUCKET, S3_BUCKET_SSE

KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation]:
    for bucket in stack.of_type(S3_BUCKET):
        configurations = stack.attached(bucket, S3_BUCKET_SSE, "bucket", "bucket")
        if configurations is None:
            continue
        algorithms: list[Any] = []
        for configuration in configurations:
            rules = configuration.props.items("rules")
            if rules is UNKNOWN:
                algorithms.append(UNKNOWN)
                continue
            algorithms += [
                configuration.props.get(f"rules[{i}].applyServerSideEncryptionByDefault.sseAlgorithm")
                for i in range(len(rules))
            ]
        if UNKNOWN in algorithms or any(a in KMS_ALGORITHMS for a in algorithms):
            continue
        found = (
            f"uses {', '.join(map(str, algorithms))}" if algorithms else "has no server-side encryption configuration"
        )
        yield Violation(
            f"S3 bucket {bucket.name!r} {found}; encrypt by default with aws:kms and a customer-managed key.",
            bucket.urn,
        )


GUARDRAIL = Guardrail(
    name="aws-s3-bucket-configure-kms-encryption",
    description="Every S3 bucket encrypts objects by default with SSE-KMS.",
    severity="high",
    kind="stack",
    resource_types=(S3_BUCKET, S3_BUCKET_SSE),
    remediation_steps="Add aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms, kmsMasterKeyId and bucketKeyEnabled.",
    references=References(
        config_rule=ConfigRule("S3_DEFAULT_ENCRYPTION_KMS"),
        security_hub=("S3.4",),
        checkov=("CKV_AWS_19", "CKV_AWS_145"),
    ),
    check=check,
)
