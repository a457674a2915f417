"""Repository images are encrypted with KMS."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...model import ConfigRule, Guardrail, Parameter, References
from ...props import MISSING, UNKNOWN, Props, shown
from ...tokens import ECR_REPOSITORY


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    kind = props.get("encryptionConfigurations[0].encryptionType")
    if kind is UNKNOWN:
        return
    if kind != "KMS":
        yield f"ECR repository encryption is {'AES256 (the default)' if kind is MISSING else shown(kind)}; set encryptionConfigurations[0].encryptionType to KMS."
    elif config["requireCustomerManagedKey"] and props.get("encryptionConfigurations[0].kmsKey") is MISSING:
        yield "ECR repository uses the AWS managed key; set encryptionConfigurations[0].kmsKey to a customer-managed key."


GUARDRAIL = Guardrail(
    name="aws-ecr-repository-configure-kms-encryption",
    description="ECR repositories encrypt images with KMS (a customer-managed key where required).",
    severity="medium",
    resource_types=(ECR_REPOSITORY,),
    remediation_steps="Set encryptionConfigurations = [{encryptionType: KMS, kmsKey: <customer key ARN>}]; this replaces the repository.",
    references=References(config_rule=ConfigRule("ECR_REPOSITORY_CMK_ENCRYPTION_ENABLED"), checkov=("CKV_AWS_136",)),
    check=check,
    parameters=(
        Parameter(
            "requireCustomerManagedKey", {"type": "boolean", "default": True}, "Reject the AWS managed aws/ecr key."
        ),
    ),
)
