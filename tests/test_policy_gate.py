"""The policy gate beside the program: resources checked as they are registered, with the same
findings as a plan sent afterwards, remediation as the engine does it, and clear failures."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from opsctl.cli import main
from opsctl.engine import EngineError, preflight_stack
from opsctl.engine.mocks import Registration
from opsctl.engine.policy_run import PolicyGate, check_plan
from opsctl.engine.runner import Plan
from tests.conftest import ROOT

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
    with PolicyGate(PACK, DEV_CONFIG, project="ops-baseline", stack="dev", dry_run=mode == "preview") as gate:
        plan = preflight_stack(ROOT, "dev", mode=mode, listener=gate.record)
        streamed = gate.result()
    afterwards = check_plan(plan, PACK, DEV_CONFIG)
    assert streamed.findings == afterwards.findings
    assert streamed.not_applicable == afterwards.not_applicable
    assert streamed.findings, "the dev stack has findings (an exemption and preview unknowns)"


def log_group(name: str, props: dict) -> Registration:
    type_ = "aws:cloudwatch/logGroup:LogGroup"
    return Registration(f"urn:pulumi:dev::ops-baseline::{type_}::{name}", type_, name, None, True, props, props)


def test_remediation_rewrites_the_resource_before_it_is_analyzed(tmp_path):
    config = tmp_path / "remediate.json"
    config.write_text(json.dumps({"aws-cloudwatch-loggroup-configure-retention": "remediate"}))
    plan = Plan(
        "ops-baseline",
        "dev",
        "preview",
        "123456789012",
        "eu-west-1",
        [log_group("forever", {"name": "/forever"}), log_group("kept", {"name": "/kept", "retentionInDays": 400.0})],
    )
    findings = [f for f in check_plan(plan, PACK, config).findings if "retention" in f.policy]
    assert [(f.kind, f.urn.rsplit("::", 1)[-1]) for f in findings] == [("remediated", "forever")]
    assert findings[0].level == "remediate"


def test_no_remediate_call_unless_a_policy_remediates(tmp_path):
    """With no remediation policy enabled, a resource with a fixable value is reported, not fixed."""
    plan = Plan("ops-baseline", "dev", "preview", "123456789012", "eu-west-1", [log_group("forever", {"name": "/f"})])
    kinds = {f.kind for f in check_plan(plan, PACK, DEV_CONFIG).findings if "retention" in f.policy}
    assert kinds == {"violation"}


def test_a_pack_that_cannot_start_is_a_clear_error(capsys, tmp_path):
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
    with PolicyGate(PACK, None, project="ops-baseline", stack="dev", dry_run=True):
        assert pack_processes()
    assert pack_processes() == []


def test_answers_the_pack_could_not_give_are_an_engine_error():
    """A resource the pack's deserializer rejects fails the call; the run stops with the pack's words."""
    bad = log_group("bad", {"name": {"4dabf18193072939515e22adb298388d": "no-such-signature"}})
    plan = Plan("ops-baseline", "dev", "preview", "123456789012", "eu-west-1", [bad])
    with pytest.raises(EngineError, match="the policy pack failed"):
        check_plan(plan, PACK, None)
