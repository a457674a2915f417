"""What a person reads in Slack, whatever the source, and its renderings as Slack payloads.

Pure: formatters build a `Notice`; `to_slack` turns it into Block Kit inside a coloured attachment,
and `to_plain_text` into a bare text post for when Slack rejects the blocks. Text that came from a
message is shown as plain text wherever Block Kit allows (headline, summary, field values, footer),
so `*`, `_`, `~`, backticks or `<!channel>` in an alarm name are shown, never interpreted. Where
markup is needed (links, labels, code blocks) text is escaped and clipped without cutting an escape
or a link in half, and every string is cleaned of lone surrogates so the post always encodes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


class Color:
    """Attachment bar colours."""

    ALARM = "#E01E5A"
    OK = "#2EB67D"
    WARNING = "#ECB22E"
    INFO = "#36C5F0"
    NEUTRAL = "#8D8D8D"


SEVERITIES = ("critical", "high", "medium", "low", "info")
"""Severity of a notice, highest first; routes select on it."""

HEADER_TEXT_LIMIT = 150
SECTION_TEXT_LIMIT = 3000
FIELD_TEXT_LIMIT = 2000
FIELDS_PER_SECTION = 10
"""Block Kit's limits; fields are shown as (label, value) pairs, five pairs a section."""
NOTIFICATION_TEXT_LIMIT = 300
"""The top-level `text` is what phones and desktop notifications show: keep it a headline."""
CONTEXT_TEXT_LIMIT = 300


@dataclass(frozen=True)
class Notice:
    title: str
    """Headline, also the notification text."""
    color: str
    summary: str = ""
    """Plain text under the headline."""
    fields: tuple[tuple[str, str], ...] = ()
    """(label, value) pairs; empty values are left out."""
    link: tuple[str, str] | None = None
    """(label, URL) of the console page to open; the URL is built from validated parts only."""
    context: str = ""
    """Footer: where the notice came from."""
    code: str = ""
    """Raw content shown verbatim in a code block (unknown messages)."""
    severity: str = "info"
    """One of SEVERITIES."""
    source: str = ""
    """The event source (`aws.guardduty`, `aws.cloudwatch`, ...); empty when the message has none."""


@dataclass(frozen=True)
class SlackTarget:
    """Overrides sent with every post; legacy webhooks honour them, app webhooks keep their own."""

    channel: str | None = None
    username: str | None = None
    icon_emoji: str | None = None


def clean(text: str) -> str:
    """The text with lone UTF-16 surrogates (half an emoji cut from a log line) replaced by U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def escape(text: str) -> str:
    """Slack mrkdwn treats &, < and > as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """Plain text cut to `limit` characters, saying how much is left out."""
    if len(text) <= limit:
        return text
    marker = f"… ({len(text) - limit} more characters)"
    return text[: max(limit - len(marker), 0)] + marker


_OPEN_ENTITY = re.compile(r"&[a-z]{0,3}$")


def clip_markup(markup: str, limit: int) -> str:
    """Escaped text cut to `limit` characters, never inside an `&amp;`/`&lt;`/`&gt;` escape."""
    if len(markup) <= limit:
        return markup
    marker = f"… ({len(markup) - limit} more characters)"
    cut = markup[: max(limit - len(marker), 0)]
    return _OPEN_ENTITY.sub("", cut) + marker


def plain(text: str, limit: int, *, emoji: bool = False) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit) or " ", "emoji": emoji}


def mrkdwn(markup: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": markup}


def to_slack(notice: Notice, target: SlackTarget) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [{"type": "header", "text": plain(notice.title, HEADER_TEXT_LIMIT, emoji=True)}]
    if notice.summary:
        blocks.append({"type": "section", "text": plain(notice.summary, SECTION_TEXT_LIMIT)})
    if notice.link:
        label, url = notice.link
        link = f"<{url}|{escape(label)}>"
        if len(link) <= SECTION_TEXT_LIMIT:  # a link is shown whole or not at all
            blocks.append({"type": "section", "text": mrkdwn(link)})
    pairs = [
        (mrkdwn(f"*{escape(clip(label, 100))}*"), plain(value, FIELD_TEXT_LIMIT))
        for label, value in notice.fields
        if value
    ]
    per_section = FIELDS_PER_SECTION // 2
    for start in range(0, len(pairs), per_section):
        blocks.append(
            {"type": "section", "fields": [part for pair in pairs[start : start + per_section] for part in pair]}
        )
    if notice.code:
        fence = "```"
        body = clip_markup(escape(notice.code.replace(fence, "'''")), SECTION_TEXT_LIMIT - 2 * len(fence) - 2)
        blocks.append({"type": "section", "text": mrkdwn(f"{fence}\n{body}\n{fence}")})
    if notice.context:
        blocks.append({"type": "context", "elements": [plain(notice.context, CONTEXT_TEXT_LIMIT)]})
    # Clients show the fallback where they cannot show blocks: it is markup like the top-level text.
    headline = clip_markup(escape(notice.title), NOTIFICATION_TEXT_LIMIT)
    payload: dict[str, Any] = {
        "text": headline,
        "mrkdwn": False,
        "attachments": [{"color": notice.color, "fallback": headline, "blocks": blocks}],
    }
    return cleaned(with_target(payload, target))


def to_plain_text(notice: Notice, target: SlackTarget, note: str) -> dict[str, Any]:
    """The notice as one plain text post: what still arrives when Slack rejects the blocks."""
    lines = [notice.title, note, notice.summary, *(f"{label}: {value}" for label, value in notice.fields if value)]
    if notice.link:
        lines.append(notice.link[1])
    if notice.code:
        lines.append(notice.code)
    text = clip_markup(escape("\n".join(line for line in lines if line)), SECTION_TEXT_LIMIT)
    return cleaned(with_target({"text": text, "mrkdwn": False}, target))


def with_target(payload: dict[str, Any], target: SlackTarget) -> dict[str, Any]:
    for key, value in (("channel", target.channel), ("username", target.username), ("icon_emoji", target.icon_emoji)):
        if value:
            payload[key] = value
    return payload


def cleaned(value: Any) -> Any:
    """Every string of a payload cleaned of lone surrogates."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [cleaned(v) for v in value]
    if isinstance(value, dict):
        return {k: cleaned(v) for k, v in value.items()}
    return value
