"""The text report as a person reads it in a terminal: a drawn component tree, findings with every
line of their message under them, counts in words that agree with the number, the pack's guardrails
counted apart from its settings entries, and a first preview's unchecked findings marked as
expected, with the reason. The whole report is checked against a reviewed snapshot."""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

import pytest

from opsctl.baseline import Baseline
from opsctl.engine import Registration
from opsctl.findings import PolicyInfo
from opsctl.formats import OutputFormat
from opsctl.report import AuditReport
from policies.guardrails.profile import PROFILE
from policies.guardrails.scope import SELECTION
from tests.test_reports import KEY, LOG_GROUP, TOPIC, TOPIC_KEY, make_report, render, urn

SNAPSHOT = Path(__file__).parent / "snapshots" / "preflight-dev.txt"


def component(type_: str, name: str, parent: str | None = None) -> Registration:
    return Registration(urn(type_, name), type_, name, parent, False, {})


MONITORING = component("ops-baseline:monitoring:LogGroups", "logs")
KEYS = component("ops-baseline:keys:EncryptionKeys", "keys")
ALERTING = component("ops-baseline:alerting:Alerting", "alerting")
ALERTS_NESTED = component("ops-baseline:alerting:Subscriptions", "alerting-subscriptions", ALERTING.urn)


def with_components(report):
    """The report's resources under components, as the program registers them: a log group and a
    key under their own components, the topic under alerting beside a nested component of its own."""
    parents = {LOG_GROUP.urn: MONITORING.urn, KEY.urn: KEYS.urn, TOPIC.urn: ALERTING.urn}
    resources = [replace(r, parent=parents.get(r.urn, r.parent)) for r in report.run.registrations]
    email = next(r for r in resources if r.name == "alerts-email")
    resources = [replace(r, parent=ALERTS_NESTED.urn) if r is email else r for r in resources]
    report.run.registrations = [MONITORING, KEYS, ALERTING, ALERTS_NESTED, *resources]
    return report


def text_of(report) -> str:
    return render(report, OutputFormat.TEXT)


def test_the_last_child_of_each_branch_is_closed_and_open_branches_carry_down(tmp_path):
    tree = text_of(with_components(make_report(tmp_path))).split("\n\nCounts by type:")[0]
    assert tree.splitlines()[3:] == [
        "  alerting  [ops-baseline:alerting:Alerting]",
        "  ├─ alerting-subscriptions  [ops-baseline:alerting:Subscriptions]",
        "  │  └─ alerts-email  [aws:sns/topicSubscription:TopicSubscription]",
        "  └─ alerts  [aws:sns/topic:Topic]",
        "  keys  [ops-baseline:keys:EncryptionKeys]",
        "  └─ key  [aws:kms/key:Key]",
        "  logs  [ops-baseline:monitoring:LogGroups]",
        "  └─ logs-orders  [aws:cloudwatch/logGroup:LogGroup]",
        "  board  [aws:cloudwatch/dashboard:Dashboard]",
        "  orders-errors  [aws:cloudwatch/metricAlarm:MetricAlarm]",
        "  trail-bucket  [aws:s3/bucket:Bucket]",
    ]


def test_every_line_of_a_message_sits_under_its_finding(tmp_path):
    text = text_of(make_report(tmp_path))
    assert (
        "  [violation · mandatory · high] aws-cloudwatch-loggroup-configure-retention @ logs-orders\n"
        "      Log group 'logs-orders' keeps logs 1 day | wants 14\n"
        "      raise it\n"
    ) in text
    policies = text.split("\nPolicies: ")[1].split("\n\n")[0].splitlines()[1:]
    assert all(line.startswith("  ") for line in policies), policies


@pytest.mark.parametrize(
    ("existing", "expected"),
    [(1, "1 violation already there"), (2, "2 violations already there"), (0, "0 violations already there")],
)
def test_counts_agree_with_their_number(tmp_path, existing, expected):
    known = [(TOPIC_KEY.policy, TOPIC_KEY.subject), ("aws-cloudwatch-loggroup-configure-retention", LOG_GROUP.urn)]
    baseline = Baseline(tmp_path / "base.json", "dev", frozenset(known[:existing]), True, None)
    text = text_of(with_components(make_report(tmp_path, baseline=baseline)))
    assert f"  baseline {tmp_path / 'base.json'}: {expected}, " in text
    assert "(s)" not in text
    assert "Resources (7 AWS resources in 4 components):" in text


def test_an_audit_of_one_account_says_one_account():
    text = OutputFormat.TEXT.formatter().render_audit(AuditReport(["123456789012"], ["eu-west-1"], []))
    assert text.startswith("Audit of 1 account in eu-west-1: 0 checks, policy config pack defaults\n")


def settings_entry(name: str) -> PolicyInfo:
    return PolicyInfo(name, "A pack-wide setting.", "low", "advisory")


def test_guardrails_are_counted_as_guardrails_and_settings_entries_named(tmp_path):
    report = make_report(tmp_path)
    report.policies.policies += [settings_entry(SELECTION), settings_entry(PROFILE)]
    header = next(line for line in text_of(report).splitlines() if line.startswith("Policies: "))
    assert header == (
        "Policies: ops-baseline-guardrails, 5 guardrails (2 mandatory, 2 advisory, 1 disabled); "
        f"{SELECTION} and {PROFILE} hold pack-wide settings, not checks"
    )
    assert not re.search(r"\d+ policies", header)


def test_a_pack_without_guardrails_of_the_catalog_counts_policies(tmp_path):
    report = make_report(tmp_path)
    report.policies.policies = [PolicyInfo("team-rule", "A rule of another pack.", "low", "advisory")]
    assert "\nPolicies: ops-baseline-guardrails (1 policy)\n" in text_of(report)


def test_a_first_preview_marks_unchecked_findings_as_expected_and_says_why(tmp_path):
    text = text_of(make_report(tmp_path))
    assert (
        "  [unchecked, expected until deploy · -] aws-s3-bucket-require-tls-requests @ stack\n"
        "      trail-bucket: its bucket policy is unknown until deploy\n"
    ) in text
    assert "can't run policy" not in text
    note = next(line for line in text.splitlines() if line.startswith("  note: unchecked until deploy"))
    assert "is expected in a first preview" in note
    assert "waits until the resource exists" in note and "`pulumi up` decides it" in note


def test_unchecked_findings_outside_a_preview_are_not_called_expected(tmp_path):
    report = make_report(tmp_path)
    report.run.mode = "up"
    text = text_of(report)
    assert "  [unchecked · -] aws-s3-bucket-require-tls-requests @ stack\n" in text
    assert "expected" not in text


def test_text_matches_the_reviewed_snapshot(tmp_path):
    known = frozenset({(TOPIC_KEY.policy, TOPIC_KEY.subject)})
    report = with_components(make_report(tmp_path, baseline=Baseline(tmp_path / "base.json", "dev", known, True, None)))
    report.policies.policies += [settings_entry(SELECTION), settings_entry(PROFILE)]
    report.cost = report.notifications = None  # their own tests; the snapshot is about the layout
    text = text_of(report).replace(str(tmp_path), "<tmp>")
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(text)
    assert text == SNAPSHOT.read_text()
