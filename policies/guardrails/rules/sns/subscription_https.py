"""SNS delivers to web endpoints over HTTPS only: an `http` subscription sends every message, and
the subscription confirmation, in clear text."""

from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit
from ...model import Guardrail, References
from ...props import Props
from ...vocabulary.tokens import SNS_SUBSCRIPTION


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    protocol = props.get("protocol")
    if isinstance(protocol, str) and protocol.lower() == "http":
        yield "SNS subscription protocol is 'http': messages travel unencrypted; subscribe the endpoint over 'https'."


GUARDRAIL = Guardrail(
    name="aws-sns-topicsubscription-disallow-http",
    description="SNS subscriptions to web endpoints use https, never plain http.",
    severity="medium",
    resource_types=(SNS_SUBSCRIPTION,),
    remediation_steps="Set protocol = 'https' and an https:// endpoint with a certificate SNS trusts.",
    # No AWS Config rule, Security Hub control or checkov check judges the subscription protocol.
    references=References(),
    check=check,
    audit=LiveAudit(types=(SNS_SUBSCRIPTION,)),
)
