"""An IAM role for a service principal with one inline least-privilege policy."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from .documents import Account, assume_role_policy, to_json


def service_role(
    name: str,
    *,
    role_name: str,
    service: str,
    account: pulumi.Output[Account],
    policy: pulumi.Input[dict],
    opts: pulumi.ResourceOptions,
    source_arns: pulumi.Input[list[str]] | None = None,
) -> tuple[aws.iam.Role, aws.iam.RolePolicy]:
    """`{name}-role` trusted by `service` of this account only (and only for `source_arns`, the
    resources that act through it, when given), and `{name}-role-policy` holding `policy`."""
    role = aws.iam.Role(
        f"{name}-role",
        name=role_name,
        assume_role_policy=pulumi.Output.all(account, source_arns or []).apply(
            lambda v: to_json(assume_role_policy(service, v[0], v[1]))
        ),
        opts=opts,
    )
    role_policy = aws.iam.RolePolicy(
        f"{name}-role-policy",
        role=role.id,
        policy=pulumi.Output.from_input(policy).apply(to_json),
        opts=opts,
    )
    return role, role_policy
