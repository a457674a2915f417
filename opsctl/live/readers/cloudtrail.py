"""CloudTrail trails homed in the region, with whether they log and which events they record. A
multi-region trail homed elsewhere covers this region only while it logs and records every read
and write management event: its status and selectors are read in its home region, so auditing one
region alone still finds a stopped home trail."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from policies.guardrails.props import Props
from policies.guardrails.rules.cloudtrail.multi_region import management_events_gaps
from policies.guardrails.vocabulary.tokens import TRAIL

from ..accounts import Account
from ..inventory import Inventory, LiveResource, Source

COVERED = "multiRegionTrailElsewhere"
"""Note: the name of a logging multi-region trail homed in another region that records management events."""
UNCOVERED = "multiRegionTrailsNotCovering"
"""Note: (trail ARN, home region, why) of multi-region trails homed elsewhere that do not cover the region."""

FIELD_OPERATORS = (
    ("equals", "Equals"),
    ("notEquals", "NotEquals"),
    ("startsWiths", "StartsWith"),
    ("notStartsWiths", "NotStartsWith"),
    ("endsWiths", "EndsWith"),
    ("notEndsWiths", "NotEndsWith"),
)


def selectors(client: Any, arn: str) -> dict[str, Any]:
    """The trail's event selectors in the wire form of pulumi-aws's Trail inputs."""
    answer = client.get_event_selectors(TrailName=arn)
    if answer.get("AdvancedEventSelectors"):
        return {
            "advancedEventSelectors": [
                {
                    **({"name": s["Name"]} if s.get("Name") else {}),
                    "fieldSelectors": [
                        {"field": f["Field"], **{wire: f[api] for wire, api in FIELD_OPERATORS if f.get(api)}}
                        for f in s.get("FieldSelectors", [])
                    ],
                }
                for s in answer["AdvancedEventSelectors"]
            ]
        }
    return {
        "eventSelectors": [
            {
                "readWriteType": s.get("ReadWriteType", "All"),
                "includeManagementEvents": s.get("IncludeManagementEvents", True),
                "excludeManagementEventSources": s.get("ExcludeManagementEventSources", []),
            }
            for s in answer.get("EventSelectors", [])
        ]
    }


def covering_gap(account: Account, trail: dict[str, Any]) -> str:
    """Why a multi-region trail homed elsewhere does not cover other regions ("" when it does)."""
    home = account.client("cloudtrail", trail["HomeRegion"])
    if not home.get_trail_status(Name=trail["TrailARN"]).get("IsLogging", False):
        return "is not logging"
    gaps = management_events_gaps(Props(selectors(home, trail["TrailARN"])))
    return f"does not record every read and write management event ({'; '.join(gaps)})" if gaps else ""


def read(account: Account, region: str, inventory: Inventory) -> Iterator[LiveResource]:
    client = account.client("cloudtrail", region)
    not_covering: list[tuple[str, str, str]] = []
    for trail in client.describe_trails(includeShadowTrails=True)["trailList"]:
        if trail.get("HomeRegion", region) != region:
            if trail.get("IsMultiRegionTrail") and COVERED not in inventory.notes:
                gap = covering_gap(account, trail)
                if gap:
                    not_covering.append((trail["TrailARN"], trail["HomeRegion"], gap))
                else:
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
            **selectors(client, trail["TrailARN"]),
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
    if not_covering and COVERED not in inventory.notes:
        inventory.notes[UNCOVERED] = not_covering


SOURCE = Source("cloudtrail", (TRAIL,), read)
