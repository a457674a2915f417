"""Human-readable plan: component tree, counts by type, stack outputs."""

from __future__ import annotations

import json

from ..report import PreflightReport
from .base import Formatter


class TextFormatter(Formatter):
    def render(self, report: PreflightReport) -> str:
        plan = report.plan
        counts = report.counts_by_type()
        lines = [
            f"{plan.project} · stack {plan.stack} · mode {plan.mode} · account {plan.account} · region {plan.region}",
            "",
            f"Resources ({sum(counts.values())} AWS resources in {len(plan.registrations) - sum(counts.values())} components):",
        ]
        for depth, registration in report.tree():
            lines.append(f"  {'   ' * depth}{'├─ ' if depth else ''}{registration.name}  [{registration.type}]")
        lines += ["", "Counts by type:"]
        width = max((len(t) for t in counts), default=0)
        lines += [f"  {type_.ljust(width)}  {count}" for type_, count in counts.items()]
        lines += ["", "Outputs:"]
        for name, value in report.rendered_outputs().items():
            shown = value if isinstance(value, str) else json.dumps(value)
            lines.append(f"  {name}: {shown}")
        return "\n".join(lines) + "\n"
