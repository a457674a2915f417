"""Trails write digest files, so tampering with delivered logs is detectable."""

from ...checks import require_true
from ...model import ConfigRule, Guardrail, References
from ...tokens import TRAIL

GUARDRAIL = Guardrail(
    name="aws-cloudtrail-trail-enable-log-file-validation",
    description="CloudTrail trails write digest files so log tampering is detectable.",
    severity="medium",
    resource_types=(TRAIL,),
    remediation_steps="Set enableLogFileValidation = true.",
    references=References(
        config_rule=ConfigRule("CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED", periodic=True),
        cis=("3.2",),
        security_hub=("CloudTrail.4",),
        checkov=("CKV_AWS_36",),
    ),
    check=require_true("enableLogFileValidation", "Trail enableLogFileValidation is {value}; set it true."),
)
