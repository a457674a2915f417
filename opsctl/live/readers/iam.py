"""IAM, read once per account: the managed policies attached to each role, user and group, as the
pulumi-aws attachments that would have attached them. Service-linked roles are left out: AWS
attaches their policies and no one can detach them."""

from __future__ import annotations

from collections.abc import Iterator

from policies.guardrails.tokens import (
    IAM_GROUP_POLICY_ATTACHMENT,
    IAM_ROLE_POLICY_ATTACHMENT,
    IAM_USER_POLICY_ATTACHMENT,
)

from ..accounts import Account
from ..inventory import Inventory, LiveResource, Source, pages

SERVICE_LINKED = "/aws-service-role/"

IDENTITIES = (
    # (list call, its key, name field, attachment listing call, attachment type, prop naming the identity)
    ("list_roles", "Roles", "RoleName", "list_attached_role_policies", IAM_ROLE_POLICY_ATTACHMENT, "role"),
    ("list_users", "Users", "UserName", "list_attached_user_policies", IAM_USER_POLICY_ATTACHMENT, "user"),
    ("list_groups", "Groups", "GroupName", "list_attached_group_policies", IAM_GROUP_POLICY_ATTACHMENT, "group"),
)


def read(account: Account, region: str, inventory: Inventory) -> Iterator[LiveResource]:
    client = account.client("iam", region)
    for listing, key, name_field, attached, type_, prop in IDENTITIES:
        for identity in pages(client, listing, key):
            if identity.get("Path", "/").startswith(SERVICE_LINKED):
                continue
            name = identity[name_field]
            for policy in pages(client, attached, "AttachedPolicies", **{name_field: name}):
                props = {prop: name, "policyArn": policy["PolicyArn"]}
                yield LiveResource(type_, name, identity["Arn"], props, region)


SOURCE = Source(
    "iam", (IAM_ROLE_POLICY_ATTACHMENT, IAM_USER_POLICY_ATTACHMENT, IAM_GROUP_POLICY_ATTACHMENT), read, scope="global"
)
