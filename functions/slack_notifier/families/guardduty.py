"""GuardDuty: findings, and Malware Protection for S3 object scan results."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..links import part
from ..notice import Notice
from .base import SEVERITY_STYLE, Origin, card, dig, items, joined, listed, mapping, span, text


def guardduty_severity(score: Any) -> str:
    """GuardDuty's bands: 9.0-10.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 1.0-3.9 low."""
    if not isinstance(score, (int, float)) or isinstance(score, bool):
        return "medium"
    return "critical" if score >= 9 else "high" if score >= 7 else "medium" if score >= 4 else "low"


def _resource(resource: Mapping[str, Any]) -> str:
    kind = text(resource.get("resourceType"))
    named = {
        "Instance": dig(resource, "instanceDetails", "instanceId"),
        "AccessKey": joined(
            text(dig(resource, "accessKeyDetails", "userName")), text(dig(resource, "accessKeyDetails", "accessKeyId"))
        ),
        "S3Bucket": ", ".join(text(b.get("name")) for b in items(resource.get("s3BucketDetails"))),
        "EKSCluster": dig(resource, "eksClusterDetails", "name"),
        "ECSCluster": dig(resource, "ecsClusterDetails", "name"),
        "Container": dig(resource, "containerDetails", "name"),
        "RDSDBInstance": dig(resource, "rdsDbInstanceDetails", "dbInstanceIdentifier"),
        "Lambda": dig(resource, "lambdaDetails", "functionName"),
    }.get(kind)
    return joined(kind, text(named))


def guardduty_finding(event: Mapping[str, Any], origin: Origin) -> Notice:
    detail = mapping(event.get("detail"))
    score = detail.get("severity")
    severity = guardduty_severity(score)
    color, emoji = SEVERITY_STYLE[severity]
    region = text(detail.get("region") or event.get("region")) or origin.region
    finding_id = text(detail.get("id"))
    url = (
        origin.console(
            "guardduty",
            f"/findings?macros=current&fId={part(finding_id)}",
            region=region,
            partition=text(detail.get("partition")),
        )
        if finding_id
        else None
    )
    service = mapping(detail.get("service"))
    return Notice(
        title=f"{emoji} GuardDuty {severity}: {text(detail.get('title')) or text(detail.get('type'))}",
        color=color,
        summary=text(detail.get("description")),
        fields=(
            ("Severity", f"{severity.title()} ({text(score)})"),
            ("Finding type", text(detail.get("type"))),
            ("Resource", _resource(mapping(detail.get("resource")))),
            ("Account", text(detail.get("accountId") or event.get("account"))),
            ("Region", region),
            ("Seen", span(service.get("eventFirstSeen"), service.get("eventLastSeen"))),
            ("Count", text(service.get("count"))),
            ("Source", text(event.get("source"))),
        ),
        link=("Open the finding in GuardDuty", url) if url else None,
        context=origin.footer,
        severity=severity,
        source=text(event.get("source")),
    )


MALWARE_RESULTS = {
    "THREATS_FOUND": "high",
    "NO_THREATS_FOUND": "info",
    "UNSUPPORTED": "low",
    "ACCESS_DENIED": "medium",
    "FAILED": "medium",
}
"""A scan that could not run leaves the object unchecked: worth a look, not a page."""


def malware_object_scan(event: Mapping[str, Any], origin: Origin) -> Notice:
    """`GuardDuty Malware Protection Object Scan Result`: the object, the verdict, the threats."""
    detail = mapping(event.get("detail"))
    obj = mapping(detail.get("s3ObjectDetails"))
    result = text(dig(detail, "scanResultDetails", "scanResultStatus"))
    status = text(detail.get("scanStatus"))
    severity = MALWARE_RESULTS.get(result, "medium" if status == "FAILED" else "info")
    threats = [text(t.get("name")) for t in items(dig(detail, "scanResultDetails", "threats"))]
    bucket, key = text(obj.get("bucketName")), text(obj.get("objectKey"))
    url = origin.page(f"s3/object/{part(bucket)}", region=text(event.get("region")), query=f"prefix={part(key)}")
    verdict = {"THREATS_FOUND": "malware found", "NO_THREATS_FOUND": "no threats found"}.get(result, result or status)
    return card(
        event,
        origin,
        headline=f"GuardDuty malware scan: {verdict} in s3://{bucket}/{key}",
        severity=severity,
        fields=[
            ("Result", result),
            ("Scan status", status),
            ("Threats", listed(threats)),
            ("Bucket", bucket),
            ("Object", key),
            ("Version", text(obj.get("versionId"))),
            ("ETag", text(obj.get("eTag"))),
            ("Throttled by S3", "yes" if obj.get("s3Throttled") is True else ""),
        ],
        link=("Open the object in S3", url),
    )
