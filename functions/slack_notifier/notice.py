"""What a person reads in Slack, whatever the source, and its one rendering as a Slack payload.

Pure: formatters build a `Notice`; `to_slack` turns it into Block Kit inside a coloured attachment,
escaping text and clipping it to Slack's limits so a post is never rejected for its size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class Color:
    """Attachment bar colours."""

    ALARM = "#E01E5A"
    OK = "#2EB67D"
    WARNING = "#ECB22E"
    INFO = "#36C5F0"
    NEUTRAL = "#8D8D8D"


SECTION_TEXT_LIMIT = 3000
FIELD_TEXT_LIMIT = 2000
FIELDS_PER_SECTION = 10
NOTIFICATION_TEXT_LIMIT = 300
"""The top-level `text` is what phones and desktop notifications show: keep it a headline."""


@dataclass(frozen=True)
class Notice:
    title: str
    """Headline, also the notification text."""
    color: str
    summary: str = ""
    """Plain text under the headline (escaped when rendered)."""
    fields: tuple[tuple[str, str], ...] = ()
    """(label, value) pairs shown two per row; empty values are left out."""
    link: tuple[str, str] | None = None
    """(label, URL) of the console page to open."""
    context: str = ""
    """Footer: where the notice came from."""
    code: str = ""
    """Raw content shown verbatim in a code block (unknown messages)."""


@dataclass(frozen=True)
class SlackTarget:
    """Overrides sent with every post; legacy webhooks honour them, app webhooks keep their own."""

    channel: str | None = None
    username: str | None = None
    icon_emoji: str | None = None


def escape(text: str) -> str:
    """Slack mrkdwn treats &, < and > as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    marker = f"… ({len(text) - limit} more characters)"
    return text[: max(limit - len(marker), 0)] + marker


def to_slack(notice: Notice, target: SlackTarget) -> dict[str, Any]:
    headline = f"*{escape(clip(notice.title, 200))}*"
    parts = [headline]
    if notice.summary:
        parts.append(escape(clip(notice.summary, 2000)))
    if notice.link:
        label, url = notice.link
        parts.append(f"<{url}|{escape(label)}>")
    blocks: list[dict[str, Any]] = [_section(clip("\n".join(parts), SECTION_TEXT_LIMIT))]
    fields = [
        {"type": "mrkdwn", "text": clip(f"*{escape(label)}*\n{escape(value)}", FIELD_TEXT_LIMIT)}
        for label, value in notice.fields
        if value
    ]
    for start in range(0, len(fields), FIELDS_PER_SECTION):
        blocks.append({"type": "section", "fields": fields[start : start + FIELDS_PER_SECTION]})
    if notice.code:
        fence = "```"
        body = clip(escape(notice.code.replace(fence, "'''")), SECTION_TEXT_LIMIT - 2 * len(fence) - 2)
        blocks.append(_section(f"{fence}\n{body}\n{fence}"))
    if notice.context:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": clip(escape(notice.context), 300)}]})

    payload: dict[str, Any] = {
        "text": escape(clip(notice.title, NOTIFICATION_TEXT_LIMIT)),
        "attachments": [{"color": notice.color, "fallback": escape(clip(notice.title, 300)), "blocks": blocks}],
    }
    for key, value in (("channel", target.channel), ("username", target.username), ("icon_emoji", target.icon_emoji)):
        if value:
            payload[key] = value
    return payload


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}
