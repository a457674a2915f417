"""SQS queues are encrypted at rest."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...model import Guardrail, Parameter, References
from ...props import MISSING, UNKNOWN, Props, text
from ...tokens import SQS_QUEUE


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    key = props.get("kmsMasterKeyId")
    if key is UNKNOWN:
        return
    if key is MISSING or key == "":
        managed = props.get("sqsManagedSseEnabled")
        if managed is UNKNOWN or (managed is not False and config["allowSqsManagedEncryption"]):
            return
        yield "SQS queue has no kmsMasterKeyId; encrypt it with a customer-managed KMS key."
    elif text(key) and key.endswith("alias/aws/sqs") and not config["allowAwsManagedKey"]:
        yield "SQS queue uses the AWS managed key alias/aws/sqs; use a customer-managed key."


GUARDRAIL = Guardrail(
    name="aws-sqs-queue-configure-encryption",
    description="SQS queues are encrypted at rest (customer-managed key, or SQS-managed SSE where allowed).",
    severity="medium",
    resource_types=(SQS_QUEUE,),
    remediation_steps="Set kmsMasterKeyId to a customer-managed key (and kmsDataKeyReusePeriodSeconds as needed).",
    references=References(security_hub=("SQS.1",), checkov=("CKV_AWS_27", "CKV2_AWS_73")),
    check=check,
    parameters=(
        Parameter(
            "allowSqsManagedEncryption",
            {"type": "boolean", "default": False},
            "Accept SQS-managed SSE (sqsManagedSseEnabled) instead of a KMS key.",
        ),
        Parameter(
            "allowAwsManagedKey", {"type": "boolean", "default": False}, "Accept the AWS managed alias/aws/sqs key."
        ),
    ),
)
