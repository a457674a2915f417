"""Lambda's managed runtimes and the dates AWS deprecates them, as data with its source.

SOURCE is where AWS publishes the dates: its "Supported runtimes" and "Deprecated runtimes" tables
give, per runtime identifier, the deprecation date (no more security patches or support; new
functions are blocked soon after) and the date updates of existing functions are blocked.

Read on READ_ON through stored copies, since the page itself was not reachable whole:
endoflife.date's `products/aws-lambda.md` (commit 6cb643a7, filled by a script from SOURCE), its
aws-lambda page (early 2026: .NET 10, Node.js 24, Python 3.14, Java 25, Ruby 3.4, .NET 9) and
tflint-ruleset-aws `rules/aws_lambda_function_deprecated_runtime.go` (late 2025, after AWS moved
python3.9 to 2025-12-15). Deprecation dates are the latest copy's that lists the runtime;
dates that block updates are endoflife.date's (tflint keeps none). AWS's page says the
Amazon Linux 2 runtimes (java8.al2, java11, java17, python3.10, python3.11, provided.al2) keep
critical patches until the dates shown; the latest copy read shows 2026-06-30 for all of them.
Runtimes AWS added after these copies (the July 2026 java8/11/17 on AL2023) are not listed: an
identifier missing from the table is not judged. Update the table when AWS changes the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from ..props import Props, text

SOURCE = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html"
READ_ON = date(2026, 12, 2)


@dataclass(frozen=True)
class Lifecycle:
    deprecated: date
    """Deprecation: no security patches or technical support from this date."""
    update_blocked: date | None = None
    """Lambda blocks updates of existing functions that use the runtime; None where not read."""


def _dates(deprecated: str, update_blocked: str | None = None) -> Lifecycle:
    return Lifecycle(date.fromisoformat(deprecated), date.fromisoformat(update_blocked) if update_blocked else None)


RUNTIMES: dict[str, Lifecycle] = {
    # Supported (projected dates)
    "nodejs24.x": _dates("2028-04-30", "2028-07-01"),
    "nodejs22.x": _dates("2027-04-30", "2027-07-01"),
    "python3.14": _dates("2029-06-30", "2029-08-31"),
    "python3.13": _dates("2029-06-30", "2029-08-31"),
    "python3.12": _dates("2028-10-31", "2029-01-10"),
    "java25": _dates("2029-06-30", "2029-08-31"),
    "java21": _dates("2029-06-30", "2029-08-31"),
    "dotnet10": _dates("2028-11-14", "2029-01-15"),
    "ruby3.4": _dates("2028-03-31", "2028-05-31"),
    "ruby3.3": _dates("2027-03-31", "2027-05-31"),
    "provided.al2023": _dates("2029-06-30", "2029-08-31"),
    # Deprecated in 2026
    "dotnet9": _dates("2026-11-10"),
    "dotnet8": _dates("2026-11-10", "2027-01-11"),
    "python3.11": _dates("2026-06-30", "2026-08-31"),
    "python3.10": _dates("2026-06-30", "2026-08-31"),
    "java17": _dates("2026-06-30", "2026-08-31"),
    "java11": _dates("2026-06-30", "2026-08-31"),
    "java8.al2": _dates("2026-06-30", "2026-08-31"),
    "provided.al2": _dates("2026-06-30", "2026-08-31"),
    "nodejs20.x": _dates("2026-04-30", "2026-07-01"),
    "ruby3.2": _dates("2026-03-31", "2026-05-31"),
    # Deprecated earlier
    "python3.9": _dates("2025-12-15"),
    "nodejs18.x": _dates("2025-09-01", "2025-11-01"),
    "dotnet6": _dates("2024-11-12", "2025-11-01"),
    "python3.8": _dates("2024-10-14", "2025-11-01"),
    "nodejs16.x": _dates("2024-06-12", "2025-11-01"),
    "dotnet7": _dates("2024-05-14"),
    "go1.x": _dates("2024-01-08", "2025-11-01"),
    "provided": _dates("2024-01-08", "2025-11-01"),
    "java8": _dates("2024-01-08", "2025-11-01"),
    "ruby2.7": _dates("2023-11-27", "2025-11-01"),
    "nodejs14.x": _dates("2023-12-04", "2025-11-01"),
    "python3.7": _dates("2023-12-04", "2025-11-01"),
    "dotnetcore3.1": _dates("2023-04-03", "2023-05-03"),
    "nodejs12.x": _dates("2023-03-31", "2023-04-30"),
    "python3.6": _dates("2022-07-18", "2022-08-29"),
    "dotnet5.0": _dates("2022-05-10"),
    "dotnetcore2.1": _dates("2022-01-05", "2022-04-13"),
    "nodejs10.x": _dates("2021-07-30", "2022-02-14"),
    "ruby2.5": _dates("2021-07-30", "2022-03-31"),
    "python2.7": _dates("2021-07-15", "2022-05-30"),
    "nodejs8.10": _dates("2020-03-06", "2020-03-06"),
    "nodejs4.3": _dates("2020-03-05", "2020-03-05"),
    "nodejs4.3-edge": _dates("2020-03-05", "2020-04-30"),
    "nodejs6.10": _dates("2019-08-12"),
    "dotnetcore1.0": _dates("2019-07-27", "2019-07-30"),
    "dotnetcore2.0": _dates("2019-05-30", "2019-05-30"),
    "nodejs": _dates("2016-10-31", "2016-10-31"),
}


def today() -> date:
    """The date verdicts are taken on (UTC, as AWS's dates are calendar days)."""
    return datetime.now(UTC).date()


FAMILY_OF = {"go": "provided", "dotnetcore": "dotnet"}
"""Families whose successor has another name: Go runs on the OS-only runtime, .NET Core became .NET."""


def _version(runtime: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", runtime))


def successor(runtime: str, on: date) -> str | None:
    """The supported runtime of the same language that AWS supports longest (newest on a tie)."""
    family = re.match(r"[a-z]+", runtime)
    name = FAMILY_OF.get(family[0], family[0]) if family else ""
    candidates = [r for r, life in RUNTIMES.items() if re.match(rf"{name}\d|{name}\.", r) and life.deprecated > on]
    return max(candidates, key=lambda r: (RUNTIMES[r].deprecated, _version(r)), default=None)


def judged_runtime(props: Props) -> tuple[str, Lifecycle] | None:
    """The function's runtime and its dates; None when there is nothing to judge: a container
    image function without one (its runtime is in the image), an identifier the table lacks, or a
    value unknown during preview (left undecided)."""
    runtime = props.get("runtime")
    life = RUNTIMES.get(runtime) if text(runtime) else None
    return (runtime, life) if life else None


def upgrade_hint(runtime: str, on: date) -> str:
    target = successor(runtime, on)
    return f"move to {target}" if target else "move to a supported runtime"
