"""X-Ray encryption of traces."""

from __future__ import annotations

from collections.abc import Iterator

from policies.guardrails.vocabulary.tokens import XRAY_ENCRYPTION

from ..accounts import Account
from ..inventory import Inventory, LiveResource, Source


def read(account: Account, region: str, inventory: Inventory) -> Iterator[LiveResource]:
    config = account.client("xray", region).get_encryption_config()["EncryptionConfig"]
    props = {"type": config.get("Type", "NONE"), **({"keyId": config["KeyId"]} if config.get("KeyId") else {})}
    yield LiveResource(XRAY_ENCRYPTION, "xray-encryption", f"{account.id}:{region}", props, region)


SOURCE = Source("xray", (XRAY_ENCRYPTION,), read)
