"""Send a plan through a policy pack: remediate and analyze each resource, then the whole stack."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import grpc
from google.protobuf import json_format

from policies.guardrails.scope import EXEMPTED_LINE

from .analyzer import LEVEL_NAMES, SEVERITY_NAMES, PolicyPack, load_pack_config, resolve_config
from .errors import EngineError
from .runner import Plan

PREVIEW_SKIP = "can't run policy"


@dataclass(frozen=True)
class Finding:
    policy: str
    level: str
    """advisory, mandatory or remediate (as configured)."""
    severity: str
    message: str
    urn: str
    kind: Literal["violation", "unchecked", "remediated", "exempted"] = "violation"
    """violation: the rule failed; unchecked: a value was unknown during preview; remediated: fixed by
    the pack; exempted: the rule failed on a resource the policy config exempts (with its reason)."""
    exemption: str = ""
    """For an exempted finding: the reason, and the date the exemption expires if it does."""
    existing: bool = False
    """A violation the baseline report already had (same policy and URN): it does not fail the run."""


@dataclass(frozen=True)
class PolicyInfo:
    name: str
    description: str
    severity: str
    level: str
    remediation: str = ""
    url: str = ""
    """AWS's page for the same check, where the pack names one."""
    tags: tuple[str, ...] = ()
    """Services the policy looks at, and its references as `framework:id`."""


@dataclass
class PolicyResult:
    pack: str
    policies: list[PolicyInfo] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    not_applicable: int = 0


def check_plan(plan: Plan, pack_dir: Path, config_path: Path | None) -> PolicyResult:
    try:
        return _check_plan(plan, pack_dir, config_path)
    except grpc.RpcError as error:
        raise EngineError(f"the policy pack failed: {error.details()}") from None


def _check_plan(plan: Plan, pack_dir: Path, config_path: Path | None) -> PolicyResult:
    given = load_pack_config(config_path)
    resources = [r for r in plan.registrations if r.custom]
    with PolicyPack(pack_dir, project=plan.project, stack=plan.stack, dry_run=plan.mode == "preview") as pack:
        info = pack.info()
        config = resolve_config(info, given, str(config_path or "defaults"))
        pack.configure(config)
        levels = {name: level for name, (level, _) in config.items()}
        descriptions = {p.name: p for p in info.policies}
        result = PolicyResult(
            pack=info.name,
            policies=[
                PolicyInfo(
                    p.name,
                    p.description,
                    SEVERITY_NAMES.get(p.severity, ""),
                    levels[p.name],
                    p.remediation_steps,
                    p.url,
                    tuple(p.tags),
                )
                for p in info.policies
            ],
        )

        def collect(response, urn: str) -> None:
            for entry in response.not_applicable:
                exempted = exempted_findings(entry.policy_name, entry.reason)
                result.not_applicable += not exempted
                result.findings += exempted
            for diagnostic in response.diagnostics:
                policy = descriptions.get(diagnostic.policyName)
                unchecked = diagnostic.message.startswith(PREVIEW_SKIP)
                result.findings.append(
                    Finding(
                        policy=diagnostic.policyName,
                        level="advisory"
                        if unchecked
                        else levels.get(diagnostic.policyName, LEVEL_NAMES[diagnostic.enforcementLevel]),
                        severity=SEVERITY_NAMES.get(policy.severity if policy else 0, ""),
                        message=diagnostic.message,
                        urn=diagnostic.urn or urn,
                        kind="unchecked" if unchecked else "violation",
                    )
                )

        def exempted_findings(policy_name: str, reason: str) -> list[Finding]:
            found = []
            for line in reason.splitlines():
                match = EXEMPTED_LINE.match(line)
                if match:
                    where, message, why, until = match.groups()
                    found.append(
                        Finding(
                            policy=policy_name,
                            level=levels.get(policy_name, "advisory"),
                            severity=SEVERITY_NAMES.get(descriptions[policy_name].severity, ""),
                            message=message,
                            urn="" if where == "stack" else where,
                            kind="exempted",
                            exemption=f"{why} (until {until})" if until else why,
                        )
                    )
                elif line.startswith("undecided: "):
                    found.append(
                        Finding(policy_name, "advisory", "", line.removeprefix("undecided: "), "", kind="unchecked")
                    )
            return found

        remediating = any(level == "remediate" for level in levels.values())
        for resource in resources:
            props = resource.inputs
            if remediating:
                for remediation in pack.remediate(resource, props).remediations:
                    props = json_format.MessageToDict(remediation.properties)
                    result.findings.append(
                        Finding(
                            remediation.policyName,
                            "remediate",
                            SEVERITY_NAMES.get(descriptions[remediation.policyName].severity, ""),
                            remediation.diagnostic or f"remediated by {remediation.policyName}",
                            resource.urn,
                            kind="remediated",
                        )
                    )
            collect(pack.analyze(resource, props), resource.urn)
        collect(pack.analyze_stack(resources), "")
    return result
