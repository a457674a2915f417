"""No key skips the policy lockout safety check."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...model import Guardrail, References
from ...props import Props
from ...tokens import KMS_KEY


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    if props.get("bypassPolicyLockoutSafetyCheck") is True:
        yield "KMS key sets bypassPolicyLockoutSafetyCheck; a bad key policy could make the key unmanageable. Remove it."


GUARDRAIL = Guardrail(
    name="aws-kms-key-disallow-bypass-policy-lockout-safety-check",
    description="KMS keys never bypass the key policy lockout safety check.",
    severity="critical",
    resource_types=(KMS_KEY,),
    remediation_steps="Remove bypassPolicyLockoutSafetyCheck and keep a statement that lets the account administer the key.",
    references=References(),
    check=check,
)
