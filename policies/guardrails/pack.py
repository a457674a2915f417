"""Turn catalog guardrails into pulumi-policy policies (the pack's __main__ only instantiates them)."""

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

from .catalog import CATALOG
from .model import Guardrail, StackResource, StackView
from .props import Props

SEVERITIES = {"low": Severity.LOW, "medium": Severity.MEDIUM, "high": Severity.HIGH, "critical": Severity.CRITICAL}


def resource_validation(guardrail: Guardrail):
    def validate(args: ResourceValidationArgs, report_violation) -> None:
        if args.resource_type not in guardrail.resource_types:
            return
        props = Props(args.props)
        messages = list(guardrail.check(props, guardrail.config(args.get_config())))
        for message in messages:
            report_violation(message)
        if not messages and props.unknowns:
            # Nothing known is wrong, but something could not be read yet: the SDK turns this
            # into its advisory "can't run policy ... during preview" diagnostic.
            raise props.unknowns[0]

    return validate


def stack_validation(guardrail: Guardrail):
    def validate(args: StackValidationArgs, report_violation) -> None:
        view = StackView(
            StackResource(
                type=r.resource_type,
                name=r.name,
                urn=r.urn,
                props=Props(r.props),
                property_dependencies={k: tuple(d.urn for d in v) for k, v in (r.property_dependencies or {}).items()},
            )
            for r in args.resources
            if r.resource_type in guardrail.resource_types
        )
        violations = list(guardrail.check(view, guardrail.config(args.get_config())))
        for violation in violations:
            report_violation(violation.message, violation.urn)
        if not violations and view.unknowns:
            raise view.unknowns[0]

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
    if guardrail.kind == "stack":
        return StackValidationPolicy(validate=stack_validation(guardrail), **common)
    remediation = resource_remediation(guardrail) if guardrail.remediate else None
    return ResourceValidationPolicy(validate=resource_validation(guardrail), remediate=remediation, **common)


def build_policies(catalog: Iterable[Guardrail] = CATALOG) -> list[ResourceValidationPolicy | StackValidationPolicy]:
    return [to_policy(g) for g in catalog]
