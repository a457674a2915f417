"""CloudTrail through EventBridge: API calls, console sign-ins (root and IAM users, MFA checks,
password changes, role switches) and AWS service events, IAM Identity Center sign-ins among them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..links import part
from ..notice import Color, Notice
from .base import Origin, dig, event_fields, joined, mapping, text

SIGN_IN = "AWS Console Sign In via CloudTrail"
SERVICE_EVENT = "AWS Service Event via CloudTrail"
SIGN_IN_ACTIONS = {
    "ConsoleLogin": "console sign-in",
    "CheckMfa": "MFA check",
    "PasswordUpdated": "password change",
    "SwitchRole": "role switch",
    "ExitRole": "role exit",
    "RenewRole": "role session renewal",
    "CredentialChallenge": "sign-in challenge",
    "CredentialVerification": "credential verification",
    "UserAuthentication": "sign-in",
}
"""What each sign-in event means; its outcome is under the event's own name in `responseElements`
(console sign-ins) or `serviceEventDetails` (IAM Identity Center's service events)."""
SIGN_IN_SOURCES = ("signin.amazonaws.com", "sso.amazonaws.com")


def _identity(identity: Any) -> str:
    kind = text(dig(identity, "type"))
    if kind == "Root":
        return "root user"
    if kind == "AssumedRole":
        role = text(dig(identity, "sessionContext", "sessionIssuer", "userName"))
        session = text(dig(identity, "principalId")).partition(":")[2]
        return f"role {role}" + (f" (session {session})" if session else "")
    if kind == "IAMUser":
        return f"IAM user {text(dig(identity, 'userName'))}"
    if kind == "AWSService":
        return f"AWS service {text(dig(identity, 'invokedBy'))}"
    if kind in ("IdentityCenterUser", "Unknown") and dig(identity, "userName"):
        return f"Identity Center user {text(dig(identity, 'userName'))}"
    return text(dig(identity, "arn")) or kind or "unknown"


def _trail_link(detail: Mapping[str, Any], origin: Origin, region: str) -> tuple[str, str] | None:
    event_id = text(detail.get("eventID"))
    url = origin.console("cloudtrail", f"/events/{part(event_id)}", region=region) if event_id else None
    return ("Open the event in CloudTrail", url) if url else None


def _notice(
    event: Mapping[str, Any], origin: Origin, title: str, severity: str, fields: list[tuple[str, str]]
) -> Notice:
    detail = mapping(event.get("detail"))
    region = text(detail.get("awsRegion") or event.get("region")) or origin.region
    alarming = severity in ("critical", "high")
    agent = text(detail.get("userAgent"))
    return Notice(
        title=f"{':rotating_light:' if alarming else ':mag:'} {title}",
        color=Color.ALARM if alarming else Color.WARNING if severity == "medium" else Color.INFO,
        summary=f"User agent: {agent}" if agent else "",
        fields=(*fields, *event_fields(event)),
        link=_trail_link(detail, origin, region),
        context=origin.footer,
        severity=severity,
        source=text(event.get("source")),
    )


def cloudtrail_event(event: Mapping[str, Any], origin: Origin) -> Notice:
    """API calls: who did what, from where, and whether it worked."""
    detail = mapping(event.get("detail"))
    who = _identity(detail.get("userIdentity"))
    is_root = text(dig(detail, "userIdentity", "type")) == "Root"
    error = joined(text(detail.get("errorCode")), text(detail.get("errorMessage")), sep=": ")
    action = f"{text(detail.get('eventSource')).removesuffix('.amazonaws.com')}:{text(detail.get('eventName'))}"
    return _notice(
        event,
        origin,
        f"{action} by {who}" + (" (failed)" if error else ""),
        "critical" if is_root else "medium",
        [
            ("Who", who),
            ("Source IP", text(detail.get("sourceIPAddress"))),
            ("Action", action),
            ("Error", error),
            ("Request", text(detail.get("requestParameters"))),
        ],
    )


def sign_in(event: Mapping[str, Any], origin: Origin) -> Notice:
    """Every sign-in family event says what happened (the event, its result, MFA), not only who."""
    detail = mapping(event.get("detail"))
    name = text(detail.get("eventName"))
    who = _identity(detail.get("userIdentity"))
    is_root = text(dig(detail, "userIdentity", "type")) == "Root"
    result = text(dig(detail, "responseElements", name) or dig(detail, "serviceEventDetails", name))
    error = text(detail.get("errorMessage"))
    failed = result == "Failure" or bool(error)
    extra = mapping(detail.get("additionalEventData"))
    action = SIGN_IN_ACTIONS.get(name, name or "sign-in event")
    headline = f"Root user {action}" if is_root else f"{action[:1].upper()}{action[1:]} by {who}"
    return _notice(
        event,
        origin,
        headline + (f": {result}" if result else ": Failure" if failed else ""),
        "critical" if is_root else "high" if failed else "low",
        [
            ("Who", who),
            ("Source IP", text(detail.get("sourceIPAddress"))),
            ("Event", name),
            ("Result", result or ("Failure" if failed else "")),
            ("Error", error),
            ("MFA used", text(extra.get("MFAUsed"))),
            ("MFA type", text(extra.get("MfaType") or extra.get("MFAIdentifier"))),
            ("Credential type", text(extra.get("CredentialType"))),
            ("Signed in to", text(extra.get("LoginTo"))),
        ],
    )


def service_event(event: Mapping[str, Any], origin: Origin) -> Notice:
    """Events AWS services record themselves (`eventType: AwsServiceEvent`); sign-in ones as sign-ins."""
    detail = mapping(event.get("detail"))
    source = text(detail.get("eventSource"))
    name = text(detail.get("eventName"))
    if source in SIGN_IN_SOURCES or name in SIGN_IN_ACTIONS:
        return sign_in(event, origin)
    service = source.removesuffix(".amazonaws.com")
    identity = detail.get("userIdentity")
    return _notice(
        event,
        origin,
        f"{service}:{name} (AWS service event)",
        "low",
        [
            ("Service", service),
            ("Event", name),
            ("Details", text(detail.get("serviceEventDetails"))),
            ("Who", _identity(identity) if isinstance(identity, Mapping) else ""),
            (
                "Resources",
                ", ".join(
                    text(dig(r, "ARN") or dig(r, "arn"))
                    for r in detail.get("resources") or []
                    if isinstance(r, Mapping)
                ),
            ),
        ],
    )
