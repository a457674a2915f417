"""Security Hub findings (imported, or sent on by someone through a custom action)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..links import part
from ..notice import SEVERITIES, Notice
from .base import SEVERITY_STYLE, Origin, dig, items, joined, listed, mapping, number, span, text

LABELS = {"CRITICAL": "critical", "HIGH": "high", "MEDIUM": "medium", "LOW": "low", "INFORMATIONAL": "info"}
OTHER_FINDINGS_LISTED = 5
CUSTOM_ACTION = "Security Hub Findings - Custom Action"


def label_of_score(score: float) -> str:
    """Security Hub's own bands for a finding that has only `Normalized` (the older format):
    0 INFORMATIONAL, 1-39 LOW, 40-69 MEDIUM, 70-89 HIGH, 90-100 CRITICAL."""
    return (
        "critical"
        if score >= 90
        else "high"
        if score >= 70
        else "medium"
        if score >= 40
        else "low"
        if score >= 1
        else "info"
    )


def finding_severity(finding: Any) -> tuple[str, float]:
    """(severity, normalized score or -1): the label when given, else the band of the score."""
    label = text(dig(finding, "Severity", "Label")).upper()
    score = number(dig(finding, "Severity", "Normalized"))
    if label in LABELS:
        return LABELS[label], -1.0 if score is None else score
    return ("info", -1.0) if score is None else (label_of_score(score), score)


def security_hub_findings(event: Mapping[str, Any], origin: Origin) -> Notice:
    """The event's findings, highest severity first: the first in full, the others by title. A
    custom action event also says which action someone chose, so the responder sees the escalation."""
    detail = mapping(event.get("detail"))
    findings = items(detail.get("findings"))
    ranked = sorted(findings, key=lambda f: (SEVERITIES.index(finding_severity(f)[0]), -finding_severity(f)[1]))
    top = ranked[0] if ranked else {}
    severity, score = finding_severity(top) if ranked else ("info", -1.0)
    color, emoji = SEVERITY_STYLE[severity]
    region = text(top.get("Region") or event.get("region")) or origin.region
    resource = mapping(dig(top, "Resources", 0))
    others = [f"{finding_severity(f)[0].upper()}: {text(f.get('Title'))}" for f in ranked[1:]]
    finding_id = text(top.get("Id"))
    search = part("Id=" + part(f"\\operator\\:EQUALS\\:{finding_id}"))
    url = origin.console("securityhub", f"/findings?search={search}", region=region) if finding_id else None
    more = f" (and {len(ranked) - 1} more)" if len(ranked) > 1 else ""
    action = text(detail.get("actionName")) if text(event.get("detail-type")) == CUSTOM_ACTION else ""
    types = top.get("Types")
    return Notice(
        title=f"{emoji} Security Hub {severity}"
        + (f" (custom action {action})" if action else "")
        + f": {text(top.get('Title')) or 'finding'}{more}",
        color=color,
        summary=joined(
            f"Custom action {action}: {text(detail.get('actionDescription'))}" if action else "",
            text(top.get("Description")),
            text(dig(top, "Remediation", "Recommendation", "Text")),
            sep="\n",
        ),
        fields=(
            ("Severity", severity.upper() + (f" ({score:g})" if score >= 0 else "")),
            ("Custom action", action),
            ("Product", text(dig(top, "ProductFields", "aws/securityhub/ProductName")) or text(top.get("ProductName"))),
            ("Resource", joined(text(resource.get("Type")), text(resource.get("Id")))),
            ("Types", listed([text(t) for t in types]) if isinstance(types, list) else ""),
            ("Observed", span(top.get("FirstObservedAt"), top.get("LastObservedAt"))),
            ("Compliance", text(dig(top, "Compliance", "Status"))),
            ("Workflow", text(dig(top, "Workflow", "Status"))),
            ("Account", text(top.get("AwsAccountId") or event.get("account"))),
            ("Region", region),
            ("Findings in this event", str(len(ranked))),
            ("Also in this event", listed(others, OTHER_FINDINGS_LISTED)),
            ("Source", text(event.get("source"))),
        ),
        link=("Open the finding in Security Hub", url) if url else None,
        context=origin.footer,
        severity=severity,
        source=text(event.get("source")),
    )
