"""No key or key policy skips the policy lockout safety check."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit
from ...model import Guardrail, References
from ...props import Invalid, Props
from ...vocabulary.tokens import KMS_EXTERNAL_KEY, KMS_KEY, KMS_KEY_POLICY, KMS_REPLICA_EXTERNAL_KEY, KMS_REPLICA_KEY


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    bypass = props.flag("bypassPolicyLockoutSafetyCheck")
    if bypass is True or isinstance(bypass, Invalid):
        yield f"bypassPolicyLockoutSafetyCheck is {'true' if bypass is True else bypass}; a bad key policy could make the key unmanageable. Remove it."


GUARDRAIL = Guardrail(
    name="aws-kms-key-disallow-bypass-policy-lockout-safety-check",
    description="KMS keys and key policies never bypass the key policy lockout safety check.",
    severity="critical",
    resource_types=(KMS_KEY, KMS_KEY_POLICY, KMS_REPLICA_KEY, KMS_EXTERNAL_KEY, KMS_REPLICA_EXTERNAL_KEY),
    remediation_steps="Remove bypassPolicyLockoutSafetyCheck and keep a statement that lets the account administer the key.",
    references=References(),
    check=check,
    audit=LiveAudit(types=(KMS_KEY, KMS_REPLICA_KEY, KMS_EXTERNAL_KEY, KMS_REPLICA_EXTERNAL_KEY)),
)
