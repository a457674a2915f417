"""X-Ray trace data is encrypted with a KMS key."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...keys import key_in_use, key_problem
from ...model import Guardrail, Parameter, References
from ...props import UNKNOWN, Props, shown
from ...tokens import XRAY_ENCRYPTION


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    kind = props.get("type")
    wanted = "a KMS key" if config["allowAwsManagedKey"] else "a customer-managed KMS key"
    if kind is UNKNOWN:
        return
    if kind != "KMS":
        yield f"X-Ray encryption type is {shown(kind)}; set type KMS with keyId {wanted}."
        return
    # type KMS without keyId encrypts with the AWS-managed aws/xray key.
    key = key_in_use(props, "keyId", service="xray", absent="aws-managed")
    problem = key_problem("X-Ray encryption", "keyId", key, allow_aws_managed=config["allowAwsManagedKey"])
    if problem:
        yield problem


GUARDRAIL = Guardrail(
    name="aws-xray-encryptionconfig-configure-kms-key",
    description="X-Ray encrypts trace data with a customer-managed KMS key.",
    severity="low",
    resource_types=(XRAY_ENCRYPTION,),
    remediation_steps="Set type = KMS and keyId to a customer-managed key.",
    references=References(),
    check=check,
    resolves_references=True,
    parameters=(
        Parameter(
            "allowAwsManagedKey",
            {"type": "boolean", "default": False},
            "Accept the AWS-managed aws/xray key (type KMS without keyId).",
        ),
    ),
)
