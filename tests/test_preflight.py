"""`opsctl preflight` end to end: real stacks, both modes, and the ways a stack can be broken."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from opsctl.cli import main
from opsctl.engine import SECRET_PLACEHOLDER, load_project, load_stack_config
from opsctl.findings import Finding, exit_code
from tests.conftest import ACCESS_LOG_BUCKET_EXEMPTION, ROOT


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project files (program, components, settings) in a scratch directory."""
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml", "__main__.py"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "policies", tmp_path / "policies", ignore=shutil.ignore_patterns("venv", "__pycache__"))
    return tmp_path


def preflight(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["preflight", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("stack", ["dev", "prod"])
@pytest.mark.parametrize("mode", ["preview", "up"])
def test_committed_stacks_run_clean(capsys, stack, mode):
    code, out, err = preflight(capsys, "--stack", stack, "--mode", mode, "--project-dir", str(ROOT), "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["stack"] == stack and report["mode"] == mode
    # The stack's key and topic, plus the pair in us-east-1 that the billing alarm notifies.
    assert report["countsByType"]["aws:kms/key:Key"] == 2
    assert report["countsByType"]["aws:sns/topic:Topic"] == 2
    # prod adds the CIS dashboard.
    assert report["countsByType"]["aws:cloudwatch/dashboard:Dashboard"] == (2 if stack == "prod" else 1)
    assert report["outputs"]["dashboardNames"] == [f"ops-{stack}"]
    topic_arn = report["outputs"]["alertTopicArn"]
    if mode == "up":
        assert topic_arn == f"arn:aws:sns:eu-west-1:123456789012:ops-{stack}-alerts"
    else:
        assert topic_arn == "(known after deploy)"
    assert "Traceback" not in err
    # A first preview decides every check: documents name the stack's new keys (by alias), buckets,
    # secrets, log groups, queues and tables as their names imply them, never by an output the
    # provider computes at create (the engine would see such a JSON string as unknown as a whole).
    unchecked = [(f["policy"], f["message"]) for f in report["findings"] if f["kind"] == "unchecked"]
    assert unchecked == []
    exempted = {(f["policy"], f["urn"].rsplit("::", 1)[-1]) for f in report["findings"] if f["kind"] == "exempted"}
    dev_only = {("aws-secretsmanager-secret-enable-rotation", "sample-secret")} if stack == "dev" else set()
    assert exempted == {ACCESS_LOG_BUCKET_EXEMPTION, *dev_only}


def test_text_plan_shows_tree_counts_and_outputs(capsys):
    code, out, _ = preflight(capsys, "--stack", "dev", "--project-dir", str(ROOT))
    assert code == 0
    assert (
        "  keys  [ops-baseline:keys:EncryptionKeys]\n  ├─ keys-alias  [aws:kms/alias:Alias]\n  └─ keys-key  [aws:kms/key:Key]\n"
        in out
    )
    assert re.search(r"aws:sns/topicSubscription:TopicSubscription +2\n", out)
    assert "kmsKeyAlias: alias/ops-dev" in out


def test_account_flag_reaches_synthesized_arns(capsys):
    code, out, _ = preflight(
        capsys,
        "--stack",
        "prod",
        "--mode",
        "up",
        "--account",
        "210987654321",
        "--project-dir",
        str(ROOT),
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(out)["outputs"]["alertTopicArn"] == "arn:aws:sns:eu-west-1:210987654321:ops-prod-alerts"


def test_report_can_go_to_a_file(capsys, tmp_path):
    target = tmp_path / "plan.json"
    code, out, _ = preflight(
        capsys, "--stack", "dev", "--project-dir", str(ROOT), "--format", "json", "--output", str(target)
    )
    assert code == 0 and out == ""
    assert json.loads(target.read_text())["stack"] == "dev"


def test_unknown_stack_lists_the_stacks_that_exist(capsys):
    code, _, err = preflight(capsys, "--stack", "qa", "--project-dir", str(ROOT))
    assert code == 2
    assert "unknown stack 'qa'" in err and "(stacks: dev, prod)" in err


def test_malformed_yaml_is_a_clear_error(capsys, project):
    (project / "Pulumi.dev.yaml").write_text("config:\n  ops-baseline:environment: dev\n   bad-indent: [\n")
    code, _, err = preflight(capsys, "--stack", "dev", "--project-dir", str(project))
    assert code == 2
    assert "Pulumi.dev.yaml: line" in err and "not valid YAML" in err
    assert "Traceback" not in err


def test_invalid_settings_list_every_problem_without_a_traceback(capsys, project):
    (project / "Pulumi.dev.yaml").write_text(
        "config:\n"
        "  aws:region: eu-west-1\n"
        "  ops-baseline:environment: dev\n"
        "  ops-baseline:logRetentionDays: 13\n"
        "  ops-baseline:alerting:\n"
        "    emails: [not-an-email]\n"
        "    slack: {channel: '#alerts', webhookUrl: 'https://hooks.slack.com/services/T/B/plain'}\n"
    )
    code, _, err = preflight(capsys, "--stack", "dev", "--project-dir", str(project))
    assert code == 2
    assert "invalid stack configuration (3 problems)" in err
    assert "ops-baseline:logRetentionDays: 13" in err
    assert 'ops-baseline:alerting.emails[0]: "not-an-email"' in err
    assert "pulumi config set --secret --path alerting.slack.webhookUrl" in err
    assert "hooks.slack.com/services/T/B/plain" not in err
    assert "Traceback" not in err


def test_secure_values_become_secret_placeholders(capsys, project):
    (project / "Pulumi.dev.yaml").write_text(
        "config:\n"
        "  aws:region: eu-west-1\n"
        "  ops-baseline:environment: dev\n"
        "  ops-baseline:alerting:\n"
        "    emails: [oncall@example.com]\n"
        "    slack:\n"
        "      channel: '#alerts'\n"
        "      webhookUrl:\n"
        "        secure: v1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBB\n"
    )
    stack = load_stack_config(load_project(project), "dev")
    assert stack.secret_keys == ("ops-baseline:alerting",)
    assert json.loads(stack.values["ops-baseline:alerting"])["slack"]["webhookUrl"] == SECRET_PLACEHOLDER
    code, _, err = preflight(capsys, "--stack", "dev", "--project-dir", str(project))
    assert code == 0, err


def test_program_errors_name_the_failing_line(capsys, project):
    main_py = project / "__main__.py"
    main_py.write_text(main_py.read_text() + "\nraise KeyError('no-such-output')\n")
    code, _, err = preflight(capsys, "--stack", "dev", "--project-dir", str(project))
    assert code == 2
    assert "the program failed (at __main__.py:" in err and "KeyError" in err


def test_bad_arguments_exit_2(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["preflight", "--stack", "dev", "--mode", "destroy"])
    assert raised.value.code == 2
    with pytest.raises(SystemExit) as raised:
        main(["preflight", "--stack", "dev", "--account", "12345"])
    assert raised.value.code == 2
    assert "not an AWS account id" in capsys.readouterr().err


@pytest.mark.parametrize("command", [[sys.executable, "-m", "opsctl"], [str(Path(sys.executable).with_name("opsctl"))]])
def test_runs_as_module_and_as_installed_command(command):
    result = subprocess.run(
        [*command, "preflight", "--stack", "dev", "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["stack"] == "dev"
    assert "resources planned in" in result.stderr


def test_the_summary_counts_in_words_that_agree(capsys, tmp_path):
    """dev without its one exemption has one violation (the demo secret's rotation, advisory)."""
    config = json.loads((ROOT / "policies" / "config" / "dev.json").read_text())
    del config["aws-secretsmanager-secret-enable-rotation"]
    path = tmp_path / "dev.json"
    path.write_text(json.dumps(config))
    code, _, err = preflight(capsys, "--stack", "dev", "--project-dir", str(ROOT), "--policy-config", str(path))
    assert code == 0
    assert re.search(r"preflight: \d+ resources planned in [\d.]+ s; 1 violation \(0 mandatory\), ", err), err


def finding(level: str, severity: str, kind: str = "violation") -> Finding:
    return Finding(policy="p", level=level, severity=severity, message="m", subject="u", kind=kind)


@pytest.mark.parametrize(
    ("findings", "fail_on", "expected"),
    [
        ([], "mandatory", 0),
        ([finding("advisory", "critical")], "mandatory", 0),
        ([finding("mandatory", "low")], "mandatory", 1),
        ([finding("remediate", "low")], "mandatory", 1),
        ([finding("mandatory", "low", kind="unchecked")], "mandatory", 0),
        ([finding("advisory", "high")], "high", 1),
        ([finding("advisory", "medium")], "high", 0),
        ([finding("mandatory", "critical")], "never", 0),
    ],
    ids=[
        "clean",
        "advisory-only",
        "mandatory",
        "remediate-counts-as-mandatory",
        "unchecked-never-fails",
        "severity-reached",
        "severity-below",
        "never",
    ],
)
def test_exit_code_threshold(findings, fail_on, expected):
    assert exit_code(findings, fail_on) == expected


def test_malformed_policy_config_is_a_clear_error(capsys, tmp_path):
    config = tmp_path / "bad.json"
    config.write_text('{"all": "mandatory",}')
    code, _, err = preflight(capsys, "--stack", "dev", "--project-dir", str(ROOT), "--policy-config", str(config))
    assert code == 2
    assert f"policy config {config}: not valid JSON (line 1:" in err and "Traceback" not in err


def test_policy_violation_exits_1(capsys, tmp_path):
    config = tmp_path / "strict.json"
    config.write_text(
        '{"all": "mandatory", "aws-sns-topic-configure-kms-key": {"allowAwsManagedKey": false}, "aws-cloudwatch-loggroup-configure-retention": {"minRetentionDays": 365}, "aws-cfg-recorder-record-all-resources": {"requireRecorder": true}}'
    )
    code, out, _ = preflight(
        capsys,
        "--stack",
        "dev",
        "--mode",
        "up",
        "--project-dir",
        str(ROOT),
        "--policy-config",
        str(config),
        "--format",
        "json",
    )
    assert code == 1
    violations = [f for f in json.loads(out)["findings"] if f["kind"] == "violation"]
    # Without the dev config's relaxations and exemptions: no recorder and no account-level S3 Block
    # Public Access (dev reuses prod's), the three 14-day log groups (sample function, access logs,
    # trail), the sample secret that dev exempts from rotation, and the SSE-S3 access-log bucket.
    assert sorted(f["policy"] for f in violations) == [
        "aws-cfg-recorder-record-all-resources",
        *["aws-cloudwatch-loggroup-configure-retention"] * 3,
        "aws-s3-account-enable-public-access-block",
        "aws-s3-bucket-configure-kms-encryption",
        "aws-secretsmanager-secret-enable-rotation",
    ]
