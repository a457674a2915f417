"""X-Ray trace data is encrypted with a KMS key."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...keys import allow_aws_managed_key, key_in_use, key_problem, wanted_key
from ...live import LiveAudit
from ...model import Guardrail, References
from ...props import UNKNOWN, Props, shown
from ...vocabulary.tokens import XRAY_ENCRYPTION


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    kind = props.get("type")
    wanted = wanted_key(config["allowAwsManagedKey"])
    if kind is UNKNOWN:
        return
    if kind != "KMS":
        yield f"X-Ray encryption type is {shown(kind)}; set type KMS with keyId {wanted}."
        return
    # type KMS without keyId encrypts with the AWS-managed aws/xray key.
    key = key_in_use(props, "keyId", service="xray", absent="aws-managed")
    problem = key_problem("X-Ray encryption", "keyId", key, allow_aws_managed=config["allowAwsManagedKey"])
    if problem:
        yield problem


GUARDRAIL = Guardrail(
    name="aws-xray-encryptionconfig-configure-kms-key",
    description="X-Ray encrypts trace data with a customer-managed KMS key.",
    severity="low",
    resource_types=(XRAY_ENCRYPTION,),
    remediation_steps="Set type = KMS and keyId to a customer-managed key.",
    references=References(),
    check=check,
    resolves_references=True,
    parameters=(allow_aws_managed_key("xray", "type KMS without keyId"),),
    audit=LiveAudit(types=(XRAY_ENCRYPTION,)),
)
