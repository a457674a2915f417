"""Kinesis data streams and their server-side encryption."""

from __future__ import annotations

from collections.abc import Iterator

from policies.guardrails.vocabulary.tokens import KINESIS_STREAM

from ..accounts import Account
from ..inventory import Inventory, LiveResource, Source, pages


def read(account: Account, region: str, inventory: Inventory) -> Iterator[LiveResource]:
    client = account.client("kinesis", region)
    for summary in pages(client, "list_streams", "StreamSummaries"):
        name = summary["StreamName"]
        stream = client.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
        props = {"name": name, "arn": stream["StreamARN"], "encryptionType": stream.get("EncryptionType", "NONE")}
        if stream.get("KeyId"):
            props["kmsKeyId"] = stream["KeyId"]
        yield LiveResource(KINESIS_STREAM, name, stream["StreamARN"], props, region)


SOURCE = Source("kinesis", (KINESIS_STREAM,), read)
