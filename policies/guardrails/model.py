"""What a guardrail is: metadata, parameters, references and the check itself, in one value."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from .live import LiveAudit
from .props import MISSING, UNKNOWN, Origin, Props

Severity = Literal["low", "medium", "high", "critical"]


@dataclass(frozen=True)
class AwsDefault:
    """What AWS's own check does for the same setting, shown beside the pack's default."""

    value: Any
    source: str
    """The Security Hub control and/or AWS Config rule parameter it comes from."""


@dataclass(frozen=True)
class Parameter:
    name: str
    """camelCase key in the policy config, e.g. `minRetentionDays`."""
    schema: Mapping[str, Any]
    """JSON schema of the value, including its `default`."""
    description: str
    aws: AwsDefault | None = None
    """AWS's default for the same setting, where AWS has one."""

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
    covers: tuple[str, ...] = ()
    """Type tokens the managed rule evaluates, when only some of the guardrail's (default: all)."""
    periodic: bool = False
    """Evaluated on a schedule (every 24 hours unless the rule sets a maximumExecutionFrequency)
    instead of on each configuration change: it decides what the rule costs."""
    from_stack: Callable[[Sequence[Props]], Mapping[str, Any]] | None = None
    """Guardrail parameters a stack's own resources of the guardrail's types decide (given their
    wire props), so the rule it deploys checks the account against what the stack deploys."""

    def input_parameters(self, values: Mapping[str, Any]) -> dict[str, str]:
        """Config rule inputs are strings: booleans lower-case, whole numbers without a fraction,
        lists as the comma-separated values (Config's CSV type)."""
        params = dict(self.static_parameters)
        for rule_input, parameter in self.parameters_from.items():
            value = values[parameter]
            params[rule_input] = (
                ",".join(_rule_value(v) for v in value) if isinstance(value, (list, tuple)) else _rule_value(value)
            )
        return params


def _rule_value(value: Any) -> str:
    """A Config rule input as AWS reads it: lowercase booleans, whole numbers without a point; lists
    are comma-separated (the CSV parameter type)."""
    if isinstance(value, bool):
        return str(value).lower()
    return str(int(value) if isinstance(value, float) and value.is_integer() else value)


@dataclass(frozen=True)
class References:
    config_rule: ConfigRule | None = None
    cis: tuple[str, ...] = ()
    security_hub: tuple[str, ...] = ()
    checkov: tuple[str, ...] = ()

    def labels(self) -> list[str]:
        """Every reference as `framework:id`, the framework named as the policy config's selection names it."""
        config = (f"aws-config:{self.config_rule.identifier}",) if self.config_rule else ()
        return [
            *config,
            *(f"security-hub:{c}" for c in self.security_hub),
            *(f"cis:{c}" for c in self.cis),
            *(f"checkov:{c}" for c in self.checkov),
        ]

    def help_url(self) -> str | None:
        """AWS's page for the same check: the Config managed rule, else the first Security Hub control."""
        if self.config_rule:
            slug = self.config_rule.identifier.lower().replace("_", "-")
            return f"https://docs.aws.amazon.com/config/latest/developerguide/{slug}.html"
        if self.security_hub:
            service, number = self.security_hub[0].lower().split(".")
            return (
                f"https://docs.aws.amazon.com/securityhub/latest/userguide/{service}-controls.html#{service}-{number}"
            )
        return None


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


@dataclass(frozen=True)
class Undecided:
    """A verdict that depends on a value unknown until deploy; the pack reports it as such."""

    reason: str
    urn: str | None = None


ResourceCheck = Callable[[Props, Mapping[str, Any]], Iterable[str]]
StackCheck = Callable[["StackView", Mapping[str, Any]], Iterable[Violation | Undecided]]
Remediation = Callable[[Mapping[str, Any], Mapping[str, Any]], dict[str, Any] | None]
ConfigConflicts = Callable[[Mapping[str, Any]], Iterable[str]]


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
    conflicts: ConfigConflicts | None = None
    """Parameter values that exclude each other (a minimum above the maximum), one message each
    naming the parameters. Given the config with defaults applied; values of the wrong type are the
    schema's to report, so it passes over them."""
    reads_profile: bool = False
    """Judges a workload stack differently (policies/guardrails/profile.py): the pack hands it the
    profile inside its config."""
    resolves_references: bool = False
    """A resource check that reads references to other resources (key and log group ARNs, role
    ARNs). The pack runs it in AnalyzeStack, where property dependencies say what an unknown
    reference points at, so a first preview can decide it; still one verdict per resource."""
    audit: LiveAudit = LiveAudit()
    """How `opsctl audit` judges it in a deployed account, or why it does not; its safe live fix."""

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.parameters}

    def check_resource(self, props: Props, config: Mapping[str, Any]) -> Iterable[str]:
        """A resource guardrail's messages on one resource (`kind` says which signature `check` has)."""
        if self.kind != "resource":
            raise TypeError(f"{self.name} is a stack guardrail: it checks a StackView")
        return cast(ResourceCheck, self.check)(props, config)

    def check_stack(self, stack: StackView, config: Mapping[str, Any]) -> Iterable[Violation | Undecided]:
        """A stack guardrail's findings on the stack."""
        if self.kind != "stack":
            raise TypeError(f"{self.name} is a resource guardrail: it checks one resource's props")
        return cast(StackCheck, self.check)(stack, config)

    def config(self, given: Mapping[str, Any] | None) -> dict[str, Any]:
        """Schema defaults under the given config (the engine applies defaults; tests may not)."""
        return {**self.defaults(), **dict(given or {})}


class StackView:
    """Every resource of the stack, by type, for stack guardrails."""

    def __init__(
        self,
        resources: Iterable[tuple[str, str, str, Any, Mapping[str, tuple[str, ...]]]],
        everything: Mapping[str, tuple[str, str]] | None = None,
        stack_references: Mapping[str, str] | None = None,
    ):
        """`resources`: (type, name, urn, raw props, property dependencies) of the types a check
        reads; `everything`: urn → (type, name) of every resource of the stack, which references
        may point at (default: the given resources); `stack_references`: urn → name of every
        stack reference the stack declares or uses."""
        entries = list(resources)
        self.types_by_urn = dict(everything or {urn: (type_, name) for type_, name, urn, _, _ in entries})
        self.stack_references = dict(stack_references or {})
        self.resources = [
            StackResource(type_, name, urn, Props(props, self._origins_of(dependencies)), dict(dependencies))
            for type_, name, urn, props, dependencies in entries
        ]
        self.by_urn: dict[str, list[StackResource]] = {}
        """urn → the resource, or the facets of another provider's resource (policies/guardrails/providers)."""
        for r in self.resources:
            self.by_urn.setdefault(r.urn, []).append(r)

    def _origins_of(self, dependencies: Mapping[str, tuple[str, ...]]):
        def origins(prop: str) -> tuple[Origin, ...]:
            return tuple(
                Origin(*self.types_by_urn[urn], urn) for urn in dependencies.get(prop, ()) if urn in self.types_by_urn
            )

        return origins

    def of_type(self, *types: str) -> list[StackResource]:
        return [r for r in self.resources if r.type in types]

    def referenced(self, resource: StackResource, prop: str, *types: str) -> list[StackResource]:
        """Resources of `types` that `resource.prop` was computed from."""
        urns = resource.property_dependencies.get(prop, ())
        return [r for u in urns for r in self.by_urn.get(u, ()) if r.type in types]

    def attached(
        self,
        target: StackResource,
        types: tuple[str, ...],
        prop: str,
        target_key: str | tuple[str, ...],
        target_kinds: tuple[str, ...] = (),
    ) -> list[StackResource] | None:
        """Resources of `types` whose `prop` points at `target`: by dependency, or by a value equal
        to `target.target_key` (any of several keys, e.g. a secret's ARN or name). None when an
        unknown value could point at it.

        A value unknown during preview but computed from another resource of the target's kind
        (`target_kinds`, default the target's own type) points at that one, not at `target`.
        """
        kinds = target_kinds or (target.type,)
        keys = [target.props.peek(k) for k in ((target_key,) if isinstance(target_key, str) else target_key)]
        known_keys = [k for k in keys if k not in (MISSING, UNKNOWN)]
        key = UNKNOWN if UNKNOWN in keys else None
        found: list[StackResource] = []
        undecidable = False
        for candidate in self.of_type(*types):
            sources = candidate.property_dependencies.get(prop, ())
            if target.urn in sources:
                found.append(candidate)
                continue
            value = candidate.props.peek(prop)
            if value is UNKNOWN:
                points_elsewhere = any(self.types_by_urn.get(urn, ("", ""))[0] in kinds for urn in sources)
                undecidable = undecidable or not points_elsewhere
            elif value is not MISSING and value in known_keys:
                found.append(candidate)
            elif key is UNKNOWN:
                undecidable = undecidable or value is not MISSING
        return None if undecidable else found
