"""Trail log files are encrypted with a customer-managed key."""

from ...checks import require_set
from ...model import ConfigRule, Guardrail, References
from ...tokens import TRAIL

GUARDRAIL = Guardrail(
    name="aws-cloudtrail-trail-configure-kms-key",
    description="CloudTrail trails encrypt log files with a customer-managed KMS key.",
    severity="medium",
    resource_types=(TRAIL,),
    remediation_steps="Set kmsKeyId to a customer-managed key whose policy lets cloudtrail.amazonaws.com encrypt with the aws:cloudtrail:arn context.",
    references=References(
        config_rule=ConfigRule("CLOUD_TRAIL_ENCRYPTION_ENABLED"),
        cis=("3.7",),
        security_hub=("CloudTrail.2",),
        checkov=("CKV_AWS_35",),
    ),
    check=require_set("kmsKeyId", message="Trail has no {paths}; encrypt its logs with a customer-managed key."),
)
