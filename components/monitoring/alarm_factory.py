"""The one alarm factory: an alarm of a monitor as `aws.cloudwatch.MetricAlarm` arguments, and the
rule of a composite alarm. Names come from the plan; the action strategy is the facade's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi

from plan.alarms import STATISTICS, AlarmSpec
from plan.monitors import Alarm, BurnComposite, Monitor

RATE_EXPRESSION = "IF(total > 0, 100 * part / total, 0)"
"""Percentage of `part` in `total`; 0 when there was no traffic, so idle periods never alarm."""


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
    if spec.kind.rate_of:
        args["metric_queries"] = [
            _query("part", monitor, spec.metric, spec),
            _query("total", monitor, spec.kind.rate_of, spec),
            {
                "id": "rate",
                "expression": RATE_EXPRESSION,
                "label": f"{spec.metric} per 100 {spec.kind.rate_of}",
                "return_data": True,
            },
        ]
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


def _query(query_id: str, monitor: Monitor, metric: str, spec: AlarmSpec) -> dict[str, Any]:
    return {
        "id": query_id,
        "return_data": False,
        "metric": {
            "namespace": monitor.namespace,
            "metric_name": metric,
            "dimensions": dict(monitor.dimensions),
            "period": spec.period,
            "stat": "Sum",
        },
    }


def composite_rule(monitor: Monitor) -> str:
    """`ALARM("a") OR ALARM("b")`: the composite fires while any child is in ALARM."""
    return " OR ".join(f'ALARM("{alarm.name}")' for alarm in monitor.alarms)


def burn_rule(alert: BurnComposite) -> str:
    """Both windows must burn: the long one says the budget took real damage, the short one that it still does."""
    return f'ALARM("{alert.long.name}") AND ALARM("{alert.short.name}")'
