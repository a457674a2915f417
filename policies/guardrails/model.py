"""What a guardrail is: metadata, parameters, references and the check itself, in one value."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .props import MISSING, UNKNOWN, Props

Severity = Literal["low", "medium", "high", "critical"]


@dataclass(frozen=True)
class Parameter:
    name: str
    """camelCase key in the policy config, e.g. `minRetentionDays`."""
    schema: Mapping[str, Any]
    """JSON schema of the value, including its `default`."""
    description: str

    @property
    def default(self) -> Any:
        return self.schema["default"]


@dataclass(frozen=True)
class ConfigRule:
    """The AWS Config managed rule that checks the same thing at runtime."""

    identifier: str
    static_parameters: Mapping[str, str] = field(default_factory=dict)
    parameters_from: Mapping[str, str] = field(default_factory=dict)
    """Config rule input name → guardrail parameter whose value it takes."""

    def input_parameters(self, values: Mapping[str, Any]) -> dict[str, str]:
        params = dict(self.static_parameters)
        for rule_input, parameter in self.parameters_from.items():
            value = values[parameter]
            params[rule_input] = (
                str(value).lower()
                if isinstance(value, bool)
                else str(int(value) if isinstance(value, float) and value.is_integer() else value)
            )
        return params


@dataclass(frozen=True)
class References:
    config_rule: ConfigRule | None = None
    cis: tuple[str, ...] = ()
    security_hub: tuple[str, ...] = ()
    checkov: tuple[str, ...] = ()


@dataclass(frozen=True)
class StackResource:
    type: str
    name: str
    urn: str
    props: Props
    property_dependencies: Mapping[str, tuple[str, ...]]
    """Prop name → URNs its value came from (joins that work while values are unknown)."""


@dataclass(frozen=True)
class Violation:
    message: str
    urn: str | None = None


ResourceCheck = Callable[[Props, Mapping[str, Any]], Iterable[str]]
StackCheck = Callable[["StackView", Mapping[str, Any]], Iterable[Violation]]
Remediation = Callable[[Mapping[str, Any], Mapping[str, Any]], dict[str, Any] | None]


@dataclass(frozen=True)
class Guardrail:
    name: str
    """Policy name, `aws-<service>-<resource>-<verb>-<object>`."""
    description: str
    severity: Severity
    resource_types: tuple[str, ...]
    remediation_steps: str
    references: References
    check: ResourceCheck | StackCheck
    kind: Literal["resource", "stack"] = "resource"
    parameters: tuple[Parameter, ...] = ()
    remediate: Remediation | None = None
    """Safe automatic fix: new props, or None when there is nothing unambiguous to do."""

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.parameters}

    def config(self, given: Mapping[str, Any] | None) -> dict[str, Any]:
        """Schema defaults under the given config (the engine applies defaults; tests may not)."""
        return {**self.defaults(), **dict(given or {})}


class StackView:
    """Every resource of the stack, by type, for stack guardrails."""

    def __init__(self, resources: Iterable[StackResource]):
        self.resources = list(resources)
        self.by_urn = {r.urn: r for r in self.resources}

    def of_type(self, *types: str) -> list[StackResource]:
        return [r for r in self.resources if r.type in types]

    def referenced(self, resource: StackResource, prop: str, *types: str) -> list[StackResource]:
        """Resources of `types` that `resource.prop` was computed from."""
        urns = resource.property_dependencies.get(prop, ())
        return [self.by_urn[u] for u in urns if u in self.by_urn and self.by_urn[u].type in types]

    @property
    def unknowns(self) -> list[Any]:
        return [u for r in self.resources for u in r.props.unknowns]

    def attached(self, target: StackResource, type_: str, prop: str, target_key: str) -> list[StackResource] | None:
        """Resources of `type_` whose `prop` points at `target` (by dependency, or by equal value
        to `target.target_key`); None when an unknown value makes the join undecidable."""
        key = target.props.get(target_key)
        found = []
        for candidate in self.of_type(type_):
            if target.urn in candidate.property_dependencies.get(prop, ()):
                found.append(candidate)
                continue
            value = candidate.props.get(prop)
            if value is UNKNOWN or key is UNKNOWN:
                return None
            if value is not MISSING and value == key:
                found.append(candidate)
        return found
