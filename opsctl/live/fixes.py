"""Propose and make the safe fixes the guardrails offer for what the audit found (each guardrail's
`audit.fix`, policies/guardrails/live.py): one reversible API call per resource; a failed call is
reported and the next change still made."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from policies.guardrails.catalog import BY_NAME
from policies.guardrails.live import LiveFix

from ..findings import Finding
from .accounts import Account, error_code
from .inventory import Inventory, LiveResource


@dataclass(frozen=True)
class ProposedFix:
    policy: str
    resource: LiveResource
    account: str
    change: str
    fix: LiveFix

    @property
    def action(self) -> str:
        return self.fix.action


@dataclass(frozen=True)
class FixResult:
    proposed: ProposedFix
    error: str = ""
    """Empty when the change was made."""


def propose(
    findings: list[Finding],
    inventories: Mapping[tuple[str, str], Inventory],
    policies: Mapping[str, tuple[str, Mapping[str, Any]]],
) -> list[ProposedFix]:
    """A safe fix for each violation that has one, once per resource and guardrail."""
    proposed: dict[tuple[str, str], ProposedFix] = {}
    for item in findings:
        fix = BY_NAME[item.policy].audit.fix if item.kind == "violation" else None
        if fix is None:
            continue
        parameters = BY_NAME[item.policy].config(policies.get(item.policy, ("", {}))[1])
        for resource in targets(item, fix, inventories):
            change = fix.propose(resource, parameters)
            if change and (item.policy, resource.arn) not in proposed:
                proposed[(item.policy, resource.arn)] = ProposedFix(item.policy, resource, item.account, change, fix)
    return list(proposed.values())


def targets(item: Finding, fix: LiveFix, inventories: Mapping[tuple[str, str], Inventory]) -> list[LiveResource]:
    """The live resources a fix for the finding changes: its subject, or those of the fix's target
    type in the finding's region (a recorder's status)."""
    resources = [r for key, inv in inventories.items() if key[0] == item.account for r in inv.resources]
    if fix.target:
        return [r for r in resources if r.type == fix.target and r.region == item.region]
    return [r for r in resources if r.arn == item.subject and r.arn]


def apply(
    proposed: list[ProposedFix], accounts: Mapping[str, Account], policies: Mapping[str, tuple[str, Mapping[str, Any]]]
) -> list[FixResult]:
    """Make each change; a failure is reported and the next change still made."""
    results = []
    for entry in proposed:
        parameters = BY_NAME[entry.policy].config(policies.get(entry.policy, ("", {}))[1])
        try:
            entry.fix.apply(accounts[entry.account], entry.resource, parameters)
        except (ClientError, BotoCoreError) as error:
            results.append(FixResult(entry, f"{entry.action} failed ({error_code(error)})"))
        else:
            results.append(FixResult(entry))
    return results
