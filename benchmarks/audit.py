"""Throughput of `opsctl audit` on a moto server: N log groups and N metric alarms (default 1,000
each, half of them non-compliant), audited as a user runs it (a fresh process per run). Prints the
seeding time, the median wall time of the audit and resources judged per second.

Usage: python benchmarks/audit.py [--resources 1000] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boto3
from moto.server import ThreadedMotoServer

ROOT = Path(__file__).resolve().parent.parent
REGION = "eu-west-1"
CONFIG = {
    "all": "mandatory",
    "aws-cloudtrail-trail-configure-cis-metric-alarms": {"requireTrail": False},
    "aws-cfg-recorder-record-all-resources": {"requireRecorder": False},
    "aws-xray-encryptionconfig-configure-kms-key": "disabled",
}


def seed(count: int) -> float:
    started = time.perf_counter()
    logs, cloudwatch = boto3.client("logs"), boto3.client("cloudwatch")
    for n in range(count):
        logs.create_log_group(logGroupName=f"/bench/group-{n:05d}")
        if n % 2:
            logs.put_retention_policy(logGroupName=f"/bench/group-{n:05d}", retentionInDays=365)
        actions = {"AlarmActions": [f"arn:aws:sns:{REGION}:123456789012:alerts"]} if n % 2 else {}
        cloudwatch.put_metric_alarm(
            AlarmName=f"bench-alarm-{n:05d}",
            MetricName="Errors",
            Namespace="AWS/Lambda",
            Statistic="Sum",
            Period=300,
            EvaluationPeriods=1,
            Threshold=0,
            ComparisonOperator="GreaterThanThreshold",
            **actions,
        )
    return time.perf_counter() - started


def audit_seconds(config: Path) -> tuple[float, dict]:
    command = [
        sys.executable,
        "-m",
        "opsctl",
        "audit",
        "--region",
        REGION,
        "--policy-config",
        str(config),
        "--format",
        "json",
    ]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=os.environ, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise SystemExit(f"audit failed ({result.returncode}): {result.stderr[-2000:]}")
    return elapsed, json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--resources", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    os.environ.update(
        AWS_ENDPOINT_URL=f"http://{host}:{port}",
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION=REGION,
        AWS_MAX_ATTEMPTS="1",
    )
    try:
        seeded = seed(args.resources)
        with tempfile.TemporaryDirectory() as directory:
            config = Path(directory) / "policy.json"
            config.write_text(json.dumps(CONFIG))
            runs = [audit_seconds(config) for _ in range(args.runs)]
    finally:
        server.stop()
    times = [seconds for seconds, _ in runs]
    report = runs[-1][1]
    judged = 2 * args.resources
    print(f"seeded {args.resources} log groups and {args.resources} alarms in {seeded:.1f} s")
    print(f"{'measure':40} {'median':>9} {'min':>9} {'max':>9}")
    print(f"{'audit wall time (s)':40} {statistics.median(times):9.2f} {min(times):9.2f} {max(times):9.2f}")
    print(f"{'resources judged per second':40} {judged / statistics.median(times):9.0f}")
    print(f"checks: {report['summary']['checks']}, violations: {report['summary']['violations']}")


if __name__ == "__main__":
    main()
