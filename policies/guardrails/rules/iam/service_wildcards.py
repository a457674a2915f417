"""Identity policies name actions, not every action of a service: `kms:*`, `*` (every service's)
or NotAction (all but some), on any resource, as AWS Config's full-access rule and IAM.21 judge
them (see `documents.service_wide_actions`). Permission sets' inline policies and the stack's
customer-managed policies they name are judged the same way; boundaries are not, since a
boundary grants nothing and `service:*` is how a boundary names the services it allows (Config's
rule is configured with excludePermissionBoundaryPolicy for the same reason)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...checks import document_check, each_resource
from ...documents import service_wide_actions
from ...live import LiveAudit
from ...model import ConfigRule, Guardrail, References, StackView, Undecided, Violation
from ...permission_sets import GRANTING_REFERENCES, referenced_document_findings
from ...vocabulary.tokens import IAM_POLICY
from .admin_access import IDENTITY_POLICIES

ASK = "list the actions the identity needs instead."
RESOURCE_CHECK = document_check(
    "IAM policy", lambda document, config, unknown_pins: service_wide_actions(document), ASK
)


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation | Undecided]:
    yield from each_resource(RESOURCE_CHECK, IDENTITY_POLICIES, stack, config)
    yield from referenced_document_findings(stack, service_wide_actions, ASK, GRANTING_REFERENCES)


GUARDRAIL = Guardrail(
    name="aws-iam-policy-disallow-service-wildcards",
    description="IAM policies (and IAM Identity Center permission sets' policies) do not allow every action of a service (kms:*, s3:*, * or a NotAction list), on any resource.",
    severity="medium",
    resource_types=(*IDENTITY_POLICIES, *GRANTING_REFERENCES),
    remediation_steps="List the service's actions the identity needs (e.g. kms:Decrypt, kms:GenerateDataKey) instead of <service>:*, * or NotAction.",
    references=References(
        config_rule=ConfigRule(
            "IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS",
            static_parameters={"excludePermissionBoundaryPolicy": "true"},
            covers=(IAM_POLICY,),
        ),
        security_hub=("IAM.21",),
    ),
    check=check,
    kind="stack",
    audit=LiveAudit(
        not_audited="IAM policy documents are not read live (only attachments are); the AWS Config rule IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS judges it continuously"
    ),
)
