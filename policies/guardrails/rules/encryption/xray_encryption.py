"""X-Ray trace data is encrypted with a KMS key."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...model import Guardrail, References
from ...props import MISSING, UNKNOWN, Props, shown
from ...tokens import XRAY_ENCRYPTION


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    kind = props.get("type")
    if kind is UNKNOWN:
        return
    if kind != "KMS":
        yield f"X-Ray encryption type is {shown(kind)}; set type KMS with a customer-managed keyId."
    elif props.get("keyId") in (MISSING, ""):
        yield "X-Ray encryption type is KMS but keyId is not set; set the customer-managed key."


GUARDRAIL = Guardrail(
    name="aws-xray-encryptionconfig-configure-kms-key",
    description="X-Ray encrypts trace data with a customer-managed KMS key.",
    severity="low",
    resource_types=(XRAY_ENCRYPTION,),
    remediation_steps="Set type = KMS and keyId to a customer-managed key.",
    references=References(),
    check=check,
)
