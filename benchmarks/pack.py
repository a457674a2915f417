"""The policy pack's own cost, over the analyzer protocol: start-up, per resource and AnalyzeStack.

Start-up is the time from launching the pack process (as the Pulumi CLI does) until it has been
told the stack (ConfigureStack) and answered GetAnalyzerInfo. The per-resource figure sends every
resource of a committed stack's recorded run to Remediate and then Analyze, as the engine does,
one resource at a time, and divides by the number of resources. Prints medians, min and
max over N runs (a fresh pack process per run).

Usage: python benchmarks/pack.py [--runs N] [--stack dev] [--mode preview] [--pack DIR ...]
(several --pack directories are measured in turns, A B A B, for a side-by-side ratio)
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from opsctl.engine import preflight_stack
from opsctl.engine.analyzer import PolicyPack, load_pack_config, resolve_config
from opsctl.engine.runner import run_context

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "policies"


def one_run(pack_dir: Path, run) -> tuple[float, float, float]:
    """One fresh pack process, configured with its own config file for the stack."""
    resources = [r for r in run.registrations if r.custom]
    config_path = pack_dir / "config" / f"{run.stack}.json"
    started = time.perf_counter()
    with PolicyPack(pack_dir, run_context(run)) as pack:
        pack.start()
        info = pack.info()
        startup = time.perf_counter() - started
        pack.configure(resolve_config(info, load_pack_config(config_path), str(config_path)))
        started = time.perf_counter()
        for resource in resources:
            pack.remediate(resource, resource.inputs)
            pack.analyze(resource, resource.inputs)
        per_resource = (time.perf_counter() - started) / len(resources)
        started = time.perf_counter()
        pack.analyze_stack(resources)
        stack = time.perf_counter() - started
    return startup, per_resource, stack


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--stack", default="dev")
    parser.add_argument("--mode", choices=("preview", "up"), default="preview")
    parser.add_argument("--pack", type=Path, action="append", help=f"policy pack directory (default: {PACK})")
    args = parser.parse_args()
    packs = args.pack or [PACK]
    run = preflight_stack(ROOT, args.stack, mode=args.mode)
    runs: dict[Path, list[tuple[float, float, float]]] = {pack: [] for pack in packs}
    for _ in range(args.runs):
        for pack in packs:
            runs[pack].append(one_run(pack, run))
    resources = sum(1 for r in run.registrations if r.custom)
    print(
        f"stack {args.stack}, mode {args.mode}: {resources} resources, {args.runs} runs per pack (fresh process each)"
    )
    medians: dict[Path, list[float]] = {}
    for pack, results in runs.items():
        print(f"\npack {pack}")
        print(f"  {'figure':28} {'median':>9} {'min':>9} {'max':>9}")
        medians[pack] = []
        for label, index in (
            ("start-up to GetAnalyzerInfo", 0),
            ("Remediate + Analyze, per resource", 1),
            ("AnalyzeStack, whole stack", 2),
        ):
            values = [run[index] * 1000 for run in results]
            medians[pack].append(statistics.median(values))
            print(f"  {label:28} {medians[pack][-1]:7.2f}ms {min(values):7.2f}ms {max(values):7.2f}ms")
    if len(packs) > 1:
        first, *others = packs
        for other in others:
            ratios = ", ".join(f"{b / a:.2f}x" for a, b in zip(medians[first], medians[other], strict=True))
            print(f"\nratio {other} / {first} (start-up, per resource, stack): {ratios}")


if __name__ == "__main__":
    main()
