"""JUnit XML for CI test reports: one suite for the stack and mode, one case per (policy, resource)
pair checked, passing ones too. Violations that fail the run at `--fail-on` are failures; checks
left undecided until deploy and exempted resources are skipped; anything else passes, with its
finding in the case's output."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..engine.policy_run import Finding
from ..report import Check, PreflightReport, fails
from .base import Formatter


def describe(finding: Finding) -> str:
    state = "existing " if finding.existing else ""
    reason = f" Exempted: {finding.exemption}." if finding.exemption else ""
    return f"{state}{finding.kind} ({finding.level}, {finding.severity}): {finding.message}{reason}"


def case(check: Check, report: PreflightReport) -> ET.Element:
    element = ET.Element("testcase", classname=check.policy.name, name=f"{check.name} [{check.type}]")
    failing = [f for f in check.findings if fails(f, report.fail_on)]
    waiting = [f for f in check.findings if f.kind in ("unchecked", "exempted")]
    if failing:
        more = f" (and {len(failing) - 1} more)" if len(failing) > 1 else ""
        first = failing[0]
        failure = ET.SubElement(
            element, "failure", message=first.message + more, type=f"{first.level} {first.severity} violation"
        )
        failure.text = "\n".join([*(f.message for f in failing), f"How to fix: {check.policy.remediation}", check.urn])
    elif waiting:
        first = waiting[0]
        ET.SubElement(element, "skipped", message=f"exempted: {first.exemption}" if first.exemption else first.message)
    shown = failing or waiting[:1]
    notes = [describe(f) for f in check.findings if f not in shown]
    if notes:
        ET.SubElement(element, "system-out").text = "\n".join(notes)
    return element


class JUnitFormatter(Formatter):
    def render(self, report: PreflightReport) -> str:
        plan = report.plan
        cases = [case(check, report) for check in report.checks()]
        failures = sum(1 for c in cases if c.find("failure") is not None)
        skipped = sum(1 for c in cases if c.find("skipped") is not None and c.find("failure") is None)
        counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0", "skipped": str(skipped)}
        suites = ET.Element("testsuites", name=f"{plan.project} preflight", **counts)
        suite = ET.SubElement(suites, "testsuite", name=f"{plan.project} {plan.stack} {plan.mode}", **counts)
        properties = ET.SubElement(suite, "properties")
        for name, value in (
            ("stack", plan.stack),
            ("mode", plan.mode),
            ("region", plan.region),
            ("policyPack", report.policies.pack if report.policies else ""),
            ("failOn", report.fail_on),
        ):
            ET.SubElement(properties, "property", name=name, value=value)
        suite.extend(cases)
        ET.indent(suites)
        return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
