"""AWS-managed policies attached to IAM identities, in every pulumi-aws v7 spelling: an attachment's
`policyArn` (RolePolicyAttachment, UserPolicyAttachment, GroupPolicyAttachment, PolicyAttachment),
a role's `managedPolicyArns`, and the exclusive attachment sets' `policyArns`
(RolePolicyAttachmentsExclusive and its user and group twins), and IAM Identity Center's
`managedPolicyArn` / `managedPolicyArns` on a permission set, which becomes an IAM role with those
policies in every account it is assigned to. RolePoliciesExclusive and its twins name inline
policies, whose documents the document rules judge, so they attach nothing here; a permission
set's customer-managed policies and boundary are named by name (see `permission_sets`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .props import UNKNOWN, Props, text
from .vocabulary.tokens import (
    IAM_GROUP_POLICY_ATTACHMENT,
    IAM_GROUP_POLICY_ATTACHMENTS_EXCLUSIVE,
    IAM_POLICY,
    IAM_POLICY_ATTACHMENT,
    IAM_ROLE,
    IAM_ROLE_POLICY_ATTACHMENT,
    IAM_ROLE_POLICY_ATTACHMENTS_EXCLUSIVE,
    IAM_USER_POLICY_ATTACHMENT,
    IAM_USER_POLICY_ATTACHMENTS_EXCLUSIVE,
    SSO_MANAGED_POLICY_ATTACHMENT,
    SSO_MANAGED_POLICY_ATTACHMENTS_EXCLUSIVE,
)

ATTACHING_TYPES = (
    IAM_ROLE,
    IAM_POLICY_ATTACHMENT,
    IAM_ROLE_POLICY_ATTACHMENT,
    IAM_USER_POLICY_ATTACHMENT,
    IAM_GROUP_POLICY_ATTACHMENT,
    IAM_ROLE_POLICY_ATTACHMENTS_EXCLUSIVE,
    IAM_USER_POLICY_ATTACHMENTS_EXCLUSIVE,
    IAM_GROUP_POLICY_ATTACHMENTS_EXCLUSIVE,
    SSO_MANAGED_POLICY_ATTACHMENT,
    SSO_MANAGED_POLICY_ATTACHMENTS_EXCLUSIVE,
)
"""Types that attach managed policies to a role, user, group or permission set."""

AWS_MANAGED_ARN = re.compile(r"^arn:aws[a-z-]*:iam::aws:policy/(?P<name>(?:[^/]+/)*[^/]+)$")
"""An AWS-managed policy in any partition (`arn:aws:`, `arn:aws-us-gov:`, `arn:aws-cn:`), with its
path: `AdministratorAccess`, `job-function/SystemAdministrator`, `service-role/AWS_ConfigRole`."""


def attachment_paths(props: Props) -> list[str]:
    """Where the resource names policy ARNs; a list that is unknown as a whole is left undecided."""
    paths = ["policyArn", "managedPolicyArn"]
    for list_prop in ("managedPolicyArns", "policyArns"):
        count = props.count(list_prop)
        paths += [f"{list_prop}[{i}]" for i in range(count if isinstance(count, int) else 0)]
    return paths


def aws_managed_policies(props: Props) -> Iterator[tuple[str, str]]:
    """(prop path, policy path and name) of each AWS-managed policy the resource attaches. An
    unknown ARN computed only from IAM policies of this stack is a customer-managed policy, whose
    document the document rules judge; any other unknown ARN leaves the verdict undecided."""
    for path in attachment_paths(props):
        arn = props.get(path)
        if arn is UNKNOWN:
            props.resolved(path, IAM_POLICY)
        elif text(arn) and (managed := AWS_MANAGED_ARN.match(arn)):
            yield path, managed["name"]
