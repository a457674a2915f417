"""Secrets Manager secrets are encrypted with a customer-managed key."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...keys import allow_aws_managed_key, key_in_use, key_problem
from ...live import LiveAudit
from ...model import AwsDefault, ConfigRule, Guardrail, References
from ...props import Props
from ...vocabulary.tokens import SECRET


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    key = key_in_use(props, "kmsKeyId", service="secretsmanager", absent="aws-managed")
    problem = key_problem("Secret", "kmsKeyId", key, allow_aws_managed=config["allowAwsManagedKey"])
    if problem:
        yield problem


GUARDRAIL = Guardrail(
    name="aws-secretsmanager-secret-configure-customer-managed-key",
    description="Secrets Manager secrets are encrypted with a customer-managed KMS key, not the AWS-managed aws/secretsmanager key.",
    severity="medium",
    resource_types=(SECRET,),
    remediation_steps="Set kmsKeyId to the ARN of a customer-managed key the secret's readers may decrypt with.",
    references=References(config_rule=ConfigRule("SECRETSMANAGER_USING_CMK"), checkov=("CKV_AWS_149",)),
    check=check,
    resolves_references=True,
    parameters=(
        allow_aws_managed_key(
            "secretsmanager", "what a secret without kmsKeyId uses", AwsDefault(False, "SECRETSMANAGER_USING_CMK")
        ),
    ),
    audit=LiveAudit(types=(SECRET,)),
)
