"""Systems Manager Run Command: command and invocation status, as EventBridge events or as the
notifications Run Command itself sends to an SNS topic."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..links import part
from ..notice import Notice
from .base import Origin, card, joined, listed, mapping, text

STATUS_SEVERITY = {
    "Failed": "high",
    "TimedOut": "high",
    "Delivery Timed Out": "high",
    "Execution Timed Out": "high",
    "Undeliverable": "medium",
    "Terminated": "medium",
    "Cancelled": "low",
}


def is_run_command_notification(message: Any, origin: Origin) -> bool:
    return isinstance(message, Mapping) and {"commandId", "documentName", "status"} <= message.keys()


def _command_card(source: Mapping[str, Any], origin: Origin, values: Mapping[str, Any], region: str) -> Notice:
    status = text(values.get("status"))
    detailed = text(values.get("detailedStatus"))
    command = text(values.get("commandId"))
    instances = values.get("instanceIds")
    instance = text(values.get("instanceId"))
    url = origin.page(f"systems-manager/run-command/{part(command)}", region=region) if command else None
    return card(
        source,
        origin,
        headline=f"Run Command {text(values.get('documentName'))}"
        + (f" on {instance}" if instance else "")
        + f": {status or 'changed'}",
        severity=STATUS_SEVERITY.get(status, STATUS_SEVERITY.get(detailed, "info")),
        succeeded=status == "Success",
        fields=[
            ("Document", text(values.get("documentName"))),
            ("Status", joined(status, f"({detailed})" if detailed and detailed != status else "")),
            ("Command", command),
            ("Instance", instance),
            ("Instances", listed([text(i) for i in instances]) if isinstance(instances, list) else ""),
            ("Requested", text(values.get("requestedDateTime"))),
            ("Output", joined(text(values.get("outputS3BucketName")), text(values.get("outputS3KeyPrefix")), sep="/")),
        ],
        link=("Open the command in Systems Manager", url),
        source="aws.ssm",
    )


def run_command_notification(message: Mapping[str, Any], origin: Origin) -> Notice:
    return _command_card(message, origin, message, origin.region)


def run_command_event(event: Mapping[str, Any], origin: Origin) -> Notice:
    """`EC2 Command Status-change Notification` and `EC2 Command Invocation Status-change Notification`."""
    detail = mapping(event.get("detail"))
    values = {
        "commandId": detail.get("command-id"),
        "documentName": detail.get("document-name"),
        "status": detail.get("status"),
        "instanceId": detail.get("instance-id"),
        "requestedDateTime": detail.get("requested-date-time"),
    }
    return _command_card(event, origin, values, text(event.get("region")) or origin.region)
