"""`opsctl audit`: read every account and region in parallel (a bounded pool), judge each view with
the guardrails, and report what is true now; optionally apply the safe fixes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from policies.guardrails.catalog import CATALOG
from policies.guardrails.serve import analyzer_info

from ..engine.analyzer import resolve_config
from ..engine.policy_run import policy_infos as pack_policy_infos
from ..findings import Finding, PolicyInfo
from .accounts import Account
from .fixes import ProposedFix
from .inventory import GLOBAL, Inventory, collect
from .judge import Checked, judge
from .readers import SOURCES

Policies = Mapping[str, tuple[str, Mapping[str, Any]]]


def resolved_policies(config: Mapping[str, Any], source: str) -> Policies:
    """Levels and parameters per guardrail from a policy config, as the pack computes them."""
    return resolve_config(analyzer_info(), config, source)


def policy_infos(policies: Policies) -> list[PolicyInfo]:
    return pack_policy_infos(analyzer_info().policies, {name: level for name, (level, _) in policies.items()})


def needed_types(policies: Policies) -> frozenset[str]:
    """Types some enabled, audited guardrail reads: a service no guardrail needs is not called."""
    return frozenset(
        t for g in CATALOG if policies.get(g.name, ("advisory", {}))[0] != "disabled" for t in g.audit.types
    )


def read_view(account: Account, region: str, scope: str, client_region: str, needed: frozenset[str]) -> Inventory:
    inventory = Inventory(account.id, region)
    for source in SOURCES:
        if source.scope == scope and needed & set(source.types):
            collect(source, account, client_region, inventory)
    return inventory


def audit(
    accounts: Iterable[Account],
    regions_of: Callable[[Account], list[str]],
    policies: Policies,
    *,
    workers: int = 8,
) -> tuple[list[Finding], list[Checked], dict[tuple[str, str], Inventory], dict[str, Account]]:
    """Every region of every account, and each account's global view, read in parallel and judged."""
    today = datetime.now(UTC).date()
    findings: list[Finding] = []
    checks: list[Checked] = []
    inventories: dict[tuple[str, str], Inventory] = {}
    entered: dict[str, Account] = {}
    needed = needed_types(policies)
    views: list[tuple[Account, str, str, str, frozenset[str]]] = []
    for account in accounts:
        if account.problem:
            findings.append(Finding("", "", "", account.problem, kind="error", account=account.id))
            continue
        entered[account.id] = account
        regions = regions_of(account)
        views += [(account, region, "regional", region, needed) for region in regions]
        views.append((account, GLOBAL, "global", regions[0], needed))
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for inventory in pool.map(lambda view: read_view(*view), views):
            inventories[(inventory.account, inventory.region)] = inventory
            found, checked = judge(inventory, policies, today)
            findings += found
            checks += checked
    return findings, checks, inventories, entered


def proposal_lines(proposed: list[ProposedFix]) -> list[str]:
    return [
        f"  {p.account} {p.resource.region}  {p.policy}  {p.resource.arn}: {p.change} ({p.action})" for p in proposed
    ]
