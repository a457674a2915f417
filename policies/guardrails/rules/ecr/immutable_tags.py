"""Image tags cannot be overwritten, so a deployed tag always means the same image."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit
from ...model import ConfigRule, Guardrail, References
from ...props import MISSING, UNKNOWN, Props, shown
from ...vocabulary.tokens import ECR_REPOSITORY

IMMUTABLE = ("IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION")


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    mutability = props.get("imageTagMutability")
    if mutability is not UNKNOWN and mutability not in IMMUTABLE:
        current = "MUTABLE (the default)" if mutability is MISSING else shown(mutability)
        yield f"ECR repository imageTagMutability is {current}; set it to IMMUTABLE."


GUARDRAIL = Guardrail(
    name="aws-ecr-repository-disallow-mutable-tags",
    description="ECR repositories use immutable image tags.",
    severity="medium",
    resource_types=(ECR_REPOSITORY,),
    remediation_steps="Set imageTagMutability = IMMUTABLE (or IMMUTABLE_WITH_EXCLUSION for explicit exceptions).",
    references=References(
        config_rule=ConfigRule("ECR_PRIVATE_TAG_IMMUTABILITY_ENABLED"), security_hub=("ECR.2",), checkov=("CKV_AWS_51",)
    ),
    check=check,
    audit=LiveAudit(types=(ECR_REPOSITORY,)),
)
