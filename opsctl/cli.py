"""Command line: `opsctl preflight --stack dev`. Reports go to stdout or --output, progress to stderr.

Exit codes: 0 clean, 1 findings at or above the threshold, 2 usage, config or program error.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .engine import DEFAULT_ACCOUNT, EngineError, preflight_stack
from .engine.policy_run import check_plan
from .formats import OutputFormat
from .report import PreflightReport, exit_code

EXIT_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="opsctl", description="Run and check the ops-baseline program.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    preflight = commands.add_parser(
        "preflight",
        help="run the Pulumi program offline for one stack and print the plan",
        description="Run the real Pulumi program for one stack under the offline engine and print the plan.",
    )
    preflight.add_argument("--stack", required=True, help="stack name: reads Pulumi.<stack>.yaml")
    preflight.add_argument(
        "--mode",
        choices=("preview", "up"),
        default="preview",
        help="preview: provider-computed outputs stay unknown, like `pulumi preview`; "
        "up: they are synthesized (ARNs, ids, names). Default: preview",
    )
    preflight.add_argument(
        "--project-dir", type=Path, default=Path.cwd(), help="directory holding Pulumi.yaml (default: .)"
    )
    preflight.add_argument(
        "--account",
        default=DEFAULT_ACCOUNT,
        type=account_id,
        help=f"account id used in synthesized ARNs (default: {DEFAULT_ACCOUNT})",
    )
    preflight.add_argument(
        "--format",
        type=OutputFormat,
        choices=list(OutputFormat),
        default=OutputFormat.TEXT,
        help="report format (default: text)",
    )
    preflight.add_argument("--output", type=Path, help="write the report to this file instead of stdout")
    preflight.add_argument("--policy-pack", type=Path, help="policy pack directory (default: <project-dir>/policies)")
    preflight.add_argument(
        "--policy-config",
        type=Path,
        help="policy config file, as for `pulumi preview --policy-pack-config` (default: <pack>/config/<stack>.json when it exists)",
    )
    preflight.add_argument("--no-policies", action="store_true", help="only run the program; skip the policy pack")
    preflight.add_argument(
        "--fail-on",
        choices=("mandatory", "low", "medium", "high", "critical", "never"),
        default="mandatory",
        help="exit 1 on any mandatory violation (default), on any violation at or above a severity, or never",
    )
    return parser


def account_id(value: str) -> str:
    if len(value) == 12 and value.isdigit():
        return value
    raise argparse.ArgumentTypeError(f"{value!r} is not an AWS account id (12 digits)")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return run_preflight(args)
    except EngineError as error:
        print(f"opsctl: error: {error}", file=sys.stderr)
        return EXIT_ERROR


def run_preflight(args: argparse.Namespace) -> int:
    print(f"preflight: stack {args.stack}, mode {args.mode}", file=sys.stderr)
    started = time.perf_counter()
    plan = preflight_stack(args.project_dir, args.stack, mode=args.mode, account=args.account)
    report = PreflightReport(plan)
    if not args.no_policies:
        pack_dir = args.policy_pack or args.project_dir / "policies"
        config = args.policy_config or default_policy_config(pack_dir, args.stack)
        print(f"preflight: policy pack {pack_dir}, config {config or 'pack defaults'}", file=sys.stderr)
        report.policies = check_plan(plan, pack_dir, config)
    write_report(args.format.formatter().render(report), args.output)
    for level, text in plan.messages:
        print(f"{level}: {text}", file=sys.stderr)
    resources = sum(report.counts_by_type().values())
    summary = f"preflight: {resources} resources planned in {time.perf_counter() - started:.2f} s"
    if report.policies is not None:
        kinds = [f.kind for f in report.findings]
        mandatory = sum(1 for f in report.violations() if f.level in ("mandatory", "remediate"))
        summary += (
            f"; {kinds.count('violation')} violations ({mandatory} mandatory), "
            f"{kinds.count('unchecked')} unchecked until deploy, {kinds.count('exempted')} exempted, "
            f"{kinds.count('remediated')} remediated"
        )
    print(summary, file=sys.stderr)
    return exit_code(report.findings, args.fail_on)


def default_policy_config(pack_dir: Path, stack: str) -> Path | None:
    candidate = pack_dir / "config" / f"{stack}.json"
    return candidate if candidate.is_file() else None


def write_report(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text)
    except OSError as error:
        raise EngineError(f"cannot write the report to {output}: {error.strerror}") from None
