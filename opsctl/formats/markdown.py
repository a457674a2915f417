"""Markdown for a pull request: `$GITHUB_STEP_SUMMARY` or a comment. A one-line verdict, the
findings by severity with how to fix each, checks left for deploy folded away, the estimated
monthly cost, the expected notifications per subscriber (endpoints masked) and the resources by type."""

from __future__ import annotations

from policies.guardrails.spelling import counted

from ..cost import CostChange, CostEstimate
from ..findings import SEVERITY_ORDER, Finding
from ..notifications import Forecast
from ..report import AuditReport, DrillReport, PreflightReport, VerifyReport
from .base import CostFormatter, ReportFormatter
from .money import change_summary, guardrails_counted, price, quantity, usd
from .subscribers import breakdown, endpoint, filtered

RANK = {s: i for i, s in enumerate(reversed(SEVERITY_ORDER))}


MAX_ROWS = 50
"""Rows a table shows: a PR comment holds 65,536 characters; the JSON and SARIF reports have every finding."""
MAX_CELL = 400
MAX_NAMES = 5


def cell(text: str) -> str:
    """Text that stays inside one table cell, clipped to MAX_CELL characters."""
    return escaped(text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…")


def escaped(text: str) -> str:
    """Text shown as written: no table breaks, no HTML, one line."""
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r", "")
        .replace("\n", "<br>")
    )


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    more = len(rows) - MAX_ROWS
    shown = rows[:MAX_ROWS] + (
        [[f"… and {more} more in the JSON and SARIF reports", *[""] * (len(header) - 1)]] if more > 0 else []
    )
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(row) + " |" for row in shown),
    ]


def names(resources: tuple[str, ...]) -> str:
    more = f" and {len(resources) - MAX_NAMES} more" if len(resources) > MAX_NAMES else ""
    return cell(", ".join(resources[:MAX_NAMES]) + more)


def folded(summary: str, body: list[str]) -> list[str]:
    return ["<details>", f"<summary>{summary}</summary>", "", *body, "", "</details>", ""]


class MarkdownFormatter(ReportFormatter, CostFormatter):
    def render(self, report: PreflightReport) -> str:
        lines = [self.verdict(report), "", self.counts(report), ""]
        if report.policies is not None:
            lines += self.findings(report)
        if report.cost is not None:
            lines += ["#### Estimated monthly cost", "", *self.cost_lines(report.cost, report.cost_change())]
        if report.notifications is not None:
            lines += ["#### Expected notifications a month", "", *self.notification_lines(report.notifications)]
        counts = report.counts_by_type()
        lines += folded(
            f"Resources by type ({sum(counts.values())})",
            table(["Type", "Count"], [[f"`{t}`", str(n)] for t, n in counts.items()]),
        )
        return "\n".join(lines).rstrip() + "\n"

    def render_cost(self, report: PreflightReport) -> str:
        assert report.cost is not None
        lines = self.cost_lines(report.cost, report.cost_change())
        return "\n".join(["#### Estimated monthly cost", "", *lines]).rstrip() + "\n"

    def verdict(self, report: PreflightReport) -> str:
        run = report.run
        where = f"`{run.project}` · **{run.stack}** ({run.mode})"
        if report.policies is None:
            return f"### ➖ {where}: planned without the policy pack"
        failing = report.failing()
        if failing:
            verb = "fails" if len(failing) == 1 else "fail"
            return f"### ❌ {where}: {counted(len(failing), 'new violation')} {verb} the check (`--fail-on {report.fail_on}`)"
        return f"### ✅ {where}: no new violation fails the check (`--fail-on {report.fail_on}`)"

    def counts(self, report: PreflightReport) -> str:
        kinds = [f.kind for f in report.findings]
        violations = report.violations()
        parts = [counted(sum(report.counts_by_type().values()), "resource")]
        if report.policies is not None:
            new = sum(1 for f in violations if not f.existing)
            parts += [
                f"{guardrails_counted([p.name for p in report.policies.policies])} (config `{report.policy_config_name()}`)",
                counted(len(violations), "violation") + (f", {new} new" if report.baseline else ""),
                f"{kinds.count('unchecked')} unchecked until deploy",
                f"{kinds.count('exempted')} exempted",
            ]
            if report.baseline and report.baseline.has_findings:
                parts.append(f"{len(report.fixed())} fixed since the baseline")
        if report.cost is not None:
            change = report.cost_change()
            delta = f" ({usd(change.delta, sign=True)})" if change else ""
            parts.append(f"about {usd(report.cost.total)}/month{delta}")
        if report.notifications is not None and report.notifications.receivers:
            most = max(r.monthly for r in report.notifications.receivers)
            parts.append(f"up to {most:,} notifications/month per subscriber")
        return " · ".join(parts)

    def findings(self, report: PreflightReport) -> list[str]:
        policies = {p.name: p for p in report.policies.policies} if report.policies else {}
        resources = report.resources()

        def where(finding: Finding) -> str:
            resource = resources.get(finding.subject)
            return f"`{resource.name}` ({resource.type.rsplit(':', 1)[-1]})" if resource else "the stack"

        def fix(finding: Finding) -> str:
            policy = policies.get(finding.policy)
            return cell(policy.remediation) if policy and policy.remediation else ""

        failing = report.failing()
        violations = sorted(
            report.violations(),
            key=lambda f: (f.existing, RANK.get(f.severity, 9), f.level not in ("mandatory", "remediate"), f.policy),
        )
        lines: list[str] = []
        if violations:
            rows = [
                [
                    "❌ fails" if f in failing else ("existing" if f.existing else "⚠️ advisory"),
                    f.severity or "–",
                    f"`{f.policy}`",
                    where(f),
                    cell(f.message),
                    fix(f),
                ]
                for f in violations
            ]
            lines += [
                "#### Findings",
                "",
                *table(["", "Severity", "Policy", "Resource", "Message", "How to fix"], rows),
                "",
            ]
        else:
            lines += ["No violations.", ""]
        fixed = report.fixed()
        if fixed:
            rows = [[f"`{policy}`", f"`{urn.rsplit('::', 1)[-1]}`" if urn else "the stack"] for policy, urn in fixed]
            lines += folded(f"Fixed since the baseline ({len(fixed)})", table(["Policy", "Resource"], rows))
        unchecked = [f for f in report.findings if f.kind == "unchecked"]
        if unchecked:
            rows = [[f"`{f.policy}`", where(f), cell(f.message)] for f in unchecked]
            lines += folded(f"Unchecked until deploy ({len(unchecked)})", table(["Policy", "Resource", "Why"], rows))
        exempted = [f for f in report.findings if f.kind == "exempted"]
        if exempted:
            rows = [[f"`{f.policy}`", where(f), cell(f.message), cell(f.exemption)] for f in exempted]
            lines += folded(f"Exempted ({len(exempted)})", table(["Policy", "Resource", "Finding", "Exemption"], rows))
        remediated = [f for f in report.findings if f.kind == "remediated"]
        if remediated:
            rows = [[f"`{f.policy}`", where(f), cell(f.message)] for f in remediated]
            lines += folded(
                f"Remediated by the pack ({len(remediated)})", table(["Policy", "Resource", "Change"], rows)
            )
        return lines

    def cost_lines(self, estimate: CostEstimate, change: CostChange | None) -> list[str]:
        lines = [
            f"**{usd(estimate.total)} a month** at list prices in {estimate.region}, before usage-based charges.",
            "",
        ]
        if change is not None:
            lines += [f"**Change:** {cell(change_summary(change))}", ""]
        rows = [
            [
                cell(line.what) + (f" ({line.region})" if line.region != estimate.region else ""),
                quantity(line.quantity),
                quantity(line.free) if line.free else "",
                f"{price(line.unit_price)} / {line.unit}",
                usd(line.monthly),
                cell("; ".join(line.basis)),
            ]
            for line in estimate.lines
        ]
        lines += [*table(["Item", "Quantity", "Free tier", "Price", "Monthly", "How counted"], rows), ""]
        if estimate.per_unit:
            rows = [
                [
                    cell(p.what) + (f" ({p.region})" if p.region != estimate.region else ""),
                    f"{price(p.unit_price)} USD / {p.unit}",
                    names(p.resources),
                ]
                for p in estimate.per_unit
            ]
            lines += folded(
                "Billed by use, not in the total (price per unit)", table(["Item", "Price", "Resources"], rows)
            )
        if estimate.notes or estimate.sources:
            lines += folded(
                "Notes and price sources", [*(f"- {cell(n)}" for n in (*estimate.notes, *estimate.sources))]
            )
        return lines

    def notification_lines(self, forecast: Forecast) -> list[str]:
        if not forecast.receivers:
            lines = ["No subscribers.", ""]
        else:
            rows = [
                [
                    cell(endpoint(r, masked=True) + filtered(r)),
                    cell(", ".join(r.topics)),
                    f"{r.monthly:,}",
                    cell("; ".join((breakdown(r), *r.notes))),
                ]
                for r in forecast.receivers
            ]
            lines = [
                f"Per subscriber in an assumed {forecast.days}-day month; addresses and numbers masked.",
                "",
                *table(["Subscriber", "Topics", "A month", "What"], rows),
                "",
            ]
        notes = [
            *(f"- {escaped(n)}" for n in forecast.notes),
            *(f"- assumed: {escaped(a)}" for a in forecast.assumptions),
        ]
        return lines + folded("Notes and assumptions", notes)

    def render_audit(self, report: AuditReport) -> str:
        failing = report.failing()
        where = f"{counted(len(report.accounts), 'account')} · {', '.join(report.regions)}"
        if report.errors:
            verdict = f"### ⚠️ Audit of {where}: {counted(len(report.errors), 'part')} could not be read"
        elif failing:
            verdict = f"### ❌ Audit of {where}: {counted(len(failing), 'violation')} at `--fail-on {report.fail_on}`"
        else:
            verdict = f"### ✅ Audit of {where}: no violation at `--fail-on {report.fail_on}`"
        kinds = [f.kind for f in report.findings]
        lines = [
            verdict,
            "",
            f"{counted(len(report.checks), 'check')} · {counted(kinds.count('violation'), 'violation')} · {kinds.count('exempted')} exempted "
            f"· {counted(len(report.fixes), 'fix', 'fixes')} · policy config {report.config_file or 'pack defaults'}",
            "",
        ]
        remediation = {p.name: p.remediation for p in report.policies}
        violations = sorted(
            (f for f in report.findings if f.kind == "violation"),
            key=lambda f: (RANK.get(f.severity, 9), f.account, f.region, f.policy),
        )
        rows = [
            [
                "❌ fails" if f in failing else "⚠️ advisory",
                f.severity,
                f"`{f.policy}`",
                f"{f.account} {f.region}",
                cell(f.subject or "the region"),
                cell(f.message),
                cell(remediation.get(f.policy, "")),
            ]
            for f in violations
        ]
        header = ["", "Severity", "Policy", "Where", "Resource", "Message", "How to fix"]
        lines += [*table(header, rows), ""] if rows else ["No violations.", ""]
        errors = [[e.account, e.region or "—", cell(e.message)] for e in report.errors]
        if errors:
            lines += folded(f"Not read ({len(errors)})", table(["Account", "Region", "Error"], errors))
        exempted = [
            [f"`{f.policy}`", cell(f.subject or f.region), cell(f.message), cell(f.exemption)]
            for f in report.findings
            if f.kind == "exempted"
        ]
        if exempted:
            lines += folded(
                f"Exempted ({len(exempted)})", table(["Policy", "Resource", "Finding", "Exemption"], exempted)
            )
        fixes = [
            [
                f"`{r.proposed.policy}`",
                cell(r.proposed.resource.arn),
                cell(r.proposed.change),
                cell(r.error or "applied"),
            ]
            for r in report.fixes
        ]
        if fixes:
            lines += folded(f"Fixes ({len(fixes)})", table(["Policy", "Resource", "Change", "Result"], fixes))
        if report.not_audited:
            rows = [[f"`{name}`", cell(why)] for name, why in report.not_audited.items()]
            lines += folded("Not audited live", table(["Guardrail", "Why, and where the answer is"], rows))
        return "\n".join(lines).rstrip() + "\n"

    def render_verify(self, report: VerifyReport) -> str:
        where = f"stack `{report.stack}` in account {report.account}"
        if not report.gaps:
            return f"### ✅ Verify of {where}: as planned\n"
        unread = sum(1 for g in report.gaps if g.error)
        verdict = f"### ❌ Verify of {where}: {counted(len(report.gaps), 'gap')}"
        rows = [
            ["⚠️ not read" if g.error else "❌ gap", cell(g.what), cell(g.problem), cell(g.fix)] for g in report.gaps
        ]
        lines = [
            verdict + (f" ({unread} not read)" if unread else ""),
            "",
            *table(["", "What", "Problem", "Fix"], rows),
        ]
        return "\n".join(lines) + "\n"

    def render_drill(self, report: DrillReport) -> str:
        outcomes = [r.outcome for r in report.results]
        delivered = f"{outcomes.count('delivered')} of {counted(len(outcomes), 'alarm')} delivered"
        mark = "❌" if report.exit_code() else "✅"
        lines = [f"### {mark} Drill of stack `{report.stack}` in account {report.account}: {delivered}", ""]
        rows = [
            [r.outcome, cell(r.alarm), r.region, f"{r.seconds:.1f} s" if r.seconds is not None else "", cell(r.detail)]
            for r in report.results
        ]
        lines += [*table(["Outcome", "Alarm", "Region", "After", "Detail"], rows), ""] if rows else []
        lines += [f"- cleanup problem: {escaped(p)}" for p in report.cleanup_problems]
        return "\n".join(lines).rstrip() + "\n"
