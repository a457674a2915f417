"""Every bucket keeps object versions (v7: a separate versioning resource, or the inline block)."""

from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit
from ...model import ConfigRule, Guardrail, References, StackView, Undecided, Violation
from ...props import UNKNOWN, shown
from ...vocabulary.tokens import S3_BUCKET, S3_BUCKET_VERSIONING
from .buckets import BUCKETS, VERSIONING_SETTINGS, inline_blocks, settings_of, undecided_reason


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation | Undecided]:
    for bucket in stack.of_type(*BUCKETS):
        settings = settings_of(stack, bucket, VERSIONING_SETTINGS)
        if settings is None:
            yield Undecided(undecided_reason(bucket, "versioning"), bucket.urn)
            continue
        # Every setting must say Enabled: with several, the last one applied wins.
        found = [(s.name, s.props.get("versioningConfiguration.status")) for s in settings]
        for block in inline_blocks(bucket, "versioning", "versionings"):
            inline = UNKNOWN if block is None else bucket.props.flag(f"{block}.enabled")
            found.append((f"{block or 'versionings'}.enabled", "Enabled" if inline is True else inline))
        wrong = [f"{where} {shown(status)}" for where, status in found if status not in ("Enabled", UNKNOWN)]
        if not found or wrong:
            state = f"has {', '.join(wrong)}" if wrong else "has no versioning configuration"
            yield Violation(
                f"S3 bucket {bucket.name!r} {state}; add a BucketVersioning with status Enabled.", bucket.urn
            )
        elif any(status is UNKNOWN for _, status in found):
            yield Undecided(f"{bucket.name}: its versioning status is unknown until deploy", bucket.urn)


GUARDRAIL = Guardrail(
    name="aws-s3-bucket-enable-versioning",
    description="Every S3 bucket has versioning enabled.",
    severity="medium",
    kind="stack",
    resource_types=(*BUCKETS, *VERSIONING_SETTINGS),
    remediation_steps="Add aws.s3.BucketVersioning(bucket=<bucket>.id, versioning_configuration={status: Enabled}).",
    references=References(
        config_rule=ConfigRule("S3_BUCKET_VERSIONING_ENABLED"), security_hub=("S3.14",), checkov=("CKV_AWS_21",)
    ),
    check=check,
    audit=LiveAudit(types=(S3_BUCKET, S3_BUCKET_VERSIONING)),
)
