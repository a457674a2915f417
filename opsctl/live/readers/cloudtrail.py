"""CloudTrail trails homed in the region, with whether they log. A multi-region trail homed
elsewhere is noted: it covers this region, though its log group lives in its home region."""

from __future__ import annotations

from collections.abc import Iterator

from policies.guardrails.tokens import TRAIL

from ..accounts import Account
from ..inventory import Inventory, LiveResource, Source

COVERED = "multiRegionTrailElsewhere"


def read(account: Account, region: str, inventory: Inventory) -> Iterator[LiveResource]:
    client = account.client("cloudtrail", region)
    for trail in client.describe_trails(includeShadowTrails=True)["trailList"]:
        if trail.get("HomeRegion", region) != region:
            if trail.get("IsMultiRegionTrail"):
                inventory.notes[COVERED] = trail["Name"]
            continue
        status = client.get_trail_status(Name=trail["TrailARN"])
        props = {
            "name": trail["Name"],
            "arn": trail["TrailARN"],
            "isMultiRegionTrail": trail.get("IsMultiRegionTrail", False),
            "enableLogFileValidation": trail.get("LogFileValidationEnabled", False),
            "includeGlobalServiceEvents": trail.get("IncludeGlobalServiceEvents", False),
            "isOrganizationTrail": trail.get("IsOrganizationTrail", False),
            "enableLogging": status.get("IsLogging", False),
            "s3BucketName": trail.get("S3BucketName", ""),
        }
        for wire, api in (
            ("kmsKeyId", "KmsKeyId"),
            ("cloudWatchLogsGroupArn", "CloudWatchLogsLogGroupArn"),
            ("cloudWatchLogsRoleArn", "CloudWatchLogsRoleArn"),
            ("snsTopicName", "SnsTopicName"),
        ):
            if trail.get(api):
                props[wire] = trail[api]
        yield LiveResource(TRAIL, trail["Name"], trail["TrailARN"], props, region)


SOURCE = Source("cloudtrail", (TRAIL,), read)
