"""Machine-readable reports (stable keys, sorted), for scripts, CI artifacts and later runs' baselines."""

from __future__ import annotations

import json
from typing import Any

from ..baseline import REPORT_SCHEMA_VERSION
from ..cost import CostChange, CostEstimate
from ..findings import Finding
from ..report import AuditReport, DrillReport, PreflightReport, VerifyReport, redact
from .base import CostFormatter, ReportFormatter


def cost_document(estimate: CostEstimate, change: CostChange | None) -> dict[str, Any]:
    document = estimate.as_document()
    if change is not None:
        document["change"] = {
            "before": change.before_total,
            "after": change.after_total,
            "delta": change.delta,
            "items": [vars(item) for item in change.items],
        }
    return document


def judged(finding: Finding) -> dict[str, Any]:
    return {"policy": finding.policy, "level": finding.level, "severity": finding.severity, "kind": finding.kind,
            "message": finding.message}  # fmt: skip


def preflight_finding(finding: Finding) -> dict[str, Any]:
    """A finding on the program run, by URN: the form `--baseline` reads back."""
    return judged(finding) | {"urn": finding.subject, "exemption": finding.exemption, "existing": finding.existing}


def audit_finding(finding: Finding) -> dict[str, Any]:
    """A finding on a live resource, by ARN, where it was read."""
    document = judged(finding) | {"resource": finding.subject, "account": finding.account, "region": finding.region}
    return document | ({"exemption": finding.exemption} if finding.exemption else {})


class JsonFormatter(ReportFormatter, CostFormatter):
    def render(self, report: PreflightReport) -> str:
        run = report.run
        document: dict[str, Any] = {
            "schemaVersion": REPORT_SCHEMA_VERSION,
            "project": run.project,
            "stack": run.stack,
            "mode": run.mode,
            "account": run.account,
            "region": run.region,
            "resources": [
                {
                    "urn": r.urn,
                    "type": r.type,
                    "name": r.name,
                    "parent": r.parent,
                    "custom": r.custom,
                    "inputs": redact(r.inputs),
                }
                for r in report.registrations()
            ],
            "countsByType": report.counts_by_type(),
            "outputs": report.rendered_outputs(),
            "messages": [{"level": level, "text": text} for level, text in run.messages],
        }
        if report.policies is not None:
            document["policyPack"] = report.policies.pack
            document["policyConfig"] = report.policy_config_name()
            document["policies"] = [vars(p) for p in report.policies.policies]
            document["findings"] = [preflight_finding(f) for f in report.findings]
            document["failOn"] = report.fail_on
        if report.baseline is not None:
            document["baseline"] = {
                "file": str(report.baseline.path),
                "existing": sum(1 for f in report.findings if f.existing),
                "new": sum(1 for f in report.violations() if not f.existing),
                "fixed": [{"policy": policy, "urn": urn} for policy, urn in report.fixed()],
            }
        if report.cost is not None:
            document["cost"] = cost_document(report.cost, report.cost_change())
        if report.notifications is not None:
            document["notifications"] = report.notifications.as_document()
        return json.dumps(document, indent=2, sort_keys=True) + "\n"

    def render_cost(self, report: PreflightReport) -> str:
        """The estimate with the stack it is of, so that a later `opsctl cost --baseline` can read it."""
        assert report.cost is not None
        run = report.run
        document = {
            "schemaVersion": REPORT_SCHEMA_VERSION,
            "project": run.project,
            "stack": run.stack,
            "mode": run.mode,
        }
        document |= cost_document(report.cost, report.cost_change())
        return json.dumps(document, indent=2, sort_keys=True) + "\n"

    def render_audit(self, report: AuditReport) -> str:
        kinds = [f.kind for f in report.findings]
        document = {
            "schemaVersion": REPORT_SCHEMA_VERSION,
            "accounts": report.accounts,
            "regions": report.regions,
            "failOn": report.fail_on,
            "policyConfig": report.config_file,
            "findings": [audit_finding(f) for f in report.findings],
            "summary": {
                "violations": kinds.count("violation"),
                "exempted": kinds.count("exempted"),
                "errors": kinds.count("error"),
                "checks": len(report.checks),
                "failing": len(report.failing()),
            },
            "fixes": [
                {
                    "policy": r.proposed.policy,
                    "resource": r.proposed.resource.arn,
                    "account": r.proposed.account,
                    "region": r.proposed.resource.region,
                    "change": r.proposed.change,
                    "action": r.proposed.action,
                    "status": "failed" if r.error else "applied",
                    **({"error": r.error} if r.error else {}),
                }
                for r in report.fixes
            ],
            "notAudited": dict(report.not_audited),
        }
        return json.dumps(document, indent=2, sort_keys=True) + "\n"

    def render_verify(self, report: VerifyReport) -> str:
        document = {"stack": report.stack, "account": report.account, "gaps": [vars(g) for g in report.gaps]}
        return json.dumps(document, indent=2) + "\n"

    def render_drill(self, report: DrillReport) -> str:
        document = {"results": [vars(r) for r in report.results], "cleanupProblems": report.cleanup_problems}
        return json.dumps(document, indent=2) + "\n"
