"""What preflight, audit, verify and drill produced, in the shapes every output format renders."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policies.guardrails.catalog import BY_NAME
from policies.guardrails.profile import PROFILE
from policies.guardrails.scope import SELECTION

from .baseline import Baseline, fixed
from .cost import CostChange, CostEstimate, compare
from .engine.wire import SECRET_SIGNATURE, SIGNATURE_KEY, UNKNOWN
from .findings import Finding, Kind, PolicyInfo, exit_code, fails
from .notifications import Forecast

if TYPE_CHECKING:  # neither the engine (pulumi, grpc) nor the live stack (boto3) is imported to render a report
    from .engine import ProgramRun, Registration
    from .engine.policy_run import PolicyResult
    from .live.drill import DrillResult
    from .live.fixes import FixResult
    from .live.judge import Checked
    from .live.verify import Gap

SECRET_TEXT = "[secret]"
UNKNOWN_TEXT = "(known after deploy)"


@dataclass
class PreflightReport:
    run: ProgramRun
    policies: PolicyResult | None = None
    cost: CostEstimate | None = None
    notifications: Forecast | None = None
    """Expected notifications a month per subscriber."""
    baseline: Baseline | None = None
    fail_on: str = "mandatory"
    stack_file: Path | None = None
    """The stack's settings file, where findings are located for code scanning."""
    policy_config: Path | None = None
    """The policy config the pack ran with; None for the policies' own defaults."""

    def policy_config_name(self) -> str:
        """The config as a reader finds it: relative to the working directory (the repository root
        in CI) when it is inside it."""
        if self.policy_config is None:
            return "pack defaults"
        return workdir_relative(self.policy_config) or str(self.policy_config.resolve())

    @property
    def findings(self) -> list[Finding]:
        return self.policies.findings if self.policies else []

    def exit_code(self) -> int:
        return exit_code(self.findings, self.fail_on)

    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.kind == "violation"]

    def failing(self) -> list[Finding]:
        """The violations that fail this run: new ones at or above the threshold."""
        return [f for f in self.findings if fails(f, self.fail_on)]

    def fixed(self) -> list[tuple[str, str]]:
        """Baseline violations this run no longer has; none when either run skipped the policies."""
        if self.policies is None or self.baseline is None or not self.baseline.has_findings:
            return []
        return fixed(self.findings, self.baseline)

    def cost_change(self) -> CostChange | None:
        if self.cost is None or self.baseline is None or self.baseline.cost is None:
            return None
        return compare(self.baseline.cost, self.cost)

    def registrations(self) -> list[Registration]:
        """Every registration in the component tree's order, whatever order the program's threads
        registered them in: each parent before its children, siblings by type and name."""
        return [registration for _, registration in self.tree()]

    def resources(self) -> dict[str, Registration]:
        return {r.urn: r for r in self.registrations() if r.custom}

    def checks(self) -> list[Check]:
        """Every (policy, resource) pair the run judged, passing ones too, with the findings on each.
        A guardrail judges the resources of its types; a policy the catalog does not know, the stack."""
        if self.policies is None:
            return []
        resources = self.resources()
        found: dict[tuple[str, str], list[Finding]] = {}
        for finding in self.findings:
            found.setdefault((finding.policy, finding.subject), []).append(finding)
        checks = []
        for policy in self.policies.policies:
            if policy.level == "disabled" or policy.name in (SELECTION, PROFILE):
                continue
            guardrail = BY_NAME.get(policy.name)
            judged = [urn for urn, r in resources.items() if guardrail and r.type in guardrail.resource_types]
            judged += [urn for p, urn in found if p == policy.name and urn not in judged]
            for urn in judged or [""]:
                resource = resources.get(urn)
                checks.append(
                    Check(
                        policy,
                        urn,
                        resource.name if resource else "stack",
                        resource.type if resource else "pulumi:pulumi:Stack",
                        tuple(found.get((policy.name, urn), ())),
                    )
                )
        return checks

    def counts_by_type(self) -> dict[str, int]:
        counts = Counter(r.type for r in self.run.registrations if r.custom)
        return dict(sorted(counts.items()))

    def tree(self) -> list[tuple[int, Registration]]:
        """Registrations depth-first from the stack's direct children, with their depth."""
        by_parent: dict[str | None, list[Registration]] = {}
        urns = {r.urn for r in self.run.registrations}
        for r in self.run.registrations:
            parent = r.parent if r.parent in urns else None
            by_parent.setdefault(parent, []).append(r)
        ordered: list[tuple[int, Registration]] = []

        def walk(parent: str | None, depth: int) -> None:
            for child in sorted(by_parent.get(parent, []), key=lambda r: (r.custom, r.type, r.name)):
                ordered.append((depth, child))
                walk(child.urn, depth + 1)

        walk(None, 0)
        return ordered

    def rendered_outputs(self) -> dict[str, Any]:
        shown: dict[str, Any] = {}
        for name, output in sorted(self.run.outputs.items()):
            if output.secret:
                shown[name] = SECRET_TEXT
            elif not output.known:
                shown[name] = UNKNOWN_TEXT
            else:
                shown[name] = redact(output.value)
        return shown


@dataclass
class AuditReport:
    accounts: list[str]
    regions: list[str]
    policies: list[PolicyInfo]
    findings: list[Finding] = field(default_factory=list)
    checks: list[Checked] = field(default_factory=list)
    fixes: list[FixResult] = field(default_factory=list)
    fail_on: str = "mandatory"
    not_audited: Mapping[str, str] = field(default_factory=dict)
    config_file: str = ""

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.kind == "error"]

    def fixed(self) -> set[tuple[str, str]]:
        return {(r.proposed.policy, r.proposed.resource.arn) for r in self.fixes if not r.error}

    def unfixed(self) -> list[Finding]:
        """The findings no fix of this run repaired."""
        fixed = self.fixed()
        return [f for f in self.findings if (f.policy, f.subject) not in fixed]

    def failing(self) -> list[Finding]:
        """Violations at the threshold that no fix of this run repaired."""
        return [f for f in self.unfixed() if fails(f, self.fail_on)]

    def exit_code(self) -> int:
        return exit_code(self.unfixed(), self.fail_on)


VERIFY = "opsctl-verify"
DRILL = "opsctl-drill"
"""What verify and drill findings are of: the deployed stack against its program run, not a guardrail."""
FAILED_DRILL: dict[str, Kind] = {"not delivered": "violation", "error": "error"}
"""Drill outcomes that are findings (a delivered or skipped alarm is none)."""


@dataclass
class VerifyReport:
    """The gaps between a stack's program run and the live account; none when it is as planned."""

    stack: str
    account: str
    gaps: list[Gap] = field(default_factory=list)
    stack_file: Path | None = None

    @property
    def findings(self) -> list[Finding]:
        """Each gap fails the run; one the account could not be read for is an error."""
        return [
            Finding(VERIFY, "mandatory", "", g.problem, g.what, kind="error" if g.error else "violation")
            for g in self.gaps
        ]

    def exit_code(self) -> int:
        return exit_code(self.findings)


@dataclass
class DrillReport:
    """Whether each chosen alarm's notification arrived, and what could not be cleaned up."""

    stack: str
    account: str
    results: list[DrillResult] = field(default_factory=list)
    cleanup_problems: list[str] = field(default_factory=list)
    stack_file: Path | None = None

    @property
    def findings(self) -> list[Finding]:
        """A notification that never arrived fails the run; an alarm that could not be drilled, or a
        queue or subscription left behind, is an error."""
        found = [
            Finding(
                DRILL, "mandatory", "", r.detail or r.outcome, r.alarm, kind=FAILED_DRILL[r.outcome], region=r.region
            )
            for r in self.results
            if r.outcome in FAILED_DRILL
        ]
        return found + [Finding(DRILL, "mandatory", "", p, kind="error") for p in self.cleanup_problems]

    def exit_code(self) -> int:
        return exit_code(self.findings)


@dataclass(frozen=True)
class Check:
    policy: PolicyInfo
    urn: str
    """The resource judged; empty for the stack as a whole."""
    name: str
    type: str
    findings: tuple[Finding, ...]


def workdir_relative(path: Path) -> str | None:
    """The path relative to the working directory, in POSIX form, as written or with its symlinks
    resolved; None when it lies outside it."""
    for absolute in (os.path.abspath(path), path.resolve()):
        relative = os.path.relpath(absolute, Path.cwd())
        if not relative.startswith(".."):
            return Path(relative).as_posix()
    return None


def redact(value: Any) -> Any:
    """Wire-form values for display: secrets hidden, unknowns named."""
    if isinstance(value, dict):
        if value.get(SIGNATURE_KEY) == SECRET_SIGNATURE:
            return SECRET_TEXT
        return {k: redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    if value == UNKNOWN:
        return UNKNOWN_TEXT
    return value
