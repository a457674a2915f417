"""IAM, read once per account: the managed policies attached to each role, user and group, as the
exclusive attachment set (`RolePolicyAttachmentsExclusive` and its twins) that would declare them
all. Service-linked roles are left out: AWS attaches their policies and no one can detach them."""

from __future__ import annotations

from collections.abc import Iterator

from policies.guardrails.vocabulary.tokens import (
    IAM_GROUP_POLICY_ATTACHMENTS_EXCLUSIVE,
    IAM_ROLE_POLICY_ATTACHMENTS_EXCLUSIVE,
    IAM_USER_POLICY_ATTACHMENTS_EXCLUSIVE,
)

from ..accounts import Account
from ..inventory import Inventory, LiveResource, Source, pages

SERVICE_LINKED = "/aws-service-role/"

IDENTITIES = (
    # (listing, its key, name field, attached-policies listing, the set's type, its prop naming the identity)
    (
        "list_roles",
        "Roles",
        "RoleName",
        "list_attached_role_policies",
        IAM_ROLE_POLICY_ATTACHMENTS_EXCLUSIVE,
        "roleName",
    ),
    (
        "list_users",
        "Users",
        "UserName",
        "list_attached_user_policies",
        IAM_USER_POLICY_ATTACHMENTS_EXCLUSIVE,
        "userName",
    ),
    (
        "list_groups",
        "Groups",
        "GroupName",
        "list_attached_group_policies",
        IAM_GROUP_POLICY_ATTACHMENTS_EXCLUSIVE,
        "groupName",
    ),
)


def read(account: Account, region: str, inventory: Inventory) -> Iterator[LiveResource]:
    client = account.client("iam", region)
    for listing, key, name_field, attached, type_, prop in IDENTITIES:
        for identity in pages(client, listing, key):
            if identity.get("Path", "/").startswith(SERVICE_LINKED):
                continue
            name = identity[name_field]
            arns = [p["PolicyArn"] for p in pages(client, attached, "AttachedPolicies", **{name_field: name})]
            if arns:
                yield LiveResource(type_, name, identity["Arn"], {prop: name, "policyArns": arns}, region)


SOURCE = Source("iam", tuple(t for *_, t, _ in IDENTITIES), read, scope="global")
