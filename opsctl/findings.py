"""One finding model for every opsctl command: what a guardrail found on one subject (a resource of
the program run by its URN, or a live resource by its ARN), the policies that judged, and the exit code.

Imports nothing from the engine or the live stack: the formats render findings without either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

SEVERITY_ORDER = ("low", "medium", "high", "critical")

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

Kind = Literal["violation", "unchecked", "remediated", "exempted", "error"]
"""violation: the rule failed; unchecked: the rule could not decide because a value is unknown
until deploy (the pack's Undecided, the SDK's "can't run policy" advisory) — expected in a preview,
so it never fails the run; remediated: fixed by the pack; exempted: the rule failed on a subject the
policy config exempts; error: opsctl could not judge (an account or service it could not read, a
live rule that cannot decide).

The two "could not decide" kinds stay apart on purpose: before a deploy an unknown value is normal
and the deploy decides it, while in a live account every value exists, so a rule that still cannot
decide means the audit is incomplete, and an incomplete audit exits 2 rather than passing."""
PREVIEW_SKIP = re.compile(r"^can't run policy '[^']*'(?: from policy pack '[^']*')? during preview: ")
"""The opening of the SDK's advisory for a policy that read an unknown value: an unchecked finding."""


@dataclass(frozen=True)
class Finding:
    policy: str
    level: str
    """advisory, mandatory or remediate (as configured)."""
    severity: str
    message: str
    subject: str = ""
    """A program run's resource URN (preflight) or a live resource's ARN (audit); empty for the stack, or
    the account and region, as a whole."""
    kind: Kind = "violation"
    exemption: str = ""
    """For an exempted finding: the reason, and the date the exemption expires if it does
    (`exemption_text`)."""
    existing: bool = False
    """A violation the baseline report already had (same policy and subject): it does not fail the run."""
    account: str = ""
    """The live account (audit only)."""
    region: str = ""
    """The live region, or `global` (audit only)."""


@dataclass(frozen=True)
class PolicyInfo:
    name: str
    description: str
    severity: str
    level: str
    remediation: str = ""
    url: str = ""
    """AWS's page for the same check, where the pack names one."""
    tags: tuple[str, ...] = ()
    """Services the policy looks at, and its references as `framework:id`."""


def exemption_text(reason: str, until: date | str | None) -> str:
    """How every report shows an exemption: its reason, and when it expires if it does."""
    if not until:
        return reason
    return f"{reason} (until {until.isoformat() if isinstance(until, date) else until})"


def fails(finding: Finding, fail_on: str) -> bool:
    """Whether a finding fails the run at the `--fail-on` threshold.

    Only new violations count (never unchecked, exempted or remediated ones, nor those the
    baseline already had). `mandatory`: enforced as mandatory (what blocks `pulumi up`);
    a severity (`low` … `critical`): at or above it, advisory ones included; `never`: none.
    """
    if finding.kind != "violation" or finding.existing or fail_on == "never":
        return False
    if fail_on == "mandatory":
        return finding.level in ("mandatory", "remediate")
    return finding.severity in SEVERITY_ORDER and SEVERITY_ORDER.index(finding.severity) >= SEVERITY_ORDER.index(
        fail_on
    )


def exit_code(findings: Iterable[Finding], fail_on: str = "mandatory") -> int:
    """2 when something could not be judged, else 1 when a finding fails the run at the threshold, else 0."""
    findings = list(findings)
    if any(f.kind == "error" for f in findings):
        return EXIT_ERROR
    return EXIT_FINDINGS if any(fails(f, fail_on) for f in findings) else EXIT_CLEAN
