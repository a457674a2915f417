"""Preflight at scale: a synthetic stack monitoring N Lambda functions (default 500), run as a user
runs it (`opsctl preflight`, fresh process, with the policy pack). Prints resource and alarm counts,
dashboard pages and the median wall time; the dev stack is timed side by side for the ratio.

Usage: python benchmarks/scale.py [--functions 500] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PROJECT_FILES = (
    "Pulumi.yaml",
    "Pulumi.dev.yaml",
    "__main__.py",
    "components",
    "plan",
    "settings",
    "functions",
    "policies",
    "opsctl",
)


def synthetic_stack(functions: int) -> dict:
    """Every function with the default alarms; every tenth with a composite and two extra alarms."""
    return {
        "config": {
            "aws:region": "eu-west-1",
            "ops-baseline:environment": "scale",
            "ops-baseline:alerting": {"emails": ["oncall@example.com"]},
            "ops-baseline:monitoring": {
                "lambdaFunctions": [
                    {
                        "functionName": f"service-{i:04d}",
                        "timeoutSeconds": 30,
                        **(
                            {"composite": True, "alarms": {"errorRate": {}, "concurrentExecutions": {}}}
                            if i % 10 == 0
                            else {}
                        ),
                    }
                    for i in range(functions)
                ],
            },
        }
    }


def project_copy(functions: int) -> Path:
    target = Path(tempfile.mkdtemp(prefix="ops-baseline-scale-"))
    for name in PROJECT_FILES:
        (target / name).symlink_to(ROOT / name)
    (target / "Pulumi.scale.yaml").write_text(yaml.safe_dump(synthetic_stack(functions)))
    return target


def preflight(project: Path, stack: str) -> tuple[float, dict]:
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "opsctl",
            "preflight",
            "--stack",
            stack,
            "--project-dir",
            str(project),
            "--format",
            "json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(done.stderr)
    return elapsed, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--functions", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    project = project_copy(args.functions)
    try:
        scale_times, dev_times = [], []
        for _ in range(args.runs):  # interleaved, so machine noise hits both alike
            seconds, report = preflight(project, "scale")
            scale_times.append(seconds)
            dev_times.append(preflight(ROOT, "dev")[0])
        counts = report["countsByType"]
        resources = sum(n for t, n in counts.items() if t.startswith("aws:"))
        findings = [f for f in report["findings"] if f["kind"] == "violation"]
        print(f"functions monitored       {args.functions}")
        print(f"AWS resources planned     {resources}")
        print(f"metric alarms             {counts.get('aws:cloudwatch/metricAlarm:MetricAlarm', 0)}")
        print(f"composite alarms          {counts.get('aws:cloudwatch/compositeAlarm:CompositeAlarm', 0)}")
        print(f"dashboard pages           {counts.get('aws:cloudwatch/dashboard:Dashboard', 0)}")
        print(f"policy violations         {len(findings)} {sorted({f['policy'] for f in findings})}")
        scale, dev = statistics.median(scale_times), statistics.median(dev_times)
        print(
            f"preflight median (scale)  {scale:.2f} s over {args.runs} runs (min {min(scale_times):.2f}, max {max(scale_times):.2f})"
        )
        print(f"preflight median (dev)    {dev:.2f} s; scale/dev ratio {scale / dev:.1f}x")
    finally:
        shutil.rmtree(project)


if __name__ == "__main__":
    main()
