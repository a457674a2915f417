"""Log groups are encrypted with a KMS key."""

from ...checks import require_set
from ...model import ConfigRule, Guardrail, References
from ...tokens import LOG_GROUP

GUARDRAIL = Guardrail(
    name="aws-cloudwatch-loggroup-configure-kms-key",
    description="CloudWatch log groups are encrypted with a customer-managed KMS key.",
    severity="medium",
    resource_types=(LOG_GROUP,),
    remediation_steps="Set kmsKeyId to the ARN of a KMS key whose policy lets logs.<region>.amazonaws.com use it with the aws:logs:arn encryption context.",
    references=References(config_rule=ConfigRule("CLOUDWATCH_LOG_GROUP_ENCRYPTED"), checkov=("CKV_AWS_158",)),
    check=require_set("kmsKeyId", message="Log group has no {paths}; encrypt it with a customer-managed KMS key."),
)
