"""verify's and drill's reports in every format: text and JSON as they always were, SARIF as code
scanning reads it, JUnit and Markdown; and the exit code each report's findings give."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from opsctl.formats import OutputFormat
from opsctl.live.drill import DrillResult
from opsctl.live.verify import Gap
from opsctl.report import DrillReport, VerifyReport
from tests.test_reports import GITHUB_SARIF

GAPS = [
    Gap("alarm ops-dev-orders-errors", "missing", "run `pulumi up` for the stack"),
    Gap("trail ops-dev-trail", "not delivering since 2026-11-30", "check the bucket policy"),
    Gap("Config recorder", "cannot be read (AccessDenied)", "grant config:DescribeConfigurationRecorders", error=True),
]
DRILLED = [
    DrillResult("ops-dev-orders-errors", "eu-west-1", "delivered", 2.25),
    DrillResult("ops-dev-orders-duration", "eu-west-1", "not delivered", detail="no notification within 120 s"),
    DrillResult("ops-dev-orders-throttles", "eu-west-1", "skipped", detail="no actions"),
]


def verify_report(gaps: list[Gap]) -> VerifyReport:
    return VerifyReport("dev", "123456789012", gaps, Path("Pulumi.dev.yaml"))


def drill_report(results: list[DrillResult], problems: list[str]) -> DrillReport:
    return DrillReport("dev", "123456789012", results, problems, Path("Pulumi.dev.yaml"))


@pytest.mark.parametrize(
    ("gaps", "code"), [([], 0), (GAPS[:2], 1), (GAPS, 2)], ids=["as-planned", "gaps", "unreadable"]
)
def test_verify_exit_code_comes_from_its_findings(gaps, code):
    assert verify_report(gaps).exit_code() == code


@pytest.mark.parametrize(
    ("results", "problems", "code"),
    [
        (DRILLED[::2], [], 0),
        (DRILLED, [], 1),
        ([*DRILLED, DrillResult("ops-dev-x", "eu-west-1", "error", detail="AccessDenied")], [], 2),
        (DRILLED[:1], ["queue ops-drill-1 not deleted"], 2),
    ],
    ids=["delivered-or-skipped", "not-delivered", "error", "cleanup-problem"],
)
def test_drill_exit_code_comes_from_its_findings(results, problems, code):
    assert drill_report(results, problems).exit_code() == code


def test_verify_and_drill_keep_their_text_and_json():
    text = OutputFormat.TEXT.formatter()
    assert text.render_verify(verify_report(GAPS[:1])) == (
        "alarm ops-dev-orders-errors: missing\n    fix: run `pulumi up` for the stack\n"
    )
    assert text.render_verify(verify_report([])) == "stack dev is as planned in account 123456789012\n"
    assert text.render_drill(drill_report(DRILLED[:2], ["queue left"])) == (
        "delivered     ops-dev-orders-errors (eu-west-1) in 2.2 s\n"
        "not delivered ops-dev-orders-duration (eu-west-1): no notification within 120 s\n"
        "cleanup problem: queue left\n"
    )
    verified = json.loads(OutputFormat.JSON.formatter().render_verify(verify_report(GAPS)))
    assert verified["gaps"][2] == {
        "what": "Config recorder",
        "problem": "cannot be read (AccessDenied)",
        "fix": "grant config:DescribeConfigurationRecorders",
        "error": True,
    }
    drilled = json.loads(OutputFormat.JSON.formatter().render_drill(drill_report(DRILLED, [])))
    assert [r["outcome"] for r in drilled["results"]] == ["delivered", "not delivered", "skipped"]


def test_verify_and_drill_in_sarif_for_code_scanning(monkeypatch):
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    sarif = OutputFormat.SARIF.formatter()
    for rendered in (sarif.render_verify(verify_report(GAPS)), sarif.render_drill(drill_report(DRILLED, ["left"]))):
        jsonschema.validate(json.loads(rendered), GITHUB_SARIF, format_checker=jsonschema.FormatChecker())
    [run] = json.loads(sarif.render_verify(verify_report(GAPS)))["runs"]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["opsctl-verify"]
    assert [(r["level"], r["message"]["text"]) for r in run["results"]] == [
        ("error", "alarm ops-dev-orders-errors: missing Fix: run `pulumi up` for the stack"),
        ("error", "trail ops-dev-trail: not delivering since 2026-11-30 Fix: check the bucket policy"),
    ]
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "Pulumi.dev.yaml"
    [notification] = run["invocations"][0]["toolExecutionNotifications"]
    assert notification["message"]["text"].startswith("Config recorder: cannot be read")
    assert run["invocations"][0]["executionSuccessful"] is False
    [run] = json.loads(sarif.render_drill(drill_report(DRILLED, ["left"])))["runs"]
    assert [r["message"]["text"] for r in run["results"]] == [
        "ops-dev-orders-duration (eu-west-1): no notification within 120 s"
    ]
    assert [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]] == ["left"]


def test_verify_and_drill_in_junit_and_markdown():
    junit = ET.fromstring(OutputFormat.JUNIT.formatter().render_verify(verify_report(GAPS)).encode())
    assert {k: junit.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": "3", "failures": "2", "errors": "1", "skipped": "0"
    }  # fmt: skip
    assert junit.find(".//testcase/failure").get("message") == "missing"
    passing = ET.fromstring(OutputFormat.JUNIT.formatter().render_verify(verify_report([])).encode())
    assert (passing.get("tests"), passing.get("failures")) == ("1", "0")
    drilled = ET.fromstring(OutputFormat.JUNIT.formatter().render_drill(drill_report(DRILLED, ["left"])).encode())
    assert {k: drilled.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": "4", "failures": "1", "errors": "1", "skipped": "1"
    }  # fmt: skip
    markdown = OutputFormat.MARKDOWN.formatter()
    assert markdown.render_verify(verify_report([])).startswith("### ✅ Verify of stack `dev`")
    verified = markdown.render_verify(verify_report(GAPS))
    assert verified.startswith("### ❌ Verify of stack `dev` in account 123456789012: 3 gaps (1 not read)")
    assert "| ⚠️ not read | Config recorder |" in verified
    drilled_md = markdown.render_drill(drill_report(DRILLED, []))
    assert drilled_md.startswith("### ❌ Drill of stack `dev` in account 123456789012: 1 of 3 alarms delivered")
    assert "| delivered | ops-dev-orders-errors | eu-west-1 | 2.2 s |" in drilled_md
