"""Log groups are encrypted with a customer-managed KMS key."""

from collections.abc import Iterator, Mapping
from typing import Any

from ...keys import key_in_use, key_problem
from ...live import LiveAudit
from ...model import ConfigRule, Guardrail, References
from ...props import Props
from ...vocabulary.tokens import LOG_GROUP


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    # CloudWatch Logs has no AWS-managed key: kmsKeyId must name a customer-managed one.
    key = key_in_use(props, "kmsKeyId", service="logs", absent="none")
    problem = key_problem("Log group", "kmsKeyId", key)
    if problem:
        yield problem


GUARDRAIL = Guardrail(
    name="aws-cloudwatch-loggroup-configure-kms-key",
    description="CloudWatch log groups are encrypted with a customer-managed KMS key.",
    severity="medium",
    resource_types=(LOG_GROUP,),
    remediation_steps="Set kmsKeyId to the ARN of a KMS key whose policy lets logs.<region>.amazonaws.com use it with the aws:logs:arn encryption context.",
    references=References(
        config_rule=ConfigRule("CLOUDWATCH_LOG_GROUP_ENCRYPTED", periodic=True), checkov=("CKV_AWS_158",)
    ),
    check=check,
    resolves_references=True,
    audit=LiveAudit(types=(LOG_GROUP,)),
)
