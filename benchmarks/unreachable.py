"""How long `opsctl audit` takes to give up on an endpoint it cannot reach, as a user runs it (a fresh
process per run): a closed port, and a port that accepts connections and never answers, both on
127.0.0.1 through AWS_ENDPOINT_URL. Prints the median wall time and the message of each.

Usage: python benchmarks/unreachable.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_EC2_METADATA_DISABLED": "true"}


def audit(endpoint: str) -> tuple[float, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")} | CREDENTIALS
    env["AWS_ENDPOINT_URL"] = endpoint
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "opsctl", "audit", "--region", "eu-west-1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - started, done.stderr.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        closed_port = closed.getsockname()[1]
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)  # the kernel completes the handshakes; nobody ever reads or answers
    for label, port in (("closed port", closed_port), ("silent server", silent.getsockname()[1])):
        results = [audit(f"http://127.0.0.1:{port}") for _ in range(runs)]
        median = statistics.median(seconds for seconds, _ in results)
        print(f"{label:13}  median {median:5.2f} s over {runs} runs  {results[-1][1]}")
    silent.close()


if __name__ == "__main__":
    main()
