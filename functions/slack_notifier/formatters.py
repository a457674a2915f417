"""Pure formatters: one SNS record in, one `Notice` out, for every message family the baseline sends.

`notice_for` never raises. A record is unwrapped from its SNS envelope, parsed as JSON when it is
JSON, and handed to the first formatter in `FORMATTERS` whose test matches. EventBridge events are
matched on their source and detail-type together (only AWS may send a source starting `aws.`), and
every event notice shows its source. If a formatter trips over an unexpected shape, the record falls
back to the generic notice with a note saying so: nothing is dropped silently, and a message nobody
anticipated still reaches Slack readable.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import links
from .links import part
from .notice import SEVERITIES, Color, Notice

STATE_STYLE = {
    "ALARM": (Color.ALARM, ":red_circle:"),
    "OK": (Color.OK, ":large_green_circle:"),
    "INSUFFICIENT_DATA": (Color.WARNING, ":large_yellow_circle:"),
}
COMPARISONS = {
    "GreaterThanThreshold": ">",
    "GreaterThanOrEqualToThreshold": ">=",
    "LessThanThreshold": "<",
    "LessThanOrEqualToThreshold": "<=",
    "LessThanLowerOrGreaterThanUpperThreshold": "outside the band",
    "GreaterThanUpperThreshold": "above the band",
    "LessThanLowerThreshold": "below the band",
}
HEALTH_STYLE = {
    "issue": (Color.ALARM, "high"),
    "scheduledChange": (Color.WARNING, "medium"),
    "accountNotification": (Color.NEUTRAL, "low"),
}
COMPLIANCE_STYLE = {
    "NON_COMPLIANT": (Color.ALARM, ":red_circle:", "medium"),
    "COMPLIANT": (Color.OK, ":large_green_circle:", "info"),
}
SEVERITY_STYLE = {
    "critical": (Color.ALARM, ":rotating_light:"),
    "high": (Color.ALARM, ":red_circle:"),
    "medium": (Color.WARNING, ":large_orange_circle:"),
    "low": (Color.INFO, ":large_blue_circle:"),
    "info": (Color.NEUTRAL, ":white_circle:"),
}
MAX_LISTED = 10
OTHER_FINDINGS_LISTED = 5
PRETTY_PRINT_LIMIT = 20_000
"""Larger JSON is shown as sent: Slack shows 3,000 characters of it, re-indenting all of it would be waste."""


@dataclass(frozen=True)
class Origin:
    """Where a record came from: the partition and region of its topic (validated), for links."""

    partition: str
    region: str
    subject: str = ""
    topic: str = ""
    timestamp: str = ""

    def console(self, service: str, fragment: str, *, region: str = "", partition: str = "") -> str | None:
        return links.console(service, fragment, partition=partition or self.partition, region=region or self.region)

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


def listed(values: list[str], limit: int = MAX_LISTED) -> str:
    shown = "\n".join(values[:limit])
    return shown + (f"\n… and {len(values) - limit} more" if len(values) > limit else "")


def arn_parts(arn: Any) -> tuple[str, str, str, str, str] | None:
    """(partition, service, region, account, resource) of an ARN, or None when it is not one."""
    parts = arn.split(":", 5) if isinstance(arn, str) else []
    if len(parts) != 6 or parts[0] != "arn":
        return None
    return parts[1], parts[2], parts[3], parts[4], parts[5]


# --- CloudWatch alarms (SNS notifications and EventBridge state changes) ---------------------------


def alarm_severity(name: str, state: str) -> str:
    """The baseline names alarms `...-critical` or `...-warning`; only a breach is more than info."""
    if state != "ALARM":
        return "info"
    if name.endswith("-critical"):
        return "critical"
    return "medium" if name.endswith("-warning") else "high"


def alarm_notice(
    name: str,
    state: str,
    previous: str,
    details: list[tuple[str, str]],
    summary: str,
    *,
    account: str,
    region: str,
    region_label: str = "",
    partition: str,
    changed_at: str,
    origin: Origin,
    source_field: bool,
) -> Notice:
    color, emoji = STATE_STYLE.get(state, (Color.NEUTRAL, ":grey_question:"))
    fields = [
        ("State", f"{previous} → {state}" if previous else state),
        *details,
        ("Account", account),
        ("Region", " ".join(p for p in (region, f"({region_label})" if region_label else "") if p)),
        ("Changed at", changed_at),
    ]
    if source_field:
        fields.append(("Source", "aws.cloudwatch"))
    url = origin.console("cloudwatch", f"alarmsV2:alarm/{part(name)}", region=region, partition=partition)
    return Notice(
        title=f"{emoji} {state or 'UNKNOWN'}: {name}",
        color=color,
        summary=summary,
        fields=tuple(fields),
        link=("Open the alarm in CloudWatch", url) if url else None,
        context=origin.footer,
        severity=alarm_severity(name, state),
        source="aws.cloudwatch",
    )


def is_alarm(message: Any) -> bool:
    return isinstance(message, Mapping) and "AlarmName" in message and "NewStateValue" in message


def cloudwatch_alarm(message: Mapping[str, Any], origin: Origin) -> Notice:
    """Metric, metric-math and composite alarms; only composites have `AlarmRule`, only metric alarms a metric."""
    arn = arn_parts(message.get("AlarmArn"))
    partition, region = (arn[0], arn[2]) if arn else (origin.partition, origin.region)
    trigger = mapping(message.get("Trigger"))
    details: list[tuple[str, str]]
    if "AlarmRule" in message:
        children = message.get("TriggeringChildren")
        names = [
            f"{_alarm_name(dig(child, 'Arn'))} ({text(dig(child, 'State', 'Value'))})"
            for child in (children if isinstance(children, list) else [])
        ]
        details = [("Rule", text(message.get("AlarmRule"))), ("Triggered by", listed(names))]
    elif isinstance(trigger.get("Metrics"), list):
        details = [("Metric math", _metric_math(trigger["Metrics"])), ("Condition", _condition(trigger))]
    else:
        details = [("Metric", _metric(trigger)), ("Condition", _condition(trigger))]
    return alarm_notice(
        text(message.get("AlarmName")),
        text(message.get("NewStateValue")),
        text(message.get("OldStateValue")),
        details,
        "\n".join(p for p in (text(message.get("AlarmDescription")), text(message.get("NewStateReason"))) if p),
        account=text(message.get("AWSAccountId")),
        region=region,
        region_label=text(message.get("Region")),
        partition=partition,
        changed_at=text(message.get("StateChangeTime")),
        origin=origin,
        source_field=False,
    )


def _alarm_name(arn: Any) -> str:
    parts = arn_parts(arn)
    return parts[4].removeprefix("alarm:") if parts else text(arn)


def _dimensions(dimensions: Any) -> str:
    if isinstance(dimensions, Mapping):  # EventBridge spells them {"Name": "value"}
        return ", ".join(f"{text(k)}={text(v)}" for k, v in dimensions.items())
    pairs = []
    for dimension in dimensions if isinstance(dimensions, list) else []:
        # Alarm notifications spell them {"name", "value"}; the API {"Name", "Value"}.
        key = dig(dimension, "name") or dig(dimension, "Name")
        value = dig(dimension, "value") or dig(dimension, "Value")
        if key is not None:
            pairs.append(f"{text(key)}={text(value)}")
    return ", ".join(pairs)


def _metric(trigger: Mapping[str, Any]) -> str:
    metric = " ".join(p for p in (text(trigger.get("Namespace")), text(trigger.get("MetricName"))) if p)
    statistic = text(trigger.get("Statistic") or trigger.get("ExtendedStatistic"))
    dimensions = _dimensions(trigger.get("Dimensions"))
    return "".join(
        (
            metric or "(no metric given)",
            f" ({statistic.title() if statistic.isupper() else statistic})" if statistic else "",
            f" for {dimensions}" if dimensions else "",
        )
    )


def _metric_math(metrics: list[Any]) -> str:
    """Alarm notifications spell queries `Id`/`Expression`/`MetricStat`; EventBridge `id`/`expression`/`metricStat`."""
    lines = []
    for query in metrics[:MAX_LISTED]:
        query_id = text(dig(query, "Id") or dig(query, "id"))
        expression = dig(query, "Expression") or dig(query, "expression")
        if expression is not None:
            lines.append(f"{query_id} = {text(expression)}")
            continue
        stat = mapping(dig(query, "MetricStat") or dig(query, "metricStat"))
        metric = mapping(stat.get("Metric") or stat.get("metric"))
        name = metric.get("MetricName") or metric.get("name")
        described = " ".join(p for p in (text(metric.get("Namespace") or metric.get("namespace")), text(name)) if p)
        dimensions = _dimensions(metric.get("Dimensions") or metric.get("dimensions"))
        statistic = text(stat.get("Stat") or stat.get("stat"))
        lines.append(f"{query_id} = {statistic} {described}" + (f" for {dimensions}" if dimensions else ""))
    return "\n".join(lines)


def _condition(trigger: Mapping[str, Any]) -> str:
    operator = text(trigger.get("ComparisonOperator"))
    comparison = COMPARISONS.get(operator, operator)
    threshold = text(trigger.get("Threshold")) if "Threshold" in trigger else text(trigger.get("ThresholdMetricId"))
    window = ""
    if trigger.get("EvaluationPeriods") is not None:
        datapoints = trigger.get("DatapointsToAlarm") or trigger.get("EvaluationPeriods")
        window = (
            f" for {text(datapoints)} of {text(trigger.get('EvaluationPeriods'))} × {text(trigger.get('Period'))} s"
        )
    return f"{comparison} {threshold}{window}".strip()


# --- EventBridge events (delivered through SNS) ---------------------------------------------------


def is_event(message: Any) -> bool:
    return isinstance(message, Mapping) and "detail-type" in message and "source" in message


def event_of(source: str | Callable[[str], bool], *detail_types: str) -> Callable[[Any], bool]:
    """Matches an event by source (a name, or a test on it) and detail-type together."""

    def matches(message: Any) -> bool:
        if not is_event(message) or text(message.get("detail-type")) not in detail_types:
            return False
        found = text(message.get("source"))
        return source(found) if callable(source) else found == source

    return matches


def from_aws(source: str) -> bool:
    """EventBridge refuses `aws.` sources from anyone but AWS services."""
    return source.startswith("aws.")


def _event_fields(event: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [
        ("Account", text(event.get("account"))),
        ("Region", text(event.get("region"))),
        ("Time", text(event.get("time"))),
        ("Source", text(event.get("source"))),
    ]


def event_alarm(event: Mapping[str, Any], origin: Origin) -> Notice:
    """`CloudWatch Alarm State Change` events: the same notice as the SNS alarm notification."""
    detail = mapping(event.get("detail"))
    configuration = mapping(detail.get("configuration"))
    arn = arn_parts(dig(event, "resources", 0))
    region = text(event.get("region")) or (arn[2] if arn else origin.region)
    metrics = configuration.get("metrics")
    details: list[tuple[str, str]]
    if configuration.get("alarmRule") is not None:
        triggering = dig(detail, "state", "reasonData")
        with contextlib.suppress(ValueError, TypeError):
            triggering = json.loads(triggering) if isinstance(triggering, str) else triggering
        children = [
            f"{_alarm_name(dig(a, 'arn'))} ({text(dig(a, 'state', 'value'))})"
            for a in (dig(triggering, "triggeringAlarms") or [])
            if isinstance(a, Mapping)
        ]
        details = [("Rule", text(configuration.get("alarmRule"))), ("Triggered by", listed(children))]
    elif isinstance(metrics, list) and any(dig(m, "expression") is not None for m in metrics):
        details = [("Metric math", _metric_math(metrics))]
    else:
        stat = mapping(dig(metrics, 0, "metricStat"))
        metric = mapping(stat.get("metric"))
        trigger = {
            "Namespace": metric.get("namespace"),
            "MetricName": metric.get("name"),
            "Statistic": stat.get("stat"),
            "Dimensions": metric.get("dimensions"),
        }
        details = [("Metric", _metric(trigger))]
    return alarm_notice(
        text(detail.get("alarmName")),
        text(dig(detail, "state", "value")),
        text(dig(detail, "previousState", "value")),
        details,
        "\n".join(p for p in (text(configuration.get("description")), text(dig(detail, "state", "reason"))) if p),
        account=text(event.get("account")),
        region=region,
        partition=arn[0] if arn else origin.partition,
        changed_at=text(dig(detail, "state", "timestamp")) or text(event.get("time")),
        origin=origin,
        source_field=True,
    )


def _identity(identity: Any) -> str:
    kind = text(dig(identity, "type"))
    if kind == "Root":
        return "root user"
    if kind == "AssumedRole":
        role = text(dig(identity, "sessionContext", "sessionIssuer", "userName"))
        session = text(dig(identity, "principalId")).partition(":")[2]
        return f"role {role}" + (f" (session {session})" if session else "")
    if kind == "IAMUser":
        return f"IAM user {text(dig(identity, 'userName'))}"
    if kind == "AWSService":
        return f"AWS service {text(dig(identity, 'invokedBy'))}"
    return text(dig(identity, "arn")) or kind or "unknown"


SIGN_IN = "AWS Console Sign In via CloudTrail"


def cloudtrail_event(event: Mapping[str, Any], origin: Origin) -> Notice:
    """API calls and console sign-ins: who did what, from where, and whether it worked."""
    detail = mapping(event.get("detail"))
    who = _identity(detail.get("userIdentity"))
    is_root = text(dig(detail, "userIdentity", "type")) == "Root"
    error = ": ".join(p for p in (text(detail.get("errorCode")), text(detail.get("errorMessage"))) if p)
    region = text(detail.get("awsRegion") or event.get("region")) or origin.region
    fields: list[tuple[str, str]] = [("Who", who), ("Source IP", text(detail.get("sourceIPAddress")))]
    if text(event.get("detail-type")) == SIGN_IN:
        result = text(dig(detail, "responseElements", "ConsoleLogin"))
        fields += [("Result", result), ("MFA used", text(dig(detail, "additionalEventData", "MFAUsed")))]
        title = ("Root user console sign-in" if is_root else f"Console sign-in by {who}") + (
            f": {result}" if result else ""
        )
        alarming = is_root or result == "Failure"
        color = Color.ALARM if alarming else Color.INFO
        severity = "critical" if is_root else "high" if result == "Failure" else "low"
    else:
        action = f"{text(detail.get('eventSource')).removesuffix('.amazonaws.com')}:{text(detail.get('eventName'))}"
        fields += [("Action", action), ("Error", error), ("Request", text(detail.get("requestParameters")))]
        title = f"{action} by {who}" + (" (failed)" if error else "")
        alarming = is_root
        color = Color.ALARM if is_root else Color.WARNING
        severity = "critical" if is_root else "medium"
    fields += _event_fields(event)
    event_id = text(detail.get("eventID"))
    url = origin.console("cloudtrail", f"/events/{part(event_id)}", region=region) if event_id else None
    return Notice(
        title=f"{':rotating_light:' if alarming else ':mag:'} {title}",
        color=color,
        summary=text(detail.get("userAgent")) and f"User agent: {text(detail.get('userAgent'))}",
        fields=tuple(fields),
        link=("Open the event in CloudTrail", url) if url else None,
        context=origin.footer,
        severity=severity,
        source=text(event.get("source")),
    )


def config_compliance(event: Mapping[str, Any], origin: Origin) -> Notice:
    detail = mapping(event.get("detail"))
    rule = text(detail.get("configRuleName"))
    new = text(dig(detail, "newEvaluationResult", "complianceType"))
    old = text(dig(detail, "oldEvaluationResult", "complianceType"))
    color, emoji, severity = COMPLIANCE_STYLE.get(new, (Color.NEUTRAL, ":grey_question:", "low"))
    resource = f"{text(detail.get('resourceType'))} {text(detail.get('resourceId'))}".strip()
    region = text(detail.get("awsRegion") or event.get("region")) or origin.region
    url = origin.console("config", f"/rules/details?configRuleName={part(rule)}", region=region)
    return Notice(
        title=f"{emoji} {new or 'UNKNOWN'}: {resource} under Config rule {rule}",
        color=color,
        summary=text(dig(detail, "newEvaluationResult", "annotation")),
        fields=(
            ("Rule", rule),
            ("Resource", resource),
            ("Compliance", f"{old} → {new}" if old else new),
            ("Account", text(detail.get("awsAccountId") or event.get("account"))),
            ("Region", region),
            ("Time", text(event.get("time"))),
            ("Source", text(event.get("source"))),
        ),
        link=("Open the rule in AWS Config", url) if url else None,
        context=origin.footer,
        severity=severity,
        source=text(event.get("source")),
    )


def health_event(event: Mapping[str, Any], origin: Origin) -> Notice:
    detail = mapping(event.get("detail"))
    category = text(detail.get("eventTypeCategory"))
    entities = detail.get("affectedEntities")
    affected = [text(dig(e, "entityValue")) for e in (entities if isinstance(entities, list) else [])]
    event_arn = text(detail.get("eventArn"))
    color, severity = HEALTH_STYLE.get(category, (Color.INFO, "low"))
    url = links.checked(f"https://health.aws.amazon.com/health/home#/account/event-log?eventID={part(event_arn)}")
    return Notice(
        title=f":hospital: AWS Health {category or 'event'}: {text(detail.get('eventTypeCode')) or text(detail.get('service'))}",
        color=color,
        summary=text(dig(detail, "eventDescription", 0, "latestDescription")),
        fields=(
            ("Service", text(detail.get("service"))),
            ("Status", text(detail.get("statusCode"))),
            ("Start", text(detail.get("startTime"))),
            ("End", text(detail.get("endTime"))),
            ("Affected", listed(affected)),
            *_event_fields(event),
        ),
        link=("Open in AWS Health", url) if event_arn and url else None,
        context=origin.footer,
        severity=severity,
        source=text(event.get("source")),
    )


# --- security findings ----------------------------------------------------------------------------


def guardduty_severity(score: Any) -> str:
    """GuardDuty's bands: 9.0-10.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 1.0-3.9 low."""
    if not isinstance(score, (int, float)) or isinstance(score, bool):
        return "medium"
    return "critical" if score >= 9 else "high" if score >= 7 else "medium" if score >= 4 else "low"


def _guardduty_resource(resource: Mapping[str, Any]) -> str:
    kind = text(resource.get("resourceType"))
    named = {
        "Instance": dig(resource, "instanceDetails", "instanceId"),
        "AccessKey": " ".join(
            p
            for p in (
                text(dig(resource, "accessKeyDetails", "userName")),
                text(dig(resource, "accessKeyDetails", "accessKeyId")),
            )
            if p
        ),
        "S3Bucket": ", ".join(
            text(dig(b, "name")) for b in resource.get("s3BucketDetails") or [] if isinstance(b, Mapping)
        ),
        "EKSCluster": dig(resource, "eksClusterDetails", "name"),
        "ECSCluster": dig(resource, "ecsClusterDetails", "name"),
        "Container": dig(resource, "containerDetails", "name"),
        "RDSDBInstance": dig(resource, "rdsDbInstanceDetails", "dbInstanceIdentifier"),
        "Lambda": dig(resource, "lambdaDetails", "functionName"),
    }.get(kind)
    return " ".join(p for p in (kind, text(named)) if p)


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
            ("Resource", _guardduty_resource(mapping(detail.get("resource")))),
            ("Account", text(detail.get("accountId") or event.get("account"))),
            ("Region", region),
            (
                "Seen",
                " → ".join(p for p in (text(service.get("eventFirstSeen")), text(service.get("eventLastSeen"))) if p),
            ),
            ("Count", text(service.get("count"))),
            ("Source", text(event.get("source"))),
        ),
        link=("Open the finding in GuardDuty", url) if url else None,
        context=origin.footer,
        severity=severity,
        source=text(event.get("source")),
    )


SECURITY_HUB_LABELS = {
    "CRITICAL": "critical",
    "HIGH": "high",
    "MEDIUM": "medium",
    "LOW": "low",
    "INFORMATIONAL": "info",
}


def _finding_severity(finding: Any) -> tuple[str, float]:
    label = text(dig(finding, "Severity", "Label")).upper()
    normalized = dig(finding, "Severity", "Normalized")
    score = float(normalized) if isinstance(normalized, (int, float)) and not isinstance(normalized, bool) else -1.0
    return SECURITY_HUB_LABELS.get(label, "info"), score


def security_hub_findings(event: Mapping[str, Any], origin: Origin) -> Notice:
    """The event's findings, highest severity first: the first in full, the others by title."""
    detail = mapping(event.get("detail"))
    raw = detail.get("findings")
    findings = [f for f in raw if isinstance(f, Mapping)] if isinstance(raw, list) else []
    findings.sort(key=lambda f: (SEVERITIES.index(_finding_severity(f)[0]), -_finding_severity(f)[1]))
    top = findings[0] if findings else {}
    severity, score = _finding_severity(top) if findings else ("info", -1.0)
    color, emoji = SEVERITY_STYLE[severity]
    region = text(top.get("Region") or event.get("region")) or origin.region
    resource = mapping(dig(top, "Resources", 0))
    others = [f"{_finding_severity(f)[0].upper()}: {text(f.get('Title'))}" for f in findings[1:]]
    finding_id = text(top.get("Id"))
    search = part("Id=" + part(f"\\operator\\:EQUALS\\:{finding_id}"))
    url = origin.console("securityhub", f"/findings?search={search}", region=region) if finding_id else None
    more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
    return Notice(
        title=f"{emoji} Security Hub {severity}: {text(top.get('Title')) or 'finding'}{more}",
        color=color,
        summary="\n".join(
            p for p in (text(top.get("Description")), text(dig(top, "Remediation", "Recommendation", "Text"))) if p
        ),
        fields=(
            ("Severity", f"{severity.upper()}" + (f" ({score:g})" if score >= 0 else "")),
            ("Product", text(dig(top, "ProductFields", "aws/securityhub/ProductName")) or text(top.get("ProductName"))),
            ("Resource", " ".join(p for p in (text(resource.get("Type")), text(resource.get("Id"))) if p)),
            ("Compliance", text(dig(top, "Compliance", "Status"))),
            ("Workflow", text(dig(top, "Workflow", "Status"))),
            ("Account", text(top.get("AwsAccountId") or event.get("account"))),
            ("Region", region),
            ("Findings in this event", str(len(findings))),
            ("Also in this event", listed(others, OTHER_FINDINGS_LISTED)),
            ("Source", text(event.get("source"))),
        ),
        link=("Open the finding in Security Hub", url) if url else None,
        context=origin.footer,
        severity=severity,
        source=text(event.get("source")),
    )


def any_event(event: Mapping[str, Any], origin: Origin) -> Notice:
    """EventBridge events without a dedicated formatter: the envelope as fields, the detail verbatim."""
    resources = event.get("resources")
    return Notice(
        title=f":information_source: {text(event.get('detail-type'))} ({text(event.get('source'))})",
        color=Color.INFO,
        fields=(
            *_event_fields(event),
            ("Resources", listed([text(r) for r in resources]) if isinstance(resources, list) else ""),
        ),
        code=json.dumps(event.get("detail"), indent=2, default=str, ensure_ascii=False),
        context=origin.footer,
        severity="info",
        source=text(event.get("source")),
    )


# --- dispatch -----------------------------------------------------------------------------------

Formatter = Callable[[Any, Origin], Notice]
FORMATTERS: tuple[tuple[Callable[[Any], bool], Formatter], ...] = (
    (is_alarm, cloudwatch_alarm),
    (event_of("aws.cloudwatch", "CloudWatch Alarm State Change"), event_alarm),
    (event_of("aws.guardduty", "GuardDuty Finding"), guardduty_finding),
    (
        event_of("aws.securityhub", "Security Hub Findings - Imported", "Security Hub Findings - Custom Action"),
        security_hub_findings,
    ),
    (event_of("aws.signin", SIGN_IN), cloudtrail_event),
    (event_of(from_aws, "AWS API Call via CloudTrail"), cloudtrail_event),
    (event_of("aws.config", "Config Rules Compliance Change"), config_compliance),
    (event_of("aws.health", "AWS Health Event"), health_event),
    (is_event, any_event),
)
"""First match wins: specific families before the generic EventBridge one."""

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
    for matches, formatter in FORMATTERS:
        try:
            if matches(message):
                return formatter(message, origin)
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
