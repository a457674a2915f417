"""Cold start and formatting cost of the Slack notifier, on this machine.

Cold import: a fresh interpreter imports `slack_notifier.handler` the way Lambda does (package on
sys.path, nothing preloaded); the time of an interpreter that imports nothing is subtracted, runs
interleaved so both see the same machine load. boto3 is imported lazily on the first invocation
only, so its import is shown separately as the one-off cost of the first message per container.
Formatting: `notice_for` + `to_slack` + JSON encoding of every fixture in tests/events/slack.
Targets (issue 5): cold import under 150 ms, formatting under 1 ms per message; medians quoted.
Usage: python benchmarks/notifier.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FUNCTIONS = ROOT / "functions"
FIXTURES = ROOT / "tests" / "events" / "slack"


def interpreter_seconds(statement: str) -> float:
    """Wall time of a fresh `python -c statement` with only the notifier's directory on sys.path."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], cwd=FUNCTIONS, check=True, env={"PYTHONPATH": str(FUNCTIONS)})
    return time.perf_counter() - started


def cold_imports(runs: int) -> tuple[list[float], list[float]]:
    handler, boto3 = [], []
    for _ in range(runs):
        empty = interpreter_seconds("pass")
        handler.append(interpreter_seconds("import slack_notifier.handler") - empty)
        boto3.append(interpreter_seconds("import boto3") - empty)
    return handler, boto3


def formatting(runs: int) -> tuple[list[float], int]:
    sys.path.insert(0, str(FUNCTIONS))
    from slack_notifier.formatters import notice_for
    from slack_notifier.notice import SlackTarget, to_slack

    records = [json.loads(path.read_text())["Records"][0] for path in sorted(FIXTURES.glob("*.json"))]
    target = SlackTarget(channel="#alerts", username="ops-baseline")
    per_message = []
    for _ in range(runs):
        started = time.perf_counter()
        for record in records:
            json.dumps(to_slack(notice_for(record, "eu-west-1"), target))
        per_message.append((time.perf_counter() - started) / len(records))
    return per_message, len(records)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    handler, boto3 = cold_imports(args.runs)
    per_message, messages = formatting(args.runs * 50)
    ms = 1000
    print(f"{'measure':42} {'median':>9} {'min':>9} {'max':>9}")
    print(
        f"{'cold import of the handler (ms)':42} {statistics.median(handler) * ms:9.1f} {min(handler) * ms:9.1f} {max(handler) * ms:9.1f}"
    )
    print(
        f"{'boto3 import, first message only (ms)':42} {statistics.median(boto3) * ms:9.1f} {min(boto3) * ms:9.1f} {max(boto3) * ms:9.1f}"
    )
    print(
        f"{f'format one message (ms, {messages} fixtures)':42} {statistics.median(per_message) * ms:9.3f} "
        f"{min(per_message) * ms:9.3f} {max(per_message) * ms:9.3f}"
    )
    print(f"ratio: handler import is {statistics.median(handler) / statistics.median(boto3):.2f} x the boto3 import")
    print("targets: cold import < 150 ms, formatting < 1 ms per message")


if __name__ == "__main__":
    main()
