"""Cold start and formatting cost of the Slack notifier, on this machine.

Cold import: a fresh interpreter imports `slack_notifier.handler` the way Lambda does (package on
sys.path, nothing preloaded); the time of an interpreter that imports nothing is subtracted, runs
interleaved so both see the same machine load. The formatters (and, with a bot token, the thread logic)
load with the first message and boto3 with the first decrypt, once per container: each is shown separately.
Formatting: `notice_for` + `to_slack` + JSON encoding, for every fixture in tests/events/slack and
for three 250 KB messages (a Security Hub event with many findings, a large unknown event, plain text).
Targets (issue 14): cold import under 100 ms, a 250 KB message formatted in under 10 ms; medians quoted.
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


def cold_imports(runs: int) -> dict[str, list[float]]:
    statements = {
        "cold import of the handler (ms)": "import slack_notifier.handler",
        "+ formatters, first message only (ms)": "import slack_notifier.handler, slack_notifier.formatters",
        "+ threads, first message with a bot token (ms)": "import slack_notifier.handler, slack_notifier.threads",
        "boto3 import, first decrypt only (ms)": "import boto3",
    }
    times: dict[str, list[float]] = {label: [] for label in statements}
    for _ in range(runs):
        empty = interpreter_seconds("pass")
        for label, statement in statements.items():
            times[label].append(interpreter_seconds(statement) - empty)
    return times


def importtime_ms(runs: int) -> dict[str, list[float]]:
    """Cumulative import time CPython itself reports (`-X importtime`) for the handler and for the
    formatter families, in a fresh interpreter each run: less noisy than wall time on a shared machine."""
    modules = {
        "importtime: slack_notifier.handler (ms)": "slack_notifier.handler",
        "importtime: slack_notifier.formatters (ms)": "slack_notifier.formatters",
    }
    times: dict[str, list[float]] = {label: [] for label in modules}
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import slack_notifier.handler, slack_notifier.formatters"],
            cwd=FUNCTIONS,
            check=True,
            env={"PYTHONPATH": str(FUNCTIONS)},
            capture_output=True,
            text=True,
        )
        cumulative = {}
        for line in done.stderr.splitlines():  # "import time: self [us] | cumulative | imported package"
            parts = [p.strip() for p in line.removeprefix("import time:").split("|")]
            if len(parts) == 3 and parts[1].isdigit():
                cumulative[parts[2]] = int(parts[1]) / 1000
        for label, module in modules.items():
            times[label].append(cumulative[module])
    return times


def large_messages() -> dict[str, dict]:
    """Three ~250 KB SNS records: what the biggest alerts look like."""
    findings_event = json.loads(
        json.loads((FIXTURES / "securityhub_findings.json").read_text())["Records"][0]["Sns"]["Message"]
    )
    finding = findings_event["detail"]["findings"][0]
    findings_event["detail"]["findings"] = [finding] * (250_000 // len(json.dumps(finding)))
    unknown = {
        "version": "0",
        "detail-type": "Big Event",
        "source": "custom.app",
        "detail": {"rows": ["x" * 100] * 2400},
    }
    return {
        "Security Hub, many findings": {"Sns": {"Message": json.dumps(findings_event)}},
        "unknown event": {"Sns": {"Message": json.dumps(unknown)}},
        "plain text": {"Sns": {"Message": "line of a log\n" * 18_000}},
    }


def per_message_ms(records: list[dict], runs: int) -> list[float]:
    sys.path.insert(0, str(FUNCTIONS))
    from slack_notifier.formatters import notice_for
    from slack_notifier.notice import SlackTarget, to_slack

    target = SlackTarget(channel="#alerts", username="ops-baseline")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        for record in records:
            json.dumps(to_slack(notice_for(record, "eu-west-1"), target), ensure_ascii=False).encode()
        times.append((time.perf_counter() - started) / len(records) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    rows = {label: [t * 1000 for t in times] for label, times in cold_imports(args.runs).items()}
    rows.update(importtime_ms(args.runs))
    fixtures = [json.loads(path.read_text())["Records"][0] for path in sorted(FIXTURES.glob("*.json"))]
    rows[f"format one fixture (ms, {len(fixtures)} fixtures)"] = per_message_ms(fixtures, args.runs * 50)
    for label, record in large_messages().items():
        size = len(record["Sns"]["Message"]) // 1000
        rows[f"format {size} KB: {label} (ms)"] = per_message_ms([record], args.runs)
    print(f"{'measure':48} {'median':>9} {'min':>9} {'max':>9}")
    for label, values in rows.items():
        print(f"{label:48} {statistics.median(values):9.3f} {min(values):9.3f} {max(values):9.3f}")
    print("targets: cold import < 100 ms, a 250 KB message < 10 ms")


if __name__ == "__main__":
    main()
