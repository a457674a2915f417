"""Topic policies never open publishing or subscribing to everyone."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from ...model import Guardrail, References
from ...props import Props, text
from ...tokens import SNS_TOPIC, SNS_TOPIC_POLICY


def open_statements(document: Any) -> list[str]:
    """Sids of Allow statements with a `*` principal and no condition."""
    statements = document.get("Statement", []) if isinstance(document, dict) else []
    if isinstance(statements, dict):
        statements = [statements]
    found = []
    for index, statement in enumerate(s for s in statements if isinstance(s, dict)):
        principal = statement.get("Principal")
        wildcard = principal == "*" or (
            isinstance(principal, dict) and "*" in (principal.get("AWS"), principal.get("Service"))
        )
        if statement.get("Effect") == "Allow" and wildcard and not statement.get("Condition"):
            found.append(str(statement.get("Sid", f"#{index}")))
    return found


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    policy = text(props.get("policy"))
    if not policy:
        return
    try:
        document = json.loads(policy)
    except ValueError:
        yield "Topic policy is not valid JSON."
        return
    for sid in open_statements(document):
        yield f"Topic policy statement {sid} allows any principal ('*') without a condition; scope it with aws:SourceAccount or aws:SourceArn."


GUARDRAIL = Guardrail(
    name="aws-sns-topicpolicy-disallow-public-access",
    description="SNS topic policies do not allow any principal without a condition.",
    severity="critical",
    resource_types=(SNS_TOPIC, SNS_TOPIC_POLICY),
    remediation_steps="Name the principals (account root, service principals) and add aws:SourceAccount / aws:SourceArn conditions.",
    references=References(checkov=("CKV_AWS_169",)),
    check=check,
)
