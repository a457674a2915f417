"""Where the gate's memory goes at scale: the Pulumi Python SDK itself, measured without us.

Declares N metric alarms (one SNS topic for their actions) in a fresh process, once under the SDK's
own mocks answering with the inputs (nothing recorded), once under the offline engine
(`run_program`: synthesized outputs, every registration recorded), and prints each process's peak
resident memory and its cost per resource. Every pending registration holds about 20 outputs, each
with its futures and task, until the program has declared everything; that is the floor any
Python program of that size pays, under the Pulumi CLI as here.

Usage: python benchmarks/sdk_memory.py [--alarms 1000 4000]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys


def declare(count: int) -> None:
    import pulumi_aws as aws

    topic = aws.sns.Topic("alerts")
    for i in range(count):
        aws.cloudwatch.MetricAlarm(
            f"errors-{i}",
            comparison_operator="GreaterThanThreshold",
            evaluation_periods=1,
            metric_name="Errors",
            namespace="AWS/Lambda",
            period=60,
            statistic="Sum",
            threshold=1,
            dimensions={"FunctionName": f"service-{i:04d}"},
            alarm_actions=[topic.arn],
            ok_actions=[topic.arn],
            treat_missing_data="notBreaching",
            tags={"project": "ops-baseline"},
        )


def run(how: str, count: int) -> None:
    if how == "sdk":
        import pulumi
        from pulumi.runtime.stack import run_pulumi_func

        from opsctl.engine.runner import run_to_completion

        class Echo(pulumi.runtime.Mocks):
            def new_resource(self, args):
                return f"{args.name}-id", dict(args.inputs)

            def call(self, args):
                return {}

        pulumi.runtime.set_mocks(Echo(), preview=True)
        run_to_completion(run_pulumi_func(lambda: declare(count)))
    else:
        from opsctl.engine import run_program

        run_program(lambda: declare(count), mode="preview", config={"aws:region": "eu-west-1"})
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--alarms", type=int, nargs="+", default=[1000, 4000])
    parser.add_argument("--run", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        return run(args.run[0], int(args.run[1]))
    print(f"{'alarms':>7} {'SDK mocks MB':>13} {'offline engine MB':>18} {'SDK KB/resource':>16}")
    for count in args.alarms:
        peaks = [
            float(
                subprocess.run(
                    [sys.executable, __file__, "--run", how, str(count)], capture_output=True, text=True, check=True
                ).stdout
            )
            for how in ("sdk", "engine")
        ]
        print(f"{count:7,} {peaks[0]:13.0f} {peaks[1]:18.0f} {peaks[0] * 1024 / (count + 1):16.0f}")


if __name__ == "__main__":
    main()
