"""Trails record every region, including global service events (IAM, STS)."""

from ...checks import all_of, forbid_false, require_true
from ...model import ConfigRule, Guardrail, References
from ...tokens import TRAIL

GUARDRAIL = Guardrail(
    name="aws-cloudtrail-trail-enable-multi-region",
    description="CloudTrail trails record every region and global service events.",
    severity="high",
    resource_types=(TRAIL,),
    remediation_steps="Set isMultiRegionTrail = true and leave includeGlobalServiceEvents on.",
    references=References(
        config_rule=ConfigRule(
            "MULTI_REGION_CLOUD_TRAIL_ENABLED", periodic=True, static_parameters={"readWriteType": "ALL"}
        ),
        cis=("3.1",),
        security_hub=("CloudTrail.1",),
        checkov=("CKV_AWS_67",),
    ),
    check=all_of(
        require_true(
            "isMultiRegionTrail", "Trail isMultiRegionTrail is {value}; set it true so every region is recorded."
        ),
        forbid_false(
            "includeGlobalServiceEvents",
            "Trail includeGlobalServiceEvents is {value}; IAM and STS events would be lost.",
        ),
    ),
)
