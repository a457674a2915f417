"""Customer-managed KMS key shared by the baseline's logs, topics and audit stores."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from plan.alerting import Key

from .documents import Account, key_policy, to_json

DELETION_WINDOW_DAYS = 30
DESCRIPTION = "ops-baseline: logs, alerting and audit data"


@dataclass(frozen=True)
class EncryptionKeysArgs:
    account: pulumi.Output[Account]
    """Account, region and partition the key policy is scoped to."""
    key: Key
    """Its alias, the services allowed to use it (see documents.KEY_USERS) and its region when not the stack's."""


class EncryptionKeys(pulumi.ComponentResource):
    key_arn: pulumi.Output[str]
    """ARN of the customer-managed key."""
    key_id: pulumi.Output[str]
    alias_name: pulumi.Output[str]

    def __init__(self, name: str, args: EncryptionKeysArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ops-baseline:keys:EncryptionKeys", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        key = args.key
        self.key = aws.kms.Key(
            f"{name}-key",
            description=DESCRIPTION,
            enable_key_rotation=True,
            deletion_window_in_days=DELETION_WINDOW_DAYS,
            policy=args.account.apply(lambda account: to_json(key_policy(account, key.services))),
            region=key.region,
            opts=child,
        )
        self.alias = aws.kms.Alias(
            f"{name}-alias", name=key.alias, target_key_id=self.key.key_id, region=key.region, opts=child
        )

        self.key_arn = self.key.arn
        self.key_id = self.key.key_id
        self.alias_name = self.alias.name
        self.register_outputs({"key_arn": self.key_arn, "alias_name": self.alias_name})
