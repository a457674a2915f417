"""Identical runs give identical reports. The Pulumi Python SDK registers resources on several worker
threads, so every run of the program registers them in another order; the reports of `opsctl
preflight` in every format, and of `opsctl cost` in each of its formats, must still be the same bytes.
Each run is a process of its own, through the CLI, as CI runs it."""

from __future__ import annotations

import difflib
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from opsctl.formats import COST_FORMATS, OutputFormat
from tests.conftest import ROOT

RUNS = 3
STACKS = ("dev", "prod")
REPORTS = [("preflight", f.value) for f in OutputFormat] + [("cost", f.value) for f in COST_FORMATS]


def run_cli(stack: str, command: str, format_: str, output: Path) -> bytes:
    args = [command, "--stack", stack, "--mode", "preview", "--format", format_, "--output", str(output)]
    done = subprocess.run([sys.executable, "-m", "opsctl", *args], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return output.read_bytes()


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[tuple[str, str, str], list[bytes]]:
    """Every report of every stack, RUNS times; processes overlap, which varies the threads' timing more."""
    folder = tmp_path_factory.mktemp("runs")
    jobs = [(stack, command, format_, n) for n in range(RUNS) for stack in STACKS for command, format_ in REPORTS]
    with ThreadPoolExecutor(max_workers=4) as pool:
        outputs = pool.map(lambda job: run_cli(*job[:3], folder / "-".join(map(str, job))), jobs)
        found: dict[tuple[str, str, str], list[bytes]] = {}
        for (stack, command, format_, _), output in zip(jobs, outputs, strict=True):
            found.setdefault((stack, command, format_), []).append(output)
    return found


def first_difference(first: bytes, other: bytes) -> Iterator[str]:
    diff = difflib.unified_diff(first.decode().splitlines(), other.decode().splitlines(), lineterm="", n=0)
    return (line[:300] for _, line in zip(range(12), diff, strict=False))


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize(("command", "format_"), REPORTS, ids=[f"{c}-{f}" for c, f in REPORTS])
def test_identical_runs_give_identical_reports(runs, stack, command, format_):
    first, *others = runs[(stack, command, format_)]
    for number, other in enumerate(others, start=2):
        assert other == first, f"run {number} differs from run 1:\n" + "\n".join(first_difference(first, other))
