"""Done as a new user does it, from a clean checkout: the documented set-up of the pack (`make pack`,
part of `make setup`), then `pulumi preview --policy-pack policies --policy-pack-config
policies/config/<stack>.json` emulated step for step (tests/pulumi_cli.py). The pack starts from
the virtualenv the set-up made and finds exactly what `opsctl preflight` finds."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version

import pytest

from opsctl.engine import preflight_stack
from tests.conftest import clean_checkout
from tests.pulumi_cli import PulumiPreview

pytestmark = pytest.mark.slow

STRICT = {
    "all": "mandatory",
    "aws-cloudwatch-loggroup-configure-retention": {"minRetentionDays": 3653, "maxRetentionDays": 3653},
    "aws-tagging-resource-require-tags": {"requiredTags": {"team": [], "environment": ["prod"]}},
    "aws-cloudwatch-alarm-configure-actions": {"requireOkActions": True},
}


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    root = clean_checkout(tmp_path_factory.mktemp("clone"))
    (root / "policies" / "config" / "strict.json").write_text(json.dumps(STRICT))
    # The dev stack tagged once for the whole stack, the way the tags guardrail advises.
    tagged = (
        (root / "Pulumi.dev.yaml")
        .read_text()
        .replace("config:\n", "config:\n  aws:defaultTags:\n    tags:\n      team: platform\n", 1)
    )
    (root / "Pulumi.tagged.yaml").write_text(
        tagged.replace("ops-baseline:environment: dev", "ops-baseline:environment: tagged")
    )
    subprocess.run(["make", "pack", f"PYTHON={sys.executable}"], cwd=root, check=True, capture_output=True, timeout=600)
    return root


def normalized(policy: str, level: str, urn: str, message: str) -> tuple[str, str, str, str]:
    """A finding, with the resources a preview advisory lists in a fixed order (programs register
    on several threads, so two runs list them in different orders)."""
    head, during, reasons = message.partition(" during preview: ")
    return policy, level, urn, head + during + "; ".join(sorted(reasons.split("; ")))


@pytest.mark.parametrize(
    ("stack", "config"), [("dev", "dev"), ("prod", "prod"), ("dev", "strict"), ("tagged", "strict")]
)
def test_a_pulumi_preview_with_the_pack_finds_what_opsctl_preflight_finds(checkout, stack, config, tmp_path):
    pack = checkout / "policies"
    config_file = pack / "config" / f"{config}.json"
    preview = PulumiPreview(
        pack, config_file, preflight_stack(checkout, stack, mode="preview"), aws_version=version("pulumi_aws")
    )
    found = sorted(normalized(d.policy, d.level, d.urn, d.message) for d in preview.run())
    assert preview.python == checkout / "policies" / "venv" / "bin" / "python", "made by the set-up"
    assert preview.calls[:3] == ["ConfigureStack", "GetAnalyzerInfo", "Configure"]
    assert preview.calls[-2:] == ["AnalyzeStack", "Cancel"]

    report = tmp_path / "report.json"
    done = subprocess.run(
        [sys.executable, "-m", "opsctl", "preflight", "--stack", stack, "--project-dir", checkout,
         "--policy-config", config_file, "--format", "json", "--output", report, "--fail-on", "never"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    preflight = sorted(
        normalized(f["policy"], f["level"], f["urn"], f["message"])
        for f in json.loads(report.read_text())["findings"]
        if f["kind"] in ("violation", "unchecked")
    )
    assert found == preflight
    if config == "strict":
        assert sum(1 for f in found if f[1] == "mandatory") >= 20, "a config that finds something"
        missing_team = [f for f in found if f[0] == "aws-tagging-resource-require-tags" and "no team" in f[3]]
        assert bool(missing_team) == (stack == "dev"), "the provider's default tags count, as the engine sends them"
