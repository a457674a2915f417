"""The project as a wheel (`pip install .`, not editable): installed into a fresh virtualenv, its
opsctl runs a project that has only its program and stack files, with the data files and the
policy pack that ship inside the wheel."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from importlib.metadata import version

import pytest

from tests.conftest import ROOT, clean_checkout

pytestmark = pytest.mark.slow

PROGRAM_FILES = ("Pulumi.yaml", "Pulumi.dev.yaml", "__main__.py")


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """opsctl from a wheel built from a clean checkout, in a virtualenv of its own."""
    root = tmp_path_factory.mktemp("wheel")
    source = clean_checkout(root / "source")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            root / "dist",
            source,
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = (root / "dist").glob("ops_baseline-*.whl")
    venv.create(root / "venv", with_pip=True)
    python = root / "venv" / "bin" / "python"
    subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-c",
            ROOT / "constraints.txt",
            wheel,
        ],
        check=True,
        capture_output=True,
        timeout=900,
    )
    project = root / "project"
    project.mkdir()
    for name in PROGRAM_FILES:
        shutil.copy(source / name, project / name)
    return root / "venv" / "bin" / "opsctl", project


def run(opsctl, *args, cwd):
    environment = {**os.environ, "XDG_CACHE_HOME": str(cwd / "cache")}
    return subprocess.run(
        [opsctl, *map(str, args)], cwd=cwd, env=environment, capture_output=True, text=True, timeout=600
    )


def test_cost_runs_from_the_wheel(installed, tmp_path):
    opsctl, project = installed
    done = run(opsctl, "cost", "--stack", "dev", "--project-dir", project, "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    cost = json.loads(done.stdout)
    assert cost["monthlyTotal"] > 0 and cost["lines"]


def test_preflight_runs_from_the_wheel_with_the_pack_it_ships(installed, tmp_path):
    opsctl, project = installed
    done = run(opsctl, "preflight", "--stack", "dev", "--project-dir", project, "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    site_pack = next(opsctl.parent.parent.glob("lib/python*/site-packages/policies"))
    assert f"policy pack {site_pack}, config {site_pack / 'config' / 'dev.json'}" in done.stderr
    assert report["policies"] and report["cost"]["monthlyTotal"] > 0
    assert not (site_pack / "venv").exists(), "nothing is written into site-packages"
    cached = tmp_path / "cache" / "ops-baseline" / f"policy-pack-{version('ops-baseline')}"
    assert (cached / "bin" / "python").exists() and (cached / ".installed").exists()
