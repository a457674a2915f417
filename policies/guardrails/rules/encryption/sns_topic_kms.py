"""SNS topics are encrypted at rest with KMS."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...model import ConfigRule, Guardrail, Parameter, References
from ...props import MISSING, Props, text
from ...tokens import SNS_TOPIC

AWS_MANAGED = "alias/aws/sns"


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    key = props.get("kmsMasterKeyId")
    if key is MISSING or key == "":
        yield "SNS topic has no kmsMasterKeyId; encrypt it with a customer-managed KMS key."
    elif text(key) and key.endswith(AWS_MANAGED) and not config["allowAwsManagedKey"]:
        yield f"SNS topic uses the AWS managed key {AWS_MANAGED}; use a customer-managed key (CloudWatch alarms cannot publish to topics encrypted with it)."


GUARDRAIL = Guardrail(
    name="aws-sns-topic-configure-kms-key",
    description="SNS topics are encrypted with a customer-managed KMS key (alias/aws/sns only where allowed).",
    severity="medium",
    resource_types=(SNS_TOPIC,),
    remediation_steps="Set kmsMasterKeyId to a customer-managed key whose policy lets sns.amazonaws.com and cloudwatch.amazonaws.com of this account use it.",
    references=References(
        config_rule=ConfigRule("SNS_ENCRYPTED_KMS"), security_hub=("SNS.1",), checkov=("CKV_AWS_26",)
    ),
    check=check,
    parameters=(
        Parameter(
            "allowAwsManagedKey", {"type": "boolean", "default": False}, "Accept the AWS managed alias/aws/sns key."
        ),
    ),
)
