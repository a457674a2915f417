"""Command line: `opsctl preflight --stack dev` and `opsctl cost --stack dev`. Reports go to stdout
or --output, progress to stderr.

Exit codes: 0 clean, 1 findings that fail the run at --fail-on, 2 usage, config or program error.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from policies.guardrails.pack import PACK_NAME, PACK_VERSION
from policies.guardrails.spelling import counted
from settings.regions import region_problem

from .baseline import Baseline, load_baseline, mark_existing
from .cost import CostEstimate, estimate, load_prices
from .engine import (
    DEFAULT_ACCOUNT,
    EngineError,
    ProgramRun,
    StackConfig,
    load_project,
    load_stack_config,
    preflight_stack,
    stack_context,
)
from .engine.analyzer import load_pack_config
from .engine.language_host import cached_virtualenv
from .engine.mocks import Listener
from .engine.policy_run import PolicyGate
from .engine.program_host import run_project
from .findings import EXIT_ERROR
from .formats import COST_FORMATS, CostFormatter, OutputFormat
from .notifications import forecast
from .report import AuditReport, DrillReport, PreflightReport, VerifyReport
from .stacks import DEFAULT_CONFIG, policy_config

EXIT_INTERRUPTED = 130
FAIL_ON = ("mandatory", "low", "medium", "high", "critical", "never")
STACK_PART = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
"""Pulumi's rule for stack and project names (pkg/backend/httpstate)."""
ORGANIZATION = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_-]{1,38}[a-zA-Z0-9]$")
"""Pulumi Cloud's rule for the owner of a stack, an organization or a user."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="opsctl", description="Run and check the ops-baseline program.")
    parser.add_argument("--version", action="version", version=f"opsctl {PACK_VERSION} (policy pack {PACK_NAME})")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    preflight = commands.add_parser(
        "preflight",
        help="run the Pulumi program offline for one stack, check it with the policy pack and estimate its cost "
        "and notifications",
        description="Run the real Pulumi program for one stack under the offline engine, send every resource "
        "through the policy pack and print the plan, the findings, the estimated monthly cost and the expected "
        "notifications a month per subscriber.",
    )
    add_plan_arguments(preflight, list(OutputFormat))
    add_report_argument(preflight)
    preflight.add_argument(
        "--policy-pack",
        type=Path,
        help="policy pack directory (default: <project-dir>/policies, else the pack installed with opsctl)",
    )
    preflight.add_argument(
        "--policy-config",
        type=Path,
        help="policy config file, as for `pulumi preview --policy-pack-config` (default: <pack>/config/<stack>.json, "
        f"else <pack>/config/{DEFAULT_CONFIG}, where every guardrail is mandatory)",
    )
    preflight.add_argument("--no-policies", action="store_true", help="only run the program; skip the policy pack")
    preflight.set_defaults(stack_config=None)
    preflight.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default="mandatory",
        help="exit 1 on any new mandatory violation (default), on any new violation at or above a severity, or never",
    )

    scan = commands.add_parser(
        "scan",
        help="run any Python Pulumi program offline and check it with the policy pack (another team's stack)",
        description="Run another team's Python Pulumi program the way the Pulumi CLI runs it (in its own "
        "virtualenv, made from its requirements.txt, from its project directory) under the offline engine, "
        "and check every resource with the ops-baseline pack and the chosen profile. Same reports and exit "
        "codes as preflight; no Pulumi credentials or AWS account needed.",
    )
    add_plan_arguments(scan, list(OutputFormat), stack_required=False)
    add_report_argument(scan)
    scan.add_argument(
        "--region",
        type=region_name,
        default="us-east-1",
        help="aws:region for a project with no stack file (default: us-east-1, the provider's own default)",
    )
    scan.add_argument(
        "--profile",
        default="workload",
        help="policy config of the pack to judge with: <pack>/config/<profile>.json (default: workload)",
    )
    scan.add_argument("--policy-config", type=Path, help="policy config file instead of the profile's")
    scan.set_defaults(no_policies=False, policy_pack=None)
    scan.add_argument("--fail-on", choices=FAIL_ON, default="mandatory", help="as for preflight (default: mandatory)")

    audit = commands.add_parser(
        "audit",
        help="judge live AWS resources with the guardrails (boto3)",
        description="Read live resources with boto3 and judge them with the same guardrail functions and "
        "parameters as the pack; optionally apply the safe, reversible fixes.",
    )
    where = audit.add_mutually_exclusive_group()
    where.add_argument(
        "--region",
        action="append",
        dest="regions",
        type=region_name,
        help="region to audit (repeatable; default: the session's, from AWS_REGION, AWS_DEFAULT_REGION or the profile)",
    )
    where.add_argument("--all-regions", action="store_true", help="every region enabled in each account")
    accounts = audit.add_mutually_exclusive_group()
    accounts.add_argument("--role-arn", help="assume this role and audit its account")
    accounts.add_argument(
        "--org", metavar="ROLE_NAME", help="audit every active account of the organization through this role in each"
    )
    audit.add_argument("--policy-config", type=Path, help="policy config file, the same file the pack takes")
    audit.add_argument(
        "--format", choices=[f.value for f in OutputFormat], default="text", help="report format (default: text)"
    )
    audit.add_argument("--output", type=output_file, help="write the report to this file instead of stdout")
    audit.add_argument("--fail-on", choices=FAIL_ON, default="mandatory", help="as for preflight (default: mandatory)")
    audit.add_argument("--fix", action="store_true", help="apply the safe, reversible fixes after confirmation")
    audit.add_argument("--yes", action="store_true", help="with --fix: do not ask for confirmation")
    audit.add_argument("--parallel", type=positive, default=8, help="accounts and regions read at once (default: 8)")

    verify = commands.add_parser(
        "verify",
        help="compare what the stack should have with the live account",
        description="Compare the stack's offline plan (up mode, in the caller's account) with the live account: "
        "alarms and their actions, confirmed subscriptions, the notifier's failure queue, the Config recorder "
        "and the trail delivering, the CIS filters, X-Ray encryption, and who owns the region's recorder, "
        "delivery channel, X-Ray encryption and registry scanning. Each gap says how to close it.",
    )
    add_stack_arguments(verify, [f.value for f in OutputFormat])

    drill = commands.add_parser(
        "drill",
        help="prove that alarms reach their topics: set them to ALARM and wait for the notification",
        description="Subscribe a temporary encrypted SQS queue to the topics of the chosen alarms, set each alarm "
        "to ALARM and back to the state it was found in, and report whether (and how fast) each notification "
        "arrived. The queues and subscriptions are removed and the alarms restored on every way out.",
    )
    add_stack_arguments(drill, [f.value for f in OutputFormat])
    chosen = drill.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--alarm", action="append", dest="alarms", help="alarm name (repeatable)")
    chosen.add_argument("--all", action="store_true", help="every alarm the stack plans")
    drill.add_argument(
        "--timeout", type=positive, default=120, help="seconds to wait for each notification (default: 120)"
    )

    pack = commands.add_parser(
        "conformance-pack",
        help="print the stack's AWS Config managed rules as a conformance pack template",
        description="Run the program offline and print its AWS Config managed rules, with the stack's "
        "parameters, as one conformance pack template (JSON, which AWS Config reads as YAML).",
    )
    add_stack_arguments(pack, [])

    cost = commands.add_parser(
        "cost",
        help="estimate the monthly cost of one stack at AWS list prices",
        description="Run the real Pulumi program for one stack under the offline engine and estimate what its "
        "resources cost a month at AWS list prices; usage-based charges are shown as prices per unit.",
    )
    add_plan_arguments(cost, COST_FORMATS, baseline_help=COST_BASELINE_HELP)
    return parser


def add_stack_arguments(parser: argparse.ArgumentParser, formats: list[str], stack_required: bool = True) -> None:
    """--stack, --project-dir and, where the command reports, --format and --output."""
    parser.add_argument(
        "--stack",
        required=stack_required,
        type=stack_name,
        help="stack name (STACK, ORG/STACK or ORG/PROJECT/STACK): reads Pulumi.<STACK>.yaml",
    )
    parser.add_argument(
        "--project-dir", type=Path, default=Path.cwd(), help="directory holding Pulumi.yaml (default: .)"
    )
    if formats:
        parser.add_argument("--format", choices=formats, default="text", help="report format (default: text)")
    parser.add_argument("--output", type=output_file, help="write the report to this file instead of stdout")


BASELINE_HELP = (
    "JSON report of an earlier run of the same stack (`opsctl preflight --format json`): violations it "
    "already had do not fail this run, and the cost is shown as a change"
)
COST_BASELINE_HELP = (
    "JSON report of an earlier run of the same stack (`opsctl cost --format json` or `opsctl preflight "
    "--format json`): the cost is shown as a change against its estimate, item by item"
)


def add_plan_arguments(
    parser: argparse.ArgumentParser,
    formats: list[OutputFormat],
    stack_required: bool = True,
    baseline_help: str = BASELINE_HELP,
) -> None:
    add_stack_arguments(parser, [f.value for f in formats], stack_required)
    parser.add_argument(
        "--mode",
        choices=("preview", "up"),
        default="preview",
        help="preview: provider-computed outputs stay unknown, like `pulumi preview`; "
        "up: they are synthesized (ARNs, ids, names). Default: preview",
    )
    parser.add_argument(
        "--account",
        default=DEFAULT_ACCOUNT,
        type=account_id,
        help=f"account id used in synthesized ARNs (default: {DEFAULT_ACCOUNT})",
    )
    parser.add_argument("--baseline", type=Path, help=baseline_help)
    parser.add_argument(
        "--no-free-tier",
        action="store_true",
        help="price every unit: do not credit the account's free tier (alarms, metrics, dashboards, canary runs) to this stack",
    )


def add_report_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--report",
        action="append",
        default=[],
        type=report_target,
        metavar="FORMAT=FILE",
        help="also write the report in FORMAT (as for --format) to FILE, from the same run (repeatable); "
        "the --format report still goes to stdout or --output",
    )


def report_target(value: str) -> tuple[OutputFormat, Path]:
    """FORMAT=FILE, checked before anything runs: a known format and a directory that exists."""
    name, equals, file = value.partition("=")
    formats = ", ".join(OutputFormat)
    if not equals or not name or not file:
        raise argparse.ArgumentTypeError(f"{value!r} is not FORMAT=FILE (FORMAT one of {formats})")
    if name not in set(OutputFormat):
        raise argparse.ArgumentTypeError(f"{value!r}: unknown format {name!r} (choose from {formats})")
    path = Path(file)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{value!r}: {file} is a directory, not a file")
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"{value!r}: the directory {path.parent} does not exist")
    return OutputFormat(name), path


def check_report_targets(args: argparse.Namespace) -> None:
    """Each report to a file of its own: two reports in one file would leave only the last."""
    targets = [("--output", args.output)] if args.output else []
    targets += [(f"--report {format_}={path}", path) for format_, path in args.report]
    seen: dict[Path, str] = {}
    for option, path in targets:
        if (first := seen.setdefault(path.resolve(), option)) != option:
            raise EngineError(f"{option}: {first} writes to the same file")


def positive(value: str) -> int:
    if value.isdigit() and int(value) > 0:
        return int(value)
    raise argparse.ArgumentTypeError(f"{value!r} is not a positive whole number")


def account_id(value: str) -> str:
    if len(value) == 12 and value.isdigit():
        return value
    raise argparse.ArgumentTypeError(f"{value!r} is not an AWS account id (12 digits)")


def region_name(value: str) -> str:
    problem = region_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(f"{value!r} {problem}")
    return value


def stack_name(value: str) -> str:
    """A stack as Pulumi names it: STACK, ORG/STACK or ORG/PROJECT/STACK; offline, only STACK matters."""
    parts = value.split("/")
    *owner, stack = parts
    if (
        len(parts) > 3
        or not STACK_PART.match(stack)
        or (owner and not ORGANIZATION.match(owner[0]))
        or (len(owner) == 2 and not STACK_PART.match(owner[1]))
    ):
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a Pulumi stack name: 1-100 letters, digits, '-', '_' or '.', optionally qualified as "
            "ORG/STACK or ORG/PROJECT/STACK (an organization: 3-40 letters, digits, '-' or '_')"
        )
    return value


def unqualified(args: argparse.Namespace) -> str:
    """The stack part of --stack; a project part must be the project's own name."""
    *owner, stack = args.stack.split("/")
    if len(owner) == 2:
        project = load_project(args.project_dir.resolve())
        if owner[1] != project.name:
            raise EngineError(
                f"--stack {args.stack}: project {owner[1]!r} is not the project in {project.directory} "
                f"({project.name!r}); give --project-dir of that project, or the stack as {owner[0]}/{project.name}/{stack}"
            )
    return stack


def output_file(value: str) -> Path:
    """A file the report can be written to, checked before the run, not after it."""
    path = Path(value)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{value!r} is a directory: name a file in it")
    folder = path.parent
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"{value!r}: the directory {str(folder)!r} does not exist; create it first")
    if not os.access(path if path.exists() else folder, os.W_OK):
        raise argparse.ArgumentTypeError(f"{value!r} cannot be written (no write permission)")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        commands = {
            "scan": run_scan,
            "cost": run_cost,
            "audit": run_audit,
            "verify": run_verify,
            "drill": run_drill,
            "conformance-pack": run_conformance_pack,
        }
        if getattr(args, "stack", None):
            args.stack = unqualified(args)
        return commands.get(args.command, run_preflight)(args)
    except EngineError as error:
        print(f"opsctl: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("opsctl: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def run_stack(args: argparse.Namespace, listener: Listener | None = None) -> tuple[ProgramRun, Baseline | None]:
    """The baseline is read first: a bad file is reported before the program runs."""
    baseline = load_baseline(args.baseline, args.stack) if args.baseline else None
    print(f"{args.command}: stack {args.stack}, mode {args.mode}", file=sys.stderr)
    if args.command == "scan":
        run = run_project(args.project_dir, args.stack, mode=args.mode, account=args.account, listener=listener,
                           stack_config=args.stack_config)  # fmt: skip
    else:
        run = preflight_stack(args.project_dir, args.stack, mode=args.mode, account=args.account, listener=listener)
    for level, text in run.messages:
        print(f"{level}: {text}", file=sys.stderr)
    return run, baseline


def estimate_cost(run: ProgramRun, args: argparse.Namespace) -> CostEstimate:
    custom = [r for r in run.registrations if r.custom]
    return estimate(custom, region=run.region, prices=load_prices(), free_tier=not args.no_free_tier)


def run_cost(args: argparse.Namespace) -> int:
    run, baseline = run_stack(args)
    cost = estimate_cost(run, args)
    report = PreflightReport(run, cost=cost, baseline=baseline)
    formatter = OutputFormat(args.format).formatter()
    assert isinstance(formatter, CostFormatter)
    write_report(formatter.render_cost(report), args.output)
    print(f"cost: about {cost.total:,.2f} USD a month at list prices, before usage", file=sys.stderr)
    return 0


def run_preflight(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    check_report_targets(args)
    if args.no_policies:
        run, baseline = run_stack(args)
        report = preflight_report(run, baseline, args)
    else:
        # The pack starts first and checks each resource as the program registers it.
        pack_dir, virtualenv = pack_of(args)
        config = args.policy_config or policy_config(pack_dir, args.stack)
        why = ""
        if args.policy_config is None and config is not None and config.name != f"{args.stack}.json":
            why = f" (the default for a stack without config/{args.stack}.json)"
        print(f"{args.command}: policy pack {pack_dir}, config {config or 'pack defaults'}{why}", file=sys.stderr)
        context = stack_context(args.project_dir, args.stack, mode=args.mode, stack_config=args.stack_config)
        constraints = args.project_dir / "constraints.txt"
        with PolicyGate(pack_dir, config, context, constraints=constraints, virtualenv=virtualenv) as gate:
            run, baseline = run_stack(args, listener=gate.record)
            report = preflight_report(run, baseline, args)
            report.policies = gate.result(run.stack_resource)
            report.policy_config = config
        if baseline is not None:
            report.policies.findings = mark_existing(report.policies.findings, baseline)
    write_report(OutputFormat(args.format).formatter().render(report), args.output)
    for format_, path in args.report:
        write_report(format_.formatter().render(report), path)
        print(f"{args.command}: {format_} report written to {path}", file=sys.stderr)
    resources = sum(report.counts_by_type().values())
    summary = f"{args.command}: {counted(resources, 'resource')} planned in {time.perf_counter() - started:.2f} s"
    if report.policies is not None:
        kinds = [f.kind for f in report.findings]
        mandatory = sum(1 for f in report.violations() if f.level in ("mandatory", "remediate"))
        summary += (
            f"; {counted(kinds.count('violation'), 'violation')} ({mandatory} mandatory), "
            f"{kinds.count('unchecked')} unchecked until deploy, {kinds.count('exempted')} exempted, "
            f"{kinds.count('remediated')} remediated"
        )
    if baseline is not None and report.policies is not None:
        existing = sum(1 for f in report.findings if f.existing)
        summary += f"; against the baseline: {existing} existing, {len(report.fixed())} fixed"
    print(summary, file=sys.stderr)
    return report.exit_code()


def run_scan(args: argparse.Namespace) -> int:
    """preflight for any project: the stack file it has, or none; opsctl's own pack and a profile."""
    project = load_project(args.project_dir.resolve())
    if args.stack is None:
        if project.stacks():
            raise EngineError(f"the project has stacks {', '.join(project.stacks())}: pick one with --stack")
        args.stack = "scan"
        args.stack_config = StackConfig("scan", {"aws:region": args.region})
    else:
        args.stack_config = load_stack_config(project, args.stack)
    pack_dir, _ = installed_pack()
    if args.policy_config is None:
        args.policy_config = pack_dir / "config" / f"{args.profile}.json"
        if not args.policy_config.is_file():
            profiles = sorted(p.stem for p in (pack_dir / "config").glob("*.json"))
            raise EngineError(f"--profile {args.profile}: no such profile (the pack has {', '.join(profiles)})")
    return run_preflight(args)


def preflight_report(run: ProgramRun, baseline: Baseline | None, args: argparse.Namespace) -> PreflightReport:
    custom = [r for r in run.registrations if r.custom]
    return PreflightReport(
        run,
        cost=estimate_cost(run, args),
        notifications=forecast(custom, region=run.region, account=run.account),
        baseline=baseline,
        fail_on=args.fail_on,
        stack_file=stack_file(args),
    )


def stack_file(args: argparse.Namespace) -> Path:
    return args.project_dir / f"Pulumi.{args.stack}.yaml"


def pack_of(args: argparse.Namespace) -> tuple[Path, Path | None]:
    """The pack a run checks with, and the virtualenv it runs from (None: its own)."""
    if args.command == "scan":
        return installed_pack()
    if args.policy_pack:
        return args.policy_pack, None
    own = args.project_dir / "policies"
    return (own, None) if (own / "PulumiPolicy.yaml").is_file() else installed_pack()


def installed_pack() -> tuple[Path, Path | None]:
    """The pack installed with opsctl. A checkout's, set up by make, runs from its own virtualenv;
    a wheel's from one in the user's cache (site-packages is no place for one)."""
    import policies

    installed = Path(policies.__file__).parent
    if (installed / "venv" / ".installed").is_file():
        return installed, None
    return installed, cached_virtualenv(f"policy-pack-{PACK_VERSION}")


def write_report(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text)
    except OSError as error:
        raise EngineError(f"cannot write the report to {output}: {error.strerror}") from None


def audit_region(args: argparse.Namespace) -> str:
    """The first --region, else the session's: never a region nobody named."""
    from .live.accounts import session_region

    if args.regions:
        return args.regions[0]
    found = session_region()
    if found is None:
        needs = "--all-regions lists the account's regions from one: " if args.all_regions else ""
        raise EngineError(
            f"no AWS region to audit: {needs}pass --region NAME, or set AWS_REGION (or AWS_DEFAULT_REGION), or give "
            "the AWS profile a region (`aws configure set region NAME`)"
        )
    region, source = found
    print(f"audit: region {region}, from {source}", file=sys.stderr)
    return region


def run_audit(args: argparse.Namespace) -> int:
    from .live import accounts as live_accounts
    from .live.audit import audit, policy_infos, proposal_lines, resolved_policies
    from .live.fixes import apply, propose
    from .live.judge import not_audited

    source = str(args.policy_config or "pack defaults")
    policies = resolved_policies(load_pack_config(args.policy_config), source)
    region = audit_region(args)
    found = list(live_accounts.accounts(region=region, role_arn=args.role_arn, org_role=args.org))

    def regions_of(account: live_accounts.Account) -> list[str]:
        return live_accounts.enabled_regions(account, region) if args.all_regions else list(args.regions or [region])

    started = time.perf_counter()
    findings, checks, inventories, entered = audit(found, regions_of, policies, workers=args.parallel)
    report = AuditReport(
        accounts=[a.id for a in found],
        regions=sorted({i.region for i in inventories.values()} - {"global"}) or [region],
        policies=policy_infos(policies),
        findings=findings,
        checks=checks,
        fail_on=args.fail_on,
        not_audited=not_audited(),
        config_file=str(args.policy_config or ""),
    )
    if args.fix:
        proposed = propose(findings, inventories, policies)
        print(f"audit: {len(proposed)} safe fix(es) planned", file=sys.stderr)
        for line in proposal_lines(proposed):
            print(line, file=sys.stderr)
        if proposed and (args.yes or confirmed()):
            report.fixes = apply(proposed, entered, policies)
        elif proposed:
            print("audit: no changes made (run with --yes to apply without asking)", file=sys.stderr)
    write_report(OutputFormat(args.format).formatter().render_audit(report), args.output)
    kinds = [f.kind for f in findings]
    applied = sum(1 for r in report.fixes if not r.error)
    print(
        f"audit: {len(checks)} checks in {time.perf_counter() - started:.2f} s; {kinds.count('violation')} violations, "
        f"{kinds.count('exempted')} exempted, {kinds.count('error')} read errors, {applied} fixed",
        file=sys.stderr,
    )
    return report.exit_code()


def confirmed() -> bool:
    """Ask on the terminal; without one (CI), the answer is no."""
    if not sys.stdin.isatty():
        return False
    print("Apply these changes? [y/N] ", end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip().lower() in ("y", "yes")


def run_conformance_pack(args: argparse.Namespace) -> int:
    from .conformance import pack_template

    run = preflight_stack(args.project_dir, args.stack, mode="preview", account=DEFAULT_ACCOUNT)
    body = pack_template(run)
    write_report(body, args.output)
    rules = len(json.loads(body)["Resources"])
    print(
        f"conformance-pack: {rules} managed rules, {len(body.encode())} bytes (AWS Config takes up to 51,200)",
        file=sys.stderr,
    )
    return 0


def live_run(args: argparse.Namespace):
    """The stack run in up mode for the caller's live account, and that account."""
    from .engine import load_project, load_stack_config
    from .live.accounts import accounts

    config = load_stack_config(load_project(args.project_dir.resolve()), args.stack)
    region = config.values.get("aws:region")  # checked before the first call goes to its endpoint
    if region is None:
        raise EngineError(f"Pulumi.{args.stack}.yaml: aws:region is required (the region the stack deploys to)")
    problem = region_problem(region)
    if problem:
        raise EngineError(f"Pulumi.{args.stack}.yaml: aws:region {region!r} {problem}")
    account = next(accounts(region=region))
    print(f"{args.command}: stack {args.stack}, account {account.id}, region {region}", file=sys.stderr)
    return preflight_stack(args.project_dir, args.stack, mode="up", account=account.id), account


def run_verify(args: argparse.Namespace) -> int:
    from .live.verify import verify

    run, account = live_run(args)
    report = VerifyReport(args.stack, account.id, verify(run, account), stack_file(args))
    write_report(OutputFormat(args.format).formatter().render_verify(report), args.output)
    print(f"verify: {counted(len(report.gaps), 'gap')}", file=sys.stderr)
    return report.exit_code()


def run_drill(args: argparse.Namespace) -> int:
    from .live.drill import choose, drill

    run, account = live_run(args)
    alarms = choose(run, None if args.all else args.alarms)
    results, problems = drill(account, alarms, float(args.timeout))
    report = DrillReport(args.stack, account.id, results, problems, stack_file(args))
    write_report(OutputFormat(args.format).formatter().render_drill(report), args.output)
    outcomes = [r.outcome for r in results]
    print(f"drill: {outcomes.count('delivered')} of {len(results)} delivered", file=sys.stderr)
    return report.exit_code()
