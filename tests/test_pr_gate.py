"""The PR gate end to end: `opsctl preflight` in every format on the real stacks, exit codes with and
without a baseline (a current one, an older run's, a broken one), `opsctl cost`, and the
pull-request workflow against what the README says it does."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml

from opsctl.cli import main
from tests.conftest import ROOT
from tests.test_reports import GITHUB_SARIF

STRICT = {
    "all": "mandatory",
    "aws-cloudwatch-loggroup-configure-retention": {"minRetentionDays": 365},
}
"""Without dev's config: its three 14-day log groups violate the retention guardrail, its demo secret
(no longer exempted) the rotation guardrail, and the recorder it reuses from prod (not required by
dev's config) the recorder guardrail."""


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def strict_config(tmp_path: Path) -> Path:
    path = tmp_path / "strict.json"
    path.write_text(json.dumps(STRICT))
    return path


def preflight_json(capsys, tmp_path: Path, *extra: str) -> tuple[int, dict]:
    code, out, err = run(
        capsys,
        "preflight",
        "--stack",
        "dev",
        "--project-dir",
        str(ROOT),
        "--policy-config",
        str(strict_config(tmp_path)),
        "--format",
        "json",
        *extra,
    )
    assert code in (0, 1), err
    return code, json.loads(out)


def violations(report: dict) -> list[dict]:
    return [f for f in report["findings"] if f["kind"] == "violation"]


def test_without_a_baseline_every_violation_counts(capsys, tmp_path):
    code, report = preflight_json(capsys, tmp_path)
    assert code == 1
    assert len(violations(report)) == 5 and not any(f["existing"] for f in violations(report))
    assert "baseline" not in report


def test_with_its_own_report_as_baseline_nothing_is_new(capsys, tmp_path):
    _, first = preflight_json(capsys, tmp_path, "--fail-on", "never")
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps(first))
    code, report = preflight_json(capsys, tmp_path, "--baseline", str(baseline))
    assert code == 0
    assert all(f["existing"] for f in violations(report))
    assert report["baseline"] == {"file": str(baseline), "existing": 5, "new": 0, "fixed": []}
    assert report["cost"]["change"] == {
        "before": first["cost"]["monthlyTotal"],
        "after": first["cost"]["monthlyTotal"],
        "delta": 0.0,
        "items": [],
    }


def test_only_violations_the_baseline_lacks_fail_the_run(capsys, tmp_path):
    _, first = preflight_json(capsys, tmp_path, "--fail-on", "never")
    dropped = violations(first)[0]
    first["findings"] = [f for f in first["findings"] if f is not dropped]
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps(first))
    code, report = preflight_json(capsys, tmp_path, "--baseline", str(baseline))
    assert code == 1
    assert [(f["policy"], f["urn"]) for f in violations(report) if not f["existing"]] == [
        (dropped["policy"], dropped["urn"])
    ]


def test_an_older_runs_report_is_a_baseline_and_its_fixes_are_counted(capsys, tmp_path):
    """A report from before findings had kinds, exemptions or a cost, with one violation since fixed."""
    _, current = preflight_json(capsys, tmp_path, "--fail-on", "never")
    fixed = {
        "policy": "aws-sns-topic-configure-kms-key",
        "urn": "urn:pulumi:dev::ops-baseline::aws:sns/topic:Topic::gone",
    }
    older = {
        "project": "ops-baseline",
        "stack": "dev",
        "mode": "preview",
        "findings": [
            {
                "policy": f["policy"],
                "level": f["level"],
                "severity": f["severity"],
                "message": f["message"],
                "urn": f["urn"],
            }
            for f in violations(current)
        ]
        + [{**fixed, "level": "mandatory", "severity": "high", "message": "old"}],
    }
    baseline = tmp_path / "older.json"
    baseline.write_text(json.dumps(older))
    code, report = preflight_json(capsys, tmp_path, "--baseline", str(baseline))
    assert code == 0
    assert report["baseline"]["fixed"] == [fixed]
    assert "change" not in report["cost"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON (line 1:2"),
        ("[]", "expected a JSON object, got list"),
        ('{"stack": "prod", "findings": []}', "it is a report of stack 'prod', not 'dev'"),
        ('{"stack": "dev", "findings": [{"policy": "p"}]}', "findings[0] has no 'policy' and 'urn' strings"),
        (
            '{"stack": "dev", "cost": {"lines": [{"item": "x", "what": "w", "unit": "u", "quantity": "12", "monthly": 1}]}}',
            'cost.lines[0].quantity is "12", expected a number',
        ),
    ],
    ids=["not-json", "not-an-object", "another-stack", "finding-without-urn", "quantity-as-string"],
)
def test_a_broken_baseline_is_a_clear_error_before_anything_runs(capsys, tmp_path, content, message):
    baseline = tmp_path / "baseline.json"
    baseline.write_text(content)
    code, out, err = run(capsys, "preflight", "--stack", "dev", "--project-dir", str(ROOT), "--baseline", str(baseline))
    assert code == 2 and out == ""
    assert f"opsctl: error: baseline {baseline}" in err and message in err
    assert "preflight: stack dev" not in err and "Traceback" not in err


def test_a_missing_baseline_file_is_named(capsys, tmp_path):
    missing = tmp_path / "nope.json"
    code, _, err = run(capsys, "cost", "--stack", "dev", "--project-dir", str(ROOT), "--baseline", str(missing))
    assert code == 2
    assert f"baseline {missing}: cannot read it (No such file or directory)" in err


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_committed_stacks_in_every_gate_format(capsys, tmp_path, stack, monkeypatch):
    monkeypatch.chdir(ROOT)
    outputs = {}
    for format_ in ("sarif", "junit", "markdown"):
        target = tmp_path / f"report.{format_}"
        code, _, err = run(capsys, "preflight", "--stack", stack, "--format", format_, "--output", str(target))
        assert code == 0, err
        outputs[format_] = target.read_text()
    sarif = json.loads(outputs["sarif"])
    jsonschema.validate(sarif, GITHUB_SARIF, format_checker=jsonschema.FormatChecker())
    [sarif_run] = sarif["runs"]
    assert {r["ruleId"] for r in sarif_run["results"] if r["level"] == "note"} == {
        "aws-iam-policy-disallow-administrator-access",
        "aws-iam-policy-disallow-service-wildcards",
        "aws-s3-bucketpolicy-disallow-public-access",
        "aws-s3-bucket-require-tls-requests",
    }
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif_run["results"]} == {
        f"Pulumi.{stack}.yaml"
    }
    suite = ET.fromstring(outputs["junit"].encode()).find("testsuite")
    assert suite.get("failures") == "0" and int(suite.get("tests")) > 200
    assert outputs["markdown"].startswith(f"### ✅ `ops-baseline` · **{stack}** (preview)")
    assert "#### Estimated monthly cost" in outputs["markdown"]


def test_cost_command_prints_the_estimate_and_its_change(capsys, tmp_path):
    code, out, err = run(capsys, "cost", "--stack", "prod", "--project-dir", str(ROOT), "--format", "json")
    assert code == 0
    estimate = json.loads(out)
    canary = next(line for line in estimate["lines"] if line["item"] == "canary-run")
    assert (canary["quantity"], canary["free"], round(canary["monthly"], 2)) == (8760, 100, 10.39)
    assert "cost: about" in err
    cheaper = dict(estimate, lines=[line for line in estimate["lines"] if line["item"] != "canary-run"])
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"stack": "prod", "cost": cheaper}))
    code, out, _ = run(capsys, "cost", "--stack", "prod", "--project-dir", str(ROOT), "--baseline", str(baseline))
    assert code == 0
    assert "+8,760 canary runs (Synthetics canary runs): +10.39 USD/month" in out


@pytest.mark.parametrize("command", ["cost", "preflight"])
def test_a_cost_or_preflight_json_report_is_a_baseline_for_cost(capsys, tmp_path, command):
    code, out, err = run(capsys, command, "--stack", "dev", "--project-dir", str(ROOT), "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert (report["stack"], report["project"], report["mode"]) == ("dev", "ops-baseline", "preview")
    baseline = tmp_path / f"{command}.json"
    baseline.write_text(out)
    code, out, err = run(capsys, "cost", "--stack", "dev", "--project-dir", str(ROOT), "--baseline", str(baseline))
    assert code == 0, err
    assert "  change: no change against the baseline (" in out
    code, _, err = run(capsys, "cost", "--stack", "prod", "--project-dir", str(ROOT), "--baseline", str(baseline))
    assert code == 2 and "it is a report of stack 'dev', not 'prod'" in err


def test_a_broken_cost_report_baseline_names_the_line(capsys, tmp_path):
    baseline = tmp_path / "cost.json"
    baseline.write_text(json.dumps({"stack": "dev", "lines": [{"item": "x", "what": "w", "unit": "u", "quantity": 1}]}))
    code, _, err = run(capsys, "cost", "--stack", "dev", "--project-dir", str(ROOT), "--baseline", str(baseline))
    assert code == 2
    assert "not a usable JSON report of `opsctl preflight` or `opsctl cost`: lines[0].monthly is null" in err


def test_cost_help_describes_its_baseline_as_a_cost_baseline(capsys):
    with pytest.raises(SystemExit):
        main(["cost", "--help"])
    baseline_help = capsys.readouterr().out.split("--baseline BASELINE", 2)[2].split("--no-free-tier")[0]
    assert "opsctl cost --format json" in " ".join(baseline_help.split())
    assert "violation" not in baseline_help


def test_cost_has_no_sarif_or_junit(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["cost", "--stack", "dev", "--format", "sarif"])
    assert raised.value.code == 2
    assert "invalid choice: 'sarif'" in capsys.readouterr().err


WORKFLOW = ROOT / ".github" / "workflows" / "pull-request.yml"


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def commands(job: dict) -> list[str]:
    lines = []
    for step in job["steps"]:
        lines += [line.strip() for line in step.get("run", "").splitlines() if line.strip()]
    return lines


def uses(job: dict, action: str) -> list[dict]:
    return [step for step in job["steps"] if step.get("uses", "").startswith(action + "@")]


def test_workflow_runs_on_pull_requests_with_least_privilege():
    document = workflow()
    triggers = document.get("on", document.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers
    assert document["permissions"] == {"contents": "read"}
    assert set(document["jobs"]) == {"test", "preflight", "pulumi-preview"}


def test_workflow_test_job_is_the_readme_test_command_on_python_311_with_a_pip_cache():
    job = workflow()["jobs"]["test"]
    [python] = uses(job, "actions/setup-python")
    assert python["with"]["python-version"] == "3.11" and python["with"]["cache"] == "pip"
    assert commands(job) == ["make test"]
    assert "make test        # lint + the whole test suite" in (ROOT / "README.md").read_text()


def test_workflow_preflight_covers_every_stack_and_reports_each_format():
    job = workflow()["jobs"]["preflight"]
    stacks = sorted(p.name.removeprefix("Pulumi.").removesuffix(".yaml") for p in ROOT.glob("Pulumi.*.yaml"))
    assert job["strategy"]["matrix"]["stack"] == stacks
    assert job["permissions"]["security-events"] == "write"
    opsctl = [c for c in commands(job) if "opsctl" in c]
    assert {re.search(r"--format (\w+)", c).group(1) for c in opsctl} == {"json", "markdown", "sarif", "junit"}
    gate = [c for c in opsctl if "--fail-on never" not in c]
    assert gate == [
        '.venv/bin/opsctl preflight --stack "$STACK" $BASELINE_ARGS --format junit --output "preflight-$STACK.xml"'
    ]
    [upload] = uses(job, "github/codeql-action/upload-sarif")
    assert upload["with"]["category"] == "preflight-${{ matrix.stack }}"


def test_workflow_commands_are_the_ones_the_readme_documents():
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## CI: the pull-request gate") :]
    for job in ("preflight",):
        for command in commands(workflow()["jobs"][job]):
            if command.startswith((".venv/bin/opsctl", "make", "git ")):
                assert command in section, command


def test_workflow_runs_the_real_preview_only_when_credentials_exist():
    job = workflow()["jobs"]["pulumi-preview"]
    assert "vars.AWS_ROLE_ARN != ''" in job["if"]
    assert job["permissions"]["id-token"] == "write"
    [preview] = uses(job, "pulumi/actions")
    assert preview["with"]["command"] == "preview"
    assert preview["with"]["policyPacks"] == "policies"
    assert preview["with"]["policyPackConfigs"] == "policies/config/${{ matrix.stack }}.json"
    gated = [s for s in job["steps"] if "uses" in s or s.get("run", "").startswith("make")]
    assert all(s.get("if") == "steps.token.outputs.present == 'true'" for s in gated)
    order = [s.get("run") or s["uses"].split("@")[0] for s in job["steps"]]
    assert order.index("make pack") < order.index("pulumi/actions"), "the pack's virtualenv exists first"
    readme = (ROOT / "README.md").read_text()
    assert "pulumi preview --policy-pack policies --policy-pack-config policies/config/<stack>.json" in readme


def test_a_run_without_policies_claims_no_fixes(capsys, tmp_path):
    _, first = preflight_json(capsys, tmp_path, "--fail-on", "never")
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps(first))
    code, out, _ = run(
        capsys,
        "preflight",
        "--stack",
        "dev",
        "--project-dir",
        str(ROOT),
        "--no-policies",
        "--baseline",
        str(baseline),
        "--format",
        "json",
    )
    assert code == 0
    report = json.loads(out)
    assert report["baseline"]["fixed"] == [] and "findings" not in report
    assert report["cost"]["change"]["delta"] == 0.0
