"""Amazon ECR basic image scans: findings counted by severity."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..links import part
from ..notice import Notice
from .base import Origin, card, counts_line, counts_severity, mapping, text


def ecr_image_scan(event: Mapping[str, Any], origin: Origin) -> Notice:
    detail = mapping(event.get("detail"))
    repository = text(detail.get("repository-name"))
    status = text(detail.get("scan-status"))
    tags = ", ".join(text(t) for t in detail.get("image-tags") or [])
    counts = detail.get("finding-severity-counts")
    line = counts_line(counts)
    failed = status == "FAILED"
    url = origin.console("ecr", f"/repositories/{part(repository)}", region=text(event.get("region")) or origin.region)
    return card(
        event,
        origin,
        headline=f"ECR scan of {repository}{':' + tags if tags else ''}: "
        + ("scan failed" if failed else line or "no findings"),
        severity="low" if failed and not line else counts_severity(counts),
        fields=[
            ("Repository", repository),
            ("Tags", tags),
            ("Digest", text(detail.get("image-digest"))),
            ("Scan status", status),
            ("Findings", line or "none"),
        ],
        link=("Open the repository in ECR", url),
    )
