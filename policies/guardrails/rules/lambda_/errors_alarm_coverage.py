"""Every Lambda function of the stack has at least an Errors alarm."""

import fnmatch
from collections.abc import Iterator, Mapping
from typing import Any

from ...model import Guardrail, Parameter, References, StackResource, StackView, Violation
from ...props import UNKNOWN, text
from ...tokens import LAMBDA_FUNCTION, METRIC_ALARM


def watches_errors(alarm: StackResource, function: StackResource, function_name: Any) -> bool | None:
    """Whether the alarm watches the function's Errors metric (plain or inside metric math)."""
    props = alarm.props
    metrics = [("", props.get("namespace"), props.get("metricName"))]
    queries = props.items("metricQueries")
    if queries is UNKNOWN:
        return None
    metrics += [
        (
            f"metricQueries[{i}].metric.",
            props.get(f"metricQueries[{i}].metric.namespace"),
            props.get(f"metricQueries[{i}].metric.metricName"),
        )
        for i in range(len(queries))
    ]
    for prefix, namespace, metric in metrics:
        if (namespace, metric) != ("AWS/Lambda", "Errors"):
            continue
        dimension = props.get(f"{prefix}dimensions.FunctionName")
        top_level_prop = "metricQueries" if prefix else "dimensions"
        if function.urn in alarm.property_dependencies.get(top_level_prop, ()):
            return True
        if dimension is UNKNOWN or function_name is UNKNOWN:
            return None
        if dimension == function_name:
            return True
    return False


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation]:
    alarms = stack.of_type(METRIC_ALARM)
    for function in stack.of_type(LAMBDA_FUNCTION):
        name = function.props.get("name")
        if text(name) and any(fnmatch.fnmatchcase(name, p) for p in config["exemptFunctionPatterns"]):
            continue
        verdicts = [watches_errors(alarm, function, name) for alarm in alarms]
        if True in verdicts or None in verdicts:
            continue
        yield Violation(
            f"Lambda function {function.name!r} has no Errors alarm; add one (AWS/Lambda Errors, FunctionName dimension) to the alerting topic.",
            function.urn,
        )


GUARDRAIL = Guardrail(
    name="aws-lambda-function-monitor-errors",
    description="Every Lambda function in the stack has a CloudWatch alarm on its Errors metric.",
    severity="medium",
    kind="stack",
    resource_types=(LAMBDA_FUNCTION, METRIC_ALARM),
    remediation_steps="Add a MetricAlarm on AWS/Lambda Errors with the function's FunctionName dimension and the alerting topic as alarm action.",
    references=References(),
    check=check,
    parameters=(
        Parameter(
            "exemptFunctionPatterns",
            {"type": "array", "items": {"type": "string"}, "default": []},
            "Function-name wildcards that need no alarm.",
        ),
    ),
)
