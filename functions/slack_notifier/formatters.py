"""One SNS record in, one `Notice` out: unwrap the record, pick the family, never raise.

A record is unwrapped from its SNS envelope, parsed as JSON when it is JSON, and handed to the first
formatter of `families.FORMATTERS` whose matcher takes it. If a formatter trips over an unexpected
shape, the record falls back to the generic notice with a note saying so: nothing is dropped
silently, and a message nobody anticipated still reaches Slack readable.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from typing import Any

from . import links
from .families import FORMATTERS
from .families.base import Origin, arn_parts, mapping, text
from .notice import Color, Notice

PRETTY_PRINT_LIMIT = 20_000
"""Larger JSON is shown as sent: Slack shows 3,000 characters of it, re-indenting all of it would be waste."""
UNPARSED = object()


def origin_of(record: Mapping[str, Any], default_region: str) -> Origin:
    sns = mapping(record.get("Sns"))
    topic = arn_parts(sns.get("TopicArn"))
    trusted = topic is not None and topic[0] in links.CONSOLE_DOMAINS and links.valid_region(topic[2])
    return Origin(
        partition=topic[0] if topic and trusted else "aws",
        region=topic[2] if topic and trusted else default_region,
        subject=text(sns.get("Subject")),
        topic=topic[4] if topic else "",
        timestamp=text(sns.get("Timestamp")),
        attributes={
            text(name): text(attribute.get("Value"))
            for name, attribute in mapping(sns.get("MessageAttributes")).items()
            if isinstance(attribute, Mapping)
        },
    )


def message_of(record: Any) -> tuple[Any, str]:
    """(parsed JSON or UNPARSED, raw text) of an SNS record; a record that is not SNS is the message itself."""
    if isinstance(record, Mapping) and isinstance(record.get("Sns"), Mapping):
        raw = record["Sns"].get("Message")
        if not isinstance(raw, str):
            return raw, text(raw)
        try:
            return json.loads(raw), raw
        except (ValueError, RecursionError):
            return UNPARSED, raw
    return record, text(record)


def notice_for(record: Any, default_region: str) -> Notice:
    """The notice for one record. Never raises."""
    origin = origin_of(record if isinstance(record, Mapping) else {}, default_region)
    try:
        message, raw = message_of(record)
    except Exception as error:  # the one place that must survive anything
        return fallback(
            UNPARSED, repr(record)[:5000], origin, note=f"The record could not be read ({type(error).__name__})."
        )
    readable = raw if message is UNPARSED else message  # text messages are matched as text
    for matches, formatter in FORMATTERS:
        try:
            if matches(readable, origin):
                return formatter(readable, origin)
        except Exception as error:  # an odd shape must not lose the message
            return fallback(
                message, raw, origin, note=f"{formatter.__name__} could not read it ({type(error).__name__}: {error})."
            )
    looks_like_json = raw.lstrip()[:1] in ("{", "[")
    note = (
        "The message looks like JSON but does not parse; shown as sent."
        if message is UNPARSED and looks_like_json
        else ""
    )
    return fallback(message, raw, origin, note)


def fallback(message: Any, raw: str, origin: Origin, note: str = "") -> Notice:
    """Anything else: SNS subject as headline; the message pretty-printed if JSON, else as sent."""
    body = raw
    if message is not UNPARSED and not isinstance(message, str) and len(raw) <= PRETTY_PRINT_LIMIT:
        with contextlib.suppress(ValueError, RecursionError):  # else keep the message as it was sent
            body = json.dumps(message, indent=2, default=str, ensure_ascii=False)
    return Notice(
        title=f":incoming_envelope: {origin.subject or 'Notification'}",
        color=Color.NEUTRAL,
        summary=note,
        code=body.strip() or "(empty message)",
        context=origin.footer,
        source=text(message.get("source")) if isinstance(message, Mapping) else "",
    )
