"""The ECR section: repositories and the region's registry scanning configuration."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from . import field_checks
from .monitoring import duplicates
from .schema import setting

ECR_NAME = re.compile(r"^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$")


@dataclass(frozen=True)
class RepositorySettings:
    name: str = setting(
        "Repository name, e.g. `orders` or `team/orders`.",
        check=field_checks.matches(ECR_NAME, "lowercase letters, digits, '.', '_', '-' and '/' (ECR naming)"),
    )
    keep_last: int = setting(
        "Newest images kept (any tag); older ones expire.", default=30, check=field_checks.between(1, 10_000)
    )
    untagged_expire_days: int = setting(
        "Days after which untagged images expire.", default=7, check=field_checks.between(1, 3650)
    )


@dataclass(frozen=True)
class EcrSettings:
    repositories: tuple[RepositorySettings, ...] = setting(
        "Repositories with scan on push, immutable tags, the customer key and a lifecycle policy.", default=()
    )
    registry_scanning: Literal["off", "basic", "enhanced"] = setting(
        "The region's one registry scanning configuration: `basic` (scan on push) or `enhanced` (Amazon "
        "Inspector) makes this stack its owner; `off` leaves it to its owner (another stack, or AWS's default).",
        default="off",
    )

    def problems(self) -> Iterator[tuple[str, Any, str]]:
        yield from duplicates([r.name for r in self.repositories], "repositories")
