"""No identity policy grants administrator access: every action on every resource (AWS Config's
IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS and Security Hub IAM.1; see
`documents.administrator_access` for how NotAction and NotResource count).

IAM Identity Center permission sets are identities too: each becomes a role in every account it is
assigned to, so its inline policy, its AWS-managed policies and the customer-managed policies it
names (judged by the stack's policy of that name) are judged like a role's. A permissions boundary
grants nothing, but AdministratorAccess as a permission set's boundary bounds nothing either, so it
fails here: a boundary that limits nothing cannot be what the reviewer was promised."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...attachments import ATTACHING_TYPES, AWS_MANAGED_ARN, aws_managed_policies
from ...checks import all_of, document_check, each_resource
from ...documents import administrator_access
from ...live import LiveAudit
from ...model import ConfigRule, Guardrail, References, StackView, Undecided, Violation
from ...permission_sets import BOUNDARY, GRANTING_REFERENCES, referenced_document_findings
from ...props import UNKNOWN, Props, text
from ...vocabulary.tokens import (
    IAM_GROUP_POLICY,
    IAM_POLICY,
    IAM_ROLE,
    IAM_ROLE_POLICY,
    IAM_USER_POLICY,
    SSO_PERMISSION_SET_INLINE_POLICY,
    SSO_PERMISSIONS_BOUNDARY_ATTACHMENT,
)

IDENTITY_POLICIES = (
    IAM_POLICY,
    IAM_ROLE_POLICY,
    IAM_USER_POLICY,
    IAM_GROUP_POLICY,
    IAM_ROLE,
    SSO_PERMISSION_SET_INLINE_POLICY,
)
ASK = "grant the actions and resources the identity needs instead."


def attached_administrator_access(props: Props) -> Iterator[str]:
    """The AWS-managed AdministratorAccess policy, attached in any spelling and any partition."""
    for path, policy in aws_managed_policies(props):
        if policy == "AdministratorAccess":
            yield f"{path} attaches the AWS-managed AdministratorAccess policy; attach a policy that grants only what this identity needs."


def administrator_boundary(props: Props) -> Iterator[str]:
    """A permission set's boundary that is the AWS-managed AdministratorAccess policy."""
    path = f"{BOUNDARY}.managedPolicyArn"
    arn = props.get(path)
    managed = AWS_MANAGED_ARN.match(arn) if arn is not UNKNOWN and text(arn) else None
    if managed and managed["name"] == "AdministratorAccess":
        yield f"{path} is the AWS-managed AdministratorAccess policy, a boundary that bounds nothing; use a boundary that lists the services this permission set may use."


RESOURCE_CHECK = all_of(
    document_check("IAM policy", lambda document, config, unknown_pins: administrator_access(document), ASK),
    lambda props, config: attached_administrator_access(props),
    lambda props, config: administrator_boundary(props),
)
RESOURCE_TYPES = tuple(dict.fromkeys((*IDENTITY_POLICIES, *ATTACHING_TYPES, SSO_PERMISSIONS_BOUNDARY_ATTACHMENT)))


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation | Undecided]:
    yield from each_resource(RESOURCE_CHECK, RESOURCE_TYPES, stack, config)
    yield from referenced_document_findings(
        stack, administrator_access, ASK, (*GRANTING_REFERENCES, SSO_PERMISSIONS_BOUNDARY_ATTACHMENT)
    )


GUARDRAIL = Guardrail(
    name="aws-iam-policy-disallow-administrator-access",
    description="IAM policies (managed, inline, a role's inline policies, and IAM Identity Center permission sets' policies) never grant every action on every resource, no identity gets the AWS-managed AdministratorAccess policy, and no permission set has it as its boundary.",
    severity="critical",
    resource_types=tuple(dict.fromkeys((*RESOURCE_TYPES, *GRANTING_REFERENCES))),
    remediation_steps="Replace Action '*' (or NotAction) on Resource '*' with the actions and resources the identity needs; detach AdministratorAccess from roles, users, groups and permission sets.",
    references=References(
        # Config and IAM.1 judge customer-managed policies only; the pack also reads inline ones.
        config_rule=ConfigRule(
            "IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS",
            static_parameters={"excludePermissionBoundaryPolicy": "true"},
            covers=(IAM_POLICY,),
        ),
        cis=("1.16 (v1.4.0)", "1.22 (v1.2.0)"),
        security_hub=("IAM.1",),
        checkov=("CKV_AWS_62", "CKV_AWS_274"),
    ),
    check=check,
    kind="stack",
    audit=LiveAudit(
        not_audited="IAM policy documents are not read live (only attachments are); the AWS Config rule IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS judges it continuously"
    ),
)
