"""The policy gate beside the program: resources checked as they are registered, with the same
findings as a plan sent afterwards, remediation as the engine does it, and clear failures."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path

import pytest

from opsctl.cli import main
from opsctl.engine import EngineError, StackContext, load_project, load_stack_config, preflight_stack
from opsctl.engine.analyzer import PolicyPack
from opsctl.engine.mocks import Registration
from opsctl.engine.policy_run import PolicyGate, check_run
from opsctl.engine.project import runtime_string
from opsctl.engine.runner import ProgramRun, run_program
from tests.conftest import ROOT, lend_pack_virtualenv

PACK = ROOT / "policies"
DEV_CONFIG = PACK / "config" / "dev.json"


def pack_processes() -> list[int]:
    """Pack processes this test process started that are still running."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if parent == os.getpid() and b"pulumi.policy" in command:
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize("mode", ["preview", "up"])
def test_findings_while_the_program_runs_are_those_of_the_plan_sent_afterwards(mode):
    with PolicyGate(PACK, DEV_CONFIG, StackContext("ops-baseline", "dev", dry_run=mode == "preview")) as gate:
        plan = preflight_stack(ROOT, "dev", mode=mode, listener=gate.record)
        streamed = gate.result()
    afterwards = check_run(plan, PACK, DEV_CONFIG)
    assert streamed.findings == afterwards.findings
    assert streamed.not_applicable == afterwards.not_applicable
    assert streamed.findings, "the dev stack has findings (an exemption and preview unknowns)"


def test_findings_do_not_follow_the_order_resources_were_registered_in(tmp_path):
    """The Python SDK registers resources on several threads: the order differs from run to run,
    the findings must not. They come most severe first, then by policy and URN."""
    config = tmp_path / "strict.json"
    config.write_text(
        json.dumps({"all": "mandatory", "aws-cloudwatch-loggroup-configure-retention": {"minRetentionDays": 365}})
    )
    plan = preflight_stack(ROOT, "dev", mode="preview")
    found = [check_run(p, PACK, config).findings for p in (plan, replace(plan, registrations=plan.registrations[::-1]))]
    assert found[0] == found[1]
    ranks = [("critical", "high", "medium", "low").index(f.severity) if f.severity else 4 for f in found[0]]
    assert ranks == sorted(ranks) and len(set(ranks)) > 1
    assert [(f.policy, f.subject) for f in found[0] if f.severity == "high"] == sorted(
        (f.policy, f.subject) for f in found[0] if f.severity == "high"
    )


def log_group(name: str, props: dict) -> Registration:
    type_ = "aws:cloudwatch/logGroup:LogGroup"
    return Registration(f"urn:pulumi:dev::ops-baseline::{type_}::{name}", type_, name, None, True, props, props)


def test_remediation_rewrites_the_resource_before_it_is_analyzed(tmp_path):
    config = tmp_path / "remediate.json"
    config.write_text(json.dumps({"aws-cloudwatch-loggroup-configure-retention": "remediate"}))
    plan = ProgramRun(
        "ops-baseline",
        "dev",
        "preview",
        "123456789012",
        "eu-west-1",
        [log_group("forever", {"name": "/forever"}), log_group("kept", {"name": "/kept", "retentionInDays": 400.0})],
    )
    findings = [f for f in check_run(plan, PACK, config).findings if "retention" in f.policy]
    assert [(f.kind, f.subject.rsplit("::", 1)[-1]) for f in findings] == [("remediated", "forever")]
    assert findings[0].level == "remediate"


def test_without_a_remediation_policy_a_fixable_value_is_reported_not_fixed():
    """The engine asks Remediate for every resource; with no policy at `remediate` nothing changes."""
    plan = ProgramRun(
        "ops-baseline", "dev", "preview", "123456789012", "eu-west-1", [log_group("forever", {"name": "/f"})]
    )
    kinds = {f.kind for f in check_run(plan, PACK, DEV_CONFIG).findings if "retention" in f.policy}
    assert kinds == {"violation"}


def test_a_pack_that_cannot_start_is_a_clear_error(capsys, tmp_path):
    lend_pack_virtualenv(tmp_path)
    (tmp_path / "PulumiPolicy.yaml").write_text("runtime: python\n")
    (tmp_path / "__main__.py").write_text("raise SystemExit('the pack is broken')\n")
    code = main(["preflight", "--stack", "dev", "--project-dir", str(ROOT), "--policy-pack", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"the policy pack in {tmp_path} did not start" in err and "the pack is broken" in err
    assert "Traceback" not in err.split("did not start")[0]
    assert pack_processes() == []


def test_an_unknown_policy_in_the_config_fails_the_run_with_the_name(capsys, tmp_path):
    config = tmp_path / "typo.json"
    config.write_text(json.dumps({"aws-cloudwatch-loggroup-configure-retenton": "mandatory"}))
    code = main(["preflight", "--stack", "dev", "--project-dir", str(ROOT), "--policy-config", str(config)])
    err = capsys.readouterr().err
    assert code == 2 and "unknown policy 'aws-cloudwatch-loggroup-configure-retenton'" in err
    assert pack_processes() == []


def test_a_failing_program_leaves_no_pack_running(capsys, tmp_path):
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml"):
        (tmp_path / name).write_text((ROOT / name).read_text())
    (tmp_path / "__main__.py").write_text("raise RuntimeError('boom')\n")
    code = main(["preflight", "--stack", "dev", "--project-dir", str(tmp_path), "--policy-pack", str(PACK)])
    assert code == 2 and "RuntimeError: boom" in capsys.readouterr().err
    assert pack_processes() == []


def test_a_gate_that_was_never_read_still_stops_its_pack():
    with PolicyGate(PACK, None, StackContext("ops-baseline", "dev", dry_run=True)):
        assert pack_processes()
    assert pack_processes() == []


def test_answers_the_pack_could_not_give_are_an_engine_error():
    """A resource the pack's deserializer rejects fails the call; the run stops with the pack's words."""
    bad = log_group("bad", {"name": {"4dabf18193072939515e22adb298388d": "no-such-signature"}})
    plan = ProgramRun("ops-baseline", "dev", "preview", "123456789012", "eu-west-1", [bad])
    with pytest.raises(EngineError, match="the policy pack failed"):
        check_run(plan, PACK, None)


def recording_pack(tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    """The real pack behind a recorder, in a pack directory of its own."""
    pack = lend_pack_virtualenv(tmp_path / "pack")
    shutil.copy(PACK / "PulumiPolicy.yaml", pack / "PulumiPolicy.yaml")
    shutil.copy(Path(__file__).parent / "fixtures" / "recording_pack.py", pack / "__main__.py")
    log = tmp_path / "calls.jsonl"
    monkeypatch.setenv("RECORDING_PACK_LOG", str(log))
    monkeypatch.setenv("RECORDING_PACK_GUARDRAILS", str(PACK))
    return pack, log


def test_the_pack_is_started_and_called_as_the_cli_does(tmp_path, monkeypatch):
    pack, log = recording_pack(tmp_path, monkeypatch)
    code = main(
        ["preflight", "--stack", "dev", "--project-dir", str(ROOT), "--policy-pack", str(pack), "--policy-config",
         str(DEV_CONFIG), "--format", "json"]
    )  # fmt: skip
    assert code in (0, 1)
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    start = calls[0]
    assert start["argv"] == [
        str(pack / "venv" / "bin" / "python"),
        "-u",
        "-m",
        "pulumi.policy",
        "127.0.0.1:0",
        str(pack),
    ]
    assert start["cwd"] == str(pack)
    config = load_stack_config(load_project(ROOT), "dev")
    environment = {key: start["env"].get(key) for key in ("PULUMI_ORGANIZATION", "PULUMI_PROJECT", "PULUMI_STACK")}
    assert environment == {
        "PULUMI_ORGANIZATION": "organization",
        "PULUMI_PROJECT": "ops-baseline",
        "PULUMI_STACK": "dev",
    }
    assert start["env"]["PULUMI_DRY_RUN"] == "true"
    assert json.loads(start["env"]["PULUMI_CONFIG"]) == config.values

    names = [c["call"] for c in calls[1:]]
    assert names[:3] == ["ConfigureStack", "GetAnalyzerInfo", "Configure"], "the CLI's proxy answers Handshake"
    assert "Handshake" not in names
    assert names[-2:] == ["AnalyzeStack", "Cancel"]
    per_resource: dict[str, list[str]] = {}
    for call in calls[4:-2]:  # several resources are in flight at once, each on its own course
        per_resource.setdefault(call["urn"], []).append(call["call"])
    assert set(map(tuple, per_resource.values())) == {("Remediate", "Analyze")}

    configure_stack = calls[1]["request"]
    assert configure_stack["stack"] == "dev" and configure_stack["project"] == "ops-baseline"
    assert configure_stack["dryRun"] is True and configure_stack["config"]["aws:region"] == "eu-west-1"
    assert configure_stack["tags"]["pulumi:project"] == "ops-baseline"
    assert "all" in calls[3]["policies"] and "aws-tagging-resource-require-tags" in calls[3]["policies"]

    aws_version = version("pulumi_aws")
    default_aws = f"urn:pulumi:dev::ops-baseline::pulumi:providers:aws::default_{aws_version.replace('.', '_')}"
    analyzed = [c for c in calls if c["call"] == "Analyze"]
    assert {c["provider"]["urn"] for c in analyzed} == {default_aws}
    assert analyzed[0]["provider"]["properties"] == {"region": "eu-west-1", "version": aws_version}
    state = calls[-2]["resources"]
    assert state[0] == ["pulumi:pulumi:Stack", "urn:pulumi:dev::ops-baseline::pulumi:pulumi:Stack::ops-baseline-dev"]
    assert ["pulumi:providers:aws", default_aws] in state
    assert any(type_.startswith("ops-baseline:") for type_, _ in state), "components are part of the state"
    assert {c["urn"] for c in analyzed} <= {urn for _, urn in state}


@pytest.mark.parametrize(
    ("stack_config", "violations"),
    [
        ({"aws:defaultTags": {"tags": {"team": "platform"}}}, []),
        ({}, ["Resource has no team tag; required: team."]),
    ],
    ids=["tagged-by-the-provider", "untagged"],
)
def test_aws_default_tags_in_the_stack_config_satisfy_the_tags_guardrail(tmp_path, stack_config, violations):
    """The engine hands the default provider's configuration over as strings (defaultTags as JSON)."""
    import pulumi_aws as aws

    policy = "aws-tagging-resource-require-tags"
    config = tmp_path / "tags.json"
    config.write_text(
        json.dumps({"all": "disabled", policy: {"enforcementLevel": "mandatory", "requiredTags": {"team": []}}})
    )
    plan = run_program(
        lambda: aws.sns.Topic("alerts", name="alerts"),
        stack="dev",
        mode="preview",
        config={"aws:region": "eu-west-1", **{key: runtime_string(value) for key, value in stack_config.items()}},
    )
    found = [f.message.split("\n")[-1] for f in check_run(plan, PACK, config).findings if f.policy == policy]
    assert found == violations


def test_the_project_has_one_version_the_pack_the_wheel_and_the_cli_report(capsys):
    """`pulumi policy publish` takes the version from the pack's manifest; it must be the release's."""
    import yaml

    manifest = yaml.safe_load((PACK / "PulumiPolicy.yaml").read_text())["version"]
    with PolicyPack(PACK, StackContext("ops-baseline", "dev", dry_run=True)) as pack:
        reported = pack.info().version
    with pytest.raises(SystemExit):
        main(["--version"])
    assert reported == manifest == version("ops-baseline")
    assert capsys.readouterr().out == f"opsctl {manifest} (policy pack ops-baseline-guardrails)\n"


def test_a_pack_that_writes_a_lot_to_its_output_streams_does_not_stall_the_run(tmp_path, monkeypatch):
    """A pipe nobody reads fills up at 64 KB and blocks the writer: the gate reads both streams."""
    pack, log = recording_pack(tmp_path, monkeypatch)
    monkeypatch.setenv("RECORDING_PACK_NOISE", "65536")
    plan = preflight_stack(ROOT, "dev", mode="preview")
    result = check_run(plan, pack, DEV_CONFIG)
    assert result.findings and len(log.read_text().splitlines()) > 2 * len([r for r in plan.registrations if r.custom])
    assert pack_processes() == []


def test_a_pack_that_stops_answering_fails_the_run_naming_the_call_and_resource(tmp_path, monkeypatch):
    pack = lend_pack_virtualenv(tmp_path / "pack")
    shutil.copy(PACK / "PulumiPolicy.yaml", pack / "PulumiPolicy.yaml")
    (pack / "__main__.py").write_text(
        "import os, sys, time\n"
        f"sys.path.insert(0, {str(PACK)!r})\n"
        "from guardrails import serve\n"
        "analyzer = serve.servicer()\n"
        "analyzer.Analyze = lambda request, context: time.sleep(30)\n"
        "serve.serve(analyzer)\n"
    )
    monkeypatch.setattr("opsctl.engine.analyzer.CALL_TIMEOUT_S", 1.0)
    plan = ProgramRun(
        "ops-baseline", "dev", "preview", "123456789012", "eu-west-1", [log_group("stuck", {"name": "/stuck"})]
    )
    with pytest.raises(EngineError, match=r"failed in Analyze of .*::stuck: no answer within"):
        check_run(plan, pack, None)
    assert pack_processes() == []
