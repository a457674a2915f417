"""Every bucket keeps object versions (v7: a separate versioning resource)."""

from collections.abc import Iterator, Mapping
from typing import Any

from ...model import ConfigRule, Guardrail, References, StackView, Violation
from ...props import UNKNOWN
from ...tokens import S3_BUCKET, S3_BUCKET_VERSIONING


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation]:
    for bucket in stack.of_type(S3_BUCKET):
        versionings = stack.attached(bucket, S3_BUCKET_VERSIONING, "bucket", "bucket")
        if versionings is None:
            continue
        statuses = [v.props.get("versioningConfiguration.status") for v in versionings]
        if "Enabled" in statuses or UNKNOWN in statuses:
            continue
        yield Violation(
            f"S3 bucket {bucket.name!r} does not have versioning Enabled; add a BucketVersioning with status Enabled.",
            bucket.urn,
        )


GUARDRAIL = Guardrail(
    name="aws-s3-bucket-enable-versioning",
    description="Every S3 bucket has versioning enabled.",
    severity="medium",
    kind="stack",
    resource_types=(S3_BUCKET, S3_BUCKET_VERSIONING),
    remediation_steps="Add aws.s3.BucketVersioning(bucket=<bucket>.id, versioning_configuration={status: Enabled}).",
    references=References(
        config_rule=ConfigRule("S3_BUCKET_VERSIONING_ENABLED"), security_hub=("S3.14",), checkov=("CKV_AWS_21",)
    ),
    check=check,
)
