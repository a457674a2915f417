"""No identity policy grants administrator access: every action on every resource."""

from __future__ import annotations

from collections.abc import Iterator

from ...attachments import ATTACHING_TYPES, aws_managed_policies
from ...checks import all_of, document_check
from ...documents import administrator_access
from ...model import ConfigRule, Guardrail, References
from ...props import Props
from ...tokens import IAM_GROUP_POLICY, IAM_POLICY, IAM_ROLE, IAM_ROLE_POLICY, IAM_USER_POLICY

IDENTITY_POLICIES = (IAM_POLICY, IAM_ROLE_POLICY, IAM_USER_POLICY, IAM_GROUP_POLICY, IAM_ROLE)


def attached_administrator_access(props: Props) -> Iterator[str]:
    """The AWS-managed AdministratorAccess policy, attached in any spelling and any partition."""
    for path, policy in aws_managed_policies(props):
        if policy == "AdministratorAccess":
            yield f"{path} attaches the AWS-managed AdministratorAccess policy; attach a policy that grants only what this identity needs."


GUARDRAIL = Guardrail(
    name="aws-iam-policy-disallow-administrator-access",
    description="IAM policies (managed, inline, and a role's inline policies) never grant every action on every resource, and no identity gets the AWS-managed AdministratorAccess policy.",
    severity="critical",
    resource_types=tuple(dict.fromkeys((*IDENTITY_POLICIES, *ATTACHING_TYPES))),
    remediation_steps="Replace Action '*' (or NotAction) on Resource '*' with the actions and resources the identity needs; detach AdministratorAccess.",
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
    check=all_of(
        document_check(
            "IAM policy",
            lambda document, config, unknown_pins: administrator_access(document),
            "grant the actions and resources the identity needs instead.",
        ),
        lambda props, config: attached_administrator_access(props),
    ),
    resolves_references=True,
)
