"""Which pulumi-aws resource types take `tags`: read once from the installed provider SDK's source
(`python -m guardrails.taggable` from policies/, or `make docs`) into `taggable_types.txt`, so the
pack itself never imports pulumi_aws."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

DATA = Path(__file__).with_name("taggable_types.txt")
_TOKEN = re.compile(r"super\(\w+, __self__\)\.__init__\(\s*'(aws:[^']+)'")
_TAGS_INPUT = re.compile(r"^\s+tags: pulumi\.Input\[Optional\[Mapping\[str,", re.M)


def scan(package: Path) -> list[str]:
    """Type tokens of every resource whose module takes a `tags` input."""
    found = set()
    for module in package.rglob("*.py"):
        source = module.read_text(encoding="utf-8")
        tokens = _TOKEN.findall(source)
        if tokens and _TAGS_INPUT.search(source):
            found.update(tokens)
    return sorted(found)


def installed_package() -> Path:
    spec = importlib.util.find_spec("pulumi_aws")
    if spec is None or spec.origin is None:
        raise SystemExit("pulumi_aws is not installed")
    return Path(spec.origin).parent


def load() -> tuple[str, ...]:
    return tuple(line for line in DATA.read_text().splitlines() if line and not line.startswith("#"))


def main() -> None:
    package = installed_package()
    version = (package / "pulumi-plugin.json").read_text() if (package / "pulumi-plugin.json").exists() else ""
    match = re.search(r'"version":\s*"([^"]+)"', version)
    header = f"# pulumi-aws {match.group(1) if match else 'unknown'}: resource types that take tags\n"
    DATA.write_text(header + "\n".join(scan(package)) + "\n")
    print(f"{DATA}: {len(load())} taggable types", file=sys.stderr)


if __name__ == "__main__":
    main()
