"""KMS customer-managed keys: rotation and key policy (AWS-managed keys are AWS's to run). A key
pending deletion is read with its state and date only: what still uses it is the one question left
(the judge shows it to that guardrail alone)."""

from __future__ import annotations

from collections.abc import Iterator

from policies.guardrails.vocabulary.tokens import KMS_EXTERNAL_KEY, KMS_KEY, KMS_REPLICA_EXTERNAL_KEY, KMS_REPLICA_KEY

from ..accounts import Account
from ..inventory import Inventory, LiveResource, Source, pages


def key_type(metadata: dict) -> str:
    replica = metadata.get("MultiRegionConfiguration", {}).get("MultiRegionKeyType") == "REPLICA"
    external = metadata.get("Origin") == "EXTERNAL"
    if external:
        return KMS_REPLICA_EXTERNAL_KEY if replica else KMS_EXTERNAL_KEY
    return KMS_REPLICA_KEY if replica else KMS_KEY


def read(account: Account, region: str, inventory: Inventory) -> Iterator[LiveResource]:
    client = account.client("kms", region)
    for entry in pages(client, "list_keys", "Keys"):
        metadata = client.describe_key(KeyId=entry["KeyId"])["KeyMetadata"]
        if metadata.get("KeyManager") != "CUSTOMER":
            continue
        name = metadata.get("Description") or metadata["KeyId"]
        if metadata.get("KeyState") == "PendingDeletion":
            props = {
                "keyId": metadata["KeyId"],
                "arn": metadata["Arn"],
                "description": metadata.get("Description", ""),
                "name": name,
                "keyState": "PendingDeletion",
            }
            if metadata.get("DeletionDate"):
                props["deletionDate"] = metadata["DeletionDate"].date().isoformat()
            yield LiveResource(key_type(metadata), metadata["KeyId"], metadata["Arn"], props, region)
            continue
        spec = metadata.get("KeySpec") or metadata.get("CustomerMasterKeySpec") or "SYMMETRIC_DEFAULT"
        props = {
            "keyId": metadata["KeyId"],
            "arn": metadata["Arn"],
            "description": metadata.get("Description", ""),
            "customerMasterKeySpec": spec,
            "keyUsage": metadata.get("KeyUsage", "ENCRYPT_DECRYPT"),
            "policy": client.get_key_policy(KeyId=metadata["KeyId"], PolicyName="default")["Policy"],
        }
        if metadata.get("CustomKeyStoreId"):
            props["customKeyStoreId"] = metadata["CustomKeyStoreId"]
        if spec == "SYMMETRIC_DEFAULT" and metadata.get("Origin") == "AWS_KMS" and not metadata.get("CustomKeyStoreId"):
            props["enableKeyRotation"] = client.get_key_rotation_status(KeyId=metadata["KeyId"])["KeyRotationEnabled"]
        yield LiveResource(key_type(metadata), metadata["KeyId"], metadata["Arn"], {**props, "name": name}, region)


SOURCE = Source("kms", (KMS_KEY, KMS_REPLICA_KEY, KMS_EXTERNAL_KEY, KMS_REPLICA_EXTERNAL_KEY), read)
