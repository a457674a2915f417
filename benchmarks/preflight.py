"""Wall time of `opsctl preflight` on the committed stacks, as a user runs it (a fresh process each time).

Prints the median, min and max of N runs per stack and mode. Target (issue 2): dev under 5 s.
Usage: python benchmarks/preflight.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def time_once(stack: str, mode: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "opsctl", "preflight", "--stack", stack, "--mode", mode, "--format", "json"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(
        f"{'stack':6} {'mode':8} {'median':>8} {'min':>8} {'max':>8}  (seconds, {args.runs} runs, fresh process each)"
    )
    for stack in ("dev", "prod"):
        for mode in ("preview", "up"):
            times = [time_once(stack, mode) for _ in range(args.runs)]
            print(f"{stack:6} {mode:8} {statistics.median(times):8.2f} {min(times):8.2f} {max(times):8.2f}")


if __name__ == "__main__":
    main()
