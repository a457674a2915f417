"""What every family formatter shares: where a record came from, reading untrusted shapes, matching
EventBridge events, and the severity → colour and emoji of a card."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import links
from ..notice import SEVERITIES, Color, Notice

MAX_LISTED = 10
SEVERITY_STYLE = {
    "critical": (Color.ALARM, ":rotating_light:"),
    "high": (Color.ALARM, ":red_circle:"),
    "medium": (Color.WARNING, ":large_orange_circle:"),
    "low": (Color.INFO, ":large_blue_circle:"),
    "info": (Color.NEUTRAL, ":white_circle:"),
}
SUCCEEDED_STYLE = (Color.OK, ":large_green_circle:")
"""A job, build or deployment that finished well: green, whatever its (info) severity."""


@dataclass(frozen=True)
class Origin:
    """Where a record came from: the partition and region of its topic (validated), for links."""

    partition: str
    region: str
    subject: str = ""
    topic: str = ""
    timestamp: str = ""
    attributes: Mapping[str, str] = field(default_factory=dict)
    """SNS message attributes (name → string value): AWS Backup says what happened only there."""

    def console(self, service: str, fragment: str, *, region: str = "", partition: str = "") -> str | None:
        return links.console(service, fragment, partition=partition or self.partition, region=region or self.region)

    def page(self, path: str, *, region: str = "", query: str = "") -> str | None:
        return links.page(path, partition=self.partition, region=region or self.region, query=query)

    @property
    def footer(self) -> str:
        return " · ".join(piece for piece in (f"SNS topic {self.topic}" if self.topic else "", self.timestamp) if piece)


# --- reading untrusted shapes -------------------------------------------------------------------


def dig(value: Any, *path: str | int) -> Any:
    """value[path[0]][path[1]]...; None as soon as a step is missing or of the wrong type."""
    for step in path:
        if isinstance(step, int):
            value = value[step] if isinstance(value, list) and -len(value) <= step < len(value) else None
        else:
            value = value.get(step) if isinstance(value, Mapping) else None
        if value is None:
            return None
    return value


def text(value: Any) -> str:
    """Any JSON value as one readable line: strings as they are, the rest as compact JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return json.dumps(value, separators=(", ", ": "), default=str, ensure_ascii=False)


def mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def items(value: Any) -> list[Mapping[str, Any]]:
    """The mappings of a JSON list; anything else is no items."""
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def number(value: Any) -> float | None:
    """A JSON number (not a boolean), else None."""
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def listed(values: list[str], limit: int = MAX_LISTED) -> str:
    shown = "\n".join(values[:limit])
    return shown + (f"\n… and {len(values) - limit} more" if len(values) > limit else "")


def joined(*parts: str, sep: str = " ") -> str:
    return sep.join(p for p in parts if p)


def span(first: Any, last: Any) -> str:
    """`first → last` of two timestamps, either one alone when only it is known."""
    return joined(text(first), text(last), sep=" → ")


def arn_parts(arn: Any) -> tuple[str, str, str, str, str] | None:
    """(partition, service, region, account, resource) of an ARN, or None when it is not one."""
    parts = arn.split(":", 5) if isinstance(arn, str) else []
    if len(parts) != 6 or parts[0] != "arn":
        return None
    return parts[1], parts[2], parts[3], parts[4], parts[5]


# --- matching -------------------------------------------------------------------------------------

Matcher = Callable[[Any, Origin], bool]
Formatter = Callable[[Any, Origin], Notice]


def is_event(message: Any, origin: Origin | None = None) -> bool:
    return isinstance(message, Mapping) and "detail-type" in message and "source" in message


def from_aws(source: str) -> bool:
    """EventBridge refuses `aws.` sources from anyone but AWS services."""
    return source.startswith("aws.")


def event_of(source: str | Callable[[str], bool], *detail_types: str) -> Matcher:
    """Matches an event by source (a name, or a test on it) and detail-type together."""

    def matches(message: Any, origin: Origin) -> bool:
        if not is_event(message) or text(message.get("detail-type")) not in detail_types:
            return False
        found = text(message.get("source"))
        return source(found) if callable(source) else found == source

    return matches


# --- building cards -------------------------------------------------------------------------------


def event_fields(event: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [
        ("Account", text(event.get("account"))),
        ("Region", text(event.get("region"))),
        ("Time", text(event.get("time"))),
        ("Source", text(event.get("source"))),
    ]


def event_region(event: Mapping[str, Any], origin: Origin) -> str:
    return text(event.get("region")) or origin.region


def counts_severity(counts: Any) -> str:
    """The highest severity with at least one finding in a `{"CRITICAL": 2, "HIGH": 0, ...}` count."""
    found = {text(k).lower(): number(v) or 0 for k, v in mapping(counts).items()}
    found["info"] = found.get("informational", 0)
    return next((s for s in SEVERITIES if found.get(s, 0) > 0), "info")


def counts_line(counts: Any) -> str:
    """`2 critical, 5 high` from a severity count, highest first, zeroes left out."""
    order = {s.upper(): i for i, s in enumerate((*SEVERITIES[:-1], "informational", "undefined"))}
    pairs = sorted(
        ((text(k), number(v)) for k, v in mapping(counts).items() if text(k).upper() in order),
        key=lambda kv: order[kv[0].upper()],
    )
    return ", ".join(f"{v:g} {k.lower()}" for k, v in pairs if v)


def card(
    event: Mapping[str, Any],
    origin: Origin,
    *,
    headline: str,
    severity: str,
    fields: list[tuple[str, str]],
    summary: str = "",
    link: tuple[str, str | None] | None = None,
    succeeded: bool = False,
    source: str = "",
) -> Notice:
    """The card of an AWS event: the severity's colour and emoji (green when it `succeeded`), the
    family's fields followed by the envelope's, and the link when one could be built."""
    color, emoji = SUCCEEDED_STYLE if succeeded else SEVERITY_STYLE[severity]
    label, url = link if link else ("", None)
    return Notice(
        title=f"{emoji} {headline}",
        color=color,
        summary=summary,
        fields=(*fields, *(event_fields(event) if is_event(event) else ())),
        link=(label, url) if url else None,
        context=origin.footer,
        severity=severity,
        source=source or text(event.get("source")),
    )
