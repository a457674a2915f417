"""Trails write digest files, so tampering with delivered logs is detectable."""

from ...checks import require_true
from ...live import LiveAudit, LiveFix, setting_off
from ...model import ConfigRule, Guardrail, References
from ...vocabulary.tokens import TRAIL

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
    audit=LiveAudit(
        types=(TRAIL,),
        fix=LiveFix(
            "cloudtrail:UpdateTrail",
            setting_off(lambda p: not p.get("enableLogFileValidation"), "turn on log file validation"),
            lambda account, r, config: account.client("cloudtrail", r.region).update_trail(
                Name=r.arn, EnableLogFileValidation=True
            ),
        ),
    ),
)
