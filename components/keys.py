"""Customer-managed KMS key shared by the baseline's logs, topics and audit stores."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .policy_documents import Account, key_policy, to_json

DELETION_WINDOW_DAYS = 30


@dataclass(frozen=True)
class EncryptionKeysArgs:
    account: pulumi.Output[Account]
    """Account, region and partition the key policy is scoped to."""
    alias: str
    """Alias name, e.g. `alias/ops-prod`."""
    services: tuple[str, ...]
    """Services allowed to use the key (see policy_documents.KEY_USERS)."""
    description: str = "ops-baseline: logs, alerting and audit data"
    region: str | None = None
    """Region of the key when not the stack's (billing alarms live in us-east-1)."""


class EncryptionKeys(pulumi.ComponentResource):
    key_arn: pulumi.Output[str]
    """ARN of the customer-managed key."""
    key_id: pulumi.Output[str]
    alias_name: pulumi.Output[str]

    def __init__(self, name: str, args: EncryptionKeysArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ops-baseline:keys:EncryptionKeys", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        self.key = aws.kms.Key(
            f"{name}-key",
            description=args.description,
            enable_key_rotation=True,
            deletion_window_in_days=DELETION_WINDOW_DAYS,
            policy=args.account.apply(lambda account: to_json(key_policy(account, args.services))),
            region=args.region,
            opts=child,
        )
        self.alias = aws.kms.Alias(
            f"{name}-alias", name=args.alias, target_key_id=self.key.key_id, region=args.region, opts=child
        )

        self.key_arn = self.key.arn
        self.key_id = self.key.key_id
        self.alias_name = self.alias.name
        self.register_outputs({"key_arn": self.key_arn, "alias_name": self.alias_name})
