"""Human-readable preflight: component tree, counts by type, stack outputs, findings and cost."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from policies.guardrails.catalog import BY_NAME
from policies.guardrails.spelling import counted

from ..cost import CostChange, CostEstimate
from ..findings import PREVIEW_SKIP, Finding, PolicyInfo
from ..notifications import Forecast
from ..report import AuditReport, DrillReport, PreflightReport, VerifyReport
from .base import CostFormatter, ReportFormatter

if TYPE_CHECKING:
    from ..engine import Registration
from .money import change_summary, price, quantity, usd
from .subscribers import breakdown, endpoint, filtered

OUTPUT_ITEMS = 5
"""A list or map output longer than this shows its first items and a count."""
OUTPUT_WIDTH = 200
"""An output line longer than this is clipped; `--format json` keeps every value whole."""
DETAIL = "      "
"""Where the lines under a finding start: every line of its message, its exemption."""
LEVEL_ORDER = ("mandatory", "remediate", "advisory", "disabled")


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


class TextFormatter(ReportFormatter, CostFormatter):
    def render(self, report: PreflightReport) -> str:
        run = report.run
        counts = report.counts_by_type()
        resources = sum(counts.values())
        components = counted(len(run.registrations) - resources, "component")
        lines = [
            f"{run.project} · stack {run.stack} · mode {run.mode} · account {run.account} · region {run.region}",
            "",
            f"Resources ({counted(resources, 'AWS resource')} in {components}):",
            *tree_lines(report.tree()),
        ]
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
            f"Audit of {counted(len(report.accounts), 'account')} in {', '.join(report.regions)}: "
            f"{counted(len(report.checks), 'check')}, policy config {report.config_file or 'pack defaults'}"
        ]
        order = {"error": 0, "violation": 1, "exempted": 2}
        for finding in sorted(report.findings, key=lambda f: (f.account, f.region, order[f.kind], f.policy, f.subject)):
            where = f"{finding.account} {finding.region}"
            if finding.kind == "error":
                lines += [f"  [error] {where}", *detail(finding.message)]
                continue
            lines.append(
                f"  [{finding.kind} · {finding.level} · {finding.severity}] {finding.policy} @ {finding.subject or where}"
            )
            lines += detail(finding.message + (f" ({where})" if finding.subject else ""))
            if finding.exemption:
                lines += detail(f"exempted: {finding.exemption}")
        if not report.findings:
            lines.append("  no findings")
        for result in report.fixes:
            proposed = result.proposed
            status = f"failed: {result.error}" if result.error else "applied"
            lines.append(f"  [fix {status}] {proposed.policy} @ {proposed.resource.arn}: {proposed.change}")
        lines += [f"  not audited live: {name} ({why})" for name, why in report.not_audited.items()]
        return "\n".join(lines) + "\n"

    def render_verify(self, report: VerifyReport) -> str:
        lines = [f"{'[error] ' if g.error else ''}{g.what}: {g.problem}\n    fix: {g.fix}" for g in report.gaps]
        return "\n".join(lines or [f"stack {report.stack} is as planned in account {report.account}"]) + "\n"

    def render_drill(self, report: DrillReport) -> str:
        lines = [
            f"{r.outcome:13} {r.alarm} ({r.region})"
            + (f" in {r.seconds:.1f} s" if r.seconds is not None else "")
            + (f": {r.detail}" if r.detail else "")
            for r in report.results
        ]
        return "\n".join([*lines, *(f"cleanup problem: {p}" for p in report.cleanup_problems)]) + "\n"


def tree_lines(tree: list[tuple[int, Registration]]) -> list[str]:
    """The component tree with its branches drawn: `├─` before a child that has a sibling below it,
    `└─` before the last, and `│` carrying a branch down past the children of a child above."""
    later_sibling: dict[int, bool] = {}
    drawn: list[str] = []
    for depth, registration in reversed(tree):
        # Scanning upwards: a depth seen since the last shallower node has a sibling below.
        branches = "".join("│  " if later_sibling.get(d) else "   " for d in range(1, depth))
        connector = ("├─ " if later_sibling.get(depth) else "└─ ") if depth else ""
        drawn.append(f"  {branches}{connector}{registration.name}  [{registration.type}]")
        later_sibling = {d: seen for d, seen in later_sibling.items() if d < depth} | {depth: True}
    return drawn[::-1]


def detail(text: str) -> list[str]:
    """Every line of a message under its finding: the SDK puts the policy's description first and
    the violation on the next line."""
    return [f"{DETAIL}{line}" for line in text.splitlines() or [""]]


def pack_line(pack: str, policies: list[PolicyInfo]) -> str:
    """What the pack holds, guardrails counted as guardrails (with their levels in this run) apart
    from its settings entries, which check nothing."""
    guardrails = [p for p in policies if p.name in BY_NAME]
    others = [p for p in policies if p.name not in BY_NAME]
    if not guardrails:
        return f"Policies: {pack} ({counted(len(others), 'policy', 'policies')})"
    levels = [p.level for p in guardrails]
    by_level = ", ".join(f"{levels.count(level)} {level}" for level in LEVEL_ORDER if level in levels)
    line = f"Policies: {pack}, {counted(len(guardrails), 'guardrail')} ({by_level})"
    if others:
        names = [p.name for p in others]
        line += f"; {' and '.join(names)} {'holds' if len(names) == 1 else 'hold'} pack-wide settings, not checks"
    return line


def policy_lines(report: PreflightReport) -> list[str]:
    result = report.policies
    assert result is not None
    lines = [
        pack_line(result.pack, result.policies),
        f"  policy config: {report.policy_config_name()}",
    ]
    if report.baseline is not None:
        existing = sum(1 for f in report.findings if f.existing)
        fixed = f", {len(report.fixed())} fixed" if report.baseline.has_findings else ""
        lines.append(f"  baseline {report.baseline.path}: {counted(existing, 'violation')} already there{fixed}")
    if not report.findings:
        return [*lines, "  no findings"]
    expected = report.run.mode == "preview"
    for finding in sorted(report.findings, key=lambda f: (f.kind, f.existing, f.level != "mandatory", f.policy)):
        lines += finding_lines(finding, expected)
    if expected and any(f.kind == "unchecked" for f in report.findings):
        lines.append(
            "  note: unchecked until deploy is expected in a first preview: a rule that reads a value AWS assigns "
            "as it creates a resource (an ARN, an id, a document that embeds one) waits until the resource exists; "
            "`pulumi up` decides it, and `--mode up` judges it against synthesized values"
        )
    return lines


def finding_lines(finding: Finding, expected: bool) -> list[str]:
    where = finding.subject.rsplit("::", 1)[-1] if finding.subject else "stack"
    if finding.kind == "unchecked":
        state = "unchecked, expected until deploy" if expected else "unchecked"
        return [
            f"  [{state} · {finding.severity or '-'}] {finding.policy} @ {where}",
            *detail(PREVIEW_SKIP.sub("", finding.message)),  # the line above names the policy
        ]
    state = " · existing" if finding.existing else ""
    lines = [
        f"  [{finding.kind}{state} · {finding.level} · {finding.severity or '-'}] {finding.policy} @ {where}",
        *detail(finding.message),
    ]
    if finding.exemption:
        lines += detail(f"exempted: {finding.exemption}")
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
