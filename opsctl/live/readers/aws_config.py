"""AWS Config: the configuration recorder, whether it records, and its delivery channel. A recorder
that leaves out global resource types is judged against the account's home region for them: the
region whose recorder records them, found once per account (the program records them in one region,
awsConfig.homeRegion)."""

from __future__ import annotations

from collections.abc import Iterator

from botocore.exceptions import BotoCoreError, ClientError

from policies.guardrails.vocabulary.tokens import CONFIG_DELIVERY_CHANNEL, CONFIG_RECORDER, CONFIG_RECORDER_STATUS

from ...engine import EngineError
from ..accounts import Account, enabled_regions
from ..inventory import Inventory, LiveResource, Source

GLOBAL_TYPES_HOME = "globalResourceTypesHome"
"""Note: the region of the account whose recorder records global resource types."""


def records_global_types(client) -> bool:
    recorders = client.describe_configuration_recorders().get("ConfigurationRecorders", [])
    return any(r.get("recordingGroup", {}).get("includeGlobalResourceTypes") for r in recorders)


def global_types_home(account: Account, region: str) -> str | None:
    """The first region (by name) whose recorder records global resource types; None when none
    does, or none that can be read."""
    try:
        regions = enabled_regions(account, region)
    except EngineError:
        return None  # ec2:DescribeRegions denied: no other region is known to record them
    for candidate in regions:
        try:
            if records_global_types(account.client("config", candidate)):
                return candidate
        except (ClientError, BotoCoreError):
            continue  # a region the caller may not read proves nothing either way
    return None


def read(account: Account, region: str, inventory: Inventory) -> Iterator[LiveResource]:
    client = account.client("config", region)
    for recorder in client.describe_configuration_recorders().get("ConfigurationRecorders", []):
        group = recorder.get("recordingGroup", {})
        if not group.get("includeGlobalResourceTypes"):
            home = account.fact(GLOBAL_TYPES_HOME, lambda: global_types_home(account, region))
            if home:
                inventory.notes[GLOBAL_TYPES_HOME] = home
        props = {
            "name": recorder["name"],
            "region": region,
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
