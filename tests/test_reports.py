"""The PR-gate formats on one small report: SARIF as GitHub code scanning reads it, JUnit as CI
test reports read it, Markdown against a reviewed snapshot."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from pulumi.runtime.rpc import UNKNOWN

from opsctl.baseline import Baseline, mark_existing
from opsctl.cost import estimate, load_prices
from opsctl.engine import OutputValue, ProgramRun, Registration
from opsctl.engine.policy_run import PolicyResult
from opsctl.findings import Finding, PolicyInfo
from opsctl.formats import OutputFormat
from opsctl.notifications import forecast
from opsctl.report import PreflightReport

SNAPSHOT = Path(__file__).parent / "snapshots" / "preflight-dev.md"
STACK_FILE = """\
config:
  aws:region: eu-west-1
  ops-baseline:environment: dev
  ops-baseline:monitoring:
    logGroups:
      - name: /aws/lambda/orders
"""
LOG_GROUP_LINE = 6


def urn(type_: str, name: str) -> str:
    return f"urn:pulumi:dev::ops-baseline::{type_}::{name}"


LOG_GROUP = Registration(
    urn("aws:cloudwatch/logGroup:LogGroup", "logs-orders"),
    "aws:cloudwatch/logGroup:LogGroup",
    "logs-orders",
    None,
    True,
    {"name": "/aws/lambda/orders", "retentionInDays": 1.0},
)
TOPIC = Registration(
    urn("aws:sns/topic:Topic", "alerts"), "aws:sns/topic:Topic", "alerts", None, True, {"name": "ops-dev-alerts"}
)
BUCKET = Registration(
    urn("aws:s3/bucket:Bucket", "trail-bucket"), "aws:s3/bucket:Bucket", "trail-bucket", None, True, {}
)
DASHBOARD = Registration(
    urn("aws:cloudwatch/dashboard:Dashboard", "board"), "aws:cloudwatch/dashboard:Dashboard", "board", None, True, {}
)
KEY = Registration(urn("aws:kms/key:Key", "key"), "aws:kms/key:Key", "key", None, True, {"enableKeyRotation": True})
EMAIL = Registration(
    urn("aws:sns/topicSubscription:TopicSubscription", "alerts-email"),
    "aws:sns/topicSubscription:TopicSubscription",
    "alerts-email",
    None,
    True,
    {"protocol": "email", "endpoint": "platform-oncall@example.com", "topic": UNKNOWN},
    property_dependencies={"topic": (TOPIC.urn,)},
)
ERRORS = Registration(
    urn("aws:cloudwatch/metricAlarm:MetricAlarm", "orders-errors"),
    "aws:cloudwatch/metricAlarm:MetricAlarm",
    "orders-errors",
    None,
    True,
    {
        "name": "ops-dev-orders-errors-critical",
        "namespace": "AWS/Lambda",
        "metricName": "Errors",
        "period": 300.0,
        "alarmActions": [UNKNOWN],
        "okActions": [UNKNOWN],
    },
    property_dependencies={"alarmActions": (TOPIC.urn,), "okActions": (TOPIC.urn,)},
)

POLICIES = [
    PolicyInfo(
        "aws-cloudwatch-loggroup-configure-retention",
        "CloudWatch log groups keep logs long enough.",
        "high",
        "mandatory",
        "Set retentionInDays to at least minRetentionDays.",
        "https://docs.aws.amazon.com/config/latest/developerguide/cw-loggroup-retention-period-check.html",
        ("cloudwatch", "aws-config:CW_LOGGROUP_RETENTION_PERIOD_CHECK", "security-hub:CloudWatch.16"),
    ),
    PolicyInfo(
        "aws-sns-topic-configure-kms-key",
        "SNS topics are encrypted with KMS.",
        "medium",
        "advisory",
        "Set kmsMasterKeyId.",
    ),
    PolicyInfo(
        "aws-s3-bucket-enable-versioning", "S3 buckets keep versions.", "medium", "mandatory", "Add BucketVersioning."
    ),
    PolicyInfo(
        "aws-s3-bucket-require-tls-requests",
        "S3 buckets deny plain HTTP.",
        "medium",
        "advisory",
        "Deny SecureTransport false.",
    ),
    PolicyInfo("aws-ecr-repository-enable-image-scanning", "ECR scans images.", "high", "disabled"),
]
RETENTION = Finding(
    "aws-cloudwatch-loggroup-configure-retention",
    "mandatory",
    "high",
    "Log group 'logs-orders' keeps logs 1 day | wants 14\nraise it",
    LOG_GROUP.urn,
)
TOPIC_KEY = Finding(
    "aws-sns-topic-configure-kms-key", "advisory", "medium", "Topic 'alerts' has no KMS key.", TOPIC.urn
)
TLS_UNCHECKED = Finding(
    "aws-s3-bucket-require-tls-requests",
    "advisory",
    "",
    "can't run policy 'aws-s3-bucket-require-tls-requests' during preview: trail-bucket: its bucket policy is unknown until deploy",
    "",
    kind="unchecked",
)
VERSIONING_EXEMPTED = Finding(
    "aws-s3-bucket-enable-versioning",
    "mandatory",
    "medium",
    "Bucket 'trail-bucket' has no versioning.",
    BUCKET.urn,
    kind="exempted",
    exemption="audit copies live elsewhere (until 2027-01-31)",
)
FINDINGS = [RETENTION, TOPIC_KEY, TLS_UNCHECKED, VERSIONING_EXEMPTED]


def make_report(
    tmp_path: Path, *, fail_on: str = "mandatory", baseline: Baseline | None = None, reversed_order: bool = False
) -> PreflightReport:
    stack_file = tmp_path / "Pulumi.dev.yaml"
    stack_file.write_text(STACK_FILE)
    resources = [LOG_GROUP, TOPIC, BUCKET, DASHBOARD, KEY, EMAIL, ERRORS]
    resources = resources[::-1] if reversed_order else resources
    plan = ProgramRun("ops-baseline", "dev", "preview", "123456789012", "eu-west-1", resources)
    findings = mark_existing(FINDINGS, baseline) if baseline else list(FINDINGS)
    return PreflightReport(
        plan,
        PolicyResult("ops-baseline-guardrails", list(POLICIES), findings),
        cost=estimate(resources, region="eu-west-1", prices=load_prices()),
        notifications=forecast(resources, region="eu-west-1", account="123456789012"),
        baseline=baseline,
        fail_on=fail_on,
        stack_file=stack_file,
        policy_config=Path("policies/config/dev.json"),
    )


def render(report: PreflightReport, format_: OutputFormat) -> str:
    return format_.formatter().render(report)


@pytest.mark.parametrize("format_", list(OutputFormat))
def test_a_report_does_not_follow_the_order_resources_were_registered_in(tmp_path, format_):
    """Resources (the JSON's list, JUnit's cases) in the component tree's order, the cost alike."""
    assert render(make_report(tmp_path, reversed_order=True), format_) == render(make_report(tmp_path), format_)


# What GitHub code scanning requires of an upload (docs.github.com, "SARIF support for code scanning"),
# written as the subset of the SARIF 2.1.0 schema it checks.
GITHUB_SARIF = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "runs": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["tool", "results"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": {"type": "string", "minLength": 1},
                                    "rules": {"type": "array", "maxItems": 25000, "items": {"$ref": "#/$defs/rule"}},
                                },
                            }
                        },
                    },
                    "automationDetails": {"type": "object", "properties": {"id": {"type": "string"}}},
                    "results": {"type": "array", "maxItems": 25000, "items": {"$ref": "#/$defs/result"}},
                },
            },
        },
    },
    "$defs": {
        "text": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "minLength": 1}}},
        "rule": {
            "type": "object",
            "required": ["id", "shortDescription", "fullDescription", "help", "properties"],
            "properties": {
                "id": {"type": "string", "minLength": 1},
                "shortDescription": {"$ref": "#/$defs/text"},
                "fullDescription": {"$ref": "#/$defs/text"},
                "help": {"$ref": "#/$defs/text"},
                "helpUri": {"type": "string", "format": "uri", "pattern": "^https://"},
                "defaultConfiguration": {
                    "type": "object",
                    "properties": {"level": {"enum": ["none", "note", "warning", "error"]}},
                },
                "properties": {
                    "type": "object",
                    "properties": {
                        "tags": {"type": "array", "maxItems": 20, "items": {"type": "string"}},
                        "security-severity": {"type": "string", "pattern": r"^(10(\.0)?|[0-9](\.[0-9])?)$"},
                    },
                },
            },
        },
        "result": {
            "type": "object",
            "required": ["ruleId", "message", "locations", "partialFingerprints"],
            "properties": {
                "ruleId": {"type": "string"},
                "ruleIndex": {"type": "integer", "minimum": 0},
                "level": {"enum": ["none", "note", "warning", "error"]},
                "message": {"$ref": "#/$defs/text"},
                "baselineState": {"enum": ["new", "unchanged", "updated", "absent"]},
                "suppressions": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["kind"],
                        "properties": {"kind": {"enum": ["inSource", "external"]}},
                    },
                },
                "partialFingerprints": {"type": "object", "additionalProperties": {"type": "string"}},
                "locations": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 1000,
                    "items": {
                        "type": "object",
                        "required": ["physicalLocation"],
                        "properties": {
                            "physicalLocation": {
                                "type": "object",
                                "required": ["artifactLocation", "region"],
                                "properties": {
                                    "artifactLocation": {
                                        "type": "object",
                                        "required": ["uri"],
                                        "properties": {"uri": {"type": "string", "minLength": 1}},
                                    },
                                    "region": {
                                        "type": "object",
                                        "required": ["startLine"],
                                        "properties": {"startLine": {"type": "integer", "minimum": 1}},
                                    },
                                },
                            }
                        },
                    },
                },
            },
        },
    },
}


def sarif_of(report: PreflightReport) -> dict:
    document = json.loads(render(report, OutputFormat.SARIF))
    jsonschema.validate(document, GITHUB_SARIF, format_checker=jsonschema.FormatChecker())
    return document


def test_sarif_has_what_code_scanning_requires(tmp_path, monkeypatch):
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "platform/ops-baseline")
    monkeypatch.chdir(tmp_path)
    [run] = sarif_of(make_report(tmp_path))["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["informationUri"]) == ("opsctl", "https://github.com/platform/ops-baseline")
    assert driver["version"]
    assert run["automationDetails"]["id"] == "ops-baseline/preflight/dev/preview/"
    rules = {r["id"]: r for r in driver["rules"]}
    retention = rules["aws-cloudwatch-loggroup-configure-retention"]
    assert retention["help"]["text"] == "Set retentionInDays to at least minRetentionDays."
    assert retention["helpUri"].endswith("/cw-loggroup-retention-period-check.html")
    assert retention["properties"]["security-severity"] == "8.0"
    assert {"security", "cloudwatch", "security-hub:CloudWatch.16"} <= set(retention["properties"]["tags"])
    assert "References: aws-config:CW_LOGGROUP_RETENTION_PERIOD_CHECK" in retention["fullDescription"]["text"]
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "Pulumi.dev.yaml"


def test_sarif_levels_locations_and_suppressions(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    results = {r["ruleId"]: r for r in sarif_of(make_report(tmp_path))["runs"][0]["results"]}
    assert {rule: r["level"] for rule, r in results.items()} == {
        "aws-cloudwatch-loggroup-configure-retention": "error",
        "aws-sns-topic-configure-kms-key": "warning",
        "aws-s3-bucket-require-tls-requests": "note",
        "aws-s3-bucket-enable-versioning": "error",
    }
    line = {rule: r["locations"][0]["physicalLocation"]["region"]["startLine"] for rule, r in results.items()}
    # The log group carries `/aws/lambda/orders` from the stack file; the others carry no setting.
    assert line["aws-cloudwatch-loggroup-configure-retention"] == LOG_GROUP_LINE
    assert line["aws-sns-topic-configure-kms-key"] == 1
    assert results["aws-cloudwatch-loggroup-configure-retention"]["locations"][0]["logicalLocations"] == [
        {"fullyQualifiedName": LOG_GROUP.urn, "name": "logs-orders", "kind": "resource"}
    ]
    assert "logicalLocations" not in results["aws-s3-bucket-require-tls-requests"]["locations"][0]
    assert results["aws-s3-bucket-enable-versioning"]["suppressions"] == [
        {"kind": "external", "status": "accepted", "justification": "audit copies live elsewhere (until 2027-01-31)"}
    ]
    assert all("baselineState" not in r for r in results.values())


def test_sarif_fingerprints_are_stable_and_distinct(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = [r["partialFingerprints"] for r in sarif_of(make_report(tmp_path))["runs"][0]["results"]]
    report = make_report(tmp_path)
    # A new message (a value changed) on the same resource keeps the alert's identity.
    report.policies.findings[0] = replace(RETENTION, message="Log group 'logs-orders' keeps logs 3 days")
    second = [r["partialFingerprints"] for r in sarif_of(report)["runs"][0]["results"]]
    assert first == second
    assert len({json.dumps(f) for f in first}) == len(first)


def test_sarif_marks_baseline_states(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    baseline = Baseline(tmp_path / "base.json", "dev", frozenset({(RETENTION.policy, RETENTION.subject)}), True, None)
    results = {r["ruleId"]: r for r in sarif_of(make_report(tmp_path, baseline=baseline))["runs"][0]["results"]}
    assert results["aws-cloudwatch-loggroup-configure-retention"]["baselineState"] == "unchanged"
    assert results["aws-sns-topic-configure-kms-key"]["baselineState"] == "new"
    assert "baselineState" not in results["aws-s3-bucket-require-tls-requests"]


def junit_of(report: PreflightReport) -> ET.Element:
    return ET.fromstring(render(report, OutputFormat.JUNIT).encode())


def cases(root: ET.Element) -> dict[tuple[str, str], ET.Element]:
    return {(c.get("classname"), c.get("name")): c for c in root.iter("testcase")}


def test_junit_has_a_case_per_policy_and_resource_checked(tmp_path):
    root = junit_of(make_report(tmp_path))
    [suite] = root.findall("testsuite")
    assert suite.get("name") == "ops-baseline dev preview"
    found = cases(root)
    assert sorted(found) == [
        ("aws-cloudwatch-loggroup-configure-retention", "logs-orders [aws:cloudwatch/logGroup:LogGroup]"),
        ("aws-s3-bucket-enable-versioning", "trail-bucket [aws:s3/bucket:Bucket]"),
        ("aws-s3-bucket-require-tls-requests", "stack [pulumi:pulumi:Stack]"),
        ("aws-s3-bucket-require-tls-requests", "trail-bucket [aws:s3/bucket:Bucket]"),
        ("aws-sns-topic-configure-kms-key", "alerts [aws:sns/topic:Topic]"),
    ]
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped"), suite.get("errors")) == (
        "5",
        "1",
        "2",
        "0",
    )
    failure = found[("aws-cloudwatch-loggroup-configure-retention", "logs-orders [aws:cloudwatch/logGroup:LogGroup]")]
    assert failure.find("failure").get("type") == "mandatory high violation"
    assert "How to fix: Set retentionInDays" in failure.find("failure").text
    exempted = found[("aws-s3-bucket-enable-versioning", "trail-bucket [aws:s3/bucket:Bucket]")]
    assert exempted.find("skipped").get("message") == "exempted: audit copies live elsewhere (until 2027-01-31)"
    advisory = found[("aws-sns-topic-configure-kms-key", "alerts [aws:sns/topic:Topic]")]
    assert advisory.find("failure") is None and "violation (advisory, medium)" in advisory.find("system-out").text
    passing = found[("aws-s3-bucket-require-tls-requests", "trail-bucket [aws:s3/bucket:Bucket]")]
    assert list(passing) == []


@pytest.mark.parametrize(
    ("fail_on", "failures"),
    [("mandatory", 1), ("medium", 2), ("critical", 0), ("never", 0)],
)
def test_junit_failures_follow_the_threshold(tmp_path, fail_on, failures):
    assert junit_of(make_report(tmp_path, fail_on=fail_on)).find("testsuite").get("failures") == str(failures)


def test_junit_existing_violations_pass(tmp_path):
    baseline = Baseline(tmp_path / "base.json", "dev", frozenset({(RETENTION.policy, RETENTION.subject)}), True, None)
    root = junit_of(make_report(tmp_path, baseline=baseline))
    assert root.find("testsuite").get("failures") == "0"
    case = cases(root)[
        ("aws-cloudwatch-loggroup-configure-retention", "logs-orders [aws:cloudwatch/logGroup:LogGroup]")
    ]
    assert case.find("system-out").text.startswith("existing violation (mandatory, high)")


def test_markdown_matches_the_reviewed_snapshot(tmp_path):
    before = estimate([DASHBOARD], region="eu-west-1", prices=load_prices()).as_document()
    fixed_elsewhere = ("aws-s3-bucket-enable-versioning", urn("aws:s3/bucket:Bucket", "old-bucket"))
    baseline = Baseline(
        tmp_path / "base.json", "dev", frozenset({(TOPIC_KEY.policy, TOPIC_KEY.subject), fixed_elsewhere}), True, before
    )
    markdown = render(make_report(tmp_path, baseline=baseline), OutputFormat.MARKDOWN)
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(markdown)
    assert markdown == SNAPSHOT.read_text()


def test_markdown_keeps_every_message_inside_its_cell(tmp_path):
    markdown = render(make_report(tmp_path), OutputFormat.MARKDOWN)
    row = next(line for line in markdown.splitlines() if "logs-orders" in line and "keeps logs" in line)
    assert "keeps logs 1 day \\| wants 14<br>raise it" in row
    assert row.count(" | ") == 5  # six cells, none split by the message


def test_markdown_verdict_names_what_fails(tmp_path):
    first_line = render(make_report(tmp_path), OutputFormat.MARKDOWN).splitlines()[0]
    assert (
        first_line
        == "### ❌ `ops-baseline` · **dev** (preview): 1 new violation fails the check (`--fail-on mandatory`)"
    )
    passing = render(make_report(tmp_path, fail_on="never"), OutputFormat.MARKDOWN).splitlines()[0]
    assert passing.startswith("### ✅")


def test_markdown_stays_within_a_pull_request_comment(tmp_path):
    report = make_report(tmp_path)
    report.policies.findings = [
        replace(RETENTION, message=f"violation {n}: " + "x" * 2000, subject=f"{LOG_GROUP.urn}-{n}") for n in range(120)
    ]
    markdown = render(report, OutputFormat.MARKDOWN)
    assert len(markdown) < 65_536
    assert "| … and 70 more in the JSON and SARIF reports |" in markdown
    assert "violation 49: " in markdown and "violation 50: " not in markdown
    assert "x" * 380 + "…" in markdown and "x" * 400 not in markdown


def test_text_shortens_long_outputs_and_json_keeps_them_whole(tmp_path):
    report = make_report(tmp_path)
    groups = [f"service-{i:04d}" for i in range(500)]
    report.run.outputs = {
        "xrayGroupNames": OutputValue(groups),
        "format": OutputValue("x" * 300),
        "short": OutputValue(["a", "b"]),
    }
    text = render(report, OutputFormat.TEXT)
    assert "Outputs (long values shortened; --format json has them whole):" in text
    assert '  xrayGroupNames: ["service-0000", "service-0001", "service-0002"] … 497 more (500 in all)\n' in text
    assert f"  format: {'x' * 200}… (300 characters)\n" in text
    assert '  short: ["a", "b"]\n' in text
    assert json.loads(render(report, OutputFormat.JSON))["outputs"]["xrayGroupNames"] == groups


def test_every_format_with_a_cost_shows_the_notifications_beside_it(tmp_path):
    report = make_report(tmp_path)
    text = render(report, OutputFormat.TEXT)
    assert text.index("Estimated monthly cost") < text.index("Expected notifications a month, per subscriber")
    assert (
        "  email platform-oncall@example.com      2  ops-dev-alerts\n      1 critical → ALARM, 1 critical → OK\n"
        in text
    )
    document = json.loads(render(report, OutputFormat.JSON))["notifications"]
    assert document["days"] == 30 and document["assumptions"]
    assert document["subscribers"] == [
        {
            "protocol": "email",
            "endpoint": "platform-oncall@example.com",
            "route": "",
            "topics": ["ops-dev-alerts"],
            "monthly": 2,
            "byKind": [
                {"via": "alarm", "what": "critical ALARM", "count": 1},
                {"via": "alarm", "what": "critical OK", "count": 1},
            ],
            "filterPolicies": [],
            "notes": [],
        }
    ]


def test_markdown_masks_addresses_and_numbers(tmp_path):
    report = make_report(tmp_path)
    markdown = render(report, OutputFormat.MARKDOWN)
    assert "| email pl…@example.com | ops-dev-alerts | 2 | 1 critical → ALARM, 1 critical → OK |" in markdown
    assert "platform-oncall" not in markdown
    report.notifications = replace(
        report.notifications,
        receivers=tuple(
            replace(r, subscriber=replace(r.subscriber, protocol=protocol, endpoint=shown))
            for r, (protocol, shown) in zip(
                report.notifications.receivers * 2,
                [("sms", "+14155550123"), ("https", "https://events.pagerduty.com/integration/0123abcd/enqueue")],
                strict=True,
            )
        ),
    )
    markdown = render(report, OutputFormat.MARKDOWN)
    assert "| sms +14…23 |" in markdown and "| https https://events.pagerduty.com/… |" in markdown
    assert "0123abcd" not in markdown and "0123abcd" not in render(report, OutputFormat.TEXT)


LIVE_STACK = ("boto3", "botocore", "opsctl.live", "policies.guardrails.serve")
"""What reads a live account (boto3, the audit) or serves the pack (its analyzer servicer)."""
SDKS = ("grpc", "pulumi", "pulumi_policy")
"""What runs a program (the engine) or the pack: a report needs only the catalog's metadata."""
RENDER_OFFLINE = """
import sys
import opsctl.formats
imported = set(sys.modules)
from pathlib import Path
from tests.test_reports import make_report
from opsctl.formats import OutputFormat
text = OutputFormat.TEXT.formatter().render(make_report(Path(sys.argv[1])))
assert "aws-cloudwatch-loggroup-configure-retention" in text, text
print(" ".join(sorted(imported)))
print(" ".join(sorted(sys.modules)))
"""


def test_formats_and_an_offline_report_import_nothing_of_the_live_stack(tmp_path):
    """A fresh interpreter: importing the formats, then rendering a preflight report as text, loads
    neither boto3 nor the audit nor the pack's servicer (the offline preflight has no use for them);
    importing the formats loads neither the Pulumi SDKs nor grpc (the report built here needs them)."""
    done = subprocess.run(
        [sys.executable, "-c", RENDER_OFFLINE, str(tmp_path)],
        cwd=Path(__file__).parent.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    after_import, after_render = (set(line.split()) for line in done.stdout.splitlines())
    for modules in (after_import, after_render):
        assert not {m for m in modules if m.split(".")[0] in LIVE_STACK or m.startswith(LIVE_STACK)}
    assert not {m for m in after_import if m.split(".")[0] in SDKS}
