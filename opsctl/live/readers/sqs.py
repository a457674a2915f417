"""SQS queues with their encryption and access policy."""

from __future__ import annotations

from collections.abc import Iterator

from policies.guardrails.vocabulary.tokens import SQS_QUEUE

from ..accounts import Account
from ..inventory import Inventory, LiveResource, Source, pages


def read(account: Account, region: str, inventory: Inventory) -> Iterator[LiveResource]:
    client = account.client("sqs", region)
    for url in pages(client, "list_queues", "QueueUrls"):
        attributes = client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        name = url.rsplit("/", 1)[-1]
        props = {
            "name": name,
            "arn": attributes.get("QueueArn", ""),
            "url": url,
            "sqsManagedSseEnabled": attributes.get("SqsManagedSseEnabled", "false") == "true",
        }
        if attributes.get("KmsMasterKeyId"):
            props["kmsMasterKeyId"] = attributes["KmsMasterKeyId"]
        if attributes.get("Policy"):
            props["policy"] = attributes["Policy"]
        yield LiveResource(SQS_QUEUE, name, props["arn"] or url, props, region)


SOURCE = Source("sqs", (SQS_QUEUE,), read)
