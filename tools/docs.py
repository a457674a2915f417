"""Rewrite the generated sections of the README and docs/ from their sources: python -m tools.docs

Each section sits between `<!-- NAME:start -->` and `<!-- NAME:end -->` in its file; a test fails when
one is stale. A development tool: the wheel does not ship it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import settings
from plan.monitors import kinds_table
from policies.guardrails import providers
from tools import guardrail_reference

ROOT = Path(__file__).resolve().parent.parent


def config_reference() -> str:
    """Every stack setting, the alarm overrides, and the alarm kinds the plan resolves them against."""
    return "\n\n".join(
        (
            settings.reference(),
            "#### Alarm kinds and their defaults\n\nAlarms are named `<prefix>-<resource>-<what>-<severity>` "
            "(e.g. `ops-prod-orders-errors-critical`) and send ALARM and OK to the alerting topic.\n\n" + kinds_table(),
        )
    )


@dataclass(frozen=True)
class Section:
    name: str
    file: str
    """Relative to the project root."""
    generate: Callable[[], str]


SECTIONS = (
    Section("config-summary", "README.md", settings.summary),
    Section("config-reference", "docs/configuration.md", config_reference),
    Section("policy-reference", "docs/guardrails.md", guardrail_reference.reference),
    Section("provider-coverage", "docs/guardrails.md", providers.coverage_table),
)


def markers(name: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- {name}:start -->\n)(.*?)(<!-- {name}:end -->)", re.S)


def embedded(text: str, name: str) -> str | None:
    match = markers(name).search(text)
    return match.group(2) if match else None


def rewrite(section: Section, text: str) -> str:
    if embedded(text, section.name) is None:
        sys.exit(f"{section.file} has no <!-- {section.name}:start/end --> markers")
    return markers(section.name).sub(lambda m: m.group(1) + section.generate() + "\n" + m.group(3), text)


def main() -> None:
    for section in SECTIONS:
        path = ROOT / section.file
        path.write_text(rewrite(section, path.read_text()))


if __name__ == "__main__":
    main()
