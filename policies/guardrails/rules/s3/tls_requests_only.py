"""Every bucket refuses requests made without TLS (S3.5)."""

from collections.abc import Iterator, Mapping
from typing import Any

from ...documents import DocumentError, denies_insecure_transport, read_document
from ...live import LiveAudit
from ...model import ConfigRule, Guardrail, References, StackView, Undecided, Violation
from ...props import MISSING, UNKNOWN
from ...vocabulary.tokens import S3_BUCKET, S3_BUCKET_POLICY
from .buckets import BUCKETS, settings_of, undecided_reason


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation | Undecided]:
    for bucket in stack.of_type(*BUCKETS):
        policies = settings_of(stack, bucket, (S3_BUCKET_POLICY,))
        if policies is None:
            yield Undecided(undecided_reason(bucket, "bucket policy"), bucket.urn)
            continue
        verdicts = []
        for holder in [*policies, bucket]:
            value = holder.props.plain("policy")
            if value in (MISSING, ""):
                continue
            if value is UNKNOWN:
                verdicts.append(UNKNOWN)
                continue
            try:
                document = read_document(value)
            except DocumentError:
                continue  # the public-access rule reports a document that is not JSON
            verdicts.append(
                denies_insecure_transport(
                    document,
                    unknown_names_the_bucket=bucket.urn in holder.property_dependencies.get("policy", ())
                    or holder is bucket,
                )
            )
        if True in verdicts:
            continue
        if UNKNOWN in verdicts:
            yield Undecided(f"{bucket.name}: its bucket policy is unknown until deploy", bucket.urn)
            continue
        yield Violation(
            f"S3 bucket {bucket.name!r} does not deny requests made without TLS; add a bucket policy statement that denies s3:* "
            "to Principal '*' on the bucket and its objects when aws:SecureTransport is false.",
            bucket.urn,
        )


GUARDRAIL = Guardrail(
    name="aws-s3-bucket-require-tls-requests",
    description="Every S3 bucket's policy denies requests made without TLS (aws:SecureTransport false).",
    severity="medium",
    kind="stack",
    resource_types=(*BUCKETS, S3_BUCKET_POLICY),
    remediation_steps='Add to the bucket policy: {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [<bucket ARN>, <bucket ARN>/*], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}.',
    references=References(
        config_rule=ConfigRule("S3_BUCKET_SSL_REQUESTS_ONLY"), security_hub=("S3.5",), cis=("2.1.2 (v1.4.0)",)
    ),
    check=check,
    audit=LiveAudit(types=(S3_BUCKET, S3_BUCKET_POLICY)),
)
