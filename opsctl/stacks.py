"""The project's stacks and the policy config each is judged with. Standard library only: the
pull-request workflow runs `python3 -m opsctl.stacks` before anything is installed, to derive its
stack matrix from the `Pulumi.<stack>.yaml` files, with the same choice of config preflight makes."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

DEFAULT_CONFIG = "default.json"
"""The config of a stack without its own: every guardrail mandatory, so a new stack fails safe."""


def stack_names(project_dir: Path) -> list[str]:
    return sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in project_dir.glob("Pulumi.*.yaml"))


def policy_config(pack_dir: Path, stack: str) -> Path | None:
    """The stack's own `<pack>/config/<stack>.json`, else the pack's default.json; None for a pack
    with neither (its policies' own defaults apply)."""
    for candidate in (pack_dir / "config" / f"{stack}.json", pack_dir / "config" / DEFAULT_CONFIG):
        if candidate.is_file():
            return candidate
    return None


def matrix(project_dir: Path) -> list[dict[str, str]]:
    """One entry per stack, with its policy config relative to the project (as `pulumi preview
    --policy-pack-config` takes it)."""
    pack_dir = project_dir / "policies"
    entries = []
    for stack in stack_names(project_dir):
        config = policy_config(pack_dir, stack)
        if config is None:
            raise ValueError(f"{pack_dir / 'config'} has neither {stack}.json nor {DEFAULT_CONFIG}")
        entries.append({"stack": stack, "policyConfig": Path(os.path.relpath(config, project_dir)).as_posix()})
    return entries


def main(argv: Sequence[str] | None = None) -> int:
    """Print `matrix=<JSON>` for $GITHUB_OUTPUT; the project directory is the first argument (default: .)."""
    args = list(sys.argv[1:] if argv is None else argv)
    project_dir = Path(args[0] if args else ".")
    try:
        entries = matrix(project_dir)
        if not entries:
            raise ValueError(f"no Pulumi.<stack>.yaml in {project_dir.resolve()}")
    except ValueError as error:
        print(f"opsctl.stacks: error: {error}", file=sys.stderr)
        return 2
    print(f"matrix={json.dumps(entries, separators=(',', ':'))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
