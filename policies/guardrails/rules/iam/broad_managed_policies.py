"""No identity gets an AWS-managed policy that grants a whole service (`...FullAccess`) or nearly
everything (`PowerUserAccess`): the attached counterpart of the inline `service:*` guardrail.
AdministratorAccess is the administrator-access guardrail's."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Mapping
from typing import Any

from ...attachments import ATTACHING_TYPES, aws_managed_policies
from ...live import LiveAudit
from ...model import Guardrail, Parameter, References
from ...props import Props
from ...vocabulary.tokens import (
    IAM_GROUP_POLICY_ATTACHMENTS_EXCLUSIVE,
    IAM_ROLE_POLICY_ATTACHMENTS_EXCLUSIVE,
    IAM_USER_POLICY_ATTACHMENTS_EXCLUSIVE,
)

BROAD_POLICIES = "broadPolicies"


def matching(policy: str, patterns: list[str]) -> str | None:
    """The first pattern that names the policy: a pattern with a `/` is matched against the policy's
    path and name (`job-function/SystemAdministrator`), any other against its name alone."""
    name = policy.rsplit("/", 1)[-1]
    return next((p for p in patterns if fnmatch.fnmatchcase(policy if "/" in p else name, p)), None)


def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
    for path, policy in aws_managed_policies(props):
        pattern = matching(policy, config[BROAD_POLICIES])
        if pattern:
            named = "" if pattern == policy else f" (broadPolicies: {pattern})"
            yield (
                f"{path} attaches the AWS-managed {policy} policy{named}; attach a customer-managed policy "
                "with the actions and resources this identity needs."
            )


GUARDRAIL = Guardrail(
    name="aws-iam-policyattachment-disallow-broad-managed-policies",
    description="No role, user or group gets an AWS-managed policy that grants a whole service (…FullAccess) or every service but IAM (PowerUserAccess).",
    severity="medium",
    resource_types=ATTACHING_TYPES,
    remediation_steps="Replace the attachment with a customer-managed policy (or an inline one) that lists the actions and resources the identity uses; IAM Access Analyzer can generate one from its CloudTrail activity.",
    references=References(checkov=("CKV2_AWS_56",)),
    check=check,
    resolves_references=True,
    parameters=(
        Parameter(
            BROAD_POLICIES,
            {
                "type": "array",
                "items": {"type": "string", "minLength": 1},
                "default": ["*FullAccess", "PowerUserAccess"],
            },
            "AWS-managed policy names (wildcards; with a `/`, path and name, e.g. `job-function/*`) that no identity may get. AWS Config's IAM_POLICY_BLACKLISTED_CHECK takes exact ARNs and checks AdministratorAccess alone by default, which the administrator-access guardrail covers.",
        ),
    ),
    audit=LiveAudit(
        types=(
            IAM_ROLE_POLICY_ATTACHMENTS_EXCLUSIVE,
            IAM_USER_POLICY_ATTACHMENTS_EXCLUSIVE,
            IAM_GROUP_POLICY_ATTACHMENTS_EXCLUSIVE,
        )
    ),
)
