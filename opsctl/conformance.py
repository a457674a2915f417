"""`opsctl conformance-pack`: the stack's AWS Config managed rules as one conformance pack template,
read from the offline run (the pack's own template when the stack deploys one)."""

from __future__ import annotations

import json

from plan.conformance import PackRule, template

from .cost.counting import CONFORMANCE_PACKS
from .engine import EngineError, ProgramRun


def pack_template(run: ProgramRun) -> str:
    packs = [r for r in run.registrations if r.type in CONFORMANCE_PACKS]
    if packs:
        return packs[0].inputs["templateBody"]
    rules = [
        PackRule(
            rule.inputs["name"],
            rule.inputs["source"]["sourceIdentifier"],
            rule.inputs.get("description", ""),
            json.loads(rule.inputs.get("inputParameters") or "{}"),
            rule.inputs.get("maximumExecutionFrequency") or "",
        )
        for rule in run.of_type("aws:cfg/rule:Rule")
        if rule.inputs.get("source", {}).get("owner") == "AWS"
    ]
    if not rules:
        raise EngineError(
            f"stack {run.stack} deploys no AWS Config managed rules (awsConfig.enabled or awsConfig.rules)"
        )
    try:
        return template(rules)
    except ValueError as error:
        raise EngineError(str(error)) from None
