"""Turn catalog guardrails into pulumi-policy policies (the pack's __main__ only instantiates them).

A resource guardrail becomes a resource policy, judged in Analyze; one that resolves references
is judged per resource in AnalyzeStack instead, where property dependencies are known. A stack
guardrail becomes a stack policy. Whatever stays undecided is raised as UnknownValueError after
every decided violation has been reported, so the SDK adds its "can't run policy ... during
preview" advisory naming what was unknown, and nothing known is lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import (
    PolicyConfigSchema,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError

from .catalog import CATALOG
from .model import Guardrail, StackView, Undecided, Violation
from .props import Props

SEVERITIES = {"low": Severity.LOW, "medium": Severity.MEDIUM, "high": Severity.HIGH, "critical": Severity.CRITICAL}


class UndecidedError(UnknownValueError):
    """What could not be decided during preview, for the SDK's preview diagnostic."""

    def __init__(self, reasons: Iterable[str]):
        super().__init__(UNKNOWN_STRING_VALUE, [])
        self.message = "; ".join(reasons)


def unknown_reason(paths: Iterable[str]) -> str:
    return f"{', '.join(dict.fromkeys(paths))} can't be known during preview"


def resource_validation(guardrail: Guardrail):
    def validate(args: ResourceValidationArgs, report_violation) -> None:
        if args.resource_type not in guardrail.resource_types:
            return
        props = Props(args.props)
        for message in guardrail.check(props, guardrail.config(args.get_config())):
            report_violation(message)
        if props.unknown_paths:
            raise UndecidedError([unknown_reason(props.unknown_paths)])

    return validate


def stack_view(args: StackValidationArgs, types: tuple[str, ...]) -> StackView:
    """The resources of `types`, and the type and name of every resource references may point at."""
    return StackView(
        (
            (
                r.resource_type,
                r.name,
                r.urn,
                r.props,
                {k: tuple(d.urn for d in v) for k, v in (r.property_dependencies or {}).items()},
            )
            for r in args.resources
            if r.resource_type in types
        ),
        {r.urn: (r.resource_type, r.name) for r in args.resources},
    )


def each_resource_in_stack(guardrail: Guardrail, stack: StackView, config: Mapping[str, Any]):
    """A resource check run on every resource of its types, with property dependencies at hand."""
    for resource in stack.of_type(*guardrail.resource_types):
        for message in guardrail.check(resource.props, config):
            yield Violation(message, resource.urn)
        if resource.props.unknown_paths:
            yield Undecided(f"{resource.name}: {unknown_reason(resource.props.unknown_paths)}", resource.urn)


def stack_validation(guardrail: Guardrail):
    def validate(args: StackValidationArgs, report_violation) -> None:
        config = guardrail.config(args.get_config())
        stack = stack_view(args, guardrail.resource_types)
        if guardrail.kind == "stack":
            findings = guardrail.check(stack, config)
        else:
            findings = each_resource_in_stack(guardrail, stack, config)
        undecided = []
        for finding in findings:
            if isinstance(finding, Undecided):
                undecided.append(finding.reason)
            else:
                report_violation(finding.message, finding.urn)
        if undecided:
            raise UndecidedError(undecided)

    return validate


def resource_remediation(guardrail: Guardrail):
    def remediate(args: ResourceValidationArgs) -> Mapping[str, Any] | None:
        if args.resource_type not in guardrail.resource_types:
            return None
        return guardrail.remediate(dict(args.props), guardrail.config(args.get_config()))

    return remediate


def to_policy(guardrail: Guardrail) -> ResourceValidationPolicy | StackValidationPolicy:
    common: dict[str, Any] = {
        "name": guardrail.name,
        "description": guardrail.description,
        "severity": SEVERITIES[guardrail.severity],
        "remediation_steps": guardrail.remediation_steps,
        "tags": sorted({t.split(":")[1].split("/")[0] for t in guardrail.resource_types}),
    }
    if guardrail.parameters:
        common["config_schema"] = PolicyConfigSchema({p.name: dict(p.schema) for p in guardrail.parameters})
    if guardrail.kind == "stack" or guardrail.resolves_references:
        return StackValidationPolicy(validate=stack_validation(guardrail), **common)
    remediation = resource_remediation(guardrail) if guardrail.remediate else None
    return ResourceValidationPolicy(validate=resource_validation(guardrail), remediate=remediation, **common)


def build_policies(catalog: Iterable[Guardrail] = CATALOG) -> list[ResourceValidationPolicy | StackValidationPolicy]:
    return [to_policy(g) for g in catalog]
