"""Trails deliver to CloudWatch Logs, where the CIS metric filters watch them."""

from ...checks import require_set
from ...live import LiveAudit
from ...model import ConfigRule, Guardrail, References
from ...vocabulary.tokens import IAM_ROLE, LOG_GROUP, TRAIL

GUARDRAIL = Guardrail(
    name="aws-cloudtrail-trail-enable-cloudwatch-logs",
    description="CloudTrail trails deliver to a CloudWatch Logs group, where the CIS metric filters run.",
    severity="medium",
    resource_types=(TRAIL,),
    remediation_steps="Set cloudWatchLogsGroupArn (the log group ARN ending in :*) and cloudWatchLogsRoleArn (a role CloudTrail can assume).",
    references=References(
        config_rule=ConfigRule("CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED", periodic=True),
        cis=("3.4",),
        security_hub=("CloudTrail.5",),
        checkov=("CKV2_AWS_10",),
    ),
    check=require_set(
        {"cloudWatchLogsGroupArn": (LOG_GROUP,), "cloudWatchLogsRoleArn": (IAM_ROLE,)},
        message="Trail does not deliver to CloudWatch Logs: {paths} not set.",
    ),
    resolves_references=True,
    audit=LiveAudit(types=(TRAIL,)),
)
