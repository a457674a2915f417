"""The one alarm factory: an alarm of a monitor as `aws.cloudwatch.MetricAlarm` arguments, and the
rule of a composite alarm. Names come from the plan; the action strategy is the facade's."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pulumi

from plan.alarms import STATISTICS, AlarmSpec
from plan.monitors import Alarm, BurnComposite, Monitor

RATE_EXPRESSION = "IF(total > 0, 100 * part / total, 0)"
"""Percentage of `part` in `total`; 0 when there was no traffic, so idle periods never alarm."""
SHORTFALL_EXPRESSION = "wanted - actual"
"""How far `actual` stays under `wanted` (tasks the service should run but does not)."""


def metric_alarm_args(
    monitor: Monitor,
    alarm: Alarm,
    actions: Sequence[pulumi.Input[str]],
    description_note: str,
    escalations: Sequence[pulumi.Input[str]] = (),
) -> dict[str, Any]:
    """Keyword arguments of `aws.cloudwatch.MetricAlarm` for one alarm of one monitor.

    ALARM and OK go to the same actions: whoever is paged also hears the recovery. `escalations`
    (an OpsItem, an incident) open on ALARM only: a recovery would open another.
    """
    spec = alarm.spec
    args: dict[str, Any] = {
        "name": alarm.name,
        "alarm_description": f"{monitor.label}: {spec.kind.description} {spec.summary()}. {description_note}",
        "comparison_operator": spec.comparison_operator,
        "threshold": spec.threshold,
        "evaluation_periods": spec.evaluation_periods,
        "datapoints_to_alarm": spec.datapoints_to_alarm,
        "treat_missing_data": spec.treat_missing_data,
        "actions_enabled": True,
        "alarm_actions": [*actions, *escalations],
        "ok_actions": list(actions),
    }
    if monitor.region:
        args["region"] = monitor.region
    if spec.kind.computed:
        args["metric_queries"] = math_queries(monitor, spec)
        return args
    args.update(
        namespace=monitor.namespace,
        metric_name=spec.metric,
        dimensions=dict(monitor.dimensions),
        period=spec.period,
    )
    if spec.statistic in STATISTICS:
        args["statistic"] = spec.statistic
    else:
        args["extended_statistic"] = spec.statistic
    return args


def math_queries(monitor: Monitor, spec: AlarmSpec) -> list[dict[str, Any]]:
    """The metric-math or Metrics Insights queries of an alarm whose kind computes what it watches."""
    kind = spec.kind
    if kind.across:
        return [
            {
                "id": "total",
                "expression": insights_query(monitor, spec),
                "period": spec.period,
                "label": f"{spec.metric} over every {kind.across}",
                "return_data": True,
            }
        ]
    if kind.rate_of:
        parts = (_query("part", monitor, spec.metric, spec, "Sum"), _query("total", monitor, kind.rate_of, spec, "Sum"))
        result, expression, label = "rate", RATE_EXPRESSION, f"{spec.metric} per 100 {kind.rate_of}"
    else:
        parts = (
            _query("actual", monitor, spec.metric, spec, spec.statistic),
            _query("wanted", monitor, str(kind.shortfall_of), spec, spec.statistic),
        )
        result, expression, label = "shortfall", SHORTFALL_EXPRESSION, f"{kind.shortfall_of} minus {spec.metric}"
    return [*parts, {"id": result, "expression": expression, "label": label, "return_data": True}]


def _query(query_id: str, monitor: Monitor, metric: str, spec: AlarmSpec, stat: str) -> dict[str, Any]:
    return {
        "id": query_id,
        "return_data": False,
        "metric": {
            "namespace": monitor.namespace,
            "metric_name": metric,
            "dimensions": dict(monitor.dimensions),
            "period": spec.period,
            "stat": stat,
        },
    }


def insights_query(monitor: Monitor, spec: AlarmSpec) -> pulumi.Output[str]:
    """`SELECT SUM(SystemErrors) FROM SCHEMA("AWS/DynamoDB", Operation, TableName) WHERE TableName = 'orders'`."""
    keys = sorted({*monitor.dimensions, str(spec.kind.across)})
    schema = ", ".join([json.dumps(monitor.namespace), *keys])

    def query(dimensions: dict[str, str]) -> str:
        where = " AND ".join(f"{key} = '{value}'" for key, value in sorted(dimensions.items()))
        return f"SELECT {spec.statistic.upper()}({spec.metric}) FROM SCHEMA({schema})" + (
            f" WHERE {where}" if where else ""
        )

    return pulumi.Output.from_input(dict(monitor.dimensions)).apply(query)


def composite_rule(monitor: Monitor) -> str:
    """`ALARM("a") OR ALARM("b")`: the composite fires while any child is in ALARM."""
    return " OR ".join(f'ALARM("{alarm.name}")' for alarm in monitor.alarms)


def burn_rule(alert: BurnComposite) -> str:
    """Both windows must burn: the long one says the budget took real damage, the short one that it still does."""
    return f'ALARM("{alert.long.name}") AND ALARM("{alert.short.name}")'
