"""Symmetric customer-managed keys rotate."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...model import ConfigRule, Guardrail, References
from ...props import MISSING, UNKNOWN, Props
from ...tokens import KMS_KEY


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    spec = props.get("customerMasterKeySpec")
    if spec is UNKNOWN or spec not in (MISSING, "SYMMETRIC_DEFAULT"):
        return  # AWS rotates only symmetric encryption keys
    if props.get("enableKeyRotation") not in (True, UNKNOWN):
        yield "KMS key does not rotate; set enableKeyRotation true."


GUARDRAIL = Guardrail(
    name="aws-kms-key-enable-key-rotation",
    description="Symmetric customer-managed KMS keys have automatic rotation on.",
    severity="medium",
    resource_types=(KMS_KEY,),
    remediation_steps="Set enableKeyRotation = true (optionally rotationPeriodInDays).",
    references=References(
        config_rule=ConfigRule("CMK_BACKING_KEY_ROTATION_ENABLED"), security_hub=("KMS.4",), checkov=("CKV_AWS_7",)
    ),
    check=check,
)
