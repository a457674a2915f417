"""ECR as the stack deploys it: repositories and the region's registry scanning configuration."""

from __future__ import annotations

from dataclasses import dataclass

from settings import Settings


@dataclass(frozen=True)
class Repository:
    name: str
    keep_last: int
    untagged_expire_days: int


@dataclass(frozen=True)
class Registry:
    repositories: tuple[Repository, ...]
    scanning: str
    """`off`, `basic` or `enhanced`."""


def registry(settings: Settings) -> Registry | None:
    section = settings.ecr
    if not section.repositories and section.registry_scanning == "off":
        return None
    return Registry(
        tuple(Repository(r.name, r.keep_last, r.untagged_expire_days) for r in section.repositories),
        section.registry_scanning,
    )
