"""EC2 Auto Scaling: an instance that could not be launched or terminated."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..links import part
from ..notice import Notice
from .base import Origin, card, joined, mapping, text

LAUNCH = "EC2 Instance Launch Unsuccessful"


def scaling_unsuccessful(event: Mapping[str, Any], origin: Origin) -> Notice:
    """A failed launch leaves the group short of capacity (high); a failed termination costs money (medium)."""
    detail = mapping(event.get("detail"))
    group = text(detail.get("AutoScalingGroupName"))
    launch = text(event.get("detail-type")) == LAUNCH
    where = mapping(detail.get("Details"))
    url = origin.console(
        "ec2", f"AutoScalingGroupDetails:id={part(group)}", region=text(event.get("region")) or origin.region
    )
    return card(
        event,
        origin,
        headline=f"Auto Scaling could not {'launch' if launch else 'terminate'} an instance in {group}",
        severity="high" if launch else "medium",
        summary=text(detail.get("StatusMessage")),
        fields=[
            ("Group", group),
            ("Status", text(detail.get("StatusCode"))),
            ("Instance", text(detail.get("EC2InstanceId"))),
            ("Cause", text(detail.get("Cause"))),
            ("Where", joined(text(where.get("Availability Zone")), text(where.get("Subnet ID")), sep=", ")),
            ("Activity", text(detail.get("ActivityId"))),
            ("Started", text(detail.get("StartTime"))),
        ],
        link=("Open the group in EC2 Auto Scaling", url),
    )
