"""SNS topics with their encryption and access policy, and their subscriptions' protocols."""

from __future__ import annotations

from collections.abc import Iterator

from policies.guardrails.vocabulary.tokens import SNS_SUBSCRIPTION, SNS_TOPIC

from ..accounts import Account
from ..inventory import Inventory, LiveResource, Source, pages


def read(account: Account, region: str, inventory: Inventory) -> Iterator[LiveResource]:
    client = account.client("sns", region)
    for topic in pages(client, "list_topics", "Topics"):
        arn = topic["TopicArn"]
        attributes = client.get_topic_attributes(TopicArn=arn)["Attributes"]
        name = arn.rsplit(":", 1)[-1]
        props = {"name": name, "arn": arn, "policy": attributes.get("Policy", "")}
        if attributes.get("KmsMasterKeyId"):
            props["kmsMasterKeyId"] = attributes["KmsMasterKeyId"]
        yield LiveResource(SNS_TOPIC, name, arn, props, region)
    for subscription in pages(client, "list_subscriptions", "Subscriptions"):
        arn = subscription["SubscriptionArn"]  # "PendingConfirmation" until the endpoint confirms
        props = {"topic": subscription["TopicArn"], "protocol": subscription["Protocol"]}
        name = f"{subscription['TopicArn'].rsplit(':', 1)[-1]}/{subscription['Protocol']}:{subscription.get('Endpoint', '')}"
        yield LiveResource(SNS_SUBSCRIPTION, name, arn, props, region)


SOURCE = Source("sns", (SNS_TOPIC, SNS_SUBSCRIPTION), read)
