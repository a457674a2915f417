"""Reusable field checks: each returns None when fine, else what is allowed."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from .schema import Check, show

EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
E164 = re.compile(r"^\+[1-9]\d{1,14}$")
ENVIRONMENT = re.compile(r"^[a-z][a-z0-9-]{0,19}$")
SLACK_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{8,20}$")
SLACK_CHANNEL = re.compile(rf"^(#[a-z0-9][a-z0-9._-]{{0,79}}|{SLACK_CHANNEL_ID.pattern[1:-1]})$")
SLACK_BOT_TOKEN = re.compile(r"^xoxb-[0-9A-Za-z-]{10,250}$")
SLACK_EMOJI = re.compile(r"^:[a-z0-9_+'-]{1,100}:$")
ROUTE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,29}$")
EVENT_SOURCE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
TAG_CHARS = re.compile(r"^[\w\s.:/=+\-@]*$", re.UNICODE)
BUCKET_NAME_LENGTH = (3, 63)
BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]*[a-z0-9]$")
IP_ADDRESS = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
RESERVED_BUCKET_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
RESERVED_BUCKET_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")
"""S3's general purpose bucket naming rules (Amazon S3 User Guide, "General purpose bucket naming rules")."""


def one_of(allowed: Iterable[Any], note: str = "") -> Check:
    allowed = tuple(allowed)

    def check(value: Any) -> str | None:
        if value in allowed:
            return None
        return f"must be one of {', '.join(show(a) for a in allowed)}{note}"

    return check


def between(low: float, high: float, unit: str = "") -> Check:
    """Inclusive range; `unit` names what is counted (days, seconds) in the message."""

    def check(value: float) -> str | None:
        return None if low <= value <= high else f"must be between {low:g} and {high:g}{f' {unit}' if unit else ''}"

    return check


def matches(pattern: re.Pattern[str], what: str) -> Check:
    def check(value: str) -> str | None:
        return None if pattern.match(value) else f"must be {what}"

    return check


def https_url(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme == "https" and parts.hostname and " " not in value:
        return None
    return "must be an https:// URL with a host"


def unique(values: tuple[Any, ...]) -> str | None:
    seen: set[Any] = set()
    duplicates = []
    for value in values:
        if value in seen:
            duplicates.append(value)
        seen.add(value)
    if duplicates:
        return f"must not repeat entries (repeated: {', '.join(show(d) for d in duplicates)})"
    return None


def aws_tags(tags: Mapping[str, str]) -> str | None:
    problems = []
    if len(tags) > 40:
        problems.append(
            f"at most 40 tags (AWS allows 50 per resource; 10 are kept for the baseline's own), got {len(tags)}"
        )
    for key, value in tags.items():
        if not 1 <= len(key) <= 128 or not TAG_CHARS.match(key):
            problems.append(f"tag key {key!r} must be 1-128 letters, digits, spaces or _.:/=+-@")
        elif key.lower().startswith("aws:"):
            problems.append(f"tag key {key!r} must not start with 'aws:' (reserved by AWS)")
        if len(value) > 256 or not TAG_CHARS.match(value):
            problems.append(f"tag value for {key!r} must be at most 256 letters, digits, spaces or _.:/=+-@")
    return "; ".join(problems) or None


def bucket_name_problem(name: str) -> str | None:
    """None for a name S3 accepts for a general purpose bucket, else what S3 requires."""
    low, high = BUCKET_NAME_LENGTH
    if not low <= len(name) <= high:
        return f"is {len(name)} characters; S3 bucket names have {low} to {high}"
    if not BUCKET_NAME.match(name) or ".." in name:
        return (
            "must be an S3 bucket name: lowercase letters, digits, hyphens and single dots, "
            "beginning and ending with a letter or digit"
        )
    if IP_ADDRESS.match(name):
        return "must not be formatted as an IP address (S3 rejects such bucket names)"
    reserved = [r for r in RESERVED_BUCKET_PREFIXES if name.startswith(r)]
    reserved += [r for r in RESERVED_BUCKET_SUFFIXES if name.endswith(r)]
    if reserved:
        return f"must not use {reserved[0]!r}, which S3 reserves (access points, directory and table buckets)"
    return None


slack_channel = matches(SLACK_CHANNEL, "#lowercase-name or a channel id like C0123ABCD")
SLACK_CHANNEL_ID_NOTE = (
    "a channel id (C or G and 8-20 capital letters or digits, like C0123ABCD: the channel's details in Slack "
    "show it), not a #name: with botToken set the notifier updates its own messages, which Slack addresses by "
    "channel id"
)
slack_bot_token = matches(SLACK_BOT_TOKEN, "a Slack bot token (xoxb- followed by letters, digits and -)")
