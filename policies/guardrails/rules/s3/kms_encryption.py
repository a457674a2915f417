"""Every bucket encrypts by default with KMS (v7: a separate encryption resource, or the inline block)."""

from collections.abc import Iterator, Mapping
from typing import Any

from ...keys import allow_aws_managed_key, key_in_use, key_problem, wanted_key
from ...live import LiveAudit
from ...model import AwsDefault, ConfigRule, Guardrail, References, StackView, Undecided, Violation
from ...props import UNKNOWN, Props, shown
from ...vocabulary.tokens import S3_BUCKET, S3_BUCKET_SSE
from .buckets import BUCKETS, ENCRYPTION_SETTINGS, inline_blocks, settings_of, undecided_reason

KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")
INLINE_RULE = "serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault"
INLINE_RULES = "serverSideEncryptionConfigurations.rules.applyServerSideEncryptionByDefaults"
"""BucketV2's spelling: a list at every level."""


def encryption_rules(stack: StackView, bucket) -> list[tuple[str, Props, str | None]] | None:
    """(where, props, path of applyServerSideEncryptionByDefault) for every default-encryption rule
    that applies to the bucket, with path None for a rule list unknown until deploy; None while it
    is unknown which settings apply."""
    settings = settings_of(stack, bucket, ENCRYPTION_SETTINGS)
    if settings is None:
        return None
    found: list[tuple[str, Props, str | None]] = []
    for setting in settings:
        rules = setting.props.items("rules")
        if rules is UNKNOWN:
            found.append((setting.name, setting.props, None))
        else:
            found += [
                (setting.name, setting.props, f"rules[{i}].applyServerSideEncryptionByDefault")
                for i in range(len(rules))
            ]
    for path in inline_blocks(bucket, INLINE_RULE, INLINE_RULES):
        where = (
            "serverSideEncryptionConfiguration" if path == INLINE_RULE else path or "serverSideEncryptionConfigurations"
        )
        found.append((where, bucket.props, path))
    return found


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation | Undecided]:
    allow_aws_managed = config["allowAwsManagedKey"]
    wanted = wanted_key(allow_aws_managed)
    for bucket in stack.of_type(*BUCKETS):
        rules = encryption_rules(stack, bucket)
        if rules is None:
            yield Undecided(undecided_reason(bucket, "encryption configuration"), bucket.urn)
            continue
        if not rules:
            yield Violation(
                f"S3 bucket {bucket.name!r} has no default encryption configuration (S3 then uses SSE-S3); encrypt by default with aws:kms and {wanted}.",
                bucket.urn,
            )
            continue
        # Every rule must pass: with several configurations, the last one applied wins.
        undecided = False
        for where, props, path in rules:
            algorithm = UNKNOWN if path is None else props.get(f"{path}.sseAlgorithm")
            if algorithm is UNKNOWN:
                undecided = True
            elif algorithm not in KMS_ALGORITHMS:
                yield Violation(
                    f"S3 bucket {bucket.name!r} encrypts with {shown(algorithm)} ({where}); use aws:kms with {wanted}.",
                    bucket.urn,
                )
            else:
                key = key_in_use(props, f"{path}.kmsMasterKeyId", service="s3", absent="aws-managed")
                problem = key_problem(
                    f"S3 bucket {bucket.name!r} ({where})", "kmsMasterKeyId", key, allow_aws_managed=allow_aws_managed
                )
                if problem:
                    yield Violation(problem, bucket.urn)
                undecided = undecided or key is UNKNOWN
        if undecided:
            yield Undecided(f"{bucket.name}: its encryption algorithm or key is unknown until deploy", bucket.urn)


GUARDRAIL = Guardrail(
    name="aws-s3-bucket-configure-kms-encryption",
    description="Every S3 bucket encrypts objects by default with SSE-KMS and a customer-managed key (the AWS-managed aws/s3 key only where allowed).",
    severity="high",
    kind="stack",
    resource_types=(*BUCKETS, *ENCRYPTION_SETTINGS),
    remediation_steps="Add aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms, kmsMasterKeyId and bucketKeyEnabled.",
    references=References(
        config_rule=ConfigRule("S3_DEFAULT_ENCRYPTION_KMS"),
        security_hub=("S3.17",),
        checkov=("CKV_AWS_19", "CKV_AWS_145"),
    ),
    check=check,
    parameters=(
        allow_aws_managed_key(
            "s3",
            "sseAlgorithm aws:kms without kmsMasterKeyId",
            AwsDefault(True, "S3.17 / S3_DEFAULT_ENCRYPTION_KMS pass with any KMS key"),
        ),
    ),
    audit=LiveAudit(types=(S3_BUCKET, S3_BUCKET_SSE)),
)
