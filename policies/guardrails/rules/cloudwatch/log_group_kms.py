"""Log groups are encrypted with a KMS key."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...model import ConfigRule, Guardrail, References
from ...props import MISSING, Props
from ...tokens import LOG_GROUP


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    key = props.get("kmsKeyId")
    if key is MISSING or key == "":
        yield "Log group has no kmsKeyId; encrypt it with a customer-managed KMS key."


GUARDRAIL = Guardrail(
    name="aws-cloudwatch-loggroup-configure-kms-key",
    description="CloudWatch log groups are encrypted with a customer-managed KMS key.",
    severity="medium",
    resource_types=(LOG_GROUP,),
    remediation_steps="Set kmsKeyId to the ARN of a KMS key whose policy lets logs.<region>.amazonaws.com use it with the aws:logs:arn encryption context.",
    references=References(config_rule=ConfigRule("CLOUDWATCH_LOG_GROUP_ENCRYPTED"), checkov=("CKV_AWS_158",)),
    check=check,
)
