"""Machine-readable plan (stable keys, sorted), for scripts and CI artifacts."""

from __future__ import annotations

import json

from ..report import PreflightReport, redact
from .base import Formatter


class JsonFormatter(Formatter):
    def render(self, report: PreflightReport) -> str:
        plan = report.plan
        document = {
            "project": plan.project,
            "stack": plan.stack,
            "mode": plan.mode,
            "account": plan.account,
            "region": plan.region,
            "resources": [
                {
                    "urn": r.urn,
                    "type": r.type,
                    "name": r.name,
                    "parent": r.parent,
                    "custom": r.custom,
                    "inputs": redact(r.inputs),
                }
                for r in plan.registrations
            ],
            "countsByType": report.counts_by_type(),
            "outputs": report.rendered_outputs(),
            "messages": [{"level": level, "text": text} for level, text in plan.messages],
        }
        if report.policies is not None:
            document["policyPack"] = report.policies.pack
            document["policies"] = [vars(p) for p in report.policies.policies]
            document["findings"] = [vars(f) for f in report.findings]
        return json.dumps(document, indent=2, sort_keys=True) + "\n"
