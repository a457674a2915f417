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
        if report.policies is not None:
            lines += ["", *policy_lines(report)]
        return "\n".join(lines) + "\n"


def policy_lines(report: PreflightReport) -> list[str]:
    result = report.policies
    assert result is not None
    lines = [f"Policies: {result.pack} ({len(result.policies)} policies)"]
    if not report.findings:
        return [*lines, "  no findings"]
    for finding in sorted(report.findings, key=lambda f: (f.kind, f.level != "mandatory", f.policy)):
        where = finding.urn.rsplit("::", 1)[-1] if finding.urn else "stack"
        lines.append(f"  [{finding.kind} · {finding.level} · {finding.severity or '-'}] {finding.policy} @ {where}")
        lines.append(f"      {finding.message}")
        if finding.exemption:
            lines.append(f"      exempted: {finding.exemption}")
    return lines
