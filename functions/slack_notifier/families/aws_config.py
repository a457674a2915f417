"""AWS Config: compliance changes through EventBridge, and what the delivery channel sends to its SNS
topic (configuration item changes, rule evaluations, snapshot and history deliveries, oversized
items). The stack should not send the delivery channel's stream to people; a notifier that receives
it anyway summarises each message instead of dumping it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .. import links
from ..links import part
from ..notice import Color, Notice
from .base import Origin, card, dig, joined, listed, mapping, text

COMPLIANCE_STYLE = {
    "NON_COMPLIANT": (Color.ALARM, ":red_circle:", "medium"),
    "COMPLIANT": (Color.OK, ":large_green_circle:", "info"),
}


def _compliance(
    detail: Mapping[str, Any], origin: Origin, *, time: str, source: str, account: str, region: str
) -> Notice:
    rule = text(detail.get("configRuleName"))
    new = text(dig(detail, "newEvaluationResult", "complianceType"))
    old = text(dig(detail, "oldEvaluationResult", "complianceType"))
    color, emoji, severity = COMPLIANCE_STYLE.get(new, (Color.NEUTRAL, ":grey_question:", "low"))
    resource = joined(text(detail.get("resourceType")), text(detail.get("resourceId")))
    region = text(detail.get("awsRegion")) or region or origin.region
    url = origin.console("config", f"/rules/details?configRuleName={part(rule)}", region=region)
    return Notice(
        title=f"{emoji} {new or 'UNKNOWN'}: {resource} under Config rule {rule}",
        color=color,
        summary=text(dig(detail, "newEvaluationResult", "annotation")),
        fields=(
            ("Rule", rule),
            ("Resource", resource),
            ("Compliance", f"{old} → {new}" if old else new),
            ("Account", text(detail.get("awsAccountId")) or account),
            ("Region", region),
            ("Time", time),
            ("Source", source),
        ),
        link=("Open the rule in AWS Config", url) if url else None,
        context=origin.footer,
        severity=severity,
        source=source,
    )


def config_compliance(event: Mapping[str, Any], origin: Origin) -> Notice:
    """`Config Rules Compliance Change` events."""
    return _compliance(
        mapping(event.get("detail")),
        origin,
        time=text(event.get("time")),
        source=text(event.get("source")),
        account=text(event.get("account")),
        region=text(event.get("region")),
    )


# --- the delivery channel's SNS notifications -------------------------------------------------------

OVERSIZED = "OversizedConfigurationItemChangeNotification"


def is_config_notification(message: Any, origin: Origin) -> bool:
    """Config's notifications carry `messageType`; the oversized one arrives as text around its JSON."""
    if isinstance(message, str):
        return OVERSIZED in message and "{" in message
    return (
        isinstance(message, Mapping)
        and isinstance(message.get("messageType"), str)
        and ("notificationCreationTime" in message or "recordVersion" in message or "configurationItem" in message)
    )


def _embedded(message: str) -> Mapping[str, Any]:
    """The first JSON object in a text notification ({} when there is none)."""
    try:
        found, _ = json.JSONDecoder().raw_decode(message[message.index("{") :])
    except ValueError:
        return {}
    return mapping(found)


def _timeline(origin: Origin, resource_type: str, resource_id: str, region: str) -> tuple[str, str | None]:
    url = (
        origin.console("config", f"/timeline/{part(resource_type)}/{part(resource_id)}", region=region)
        if resource_type and resource_id
        else None
    )
    return "Open the resource timeline in AWS Config", url


def config_notification(message: Any, origin: Origin) -> Notice:
    note = _embedded(message) if isinstance(message, str) else mapping(message)
    kind = text(note.get("messageType")) or OVERSIZED
    if kind == "ComplianceChangeNotification":
        return _compliance(
            note,
            origin,
            time=text(note.get("notificationCreationTime")),
            source="aws.config",
            account="",
            region=origin.region,
        )
    item = note.get("configurationItem") or note.get("configurationItemSummary")
    item = mapping(item[0] if isinstance(item, list) and item else item)
    region = text(item.get("awsRegion"))
    region = region if links.valid_region(region) else origin.region  # IAM items say "global"
    resource_type, resource_id = text(item.get("resourceType")), text(item.get("resourceId"))
    resource = joined(resource_type, text(item.get("resourceName")) or resource_id)
    change = text(dig(note, "configurationItemDiff", "changeType") or item.get("changeType"))
    changed = list(mapping(dig(note, "configurationItemDiff", "changedProperties")))
    bucket, key = text(note.get("s3Bucket")), text(note.get("s3ObjectKey"))
    where = text(dig(note, "s3DeliverySummary", "s3BucketLocation")) or (f"s3://{bucket}/{key}" if bucket else "")
    failure = joined(
        text(dig(note, "s3DeliverySummary", "errorCode")),
        text(dig(note, "s3DeliverySummary", "errorMessage")) or text(note.get("failureMessage")),
        sep=": ",
    )
    rules = note.get("configRuleNames")
    headlines = {
        "ConfigurationItemChangeNotification": f"Config recorded {change or 'a change'}: {resource}",
        OVERSIZED: f"Config recorded {change or 'a change'} (oversized item): {resource}",
        "ConfigRulesEvaluationStarted": f"Config rule evaluation started ({len(rules) if isinstance(rules, list) else 0} rules)",
    }
    failed = kind.endswith("Failed") or bool(failure)
    return card(
        note,
        origin,
        headline=headlines.get(kind, f"Config {_words(kind)}"),
        severity="medium" if failed else "info",
        fields=[
            ("Notification", kind),
            ("Resource", resource),
            ("Change", change),
            ("Changed properties", listed(changed)),
            ("Item status", text(item.get("configurationItemStatus"))),
            ("Captured at", text(item.get("configurationItemCaptureTime"))),
            ("Rules", listed([text(r) for r in rules]) if isinstance(rules, list) else ""),
            ("Snapshot", text(note.get("configSnapshotId"))),
            ("Delivered to", where),
            ("Failure", failure),
            ("Account", text(item.get("awsAccountId") or note.get("awsAccountId"))),
            ("Region", text(item.get("awsRegion") or note.get("awsRegion"))),
            ("Time", text(note.get("notificationCreationTime") or note.get("NotificationCreateTime"))),
        ],
        link=_timeline(origin, resource_type, resource_id, region),
        source="aws.config",
    )


def _words(kind: str) -> str:
    """`ConfigurationSnapshotDeliveryCompleted` → `configuration snapshot delivery completed`."""
    return "".join(f" {c.lower()}" if c.isupper() else c for c in kind).strip()
