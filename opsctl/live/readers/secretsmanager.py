"""Secrets Manager secrets, their key, their rotation and their resource policy."""

from __future__ import annotations

from collections.abc import Iterator

from policies.guardrails.vocabulary.tokens import SECRET, SECRET_POLICY, SECRET_ROTATION

from ..accounts import Account
from ..inventory import Inventory, LiveResource, Source, pages


def read(account: Account, region: str, inventory: Inventory) -> Iterator[LiveResource]:
    client = account.client("secretsmanager", region)
    for secret in pages(client, "list_secrets", "SecretList"):
        name, arn = secret["Name"], secret["ARN"]
        props = {"name": name, "arn": arn, "id": arn}
        if secret.get("KmsKeyId"):
            props["kmsKeyId"] = secret["KmsKeyId"]
        yield LiveResource(SECRET, name, arn, props, region)
        policy = client.get_resource_policy(SecretId=arn).get("ResourcePolicy")
        if policy:
            yield LiveResource(SECRET_POLICY, name, arn, {"secretArn": arn, "policy": policy}, region)
        if secret.get("RotationEnabled"):
            rules = secret.get("RotationRules", {})
            rotation = {
                "secretId": arn,
                "rotationEnabled": True,
                "rotationRules": {
                    key: rules[api]
                    for key, api in (
                        ("automaticallyAfterDays", "AutomaticallyAfterDays"),
                        ("scheduleExpression", "ScheduleExpression"),
                    )
                    if api in rules
                },
            }
            if secret.get("RotationLambdaARN"):
                rotation["rotationLambdaArn"] = secret["RotationLambdaARN"]
            yield LiveResource(SECRET_ROTATION, name, arn, rotation, region)


SOURCE = Source("secretsmanager", (SECRET, SECRET_ROTATION, SECRET_POLICY), read)
