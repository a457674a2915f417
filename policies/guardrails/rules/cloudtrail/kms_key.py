"""Trail log files are encrypted with a customer-managed key."""

from collections.abc import Iterator, Mapping
from typing import Any

from ...keys import key_in_use, key_problem
from ...live import LiveAudit
from ...model import ConfigRule, Guardrail, References
from ...props import Props
from ...vocabulary.tokens import TRAIL


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    # CloudTrail encrypts with SSE-S3 unless kmsKeyId names a customer-managed key; it takes no AWS-managed one.
    key = key_in_use(props, "kmsKeyId", service="cloudtrail", absent="none")
    problem = key_problem("Trail", "kmsKeyId", key)
    if problem:
        yield problem


GUARDRAIL = Guardrail(
    name="aws-cloudtrail-trail-configure-kms-key",
    description="CloudTrail trails encrypt log files with a customer-managed KMS key.",
    severity="medium",
    resource_types=(TRAIL,),
    remediation_steps="Set kmsKeyId to a customer-managed key whose policy lets cloudtrail.amazonaws.com encrypt with the aws:cloudtrail:arn context.",
    references=References(
        config_rule=ConfigRule("CLOUD_TRAIL_ENCRYPTION_ENABLED", periodic=True),
        cis=("3.7",),
        security_hub=("CloudTrail.2",),
        checkov=("CKV_AWS_35",),
    ),
    check=check,
    resolves_references=True,
    audit=LiveAudit(types=(TRAIL,)),
)
