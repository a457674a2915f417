"""Human-readable plan: component tree, counts by type, stack outputs, findings and cost."""

from __future__ import annotations

import json

from ..cost import CostChange, CostEstimate
from ..live.audit import AuditReport
from ..notifications import Forecast
from ..report import PreflightReport
from .base import AuditFormatter, CostFormatter, Formatter
from .money import change_summary, price, quantity, usd
from .subscribers import breakdown, endpoint, filtered

OUTPUT_ITEMS = 5
"""A list or map output longer than this shows its first items and a count."""
OUTPUT_WIDTH = 200
"""An output line longer than this is clipped; `--format json` keeps every value whole."""


def summarised(value: object) -> tuple[str, bool]:
    """One short line per stack output, however many resources it names; and whether it was cut."""
    more = ""
    if isinstance(value, list) and len(value) > OUTPUT_ITEMS:
        more = f" … {len(value) - 3} more ({len(value)} in all)"
        value = value[:3]
    elif isinstance(value, dict) and len(value) > OUTPUT_ITEMS:
        more = f" … {len(value) - 3} more keys ({len(value)} in all)"
        value = dict(list(value.items())[:3])
    shown = value if isinstance(value, str) else json.dumps(value)
    if len(shown) > OUTPUT_WIDTH:
        shown = f"{shown[:OUTPUT_WIDTH]}… ({len(shown)} characters)"
    return shown + more, bool(more) or len(shown) > OUTPUT_WIDTH


class TextFormatter(Formatter, CostFormatter, AuditFormatter):
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
        outputs = {name: summarised(value) for name, value in report.rendered_outputs().items()}
        cut = any(shortened for _, shortened in outputs.values())
        lines += ["", "Outputs (long values shortened; --format json has them whole):" if cut else "Outputs:"]
        lines += [f"  {name}: {shown}" for name, (shown, _) in outputs.items()]
        if report.policies is not None:
            lines += ["", *policy_lines(report)]
        if report.cost is not None:
            lines += ["", *cost_lines(report.cost, report.cost_change())]
        if report.notifications is not None:
            lines += ["", *notification_lines(report.notifications)]
        return "\n".join(lines) + "\n"

    def render_cost(self, report: PreflightReport) -> str:
        assert report.cost is not None
        return "\n".join(cost_lines(report.cost, report.cost_change())) + "\n"

    def render_audit(self, report: AuditReport) -> str:
        lines = [
            f"Audit of {len(report.accounts)} account(s) in {', '.join(report.regions)}: "
            f"{len(report.checks)} checks, policy config {report.config_file or 'pack defaults'}"
        ]
        order = {"error": 0, "violation": 1, "exempted": 2}
        for finding in sorted(
            report.findings, key=lambda f: (f.account, f.region, order[f.kind], f.policy, f.resource)
        ):
            where = f"{finding.account} {finding.region}"
            if finding.kind == "error":
                lines += [f"  [error] {where}", f"      {finding.message}"]
                continue
            lines.append(
                f"  [{finding.kind} · {finding.level} · {finding.severity}] {finding.policy} @ {finding.resource or where}"
            )
            lines.append(f"      {finding.message}" + (f" ({where})" if finding.resource else ""))
            if finding.exemption:
                lines.append(f"      exempted: {finding.exemption}")
        if not report.findings:
            lines.append("  no findings")
        for result in report.fixes:
            planned = result.planned
            status = f"failed: {result.error}" if result.error else "applied"
            lines.append(f"  [fix {status}] {planned.policy} @ {planned.resource.arn}: {planned.change}")
        lines += [f"  not audited live: {name} ({why})" for name, why in report.not_audited.items()]
        return "\n".join(lines) + "\n"


def policy_lines(report: PreflightReport) -> list[str]:
    result = report.policies
    assert result is not None
    lines = [f"Policies: {result.pack} ({len(result.policies)} policies)"]
    if report.baseline is not None:
        existing = sum(1 for f in report.findings if f.existing)
        fixed = f", {len(report.fixed())} fixed" if report.baseline.has_findings else ""
        lines.append(f"  baseline {report.baseline.path}: {existing} violation(s) already there{fixed}")
    if not report.findings:
        return [*lines, "  no findings"]
    for finding in sorted(report.findings, key=lambda f: (f.kind, f.existing, f.level != "mandatory", f.policy)):
        where = finding.urn.rsplit("::", 1)[-1] if finding.urn else "stack"
        state = " · existing" if finding.existing else ""
        lines.append(
            f"  [{finding.kind}{state} · {finding.level} · {finding.severity or '-'}] {finding.policy} @ {where}"
        )
        lines.append(f"      {finding.message}")
        if finding.exemption:
            lines.append(f"      exempted: {finding.exemption}")
    return lines


def cost_lines(estimate: CostEstimate, change: CostChange | None) -> list[str]:
    lines = [f"Estimated monthly cost: {usd(estimate.total)} ({estimate.region}, list prices, before usage)"]
    if change is not None:
        lines.append(f"  change: {change_summary(change)}")
    width = max((len(line.what) for line in estimate.lines), default=0)
    for line in estimate.lines:
        free = f" ({quantity(line.free)} free)" if line.free else ""
        region = f" [{line.region}]" if line.region != estimate.region else ""
        lines.append(
            f"  {line.what.ljust(width)}  {quantity(line.quantity)} × {price(line.unit_price)}{free}{region}  = {usd(line.monthly)}"
        )
        lines += [f"      {basis}" for basis in line.basis]
    if estimate.per_unit:
        lines.append("  Billed by use, not in the total:")
        for rate in estimate.per_unit:
            region = f" [{rate.region}]" if rate.region != estimate.region else ""
            lines.append(
                f"    {rate.what}{region}: {price(rate.unit_price)} USD per {rate.unit} ({', '.join(rate.resources)})"
            )
    lines += [f"  note: {note}" for note in estimate.notes]
    lines += [f"  prices: {source}" for source in estimate.sources]
    return lines


def notification_lines(forecast: Forecast) -> list[str]:
    lines = [f"Expected notifications a month, per subscriber ({forecast.days}-day month, assumptions below):"]
    if not forecast.receivers:
        lines.append("  no subscribers")
    shown = {id(r): endpoint(r) for r in forecast.receivers}
    width = max((len(s) for s in shown.values()), default=0)
    for receiver in forecast.receivers:
        topics = ", ".join(receiver.topics)
        lines.append(f"  {shown[id(receiver)].ljust(width)}  {receiver.monthly:>5,}  {topics}{filtered(receiver)}")
        lines.append(f"      {breakdown(receiver)}")
        lines += [f"      note: {note}" for note in receiver.notes]
    lines += [f"  note: {note}" for note in forecast.notes]
    lines += [f"  assumed: {assumption}" for assumption in forecast.assumptions]
    return lines
