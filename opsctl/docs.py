"""Rewrite the README's generated sections from their sources: python -m opsctl.docs README.md

Each section sits between `<!-- NAME:start -->` and `<!-- NAME:end -->`; a test fails when one is stale.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

import settings
from plan.monitors import kinds_table
from policies.guardrails import providers
from policies.guardrails import reference as policy_reference


def config_reference() -> str:
    """Every stack setting, the alarm overrides, and the alarm kinds the plan resolves them against."""
    return "\n\n".join(
        (
            settings.reference(),
            "#### Alarm kinds and their defaults\n\nAlarms are named `<prefix>-<resource>-<what>-<severity>` "
            "(e.g. `ops-prod-orders-errors-critical`) and send ALARM and OK to the alerting topic.\n\n" + kinds_table(),
        )
    )


SECTIONS: dict[str, Callable[[], str]] = {
    "config-reference": config_reference,
    "policy-reference": policy_reference.reference,
    "provider-coverage": providers.coverage_table,
}


def markers(name: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- {name}:start -->\n)(.*?)(\n<!-- {name}:end -->)", re.S)


def embedded(text: str, name: str) -> str | None:
    match = markers(name).search(text)
    return match.group(2) if match else None


def rewrite(text: str) -> str:
    for name, generate in SECTIONS.items():
        if embedded(text, name) is None:
            sys.exit(f"README has no <!-- {name}:start/end --> markers")
        text = markers(name).sub(lambda m, g=generate: m.group(1) + g() + m.group(3), text)
    return text


def main(path: str) -> None:
    readme = Path(path)
    readme.write_text(rewrite(readme.read_text()))


if __name__ == "__main__":
    main(sys.argv[1])
