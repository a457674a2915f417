"""AWS Config deliveries (snapshots, history) are encrypted with a customer-managed key."""

from collections.abc import Iterator, Mapping
from typing import Any

from ...keys import key_in_use, key_problem
from ...live import LiveAudit
from ...model import Guardrail, References
from ...props import Props
from ...vocabulary.tokens import CONFIG_DELIVERY_CHANNEL


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    # Without s3KmsKeyArn the bucket's own default encryption applies; AWS Config takes only a customer key here.
    key = key_in_use(props, "s3KmsKeyArn", service="config", absent="none")
    problem = key_problem("Config delivery channel", "s3KmsKeyArn", key)
    if problem:
        yield problem


GUARDRAIL = Guardrail(
    name="aws-cfg-deliverychannel-configure-kms-key",
    description="The AWS Config delivery channel encrypts what it writes to S3 with a customer-managed KMS key.",
    severity="low",
    resource_types=(CONFIG_DELIVERY_CHANNEL,),
    remediation_steps="Set s3KmsKeyArn to a customer-managed key whose policy lets config.amazonaws.com use it.",
    references=References(),
    check=check,
    resolves_references=True,
    audit=LiveAudit(types=(CONFIG_DELIVERY_CHANNEL,)),
)
