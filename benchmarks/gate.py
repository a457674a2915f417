"""Gate speed at scale: the PR gate against the bare program, and the pack against checkov.

For each size (synthetic stacks monitoring N Lambda functions, benchmarks/scale.py), in one run:
- program: `opsctl preflight --no-policies` (the Pulumi program under the offline engine, report
  included), and gate: `opsctl preflight` with the policy pack, run in turns (A B A B) as a user
  runs them, a fresh process each; wall time and the peak memory of the largest process (the
  program's or the pack's);
- pack analysis against checkov on the same resources: the resources the program registered, sent
  through the pack over the analyzer protocol by a fresh process (pack start-up included), and
  checkov on an equivalent Terraform plan JSON converted from the same resources, in turns.

Prints medians over --runs, with min and max. checkov lives in its own environment, never in the
project's (make bench-gate creates it from benchmarks/checkov-constraints.txt).

Usage: python benchmarks/gate.py [--functions 10 100 1000] [--runs 3] [--checkov PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import ROOT, project_copy

CHECKOV = ROOT / ".bench" / "checkov" / "bin" / "checkov"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
SECRET_SIG = "4dabf18193072939515e22adb298388d"
TERRAFORM_TYPES = {
    # Where pulumi-aws does not name a resource after its Terraform type.
    "aws:cfg/deliveryChannel:DeliveryChannel": "aws_config_delivery_channel",
    "aws:cfg/recorder:Recorder": "aws_config_configuration_recorder",
    "aws:cfg/recorderStatus:RecorderStatus": "aws_config_configuration_recorder_status",
    "aws:cfg/rule:Rule": "aws_config_config_rule",
    "aws:cloudtrail/trail:Trail": "aws_cloudtrail",
    "aws:s3/bucketObjectv2:BucketObjectv2": "aws_s3_object",
}
MAPS = {"tags", "tags_all", "dimensions", "variables", "environment_variables"}
"""Attributes that are maps in Terraform (their keys are data), not nested blocks."""


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def terraform_type(token: str) -> str:
    if token in TERRAFORM_TYPES:
        return TERRAFORM_TYPES[token]
    _, module, resource = token.split(":")
    return f"aws_{module.split('/')[0]}_{snake(resource)}"


def terraform_values(props: Mapping[str, Any], unknown: dict[str, Any]) -> dict[str, Any]:
    """Pulumi wire inputs as Terraform plan values: snake_case keys, blocks as lists, unknowns left
    out of the values and marked in after_unknown, secrets unwrapped."""
    values: dict[str, Any] = {}
    for key, value in props.items():
        name = snake(key)
        if isinstance(value, dict) and SECRET_SIG in value:
            value = value.get("value")
        if value == UNKNOWN:
            unknown[name] = True
        elif isinstance(value, dict) and name not in MAPS:
            values[name] = [terraform_values(value, {})]
        elif isinstance(value, list):
            values[name] = [terraform_values(v, {}) if isinstance(v, dict) else v for v in value if v != UNKNOWN]
        elif isinstance(value, float) and value.is_integer():
            values[name] = int(value)
        else:
            values[name] = value
    return values


def terraform_plan(resources: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """`terraform show -json` of a first plan that creates the same resources. It leaves out the
    configuration block (checkov's best case: it matches each resource to its configuration by a
    linear search)."""
    planned, changes = [], []
    for resource in resources:
        type_ = terraform_type(resource["type"])
        name = re.sub(r"[^A-Za-z0-9_-]", "_", resource["name"])
        unknown: dict[str, Any] = {}
        values = terraform_values(resource["inputs"], unknown)
        address = f"{type_}.{name}"
        planned.append(
            {
                "address": address,
                "mode": "managed",
                "type": type_,
                "name": name,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "values": values,
            }
        )
        changes.append(
            {
                "address": address,
                "mode": "managed",
                "type": type_,
                "name": name,
                "change": {"actions": ["create"], "before": None, "after": values, "after_unknown": unknown},
            }
        )
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.8",
        "planned_values": {"root_module": {"resources": planned}},
        "resource_changes": changes,
    }


def record(project: Path) -> list[dict[str, Any]]:
    """The custom resources the program registers for the stack, as the engine recorded them."""
    from opsctl.engine import preflight_stack

    run = preflight_stack(project, "scale", mode="preview")
    return [
        {
            "urn": r.urn,
            "type": r.type,
            "name": r.name,
            "parent": r.parent,
            "inputs": r.inputs,
            "outputs": r.outputs,
            "dependencies": list(r.dependencies),
            "propertyDependencies": {k: list(v) for k, v in r.property_dependencies.items()},
        }
        for r in run.registrations
        if r.custom
    ]


def analyze(recorded: Path) -> None:
    """The pack's half of the comparison, run as its own process: every recorded resource through
    Analyze, then AnalyzeStack, as `opsctl preflight` sends them."""
    from opsctl.engine import ProgramRun, Registration
    from opsctl.engine.policy_run import check_run

    resources = [
        Registration(
            r["urn"],
            r["type"],
            r["name"],
            r["parent"],
            True,
            r["inputs"],
            r["outputs"],
            dependencies=tuple(r["dependencies"]),
            property_dependencies={k: tuple(v) for k, v in r["propertyDependencies"].items()},
        )
        for r in json.loads(recorded.read_text())
    ]
    started = time.perf_counter()
    result = check_run(ProgramRun("ops-baseline", "scale", "preview", "", "", resources), ROOT / "policies", None)
    print(f"{time.perf_counter() - started:.4f} s from starting the pack to the findings ({len(result.findings)})")


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    """Peak resident memory of the largest process in the command's tree (the program's or the pack's)."""
    output: str


def timed(command: list[str]) -> Run:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        if os.waitstatus_to_exitcode(status) not in (0, 1):  # 1: findings, for opsctl and checkov alike
            sys.exit(f"{' '.join(command)} failed:\n{err.read().decode()[-2000:]}")
        return Run(elapsed, usage.ru_maxrss / 1024, out.read(4096).decode(errors="replace"))


def in_turns(runs: int, first: list[str], second: list[str]) -> tuple[list[Run], list[Run]]:
    """Paired runs, A B A B, so machine noise hits both alike."""
    pairs = [(timed(first), timed(second)) for _ in range(runs)]
    return [a for a, _ in pairs], [b for _, b in pairs]


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):6.2f} ({min(values):.2f}–{max(values):.2f})"


def ratio(numerators: list[float], denominators: list[float]) -> float:
    """The median of the paired ratios."""
    return statistics.median(n / d for n, d in zip(numerators, denominators, strict=True))


@dataclass
class Row:
    functions: int
    resources: int
    program: list[float]
    gate: list[float]
    gate_peak_mb: float
    program_peak_mb: float
    pack: list[float]
    """From starting the pack to the findings: what the Pulumi engine waits for."""
    pack_process: list[float]
    """The whole analysing process, the offline engine's Python imports included."""
    checkov: list[float]

    def markdown(self) -> str:
        median = statistics.median
        return (
            f"| {self.functions:,} | {self.resources:,} | {median(self.program):.2f} | {median(self.gate):.2f} | "
            f"{ratio(self.gate, self.program):.2f}x | {self.gate_peak_mb:.0f} | {self.program_peak_mb:.0f} | "
            f"{median(self.pack):.2f} | "
            f"{median(self.checkov):.2f} | {ratio(self.checkov, self.pack):.1f}x | {ratio(self.checkov, self.pack_process):.1f}x |"
        )


def measure(functions: int, runs: int, checkov: Path) -> Row:
    project = project_copy(functions)
    work = Path(tempfile.mkdtemp(prefix="ops-baseline-gate-"))
    opsctl = [sys.executable, "-m", "opsctl", "preflight", "--stack", "scale", "--format", "json"]
    try:
        resources = record(project)
        recorded, tf_plan = work / "resources.json", work / "plan.json"
        recorded.write_text(json.dumps(resources))
        tf_plan.write_text(json.dumps(terraform_plan(resources)))
        where = ["--project-dir", str(project)]
        gate, program = in_turns(runs, [*opsctl, *where], [*opsctl, *where, "--no-policies"])
        pack, checkov_runs = in_turns(
            runs,
            [sys.executable, __file__, "--analyze", str(recorded)],
            [
                str(checkov),
                "-f",
                str(tf_plan),
                "--framework",
                "terraform_plan",
                "--skip-download",
                "-o",
                "json",
                "--quiet",
            ],
        )
    finally:
        shutil.rmtree(project)
        shutil.rmtree(work)
    return Row(
        functions,
        len(resources),
        program=[r.seconds for r in program],
        gate=[r.seconds for r in gate],
        gate_peak_mb=statistics.median(r.peak_mb for r in gate),
        program_peak_mb=statistics.median(r.peak_mb for r in program),
        pack=[float(r.output.split()[0]) for r in pack],
        pack_process=[r.seconds for r in pack],
        checkov=[r.seconds for r in checkov_runs],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--functions", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--checkov", type=Path, default=CHECKOV, help=f"checkov executable (default: {CHECKOV})")
    parser.add_argument("--analyze", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.analyze:
        return analyze(args.analyze)
    if not args.checkov.exists():
        sys.exit(f"checkov not found at {args.checkov}: run `make bench-gate`, or pass --checkov")
    version = subprocess.run([str(args.checkov), "--version"], capture_output=True, text=True).stdout.strip()
    print(f"{args.runs} runs per figure, in turns; medians (min–max); checkov {version}; {os.cpu_count()} cores")
    rows = []
    for functions in args.functions:
        row = measure(functions, args.runs, args.checkov)
        rows.append(row)
        print(
            f"\n{functions} functions, {row.resources} AWS resources\n"
            f"  program (no pack)   {spread(row.program)} s, peak {row.program_peak_mb:.0f} MB\n"
            f"  gate (with pack)    {spread(row.gate)} s, peak {row.gate_peak_mb:.0f} MB; "
            f"gate/program {ratio(row.gate, row.program):.2f}x\n"
            f"  pack analysis       {spread(row.pack)} s from starting the pack; "
            f"{spread(row.pack_process)} s as a whole process\n"
            f"  checkov             {spread(row.checkov)} s; checkov/pack {ratio(row.checkov, row.pack):.1f}x "
            f"({ratio(row.checkov, row.pack_process):.1f}x against the whole process)",
            flush=True,
        )
    print(
        "\n| functions | resources | program s | gate s | gate/program | gate peak MB | program peak MB | pack s "
        "| checkov s | checkov/pack | checkov/pack process |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(row.markdown())


if __name__ == "__main__":
    main()
