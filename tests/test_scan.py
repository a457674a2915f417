"""`opsctl scan`: another team's Python Pulumi program run as the Pulumi CLI runs it (its project
directory, its `main:`, the virtualenv its Pulumi.yaml names, made from its requirements.txt) and
checked with the pack's workload profile. The programs in tests/programs/ are the kind application
teams write; each must run in preview and up without a crash and give the findings it should.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from opsctl.cli import main
from opsctl.engine import EngineError, StackConfig
from opsctl.engine.program_host import run_project
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

PROGRAMS = ROOT / "tests" / "programs"
NAMES = sorted(p.name for p in PROGRAMS.iterdir() if (p / "Pulumi.yaml").is_file())
EXPECTED = "expected.json"


def scan(capsys, project: Path, *args: str) -> tuple[int, dict, str]:
    code = main(["scan", "--project-dir", str(project), "--format", "json", *args])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else {}, err


def judged(report: dict) -> list[list[str]]:
    """(policy, resource, level) of every violation and every finding left undecided."""
    return sorted(
        [f["policy"], f["urn"].rsplit("::", 1)[-1] if f["urn"] else "", f["level"], f["kind"]]
        for f in report["findings"]
        if f["kind"] in ("violation", "unchecked")
    )


@pytest.mark.parametrize("mode", ["preview", "up"])
@pytest.mark.parametrize("name", NAMES)
def test_every_program_runs_and_gets_the_findings_it_should(capsys, name, mode):
    code, report, err = scan(capsys, PROGRAMS / name, "--mode", mode, "--fail-on", "never")
    assert code == 0, err
    expected_file = PROGRAMS / name / EXPECTED
    found = judged(report)
    if os.environ.get("UPDATE_SNAPSHOTS"):
        expected = json.loads(expected_file.read_text()) if expected_file.is_file() else {}
        expected_file.write_text(json.dumps({**expected, mode: found}, indent=1) + "\n")
    assert found == json.loads(expected_file.read_text())[mode]


def test_a_program_runs_from_its_project_directory_in_its_own_virtualenv(capsys):
    """static-website reads ./www relative to itself; random-secret imports pulumi_random, which
    opsctl's own environment does not have."""
    _, site, _ = scan(capsys, PROGRAMS / "static-website")
    assert any(r["name"] == "www-index.html" for r in site["resources"])
    _, secret, _ = scan(capsys, PROGRAMS / "random-secret")
    assert [r["type"] for r in secret["resources"] if r["name"] == "db"] == [
        "random:index/randomPassword:RandomPassword"
    ]
    with pytest.raises(ImportError):
        import pulumi_random  # noqa: F401
    assert (PROGRAMS / "venv" / ".installed").is_file()


def project(tmp_path: Path, program: str, pulumi_yaml: str = "name: tiny\nruntime: python\n") -> Path:
    (tmp_path / "Pulumi.yaml").write_text(pulumi_yaml)
    (tmp_path / "__main__.py").write_text(program)
    return tmp_path


def test_without_a_virtualenv_the_program_runs_with_opsctls_interpreter_and_main_is_honoured(capsys, tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "__main__.py").write_text("import pulumi_aws as aws\naws.sns.Topic('alerts')\n")
    (tmp_path / "Pulumi.yaml").write_text("name: tiny\nruntime: python\nmain: src\n")
    code, report, err = scan(capsys, tmp_path, "--fail-on", "never")
    assert code == 0, err
    assert [r["name"] for r in report["resources"] if r["type"] == "aws:sns/topic:Topic"] == ["alerts"]


def test_what_a_program_prints_stays_out_of_the_report_and_its_failure_names_the_line(capsys, tmp_path):
    project(tmp_path, "import pulumi_aws as aws\nprint('hello from the program')\naws.sns.Topic('t')\n")
    code, report, err = scan(capsys, tmp_path, "--fail-on", "never")
    assert code == 0 and report["resources"] and "hello from the program" in err
    project(tmp_path, "raise ValueError('no such bucket')\n")
    code, _, err = scan(capsys, tmp_path)
    assert code == 2 and "the program failed (at __main__.py:1): ValueError: no such bucket" in err


def test_a_project_with_stacks_needs_one_named_and_an_unknown_profile_is_named(capsys, tmp_path):
    project(tmp_path, "")
    (tmp_path / "Pulumi.qa.yaml").write_text("config:\n  aws:region: eu-west-1\n")
    code, _, err = scan(capsys, tmp_path)
    assert code == 2 and "the project has stacks qa: pick one with --stack" in err
    code, _, err = scan(capsys, tmp_path, "--stack", "qa", "--profile", "strictest")
    assert code == 2 and "--profile strictest: no such profile" in err


def test_a_toolchain_opsctl_cannot_drive_is_a_clear_error(tmp_path):
    project(
        tmp_path, "", "name: tiny\nruntime:\n  name: python\n  options:\n    toolchain: poetry\n    virtualenv: .venv\n"
    )
    with pytest.raises(EngineError, match=r"toolchain 'poetry' makes the program's virtualenv.*run `poetry install`"):
        run_project(tmp_path, "scan", mode="preview", account="123456789012", stack_config=StackConfig("scan"))


def test_a_workload_that_references_the_baseline_passes_its_profile_and_prod_json_would_block_it(capsys):
    """Under prod.json (the baseline's own) it lacks a recorder, a trail and the account's S3 Block
    Public Access of its own and its tags do not name the baseline's project; the workload profile
    asks none of that, and the stack has no real problem."""
    workload = PROGRAMS / "baseline-workload"
    _, as_workload, _ = scan(capsys, workload, "--mode", "up")
    assert [f for f in as_workload["findings"] if f["level"] == "mandatory"] == []
    _, as_baseline, _ = scan(
        capsys, workload, "--mode", "up", "--policy-config", str(ROOT / "policies" / "config" / "prod.json")
    )
    blocked = {f["policy"] for f in as_baseline["findings"] if f["level"] == "mandatory" and f["kind"] == "violation"}
    assert blocked == {
        "aws-cfg-recorder-record-all-resources",
        "aws-cloudtrail-trail-configure-cis-metric-alarms",
        "aws-s3-account-enable-public-access-block",
        "aws-tagging-resource-require-tags",
    }


def test_what_a_workload_reads_from_the_baseline_is_what_the_baseline_exports():
    from opsctl.engine import preflight_stack
    from opsctl.engine.outputs import BASELINE_EXPORTS

    assert set(BASELINE_EXPORTS) <= set(preflight_stack(ROOT, "prod", mode="up").outputs)


@pytest.mark.parametrize("mode", ["preview", "up"])
def test_resources_passed_as_inputs_and_exported_reach_the_pack_as_the_engine_sends_them(capsys, tmp_path, mode):
    """The engine hands an analyzer a resource given as an input by its id (no resource references),
    and the stack's outputs hold an exported resource by its URN and id."""
    project(
        tmp_path,
        "import pulumi, pulumi_aws as aws\n"
        "role = aws.iam.Role('r', assume_role_policy='{}')\n"
        "fn = aws.lambda_.Function('fn', role=role.arn, runtime='python3.12', handler='a.b',\n"
        "    code=pulumi.AssetArchive({'a.py': pulumi.StringAsset('x')}))\n"
        "aws.lambda_.Permission('invoke', action='lambda:InvokeFunction', function=fn, principal='sns.amazonaws.com')\n"
        "topic = aws.sns.Topic('t')\n"
        "aws.sns.TopicSubscription('s', topic=topic, protocol='lambda', endpoint=fn.arn)\n"
        "pulumi.export('fn', fn)\n",
    )
    code, report, err = scan(capsys, tmp_path, "--mode", mode, "--fail-on", "never")
    assert code == 0, err
    inputs = {r["name"]: r["inputs"] for r in report["resources"]}
    function = next(r for r in report["resources"] if r["name"] == "fn")
    # A function's id is its name, which a preview does not know for a new function.
    assert inputs["invoke"]["function"] == ("(known after deploy)" if mode == "preview" else function["inputs"]["name"])
    assert report["outputs"]["fn"]["urn"].endswith("aws:lambda/function:Function::fn")
