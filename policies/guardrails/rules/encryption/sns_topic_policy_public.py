"""Topic policies never open publishing or subscribing to everyone."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...documents import DocumentError, exposure, read_document
from ...model import Guardrail, Parameter, References
from ...props import MISSING, UNKNOWN, Props
from ...tokens import SNS_TOPIC, SNS_TOPIC_POLICY


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    policy = props.plain("policy")
    if policy in (MISSING, UNKNOWN, ""):
        return
    try:
        document = read_document(policy)
    except DocumentError as error:
        yield f"Topic policy {error}."
        return
    found = exposure(document, scope_services=not config["allowUnscopedServicePrincipals"])
    for grant in found.grants:
        yield (
            f"Topic policy statement {grant.statement} lets {grant.who} use the topic without a condition on who calls; "
            "scope it with aws:SourceAccount, aws:SourceArn or aws:PrincipalOrgID."
        )
    if found.undecided:
        props.undecided(f"policy statements {', '.join(found.undecided)}")


GUARDRAIL = Guardrail(
    name="aws-sns-topicpolicy-disallow-public-access",
    description="SNS topic policies let in only named principals, or callers pinned by a condition on their account, organization or source.",
    severity="critical",
    resource_types=(SNS_TOPIC, SNS_TOPIC_POLICY),
    remediation_steps="Name the principals (account root, service principals) and add aws:SourceAccount / aws:SourceArn conditions.",
    references=References(checkov=("CKV_AWS_169",)),
    check=check,
    parameters=(
        Parameter(
            "allowUnscopedServicePrincipals",
            {"type": "boolean", "default": False},
            "Accept a service principal (e.g. events.amazonaws.com) without aws:SourceAccount or aws:SourceArn, which lets that service act for any account.",
        ),
    ),
)
