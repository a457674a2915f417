"""A previous run's JSON report as the baseline of this one: violations it already had are marked
existing and do not fail the run, the ones it had and this run has not are fixed, and its cost
estimate is what this run's cost is compared with. A report of `opsctl preflight` holds the
estimate under `cost`; a report of `opsctl cost` is the estimate, with its stack and no findings."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .engine import EngineError
from .findings import Finding

Key = tuple[str, str]
"""(policy, URN): the same check on the same resource, whatever its message says today."""


@dataclass(frozen=True)
class Baseline:
    path: Path
    stack: str
    violations: frozenset[Key]
    has_findings: bool
    """False for a report written with --no-policies: it says nothing about violations."""
    cost: Mapping[str, Any] | None
    """The report's `cost` document; None when it predates cost estimates."""


def key(finding: Finding) -> Key:
    return (finding.policy, finding.subject)


def load_baseline(path: Path, stack: str) -> Baseline:
    """Read and check a report of `opsctl preflight` or `opsctl cost` in `--format json`; every problem
    is an EngineError naming it."""
    try:
        text = path.read_text()
    except OSError as error:
        raise EngineError(f"baseline {path}: cannot read it ({error.strerror})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise EngineError(f"baseline {path}: not valid JSON (line {error.lineno}:{error.colno}: {error.msg})") from None
    problems = list(report_problems(document, stack))
    if problems:
        raise EngineError(
            f"baseline {path}: not a usable JSON report of `opsctl preflight` or `opsctl cost`: " + "; ".join(problems)
        )
    findings = document.get("findings")
    return Baseline(
        path=path,
        stack=document["stack"],
        violations=frozenset(
            (f["policy"], f["urn"]) for f in findings or () if f.get("kind", "violation") == "violation"
        ),
        has_findings=findings is not None,
        cost=cost_of(document),
    )


def cost_of(document: Mapping[str, Any]) -> Any:
    """The estimate in a report: a preflight report's `cost`, or a cost report itself."""
    return document if "lines" in document and "cost" not in document else document.get("cost")


REPORT_SCHEMA_VERSION = 1
"""The shape of opsctl's JSON reports (`schemaVersion`); a change to it that a baseline reader would
misread bumps it. Reports written before the field existed have this shape."""


def report_problems(document: Any, stack: str) -> Iterable[str]:
    if not isinstance(document, dict):
        yield f"expected a JSON object, got {type(document).__name__}"
        return
    version = document.get("schemaVersion", REPORT_SCHEMA_VERSION)
    if version != REPORT_SCHEMA_VERSION:
        yield (
            f"its schemaVersion is {json.dumps(version)}; this opsctl reads reports of schema version "
            f"{REPORT_SCHEMA_VERSION}: write the baseline again with this opsctl"
        )
        return
    if not isinstance(document.get("stack"), str):
        yield "no 'stack' name"
    elif document["stack"] != stack:
        yield f"it is a report of stack {document['stack']!r}, not {stack!r}"
    findings = document.get("findings")
    if findings is not None and not isinstance(findings, list):
        yield "'findings' is not a list"
    for index, finding in enumerate(findings if isinstance(findings, list) else ()):
        if not (isinstance(finding, dict) and all(isinstance(finding.get(k), str) for k in ("policy", "urn"))):
            yield f"findings[{index}] has no 'policy' and 'urn' strings"
    cost = cost_of(document)
    if cost is None:
        return
    where = "lines" if cost is document else "cost.lines"
    lines = cost.get("lines") if isinstance(cost, dict) else None
    if not isinstance(lines, list):
        yield f"'{where}' is not a list"
        return
    for index, line in enumerate(lines):
        fields = line if isinstance(line, dict) else {}
        for name, kind in (("item", str), ("what", str), ("unit", str), ("quantity", float), ("monthly", float)):
            value = fields.get(name)
            if not isinstance(value, kind if kind is str else (int, float)) or isinstance(value, bool):
                yield f"{where}[{index}].{name} is {json.dumps(value)}, expected a {'string' if kind is str else 'number'}"


def mark_existing(findings: Iterable[Finding], baseline: Baseline) -> list[Finding]:
    return [
        replace(f, existing=True) if f.kind == "violation" and key(f) in baseline.violations else f for f in findings
    ]


def fixed(findings: Iterable[Finding], baseline: Baseline) -> list[Key]:
    """Baseline violations this run no longer reports at all (not as violation, unchecked or exempted)."""
    present = {key(f) for f in findings if f.kind != "remediated"}
    return sorted(baseline.violations - present)
