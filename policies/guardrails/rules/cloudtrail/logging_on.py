"""Trails are created logging, not stopped."""

from ...checks import forbid_false
from ...live import LiveAudit, LiveFix, setting_off
from ...model import ConfigRule, Guardrail, References
from ...vocabulary.tokens import TRAIL

GUARDRAIL = Guardrail(
    name="aws-cloudtrail-trail-enable-logging",
    description="CloudTrail trails are logging (not created stopped).",
    severity="high",
    resource_types=(TRAIL,),
    remediation_steps="Remove enableLogging = false (logging is on by default).",
    references=References(
        config_rule=ConfigRule("CLOUD_TRAIL_ENABLED", periodic=True),
        security_hub=("CloudTrail.3",),
        checkov=("CKV_AWS_251",),
    ),
    check=forbid_false("enableLogging", "Trail enableLogging is {value}; it records nothing."),
    audit=LiveAudit(
        types=(TRAIL,),
        fix=LiveFix(
            "cloudtrail:StartLogging",
            setting_off(lambda p: not p.get("enableLogging"), "start logging"),
            lambda account, r, config: account.client("cloudtrail", r.region).start_logging(Name=r.arn),
        ),
    ),
)
