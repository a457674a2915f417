"""What a preflight produced, in the shape every output format renders."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from pulumi.runtime.rpc import UNKNOWN, _special_secret_sig, _special_sig_key

from .engine import Plan, Registration

SECRET_TEXT = "[secret]"
UNKNOWN_TEXT = "(known after deploy)"


@dataclass
class PreflightReport:
    plan: Plan

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
