"""What a preflight produced, in the shape every output format renders."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from pulumi.runtime.rpc import UNKNOWN, _special_secret_sig, _special_sig_key

from .engine import Plan, Registration
from .engine.policy_run import Finding, PolicyResult

SECRET_TEXT = "[secret]"
UNKNOWN_TEXT = "(known after deploy)"


SEVERITY_ORDER = ("low", "medium", "high", "critical")


@dataclass
class PreflightReport:
    plan: Plan
    policies: PolicyResult | None = None

    @property
    def findings(self) -> list[Finding]:
        return self.policies.findings if self.policies else []

    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.kind == "violation"]

    def counts_by_type(self) -> dict[str, int]:
        counts = Counter(r.type for r in self.plan.registrations if r.custom)
        return dict(sorted(counts.items()))

    def tree(self) -> list[tuple[int, Registration]]:
        """Registrations depth-first from the stack's direct children, with their depth."""
        by_parent: dict[str | None, list[Registration]] = {}
        urns = {r.urn for r in self.plan.registrations}
        for r in self.plan.registrations:
            parent = r.parent if r.parent in urns else None
            by_parent.setdefault(parent, []).append(r)
        ordered: list[tuple[int, Registration]] = []

        def walk(parent: str | None, depth: int) -> None:
            for child in sorted(by_parent.get(parent, []), key=lambda r: (r.custom, r.type, r.name)):
                ordered.append((depth, child))
                walk(child.urn, depth + 1)

        walk(None, 0)
        return ordered

    def rendered_outputs(self) -> dict[str, Any]:
        shown: dict[str, Any] = {}
        for name, output in sorted(self.plan.outputs.items()):
            if output.secret:
                shown[name] = SECRET_TEXT
            elif not output.known:
                shown[name] = UNKNOWN_TEXT
            else:
                shown[name] = redact(output.value)
        return shown


def redact(value: Any) -> Any:
    """Wire-form values for display: secrets hidden, unknowns named."""
    if isinstance(value, dict):
        if value.get(_special_sig_key) == _special_secret_sig:
            return SECRET_TEXT
        return {k: redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    if value == UNKNOWN:
        return UNKNOWN_TEXT
    return value


def exit_code(findings: list[Finding], fail_on: str) -> int:
    """1 when a violation reaches the threshold, else 0.

    `mandatory`: any violation enforced as mandatory (what blocks `pulumi up`);
    a severity (`low` … `critical`): any violation at or above it, advisory ones included;
    `never`: always 0.
    """
    violations = [f for f in findings if f.kind == "violation"]
    if fail_on == "never":
        return 0
    if fail_on == "mandatory":
        return int(any(f.level in ("mandatory", "remediate") for f in violations))
    floor = SEVERITY_ORDER.index(fail_on)
    return int(any(f.severity in SEVERITY_ORDER and SEVERITY_ORDER.index(f.severity) >= floor for f in violations))
