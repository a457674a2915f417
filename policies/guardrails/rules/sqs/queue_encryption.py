"""SQS queues are encrypted at rest."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...keys import KeyUse, allow_aws_managed_key, key_in_use, key_problem, wanted_key
from ...live import LiveAudit
from ...model import AwsDefault, Guardrail, Parameter, References
from ...props import UNKNOWN, Invalid, Props, shown
from ...vocabulary.tokens import SQS_QUEUE


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    key = key_in_use(props, "kmsMasterKeyId", service="sqs", absent="none")
    if not (isinstance(key, KeyUse) and key.kind == "none"):
        problem = key_problem("SQS queue", "kmsMasterKeyId", key, allow_aws_managed=config["allowAwsManagedKey"])
        if problem:
            yield problem
        return
    # Without a KMS key, SQS encrypts with its own keys unless sqsManagedSseEnabled is false.
    managed = props.flag("sqsManagedSseEnabled")
    wanted = wanted_key(config["allowAwsManagedKey"])
    if managed is UNKNOWN:
        return
    if isinstance(managed, Invalid):
        yield f"SQS queue sqsManagedSseEnabled is {shown(managed)}; set kmsMasterKeyId to {wanted}."
    elif managed is False:
        yield f"SQS queue is not encrypted at rest (no kmsMasterKeyId, sqsManagedSseEnabled false); set kmsMasterKeyId to {wanted}."
    elif not config["allowSqsManagedEncryption"]:
        yield f"SQS queue uses SQS-managed encryption (no kmsMasterKeyId); set kmsMasterKeyId to {wanted}."


GUARDRAIL = Guardrail(
    name="aws-sqs-queue-configure-encryption",
    description="SQS queues are encrypted at rest with a customer-managed KMS key (SQS-managed SSE or aws/sqs only where allowed).",
    severity="medium",
    resource_types=(SQS_QUEUE,),
    remediation_steps="Set kmsMasterKeyId to a customer-managed key (and kmsDataKeyReusePeriodSeconds as needed).",
    references=References(security_hub=("SQS.1",), checkov=("CKV_AWS_27", "CKV2_AWS_73")),
    check=check,
    resolves_references=True,
    parameters=(
        Parameter(
            "allowSqsManagedEncryption",
            {"type": "boolean", "default": False},
            "Accept SQS-managed SSE (sqsManagedSseEnabled, on by default for new queues) instead of a KMS key.",
            AwsDefault(True, "SQS.1 passes with SSE-SQS"),
        ),
        allow_aws_managed_key("sqs", "kmsMasterKeyId alias/aws/sqs", AwsDefault(True, "SQS.1 passes with any KMS key")),
    ),
    audit=LiveAudit(types=(SQS_QUEUE,)),
)
