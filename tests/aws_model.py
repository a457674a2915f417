"""Validate request parameters against botocore's service models: types, required members, enums,
length and value ranges, list sizes. What CloudWatch would reject at deploy time fails here."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import botocore.session
from botocore.model import Shape


@cache
def operation_input(service: str, operation: str) -> Shape:
    return botocore.session.get_session().get_service_model(service).operation_model(operation).input_shape


def problems(service: str, operation: str, params: dict[str, Any]) -> list[str]:
    found: list[str] = []
    _check(operation_input(service, operation), params, operation, found)
    return found


def _check(shape: Shape, value: Any, path: str, found: list[str]) -> None:
    meta = shape.metadata
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            found.append(f"{path}: expected a structure, got {value!r}")
            return
        for required in meta.get("required", []):
            if required not in value:
                found.append(f"{path}.{required}: required")
        for key, item in value.items():
            if key not in shape.members:
                found.append(f"{path}.{key}: not a member of {shape.name}")
            else:
                _check(shape.members[key], item, f"{path}.{key}", found)
    elif kind == "list":
        if not isinstance(value, list):
            found.append(f"{path}: expected a list, got {value!r}")
            return
        _range(len(value), meta, path, found, "items")
        for i, item in enumerate(value):
            _check(shape.member, item, f"{path}[{i}]", found)
    elif kind == "string":
        if not isinstance(value, str):
            found.append(f"{path}: expected a string, got {value!r}")
            return
        if shape.enum and value not in shape.enum:
            found.append(f"{path}: {value!r} is not one of {shape.enum}")
        _range(len(value), meta, path, found, "characters")
        if "pattern" in meta and not re.search(meta["pattern"], value):
            found.append(f"{path}: {value!r} does not match {meta['pattern']}")
    elif kind in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            found.append(f"{path}: expected an integer, got {value!r}")
            return
        _range(value, meta, path, found, "")
    elif kind == "double":
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            found.append(f"{path}: expected a number, got {value!r}")
    elif kind == "boolean" and not isinstance(value, bool):
        found.append(f"{path}: expected true or false, got {value!r}")


def _range(size: int, meta: dict[str, Any], path: str, found: list[str], unit: str) -> None:
    if "min" in meta and size < meta["min"]:
        found.append(f"{path}: {size} {unit} is below the minimum {meta['min']}".replace("  ", " "))
    if "max" in meta and size > meta["max"]:
        found.append(f"{path}: {size} {unit} is above the maximum {meta['max']}".replace("  ", " "))


def whole(value: Any) -> Any:
    """Wire-form numbers are floats (3.0); integer API members need ints."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def dimensions(mapping: dict[str, str]) -> list[dict[str, str]]:
    return [{"Name": k, "Value": v} for k, v in mapping.items()]


def put_metric_alarm(inputs: dict[str, Any]) -> dict[str, Any]:
    """A MetricAlarm registration's wire inputs as the PutMetricAlarm request the provider sends."""
    names = {
        "name": "AlarmName",
        "alarmDescription": "AlarmDescription",
        "actionsEnabled": "ActionsEnabled",
        "alarmActions": "AlarmActions",
        "okActions": "OKActions",
        "metricName": "MetricName",
        "namespace": "Namespace",
        "statistic": "Statistic",
        "extendedStatistic": "ExtendedStatistic",
        "period": "Period",
        "evaluationPeriods": "EvaluationPeriods",
        "datapointsToAlarm": "DatapointsToAlarm",
        "threshold": "Threshold",
        "comparisonOperator": "ComparisonOperator",
        "treatMissingData": "TreatMissingData",
    }
    params = {api: whole(inputs[wire]) for wire, api in names.items() if wire in inputs}
    if "dimensions" in inputs:
        params["Dimensions"] = dimensions(inputs["dimensions"])
    if "metricQueries" in inputs:
        params["Metrics"] = [metric_query(q) for q in inputs["metricQueries"]]
    return params


def metric_query(query: dict[str, Any]) -> dict[str, Any]:
    converted: dict[str, Any] = {"Id": query["id"], "ReturnData": query.get("returnData", False)}
    for wire, api in (("expression", "Expression"), ("label", "Label")):
        if wire in query:
            converted[api] = query[wire]
    if "period" in query:  # a Metrics Insights query's own period
        converted["Period"] = whole(query["period"])
    if "metric" in query:
        metric = query["metric"]
        converted["MetricStat"] = {
            "Metric": {
                "Namespace": metric["namespace"],
                "MetricName": metric["metricName"],
                "Dimensions": dimensions(metric.get("dimensions", {})),
            },
            "Period": whole(metric["period"]),
            "Stat": metric["stat"],
        }
    return converted
