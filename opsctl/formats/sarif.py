"""SARIF 2.1.0 for GitHub code scanning: a rule per policy of the pack, a result per finding,
located on the stack's settings file, fingerprinted by policy and resource so an alert keeps its
identity from run to run."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import replace
from importlib import metadata
from pathlib import Path
from typing import Any

from ..findings import Finding, PolicyInfo
from ..locations import setting_lines
from ..report import DRILL, VERIFY, AuditReport, DrillReport, PreflightReport, VerifyReport, workdir_relative
from .base import ReportFormatter

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"mandatory": "error", "remediate": "error", "advisory": "warning", "disabled": "none"}
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "2.0"}
"""GitHub ranks alerts by this score: 9.0+ critical, 7.0-8.9 high, 4.0-6.9 medium, below low."""
FINGERPRINT = "opsBaselineFinding/v1"
MAX_TAGS = 20
"""GitHub reads at most 20 tags a rule; the full list of references is in the rule's description."""


def tool_version() -> str | None:
    try:
        return metadata.version("ops-baseline")
    except metadata.PackageNotFoundError:
        return None


def repository_url() -> str | None:
    """The repository's web address when running in GitHub Actions; nothing is made up elsewhere."""
    server, repository = os.environ.get("GITHUB_SERVER_URL"), os.environ.get("GITHUB_REPOSITORY")
    return f"{server}/{repository}" if server and repository else None


def artifact_uri(path: Path) -> str:
    """The stack file relative to the working directory (the repository root in CI)."""
    return workdir_relative(path) or path.resolve().as_uri()


def stack_file_uri(report: VerifyReport | DrillReport) -> str:
    return artifact_uri(report.stack_file) if report.stack_file else f"Pulumi.{report.stack}.yaml"


def rule(policy: PolicyInfo) -> dict[str, Any]:
    references = [t for t in policy.tags if ":" in t]
    descriptor: dict[str, Any] = {
        "id": policy.name,
        "shortDescription": {"text": policy.description.split(". ")[0].rstrip(".") + "."},
        "fullDescription": {
            "text": policy.description + (f" References: {', '.join(references)}." if references else "")
        },
        "help": {"text": policy.remediation or policy.description},
        "defaultConfiguration": {"level": LEVELS.get(policy.level, "warning")},
        "properties": {
            "severity": policy.severity,
            "enforcementLevel": policy.level,
            "tags": ["security", "infrastructure-as-code", *policy.tags][:MAX_TAGS],
        },
    }
    if policy.severity in SECURITY_SEVERITY:
        descriptor["properties"]["security-severity"] = SECURITY_SEVERITY[policy.severity]
    if policy.url:
        descriptor["helpUri"] = policy.url
    return descriptor


def level(finding: Finding) -> str:
    if finding.kind in ("unchecked", "remediated"):
        return "note"
    return LEVELS.get(finding.level, "warning")


def fingerprint(*identity: str) -> str:
    return hashlib.sha256("\n".join(identity).encode()).hexdigest()[:32]


def result(
    finding: Finding, index: dict[str, int], location: dict[str, Any], identity: tuple[str, ...]
) -> dict[str, Any]:
    """One SARIF result: level from the finding, an exemption as a suppression, a stable fingerprint."""
    entry: dict[str, Any] = {
        "ruleId": finding.policy,
        "level": level(finding),
        "message": {"text": finding.message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT: fingerprint(*identity)},
        "properties": {"kind": finding.kind, "severity": finding.severity, "enforcementLevel": finding.level},
    }
    if finding.policy in index:
        entry["ruleIndex"] = index[finding.policy]
    if finding.kind == "exempted":
        entry["suppressions"] = [{"kind": "external", "status": "accepted", "justification": finding.exemption}]
    return entry


def occurrences(keys: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Each key with its occurrence number: two findings on the same thing keep distinct fingerprints."""
    seen: dict[tuple[str, ...], int] = {}
    numbered = []
    for key in keys:
        seen[key] = seen.get(key, -1) + 1
        numbered.append((*key, str(seen[key])))
    return numbered


def sarif_run(policies: list[PolicyInfo], results: list[dict[str, Any]], automation: str, **extra: Any) -> str:
    driver: dict[str, Any] = {"name": "opsctl", "rules": [rule(p) for p in policies]}
    if version := tool_version():
        driver["version"] = version
        driver["semanticVersion"] = version
    if url := repository_url():
        driver["informationUri"] = url
    run = {"tool": {"driver": driver}, "automationDetails": {"id": automation}, "results": results, **extra}
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2) + "\n"


def physical(uri: str, line: int = 1) -> dict[str, Any]:
    return {"artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"}, "region": {"startLine": line}}


def live_location(uri: str, where: str) -> dict[str, Any]:
    """A finding in the live account: on the file that decides it, at the live resource it is about."""
    name = where.rsplit(":", 1)[-1]
    return {
        "physicalLocation": physical(uri),
        "logicalLocations": [{"fullyQualifiedName": where, "name": name, "kind": "resource"}],
    }


def invocation(errors: list[str]) -> dict[str, Any]:
    """What kept the run from judging everything, as tool notifications."""
    notifications = [{"level": "error", "message": {"text": text}} for text in errors]
    return {"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}


STACK_CHECKS = {
    VERIFY: PolicyInfo(
        VERIFY,
        "The live account has what the stack's plan says. Alarms and their actions, confirmed subscriptions, the "
        "notifier's failure queue, the Config recorder and the trail delivering, the CIS filters and X-Ray "
        "encryption are compared with the plan.",
        "",
        "mandatory",
        "Each result says how to close its gap; run `pulumi up` for the stack where the plan is not deployed.",
    ),
    DRILL: PolicyInfo(
        DRILL,
        "Each drilled alarm's notification reached a queue subscribed to its topics within the timeout.",
        "",
        "mandatory",
        "Check the alarm's actions, the topic's policy and key, and the subscriptions; then drill it again.",
    ),
}
"""The rules of verify's and drill's runs: one each, the stack against its program run."""


def stack_check_run(
    check: str, report: VerifyReport | DrillReport, found: list[tuple[Finding, str]], stack_file: str
) -> str:
    """Results on the stack file, at the live thing each is about; errors as tool notifications."""
    judged = [(f, text) for f, text in found if f.kind != "error"]
    keys = occurrences([(f.region, f.subject) for f, _ in judged])
    results = [
        result(replace(f, message=text), {check: 0}, live_location(stack_file, f.subject), identity)
        for (f, text), identity in zip(judged, keys, strict=True)
    ]
    return sarif_run(
        [STACK_CHECKS[check]],
        results,
        f"opsctl/{check.removeprefix('opsctl-')}/{report.stack}/{report.account}/",
        invocations=[invocation([text for f, text in found if f.kind == "error"])],
        properties={"stack": report.stack, "account": report.account},
    )


class SarifFormatter(ReportFormatter):
    def render(self, report: PreflightReport) -> str:
        run = report.run
        policies = report.policies.policies if report.policies else []
        index = {p.name: i for i, p in enumerate(policies)}
        resources = report.resources()
        stack_text = report.stack_file.read_text() if report.stack_file and report.stack_file.is_file() else ""
        lines = setting_lines(stack_text, list(resources.values()), {f.subject for f in report.findings})
        uri = artifact_uri(report.stack_file) if report.stack_file else f"Pulumi.{run.stack}.yaml"
        results = []
        keys = occurrences([(f.policy, f.subject) for f in report.findings])
        for finding, identity in zip(report.findings, keys, strict=True):
            location: dict[str, Any] = {"physicalLocation": physical(uri, lines.get(finding.subject, 1))}
            if finding.subject:
                resource = resources.get(finding.subject)
                name = resource.name if resource else finding.subject.rsplit("::", 1)[-1]
                location["logicalLocations"] = [
                    {"fullyQualifiedName": finding.subject, "name": name, "kind": "resource"}
                ]
            entry = result(finding, index, location, identity)
            if report.baseline is not None and finding.kind == "violation":
                entry["baselineState"] = "unchanged" if finding.existing else "new"
            results.append(entry)
        return sarif_run(
            policies,
            results,
            f"{run.project}/preflight/{run.stack}/{run.mode}/",
            properties={
                "stack": run.stack,
                "mode": run.mode,
                "policyPack": report.policies.pack if report.policies else None,
                "policyConfig": report.policy_config_name() if report.policies else None,
            },
        )

    def render_audit(self, report: AuditReport) -> str:
        """Violations and exemptions as results on the live resource (a logical location); read errors
        as tool notifications. Located on the policy config file, the one file that decides them."""
        index = {p.name: i for i, p in enumerate(report.policies)}
        uri = artifact_uri(Path(report.config_file)) if report.config_file else "policies/config"
        judged = [f for f in report.findings if f.kind != "error"]
        results = []
        for finding, identity in zip(
            judged, occurrences([(f.policy, f.account, f.region, f.subject) for f in judged]), strict=True
        ):
            location = live_location(uri, finding.subject or f"{finding.account}/{finding.region}")
            results.append(result(finding, index, location, identity))
        return sarif_run(
            report.policies,
            results,
            f"opsctl/audit/{'+'.join(report.accounts)}/",
            invocations=[invocation([f"{e.account} {e.region}: {e.message}" for e in report.errors])],
            properties={"accounts": report.accounts, "regions": report.regions},
        )

    def render_verify(self, report: VerifyReport) -> str:
        found = [(f, f"{g.what}: {g.problem} Fix: {g.fix}") for f, g in zip(report.findings, report.gaps, strict=True)]
        return stack_check_run(VERIFY, report, found, stack_file_uri(report))

    def render_drill(self, report: DrillReport) -> str:
        found = [(f, f"{f.subject} ({f.region}): {f.message}" if f.subject else f.message) for f in report.findings]
        return stack_check_run(DRILL, report, found, stack_file_uri(report))
