"""AWS Config: the configuration recorder, whether it records, and its delivery channel."""

from __future__ import annotations

from collections.abc import Iterator

from policies.guardrails.tokens import CONFIG_DELIVERY_CHANNEL, CONFIG_RECORDER, CONFIG_RECORDER_STATUS

from ..accounts import Account
from ..inventory import Inventory, LiveResource, Source


def read(account: Account, region: str, inventory: Inventory) -> Iterator[LiveResource]:
    client = account.client("config", region)
    for recorder in client.describe_configuration_recorders().get("ConfigurationRecorders", []):
        group = recorder.get("recordingGroup", {})
        props = {
            "name": recorder["name"],
            "roleArn": recorder.get("roleARN", ""),
            "recordingGroup": {
                "allSupported": group.get("allSupported", False),
                "includeGlobalResourceTypes": group.get("includeGlobalResourceTypes", False),
                "resourceTypes": group.get("resourceTypes", []),
            },
        }
        if recorder.get("recordingMode"):
            props["recordingMode"] = {"recordingFrequency": recorder["recordingMode"].get("recordingFrequency")}
        yield LiveResource(CONFIG_RECORDER, recorder["name"], recorder["name"], props, region)
    for status in client.describe_configuration_recorder_status().get("ConfigurationRecordersStatus", []):
        props = {
            "name": status["name"],
            "isEnabled": status.get("recording", False),
            "lastStatus": status.get("lastStatus", ""),
        }
        yield LiveResource(CONFIG_RECORDER_STATUS, status["name"], status["name"], props, region)
    for channel in client.describe_delivery_channels().get("DeliveryChannels", []):
        props = {"name": channel["name"], "s3BucketName": channel.get("s3BucketName", "")}
        for wire, api in (
            ("s3KeyPrefix", "s3KeyPrefix"),
            ("s3KmsKeyArn", "s3KmsKeyArn"),
            ("snsTopicArn", "snsTopicARN"),
        ):
            if channel.get(api):
                props[wire] = channel[api]
        yield LiveResource(CONFIG_DELIVERY_CHANNEL, channel["name"], channel["name"], props, region)


SOURCE = Source("config", (CONFIG_RECORDER, CONFIG_RECORDER_STATUS, CONFIG_DELIVERY_CHANNEL), read)
