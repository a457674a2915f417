"""Command line: `opsctl preflight --stack dev` and `opsctl cost --stack dev`. Reports go to stdout
or --output, progress to stderr.

Exit codes: 0 clean, 1 findings that fail the run at --fail-on, 2 usage, config or program error.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .baseline import Baseline, load_baseline, mark_existing
from .cost import estimate, load_prices
from .engine import DEFAULT_ACCOUNT, EngineError, Plan, preflight_stack
from .engine.policy_run import check_plan
from .formats import COST_FORMATS, CostFormatter, OutputFormat
from .report import PreflightReport, exit_code

EXIT_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="opsctl", description="Run and check the ops-baseline program.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    preflight = commands.add_parser(
        "preflight",
        help="run the Pulumi program offline for one stack, check it with the policy pack and estimate its cost",
        description="Run the real Pulumi program for one stack under the offline engine, send every resource "
        "through the policy pack and print the plan, the findings and the estimated monthly cost.",
    )
    add_plan_arguments(preflight, list(OutputFormat))
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
        help="exit 1 on any new mandatory violation (default), on any new violation at or above a severity, or never",
    )

    cost = commands.add_parser(
        "cost",
        help="estimate the monthly cost of one stack at AWS list prices",
        description="Run the real Pulumi program for one stack under the offline engine and estimate what its "
        "resources cost a month at AWS list prices; usage-based charges are shown as prices per unit.",
    )
    add_plan_arguments(cost, COST_FORMATS)
    return parser


def add_plan_arguments(parser: argparse.ArgumentParser, formats: list[OutputFormat]) -> None:
    parser.add_argument("--stack", required=True, help="stack name: reads Pulumi.<stack>.yaml")
    parser.add_argument(
        "--mode",
        choices=("preview", "up"),
        default="preview",
        help="preview: provider-computed outputs stay unknown, like `pulumi preview`; "
        "up: they are synthesized (ARNs, ids, names). Default: preview",
    )
    parser.add_argument(
        "--project-dir", type=Path, default=Path.cwd(), help="directory holding Pulumi.yaml (default: .)"
    )
    parser.add_argument(
        "--account",
        default=DEFAULT_ACCOUNT,
        type=account_id,
        help=f"account id used in synthesized ARNs (default: {DEFAULT_ACCOUNT})",
    )
    parser.add_argument(
        "--format",
        choices=[f.value for f in formats],
        default=OutputFormat.TEXT.value,
        help="report format (default: text)",
    )
    parser.add_argument("--output", type=Path, help="write the report to this file instead of stdout")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="JSON report of an earlier run of the same stack (`opsctl preflight --format json`): violations it "
        "already had do not fail this run, and the cost is shown as a change",
    )
    parser.add_argument(
        "--no-free-tier",
        action="store_true",
        help="price every unit: do not credit the account's free tier (alarms, metrics, dashboards, canary runs) to this stack",
    )


def account_id(value: str) -> str:
    if len(value) == 12 and value.isdigit():
        return value
    raise argparse.ArgumentTypeError(f"{value!r} is not an AWS account id (12 digits)")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return run_cost(args) if args.command == "cost" else run_preflight(args)
    except EngineError as error:
        print(f"opsctl: error: {error}", file=sys.stderr)
        return EXIT_ERROR


def plan_stack(args: argparse.Namespace) -> tuple[Plan, Baseline | None]:
    """The baseline is read first: a bad file is reported before the program runs."""
    baseline = load_baseline(args.baseline, args.stack) if args.baseline else None
    print(f"{args.command}: stack {args.stack}, mode {args.mode}", file=sys.stderr)
    plan = preflight_stack(args.project_dir, args.stack, mode=args.mode, account=args.account)
    for level, text in plan.messages:
        print(f"{level}: {text}", file=sys.stderr)
    return plan, baseline


def estimate_plan(plan: Plan, args: argparse.Namespace):
    custom = [r for r in plan.registrations if r.custom]
    return estimate(custom, region=plan.region, prices=load_prices(), free_tier=not args.no_free_tier)


def run_cost(args: argparse.Namespace) -> int:
    plan, baseline = plan_stack(args)
    report = PreflightReport(plan, cost=estimate_plan(plan, args), baseline=baseline)
    formatter = OutputFormat(args.format).formatter()
    assert isinstance(formatter, CostFormatter)
    write_report(formatter.render_cost(report.cost, report.cost_change()), args.output)
    print(f"cost: about {report.cost.total:,.2f} USD a month at list prices, before usage", file=sys.stderr)
    return 0


def run_preflight(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    plan, baseline = plan_stack(args)
    report = PreflightReport(
        plan,
        cost=estimate_plan(plan, args),
        baseline=baseline,
        fail_on=args.fail_on,
        stack_file=args.project_dir / f"Pulumi.{args.stack}.yaml",
    )
    if not args.no_policies:
        pack_dir = args.policy_pack or args.project_dir / "policies"
        config = args.policy_config or default_policy_config(pack_dir, args.stack)
        print(f"preflight: policy pack {pack_dir}, config {config or 'pack defaults'}", file=sys.stderr)
        report.policies = check_plan(plan, pack_dir, config)
        if baseline is not None:
            report.policies.findings = mark_existing(report.policies.findings, baseline)
    write_report(OutputFormat(args.format).formatter().render(report), args.output)
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
    if baseline is not None and report.policies is not None:
        existing = sum(1 for f in report.findings if f.existing)
        summary += f"; against the baseline: {existing} existing, {len(report.fixed())} fixed"
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
