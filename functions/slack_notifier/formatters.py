"""Pure formatters: one SNS record in, one `Notice` out, for every message family the baseline sends.

`notice_for` never raises. A record is unwrapped from its SNS envelope, parsed as JSON when it is
JSON, and handed to the first formatter in `FORMATTERS` whose test matches. If that formatter trips
over an unexpected shape, the record falls back to the generic notice with a note saying so: nothing
is dropped silently, and a message nobody anticipated still reaches Slack readable.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from .notice import Color, Notice

CONSOLE_DOMAINS = {
    "aws": "console.aws.amazon.com",
    "aws-us-gov": "console.amazonaws-us-gov.com",
    "aws-cn": "console.amazonaws.cn",
}
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
HEALTH_COLORS = {"issue": Color.ALARM, "scheduledChange": Color.WARNING, "accountNotification": Color.NEUTRAL}
COMPLIANCE_STYLE = {
    "NON_COMPLIANT": (Color.ALARM, ":red_circle:"),
    "COMPLIANT": (Color.OK, ":large_green_circle:"),
}
MAX_LISTED = 10


@dataclass(frozen=True)
class Origin:
    """Where a record came from, for console links: the partition and region of its topic."""

    partition: str
    region: str
    subject: str = ""
    topic: str = ""
    timestamp: str = ""

    def console(self, service: str, fragment: str, *, region: str | None = None, partition: str | None = None) -> str:
        partition = partition or self.partition
        region = region or self.region
        domain = CONSOLE_DOMAINS.get(partition, CONSOLE_DOMAINS["aws"])
        host = f"{region}.{domain}" if domain == CONSOLE_DOMAINS["aws"] else domain
        return f"https://{host}/{service}/home?region={region}#{fragment}"

    @property
    def footer(self) -> str:
        return " · ".join(part for part in (f"SNS topic {self.topic}" if self.topic else "", self.timestamp) if part)


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


def arn_parts(arn: Any) -> tuple[str, str, str, str] | None:
    """(partition, service, region, resource) of an ARN, or None when it is not one."""
    parts = arn.split(":", 5) if isinstance(arn, str) else []
    if len(parts) != 6 or parts[0] != "arn":
        return None
    return parts[1], parts[2], parts[3], parts[5]


# --- CloudWatch alarms --------------------------------------------------------------------------


def is_alarm(message: Any) -> bool:
    return isinstance(message, Mapping) and "AlarmName" in message and "NewStateValue" in message


def cloudwatch_alarm(message: Mapping[str, Any], origin: Origin) -> Notice:
    """Metric, metric-math and composite alarms; only composites have `AlarmRule`, only metric alarms a metric."""
    name = text(message.get("AlarmName"))
    state = text(message.get("NewStateValue"))
    previous = text(message.get("OldStateValue"))
    color, emoji = STATE_STYLE.get(state, (Color.NEUTRAL, ":grey_question:"))
    arn = arn_parts(message.get("AlarmArn"))
    partition, region = (arn[0], arn[2]) if arn else (origin.partition, origin.region)
    trigger = message.get("Trigger") if isinstance(message.get("Trigger"), Mapping) else {}

    fields: list[tuple[str, str]] = [("State", f"{previous} → {state}" if previous else state)]
    if "AlarmRule" in message:
        fields.append(("Rule", text(message.get("AlarmRule"))))
        children = message.get("TriggeringChildren")
        names = [
            f"{_alarm_name(dig(child, 'Arn'))} ({text(dig(child, 'State', 'Value'))})"
            for child in (children if isinstance(children, list) else [])[:MAX_LISTED]
        ]
        fields.append(("Triggered by", "\n".join(names)))
    elif isinstance(trigger.get("Metrics"), list):
        fields.append(("Metric math", _metric_math(trigger["Metrics"])))
        fields.append(("Condition", _condition(trigger)))
    else:
        fields.append(("Metric", _metric(trigger)))
        fields.append(("Condition", _condition(trigger)))
    fields += [
        ("Account", text(message.get("AWSAccountId"))),
        (
            "Region",
            " ".join(p for p in (region, f"({text(message.get('Region'))})" if message.get("Region") else "") if p),
        ),
        ("Changed at", text(message.get("StateChangeTime"))),
    ]
    summary = "\n".join(p for p in (text(message.get("AlarmDescription")), text(message.get("NewStateReason"))) if p)
    return Notice(
        title=f"{emoji} {state or 'UNKNOWN'}: {name}",
        color=color,
        summary=summary,
        fields=tuple(fields),
        link=(
            "Open the alarm in CloudWatch",
            origin.console("cloudwatch", f"alarmsV2:alarm/{quote(name, safe='')}", region=region, partition=partition),
        ),
        context=origin.footer,
    )


def _alarm_name(arn: Any) -> str:
    parts = arn_parts(arn)
    return parts[3].removeprefix("alarm:") if parts else text(arn)


def _dimensions(dimensions: Any) -> str:
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
    lines = []
    for query in metrics[:MAX_LISTED]:
        query_id = text(dig(query, "Id"))
        if dig(query, "Expression") is not None:
            lines.append(f"{query_id} = {text(dig(query, 'Expression'))}")
        else:
            stat = dig(query, "MetricStat")
            metric = " ".join(
                p for p in (text(dig(stat, "Metric", "Namespace")), text(dig(stat, "Metric", "MetricName"))) if p
            )
            dimensions = _dimensions(dig(stat, "Metric", "Dimensions"))
            lines.append(
                f"{query_id} = {text(dig(stat, 'Stat'))} {metric}" + (f" for {dimensions}" if dimensions else "")
            )
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


def _event_fields(event: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [
        ("Account", text(event.get("account"))),
        ("Region", text(event.get("region"))),
        ("Time", text(event.get("time"))),
    ]


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


def is_cloudtrail(message: Any) -> bool:
    return is_event(message) and text(message.get("detail-type")) in (
        "AWS API Call via CloudTrail",
        "AWS Console Sign In via CloudTrail",
    )


def cloudtrail_event(event: Mapping[str, Any], origin: Origin) -> Notice:
    """API calls and console sign-ins: who did what, from where, and whether it worked."""
    detail = event.get("detail") if isinstance(event.get("detail"), Mapping) else {}
    who = _identity(detail.get("userIdentity"))
    is_root = text(dig(detail, "userIdentity", "type")) == "Root"
    error = ": ".join(p for p in (text(detail.get("errorCode")), text(detail.get("errorMessage"))) if p)
    region = text(detail.get("awsRegion") or event.get("region")) or origin.region
    fields: list[tuple[str, str]] = [("Who", who), ("Source IP", text(detail.get("sourceIPAddress")))]
    if text(event.get("detail-type")) == "AWS Console Sign In via CloudTrail":
        result = text(dig(detail, "responseElements", "ConsoleLogin"))
        fields += [("Result", result), ("MFA used", text(dig(detail, "additionalEventData", "MFAUsed")))]
        title = ("Root user console sign-in" if is_root else f"Console sign-in by {who}") + (
            f": {result}" if result else ""
        )
        alarming = is_root or result == "Failure"
        color = Color.ALARM if alarming else Color.INFO
    else:
        action = f"{text(detail.get('eventSource')).removesuffix('.amazonaws.com')}:{text(detail.get('eventName'))}"
        fields += [("Action", action), ("Error", error), ("Request", text(detail.get("requestParameters")))]
        title = f"{action} by {who}" + (" (failed)" if error else "")
        alarming = is_root
        color = Color.ALARM if is_root else Color.WARNING
    fields += _event_fields(event)
    event_id = text(detail.get("eventID"))
    return Notice(
        title=f"{':rotating_light:' if alarming else ':mag:'} {title}",
        color=color,
        summary=text(detail.get("userAgent")) and f"User agent: {text(detail.get('userAgent'))}",
        fields=tuple(fields),
        link=(
            "Open the event in CloudTrail",
            origin.console("cloudtrail", f"/events/{quote(event_id, safe='')}", region=region),
        )
        if event_id
        else None,
        context=origin.footer,
    )


def is_config_compliance(message: Any) -> bool:
    return is_event(message) and text(message.get("detail-type")) == "Config Rules Compliance Change"


def config_compliance(event: Mapping[str, Any], origin: Origin) -> Notice:
    detail = event.get("detail") if isinstance(event.get("detail"), Mapping) else {}
    rule = text(detail.get("configRuleName"))
    new = text(dig(detail, "newEvaluationResult", "complianceType"))
    old = text(dig(detail, "oldEvaluationResult", "complianceType"))
    color, emoji = COMPLIANCE_STYLE.get(new, (Color.NEUTRAL, ":grey_question:"))
    resource = f"{text(detail.get('resourceType'))} {text(detail.get('resourceId'))}".strip()
    region = text(detail.get("awsRegion") or event.get("region")) or origin.region
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
        ),
        link=(
            "Open the rule in AWS Config",
            origin.console("config", f"/rules/details?configRuleName={quote(rule, safe='')}", region=region),
        ),
        context=origin.footer,
    )


def is_health(message: Any) -> bool:
    return is_event(message) and text(message.get("detail-type")) == "AWS Health Event"


def health_event(event: Mapping[str, Any], origin: Origin) -> Notice:
    detail = event.get("detail") if isinstance(event.get("detail"), Mapping) else {}
    category = text(detail.get("eventTypeCategory"))
    entities = detail.get("affectedEntities")
    affected = [text(dig(e, "entityValue")) for e in (entities if isinstance(entities, list) else [])]
    event_arn = text(detail.get("eventArn"))
    return Notice(
        title=f":hospital: AWS Health {category or 'event'}: {text(detail.get('eventTypeCode')) or text(detail.get('service'))}",
        color=HEALTH_COLORS.get(category, Color.INFO),
        summary=text(dig(detail, "eventDescription", 0, "latestDescription")),
        fields=(
            ("Service", text(detail.get("service"))),
            ("Status", text(detail.get("statusCode"))),
            ("Start", text(detail.get("startTime"))),
            ("End", text(detail.get("endTime"))),
            (
                "Affected",
                "\n".join(affected[:MAX_LISTED])
                + (f"\n… and {len(affected) - MAX_LISTED} more" if len(affected) > MAX_LISTED else ""),
            ),
            *_event_fields(event),
        ),
        link=(
            "Open in AWS Health",
            f"https://health.aws.amazon.com/health/home#/account/event-log?eventID={quote(event_arn, safe='')}",
        )
        if event_arn
        else None,
        context=origin.footer,
    )


def any_event(event: Mapping[str, Any], origin: Origin) -> Notice:
    """EventBridge events without a dedicated formatter: the envelope as fields, the detail verbatim."""
    resources = event.get("resources")
    return Notice(
        title=f":information_source: {text(event.get('detail-type'))} ({text(event.get('source'))})",
        color=Color.INFO,
        fields=(
            *_event_fields(event),
            ("Resources", "\n".join(text(r) for r in resources[:MAX_LISTED]) if isinstance(resources, list) else ""),
        ),
        code=json.dumps(event.get("detail"), indent=2, default=str, ensure_ascii=False),
        context=origin.footer,
    )


# --- dispatch -----------------------------------------------------------------------------------

Formatter = Callable[[Any, Origin], Notice]
FORMATTERS: tuple[tuple[Callable[[Any], bool], Formatter], ...] = (
    (is_alarm, cloudwatch_alarm),
    (is_cloudtrail, cloudtrail_event),
    (is_config_compliance, config_compliance),
    (is_health, health_event),
    (is_event, any_event),
)
"""First match wins: specific families before the generic EventBridge one."""

UNPARSED = object()


def origin_of(record: Mapping[str, Any], default_region: str) -> Origin:
    sns = record.get("Sns") if isinstance(record.get("Sns"), Mapping) else {}
    topic = arn_parts(sns.get("TopicArn"))
    return Origin(
        partition=topic[0] if topic else "aws",
        region=topic[2] if topic and topic[2] else default_region,
        subject=text(sns.get("Subject")),
        topic=topic[3] if topic else "",
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
    if message is not UNPARSED and not isinstance(message, str):
        with contextlib.suppress(ValueError, RecursionError):  # else keep the message as it was sent
            body = json.dumps(message, indent=2, default=str, ensure_ascii=False)
    return Notice(
        title=f":incoming_envelope: {origin.subject or 'Notification'}",
        color=Color.NEUTRAL,
        summary=note,
        code=body.strip() or "(empty message)",
        context=origin.footer,
    )
