"""Kinesis data streams are encrypted at rest with KMS.

The provider defaults `encryptionType` to NONE (its Check fills it in), and it starts encryption only
for exactly `KMS`, which also needs `kmsKeyId`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...keys import KeyUse, allow_aws_managed_key, key_in_use, key_problem, wanted_key
from ...live import LiveAudit
from ...model import AwsDefault, ConfigRule, Guardrail, References
from ...props import MISSING, UNKNOWN, Props
from ...vocabulary.tokens import KINESIS_STREAM


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    allow_aws_managed = config["allowAwsManagedKey"]
    wanted = wanted_key(allow_aws_managed)
    encryption = props.get("encryptionType")
    if encryption is UNKNOWN:
        return
    if encryption in (MISSING, "NONE"):
        current = "not set, so NONE" if encryption is MISSING else "NONE"
        yield f"Kinesis stream is not encrypted at rest (encryptionType {current}); set encryptionType KMS and kmsKeyId to {wanted}."
        return
    if encryption != "KMS":
        yield f"Kinesis stream encryptionType is {encryption!r}, which the provider does not accept (KMS or NONE); set encryptionType KMS and kmsKeyId to {wanted}."
        return
    key = key_in_use(props, "kmsKeyId", service="kinesis", absent="none")
    if isinstance(key, KeyUse) and key.kind == "none":
        yield f"Kinesis stream has encryptionType KMS but {key.seen}, which the provider refuses; set kmsKeyId to {wanted}."
        return
    problem = key_problem("Kinesis stream", "kmsKeyId", key, allow_aws_managed=allow_aws_managed)
    if problem:
        yield problem


GUARDRAIL = Guardrail(
    name="aws-kinesis-stream-configure-encryption",
    description="Kinesis data streams are encrypted at rest with a customer-managed KMS key (the AWS-managed aws/kinesis key only where allowed).",
    severity="medium",
    resource_types=(KINESIS_STREAM,),
    remediation_steps="Set encryptionType = KMS and kmsKeyId to a customer-managed key whose policy lets the stream's producers and consumers use it (kms:GenerateDataKey, kms:Decrypt).",
    references=References(
        config_rule=ConfigRule("KINESIS_STREAM_ENCRYPTED"),
        security_hub=("Kinesis.1",),
        checkov=("CKV_AWS_43", "CKV_AWS_185"),
    ),
    check=check,
    resolves_references=True,
    parameters=(
        allow_aws_managed_key(
            "kinesis",
            "kmsKeyId alias/aws/kinesis",
            AwsDefault(True, "Kinesis.1 / KINESIS_STREAM_ENCRYPTED pass with any KMS key"),
        ),
    ),
    audit=LiveAudit(types=(KINESIS_STREAM,)),
)
