"""S3 event notifications (the `Records` S3 sends to SNS, or straight to the function): replication
failures first, every record summarised."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..links import part
from ..notice import SEVERITIES, Notice
from .base import Origin, card, dig, items, listed, mapping, text

REPLICATION_SEVERITY = {
    "Replication:OperationFailedReplication": "high",
    "Replication:OperationMissedThreshold": "medium",
    "Replication:OperationNotTracked": "low",
    "Replication:OperationReplicatedAfterThreshold": "low",
}


def _records(message: Any) -> list[Mapping[str, Any]]:
    if isinstance(message, Mapping) and message.get("eventSource") == "aws:s3":
        return [message]
    return [r for r in items(dig(message, "Records")) if r.get("eventSource") == "aws:s3"]


def is_s3_notification(message: Any, origin: Origin) -> bool:
    is_test = isinstance(message, Mapping) and message.get("Event") == "s3:TestEvent"
    return is_test or bool(_records(message))


def s3_notification(message: Mapping[str, Any], origin: Origin) -> Notice:
    records = _records(message)
    if not records:  # S3's test event, sent when a notification is configured
        bucket = text(message.get("Bucket"))
        return card(
            {},
            origin,
            headline=f"S3 test event for {bucket}",
            severity="info",
            fields=[("Bucket", bucket), ("Time", text(message.get("Time")))],
            source="aws.s3",
        )
    severities = [REPLICATION_SEVERITY.get(text(r.get("eventName")), "info") for r in records]
    top = records[min(range(len(records)), key=lambda i: SEVERITIES.index(severities[i]))]
    severity = min(severities, key=SEVERITIES.index)
    bucket = text(dig(top, "s3", "bucket", "name"))
    key = text(dig(top, "s3", "object", "key"))
    replication = mapping(top.get("replicationEventData"))
    name = text(top.get("eventName"))
    more = f" (and {len(records) - 1} more)" if len(records) > 1 else ""
    region = text(top.get("awsRegion")) or origin.region
    url = origin.page(f"s3/buckets/{part(bucket)}", region=region, query="tab=management") if bucket else None
    return card(
        {},
        origin,
        headline=f"S3 {name}: s3://{bucket}/{key}{more}",
        severity=severity,
        fields=[
            ("Event", name),
            ("Bucket", bucket),
            ("Object", key),
            ("Version", text(dig(top, "s3", "object", "versionId"))),
            ("Failure reason", text(replication.get("failureReason"))),
            ("Destination", text(replication.get("destinationBucket"))),
            ("Replication rule", text(replication.get("replicationRuleId"))),
            ("Operation", text(replication.get("s3Operation"))),
            ("Time", text(top.get("eventTime"))),
            ("Region", region),
            (
                "Also in this message",
                listed(
                    [
                        f"{text(r.get('eventName'))} {text(dig(r, 's3', 'object', 'key'))}"
                        for r in records
                        if r is not top
                    ]
                ),
            ),
        ],
        link=("Open the bucket's replication rules in S3", url),
        source="aws.s3",
    )
