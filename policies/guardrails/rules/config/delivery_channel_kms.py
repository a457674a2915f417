"""AWS Config deliveries (snapshots, history) are encrypted with a customer-managed key."""

from ...checks import require_set
from ...model import Guardrail, References
from ...tokens import CONFIG_DELIVERY_CHANNEL

GUARDRAIL = Guardrail(
    name="aws-cfg-deliverychannel-configure-kms-key",
    description="The AWS Config delivery channel encrypts what it writes to S3 with a customer-managed KMS key.",
    severity="low",
    resource_types=(CONFIG_DELIVERY_CHANNEL,),
    remediation_steps="Set s3KmsKeyArn to a customer-managed key whose policy lets config.amazonaws.com use it.",
    references=References(),
    check=require_set(
        "s3KmsKeyArn", message="Config delivery channel has no {paths}; encrypt deliveries with a customer-managed key."
    ),
)
