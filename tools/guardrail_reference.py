"""The catalog as Markdown for the README: every guardrail with its references, and every parameter
with the pack's default beside AWS's own."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from policies.guardrails.catalog import CATALOG
from policies.guardrails.model import Guardrail


def _value(value: Any, schema: Mapping[str, Any]) -> str:
    """A value as the table shows it: a list of every value the schema allows as `all N`."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    allowed = schema.get("items", {}).get("enum")
    if isinstance(value, list) and len(value) > 3 and allowed and sorted(value) == sorted(allowed):
        return f"all {len(value)}"
    return f"`{json.dumps(value)}`"


def _judged_in(guardrail: Guardrail) -> str:
    if guardrail.kind == "stack":
        return "stack"
    return "resource, in AnalyzeStack" if guardrail.resolves_references else "resource"


def _config_rule(guardrail: Guardrail) -> str:
    rule = guardrail.references.config_rule
    if rule is None:
        return "—"
    covers = f" (judges {', '.join(f'`{t}`' for t in rule.covers)} only)" if rule.covers else ""
    return f"`{rule.identifier}`{covers}"


def _live(guardrail: Guardrail) -> str:
    """Whether `opsctl audit` judges it live, and the safe fix it offers (`--fix`)."""
    if not guardrail.audit.types:
        return "no"
    fix = guardrail.audit.fix
    return f"yes, fix `{fix.action}`" if fix else "yes"


def catalog_table() -> str:
    rows = [
        "| guardrail | severity | judged per | AWS Config rule | Security Hub | CIS | checkov | opsctl audit |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for g in CATALOG:
        refs = g.references
        rows.append(
            f"| `{g.name}` | {g.severity} | {_judged_in(g)} | {_config_rule(g)} | "
            f"{', '.join(refs.security_hub) or '—'} | {', '.join(refs.cis) or '—'} | {', '.join(refs.checkov) or '—'} | "
            f"{_live(g)} |"
        )
    return "\n".join(rows)


def parameters_table() -> str:
    rows = ["| guardrail | parameter | pack default | AWS default | source |", "|---|---|---|---|---|"]
    for g in CATALOG:
        for p in g.parameters:
            aws = (_value(p.aws.value, p.schema), p.aws.source) if p.aws else ("—", "—")
            rows.append(
                f"| `{g.name}` | `{p.name}` — {p.description} | {_value(p.default, p.schema)} | {aws[0]} | {aws[1]} |"
            )
    return "\n".join(rows)


def reference() -> str:
    return "\n\n".join(
        (
            "#### Guardrails\n\n" + catalog_table(),
            "#### Parameters and defaults\n\nWith no config file every parameter takes the pack default. Where AWS "
            "checks the same setting, the pack default is AWS's or stricter.\n\n" + parameters_table(),
        )
    )
