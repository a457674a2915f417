"""Amazon Inspector (inspector2): findings, and scans of an instance, image or function."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..notice import Notice
from .base import Origin, card, counts_line, counts_severity, dig, items, joined, listed, mapping, number, span, text

SEVERITIES = {"CRITICAL": "critical", "HIGH": "high", "MEDIUM": "medium", "LOW": "low", "INFORMATIONAL": "info"}
"""Inspector's labels; UNTRIAGED (no score yet) is read as medium until Inspector scores it."""


def _resource(resource: Mapping[str, Any]) -> str:
    return joined(text(resource.get("type")), text(resource.get("id")))


def inspector_finding(event: Mapping[str, Any], origin: Origin) -> Notice:
    detail = mapping(event.get("detail"))
    label = text(detail.get("severity")).upper()
    closed = text(detail.get("status")) == "CLOSED"
    severity = "info" if closed else SEVERITIES.get(label, "medium")
    vulnerability = mapping(detail.get("packageVulnerabilityDetails"))
    packages = [
        joined(text(p.get("name")), text(p.get("version")))
        + (f" (fixed in {text(p.get('fixedInVersion'))})" if p.get("fixedInVersion") else "")
        for p in items(vulnerability.get("vulnerablePackages"))
    ]
    score = number(detail.get("inspectorScore"))
    region = text(event.get("region")) or origin.region
    url = origin.console("inspector/v2", "/findings/all", region=region)
    return card(
        event,
        origin,
        headline=f"Inspector {severity}{' (closed)' if closed else ''}: {text(detail.get('title')) or text(detail.get('type'))}",
        severity=severity,
        summary=joined(
            text(detail.get("description")), text(dig(detail, "remediation", "recommendation", "text")), sep="\n"
        ),
        fields=[
            ("Severity", joined(label, f"(score {score:g})" if score is not None else "")),
            ("Type", text(detail.get("type"))),
            ("Vulnerability", text(vulnerability.get("vulnerabilityId"))),
            ("Packages", listed(packages)),
            ("Fix available", text(detail.get("fixAvailable"))),
            ("Exploit available", text(detail.get("exploitAvailable"))),
            ("Resources", listed([_resource(r) for r in items(detail.get("resources"))])),
            ("Status", text(detail.get("status"))),
            ("Observed", span(detail.get("firstObservedAt"), detail.get("lastObservedAt"))),
        ],
        link=("Open findings in Inspector", url),
    )


def inspector_scan(event: Mapping[str, Any], origin: Origin) -> Notice:
    """`Inspector2 Scan`: an initial scan finished, with its findings counted by severity."""
    detail = mapping(event.get("detail"))
    counts = detail.get("finding-severity-counts")
    scanned = joined(
        text(detail.get("instance-id")),
        text(detail.get("repository-name")),
        text(detail.get("function-arn") or detail.get("lambda-function-arn")),
    ) or ", ".join(text(r) for r in event.get("resources") or [])
    line = counts_line(counts)
    return card(
        event,
        origin,
        headline=f"Inspector scan of {scanned or 'a resource'}: {line or 'no findings'}",
        severity=counts_severity(counts),
        fields=[
            ("Scan status", text(detail.get("scan-status"))),
            ("Findings", line or "none"),
            ("Total", text(mapping(counts).get("TOTAL"))),
            ("Image", text(detail.get("image-digest"))),
            ("Tags", ", ".join(text(t) for t in detail.get("image-tags") or [])),
        ],
    )
