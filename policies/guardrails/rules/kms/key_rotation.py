"""Symmetric customer-managed keys rotate."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit, LiveFix, setting_off
from ...model import ConfigRule, Guardrail, References
from ...props import MISSING, UNKNOWN, Props, shown
from ...vocabulary.tokens import KMS_KEY


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    spec = props.get("customerMasterKeySpec")
    if spec is UNKNOWN or spec not in (MISSING, "SYMMETRIC_DEFAULT"):
        return  # AWS rotates only symmetric encryption keys
    custom_store = props.get("customKeyStoreId")
    if custom_store is UNKNOWN or custom_store not in (MISSING, ""):
        return  # nor keys in a custom (CloudHSM or external) key store
    rotation = props.flag("enableKeyRotation")
    if rotation is not True and rotation is not UNKNOWN:
        yield f"KMS key enableKeyRotation is {shown(rotation)}; set it true."


GUARDRAIL = Guardrail(
    name="aws-kms-key-enable-key-rotation",
    description="Symmetric customer-managed KMS keys have automatic rotation on.",
    severity="medium",
    resource_types=(KMS_KEY,),
    remediation_steps="Set enableKeyRotation = true (optionally rotationPeriodInDays).",
    references=References(
        config_rule=ConfigRule("CMK_BACKING_KEY_ROTATION_ENABLED", periodic=True),
        cis=("3.8",),
        security_hub=("KMS.4",),
        checkov=("CKV_AWS_7",),
    ),
    check=check,
    audit=LiveAudit(
        types=(KMS_KEY,),
        fix=LiveFix(
            "kms:EnableKeyRotation",
            setting_off(lambda p: p.get("enableKeyRotation") is False, "turn on automatic key rotation"),
            lambda account, r, config: account.client("kms", r.region).enable_key_rotation(KeyId=r.props["keyId"]),
        ),
    ),
)
