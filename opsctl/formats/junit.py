"""JUnit XML for CI test reports: one suite for the stack and mode (an audit: one per account and
region), one case per (policy, resource) pair checked, passing ones too. Violations that fail the
run at `--fail-on` are failures; checks left undecided until deploy and exempted resources are
skipped; anything else passes, with its finding in the case's output."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence

from ..findings import Finding, fails
from ..report import DRILL, VERIFY, AuditReport, DrillReport, PreflightReport, VerifyReport
from .base import ReportFormatter


def describe(finding: Finding) -> str:
    state = "existing " if finding.existing else ""
    reason = f" Exempted: {finding.exemption}." if finding.exemption else ""
    return f"{state}{finding.kind} ({finding.level}, {finding.severity}): {finding.message}{reason}"


def case(
    classname: str, name: str, findings: Sequence[Finding], remediation: str, identity: str, fail_on: str
) -> ET.Element:
    element = ET.Element("testcase", classname=classname, name=name)
    failing = [f for f in findings if fails(f, fail_on)]
    waiting = [f for f in findings if f.kind in ("unchecked", "exempted")]
    if failing:
        more = f" (and {len(failing) - 1} more)" if len(failing) > 1 else ""
        first = failing[0]
        failure = ET.SubElement(
            element, "failure", message=first.message + more, type=f"{first.level} {first.severity} violation"
        )
        failure.text = "\n".join([*(f.message for f in failing), f"How to fix: {remediation}", identity])
    elif waiting:
        first = waiting[0]
        ET.SubElement(element, "skipped", message=f"exempted: {first.exemption}" if first.exemption else first.message)
    shown = failing or waiting[:1]
    notes = [describe(f) for f in findings if f not in shown]
    if notes:
        ET.SubElement(element, "system-out").text = "\n".join(notes)
    return element


def suite(
    parent: ET.Element, name: str, cases: list[ET.Element], properties: Iterable[tuple[str, str]]
) -> dict[str, int]:
    counts = {
        "tests": len(cases),
        "failures": sum(1 for c in cases if c.find("failure") is not None),
        "errors": sum(1 for c in cases if c.find("error") is not None),
        "skipped": sum(1 for c in cases if c.find("skipped") is not None and c.find("failure") is None),
    }
    element = ET.SubElement(parent, "testsuite", {"name": name, **{k: str(v) for k, v in counts.items()}})
    listed = ET.SubElement(element, "properties")
    for key, value in properties:
        ET.SubElement(listed, "property", name=key, value=value)
    element.extend(cases)
    return counts


def document(root: ET.Element, totals: list[dict[str, int]]) -> str:
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(sum(t[key] for t in totals)))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def outcome_case(classname: str, name: str, outcome: str, message: str, text: str = "") -> ET.Element:
    """One check of verify or drill: passed, failed, in error (not judged) or skipped."""
    element = ET.Element("testcase", classname=classname, name=name)
    if outcome in ("failure", "error", "skipped"):
        ET.SubElement(element, outcome, message=message).text = text or None
    return element


def stack_check_document(check: str, report: VerifyReport | DrillReport, cases: list[ET.Element]) -> str:
    root = ET.Element("testsuites", name=f"opsctl {check.removeprefix('opsctl-')}")
    properties = (("stack", report.stack), ("account", report.account))
    return document(root, [suite(root, f"{root.get('name')} {report.stack} {report.account}", cases, properties)])


class JUnitFormatter(ReportFormatter):
    def render(self, report: PreflightReport) -> str:
        run = report.run
        cases = [
            case(c.policy.name, f"{c.name} [{c.type}]", c.findings, c.policy.remediation, c.urn, report.fail_on)
            for c in report.checks()
        ]
        root = ET.Element("testsuites", name=f"{run.project} preflight")
        properties = (
            ("stack", run.stack),
            ("mode", run.mode),
            ("region", run.region),
            ("policyPack", report.policies.pack if report.policies else ""),
            ("policyConfig", report.policy_config_name() if report.policies else ""),
            ("failOn", report.fail_on),
        )
        return document(root, [suite(root, f"{run.project} {run.stack} {run.mode}", cases, properties)])

    def render_audit(self, report: AuditReport) -> str:
        remediation = {p.name: p.remediation for p in report.policies}
        found: dict[tuple[str, str, str, str], list[Finding]] = {}
        for finding in report.findings:
            found.setdefault((finding.account, finding.region, finding.policy, finding.subject), []).append(finding)
        views: dict[tuple[str, str], list[ET.Element]] = {}
        for check in report.checks:
            findings = found.get((check.account, check.region, check.policy, check.resource), [])
            name = f"{check.resource or 'region'} [{check.type or 'account'}]"
            views.setdefault((check.account, check.region), []).append(
                case(check.policy, name, findings, remediation.get(check.policy, ""), check.resource, report.fail_on)
            )
        for error in report.errors:
            element = ET.Element(
                "testcase", classname=error.policy or "opsctl.audit", name=f"read {error.region or 'account'}"
            )
            ET.SubElement(element, "error", message=error.message)
            views.setdefault((error.account, error.region), []).append(element)
        root = ET.Element("testsuites", name="opsctl audit")
        totals = [
            suite(
                root,
                f"audit {account} {region}",
                cases,
                (("account", account), ("region", region), ("failOn", report.fail_on)),
            )
            for (account, region), cases in sorted(views.items())
        ]
        return document(root, totals)

    def render_verify(self, report: VerifyReport) -> str:
        """A case per gap (none: one passing case for the stack as planned); a check the account could
        not be read for is an error."""
        cases = [
            outcome_case(VERIFY, g.what, "error" if g.error else "failure", g.problem, f"How to fix: {g.fix}")
            for g in report.gaps
        ] or [outcome_case(VERIFY, f"stack {report.stack} as planned", "passed", "")]
        return stack_check_document(VERIFY, report, cases)

    def render_drill(self, report: DrillReport) -> str:
        """A case per alarm drilled, and an error case per cleanup problem."""
        junit = {"delivered": "passed", "not delivered": "failure", "error": "error", "skipped": "skipped"}
        cases = []
        for r in report.results:
            case_ = outcome_case(DRILL, f"{r.alarm} ({r.region})", junit[r.outcome], r.detail or r.outcome)
            if r.seconds is not None:
                case_.set("time", f"{r.seconds:.3f}")
            cases.append(case_)
        cases += [outcome_case(DRILL, "cleanup", "error", problem) for problem in report.cleanup_problems]
        return stack_check_document(DRILL, report, cases)
