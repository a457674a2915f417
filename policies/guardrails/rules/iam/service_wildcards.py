"""Identity policies name actions, not every action of a service: `kms:*`, `*` (every service's)
or NotAction (all but some), on any resource, as AWS Config's full-access rule and IAM.21 judge
them (see `documents.service_wide_actions`)."""

from __future__ import annotations

from ...checks import document_check
from ...documents import service_wide_actions
from ...model import ConfigRule, Guardrail, References
from ...tokens import IAM_GROUP_POLICY, IAM_POLICY, IAM_ROLE, IAM_ROLE_POLICY, IAM_USER_POLICY

GUARDRAIL = Guardrail(
    name="aws-iam-policy-disallow-service-wildcards",
    description="IAM policies do not allow every action of a service (kms:*, s3:*, * or a NotAction list), on any resource.",
    severity="medium",
    resource_types=(IAM_POLICY, IAM_ROLE_POLICY, IAM_USER_POLICY, IAM_GROUP_POLICY, IAM_ROLE),
    remediation_steps="List the service's actions the identity needs (e.g. kms:Decrypt, kms:GenerateDataKey) instead of <service>:*, * or NotAction.",
    references=References(
        config_rule=ConfigRule(
            "IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS",
            static_parameters={"excludePermissionBoundaryPolicy": "true"},
            covers=(IAM_POLICY,),
        ),
        security_hub=("IAM.21",),
    ),
    check=document_check(
        "IAM policy",
        lambda document, config, unknown_pins: service_wide_actions(document),
        "list the actions the identity needs instead.",
    ),
    resolves_references=True,
)
