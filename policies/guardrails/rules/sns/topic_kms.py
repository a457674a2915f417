"""SNS topics are encrypted at rest with KMS."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...keys import allow_aws_managed_key, key_in_use, key_problem
from ...live import LiveAudit
from ...model import AwsDefault, ConfigRule, Guardrail, References
from ...props import Props
from ...vocabulary.tokens import SNS_TOPIC


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    key = key_in_use(props, "kmsMasterKeyId", service="sns", absent="none")
    problem = key_problem(
        "SNS topic",
        "kmsMasterKeyId",
        key,
        allow_aws_managed=config["allowAwsManagedKey"],
        note=" CloudWatch alarms cannot publish to a topic encrypted with aws/sns.",
    )
    if problem:
        yield problem


GUARDRAIL = Guardrail(
    name="aws-sns-topic-configure-kms-key",
    description="SNS topics are encrypted with a customer-managed KMS key (the AWS-managed aws/sns key only where allowed).",
    severity="medium",
    resource_types=(SNS_TOPIC,),
    remediation_steps="Set kmsMasterKeyId to a customer-managed key whose policy lets sns.amazonaws.com and cloudwatch.amazonaws.com of this account use it.",
    references=References(
        config_rule=ConfigRule("SNS_ENCRYPTED_KMS"), security_hub=("SNS.1",), checkov=("CKV_AWS_26",)
    ),
    check=check,
    resolves_references=True,
    parameters=(
        allow_aws_managed_key(
            "sns",
            "CloudWatch alarms cannot publish to a topic encrypted with it",
            AwsDefault(True, "SNS.1 / SNS_ENCRYPTED_KMS pass with any KMS key"),
        ),
    ),
    audit=LiveAudit(types=(SNS_TOPIC,)),
)
