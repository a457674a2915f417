"""Judge an inventory with the guardrails: the pack's own check functions and parameters on live
resources, exemptions and selection from the same policy config. Pure: no AWS calls."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from policies.guardrails.catalog import CATALOG
from policies.guardrails.live import LiveFacts
from policies.guardrails.model import Guardrail, StackView, Undecided, Violation
from policies.guardrails.scope import Exemption, decided
from policies.guardrails.vocabulary.tokens import TRAIL

from ..findings import Finding, exemption_text
from .inventory import Inventory, LiveResource
from .readers import SOURCES
from .readers.aws_config import GLOBAL_TYPES_HOME
from .readers.cloudtrail import COVERED, UNCOVERED


def not_audited(catalog: Iterable[Guardrail] = CATALOG) -> dict[str, str]:
    """Guardrails whose inputs the readers do not read, with where to get the same answer."""
    return {g.name: g.audit.not_audited for g in catalog if g.audit.not_audited}


@dataclass(frozen=True)
class Checked:
    """One guardrail judged on one live resource (or on the region as a whole)."""

    policy: str
    resource: str
    type: str
    account: str
    region: str


def pending_deletion(props: Mapping[str, Any]) -> bool:
    """A key scheduled for deletion: only what still uses it is judged (its rotation and policy no longer matter)."""
    return props.get("keyState") == "PendingDeletion"


def uncovered(inventory: Inventory, identities: dict[str, LiveResource]) -> list[Violation]:
    """A region without a multi-region trail of its own counts on those homed elsewhere: each that
    does not cover it is a violation here, named by its ARN (added to `identities`)."""
    found = []
    for arn, home, gap in inventory.notes.get(UNCOVERED, ()):
        trail = LiveResource(TRAIL, arn.rsplit("/", 1)[-1], arn, {}, inventory.region)
        identities[urn(inventory.account, trail)] = trail
        message = f"Region {inventory.region} relies on multi-region trail {trail.name!r} homed in {home}, which {gap}."
        found.append(Violation(message, urn(inventory.account, trail)))
    return found


def urn(account: str, resource: LiveResource) -> str:
    """A URN-like identity: exemptions by name match its last part, as they match a logical name."""
    return f"urn:aws:{account}:{resource.region}::{resource.type}::{resource.name}"


def view_types(scope: str) -> frozenset[str]:
    return frozenset(t for source in SOURCES if source.scope == scope for t in source.types)


def judge(
    inventory: Inventory,
    policies: Mapping[str, tuple[str, Mapping[str, Any]]],
    today: date,
    catalog: Iterable[Guardrail] = CATALOG,
) -> tuple[list[Finding], list[Checked]]:
    """Findings and checked pairs of one view. `policies`: name → (level, parameters), as resolved
    from the policy config."""
    scope = "global" if inventory.region == "global" else "regional"
    readable = view_types(scope)
    identities = {urn(inventory.account, r): r for r in inventory.resources}
    entries: list[tuple[str, str, str, Any, Mapping[str, tuple[str, ...]]]] = [
        (r.type, r.name, identity, r.props, {}) for identity, r in identities.items()
    ]
    unread = inventory.unread()
    findings: list[Finding] = []
    checks: list[Checked] = []
    facts = LiveFacts(
        inventory.account,
        inventory.region,
        trail_elsewhere=inventory.notes.get(COVERED, ""),
        global_types_home=inventory.notes.get(GLOBAL_TYPES_HOME, ""),
    )
    for guardrail in catalog:
        level, parameters = policies.get(guardrail.name, ("advisory", {}))
        live = guardrail.audit
        types = set(live.types)
        if level == "disabled" or not types & readable or (live.starts_from and not readable & set(live.starts_from)):
            continue
        if types & unread:
            continue  # reported once per read error, with the guardrails it leaves unjudged
        config = guardrail.config(parameters)
        if live.account_config:
            config = dict(live.account_config(config, facts))
        view = StackView(e for e in entries if e[0] in types and (live.pending_deletion or not pending_deletion(e[3])))
        if guardrail.kind == "stack":
            results: Iterable[Violation | Undecided] = guardrail.check_stack(view, config)
        else:
            results = [
                Violation(m, r.urn) for r in view.of_type(*types) for m in guardrail.check_resource(r.props, config)
            ]
        if live.trails_elsewhere and not any(r.props.flag("isMultiRegionTrail") for r in view.resources):
            results = [*results, *uncovered(inventory, identities)]
        exemptions = [Exemption.read(e) for e in config.get("exemptions", ())]
        for result in results:
            findings.append(finding(guardrail, level, result, exemptions, identities, inventory, today))
        checks += [
            Checked(guardrail.name, resource.arn, resource.type, inventory.account, resource.region)
            for resource in (identities[r.urn] for r in view.resources)
        ] or [Checked(guardrail.name, "", "", inventory.account, inventory.region)]
    for error in inventory.errors:
        skipped = sorted(g.name for g in catalog if set(g.resource_types) & set(error.types))
        findings.append(
            Finding(
                "",
                "",
                "",
                f"{error.describe()}: not judged here: {', '.join(skipped)}",
                kind="error",
                account=inventory.account,
                region=inventory.region,
            )
        )
    return findings, checks


def finding(
    guardrail: Guardrail,
    level: str,
    result: Violation | Undecided,
    exemptions: list[Exemption],
    identities: Mapping[str, LiveResource],
    inventory: Inventory,
    today: date,
) -> Finding:
    resource = identities.get(result.urn or "")
    found = Finding(
        guardrail.name,
        level,
        guardrail.severity,
        "",
        subject=resource.arn if resource else "",
        account=inventory.account,
        region=resource.region if resource else inventory.region,
    )
    if isinstance(result, Undecided):  # live values are all known; a rule that still cannot decide says why
        return replace(found, message=result.reason, kind="error")
    message, exemption = decided(result.urn, result.message, exemptions, today)
    if exemption is None:
        return replace(found, message=message)
    return replace(
        found, message=message, kind="exempted", exemption=exemption_text(exemption.reason, exemption.expires)
    )
