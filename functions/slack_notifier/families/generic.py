"""EventBridge events no family claims: the envelope as fields, the detail verbatim."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..notice import Color, Notice
from .base import Origin, event_fields, listed, text


def any_event(event: Mapping[str, Any], origin: Origin) -> Notice:
    resources = event.get("resources")
    return Notice(
        title=f":information_source: {text(event.get('detail-type'))} ({text(event.get('source'))})",
        color=Color.INFO,
        fields=(
            *event_fields(event),
            ("Resources", listed([text(r) for r in resources]) if isinstance(resources, list) else ""),
        ),
        code=json.dumps(event.get("detail"), indent=2, default=str, ensure_ascii=False),
        context=origin.footer,
        severity="info",
        source=text(event.get("source")),
    )
