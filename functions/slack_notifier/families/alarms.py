"""CloudWatch alarms: SNS notifications, EventBridge state changes, and the payload a Lambda alarm
action delivers; plus EventBridge's alarm configuration changes (created, updated, deleted)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from typing import Any

from ..links import part
from ..notice import Color, Notice
from .base import MAX_LISTED, Origin, arn_parts, card, dig, items, joined, listed, mapping, text

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
        ("Region", joined(region, f"({region_label})" if region_label else "")),
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


# --- SNS alarm notifications ----------------------------------------------------------------------


def is_alarm(message: Any, origin: Origin) -> bool:
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
        joined(text(message.get("AlarmDescription")), text(message.get("NewStateReason")), sep="\n"),
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
    metric = joined(text(trigger.get("Namespace")), text(trigger.get("MetricName")))
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
        described = joined(text(metric.get("Namespace") or metric.get("namespace")), text(name))
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


# --- EventBridge state changes and Lambda alarm actions (the same `detail`) ------------------------


def _definition(configuration: Mapping[str, Any], state: Any) -> list[tuple[str, str]]:
    """What an alarm watches, from an event's `configuration`: composite rule, metric math or metric."""
    metrics = configuration.get("metrics")
    if configuration.get("alarmRule") is not None:
        triggering = dig(state, "reasonData")
        with contextlib.suppress(ValueError, TypeError):
            triggering = json.loads(triggering) if isinstance(triggering, str) else triggering
        children = [
            f"{_alarm_name(dig(a, 'arn'))} ({text(dig(a, 'state', 'value'))})"
            for a in items(dig(triggering, "triggeringAlarms"))
        ]
        return [("Rule", text(configuration.get("alarmRule"))), ("Triggered by", listed(children))]
    if isinstance(metrics, list) and any(dig(m, "expression") is not None for m in metrics):
        return [("Metric math", _metric_math(metrics))]
    stat = mapping(dig(metrics, 0, "metricStat"))
    metric = mapping(stat.get("metric"))
    trigger = {
        "Namespace": metric.get("namespace"),
        "MetricName": metric.get("name"),
        "Statistic": stat.get("stat"),
        "Dimensions": metric.get("dimensions"),
    }
    return [("Metric", _metric(trigger))]


def _from_detail(
    detail: Mapping[str, Any], *, arn: Any, account: str, region: str, time: str, origin: Origin
) -> Notice:
    configuration = mapping(detail.get("configuration"))
    parts = arn_parts(arn)
    return alarm_notice(
        text(detail.get("alarmName")),
        text(dig(detail, "state", "value")),
        text(dig(detail, "previousState", "value")),
        _definition(configuration, detail.get("state")),
        joined(text(configuration.get("description")), text(dig(detail, "state", "reason")), sep="\n"),
        account=account,
        region=region or (parts[2] if parts else origin.region),
        partition=parts[0] if parts else origin.partition,
        changed_at=text(dig(detail, "state", "timestamp")) or time,
        origin=origin,
        source_field=True,
    )


def event_alarm(event: Mapping[str, Any], origin: Origin) -> Notice:
    """`CloudWatch Alarm State Change` events: the same notice as the SNS alarm notification."""
    return _from_detail(
        mapping(event.get("detail")),
        arn=dig(event, "resources", 0),
        account=text(event.get("account")),
        region=text(event.get("region")),
        time=text(event.get("time")),
        origin=origin,
    )


def is_lambda_alarm_action(message: Any, origin: Origin) -> bool:
    """What CloudWatch hands a Lambda alarm action: `source`, `alarmArn` and `alarmData`, no `detail-type`."""
    return (
        isinstance(message, Mapping)
        and message.get("source") == "aws.cloudwatch"
        and isinstance(message.get("alarmData"), Mapping)
        and "detail-type" not in message
    )


def lambda_alarm_action(message: Mapping[str, Any], origin: Origin) -> Notice:
    return _from_detail(
        mapping(message.get("alarmData")),
        arn=message.get("alarmArn"),
        account=text(message.get("accountId")),
        region=text(message.get("region")),
        time=text(message.get("time")),
        origin=origin,
    )


# --- configuration changes ------------------------------------------------------------------------

OPERATIONS = {"create": "created", "update": "updated", "delete": "deleted"}


def alarm_configuration_change(event: Mapping[str, Any], origin: Origin) -> Notice:
    """An alarm created, updated or deleted. The event does not say by whom: the CloudTrail call
    (`PutMetricAlarm`, `DeleteAlarms`, ...) does, when the stack forwards it."""
    detail = mapping(event.get("detail"))
    name = text(detail.get("alarmName"))
    operation = text(detail.get("operation"))
    configuration = mapping(detail.get("configuration"))
    previous = mapping(detail.get("previousConfiguration"))
    changed = sorted(
        key for key in {*configuration, *previous} - {"timestamp"} if configuration.get(key) != previous.get(key)
    )
    silenced = configuration.get("actionsEnabled") is False and previous.get("actionsEnabled") is not False
    severity = "medium" if operation == "delete" or (operation == "update" and silenced) else "low"
    parts = arn_parts(dig(event, "resources", 0))
    region = text(event.get("region")) or (parts[2] if parts else origin.region)
    url = origin.console("cloudwatch", f"alarmsV2:alarm/{part(name)}", region=region) if operation != "delete" else None
    actions = configuration.get("alarmActions")
    defined = operation != "delete" and ("metrics" in configuration or "alarmRule" in configuration)
    return card(
        event,
        origin,
        headline=f"Alarm {OPERATIONS.get(operation, operation or 'changed')}: {name}",
        severity=severity,
        summary=text(configuration.get("description")),
        fields=[
            ("Operation", operation),
            ("State", text(dig(detail, "state", "value"))),
            *(_definition(configuration, detail.get("state")) if defined else []),
            ("Actions enabled", text(configuration.get("actionsEnabled"))),
            ("Alarm actions", listed([text(a) for a in actions]) if isinstance(actions, list) else ""),
            ("Changed settings", ", ".join(changed) if operation == "update" and previous else ""),
        ],
        link=("Open the alarm in CloudWatch", url),
    )
