"""Every Lambda function of the stack has at least an Errors alarm; in a workload stack that
references the baseline, the baseline's monitoring provides it."""

import fnmatch
from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit
from ...model import Guardrail, Parameter, References, StackResource, StackView, Undecided, Violation
from ...profile import Profile
from ...props import UNKNOWN, text
from ...vocabulary.tokens import LAMBDA_FUNCTION, METRIC_ALARM


def _points_at(stack: StackView, alarm: StackResource, prop: str, function: StackResource) -> Any:
    """For a value unknown until deploy: True when computed from this function, False when
    computed from other functions only, else UNKNOWN."""
    sources = alarm.property_dependencies.get(prop, ())
    if function.urn in sources:
        return True
    others = [urn for urn in sources if stack.types_by_urn.get(urn, ("", ""))[0] == LAMBDA_FUNCTION]
    return False if others else UNKNOWN


def watches_errors(stack: StackView, alarm: StackResource, function: StackResource, function_name: Any) -> Any:
    """Whether the alarm watches the function's Errors metric (plain or inside metric math):
    True, False or UNKNOWN."""
    props = alarm.props
    queries = props.count("metricQueries")
    if queries is UNKNOWN:
        return _points_at(stack, alarm, "metricQueries", function)
    metrics = [("", "dimensions")] + [(f"metricQueries[{i}].metric.", "metricQueries") for i in range(queries)]
    verdict: Any = False
    for prefix, top_level_prop in metrics:
        namespace, metric = props.peek(f"{prefix}namespace"), props.peek(f"{prefix}metricName")
        if UNKNOWN in (namespace, metric):
            verdict = UNKNOWN
            continue
        if (namespace, metric) != ("AWS/Lambda", "Errors"):
            continue
        if function.urn in alarm.property_dependencies.get(top_level_prop, ()):
            return True
        dimension = props.peek(f"{prefix}dimensions.FunctionName")
        if dimension is UNKNOWN:
            found = _points_at(stack, alarm, top_level_prop, function)
        elif function_name is UNKNOWN:
            found = UNKNOWN
        else:
            found = dimension == function_name
        if found is True:
            return True
        verdict = UNKNOWN if found is UNKNOWN else verdict
    return verdict


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation | Undecided]:
    profile = Profile.of(config)
    if profile.workload and profile.references_baseline(stack):
        # The baseline alarms on the functions its monitoring.lambdaFunctions names.
        return
    alarms = stack.of_type(METRIC_ALARM)
    for function in stack.of_type(LAMBDA_FUNCTION):
        name = function.props.peek("name")
        if text(name) and any(fnmatch.fnmatchcase(name, p) for p in config["exemptFunctionPatterns"]):
            continue
        verdicts = [watches_errors(stack, alarm, function, name) for alarm in alarms]
        if True in verdicts:
            continue
        if UNKNOWN in verdicts:
            yield Undecided(
                f"{function.name}: whether an alarm watches its Errors is unknown until deploy", function.urn
            )
            continue
        alarm = "add one (AWS/Lambda Errors, FunctionName dimension) to the alerting topic"
        if profile.workload:
            yield Violation(
                f"Lambda function {function.name!r} has no Errors alarm, and nothing shows the stack references the "
                f"baseline, which could alarm on it; {alarm}, or {profile.describe_reference()} and list the "
                "function under the baseline's monitoring.lambdaFunctions.",
                function.urn,
            )
        else:
            yield Violation(f"Lambda function {function.name!r} has no Errors alarm; {alarm}.", function.urn)


GUARDRAIL = Guardrail(
    name="aws-lambda-function-monitor-errors",
    description="Every Lambda function in the stack has a CloudWatch alarm on its Errors metric (in a workload stack, its own or the baseline's).",
    severity="medium",
    kind="stack",
    resource_types=(LAMBDA_FUNCTION, METRIC_ALARM),
    remediation_steps="Add a MetricAlarm on AWS/Lambda Errors with the function's FunctionName dimension and the alerting topic as alarm action; a workload stack may instead use the baseline stack's outputs and have the baseline list the function under monitoring.lambdaFunctions.",
    references=References(),
    check=check,
    reads_profile=True,
    parameters=(
        Parameter(
            "exemptFunctionPatterns",
            {"type": "array", "items": {"type": "string"}, "default": []},
            "Function-name wildcards that need no alarm.",
        ),
    ),
    audit=LiveAudit(types=(LAMBDA_FUNCTION, METRIC_ALARM)),
)
