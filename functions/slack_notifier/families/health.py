"""AWS Health events: issues, scheduled changes, account notifications."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import links
from ..links import part
from ..notice import Color, Notice
from .base import Origin, dig, event_fields, items, listed, mapping, text

HEALTH_STYLE = {
    "issue": (Color.ALARM, "high"),
    "scheduledChange": (Color.WARNING, "medium"),
    "accountNotification": (Color.NEUTRAL, "low"),
}


def health_event(event: Mapping[str, Any], origin: Origin) -> Notice:
    detail = mapping(event.get("detail"))
    category = text(detail.get("eventTypeCategory"))
    affected = [text(e.get("entityValue")) for e in items(detail.get("affectedEntities"))]
    event_arn = text(detail.get("eventArn"))
    color, severity = HEALTH_STYLE.get(category, (Color.INFO, "low"))
    url = links.checked(f"https://health.aws.amazon.com/health/home#/account/event-log?eventID={part(event_arn)}")
    return Notice(
        title=f":hospital: AWS Health {category or 'event'}: {text(detail.get('eventTypeCode')) or text(detail.get('service'))}",
        color=color,
        summary=text(dig(detail, "eventDescription", 0, "latestDescription")),
        fields=(
            ("Service", text(detail.get("service"))),
            ("Status", text(detail.get("statusCode"))),
            ("Start", text(detail.get("startTime"))),
            ("End", text(detail.get("endTime"))),
            ("Affected", listed(affected)),
            *event_fields(event),
        ),
        link=("Open in AWS Health", url) if event_arn and url else None,
        context=origin.footer,
        severity=severity,
        source=text(event.get("source")),
    )
