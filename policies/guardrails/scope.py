"""Which guardrails run (selection) and which findings they excuse (exemptions), from the policy config.

Selection is pack-wide, under the config entry `ops-baseline-selection`: guardrails outside it are
disabled, as if their level said so. Exemptions are per guardrail, in its `exemptions` parameter:
a finding on a matching resource is reported as exempted (the SDK's not-applicable reason) instead
of as a violation, until the exemption expires; then it is a violation again, saying so. The pack
and opsctl read both through these functions, so they agree.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .model import Guardrail
from .spelling import did_you_mean

SELECTION = "ops-baseline-selection"
"""The config entry (a no-op policy of the pack) that holds the selection."""

FRAMEWORKS = {
    "cis": lambda g: bool(g.references.cis),
    "security-hub": lambda g: bool(g.references.security_hub),
    "aws-config": lambda g: g.references.config_rule is not None,
    "checkov": lambda g: bool(g.references.checkov),
}
SEVERITIES = ("low", "medium", "high", "critical")

SELECTION_SCHEMA = {
    "severities": {
        "type": "array",
        "items": {"type": "string", "enum": list(SEVERITIES)},
        "default": [],
        "description": "Run only guardrails of these severities (empty: every severity).",
    },
    "frameworks": {
        "type": "array",
        "items": {"type": "string", "enum": sorted(FRAMEWORKS)},
        "default": [],
        "description": "Run only guardrails that map to one of these frameworks (empty: any).",
    },
    "policies": {
        "type": "array",
        "items": {"type": "string"},
        "default": [],
        "description": "Guardrails to run whatever their severity or frameworks.",
    },
}

EXEMPTIONS_SCHEMA = {
    "type": "array",
    "default": [],
    "items": {
        "type": "object",
        "required": ["resource", "reason"],
        "additionalProperties": False,
        "properties": {
            "resource": {"type": "string", "minLength": 1},
            "reason": {"type": "string", "minLength": 1},
            "expires": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        },
    },
}


def selected(guardrail: Guardrail, selection: Mapping[str, Any]) -> bool:
    """Whether the selection keeps this guardrail running (an empty selection keeps all)."""
    if guardrail.name in selection.get("policies", ()):
        return True
    severities, frameworks = selection.get("severities") or (), selection.get("frameworks") or ()
    if not severities and not frameworks:
        return not selection.get("policies")
    return (not severities or guardrail.severity in severities) and (
        not frameworks or any(FRAMEWORKS[f](guardrail) for f in frameworks if f in FRAMEWORKS)
    )


def selection_problems(selection: Mapping[str, Any], guardrails: Sequence[Guardrail]) -> list[str]:
    """What makes a selection disable guardrails it did not mean to: a name that is no guardrail
    of the pack (alone in the selection, it disables every one), or severities and frameworks that
    no guardrail has together. Entries of the wrong type are the schema's to report."""
    names = [g.name for g in guardrails]
    listed = selection.get("policies") or []
    if not all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in selection.values()):
        return []
    problems = [
        f"{SELECTION}.policies[{index}]: unknown guardrail {name!r}; {did_you_mean(name, names)}"
        f"the pack has {len(names)} guardrails"
        for index, name in enumerate(listed)
        if name not in names
    ]
    if not problems and not any(selected(g, selection) for g in guardrails):
        wanted = [
            f"{what} {' or '.join(selection[key])}"
            for key, what in (("severities", "severity"), ("frameworks", "a reference in"))
            if selection.get(key)
        ]
        problems.append(
            f"{SELECTION}: no guardrail has {' and '.join(wanted)}, so every guardrail would be disabled; "
            "widen severities or frameworks, or name guardrails under policies"
        )
    return problems


@dataclass(frozen=True)
class Exemption:
    resource: str
    """A wildcard over the resource's logical name, or over its URN when it contains '::'."""
    reason: str
    expires: date | None = None

    @classmethod
    def read(cls, entry: Mapping[str, Any]) -> Exemption:
        expires = entry.get("expires")
        return cls(entry["resource"], entry["reason"], date.fromisoformat(expires) if expires else None)

    def covers(self, urn: str | None) -> bool:
        urn = urn or ""
        subject = urn if "::" in self.resource else urn.rsplit("::", 1)[-1]
        return fnmatch.fnmatchcase(subject, self.resource)

    def active(self, today: date) -> bool:
        return self.expires is None or today <= self.expires

    def note(self) -> str:
        until = f"; until {self.expires.isoformat()}" if self.expires else ""
        return f"[reason: {self.reason}{until}]"


def exemption_for(urn: str | None, exemptions: Iterable[Exemption]) -> Exemption | None:
    return next((e for e in exemptions if e.covers(urn)), None)


def decided(
    urn: str | None, message: str, exemptions: Iterable[Exemption], today: date
) -> tuple[str, Exemption | None]:
    """A violation's message as reported, and the active exemption that excuses it (None: it is a
    violation; past its expiry, saying so). The pack and opsctl's audit decide through this alone."""
    exemption = exemption_for(urn, exemptions)
    if exemption is None:
        return message, None
    if exemption.active(today):
        return message, exemption
    return message + expired_note(exemption), None


def exempted_line(urn: str | None, message: str, exemption: Exemption) -> str:
    """One exempted finding in the not-applicable reason: readable, and parsed back by opsctl."""
    return f"exempted {urn or 'stack'}: {message} {exemption.note()}"


UNDECIDED_LINE = "undecided: "
"""How the not-applicable reason carries what stayed undecided beside exempted lines."""
EXEMPTED_LINE = re.compile(r"^exempted (\S+): (.*) \[reason: (.*?)(?:; until (\d{4}-\d{2}-\d{2}))?\]$")


def expired_note(exemption: Exemption) -> str:
    return f" (The exemption for {exemption.resource!r} expired on {exemption.expires}: {exemption.reason}.)"


def exemption_problems(policy: str, entries: Sequence[Mapping[str, Any]], today: date) -> list[str]:
    """What opsctl refuses in a policy's exemptions beyond the schema: impossible or past dates,
    and patterns that cannot match a resource."""
    problems = []
    for index, entry in enumerate(entries):
        where = f"{policy}.exemptions[{index}]"
        pattern = entry.get("resource", "")
        if isinstance(pattern, str) and (
            pattern.strip() != pattern or ("::" in pattern and not pattern.startswith(("urn:pulumi:", "*")))
        ):
            problems.append(
                f"{where}.resource: {pattern!r} — a logical name wildcard, or a URN wildcard starting with urn:pulumi: or *"
            )
        expires = entry.get("expires")
        if isinstance(expires, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", expires):
            try:
                day = date.fromisoformat(expires)
            except ValueError:
                problems.append(f"{where}.expires: {expires!r} is not a calendar date")
                continue
            if day < today:
                problems.append(f"{where}.expires: {expires} is in the past; renew the exemption or fix the finding")
    return problems
