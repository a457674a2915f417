"""Turn catalog guardrails into pulumi-policy policies (the pack's __main__ only serves them).

A resource guardrail becomes a resource policy, judged in Analyze; one that resolves references
is judged per resource in AnalyzeStack instead, where property dependencies are known. A stack
guardrail becomes a stack policy. Violations on exempted resources are not reported as violations
but as the policy's not-applicable reason, one `exempted ...` line each. Whatever stays undecided
is raised as UnknownValueError after every decided violation has been reported, so the SDK adds
its "can't run policy ... during preview" advisory naming what was unknown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from pulumi_policy import (
    PolicyConfigSchema,
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError

from .catalog import CATALOG
from .checks import each_resource
from .model import Guardrail, StackView, Undecided, Violation
from .profile import PROFILE, PROFILE_SCHEMA, STACK_REFERENCE
from .props import Props, text, unknown_reason
from .providers import View, facets_of, judged_as, view_of
from .scope import EXEMPTIONS_SCHEMA, SELECTION, SELECTION_SCHEMA, UNDECIDED_LINE, Exemption, decided, exempted_line

SEVERITIES = {"low": Severity.LOW, "medium": Severity.MEDIUM, "high": Severity.HIGH, "critical": Severity.CRITICAL}
PACK_NAME = "ops-baseline-guardrails"
PACK_VERSION = str(yaml.safe_load((Path(__file__).parent.parent / "PulumiPolicy.yaml").read_text())["version"])
"""The pack's manifest holds the project's one version (PyYAML comes with the pulumi SDK)."""
PACK_DESCRIPTION = (
    "ops-baseline guardrails: log retention, alarm actions, ECR scanning, encryption, public access, network "
    "exposure, IMDSv2, RDS and EKS, IAM, CloudTrail, Config and CIS alarms."
)


class UndecidedError(UnknownValueError):
    """What could not be decided during preview, for the SDK's preview diagnostic."""

    def __init__(self, reasons: Iterable[str]):
        super().__init__(UNKNOWN_STRING_VALUE, [])
        self.message = "; ".join(reasons)


def report(args, report_violation, findings: Iterable[Violation | Undecided], config: Mapping[str, Any]) -> None:
    """Report decided violations (exempted ones as the not-applicable reason), then what is undecided,
    resource by resource in URN order: the engine hands a stack policy the resources in the order the
    program registered them, which varies from run to run."""
    today = datetime.now(UTC).date()
    exemptions = [Exemption.read(e) for e in config.get("exemptions", ())]
    exempted, undecided = [], []
    for finding in sorted(findings, key=lambda f: f.urn or ""):
        if isinstance(finding, Undecided):
            undecided.append(finding.reason)
            continue
        message, exemption = decided(finding.urn, finding.message, exemptions, today)
        if exemption is None:
            report_violation(message, finding.urn)
        else:
            exempted.append(exempted_line(finding.urn, message, exemption))
    if exempted:
        args.not_applicable("\n".join([*exempted, *(f"{UNDECIDED_LINE}{u}" for u in undecided)]))
    if undecided:
        raise UndecidedError(undecided)


def judged_props(type_: str, props: Any, types: frozenset[str]) -> list[tuple[Any, View | None]]:
    """The props a guardrail of `types` judges for one resource: its own, or for another
    provider's resource the facets its view gives of those types (with the view, to name the
    resource's own props in messages)."""
    if type_ in types:
        return [(props, None)]
    view = view_of(type_)
    if view is None or types.isdisjoint(view.judged_as):
        return []
    return [(facet.wire_props(), view) for facet in facets_of(type_, props, types)]


def renamed(finding: Violation | Undecided, view: View | None) -> Violation | Undecided:
    if view is None:
        return finding
    if isinstance(finding, Violation):
        return Violation(view.rename(finding.message), finding.urn)
    return Undecided(view.rename(finding.reason), finding.urn)


def resource_validation(guardrail: Guardrail):
    types = frozenset(guardrail.resource_types)

    def validate(args: ResourceValidationArgs, report_violation) -> None:
        judged = judged_props(args.resource_type, args.props, types)
        if not judged:
            return
        config = guardrail.config(args.get_config())
        findings: list[Violation | Undecided] = []
        for raw, view in judged:
            props = Props(raw, provider=args.provider.props if args.provider else None)
            found: list[Violation | Undecided] = [
                Violation(m, args.urn) for m in guardrail.check_resource(props, config)
            ]
            if props.unknown_paths:
                found.append(Undecided(unknown_reason(props.unknown_paths), args.urn))
            findings += [renamed(f, view) for f in found]
        report(args, lambda message, urn=None: report_violation(message), findings, config)

    return validate


def stack_references(resources: Iterable[PolicyResource]) -> dict[str, str]:
    """urn → name of every stack reference the stack declares or depends on. The engine leaves
    read resources out of AnalyzeStack, so most are known only by the URN their users depend on,
    which ends with the reference's logical name; a listed one names its stack in `name`."""
    found: dict[str, str] = {}
    for r in resources:
        if r.resource_type == STACK_REFERENCE:
            found[r.urn] = text(Props(r.props).peek("name")) or r.name
    for r in resources:
        for d in (*r.dependencies, *(d for ds in (r.property_dependencies or {}).values() for d in ds)):
            if d.resource_type == STACK_REFERENCE:
                found.setdefault(d.urn, d.name)
    return found


def stack_view(args: StackValidationArgs, guardrail: Guardrail) -> StackView:
    """The resources of the guardrail's types (another provider's as their facets of those types),
    the type and name of every resource references may point at, and (for a guardrail that reads
    the profile) the stack references the stack uses."""
    wanted = frozenset(guardrail.resource_types)
    listed = {r.urn: (judged_as(r.resource_type), r.name) for r in args.resources}
    entries = []
    for r in args.resources:
        view = None if r.resource_type in wanted else view_of(r.resource_type)
        if r.resource_type not in wanted and (view is None or wanted.isdisjoint(view.judged_as)):
            continue
        dependencies = {
            k: tuple(d.urn for d in v if d.urn in listed) for k, v in (r.property_dependencies or {}).items()
        }
        if view is None:
            entries.append((r.resource_type, r.name, r.urn, r.props, dependencies))
        else:
            entries += [
                (f.type, r.name, r.urn, f.wire_props(), f.dependencies(dependencies, r.urn))
                for f in facets_of(r.resource_type, r.props, wanted)
            ]
    return StackView(entries, listed, stack_references(args.resources) if guardrail.reads_profile else None)


def stack_validation(guardrail: Guardrail):
    def validate(args: StackValidationArgs, report_violation) -> None:
        config = guardrail.config(args.get_config())
        stack = stack_view(args, guardrail)
        if guardrail.kind == "stack":
            findings = guardrail.check_stack(stack, config)
        else:
            findings = each_resource(guardrail.check_resource, guardrail.resource_types, stack, config)
        views = {r.urn: view_of(r.resource_type) for r in args.resources if view_of(r.resource_type)}
        report(args, report_violation, [renamed(f, views.get(f.urn or "")) for f in findings], config)

    return validate


def resource_remediation(guardrail: Guardrail):
    def remediate(args: ResourceValidationArgs) -> Mapping[str, Any] | None:
        if guardrail.remediate is None or args.resource_type not in guardrail.resource_types:
            return None
        return guardrail.remediate(dict(args.props), guardrail.config(args.get_config()))

    return remediate


def services_of(guardrail: Guardrail) -> list[str]:
    """The services a policy looks at, or `all` for a rule on every taggable type."""
    services = sorted({t.split(":")[1].split("/")[0] for t in guardrail.resource_types})
    return services if len(services) <= 12 else ["all"]


def to_policy(guardrail: Guardrail) -> ResourceValidationPolicy | StackValidationPolicy:
    common: dict[str, Any] = {
        "name": guardrail.name,
        "description": guardrail.description,
        "severity": SEVERITIES[guardrail.severity],
        "remediation_steps": guardrail.remediation_steps,
        "tags": [*services_of(guardrail), *guardrail.references.labels()],
        "url": guardrail.references.help_url(),
        "config_schema": PolicyConfigSchema(
            {**{p.name: dict(p.schema) for p in guardrail.parameters}, "exemptions": EXEMPTIONS_SCHEMA}
        ),
    }
    if guardrail.kind == "stack" or guardrail.resolves_references:
        return StackValidationPolicy(validate=stack_validation(guardrail), **common)
    remediation = resource_remediation(guardrail) if guardrail.remediate else None
    return ResourceValidationPolicy(validate=resource_validation(guardrail), remediate=remediation, **common)


def setting_policy(name: str, description: str, schema: Mapping[str, Any], remediation: str) -> StackValidationPolicy:
    """The place of a pack-wide setting in the policy config; it validates nothing itself."""
    return StackValidationPolicy(
        name=name,
        description=description,
        validate=lambda args, report_violation: None,
        config_schema=PolicyConfigSchema(dict(schema)),
        severity=Severity.LOW,
        remediation_steps=remediation,
        tags=[name.removeprefix("ops-baseline-")],
    )


SETTINGS = (
    (
        SELECTION,
        "Selects the guardrails that run, by severity, framework or name; the others are disabled.",
        SELECTION_SCHEMA,
        "List severities, frameworks (cis, security-hub, aws-config, checkov) or guardrail names under ops-baseline-selection in the policy config.",
    ),
    (
        PROFILE,
        "Says whether the stack is the baseline or a workload that relies on its account's baseline.",
        PROFILE_SCHEMA,
        'Set "stack": "workload" under ops-baseline-profile for an application stack (policies/config/workload.json).',
    ),
)
"""The pack-wide settings, as pseudo-policies: name, description, schema, remediation steps."""


def build_policies(catalog: Iterable[Guardrail] = CATALOG) -> list[ResourceValidationPolicy | StackValidationPolicy]:
    return [*(to_policy(g) for g in catalog), *(setting_policy(*setting) for setting in SETTINGS)]
