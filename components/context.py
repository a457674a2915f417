"""The account, region and partition the program deploys into, resolved once from the provider."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from .documents import Account


def current_account(region: str) -> pulumi.Output[Account]:
    identity = aws.get_caller_identity_output()
    partition = aws.get_partition_output()
    return pulumi.Output.all(identity.account_id, partition.partition).apply(
        lambda values: Account(account_id=values[0], region=region, partition=values[1])
    )
