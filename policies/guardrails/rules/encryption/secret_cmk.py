"""Secrets Manager secrets are encrypted with a customer-managed key."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...model import ConfigRule, Guardrail, References
from ...props import MISSING, Props, text
from ...tokens import SECRET


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    key = props.get("kmsKeyId")
    if key is MISSING or key == "":
        yield "Secret has no kmsKeyId, so it uses the AWS managed aws/secretsmanager key; set a customer-managed key."
    elif text(key) and "alias/aws/" in key:
        yield f"Secret uses the AWS managed key {key}; set a customer-managed key."


GUARDRAIL = Guardrail(
    name="aws-secretsmanager-secret-configure-customer-managed-key",
    description="Secrets Manager secrets are encrypted with a customer-managed KMS key, not an aws/ alias.",
    severity="medium",
    resource_types=(SECRET,),
    remediation_steps="Set kmsKeyId to the ARN of a customer-managed key the secret's readers may decrypt with.",
    references=References(config_rule=ConfigRule("SECRETSMANAGER_USING_CMK"), checkov=("CKV_AWS_149",)),
    check=check,
)
