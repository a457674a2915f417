"""The PR gate end to end: `opsctl preflight` in every format on the real stacks, exit codes with and
without a baseline (a current one, an older run's, a broken one), `opsctl cost`, and the
pull-request workflow against what the README says it does."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml

from opsctl.cli import main
from opsctl.formats import OutputFormat
from opsctl.stacks import policy_config
from policies.guardrails.scope import Exemption, exemption_for
from tests.conftest import ROOT
from tests.test_reports import GITHUB_SARIF

STRICT = {
    "all": "mandatory",
    "aws-cloudwatch-loggroup-configure-retention": {"minRetentionDays": 365},
}
"""Without dev's config: its three 14-day log groups violate the retention guardrail, its demo secret
(no longer exempted) the rotation guardrail, the recorder and the account-level S3 Block Public Access
it reuses from prod (not required by dev's config) the recorder and S3.1 guardrails, and its SSE-S3
access-log bucket (no longer exempted) the S3 KMS guardrail: 7 violations."""


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def strict_config(tmp_path: Path) -> Path:
    path = tmp_path / "strict.json"
    path.write_text(json.dumps(STRICT))
    return path


def preflight_strict(capsys, tmp_path: Path, *extra: str) -> tuple[int, str, str]:
    """dev judged without its own config (STRICT)."""
    config = str(strict_config(tmp_path))
    return run(capsys, "preflight", "--stack", "dev", "--project-dir", str(ROOT), "--policy-config", config, *extra)


def preflight_json(capsys, tmp_path: Path, *extra: str) -> tuple[int, dict]:
    code, out, err = preflight_strict(capsys, tmp_path, "--format", "json", *extra)
    assert code in (0, 1), err
    return code, json.loads(out)


def violations(report: dict) -> list[dict]:
    return [f for f in report["findings"] if f["kind"] == "violation"]


def test_without_a_baseline_every_violation_counts(capsys, tmp_path):
    code, report = preflight_json(capsys, tmp_path)
    assert code == 1
    assert len(violations(report)) == 7 and not any(f["existing"] for f in violations(report))
    assert "baseline" not in report


def test_with_its_own_report_as_baseline_nothing_is_new(capsys, tmp_path):
    _, first = preflight_json(capsys, tmp_path, "--fail-on", "never")
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps(first))
    code, report = preflight_json(capsys, tmp_path, "--baseline", str(baseline))
    assert code == 0
    assert all(f["existing"] for f in violations(report))
    assert report["baseline"] == {"file": str(baseline), "existing": 7, "new": 0, "fixed": []}
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
        (
            '{"schemaVersion": 2, "stack": "dev", "findings": []}',
            "its schemaVersion is 2; this opsctl reads reports of schema version 1",
        ),
    ],
    ids=["not-json", "not-an-object", "another-stack", "finding-without-urn", "quantity-as-string", "newer-schema"],
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
def test_committed_stacks_in_every_gate_format_from_one_run(capsys, tmp_path, stack, monkeypatch):
    """The workflow's gate command: the text report on stdout, the others to their files."""
    monkeypatch.chdir(ROOT)
    targets = {format_: tmp_path / f"preflight-{stack}.{format_}" for format_ in ("sarif", "junit", "markdown")}
    reports = [f"--report={format_}={path}" for format_, path in targets.items()]
    code, out, err = run(capsys, "preflight", "--stack", stack, *reports)
    assert code == 0, err
    assert out.startswith(f"ops-baseline · stack {stack} · mode preview")
    assert f"  policy config: policies/config/{stack}.json\n" in out
    outputs = {format_: path.read_text() for format_, path in targets.items()}
    sarif = json.loads(outputs["sarif"])
    jsonschema.validate(sarif, GITHUB_SARIF, format_checker=jsonschema.FormatChecker())
    [sarif_run] = sarif["runs"]
    # A first preview decides every check: no result waits on deploy (SARIF's `note`).
    assert [r["ruleId"] for r in sarif_run["results"] if r["level"] == "note"] == []
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif_run["results"]} <= {
        f"Pulumi.{stack}.yaml"
    }
    assert sarif_run["properties"]["policyConfig"] == f"policies/config/{stack}.json"
    suite = ET.fromstring(outputs["junit"].encode()).find("testsuite")
    assert suite.get("failures") == "0" and int(suite.get("tests")) > 200
    assert suite.find("properties/property[@name='policyConfig']").get("value") == f"policies/config/{stack}.json"
    assert outputs["markdown"].startswith(f"### ✅ `ops-baseline` · **{stack}** (preview)")
    assert f"(config `policies/config/{stack}.json`)" in outputs["markdown"]
    assert "#### Estimated monthly cost" in outputs["markdown"]


def words(text: str) -> list[str]:
    """A report's content, whatever the order of its lines and of the names listed on one line: the
    SDK registers resources on several threads, so identical runs still order some items
    differently (to be made byte-stable by sorting in the reports)."""
    return sorted(" ".join(sorted(re.findall(r"[^\s,()]+", line))) for line in text.splitlines())


def test_one_run_writes_every_report_as_the_single_format_runs_do(capsys, tmp_path):
    """--no-free-tier: which region's alarms the free tier is credited to still varies run to run."""
    common = ["preflight", "--stack", "prod", "--project-dir", str(ROOT), "--no-free-tier"]
    formats = [f.value for f in OutputFormat]
    reports = [f"--report={format_}={tmp_path / ('all.' + format_)}" for format_ in formats]
    code, out, err = run(capsys, *common, "--format", "json", *reports)
    assert code == 0, err
    assert out == (tmp_path / "all.json").read_text(), "the same run writes the same bytes to stdout and to --report"
    for format_ in formats:
        assert f"preflight: {format_} report written to {tmp_path / ('all.' + format_)}" in err
        code, single, _ = run(capsys, *common, "--format", format_)
        assert code == 0
        assert words((tmp_path / f"all.{format_}").read_text()) == words(single), format_


def test_every_report_of_a_failing_run_is_written_and_the_run_still_fails(capsys, tmp_path):
    sarif, junit = tmp_path / "gate.sarif", tmp_path / "gate.xml"
    code, out, err = preflight_strict(capsys, tmp_path, "--report", f"sarif={sarif}", "--report", f"junit={junit}")
    assert code == 1, err
    assert "[violation · mandatory" in out
    assert sum(r["level"] == "error" for r in json.loads(sarif.read_text())["runs"][0]["results"]) == 7
    assert ET.fromstring(junit.read_bytes()).get("failures") == "7"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("sarif", "'sarif' is not FORMAT=FILE (FORMAT one of text, json, sarif, junit, markdown)"),
        ("=gate.sarif", "'=gate.sarif' is not FORMAT=FILE"),
        ("sarif=", "'sarif=' is not FORMAT=FILE"),
        ("xml=gate.xml", "'xml=gate.xml': unknown format 'xml' (choose from text, json, sarif, junit, markdown)"),
        ("sarif=missing/gate.sarif", "'sarif=missing/gate.sarif': the directory missing does not exist"),
        ("sarif=.", "'sarif=.': . is a directory, not a file"),
    ],
    ids=["no-equals", "no-format", "no-file", "unknown-format", "missing-directory", "a-directory"],
)
def test_a_bad_report_target_is_a_usage_error_before_anything_runs(capsys, tmp_path, monkeypatch, target, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as raised:
        main(["preflight", "--stack", "dev", "--project-dir", str(ROOT), "--report", target])
    assert raised.value.code == 2
    err = capsys.readouterr().err
    assert f"opsctl preflight: error: argument --report: {message}" in err
    assert "preflight: stack dev" not in err


def test_two_reports_to_one_file_is_an_error_before_anything_runs(capsys, tmp_path):
    target = tmp_path / "report.txt"
    code, out, err = run(
        capsys,
        "scan",
        "--project-dir",
        str(ROOT),
        "--stack",
        "dev",
        "--output",
        str(target),
        "--report",
        f"sarif={target}",
    )
    assert code == 2 and out == ""
    assert f"opsctl: error: --report sarif={target}: --output writes to the same file" in err
    assert "scan: stack dev" not in err and not target.exists()


def project_with_stack(tmp_path: Path, stack: str, settings_from: str) -> Path:
    """The project as a new environment's pull request leaves it: a Pulumi.<stack>.yaml copied from
    another stack's, and no policies/config/<stack>.json."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("Pulumi.yaml", "__main__.py", "components", "plan", "settings", "functions", "policies", "opsctl"):
        (project / name).symlink_to(ROOT / name)
    for existing in ROOT.glob("Pulumi.*.yaml"):
        (project / existing.name).symlink_to(existing)
    text = (ROOT / f"Pulumi.{settings_from}.yaml").read_text()
    (project / f"Pulumi.{stack}.yaml").write_text(
        text.replace(f"environment: {settings_from}", f"environment: {stack}")
    )
    assert not (ROOT / "policies" / "config" / f"{stack}.json").exists()
    return project


def test_a_stack_without_its_own_policy_config_is_gated_by_the_default(capsys, tmp_path, monkeypatch):
    """staging copied from dev keeps dev's 14-day retention, reused recorder and account-level S3 Block
    Public Access, and unrotated demo secret, which only dev.json accepts: default.json makes each a
    mandatory violation (the program's SSE-S3 access-log bucket stays exempted, as in every config)."""
    project = project_with_stack(tmp_path, "staging", settings_from="dev")
    monkeypatch.chdir(project)
    markdown, sarif = project / "preflight-staging.md", project / "preflight-staging.sarif"
    code, out, err = run(capsys, "preflight", "--stack", "staging", "--report", f"markdown={markdown}",
                         "--report", f"sarif={sarif}", "--format", "json")  # fmt: skip
    assert code == 1, err
    assert "config " + str(project / "policies/config/default.json") in err
    assert "(the default for a stack without config/staging.json)" in err
    report = json.loads(out)
    assert report["policyConfig"] == "policies/config/default.json"
    assert sorted({(f["policy"], f["level"]) for f in violations(report)}) == [
        ("aws-cfg-recorder-record-all-resources", "mandatory"),
        ("aws-cloudwatch-loggroup-configure-retention", "mandatory"),
        ("aws-s3-account-enable-public-access-block", "mandatory"),
        ("aws-secretsmanager-secret-enable-rotation", "mandatory"),
    ]
    assert {f["policy"] for f in report["findings"] if f["kind"] == "exempted"} == {
        "aws-s3-bucket-configure-kms-encryption"
    }
    assert "(config `policies/config/default.json`)" in markdown.read_text()
    assert json.loads(sarif.read_text())["runs"][0]["properties"]["policyConfig"] == "policies/config/default.json"


def test_the_default_policy_config_passes_a_stack_configured_like_prod(capsys, tmp_path):
    """Mandatory like prod.json for every guardrail on the stack's own resources, with AWS's
    parameters, and any environment tag value: a prod-like new stack passes on the first day."""
    project = project_with_stack(tmp_path, "staging", settings_from="prod")
    code, out, err = run(capsys, "preflight", "--stack", "staging", "--project-dir", str(project), "--format", "json")
    assert code == 0, err
    assert violations(json.loads(out)) == []
    default = json.loads((ROOT / "policies" / "config" / "default.json").read_text())
    assert default["all"] == "mandatory"
    assert {name for name, level in default.items() if level == "advisory"} == {
        name
        for name, level in json.loads((ROOT / "policies" / "config" / "prod.json").read_text()).items()
        if level == "advisory"
    }


@pytest.mark.parametrize("config", ["default", "dev", "prod"])
@pytest.mark.parametrize(
    ("urn", "covered"),
    [
        ("urn:pulumi:staging::ops-baseline::ops-baseline:storage:SecureBucket$aws:s3/bucket:Bucket::access-logs-bucket", True),
        # Another team's program, or a bucket of ours outside the access-log store, keeps the KMS guardrail.
        ("urn:pulumi:staging::team-app::aws:s3/bucket:Bucket::access-logs-bucket", False),
        ("urn:pulumi:staging::team-app::ops-baseline:storage:SecureBucket$aws:s3/bucket:Bucket::access-logs-bucket", False),
        ("urn:pulumi:staging::ops-baseline::ops-baseline:storage:SecureBucket$aws:s3/bucket:Bucket::audit-store-bucket", False),
    ],
)  # fmt: skip
def test_the_access_log_bucket_exemption_covers_only_the_programs_own_store(config, urn, covered):
    entries = json.loads((ROOT / "policies" / "config" / f"{config}.json").read_text())[
        "aws-s3-bucket-configure-kms-encryption"
    ]["exemptions"]
    assert (exemption_for(urn, [Exemption.read(e) for e in entries]) is not None) is covered


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


NODE_24_MAJORS = {
    # The current major of each action, each running on Node 24 (GitHub removes Node 20 from its
    # runners): the action's release notes or its `runs.using: node24`, as read in its repository.
    "actions/checkout": 7,  # v5 moved to node24; v7 (2026-06) refuses fork code under pull_request_target
    "actions/setup-python": 7,  # v6 moved to node24; v7 removed the pip-install input, unused here
    "actions/upload-artifact": 7,  # v6 made node24 the default; no v8 (only download-artifact has one)
    "github/codeql-action/upload-sarif": 4,  # v4 runs on node24 (github/codeql-action#3169), v3 on node20
    "aws-actions/configure-aws-credentials": 6,  # 6.0.0 (2026-02): "Update action to use node24"
    "pulumi/actions": 7,  # 7.0.0 (2026-05): node24; inputs as in v6
}


def steps(document: dict | None = None) -> list[tuple[str, dict]]:
    return [(name, step) for name, job in (document or workflow())["jobs"].items() for step in job["steps"]]


def test_workflow_runs_on_pull_requests_with_least_privilege():
    document = workflow()
    triggers = document.get("on", document.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers
    assert "pull_request_target" not in triggers, "pull-request code must never run with the base's token"
    assert document["permissions"] == {"contents": "read"}
    assert set(document["jobs"]) == {"test", "stacks", "preflight", "pulumi-preview"}


def test_every_action_is_the_current_major_that_runs_on_node_24():
    used = {step["uses"] for _, step in steps() if "uses" in step}
    versions = {}
    for reference in used:
        action, _, version = reference.partition("@")
        assert re.fullmatch(r"v\d+", version), f"{reference}: pin a major version (Dependabot keeps it current)"
        versions.setdefault(action, set()).add(int(version[1:]))
    assert versions == {action: {major} for action, major in NODE_24_MAJORS.items()}
    dependabot = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text())
    assert {"package-ecosystem": "github-actions", "directory": "/"}.items() <= dependabot["updates"][0].items()


def test_dependabot_keeps_the_python_pins_moving_together():
    [pip] = [u for u in yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text())["updates"]
             if u["package-ecosystem"] == "pip"]  # fmt: skip
    assert sorted(pip["directories"]) == ["/", "/policies"]  # requirements*.txt and policies/requirements.txt
    assert [group["patterns"] for group in pip["groups"].values()] == [["*"]]
    readme = (ROOT / "README.md").read_text()
    assert "after a Dependabot update" in readme and "make lock" in readme


def test_checkouts_keep_no_credentials_and_come_before_any_pull_request_code():
    """The job's token never lands on disk, and no checked-out code has run when a checkout uses it."""
    for name, job in workflow()["jobs"].items():
        checkouts = [i for i, s in enumerate(job["steps"]) if s.get("uses", "").startswith("actions/checkout@")]
        for index in checkouts:
            step = job["steps"][index]
            assert step["with"]["persist-credentials"] is False, name
            assert not {"token", "ssh-key"} & set(step["with"]), name
            assert not any("run" in s for s in job["steps"][checkouts[0] : index]), name


def test_workflow_fetches_the_target_branch_through_the_checkout_action():
    """Not `git fetch https://github.com/...`: that has no credentials on a private repository and the
    wrong host on GitHub Enterprise."""
    job = workflow()["jobs"]["preflight"]
    text = WORKFLOW.read_text()
    assert "github.com" not in text and "git fetch" not in text and "git worktree" not in text
    [base] = [s for s in uses(job, "actions/checkout") if "ref" in s.get("with", {})]
    assert base["with"] == {"ref": "${{ github.base_ref }}", "path": "baseline", "persist-credentials": False}
    assert base["if"] == "github.event_name == 'pull_request'"
    [baseline] = [c for c in commands(job) if "--project-dir baseline" in c]
    assert "--format json --output baseline.json --fail-on never" in baseline


def stacks_job_output(project: Path, tmp_path: Path) -> list[dict]:
    """The stacks job's own command, run as the runner runs it, with a python3 that sees the
    standard library only (the job installs nothing)."""
    [step] = [s for s in workflow()["jobs"]["stacks"]["steps"] if s.get("id") == "list"]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python3").write_text(f'#!/bin/sh\nexec {sys.executable} -S "$@"\n')
    (bin_dir / "python3").chmod(0o755)
    output = tmp_path / "github_output"
    environment = {"PATH": f"{bin_dir}:{os.environ['PATH']}", "GITHUB_OUTPUT": str(output)}
    subprocess.run(["bash", "-e", "-c", step["run"]], cwd=project, env=environment, check=True)
    assert workflow()["jobs"]["stacks"]["outputs"]["matrix"] == "${{ steps.list.outputs.matrix }}"
    [line] = output.read_text().splitlines()
    assert line.startswith("matrix=")
    return json.loads(line.removeprefix("matrix="))


def test_the_stack_matrix_is_derived_from_the_stack_files(tmp_path):
    document = workflow()
    for name in ("preflight", "pulumi-preview"):
        job = document["jobs"][name]
        assert "stacks" in job["needs"]
        assert job["strategy"]["matrix"] == {"include": "${{ fromJSON(needs.stacks.outputs.matrix) }}"}
    committed = sorted(p.name.removeprefix("Pulumi.").removesuffix(".yaml") for p in ROOT.glob("Pulumi.*.yaml"))
    assert [e["stack"] for e in stacks_job_output(ROOT, tmp_path / "committed")] == committed


def test_a_new_stack_file_is_gated_the_day_it_is_added(tmp_path):
    """Pulumi.staging.yaml joins both matrices, with the config opsctl preflight picks for it."""
    project = project_with_stack(tmp_path, "staging", settings_from="prod")
    entries = stacks_job_output(project, tmp_path / "runner")
    assert entries == [
        {"stack": stack, "policyConfig": f"policies/config/{'default' if stack == 'staging' else stack}.json"}
        for stack in ("dev", "prod", "staging")
    ]
    for entry in entries:
        assert project / entry["policyConfig"] == policy_config(project / "policies", entry["stack"])


def test_one_preflight_per_stack_writes_every_report_and_gates():
    job = workflow()["jobs"]["preflight"]
    opsctl = [c for c in commands(job) if "opsctl" in c and "--project-dir baseline" not in c]
    assert opsctl == [
        '.venv/bin/opsctl preflight --stack "$STACK" $BASELINE_ARGS --report markdown="preflight-$STACK.md" '
        '--report sarif="preflight-$STACK.sarif" --report junit="preflight-$STACK.xml"'
    ], "one run, exit 1 on a new mandatory violation (no --fail-on never), the text report in the log"
    by_name = {s.get("name") or s.get("uses", "").split("@")[0] or s["run"]: s for s in job["steps"]}
    summary, upload = by_name["Report to the job summary"], by_name["Upload to code scanning"]
    assert summary["run"] == 'cat "preflight-$STACK.md" >> "$GITHUB_STEP_SUMMARY"'
    assert upload["with"] == {
        "sarif_file": "preflight-${{ matrix.stack }}.sarif",
        "category": "preflight-${{ matrix.stack }}",
    }
    artifact = by_name["actions/upload-artifact"]
    assert artifact["with"]["path"] == "preflight-${{ matrix.stack }}.*"
    for step in (summary, upload, artifact):
        assert "!cancelled()" in step["if"], "the reports are published when the gate fails too"
    order = list(by_name)
    assert order.index("Gate on new mandatory violations") < order.index("Report to the job summary")
    assert job["permissions"]["security-events"] == "write"


def test_workflow_commands_are_the_ones_the_readme_documents():
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## CI: the pull-request gate") :]
    for job in ("stacks", "preflight"):
        for command in commands(workflow()["jobs"][job]):
            if command.startswith((".venv/bin/opsctl", "make", "git ", "python3")):
                assert command in section, command


def test_workflow_runs_the_real_preview_only_when_credentials_exist():
    job = workflow()["jobs"]["pulumi-preview"]
    assert "vars.AWS_ROLE_ARN != ''" in job["if"]
    assert "github.event.pull_request.head.repo.full_name == github.repository" in job["if"]
    assert job["permissions"]["id-token"] == "write"
    [preview] = uses(job, "pulumi/actions")
    assert preview["with"]["command"] == "preview"
    assert preview["with"]["policyPacks"] == "policies"
    assert preview["with"]["policyPackConfigs"] == "${{ matrix.policyConfig }}"
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
