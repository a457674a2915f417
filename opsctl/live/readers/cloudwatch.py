"""CloudWatch alarms: metric alarms (single metric or metric math) and composite alarms."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from policies.guardrails.vocabulary.tokens import COMPOSITE_ALARM, METRIC_ALARM

from ..accounts import Account
from ..inventory import Inventory, LiveResource, Source

SETTINGS = (
    ("actionsEnabled", "ActionsEnabled"),
    ("alarmActions", "AlarmActions"),
    ("okActions", "OKActions"),
    ("insufficientDataActions", "InsufficientDataActions"),
    ("alarmDescription", "AlarmDescription"),
)
METRIC = (
    ("metricName", "MetricName"),
    ("namespace", "Namespace"),
    ("statistic", "Statistic"),
    ("extendedStatistic", "ExtendedStatistic"),
    ("period", "Period"),
    ("evaluationPeriods", "EvaluationPeriods"),
    ("datapointsToAlarm", "DatapointsToAlarm"),
    ("threshold", "Threshold"),
    ("thresholdMetricId", "ThresholdMetricId"),
    ("comparisonOperator", "ComparisonOperator"),
    ("treatMissingData", "TreatMissingData"),
)


def picked(item: dict[str, Any], pairs: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    return {wire: item[api] for wire, api in pairs if api in item}


def dimensions(items: list[dict[str, str]]) -> dict[str, str]:
    return {d["Name"]: d["Value"] for d in items}


def query(metric: dict[str, Any]) -> dict[str, Any]:
    wire = {
        k: metric[a]
        for k, a in (
            ("id", "Id"),
            ("expression", "Expression"),
            ("label", "Label"),
            ("returnData", "ReturnData"),
            ("period", "Period"),
        )
        if a in metric
    }
    if "MetricStat" in metric:
        stat = metric["MetricStat"]
        wire["metric"] = {
            "metricName": stat["Metric"].get("MetricName"),
            "namespace": stat["Metric"].get("Namespace"),
            "dimensions": dimensions(stat["Metric"].get("Dimensions", [])),
            "period": stat.get("Period"),
            "stat": stat.get("Stat"),
        }
    return wire


def read(account: Account, region: str, inventory: Inventory) -> Iterator[LiveResource]:
    paginator = account.client("cloudwatch", region).get_paginator("describe_alarms")
    for page in paginator.paginate(AlarmTypes=["MetricAlarm", "CompositeAlarm"]):
        for alarm in page.get("MetricAlarms", []):
            props = {
                "name": alarm["AlarmName"],
                "arn": alarm["AlarmArn"],
                **picked(alarm, SETTINGS),
                **picked(alarm, METRIC),
            }
            if alarm.get("Dimensions"):
                props["dimensions"] = dimensions(alarm["Dimensions"])
            if alarm.get("Metrics"):
                props["metricQueries"] = [query(m) for m in alarm["Metrics"]]
            yield LiveResource(METRIC_ALARM, alarm["AlarmName"], alarm["AlarmArn"], props, region)
        for alarm in page.get("CompositeAlarms", []):
            props = {
                "alarmName": alarm["AlarmName"],
                "arn": alarm["AlarmArn"],
                "alarmRule": alarm.get("AlarmRule", ""),
                **picked(alarm, SETTINGS),
            }
            yield LiveResource(COMPOSITE_ALARM, alarm["AlarmName"], alarm["AlarmArn"], props, region)


SOURCE = Source("cloudwatch", (METRIC_ALARM, COMPOSITE_ALARM), read)
